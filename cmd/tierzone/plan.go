package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/plan"
	"github.com/tierzone/tierzone/report"
	"github.com/tierzone/tierzone/validation"
)

// DefaultStack is the stack plan and validate read when --stack is not given.
const DefaultStack = "prod"

// stackFlags are the flags that choose the stack and the catalog.
type stackFlags struct {
	stack   string
	catalog string
	dir     string
}

func (f *stackFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.stack, "stack", DefaultStack, "stack whose settings to use: reads Pulumi.<stack>.yaml")
	fs.StringVar(&f.catalog, "catalog", "", "YAML or JSON file {\"customers\": [...]} to plan instead of the built-in catalog (all its customers)")
	fs.StringVar(&f.dir, "dir", "", "project directory holding Pulumi.yaml and the stack files (default: walk up from the working directory)")
}

// input is what a command runs the program with.
type input struct {
	stack   string
	cfg     map[string]string
	catalog []customers.Customer
}

// load reads the stack settings and the catalog the flags name.
func (f *stackFlags) load() (input, error) {
	dir := f.dir
	if dir == "" {
		d, err := plan.FindProjectDir(".")
		if err != nil {
			return input{}, err
		}
		dir = d
	}
	cfg, err := plan.LoadStack(dir, f.stack)
	if err != nil {
		return input{}, err
	}
	catalog := customers.Catalog()
	if f.catalog != "" {
		catalog, err = plan.ReadCatalog(f.catalog)
		cfg = plan.UseCatalogFile(cfg)
		var ve *validation.Error
		if errors.As(err, &ve) && len(catalog) > 0 {
			// Report the file's problems together with everything the
			// entries it could read and the stack settings get wrong.
			_, more := plan.Validate(cfg, catalog)
			var l validation.List
			l.Merge(ve)
			l.Merge(more)
			return input{}, l.Err()
		}
		if err != nil {
			return input{}, err
		}
	}
	return input{stack: f.stack, cfg: cfg, catalog: catalog}, nil
}

// Output formats of `tierzone plan`.
const (
	formatText    = "text"
	formatJSON    = "json"
	formatHTML    = "html"
	formatSummary = "summary"
)

// htmlProgression is the projection --format html uses when --customers is
// not given: the seeds' largest count, so the progression is the seeds'.
const htmlProgression = 100

