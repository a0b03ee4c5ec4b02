package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/plan"
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

func runPlan(args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("plan")
	var sf stackFlags
	sf.register(fs)
	format := fs.String("format", "text", "output format: text (for people) or json (the machine contract, see docs/plan.md)")
	withCost := fs.Bool("cost", false, "add monthly cost, margins and the deployment-time estimate (JSON: cost, deployTime)")
	withControls := fs.Bool("controls", false, "add the per-customer control report: every control in place with its own frameworks' requirement ids and sources (JSON: controls)")
	projectTo := fs.Int("customers", 0, "with N > 0: also project the catalog's tier mix to N customers and print the progression table beside the planning reports' figures (implies --cost)")
	const synopsis = "[--stack NAME] [--catalog FILE] [--format text|json] [--cost] [--controls] [--customers N] [--dir DIR]"
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return helpIsOK(err)
	}
	if *format != "text" && *format != "json" {
		return &usageError{cmd: "plan", msg: fmt.Sprintf("--format %q: want text or json", *format), usage: flagUsage(fs, synopsis)}
	}
	if *projectTo < 0 {
		return &usageError{cmd: "plan", msg: fmt.Sprintf("--customers %d: want a positive number of customers", *projectTo), usage: flagUsage(fs, synopsis)}
	}
	in, err := sf.load()
	if err != nil {
		return err
	}
	rep, err := plan.BuildWith(in.stack, in.cfg, in.catalog, plan.Options{Cost: *withCost, Customers: *projectTo, Controls: *withControls})
	if err != nil {
		return err
	}
	// Render fully before writing, so a failure leaves stdout empty.
	var out bytes.Buffer
	if *format == "json" {
		err = rep.WriteJSON(&out)
	} else {
		err = rep.WriteText(&out)
	}
	if err != nil {
		return err
	}
	_, err = stdout.Write(out.Bytes())
	return err
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
