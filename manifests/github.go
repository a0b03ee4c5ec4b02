package manifests

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tierzone/tierzone/landingzone"
)

// Defaults of the workflow.
const (
	// DefaultMaxParallel is how many preview jobs run at once.
	DefaultMaxParallel = 8
	// DefaultPulumiVersion is the CLI Tierzone is tested with.
	DefaultPulumiVersion = "3.260.0"
	// DefaultAWSRole is the role the previews assume through GitHub's OIDC
	// provider: the repository secret .github/workflows/preview.yml uses.
	DefaultAWSRole = "${{ secrets.AWS_PREVIEW_ROLE_ARN }}"
	// DefaultBackend is the state backend when none is given: the
	// repository secret .github/workflows/preview.yml uses.
	DefaultBackend = "${{ secrets.PULUMI_BACKEND_URL }}"
)

// WorkflowOptions shape the pull-request workflow.
type WorkflowOptions struct {
	// Backend is the state backend; empty is DefaultBackend.
	Backend string
	// RepoDir is the project's directory in the repository (Pulumi.yaml,
	// go.mod); empty is the root.
	RepoDir string
	// SecretsProvider is the stacks' (default passphrase).
	SecretsProvider string
	// MaxParallel is strategy.max-parallel of the customer previews.
	MaxParallel int
	// MaxJobs caps the matrix (at most MaxMatrixJobs); more changed
	// customers are batched several to a job.
	MaxJobs int
	// ParallelStacks is each job's --parallel-stacks (0: the default).
	ParallelStacks int
	PulumiVersion  string
	AWSRole        string
	RunsOn         string
}

func (o WorkflowOptions) withDefaults() WorkflowOptions {
	if o.Backend == "" {
		o.Backend = DefaultBackend
	}
	if o.SecretsProvider == "" {
		o.SecretsProvider = PassphraseSecrets
	}
	if o.MaxParallel < 1 {
		o.MaxParallel = DefaultMaxParallel
	}
	if o.MaxJobs < 1 || o.MaxJobs > MaxMatrixJobs {
		o.MaxJobs = MaxMatrixJobs
	}
	if o.PulumiVersion == "" {
		o.PulumiVersion = DefaultPulumiVersion
	}
	if o.AWSRole == "" {
		o.AWSRole = DefaultAWSRole
	}
	if o.RunsOn == "" {
		o.RunsOn = "ubuntu-latest"
	}
	return o
}

// entry and ordered are a YAML mapping that keeps its keys' order.
type entry struct {
	key   string
	value any
}

type ordered []entry

func (o ordered) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, e := range o {
		k := &yaml.Node{}
		k.SetString(e.key)
		v := &yaml.Node{}
		if err := v.Encode(e.value); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, k, v)
	}
	return n, nil
}

