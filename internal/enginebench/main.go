// Command enginebench measures Tierzone under the real Pulumi engine with
// the test-double AWS provider: for each fleet size and layout, a full `up`
// of generated customers, a no-change preview after it (and, sharded, a
// second one, which skips the customer stacks unchanged since the first:
// fleet.Options.SkipUnchanged, the CLI's default) and the `up` that
// onboards one more customer, with the wall time of each, the peak memory
// of the engines and their plugins (this process's tree), and the provider
// plugin processes started and alive at once. The single layout is one
// stack; the sharded layout is the organization stack plus one stack per
// customer run by package fleet (onboarding: `--customers <newcomer>`).
//
//	go run ./internal/enginebench -customers 10,50,100 -layout single,sharded
//
// scripts/engine-bench runs it. It needs the CLI scripts/pulumi-cli builds.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/fleet"
	"github.com/tierzone/tierzone/internal/enginetest"
	"github.com/tierzone/tierzone/landingzone"
)

func main() {
	sizes := flag.String("customers", "10,50,100", "comma-separated fleet sizes")
	keep := flag.Bool("keep", false, "keep each run's directory (state, fake cloud) and print it")
	verbose := flag.Bool("progress", false, "stream the engine's progress to stderr")
	layouts := flag.String("layout", "single,sharded", "comma-separated layouts to measure: single, sharded")
	parallelStacks := flag.Int("parallel-stacks", 0, "sharded layout: customer stacks at once (0: fleet.DefaultParallelStacks())")
	flag.Parse()
	if err := run(config{sizes: *sizes, layouts: *layouts, parallelStacks: *parallelStacks, keep: *keep, verbose: *verbose}, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "enginebench:", err)
		os.Exit(1)
	}
}

// config is what to measure.
type config struct {
	sizes, layouts string
	parallelStacks int
	keep, verbose  bool
}

// figures are one fleet size's measurements in one layout.
type figures struct {
	layout                       string
	customers, resources, stacks int
	up, noChange, onboard        time.Duration
	// again is the sharded layout's second no-change preview; 0 for single.
	again                         time.Duration
	peakRSS                       int64
	pluginsStarted, pluginsAtOnce int
}

func run(c config, out io.Writer) error {
	var layouts []string
	for _, l := range strings.Split(c.layouts, ",") {
		switch l = strings.TrimSpace(l); l {
		case landingzone.LayoutSingle, landingzone.LayoutSharded:
			layouts = append(layouts, l)
		default:
			return fmt.Errorf("-layout: %q is not single or sharded", l)
		}
	}
	if c.parallelStacks <= 0 {
		c.parallelStacks = fleet.DefaultParallelStacks()
	}
	var ns []int
	for _, f := range strings.Split(c.sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-customers: %q is not a fleet size", f)
		}
		ns = append(ns, n)
	}
	toolDir, err := os.MkdirTemp("", "tierzone-enginebench-tools-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(toolDir)
	tools, err := enginetest.Build(toolDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "| layout | customers | resources | stacks | `up` | no-change preview | again, unchanged stacks skipped | onboarding `up` | plugin processes started | at once | peak RSS, engines + plugins |\n")
	fmt.Fprintf(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range ns {
		for _, layout := range layouts {
			f, dir, err := measure(tools, layout, n, c)
			if err != nil {
				return fmt.Errorf("%s layout, %d customers: %w", layout, n, err)
			}
			name := layout
			if layout == landingzone.LayoutSharded {
				name = fmt.Sprintf("sharded (%d at once)", c.parallelStacks)
			}
			again := "-"
			if f.again > 0 {
				again = f.again.Round(100 * time.Millisecond).String()
			}
			fmt.Fprintf(out, "| %s | %d | %d | %d | %s | %s | %s | %s | %d | %d | %d MB |\n", name, f.customers, f.resources, f.stacks,
				f.up.Round(100*time.Millisecond), f.noChange.Round(100*time.Millisecond), again, f.onboard.Round(100*time.Millisecond),
				f.pluginsStarted, f.pluginsAtOnce, f.peakRSS>>20)
			if c.keep {
				fmt.Fprintf(os.Stderr, "enginebench: %s %d customers kept in %s\n", layout, n, dir)
			} else {
				os.RemoveAll(dir)
			}
		}
	}
	return nil
}

// world is one measured fleet: its directory, settings and catalog.
type world struct {
	dir      string
	settings landingzone.Settings
	catalog  []customers.Customer
	env      map[string]string
	tools    *enginetest.Tools
	c        config
}

// withCustomers is the settings deploying the catalog's first n customers.
func (w *world) withCustomers(n int) landingzone.Settings {
	s := w.settings
	s.Customers = nil
	for _, c := range w.catalog[:n] {
		s.Customers = append(s.Customers, c.Key)
	}
	return s
}

func (w *world) progress() io.Writer {
	if w.c.verbose {
		return os.Stderr
	}
	return nil
}

func measure(tools *enginetest.Tools, layout string, n int, c config) (figures, string, error) {
	f := figures{layout: layout, customers: n}
	dir, err := os.MkdirTemp("", fmt.Sprintf("tierzone-enginebench-%s-%d-", layout, n))
	if err != nil {
		return f, "", err
	}
	for _, d := range []string{"cloud", "work"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return f, dir, err
		}
	}
	if err := enginetest.SeedSecurityAccount(filepath.Join(dir, "cloud")); err != nil {
		return f, dir, err
	}
	settings, err := enginetest.Settings(tools.Root, "dev")
	if err != nil {
		return f, dir, err
	}
	settings.Layout = layout
	// One more than measured: the last one is onboarded.
	catalog, err := cost.ScaleCatalog(customers.Catalog(), n+1)
	if err != nil {
		return f, dir, err
	}
	w := &world{dir: dir, settings: settings, catalog: catalog, tools: tools, c: c,
		env: tools.Env(filepath.Join(dir, "cloud"), filepath.Join(dir, "pulumi-home"))}
	s := startSampler()
	if layout == landingzone.LayoutSharded {
		err = w.sharded(&f, n)
	} else {
		err = w.single(&f, n)
	}
	f.peakRSS, f.pluginsStarted, f.pluginsAtOnce = s.stop()
	return f, dir, err
}

