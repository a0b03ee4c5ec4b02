// Package fleet runs a landing zone of the sharded layout: the organization
// stack (tier OUs, SCPs, log archive, trail, every customer account), then
// one stack per customer (its provider into its account and everything
// inside it) with bounded parallelism, each in a workspace directory of its
// own. A customer stack gets what it needs from the organization stack as
// stack config written here (landingzone.CustomerStackRef), so its update
// never reads state proportional to the fleet, and one customer's failure
// never stops the others.
package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/validation"
)

// Options say which fleet to run and where.
type Options struct {
	// Stack is the organization stack's name (e.g. "prod");
	// CustomerStackName derives each customer stack's.
	Stack string
	// WorkDir is an existing directory the fleet owns: the organization
	// workspace goes in WorkDir/organization, each customer's in
	// WorkDir/customers/<key>, and, without BackendURL, the state of every
	// stack in WorkDir (file://WorkDir, where automation.Options keeps a
	// single-layout stack with the same WorkDir: so the fleet finds a
	// single stack it must migrate instead of starting a new one).
	WorkDir string
	// BackendURL is the backend every stack of the fleet shares. Empty:
	// file://WorkDir.
	BackendURL      string
	SecretsProvider string
	Catalog         []customers.Customer
	// Settings are the organization stack's settings; Layout must be
	// landingzone.LayoutSharded.
	Settings landingzone.Settings
	EnvVars  map[string]string
	Command  auto.PulumiCommand
	// Progress receives every stack's progress, each line prefixed with
	// the stack's name.
	Progress io.Writer
	// ParallelStacks is how many customer stacks run at once. 0:
	// DefaultParallelStacks().
	ParallelStacks int
	// Only limits the customer stacks to these keys (the organization
	// stack always runs); each must be one of Settings.Customers.
	Only        []string
	PolicyPacks []string
	// Parallel is each stack's engine --parallel (0: the CLI's default).
	Parallel int
	// Stacks says which stacks run: StacksAll (empty), StacksOrganization
	// (the organization stack alone; not for destroy) or StacksCustomers
	// (preview and refresh only: the customer stacks, with the
	// organization stack's outputs but without running it).
	Stacks string
	// SkipUnchanged skips the preview or up of a customer stack whose
	// inputs (program, CLI, policy packs, environment, config, customer
	// spec) and state are those of its last clean run (one that found
	// nothing to change) on this WorkDir; its result is Unchanged. The
	// organization stack, refresh and destroy always run.
	SkipUnchanged bool
}

// The values of Options.Stacks.
const (
	StacksAll          = "all"
	StacksOrganization = "organization"
	StacksCustomers    = "customers"
)

// DefaultParallelStacks is one customer stack per CPU, at least two: each
// stack runs an engine and one provider plugin.
func DefaultParallelStacks() int { return max(2, runtime.NumCPU()) }

// Result is what one stack's operation did.
type Result struct {
	// Stack is the stack's name; Customer is empty for the organization
	// stack.
	Stack, Customer string
	Op              automation.Op
	// Changes per step kind, as automation.Result's.
	Changes  map[string]int
	Duration time.Duration
	// Err is the stack's failure; Skipped says why a stack did not run.
	Err     error
	Skipped string
	// Unchanged is the clean run a skipped unchanged stack repeats
	// (Options.SkipUnchanged); Changes are that run's.
	Unchanged *CleanRun
}

// OK reports whether the stack ran and succeeded.
func (r Result) OK() bool { return r.Err == nil && r.Skipped == "" }

// Report is the fleet's results: the organization stack first, then the
// customer stacks by key.
type Report struct {
	Organization Result
	Customers    []Result
}

// Failed counts the stacks that failed.
func (r *Report) Failed() int {
	n := 0
	for _, c := range append([]Result{r.Organization}, r.Customers...) {
		if c.Err != nil {
			n++
		}
	}
	return n
}

// ErrFailed is returned (wrapped, naming the stacks) when any stack failed;
// the report says which and why.
var ErrFailed = errors.New("tierzone fleet: stacks failed")

