// Command enginebench measures Tierzone under the real Pulumi engine with
// the test-double AWS provider: for each fleet size, a full `up` of
// generated customers, a no-change preview after it and a preview that
// onboards one more customer, with the wall time of each, the peak memory
// of the engine and its plugins (the pulumi CLI's process tree), and the
// provider plugin processes started and alive at once.
//
//	go run ./internal/enginebench -customers 10,50,100
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
	"github.com/tierzone/tierzone/internal/enginetest"
)

func main() {
	sizes := flag.String("customers", "10,50,100", "comma-separated fleet sizes")
	keep := flag.Bool("keep", false, "keep each run's directory (state, fake cloud) and print it")
	verbose := flag.Bool("progress", false, "stream the engine's progress to stderr")
	flag.Parse()
	if err := run(*sizes, *keep, *verbose, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "enginebench:", err)
		os.Exit(1)
	}
}

// figures are one fleet size's measurements.
type figures struct {
	customers, resources          int
	up, noChange, onboard         time.Duration
	peakRSS                       int64
	pluginsStarted, pluginsAtOnce int
}

func run(sizes string, keep, verbose bool, out io.Writer) error {
	var ns []int
	for _, f := range strings.Split(sizes, ",") {
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
	fmt.Fprintf(out, "| customers | resources | `up` | no-change preview | onboarding preview | plugin processes started | at once | peak RSS, engine + plugins |\n")
	fmt.Fprintf(out, "|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range ns {
		f, dir, err := measure(tools, n, verbose)
		if err != nil {
			return fmt.Errorf("%d customers: %w", n, err)
		}
		fmt.Fprintf(out, "| %d | %d | %s | %s | %s | %d | %d | %d MB |\n", f.customers, f.resources,
			f.up.Round(100*time.Millisecond), f.noChange.Round(100*time.Millisecond), f.onboard.Round(100*time.Millisecond),
			f.pluginsStarted, f.pluginsAtOnce, f.peakRSS>>20)
		if keep {
			fmt.Fprintf(os.Stderr, "enginebench: %d customers kept in %s\n", n, dir)
		} else {
			os.RemoveAll(dir)
		}
	}
	return nil
}

func measure(tools *enginetest.Tools, n int, verbose bool) (figures, string, error) {
	f := figures{customers: n}
	dir, err := os.MkdirTemp("", fmt.Sprintf("tierzone-enginebench-%d-", n))
	if err != nil {
		return f, "", err
	}
	for _, d := range []string{"cloud", "work"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return f, dir, err
		}
	}
	settings, err := enginetest.Settings(tools.Root, "dev")
	if err != nil {
		return f, dir, err
	}
	// One more than measured: the last one is onboarded by the preview.
	catalog, err := cost.ScaleCatalog(customers.Catalog(), n+1)
	if err != nil {
		return f, dir, err
	}
	opts := func(keys int) automation.Options {
		s := settings
		s.Customers = nil
		for _, c := range catalog[:keys] {
			s.Customers = append(s.Customers, c.Key)
		}
		o := automation.Options{
			Stack: "bench", WorkDir: filepath.Join(dir, "work"), Catalog: catalog, Settings: s,
			EnvVars: tools.Env(filepath.Join(dir, "cloud"), filepath.Join(dir, "pulumi-home")),
			Command: tools.CLI,
		}
		if verbose {
			o.Progress = os.Stderr
		}
		return o
	}
	ctx := context.Background()
	r, err := automation.New(ctx, opts(n))
	if err != nil {
		return f, dir, err
	}
	s := startSampler()
	start := time.Now()
	up, err := r.Up(ctx)
	f.up = time.Since(start)
	f.peakRSS, f.pluginsStarted, f.pluginsAtOnce = s.stop()
	if err != nil {
		return f, dir, err
	}
	for _, v := range up.Changes {
		f.resources += v
	}

	start = time.Now()
	pre, err := r.Preview(ctx)
	f.noChange = time.Since(start)
	if err != nil {
		return f, dir, err
	}
	if c := changes(pre); c != 0 {
		return f, dir, fmt.Errorf("no-change preview plans %d changes: %v", c, pre.Changes)
	}

	r, err = automation.New(ctx, opts(n+1))
	if err != nil {
		return f, dir, err
	}
	start = time.Now()
	_, err = r.Preview(ctx)
	f.onboard = time.Since(start)
	return f, dir, err
}

func changes(res *automation.Result) int {
	n := 0
	for k, v := range res.Changes {
		// The stack reference to itself is read on every run.
		if k != "same" && k != "read" {
			n += v
		}
	}
	return n
}