// single measures one stack.
func (w *world) single(f *figures, n int) error {
	ctx := context.Background()
	opts := func(keys int) automation.Options {
		return automation.Options{
			Stack: "bench", WorkDir: filepath.Join(w.dir, "work"), Catalog: w.catalog, Settings: w.withCustomers(keys),
			EnvVars: w.env, Command: w.tools.CLI, Progress: w.progress(),
		}
	}
	f.stacks = 1
	r, err := automation.New(ctx, opts(n))
	if err != nil {
		return err
	}
	start := time.Now()
	up, err := r.Up(ctx)
	f.up = time.Since(start)
	if err != nil {
		return err
	}
	for _, v := range up.Changes {
		f.resources += v
	}
	start = time.Now()
	pre, err := r.Preview(ctx)
	f.noChange = time.Since(start)
	if err != nil {
		return err
	}
	if c := fleet.Changes(pre.Changes); c != 0 {
		return fmt.Errorf("no-change preview plans %d changes: %v", c, pre.Changes)
	}
	if r, err = automation.New(ctx, opts(n+1)); err != nil {
		return err
	}
	start = time.Now()
	_, err = r.Up(ctx)
	f.onboard = time.Since(start)
	return err
}

// sharded measures the organization stack and one stack per customer.
func (w *world) sharded(f *figures, n int) error {
	ctx := context.Background()
	run := func(op automation.Op, keys int, only ...string) (*fleet.Report, time.Duration, error) {
		start := time.Now()
		rep, err := fleet.Run(ctx, op, fleet.Options{
			Stack: "bench", WorkDir: filepath.Join(w.dir, "work"), Catalog: w.catalog, Settings: w.withCustomers(keys),
			EnvVars: w.env, Command: w.tools.CLI, Progress: w.progress(), ParallelStacks: w.c.parallelStacks, Only: only,
			SkipUnchanged: true,
		})
		return rep, time.Since(start), err
	}
	rep, d, err := run(automation.OpUp, n)
	f.up = d
	if err != nil {
		return err
	}
	for _, r := range append([]fleet.Result{rep.Organization}, rep.Customers...) {
		f.stacks++
		for _, v := range r.Changes {
			f.resources += v
		}
	}
	// The first preview runs every stack (the up created everything, so
	// no stack has a clean run yet) and records each; the second runs the
	// organization stack and skips the customer stacks.
	for i, d := range []*time.Duration{&f.noChange, &f.again} {
		if rep, *d, err = run(automation.OpPreview, n); err != nil {
			return err
		}
		for _, r := range append([]fleet.Result{rep.Organization}, rep.Customers...) {
			if c := fleet.Changes(r.Changes); c != 0 || !r.OK() {
				return fmt.Errorf("no-change preview of %s plans %d changes: %v %s", r.Stack, c, r.Changes, r.Skipped)
			}
			if (r.Unchanged != nil) != (i == 1 && r.Customer != "") {
				return fmt.Errorf("no-change preview %d of %s: unchanged %v", i+1, r.Stack, r.Unchanged != nil)
			}
		}
	}
	_, f.onboard, err = run(automation.OpUp, n+1, w.catalog[n].Key)
	return err
}
