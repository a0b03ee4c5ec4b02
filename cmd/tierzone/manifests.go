package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/manifests"
	"github.com/tierzone/tierzone/plan"
	"github.com/tierzone/tierzone/validation"
)

// Kinds of `tierzone manifests`.
const (
	kindOperator     = "operator"
	kindGitHub       = "github"
	kindFingerprints = "fingerprints"
)

// manifestFlagKinds are the kinds each flag of `tierzone manifests`
// applies to; --stack and --dir apply to all.
var manifestFlagKinds = map[string][]string{
	"namespace": {kindOperator}, "repo": {kindOperator}, "branch": {kindOperator}, "commit": {kindOperator},
	"git-secret": {kindOperator}, "pulumi-org": {kindOperator}, "pulumi-secret": {kindOperator}, "aws-secret": {kindOperator},
	"service-account": {kindOperator}, "workspace-image": {kindOperator}, "refresh": {kindOperator}, "resync-seconds": {kindOperator},
	"organization-within": {kindOperator}, "outputs": {kindOperator}, "allow-pending": {kindOperator},
	"repo-dir": {kindOperator, kindGitHub}, "backend": {kindOperator, kindGitHub}, "secrets-provider": {kindOperator, kindGitHub},
	"max-parallel": {kindGitHub}, "max-jobs": {kindGitHub}, "parallel-stacks": {kindGitHub}, "pulumi-version": {kindGitHub},
	"aws-role": {kindGitHub},
	"catalog":  {kindOperator, kindFingerprints},
}