// CustomerStackName is the stack of one customer: "<stack>.<key>"
// ("org/project/prod" gives "org/project/prod.<key>").
func CustomerStackName(stack, key string) string { return stack + "." + key }

// fleet is one run.
type fleet struct {
	opts    Options
	plan    *landingzone.Plan
	backend string
	out     *prefixer

	// toolchain's hash, computed once per run.
	toolOnce sync.Once
	toolHash string
	toolErr  error
}

// Run runs op on the organization stack and the customer stacks. Bad input
// (a catalog or settings problem, an unknown --customers key, a stack that
// is not sharded) is a *validation.Error before anything runs. A failed
// stack is in the report and makes the error wrap ErrFailed; the other
// stacks still run.
func Run(ctx context.Context, op automation.Op, opts Options) (*Report, error) {
	f, err := newFleet(op, opts)
	if err != nil {
		return nil, err
	}
	switch op {
	case automation.OpUp:
		return f.up(ctx)
	case automation.OpPreview:
		return f.preview(ctx)
	case automation.OpRefresh:
		return f.refresh(ctx)
	case automation.OpDestroy:
		return f.destroy(ctx)
	}
	_, err = automation.ParseOp(string(op))
	return nil, err
}

// newFleet checks the options for op ("" for a migration) and prepares the
// run.
func newFleet(op automation.Op, opts Options) (*fleet, error) {
	var l validation.List
	switch opts.Stacks {
	case "", StacksAll:
	case StacksOrganization:
		if op == automation.OpDestroy {
			l.Add("--stacks", "", "%q: the organization stack is destroyed after its customer stacks; destroy with --stacks %s", opts.Stacks, StacksAll)
		}
	case StacksCustomers:
		if op != automation.OpPreview && op != automation.OpRefresh {
			l.Add("--stacks", "", "%q runs only with preview and refresh (an up or destroy of customer stacks needs the organization stack's)", opts.Stacks)
		}
	default:
		l.Add("--stacks", "", "%q is not %s, %s or %s", opts.Stacks, StacksAll, StacksOrganization, StacksCustomers)
	}
	if op == "" && opts.Stacks != "" && opts.Stacks != StacksAll {
		l.Add("--stacks", "", "a migration moves every stack; drop --stacks")
	}
	stackKey := validation.Stack(landingzone.ConfigNamespace + ":" + landingzone.KeyLayout)
	if !opts.Settings.Sharded() {
		l.Add(stackKey, "", "stack %s uses the %q layout; the fleet runs only a %q one (set %s:%s to %s in its stack file; `tierzone migrate --stack %s` then moves a deployed single stack)",
			opts.Stack, opts.Settings.Layout, landingzone.LayoutSharded, landingzone.ConfigNamespace, landingzone.KeyLayout, landingzone.LayoutSharded, opts.Stack)
	}
	if opts.Settings.CustomerStack != nil {
		l.Add(validation.Stack(landingzone.ConfigNamespace+":"+landingzone.KeyCustomerStack), "", "stack %s is a customer stack; run the fleet with its organization stack", opts.Stack)
	}
	if opts.Catalog == nil {
		opts.Catalog = customers.Catalog()
	}
	plan, err := landingzone.Resolve(opts.Catalog, opts.Settings)
	l.Merge(err)
	if plan != nil {
		for _, k := range opts.Only {
			if !slices.ContainsFunc(plan.Customers, func(c landingzone.CustomerSpec) bool { return c.Customer.Key == k }) {
				l.Add("--customers", "", "%q is not a customer of stack %s (%s:%s)", k, opts.Stack, landingzone.ConfigNamespace, landingzone.KeyCustomers)
			}
		}
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	if opts.ParallelStacks <= 0 {
		opts.ParallelStacks = DefaultParallelStacks()
	}
	backend := opts.BackendURL
	if backend == "" {
		dir, err := filepath.Abs(opts.WorkDir)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("tierzone fleet: state directory: %w", err)
		}
		backend = "file://" + filepath.ToSlash(dir)
	}
	out := opts.Progress
	if out == nil {
		out = io.Discard
	}
	return &fleet{opts: opts, plan: plan, backend: backend, out: &prefixer{w: out}}, nil
}

