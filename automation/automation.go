// Package automation runs Tierzone through the Pulumi Automation API: the
// same landing-zone program main.go runs, built inline from a catalog and Go
// settings, on a stack in a backend the caller names. Other tools embed
// Tierzone through this package; `tierzone preview|up|destroy|refresh` use it.
//
// It needs the pulumi CLI on PATH (or Options.Command) and, with the default
// passphrase secrets provider, PULUMI_CONFIG_PASSPHRASE.
package automation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
)

// Op is a stack operation.
type Op string

// The operations Tierzone runs.
const (
	OpPreview Op = "preview"
	OpUp      Op = "up"
	OpDestroy Op = "destroy"
	OpRefresh Op = "refresh"
)

// Ops lists the operations, in the order a user meets them.
func Ops() []Op { return []Op{OpPreview, OpUp, OpDestroy, OpRefresh} }

// ParseOp parses an operation name; an unknown one wraps ErrUnknownOp.
func ParseOp(s string) (Op, error) {
	for _, op := range Ops() {
		if string(op) == s {
			return op, nil
		}
	}
	return "", fmt.Errorf("%w %q (want preview, up, destroy or refresh)", ErrUnknownOp, s)
}

// Errors in Options, reported before any engine work. Test with errors.Is.
var (
	ErrUnknownOp    = errors.New("tierzone automation: unknown operation")
	ErrNoStack      = errors.New("tierzone automation: no stack name")
	ErrWorkDir      = errors.New("tierzone automation: work directory")
	ErrNoPassphrase = errors.New("tierzone automation: passphrase secrets need PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE")
	ErrNoCLI        = errors.New("tierzone automation: no pulumi CLI on PATH; install it (https://www.pulumi.com/docs/install/) or set Options.Command")
)

// PassphraseSecrets is the default secrets provider.
const PassphraseSecrets = "passphrase"

// Options say which stack to run and where.
type Options struct {
	// Stack is the stack name (e.g. "prod", or "org/tierzone/prod" on
	// Pulumi Cloud). Required.
	Stack string
	// WorkDir is an existing directory Tierzone owns: the workspace's
	// Pulumi.yaml and Pulumi.<stack>.yaml are written there and, unless
	// BackendURL is set, the state too (file://WorkDir keeps it in
	// WorkDir/.pulumi). Required. Never point it at the Tierzone source
	// tree: its Pulumi.yaml would be overwritten.
	WorkDir string
	// BackendURL is the state backend ("file:///abs/dir", "s3://bucket",
	// "https://api.pulumi.com"). Empty: file://WorkDir.
	BackendURL string
	// SecretsProvider is the stack's secrets provider for a new stack.
	// Empty: "passphrase", which needs PULUMI_CONFIG_PASSPHRASE (or _FILE)
	// in EnvVars or the process environment.
	SecretsProvider string
	// Catalog is the customer catalog. Nil: customers.Catalog().
	Catalog []customers.Customer
	// Settings are the stack's settings (landingzone.Defaults() plus the
	// required organization root and mailbox); they become the stack config.
	Settings landingzone.Settings
	// EnvVars are extra environment variables for the CLI (AWS_PROFILE,
	// PULUMI_CONFIG_PASSPHRASE, ...).
	EnvVars map[string]string
	// Progress receives the CLI's progress output (stdout and stderr) as it
	// runs. Nil: discarded (it is still in Result.StdOut).
	Progress io.Writer
	// Events receives every engine event of every operation. Tierzone never
	// closes it; the caller must keep draining it while an operation runs.
	Events chan<- events.EngineEvent
	// PolicyPacks are policy pack directories run with preview and up
	// (e.g. the repo's policy/ directory).
	PolicyPacks []string
	// Command is the Pulumi CLI to run. Nil: `pulumi` on PATH.
	Command auto.PulumiCommand
	// Parallel caps the resource operations the engine runs at once
	// (`--parallel`) in preview, up, destroy and refresh. 0: the CLI's
	// default, 4 x the CPU count.
	Parallel int
	// Program replaces the inline program. Nil: Program(Catalog), what
	// main.go runs. A tool that adds resources of its own wraps
	// landingzone.Program; the catalog and settings are still validated
	// before the stack is touched.
	Program pulumi.RunFunc
}