func runManifests(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("manifests")
	var sf stackFlags
	sf.register(fs)
	kind := fs.String("kind", "", "what to print: operator (Pulumi Kubernetes Operator Stacks), github (pull-request preview workflow), fingerprints (per-stack hashes the workflow compares)")
	var op manifests.OperatorOptions
	var wf manifests.WorkflowOptions
	fs.StringVar(&op.Namespace, "namespace", "", "operator: namespace of the Stacks (default: kubectl's)")
	fs.StringVar(&op.Repo, "repo", manifests.DefaultRepo, "operator: git repository of the program")
	fs.StringVar(&op.Branch, "branch", manifests.DefaultBranch, "operator: branch the operator follows")
	fs.StringVar(&op.Commit, "commit", "", "operator: commit to deploy instead of following --branch")
	repoDir := fs.String("repo-dir", "", "directory of Pulumi.yaml in the repository (default: its root)")
	fs.StringVar(&op.GitSecret, "git-secret", "", "operator: Secret whose key accessToken reads a private repository")
	backend := fs.String("backend", "", "state backend URL, e.g. s3://bucket/tierzone (default: operator, Pulumi Cloud; github, the repository secret PULUMI_BACKEND_URL)")
	fs.StringVar(&op.PulumiOrganization, "pulumi-org", "", "operator: qualify the stacks as ORG/tierzone/<stack>")
	secretsProvider := fs.String("secrets-provider", manifests.PassphraseSecrets, "the stacks' secrets provider (tierzone up creates passphrase stacks)")
	fs.StringVar(&op.PulumiSecret, "pulumi-secret", manifests.DefaultPulumiSecret, "operator: Secret with PULUMI_CONFIG_PASSPHRASE (and PULUMI_ACCESS_TOKEN for Pulumi Cloud)")
	fs.StringVar(&op.AWSSecret, "aws-secret", "", "operator: Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (default: none, the service account's role)")
	fs.StringVar(&op.ServiceAccount, "service-account", manifests.DefaultServiceAccount, "operator: service account of the workspaces (bind it to the management account's role; \"\" for the namespace's default)")
	fs.StringVar(&op.WorkspaceImage, "workspace-image", manifests.DefaultWorkspaceImage, "operator: workspace image (CLI v3.202.0 or later, with Go)")
	fs.BoolVar(&op.Refresh, "refresh", false, "operator: refresh each stack before updating it")
	fs.Int64Var(&op.ResyncSeconds, "resync-seconds", 0, "operator: resyncFrequencySeconds, how often the operator polls the branch (default: the operator's 60)")
	fs.DurationVar(&op.OrganizationWithin, "organization-within", 0, "operator: customer Stacks also require the organization Stack to have succeeded within this duration, e.g. 24h (the operator reruns it when older)")
	outputs := fs.String("outputs", "", "operator: the organization stack's outputs, for the accounts AWS assigned: a file (or - for stdin) from `pulumi stack output --json` or `kubectl get stack NAME -o json`")
	fs.BoolVar(&op.AllowPending, "allow-pending", false, "operator: leave out the Stacks of customers whose account is not known yet, instead of failing")
	fs.IntVar(&wf.MaxParallel, "max-parallel", manifests.DefaultMaxParallel, "github: strategy.max-parallel of the customer previews")
	fs.IntVar(&wf.MaxJobs, "max-jobs", manifests.MaxMatrixJobs, "github: at most this many customer preview jobs (GitHub allows 256); more changed customers share jobs")
	fs.IntVar(&wf.ParallelStacks, "parallel-stacks", 0, "github: --parallel-stacks of each preview job (default: the runner's)")
	fs.StringVar(&wf.PulumiVersion, "pulumi-version", manifests.DefaultPulumiVersion, "github: Pulumi CLI version")
	fs.StringVar(&wf.AWSRole, "aws-role", manifests.DefaultAWSRole, "github: role the previews assume through GitHub's OIDC provider")
	const synopsis = "--kind operator|github|fingerprints [--stack NAME] [--catalog FILE] [--dir DIR] [kind's flags]"
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return helpIsOK(err)
	}
	usageErr := func(format string, a ...any) error {
		return &usageError{cmd: "manifests", msg: fmt.Sprintf(format, a...), usage: flagUsage(fs, synopsis)}
	}
	switch *kind {
	case kindOperator, kindGitHub, kindFingerprints:
	case "":
		return usageErr("--kind is required: operator, github or fingerprints")
	default:
		return usageErr("--kind %q: want operator, github or fingerprints", *kind)
	}
	var misplaced error
	fs.Visit(func(fl *flag.Flag) {
		if kinds, ok := manifestFlagKinds[fl.Name]; ok && !slices.Contains(kinds, *kind) && misplaced == nil {
			misplaced = usageErr("--%s applies to --kind %s, not %s", fl.Name, strings.Join(kinds, " or "), *kind)
		}
	})
	if misplaced != nil {
		return misplaced
	}
	if op.Commit != "" && isSet(fs, "branch") {
		return usageErr("--branch and --commit: give one")
	}
	if op.Commit != "" {
		op.Branch = ""
	}
	if wf.MaxJobs < 1 || wf.MaxJobs > manifests.MaxMatrixJobs {
		return usageErr("--max-jobs %d: want 1 to %d (GitHub's limit per matrix)", wf.MaxJobs, manifests.MaxMatrixJobs)
	}
	if wf.MaxParallel < 1 {
		return usageErr("--max-parallel %d: want a positive number of jobs", wf.MaxParallel)
	}
	op.RepoDir, wf.RepoDir = *repoDir, *repoDir
	op.Backend, wf.Backend = *backend, *backend
	op.SecretsProvider, wf.SecretsProvider = *secretsProvider, *secretsProvider

	in, err := sf.load()
	if err != nil {
		return err
	}
	// Every problem of the stack's settings and the catalog, unknown keys
	// included, as `tierzone validate` reports them.
	if _, err := plan.Validate(in.cfg, in.catalog); err != nil {
		return err
	}
	settings, err := automation.SettingsFromConfigMap(in.cfg)
	if err != nil {
		return err
	}
	if *kind == kindOperator && sf.catalog != "" {
		if err := sameAsBuiltIn(in.catalog, sf.catalog); err != nil {
			return err
		}
	}
	f, err := manifests.New(in.stack, in.catalog, settings)
	if err != nil {
		return err
	}

	var m *manifests.Manifest
	switch *kind {
	case kindOperator:
		if *outputs != "" {
			if op.Outputs, err = readOutputs(*outputs); err != nil {
				return err
			}
			op.OutputsSource = "--outputs " + *outputs
		}
		m, err = manifests.Operator(f, op)
	case kindGitHub:
		m, err = manifests.Workflow(f, wf)
	case kindFingerprints:
		m, err = fingerprints(f, sf.dir)
	}
	if err != nil {
		return err
	}
	for _, n := range m.Notes {
		fmt.Fprintf(stderr, "tierzone manifests: note: %s\n", n)
	}
	_, err = stdout.Write(m.YAML)
	return err
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// sameAsBuiltIn: the operator's workspaces run main.go, which compiles the
// built-in catalog; a catalog file may only select from it.
func sameAsBuiltIn(catalog []customers.Customer, file string) error {
	builtIn := map[string]customers.Customer{}
	for _, c := range customers.Catalog() {
		builtIn[c.Key] = c
	}
	var l validation.List
	for _, c := range catalog {
		b, ok := builtIn[c.Key]
		switch {
		case !ok:
			l.Add(validation.Customer(c.Key), "key", "not in the built-in catalog (customers/catalog.go), which the program the operator runs (main.go) compiles; add it there, the Stacks cannot deploy it from %s", file)
		case !reflect.DeepEqual(b, c):
			l.Add(validation.Customer(c.Key), "catalog", "differs from its entry in the built-in catalog (customers/catalog.go), which the program the operator runs (main.go) compiles; change it there")
		}
	}
	return l.ErrWith(manifests.NothingWritten)
}

