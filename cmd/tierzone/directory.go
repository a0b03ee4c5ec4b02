package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/directory"
	"github.com/tierzone/tierzone/plan"
	"github.com/tierzone/tierzone/tiers"
)

// runDirectory is `tierzone directory`: every customer of a stack in one
// table, JSON or CSV, filtered by tier and searched, with the account ids
// of a deployed stack from its outputs.
func runDirectory(args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("directory")
	var sf stackFlags
	sf.register(fs)
	tier := fs.String("tier", "", "only the customers of this tier key ("+strings.Join(tiers.Keys(), ", ")+")")
	search := fs.String("search", "", "only the customers whose key, name, e-mail, VPC CIDR or account id contains TEXT (case-insensitive)")
	format := fs.String("format", "table", "output format: "+strings.Join(directory.Formats(), ", "))
	outputs := fs.String("outputs", "", "the stack's outputs, as `pulumi stack output --json --show-secrets` prints them (a file, or - for stdin): the deployed account ids; without it every account is pending")
	const synopsis = "[--stack NAME] [--catalog FILE] [--tier KEY] [--search TEXT] [--format table|json|csv] [--outputs FILE|-] [--dir DIR]"
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return helpIsOK(err)
	}
	var problems []string
	if !slices.Contains(directory.Formats(), *format) {
		problems = append(problems, fmt.Sprintf("--format %q: want one of %s", *format, strings.Join(directory.Formats(), ", ")))
	}
	if *tier != "" && !slices.Contains(tiers.Keys(), *tier) {
		problems = append(problems, fmt.Sprintf("--tier %q: want one of %s", *tier, strings.Join(tiers.Keys(), ", ")))
	}
	if len(problems) > 0 {
		return &usageError{cmd: "directory", msg: strings.Join(problems, "; "), usage: flagUsage(fs, synopsis)}
	}
	accounts, err := readAccounts(*outputs)
	if err != nil {
		return err
	}
	in, err := sf.load()
	if err != nil {
		return err
	}
	p, err := plan.Validate(in.cfg, in.catalog)
	if err != nil {
		return err
	}
	return directory.Write(stdout, *format, directory.Filter(directory.Build(p, accounts), *tier, *search))
}

// readAccounts reads the deployed customers (account ids, login links)
// from a stack's outputs ("" for none).
func readAccounts(path string) (map[string]directory.Deployed, error) {
	if path == "" {
		return nil, nil
	}
	var raw []byte
	var err error
	if path == "-" {
		raw, err = io.ReadAll(os.Stdin)
	} else {
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("tierzone directory: read the stack outputs: %w", err)
	}
	var values map[string]any
	if err := json.Unmarshal(raw, &values); err != nil {
		return nil, fmt.Errorf("tierzone directory: stack outputs %s: not the JSON of `pulumi stack output --json`: %w", path, err)
	}
	om := auto.OutputMap{}
	for k, v := range values {
		om[k] = auto.OutputValue{Value: v}
	}
	custs, err := automation.ParseCustomers(om)
	if err != nil {
		return nil, fmt.Errorf("tierzone directory: stack outputs %s: %w", path, err)
	}
	out := map[string]directory.Deployed{}
	for k, c := range custs {
		out[k] = directory.Deployed{AccountID: c.AccountID, LoginLinks: c.LoginLinks}
	}
	return out, nil
}
