package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/fleet"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/plan"
)

// runPreview, runUp, runDestroy and runRefresh run the landing zone through
// the Automation API (package automation) on a real stack: they need the
// pulumi CLI, AWS credentials for the management account and, with the
// default passphrase secrets, PULUMI_CONFIG_PASSPHRASE.
func runPreview(args []string, stdout, stderr io.Writer) error {
	return runDeploy(automation.OpPreview, args, stdout, stderr)
}

func runUp(args []string, stdout, stderr io.Writer) error {
	return runDeploy(automation.OpUp, args, stdout, stderr)
}

func runDestroy(args []string, stdout, stderr io.Writer) error {
	return runDeploy(automation.OpDestroy, args, stdout, stderr)
}

func runRefresh(args []string, stdout, stderr io.Writer) error {
	return runDeploy(automation.OpRefresh, args, stdout, stderr)
}

// noPolicyPack turns the default policy pack off.
const noPolicyPack = "none"

// deployFlags are the flags of the commands that run stacks.
type deployFlags struct {
	stack, dir, workDir, backend, catalog, policyPack, only, stacks string
	parallelStacks                                                  int
	skipUnchanged                                                   bool
}

const deploySynopsis = "--stack NAME [--dir DIR] [--work-dir DIR] [--backend URL] [--catalog FILE] [--policy-pack DIR|none] [--parallel-stacks N] [--customers a,b] [--stacks all|organization|customers] [--skip-unchanged=false]"

func (f *deployFlags) register(fs *flag.FlagSet, customers bool) {
	fs.StringVar(&f.stack, "stack", "", "stack to run (required); its settings come from Pulumi.<stack>.yaml")
	fs.StringVar(&f.dir, "dir", "", "project directory holding Pulumi.yaml and the stack files (default: walk up from the working directory)")
	fs.StringVar(&f.workDir, "work-dir", "", "directory for the Automation API workspace and, without --backend, the state (default: ~/.tierzone/<stack>)")
	fs.StringVar(&f.backend, "backend", "", "state backend URL, e.g. s3://bucket/tierzone or https://api.pulumi.com (default: file://<work-dir>)")
	fs.StringVar(&f.catalog, "catalog", "", "YAML or JSON file {\"customers\": [...]} to deploy instead of the built-in catalog (all its customers)")
	fs.StringVar(&f.policyPack, "policy-pack", "", "policy pack directory or executable run with preview and up (default: <dir>/policy; \"none\" runs none)")
	fs.IntVar(&f.parallelStacks, "parallel-stacks", 0, fmt.Sprintf("sharded layout: customer stacks run at once (default %d on this machine)", fleet.DefaultParallelStacks()))
	if customers {
		fs.StringVar(&f.only, "customers", "", "sharded layout: comma-separated customer keys whose stacks run (the organization stack always runs)")
		fs.StringVar(&f.stacks, "stacks", "", "sharded layout: all (default), organization (that stack alone), or customers (preview and refresh: the customer stacks alone, with the organization stack's outputs)")
		fs.BoolVar(&f.skipUnchanged, "skip-unchanged", true, "sharded layout, preview and up: do not run again a customer stack whose inputs and state are those of its last clean run in --work-dir (false: run every one)")
	}
}

// deployInput is what the flags name, loaded.
type deployInput struct {
	catalog  []customers.Customer
	settings landingzone.Settings
	workDir  string
	packs    []string
	only     []string
}

// load reads the stack's settings and the catalog, and prepares the work
// directory.
func (f *deployFlags) load() (*deployInput, error) {
	projectDir := f.dir
	if projectDir == "" {
		d, err := plan.FindProjectDir(".")
		if err != nil {
			return nil, err
		}
		projectDir = d
	}
	cfg, err := plan.LoadStack(projectDir, f.stack)
	if err != nil {
		return nil, err
	}
	in := &deployInput{catalog: customers.Catalog()}
	if f.catalog != "" {
		if in.catalog, err = plan.ReadCatalog(f.catalog); err != nil {
			return nil, err
		}
		cfg = plan.UseCatalogFile(cfg)
	}
	if in.settings, err = automation.SettingsFromConfigMap(cfg); err != nil {
		return nil, err
	}
	in.workDir = f.workDir
	if in.workDir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("default --work-dir: %w", err)
		}
		in.workDir = filepath.Join(home, ".tierzone", f.stack)
	}
	if err := os.MkdirAll(in.workDir, 0o700); err != nil {
		return nil, fmt.Errorf("--work-dir: %w", err)
	}
	switch f.policyPack {
	case noPolicyPack:
	case "":
		if p := filepath.Join(projectDir, "policy"); fileExists(filepath.Join(p, "PulumiPolicy.yaml")) {
			in.packs = []string{p}
		}
	default:
		p, err := filepath.Abs(f.policyPack)
		if err != nil {
			return nil, fmt.Errorf("--policy-pack: %w", err)
		}
		in.packs = []string{p}
	}
	for _, k := range strings.Split(f.only, ",") {
		if k = strings.TrimSpace(k); k != "" {
			in.only = append(in.only, k)
		}
	}
	return in, nil
}