// Result is what an operation did.
type Result struct {
	Op    Op
	Stack string
	// Changes counts resources per kind of step (create, update, delete,
	// replace, same, ...): planned for preview, done for the others.
	Changes map[string]int
	// Customers are the per-customer ids from the stack outputs after up
	// and refresh; nil after preview and destroy.
	Customers map[string]CustomerOutputs
	// StdOut and StdErr are the CLI's output.
	StdOut, StdErr string
}

// Runner runs operations on one stack.
type Runner struct {
	opts  Options
	plan  *landingzone.Plan
	stack auto.Stack
}

// Program is the inline program: landingzone.Program, exactly what main.go
// runs, reading its settings from the stack config New writes.
func Program(catalog []customers.Customer) pulumi.RunFunc {
	return landingzone.Program(catalog)
}

// New checks the options, validates the catalog and settings (a
// *validation.Error lists every problem, and nothing touches the engine),
// then creates or selects the stack and writes its config.
func New(ctx context.Context, opts Options) (*Runner, error) {
	if opts.Catalog == nil {
		opts.Catalog = customers.Catalog()
	}
	if opts.SecretsProvider == "" {
		opts.SecretsProvider = PassphraseSecrets
	}
	if err := opts.check(); err != nil {
		return nil, err
	}
	plan, err := landingzone.Resolve(opts.Catalog, opts.Settings)
	if err != nil {
		return nil, err
	}
	cfg, err := ConfigMap(opts.Settings)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.WorkDir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWorkDir, err)
	}
	backend := opts.BackendURL
	if backend == "" {
		backend = "file://" + filepath.ToSlash(dir)
	}
	proj := workspace.Project{
		Name:    ProjectName,
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: backend},
	}
	wsOpts := []auto.LocalWorkspaceOption{
		auto.WorkDir(dir),
		auto.Project(proj),
		auto.SecretsProvider(opts.SecretsProvider),
	}
	if len(opts.EnvVars) > 0 {
		wsOpts = append(wsOpts, auto.EnvVars(opts.EnvVars))
	}
	if opts.Command != nil {
		wsOpts = append(wsOpts, auto.Pulumi(opts.Command))
	}
	program := opts.Program
	if program == nil {
		program = Program(opts.Catalog)
	}
	stack, err := auto.UpsertStackInlineSource(ctx, opts.Stack, ProjectName, program, wsOpts...)
	if err != nil {
		return nil, fmt.Errorf("tierzone automation: create or select stack %q on %s: %w", opts.Stack, backend, err)
	}
	if err := writeConfig(ctx, stack, cfg); err != nil {
		return nil, err
	}
	return &Runner{opts: opts, plan: plan, stack: stack}, nil
}

// check reports every problem with the options at once.
func (o Options) check() error {
	var errs []error
	if strings.TrimSpace(o.Stack) == "" {
		errs = append(errs, ErrNoStack)
	}
	switch fi, err := os.Stat(o.WorkDir); {
	case o.WorkDir == "":
		errs = append(errs, fmt.Errorf("%w: not set; give an existing directory for the workspace and local state", ErrWorkDir))
	case err != nil:
		errs = append(errs, fmt.Errorf("%w %s: %w", ErrWorkDir, o.WorkDir, err))
	case !fi.IsDir():
		errs = append(errs, fmt.Errorf("%w %s: not a directory", ErrWorkDir, o.WorkDir))
	default:
		// The workspace writes Pulumi.yaml; never into a Go program's tree.
		if _, err := os.Stat(filepath.Join(o.WorkDir, "go.mod")); err == nil {
			errs = append(errs, fmt.Errorf("%w %s: holds a Go module (go.mod); its Pulumi.yaml would be overwritten, use a dedicated directory", ErrWorkDir, o.WorkDir))
		}
	}
	if o.SecretsProvider == PassphraseSecrets && !o.hasPassphrase() {
		errs = append(errs, ErrNoPassphrase)
	}
	if o.Command == nil {
		if _, err := exec.LookPath("pulumi"); err != nil {
			errs = append(errs, ErrNoCLI)
		}
	}
	return errors.Join(errs...)
}

func (o Options) hasPassphrase() bool {
	for _, k := range []string{"PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"} {
		if _, ok := o.EnvVars[k]; ok {
			return true
		}
		if _, ok := os.LookupEnv(k); ok {
			return true
		}
	}
	return false
}