// Workflow renders the GitHub Actions workflow that previews, on every
// pull request, only the stacks the pull request changes: a first job
// fingerprints the base and the head (`tierzone manifests --kind
// fingerprints`, run by each checkout's own code) and selects the changed
// customers (`tierzone changed`); a second previews the organization stack
// whenever anything changed; a matrix job previews the changed customers'
// stacks, batched into at most MaxJobs jobs.
func Workflow(f *Fleet, opts WorkflowOptions) (*Manifest, error) {
	o := opts.withDefaults()
	dir := func(root string) string { return path.Join(root, o.RepoDir) }
	var notes []string
	if f.SingleLayout {
		notes = append(notes, fmt.Sprintf("stack %s is of the %s layout (%s:%s); the previews need the %s layout: set it (and migrate a deployed stack) before enabling this workflow",
			f.Stack, landingzone.LayoutSingle, landingzone.ConfigNamespace, landingzone.KeyLayout, landingzone.LayoutSharded))
	}

	env := ordered{{"TIERZONE_STACK", f.Stack}, {"PULUMI_BACKEND_URL", o.Backend}}
	if o.SecretsProvider == PassphraseSecrets {
		env = append(env, entry{"PULUMI_CONFIG_PASSPHRASE", "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}"})
	}
	if strings.HasPrefix(o.Backend, "${{") || strings.HasPrefix(o.Backend, "https://") || strings.HasPrefix(o.Backend, "http://") {
		// Pulumi Cloud, or a backend only the secret knows.
		env = append(env, entry{"PULUMI_ACCESS_TOKEN", "${{ secrets.PULUMI_ACCESS_TOKEN }}"})
	}

	checkout := func(name string, with ordered) ordered {
		s := ordered{{"name", name}, {"uses", "actions/checkout@v4"}}
		if len(with) > 0 {
			s = append(s, entry{"with", with})
		}
		return s
	}
	setupGo := func(root string) ordered {
		return ordered{{"uses", "actions/setup-go@v5"}, {"with", ordered{
			{"go-version-file", path.Join(dir(root), "go.mod")},
			{"cache-dependency-path", path.Join(dir(root), "go.sum")},
		}}}
	}
	// The preview jobs need the CLI and AWS credentials for the management
	// account (GitHub's OIDC provider, no stored keys).
	previewSetup := []any{
		checkout("Check out the pull request", nil),
		setupGo(""),
		ordered{{"uses", "pulumi/actions@v6"}, {"with", ordered{{"pulumi-version", o.PulumiVersion}}}},
		ordered{{"uses", "aws-actions/configure-aws-credentials@v4"}, {"with", ordered{
			{"role-to-assume", o.AWSRole},
			{"role-session-name", "tierzone-preview-" + f.Stack},
			{"aws-region", f.Settings.ManagementRegion},
		}}},
	}
	step := func(name, workDir, run string, extra ...entry) ordered {
		s := ordered{{"name", name}}
		s = append(s, extra...)
		if workDir != "" && workDir != "." {
			s = append(s, entry{"working-directory", workDir})
		}
		return append(s, entry{"run", run})
	}
	fingerprints := `go run ./cmd/tierzone manifests --kind fingerprints --stack "$TIERZONE_STACK"`

	changes := ordered{
		{"name", "Changed stacks"},
		{"runs-on", o.RunsOn},
		{"timeout-minutes", 30},
		{"outputs", ordered{
			{"any", "${{ steps.changed.outputs.any }}"},
			{"organization", "${{ steps.changed.outputs.organization }}"},
			{"customers", "${{ steps.changed.outputs.customers }}"},
			{"matrix", "${{ steps.changed.outputs.matrix }}"},
		}},
		{"steps", []any{
			checkout("Check out the pull request", ordered{{"path", "head"}}),
			checkout("Check out its base", ordered{{"ref", "${{ github.event.pull_request.base.sha }}"}, {"path", "base"}}),
			setupGo("head"),
			step("Fingerprint the base's stacks", dir("base"),
				"# Each checkout fingerprints its stacks with its own code. A base that cannot\n"+
					"# (older than the command, or invalid) selects every stack.\n"+
					fingerprints+` > "$RUNNER_TEMP/base.json" || echo '{}' > "$RUNNER_TEMP/base.json"`+"\n"),
			step("Fingerprint the pull request's stacks", dir("head"), fingerprints+` > "$RUNNER_TEMP/head.json"`+"\n"),
			step("Select the changed stacks", dir("head"),
				fmt.Sprintf(`go run ./cmd/tierzone changed --base "$RUNNER_TEMP/base.json" --head "$RUNNER_TEMP/head.json" --max-jobs %d --format github >> "$GITHUB_OUTPUT"`+"\n", o.MaxJobs),
				entry{"id", "changed"}),
		}},
	}

	organization := ordered{
		{"name", fmt.Sprintf("Preview %s (organization stack)", f.Stack)},
		{"needs", "changes"},
		{"if", "needs.changes.outputs.any == 'true'"},
		{"runs-on", o.RunsOn},
		{"timeout-minutes", 60},
		{"steps", append(append([]any{}, previewSetup...),
			step("Preview the organization stack", dir(""),
				"# The organization stack alone; the customer jobs preview theirs with its outputs.\n"+
					`go run ./cmd/tierzone preview --stack "$TIERZONE_STACK" --backend "$PULUMI_BACKEND_URL" --stacks organization`+"\n"))},
	}

	preview := `go run ./cmd/tierzone preview --stack "$TIERZONE_STACK" --backend "$PULUMI_BACKEND_URL" --stacks customers --customers "$CUSTOMERS"`
	if o.ParallelStacks > 0 {
		preview += fmt.Sprintf(" --parallel-stacks %d", o.ParallelStacks)
	}
	customersJob := ordered{
		{"name", fmt.Sprintf("Preview %s customer stacks ${{ matrix.customers }}", f.Stack)},
		{"needs", "changes"},
		{"if", "needs.changes.outputs.customers != '[]'"},
		{"runs-on", o.RunsOn},
		{"timeout-minutes", 60},
		{"strategy", ordered{
			{"fail-fast", false},
			{"max-parallel", o.MaxParallel},
			{"matrix", "${{ fromJSON(needs.changes.outputs.matrix) }}"},
		}},
		{"steps", append(append([]any{}, previewSetup...),
			step("Preview the customer stacks", dir(""),
				"# The matrix value goes through the environment, never into the script.\n"+preview+"\n",
				entry{"env", ordered{{"CUSTOMERS", "${{ matrix.customers }}"}}}))},
	}

	wf := ordered{
		{"name", fmt.Sprintf("tierzone preview: %s", f.Stack)},
		{"on", ordered{{"pull_request", ordered{}}}},
		{"permissions", ordered{{"contents", "read"}, {"id-token", "write"}}},
		{"concurrency", ordered{
			{"group", fmt.Sprintf("tierzone-preview-%s-${{ github.event.pull_request.number }}", f.Stack)},
			{"cancel-in-progress", true},
		}},
		{"env", env},
		{"jobs", ordered{{"changes", changes}, {"organization", organization}, {"customers", customersJob}}},
	}

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Pull-request previews of %s, %s layout: only the stacks the pull request changes.\n", f.Stack, landingzone.LayoutSharded)
	fmt.Fprintf(&buf, "# Generated by `tierzone manifests --kind github`; see docs/operator.md. Save as .github/workflows/tierzone-%s.yml.\n", f.Stack)
	for _, n := range notes {
		fmt.Fprintf(&buf, "# NOTE: %s\n", n)
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(wf); err != nil {
		return nil, fmt.Errorf("tierzone manifests: encode the workflow: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return &Manifest{YAML: buf.Bytes(), Notes: notes}, nil
}