// fleetOptions are the options of the sharded fleet the flags name.
func (f *deployFlags) fleetOptions(in *deployInput, progress io.Writer) fleet.Options {
	return fleet.Options{
		Stack: f.stack, WorkDir: in.workDir, BackendURL: f.backend, Catalog: in.catalog, Settings: in.settings,
		Progress: progress, PolicyPacks: in.packs, ParallelStacks: f.parallelStacks, Only: in.only, Stacks: f.stacks,
		SkipUnchanged: f.skipUnchanged,
	}
}

func runDeploy(op automation.Op, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(string(op))
	var f deployFlags
	f.register(fs, true)
	if err := parseFlags(fs, deploySynopsis, args, stdout); err != nil {
		return helpIsOK(err)
	}
	if f.stack == "" {
		return &usageError{cmd: string(op), msg: "--stack is required", usage: flagUsage(fs, deploySynopsis)}
	}
	in, err := f.load()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if in.settings.Sharded() {
		rep, err := fleet.Run(ctx, op, f.fleetOptions(in, stderr))
		if rep != nil {
			rep.WriteTable(stdout)
		}
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if f.only != "" || f.parallelStacks != 0 || f.stacks != "" || set["skip-unchanged"] {
		return &usageError{cmd: string(op), msg: fmt.Sprintf("--customers, --stacks, --parallel-stacks and --skip-unchanged need a stack of the %s layout; %s is %s", landingzone.LayoutSharded, f.stack, in.settings.Layout), usage: flagUsage(fs, deploySynopsis)}
	}
	res, err := automation.Run(ctx, op, automation.Options{
		Stack:       f.stack,
		WorkDir:     in.workDir,
		BackendURL:  f.backend,
		Catalog:     in.catalog,
		Settings:    in.settings,
		Progress:    stderr,
		PolicyPacks: in.packs,
	})
	if err != nil {
		return err
	}
	writeResult(stdout, res)
	return nil
}

// runMigrate moves a stack deployed in the single layout to the sharded
// layout (fleet.Migrate): set tierzone:layout to sharded in its stack file
// first; AWS is not called.
func runMigrate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate")
	var f deployFlags
	f.register(fs, false)
	const synopsis = "--stack NAME [--dir DIR] [--work-dir DIR] [--backend URL] [--catalog FILE] [--policy-pack DIR|none] [--parallel-stacks N]"
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return helpIsOK(err)
	}
	if f.stack == "" {
		return &usageError{cmd: "migrate", msg: "--stack is required", usage: flagUsage(fs, synopsis)}
	}
	in, err := f.load()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m, err := fleet.Migrate(ctx, f.fleetOptions(in, stderr))
	if m != nil {
		writeMigration(stdout, f.stack, m)
	}
	return err
}

// writeMigration prints what a migration moved and its verifying preview.
func writeMigration(w io.Writer, stack string, m *fleet.Migration) {
	if m.Backup == "" {
		fmt.Fprintf(w, "stack %s holds no customer VPC: nothing to migrate\n", stack)
		return
	}
	fmt.Fprintf(w, "migrated stack %s to the sharded layout: organization stack %d resources, %d customer stacks; the state before is in %s\n",
		stack, m.Organization, len(m.Customers), m.Backup)
	if m.Verify != nil {
		fmt.Fprintln(w, "preview after the migration (every stack should change nothing):")
		m.Verify.WriteTable(w)
	}
}

// writeResult prints the change summary and, after up and refresh, each
// customer's ids.
func writeResult(w io.Writer, res *automation.Result) {
	fmt.Fprintf(w, "%s of stack %s:", res.Op, res.Stack)
	kinds := make([]string, 0, len(res.Changes))
	for k := range res.Changes {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, " %s %d", k, res.Changes[k])
	}
	fmt.Fprintln(w)
	keys := make([]string, 0, len(res.Customers))
	for k := range res.Customers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c := res.Customers[k]
		fmt.Fprintf(w, "  %-22s %-12s account %s  ou %s  vpc %s  public %v  private %v\n",
			k, c.Tier, c.AccountID, c.OUID, c.VPCID, c.PublicSubnetIDs, c.PrivateSubnetIDs)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