// writeConfig makes the stack's tierzone config exactly cfg: keys set
// earlier that the settings no longer have are removed. It edits the
// workspace's Pulumi.<stack>.yaml directly (what `pulumi config set-all`
// would write, without two CLI runs per stack: a fleet configures a stack
// per customer before every operation) and leaves the file alone when
// nothing changed. Other keys (the passphrase's encryption salt, config
// outside the tierzone namespace) are kept.
func writeConfig(ctx context.Context, stack auto.Stack, cfg map[string]string) error {
	ws := stack.Workspace()
	ps, err := ws.StackSettings(ctx, stack.Name())
	if err != nil {
		// No stack file yet (a backend that keeps no salt in it).
		ps = &workspace.ProjectStack{}
	}
	if ps.Config == nil {
		ps.Config = config.Map{}
	}
	changed := false
	for k := range ps.Config {
		if _, keep := cfg[k.String()]; !keep && k.Namespace() == landingzone.ConfigNamespace {
			delete(ps.Config, k)
			changed = true
		}
	}
	for k, v := range cfg {
		key, err := config.ParseKey(k)
		if err != nil {
			return fmt.Errorf("tierzone automation: config key %q of stack %q: %w", k, stack.Name(), err)
		}
		if old, ok := ps.Config[key]; ok && !old.Secure() && !old.Object() {
			if raw, err := old.Value(nil); err == nil && raw == v {
				continue
			}
		}
		ps.Config[key] = config.NewValue(v)
		changed = true
	}
	if !changed {
		return nil
	}
	if err := ws.SaveStackSettings(ctx, stack.Name(), ps); err != nil {
		return fmt.Errorf("tierzone automation: set config of stack %q: %w", stack.Name(), err)
	}
	return nil
}

// Plan is the validated plan the stack runs.
func (r *Runner) Plan() *landingzone.Plan { return r.plan }

// Stack is the underlying Automation API stack, for anything this package
// does not wrap (history, export, cancel).
func (r *Runner) Stack() *auto.Stack { return &r.stack }

// Run runs one operation.
func (r *Runner) Run(ctx context.Context, op Op) (*Result, error) {
	switch op {
	case OpPreview:
		return r.Preview(ctx)
	case OpUp:
		return r.Up(ctx)
	case OpDestroy:
		return r.Destroy(ctx)
	case OpRefresh:
		return r.Refresh(ctx)
	}
	_, err := ParseOp(string(op))
	return nil, err
}

// Preview shows what up would change, with the policy packs.
func (r *Runner) Preview(ctx context.Context) (*Result, error) {
	if err := r.CheckRemovals(ctx); err != nil {
		return nil, err
	}
	ch, wait := r.forwardEvents()
	opts := []optpreview.Option{}
	if w := r.opts.Progress; w != nil {
		opts = append(opts, optpreview.ProgressStreams(w), optpreview.ErrorProgressStreams(w))
	}
	if ch != nil {
		opts = append(opts, optpreview.EventStreams(ch))
	}
	if r.opts.Parallel > 0 {
		opts = append(opts, optpreview.Parallel(r.opts.Parallel))
	}
	if len(r.opts.PolicyPacks) > 0 {
		opts = append(opts, optpreview.PolicyPacks(r.opts.PolicyPacks...))
	}
	res, err := r.stack.Preview(ctx, opts...)
	wait(err)
	if err != nil {
		return nil, r.opErr(OpPreview, err)
	}
	changes := map[string]int{}
	for k, v := range res.ChangeSummary {
		changes[string(k)] = v
	}
	return &Result{Op: OpPreview, Stack: r.stack.Name(), Changes: changes, StdOut: res.StdOut, StdErr: res.StdErr}, nil
}

// Up creates or updates the landing zone and returns the customers' ids.
func (r *Runner) Up(ctx context.Context) (*Result, error) {
	if err := r.CheckRemovals(ctx); err != nil {
		return nil, err
	}
	ch, wait := r.forwardEvents()
	opts := []optup.Option{}
	if w := r.opts.Progress; w != nil {
		opts = append(opts, optup.ProgressStreams(w), optup.ErrorProgressStreams(w))
	}
	if ch != nil {
		opts = append(opts, optup.EventStreams(ch))
	}
	if r.opts.Parallel > 0 {
		opts = append(opts, optup.Parallel(r.opts.Parallel))
	}
	if len(r.opts.PolicyPacks) > 0 {
		opts = append(opts, optup.PolicyPacks(r.opts.PolicyPacks...))
	}
	res, err := r.stack.Up(ctx, opts...)
	wait(err)
	if err != nil {
		return nil, r.opErr(OpUp, err)
	}
	custs, err := ParseCustomers(res.Outputs)
	if err != nil {
		return nil, err
	}
	return &Result{Op: OpUp, Stack: r.stack.Name(), Changes: changeCounts(res.Summary), Customers: custs, StdOut: res.StdOut, StdErr: res.StdErr}, nil
}