// runner creates or selects one stack of the fleet in its own workspace.
func (f *fleet) runner(ctx context.Context, stack, dir string, s landingzone.Settings) (*automation.Runner, error) {
	wd := filepath.Join(f.opts.WorkDir, dir)
	if err := os.MkdirAll(wd, 0o700); err != nil {
		return nil, fmt.Errorf("tierzone fleet: workspace of %s: %w", stack, err)
	}
	return automation.New(ctx, automation.Options{
		Stack: stack, WorkDir: wd, BackendURL: f.backend, SecretsProvider: f.opts.SecretsProvider,
		Catalog: f.opts.Catalog, Settings: s, EnvVars: f.opts.EnvVars, Command: f.opts.Command,
		Progress: f.out.stream(stack), PolicyPacks: f.opts.PolicyPacks, Parallel: f.opts.Parallel,
	})
}

// organization creates or selects the organization stack and refuses one
// whose state is of the single layout: it holds the customers' VPCs, which
// the organization scope would delete.
func (f *fleet) organization(ctx context.Context) (*automation.Runner, error) {
	r, _, state, err := f.organizationState(ctx)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, res := range state.Resources {
		if string(res.Type) == components.CustomerVPCType {
			n++
		}
	}
	if n > 0 {
		var l validation.List
		l.Add(fmt.Sprintf("stack %q", f.opts.Stack), "", "its state holds %d customer VPCs: it is a stack of the %s layout, and the %s layout's organization stack would delete them; "+
			"move it to the sharded layout with `tierzone migrate --stack %s` (nothing in AWS changes), or keep %s:%s at %s",
			n, landingzone.LayoutSingle, landingzone.LayoutSharded, f.opts.Stack, landingzone.ConfigNamespace, landingzone.KeyLayout, landingzone.LayoutSingle)
		return nil, l.ErrWith(landingzone.NothingChanged)
	}
	return r, nil
}

// organizationState creates or selects the organization stack and reads
// its state: as exported, and decoded.
func (f *fleet) organizationState(ctx context.Context) (*automation.Runner, apitype.UntypedDeployment, apitype.DeploymentV3, error) {
	var state apitype.DeploymentV3
	r, err := f.runner(ctx, f.opts.Stack, "organization", f.opts.Settings)
	if err != nil {
		return nil, apitype.UntypedDeployment{}, state, err
	}
	dep, err := r.Stack().Export(ctx)
	if err != nil {
		return nil, dep, state, fmt.Errorf("tierzone fleet: export %s: %w", f.opts.Stack, err)
	}
	if len(dep.Deployment) > 0 {
		if err := json.Unmarshal(dep.Deployment, &state); err != nil {
			return nil, dep, state, fmt.Errorf("tierzone fleet: read the state of %s: %w", f.opts.Stack, err)
		}
	}
	return r, dep, state, nil
}

// customerSettings are a customer stack's settings: the organization
// stack's narrowed to the customer (landingzone.CustomerStackSettings,
// what the manifests write too) with what the organization stack exported
// for it.
func (f *fleet) customerSettings(key string, out automation.CustomerOutputs) landingzone.Settings {
	tier := ""
	if i := slices.IndexFunc(f.opts.Catalog, func(c customers.Customer) bool { return c.Key == key }); i >= 0 {
		tier = f.opts.Catalog[i].Tier
	}
	return landingzone.CustomerStackSettings(f.opts.Settings, tier, landingzone.CustomerStackRef{Customer: key, AccountID: out.AccountID, ArchiveDestination: out.ArchiveDestination, SinkARN: out.SinkARN})
}

// selected are the customers this run covers, in catalog order.
func (f *fleet) selected() []string {
	if f.opts.Stacks == StacksOrganization {
		return nil
	}
	var out []string
	for _, c := range f.plan.Customers {
		if len(f.opts.Only) == 0 || slices.Contains(f.opts.Only, c.Customer.Key) {
			out = append(out, c.Customer.Key)
		}
	}
	return out
}

