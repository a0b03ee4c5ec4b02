package main

import (
	"context"
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

func runDeploy(op automation.Op, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(string(op))
	stack := fs.String("stack", "", "stack to run (required); its settings come from Pulumi.<stack>.yaml")
	dir := fs.String("dir", "", "project directory holding Pulumi.yaml and the stack files (default: walk up from the working directory)")
	workDir := fs.String("work-dir", "", "directory for the Automation API workspace and, without --backend, the state (default: ~/.tierzone/<stack>)")
	backend := fs.String("backend", "", "state backend URL, e.g. s3://bucket/tierzone or https://api.pulumi.com (default: file://<work-dir>)")
	catalogFile := fs.String("catalog", "", "YAML or JSON file {\"customers\": [...]} to deploy instead of the built-in catalog (all its customers)")
	policyPack := fs.String("policy-pack", "", "policy pack directory or executable run with preview and up (default: <dir>/policy; \"none\" runs none)")
	parallelStacks := fs.Int("parallel-stacks", 0, fmt.Sprintf("sharded layout: customer stacks run at once (default %d on this machine)", fleet.DefaultParallelStacks()))
	only := fs.String("customers", "", "sharded layout: comma-separated customer keys whose stacks run (the organization stack always runs)")
	const synopsis = "--stack NAME [--dir DIR] [--work-dir DIR] [--backend URL] [--catalog FILE] [--policy-pack DIR|none] [--parallel-stacks N] [--customers a,b]"
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return helpIsOK(err)
	}
	if *stack == "" {
		return &usageError{cmd: string(op), msg: "--stack is required", usage: flagUsage(fs, synopsis)}
	}

	projectDir := *dir
	if projectDir == "" {
		d, err := plan.FindProjectDir(".")
		if err != nil {
			return err
		}
		projectDir = d
	}
	cfg, err := plan.LoadStack(projectDir, *stack)
	if err != nil {
		return err
	}
	catalog := customers.Catalog()
	if *catalogFile != "" {
		if catalog, err = plan.ReadCatalog(*catalogFile); err != nil {
			return err
		}
		cfg = plan.UseCatalogFile(cfg)
	}
	settings, err := automation.SettingsFromConfigMap(cfg)
	if err != nil {
		return err
	}

	wd := *workDir
	if wd == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return fmt.Errorf("default --work-dir: %w", err)
		}
		wd = filepath.Join(home, ".tierzone", *stack)
	}
	if err := os.MkdirAll(wd, 0o700); err != nil {
		return fmt.Errorf("--work-dir: %w", err)
	}

	var packs []string
	switch *policyPack {
	case noPolicyPack:
	case "":
		if p := filepath.Join(projectDir, "policy"); fileExists(filepath.Join(p, "PulumiPolicy.yaml")) {
			packs = []string{p}
		}
	default:
		p, err := filepath.Abs(*policyPack)
		if err != nil {
			return fmt.Errorf("--policy-pack: %w", err)
		}
		packs = []string{p}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if settings.Sharded() {
		var keys []string
		for _, k := range strings.Split(*only, ",") {
			if k = strings.TrimSpace(k); k != "" {
				keys = append(keys, k)
			}
		}
		rep, err := fleet.Run(ctx, op, fleet.Options{
			Stack: *stack, WorkDir: wd, BackendURL: *backend, Catalog: catalog, Settings: settings,
			Progress: stderr, PolicyPacks: packs, ParallelStacks: *parallelStacks, Only: keys,
		})
		if rep != nil {
			rep.WriteTable(stdout)
		}
		return err
	}
	if *only != "" || *parallelStacks != 0 {
		return &usageError{cmd: string(op), msg: fmt.Sprintf("--customers and --parallel-stacks need a stack of the %s layout; %s is %s", landingzone.LayoutSharded, *stack, settings.Layout), usage: flagUsage(fs, synopsis)}
	}
	res, err := automation.Run(ctx, op, automation.Options{
		Stack:       *stack,
		WorkDir:     wd,
		BackendURL:  *backend,
		Catalog:     catalog,
		Settings:    settings,
		Progress:    stderr,
		PolicyPacks: packs,
	})
	if err != nil {
		return err
	}
	writeResult(stdout, res)
	return nil
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