// Destroy deletes the stack's resources. When the stack's state holds
// protected resources (protect on, the default) it returns a
// *validation.Error before the engine runs, and nothing is deleted; turn
// protect off in the settings, up, then destroy.
//
// A deletion AWS refuses (typically an account created through
// Organizations that cannot yet stand alone) does not stop the others:
// the engine continues on error, so everything that does not depend on
// the refused resource is deleted and a second destroy finishes the job.
func (r *Runner) Destroy(ctx context.Context) (*Result, error) {
	if err := r.CheckDestroy(ctx); err != nil {
		return nil, err
	}
	ch, wait := r.forwardEvents()
	opts := []optdestroy.Option{}
	if w := r.opts.Progress; w != nil {
		opts = append(opts, optdestroy.ProgressStreams(w), optdestroy.ErrorProgressStreams(w))
	}
	if ch != nil {
		opts = append(opts, optdestroy.EventStreams(ch))
	}
	if r.opts.Parallel > 0 {
		opts = append(opts, optdestroy.Parallel(r.opts.Parallel))
	}
	opts = append(opts, optdestroy.ContinueOnError())
	res, err := r.stack.Destroy(ctx, opts...)
	wait(err)
	if err != nil {
		return nil, r.opErr(OpDestroy, err)
	}
	return &Result{Op: OpDestroy, Stack: r.stack.Name(), Changes: changeCounts(res.Summary), StdOut: res.StdOut, StdErr: res.StdErr}, nil
}

// Refresh reads the real state of every resource into the stack and
// returns the customers' ids.
func (r *Runner) Refresh(ctx context.Context) (*Result, error) {
	ch, wait := r.forwardEvents()
	opts := []optrefresh.Option{}
	if w := r.opts.Progress; w != nil {
		opts = append(opts, optrefresh.ProgressStreams(w), optrefresh.ErrorProgressStreams(w))
	}
	if ch != nil {
		opts = append(opts, optrefresh.EventStreams(ch))
	}
	if r.opts.Parallel > 0 {
		opts = append(opts, optrefresh.Parallel(r.opts.Parallel))
	}
	res, err := r.stack.Refresh(ctx, opts...)
	wait(err)
	if err != nil {
		return nil, r.opErr(OpRefresh, err)
	}
	outs, err := r.stack.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("tierzone automation: read outputs of stack %q: %w", r.stack.Name(), err)
	}
	custs, err := ParseCustomers(outs)
	if err != nil {
		return nil, err
	}
	return &Result{Op: OpRefresh, Stack: r.stack.Name(), Changes: changeCounts(res.Summary), Customers: custs, StdOut: res.StdOut, StdErr: res.StdErr}, nil
}

func (r *Runner) opErr(op Op, err error) error {
	return fmt.Errorf("tierzone automation: %s of stack %q: %w", op, r.stack.Name(), err)
}

// forwardEvents gives the Automation API a channel of its own (it closes
// the channels it is given when an operation ends) and copies its events to
// Options.Events. wait blocks until every event is delivered when the
// operation succeeded; after a failure the engine may never have started,
// so it does not block.
func (r *Runner) forwardEvents() (chan<- events.EngineEvent, func(error)) {
	if r.opts.Events == nil {
		return nil, func(error) {}
	}
	in := make(chan events.EngineEvent)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range in {
			r.opts.Events <- e
		}
	}()
	return in, func(err error) {
		if err == nil {
			<-done
		}
	}
}

func changeCounts(s auto.UpdateSummary) map[string]int {
	out := map[string]int{}
	if s.ResourceChanges != nil {
		for k, v := range *s.ResourceChanges {
			out[k] = v
		}
	}
	return out
}

// Run is New then one operation: the whole embedding in one call.
func Run(ctx context.Context, op Op, opts Options) (*Result, error) {
	if _, err := ParseOp(string(op)); err != nil {
		return nil, err
	}
	r, err := New(ctx, opts)
	if err != nil {
		return nil, err
	}
	return r.Run(ctx, op)
}