// readOutputs reads --outputs; a file that cannot be used is bad input.
func readOutputs(name string) (map[string]automation.CustomerOutputs, error) {
	var raw []byte
	var err error
	if name == "-" {
		raw, err = io.ReadAll(os.Stdin)
	} else {
		raw, err = os.ReadFile(name)
	}
	var outs map[string]automation.CustomerOutputs
	if err == nil {
		outs, err = manifests.ParseOutputs(raw)
	}
	if err != nil {
		var l validation.List
		l.Add("--outputs", name, "%v", err)
		return nil, l.ErrWith(manifests.NothingWritten)
	}
	return outs, nil
}

// fingerprints renders the fleet's fingerprints as JSON.
func fingerprints(f *manifests.Fleet, dir string) (*manifests.Manifest, error) {
	if dir == "" {
		d, err := plan.FindProjectDir(".")
		if err != nil {
			return nil, err
		}
		dir = d
	}
	program, err := manifests.ProgramFingerprint(dir)
	if err != nil {
		return nil, err
	}
	fp, err := manifests.Fingerprint(f, program)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(fp); err != nil {
		return nil, err
	}
	m := &manifests.Manifest{YAML: buf.Bytes()}
	if f.SingleLayout {
		m.Notes = []string{fmt.Sprintf("stack %s is of the single layout; these are the fingerprints of the sharded layout it would become", f.Stack)}
	}
	return m, nil
}

func runChanged(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("changed")
	base := fs.String("base", "", "fingerprints of the pull request's base (`tierzone manifests --kind fingerprints`); missing or unreadable selects every stack")
	head := fs.String("head", "", "fingerprints of the pull request's head (required)")
	maxJobs := fs.Int("max-jobs", manifests.MaxMatrixJobs, "at most this many jobs in the matrix (GitHub allows 256); more customers share jobs")
	format := fs.String("format", "json", "json, or github: name=value lines for $GITHUB_OUTPUT (any, organization, customers, matrix)")
	const synopsis = "--head FILE [--base FILE] [--max-jobs N] [--format json|github]"
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return helpIsOK(err)
	}
	usageErr := func(format string, a ...any) error {
		return &usageError{cmd: "changed", msg: fmt.Sprintf(format, a...), usage: flagUsage(fs, synopsis)}
	}
	switch {
	case *head == "":
		return usageErr("--head is required")
	case *format != "json" && *format != "github":
		return usageErr("--format %q: want json or github", *format)
	case *maxJobs < 1 || *maxJobs > manifests.MaxMatrixJobs:
		return usageErr("--max-jobs %d: want 1 to %d (GitHub's limit per matrix)", *maxJobs, manifests.MaxMatrixJobs)
	}
	h, err := readFingerprints(*head)
	if err != nil {
		var l validation.List
		l.Add("--head", *head, "%v", err)
		return l.ErrWith(manifests.NothingWritten)
	}
	var b *manifests.Fingerprints
	if *base != "" {
		if b, err = readFingerprints(*base); err != nil {
			fmt.Fprintf(stderr, "tierzone changed: note: --base %s: %v; every stack is selected\n", *base, err)
			b = nil
		}
	}
	sel := manifests.Select(manifests.Changed(b, h), *maxJobs)
	fmt.Fprintf(stderr, "tierzone changed: %s (%d customer stacks in %d jobs)\n", sel.Summary(), len(sel.Customers), len(sel.Matrix.Include))
	var out []byte
	if *format == "github" {
		s, err := sel.GitHubOutput()
		if err != nil {
			return err
		}
		out = []byte(s)
	} else {
		if out, err = json.MarshalIndent(sel, "", "  "); err != nil {
			return err
		}
		out = append(out, '\n')
	}
	_, err = stdout.Write(out)
	return err
}

// readFingerprints reads a file `tierzone manifests --kind fingerprints`
// wrote.
func readFingerprints(name string) (*manifests.Fingerprints, error) {
	raw, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var fp manifests.Fingerprints
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&fp); err != nil {
		return nil, fmt.Errorf("not fingerprints: %w", err)
	}
	if fp.Version != manifests.FingerprintVersion || fp.Stack == "" {
		return nil, fmt.Errorf("not fingerprints of version %d (`tierzone manifests --kind fingerprints` writes them)", manifests.FingerprintVersion)
	}
	return &fp, nil
}