func runPlan(args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("plan")
	var sf stackFlags
	sf.register(fs)
	format := fs.String("format", formatText, "output format: text (for people), json (the machine contract, see docs/plan.md), html (one self-contained page: OU tree, customers, cost, timeline, control matrix; implies --cost --controls) or summary (markdown for a pull-request comment; implies --cost --controls)")
	withCost := fs.Bool("cost", false, "add monthly cost, margins and the deployment-time estimate (JSON: cost, deployTime)")
	withControls := fs.Bool("controls", false, "add the per-customer control report: every control in place with its own frameworks' requirement ids and sources (JSON: controls)")
	projectTo := fs.Int("customers", 0, "with N > 0: also project the catalog's tier mix to N customers and print the progression table beside the planning reports' figures (implies --cost; html: 100 unless given)")
	against := fs.String("against", "", "with --format html or summary: compare with another plan and show what this one adds, changes and removes; a stack name (its settings, the same catalog), a catalog file, or a plan JSON file from `tierzone plan --format json --cost --controls`")
	const synopsis = "[--stack NAME] [--catalog FILE] [--format text|json|html|summary] [--against STACK|CATALOG|PLAN.json] [--cost] [--controls] [--customers N] [--dir DIR]"
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return helpIsOK(err)
	}
	switch *format {
	case formatText, formatJSON, formatHTML, formatSummary:
	default:
		return &usageError{cmd: "plan", msg: fmt.Sprintf("--format %q: want text, json, html or summary", *format), usage: flagUsage(fs, synopsis)}
	}
	if *projectTo < 0 {
		return &usageError{cmd: "plan", msg: fmt.Sprintf("--customers %d: want a positive number of customers", *projectTo), usage: flagUsage(fs, synopsis)}
	}
	if *against != "" && *format != formatHTML && *format != formatSummary {
		return &usageError{cmd: "plan", msg: "--against needs --format html or summary", usage: flagUsage(fs, synopsis)}
	}
	opts := plan.Options{Cost: *withCost, Customers: *projectTo, Controls: *withControls}
	switch *format {
	case formatHTML:
		opts.Cost, opts.Controls = true, true
		if opts.Customers == 0 {
			opts.Customers = htmlProgression
		}
	case formatSummary:
		opts.Cost, opts.Controls = true, true
	}
	in, err := sf.load()
	if err != nil {
		return err
	}
	rep, err := plan.BuildWith(in.stack, in.cfg, in.catalog, opts)
	if err != nil {
		return err
	}
	var diff *report.Diff
	if *against != "" {
		// The base needs no progression: the diff compares totals.
		base, err := sf.against(*against, plan.Options{Cost: true, Controls: true})
		if err != nil {
			var ue *usageError
			if errors.As(err, &ue) {
				ue.usage = flagUsage(fs, synopsis)
			}
			return err
		}
		diff = report.Compare(*against, base, rep)
	}
	if *format == formatJSON {
		// The report is complete and valid here; JSON rendering cannot
		// fail but for a write error, so it streams straight to stdout
		// (at fleet scale the document is hundreds of megabytes).
		return rep.WriteJSON(stdout)
	}
	// Render fully before writing, so a failure leaves stdout empty.
	var out bytes.Buffer
	switch *format {
	case formatHTML:
		err = report.WriteHTML(&out, rep, diff)
	case formatSummary:
		err = report.WriteSummary(&out, rep, diff)
	default:
		err = rep.WriteText(&out)
	}
	if err != nil {
		return err
	}
	_, err = stdout.Write(out.Bytes())
	return err
}

// runReport is `tierzone plan --format html`.
func runReport(args []string, stdout, stderr io.Writer) error {
	return runPlan(append([]string{"--format", formatHTML}, args...), stdout, stderr)
}

// against builds the plan to compare with: a plan JSON file as written, a
// catalog file in this stack's settings, or another stack's settings with
// this catalog.
func (f *stackFlags) against(value string, opts plan.Options) (*plan.Report, error) {
	if raw, err := os.ReadFile(value); err == nil {
		rep, ok, err := plan.DecodeReport(raw)
		if ok {
			if err != nil {
				return nil, fmt.Errorf("--against %s: %w", value, err)
			}
			return rep, nil
		}
		other := *f
		other.catalog = value
		in, err := other.load()
		if err != nil {
			return nil, fmt.Errorf("--against %s: %w", value, err)
		}
		return plan.BuildWith(in.stack, in.cfg, in.catalog, opts)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--against %s: %w", value, err)
	}
	dir := f.dir
	if dir == "" {
		d, err := plan.FindProjectDir(".")
		if err != nil {
			return nil, err
		}
		dir = d
	}
	if !slices.Contains(plan.Stacks(dir), value) {
		return nil, &usageError{cmd: "plan", msg: fmt.Sprintf("--against %q: no such file, and no stack %q in %s (stacks: %s)", value, value, dir, strings.Join(plan.Stacks(dir), ", "))}
	}
	other := *f
	other.stack = value
	in, err := other.load()
	if err != nil {
		return nil, fmt.Errorf("--against %s: %w", value, err)
	}
	return plan.BuildWith(in.stack, in.cfg, in.catalog, opts)
}

func runValidate(args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("validate")
	var sf stackFlags
	sf.register(fs)
	const synopsis = "[--stack NAME] [--catalog FILE] [--dir DIR]"
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return helpIsOK(err)
	}
	in, err := sf.load()
	if err != nil {
		return err
	}
	p, err := plan.Validate(in.cfg, in.catalog)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: stack %s is valid: %d customers in %d tier OUs, %d customers in the catalog checked (nothing registered)\n",
		in.stack, len(p.Customers), len(p.Tiers), len(in.catalog))
	return nil
}

// helpIsOK turns a served -h into success.
func helpIsOK(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}