// timed runs one stack's operation and records it.
func timed(stack, customer string, op automation.Op, run func() (*automation.Result, error)) Result {
	start := time.Now()
	res, err := run()
	r := Result{Stack: stack, Customer: customer, Op: op, Err: err, Duration: time.Since(start)}
	if res != nil {
		r.Changes = res.Changes
	}
	return r
}

// eachCustomer runs fn for every key with at most ParallelStacks at once;
// results come back in the keys' order.
func (f *fleet) eachCustomer(keys []string, fn func(key string) Result) []Result {
	out := make([]Result, len(keys))
	sem := make(chan struct{}, f.opts.ParallelStacks)
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = fn(key)
		}()
	}
	wg.Wait()
	return out
}

// customerOp runs op on one customer's stack with the organization's
// outputs for it; with SkipUnchanged, a preview or up of a stack unchanged
// since its last clean run is not run again.
func (f *fleet) customerOp(ctx context.Context, op automation.Op, key string, outs map[string]automation.CustomerOutputs) Result {
	stack := CustomerStackName(f.opts.Stack, key)
	o, ok := outs[key]
	if !ok || o.AccountID == "" || o.ArchiveDestination == "" {
		return Result{Stack: stack, Customer: key, Op: op, Skipped: "its account does not exist yet: up the organization stack first"}
	}
	s := f.customerSettings(key, o)
	run := func() (*automation.Result, error) {
		r, err := f.runner(ctx, stack, filepath.Join("customers", key), s)
		if err != nil {
			return nil, err
		}
		return r.Run(ctx, op)
	}
	if !f.opts.SkipUnchanged || (op != automation.OpPreview && op != automation.OpUp) {
		// Refresh and destroy always run and record nothing.
		return timed(stack, key, op, run)
	}
	start := time.Now()
	inputs, err := f.customerInputs(key, s)
	var before string
	if err == nil {
		before, err = f.stateDigest(ctx, key, s)
	}
	if err != nil {
		return Result{Stack: stack, Customer: key, Op: op, Err: err, Duration: time.Since(start)}
	}
	if rec := f.lastCleanRun(key, inputs, before); rec != nil {
		return Result{Stack: stack, Customer: key, Op: op, Changes: maps.Clone(rec.Changes), Unchanged: rec, Duration: time.Since(start)}
	}
	res := timed(stack, key, op, run)
	if err := f.recordCleanRun(ctx, key, inputs, before, s, res); err != nil && res.Err == nil {
		res.Err = err
	}
	return res
}

// organizationOutputs reads what the organization stack exported per
// customer.
func organizationOutputs(ctx context.Context, org *automation.Runner) (map[string]automation.CustomerOutputs, error) {
	outs, err := org.Stack().Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("tierzone fleet: outputs of %s: %w", org.Stack().Name(), err)
	}
	return automation.ParseCustomers(outs)
}

// existingCustomerStacks are the customers that have a stack of this fleet
// in the backend.
func existingCustomerStacks(ctx context.Context, org *automation.Runner, stack string) ([]string, error) {
	list, err := org.Stack().Workspace().ListStacks(ctx)
	if err != nil {
		return nil, fmt.Errorf("tierzone fleet: list stacks: %w", err)
	}
	prefix := stackPart(CustomerStackName(stack, ""))
	var out []string
	for _, s := range list {
		if key, ok := strings.CutPrefix(stackPart(s.Name), prefix); ok && key != "" {
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out, nil
}

// finish returns the report, and an error wrapping ErrFailed when a stack
// failed.
func finish(rep *Report) (*Report, error) {
	var failed []string
	for _, r := range append([]Result{rep.Organization}, rep.Customers...) {
		if r.Err != nil {
			failed = append(failed, r.Stack+" ("+firstLine(r.Err.Error())+")")
		}
	}
	if len(failed) > 0 {
		return rep, fmt.Errorf("%w: %s", ErrFailed, strings.Join(failed, "; "))
	}
	return rep, nil
}
