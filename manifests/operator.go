package manifests

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/validation"
)

// The operator's API.
const (
	StackAPIVersion = "pulumi.com/v1"
	StackKind       = "Stack"
)

// Defaults of the operator manifests.
const (
	DefaultRepo   = "https://github.com/tierzone/tierzone.git"
	DefaultBranch = "main"
	// DefaultPulumiSecret is the Kubernetes Secret holding
	// PULUMI_CONFIG_PASSPHRASE (and, for Pulumi Cloud, PULUMI_ACCESS_TOKEN).
	DefaultPulumiSecret = "tierzone-pulumi"
	// DefaultServiceAccount is the workspaces' identity: bind it to the
	// management account's role (IRSA or EKS Pod Identity).
	DefaultServiceAccount = "tierzone"
	// DefaultWorkspaceImage pins the workspace to the CLI Tierzone is
	// tested with; the image carries the Go toolchain the program builds
	// with. Structured config needs CLI v3.202.0 or later.
	DefaultWorkspaceImage = "pulumi/pulumi:3.260.0-nonroot"
	// PassphraseSecrets is the secrets provider `tierzone up` creates
	// stacks with (automation.PassphraseSecrets).
	PassphraseSecrets = automation.PassphraseSecrets
)

// Labels and annotations on every Stack resource.
const (
	LabelFleet      = "tierzone.io/fleet"
	LabelScope      = "tierzone.io/scope"
	LabelCustomer   = "tierzone.io/customer"
	AnnotationStack = "tierzone.io/pulumi-stack"
	ScopeOrg        = "organization"
	ScopeCustomer   = "customer"
)

// OperatorOptions say where the operator finds the program, the state and
// the credentials.
type OperatorOptions struct {
	// Namespace of every Stack; empty leaves it to kubectl.
	Namespace string
	// Repo, Branch or Commit, RepoDir: the git source of the program
	// (Pulumi.yaml in RepoDir).
	Repo, Branch, Commit, RepoDir string
	// GitSecret names a Secret whose key accessToken reads the repository.
	GitSecret string
	// Backend is the state backend; empty is Pulumi Cloud.
	Backend string
	// PulumiOrganization qualifies each stack as <org>/tierzone/<stack>.
	PulumiOrganization string
	// SecretsProvider is the stacks' secrets provider (default passphrase,
	// as `tierzone up` creates them).
	SecretsProvider string
	// PulumiSecret holds PULUMI_CONFIG_PASSPHRASE (passphrase secrets) and
	// PULUMI_ACCESS_TOKEN (Pulumi Cloud).
	PulumiSecret string
	// AWSSecret, when set, holds AWS_ACCESS_KEY_ID and
	// AWS_SECRET_ACCESS_KEY; leave it empty to use the service account.
	AWSSecret      string
	ServiceAccount string
	WorkspaceImage string
	Refresh        bool
	// ResyncSeconds is resyncFrequencySeconds (0: the operator's 60).
	ResyncSeconds int64
	// OrganizationWithin, when set, makes each customer Stack require that
	// the organization Stack succeeded that recently (the operator asks it
	// to run again when it did not).
	OrganizationWithin time.Duration
	// Outputs are the organization stack's "customers" output (ParseOutputs);
	// OutputsSource names where they came from, for messages.
	Outputs       map[string]automation.CustomerOutputs
	OutputsSource string
	// AllowPending leaves out the Stacks of customers whose account is not
	// known yet, instead of failing.
	AllowPending bool
}

// withDefaults fills the unset options.
func (o OperatorOptions) withDefaults() OperatorOptions {
	if o.Repo == "" {
		o.Repo = DefaultRepo
	}
	if o.Branch == "" && o.Commit == "" {
		o.Branch = DefaultBranch
	}
	if o.SecretsProvider == "" {
		o.SecretsProvider = PassphraseSecrets
	}
	if o.PulumiSecret == "" {
		o.PulumiSecret = DefaultPulumiSecret
	}
	if o.OutputsSource == "" {
		o.OutputsSource = "the organization stack's outputs"
	}
	return o
}

// cloudBackend reports whether the backend is Pulumi Cloud (the default).
func (o OperatorOptions) cloudBackend() bool {
	return o.Backend == "" || strings.HasPrefix(o.Backend, "https://") || strings.HasPrefix(o.Backend, "http://")
}

// Stack is the subset of the operator's Stack resource Tierzone writes.
type Stack struct {
	APIVersion string    `yaml:"apiVersion"`
	Kind       string    `yaml:"kind"`
	Metadata   Metadata  `yaml:"metadata"`
	Spec       StackSpec `yaml:"spec"`
}

// Metadata is the Stack's object metadata.
type Metadata struct {
	Name        string            `yaml:"name"`
	Namespace   string            `yaml:"namespace,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

// StackSpec mirrors the fields of the operator's StackSpec Tierzone sets.
type StackSpec struct {
	Stack              string                 `yaml:"stack"`
	ProjectRepo        string                 `yaml:"projectRepo"`
	Branch             string                 `yaml:"branch,omitempty"`
	Commit             string                 `yaml:"commit,omitempty"`
	RepoDir            string                 `yaml:"repoDir,omitempty"`
	Shallow            bool                   `yaml:"shallow,omitempty"`
	GitAuth            *GitAuth               `yaml:"gitAuth,omitempty"`
	Backend            string                 `yaml:"backend,omitempty"`
	SecretsProvider    string                 `yaml:"secretsProvider,omitempty"`
	EnvRefs            map[string]ResourceRef `yaml:"envRefs,omitempty"`
	Config             map[string]any         `yaml:"config"`
	Prerequisites      []Prerequisite         `yaml:"prerequisites,omitempty"`
	ServiceAccountName string                 `yaml:"serviceAccountName,omitempty"`
	Refresh            bool                   `yaml:"refresh,omitempty"`
	ResyncFrequency    int64                  `yaml:"resyncFrequencySeconds,omitempty"`
	// DestroyOnFinalize is always written, and always false: deleting a
	// Stack resource never destroys what its stack holds.
	DestroyOnFinalize bool               `yaml:"destroyOnFinalize"`
	WorkspaceTemplate *WorkspaceTemplate `yaml:"workspaceTemplate,omitempty"`
}

// GitAuth reads a private repository with a token.
type GitAuth struct {
	AccessToken *ResourceRef `yaml:"accessToken,omitempty"`
}

// ResourceRef is a value read from a Kubernetes Secret.
type ResourceRef struct {
	Type   string          `yaml:"type"`
	Secret *SecretSelector `yaml:"secret,omitempty"`
}

// SecretSelector is one key of a Secret in the Stack's namespace.
type SecretSelector struct {
	Name string `yaml:"name"`
	Key  string `yaml:"key"`
}

// Prerequisite is a Stack that must have succeeded first.
type Prerequisite struct {
	Name        string       `yaml:"name"`
	Requirement *Requirement `yaml:"requirement,omitempty"`
}

// Requirement bounds how long ago the prerequisite succeeded.
type Requirement struct {
	SucceededWithinDuration string `yaml:"succeededWithinDuration,omitempty"`
}

// WorkspaceTemplate customizes the workspace the operator runs a stack in.
type WorkspaceTemplate struct {
	Spec WorkspaceSpec `yaml:"spec"`
}

// WorkspaceSpec is the part of the workspace Tierzone sets.
type WorkspaceSpec struct {
	Image string `yaml:"image,omitempty"`
}

func secretRef(name, key string) ResourceRef {
	return ResourceRef{Type: "Secret", Secret: &SecretSelector{Name: name, Key: key}}
}

// Manifest is rendered output and what the user must know about it.
type Manifest struct {
	// YAML is the document(s), with the notes as a leading comment.
	YAML []byte
	// Notes are warnings and omissions, also written to stderr.
	Notes []string
}

// Operator renders the operator's Stack resources: the organization stack,
// then one per customer in catalog order, each requiring the organization
// Stack. A customer stack needs its account id, which AWS assigns: it comes
// from the catalog (adopted accounts) or from opts.Outputs; a customer
// without one is a *validation.Error naming it, unless opts.AllowPending
// leaves its Stack out (with a note).
func Operator(f *Fleet, opts OperatorOptions) (*Manifest, error) {
	opts = opts.withDefaults()
	ids, pending, err := f.accounts(opts.Outputs, opts.OutputsSource)
	if err != nil {
		return nil, err
	}
	var notes []string
	if f.SingleLayout {
		notes = append(notes, fmt.Sprintf("stack %s is of the %s layout (%s:%s); these are the Stacks of the %s layout it would become. "+
			"Do not apply them over a deployed single stack: its organization Stack would delete the customers' VPCs; migrate it first.",
			f.Stack, landingzone.LayoutSingle, landingzone.ConfigNamespace, landingzone.KeyLayout, landingzone.LayoutSharded))
	}
	if len(pending) > 0 {
		if !opts.AllowPending {
			var l validation.List
			for _, key := range pending {
				l.Add(validation.Customer(key), "accountId", "not known: AWS assigns it when the organization stack creates the account")
			}
			hint := "not given"
			if opts.Outputs != nil {
				hint = "has no account for " + strings.Join(pending, ", ")
			}
			l.Add("--outputs", "", "%s: pass the organization stack's outputs (`pulumi stack output --json --stack %s > outputs.json`, or `kubectl get stack %s -o json`) once it has run, "+
				"or --allow-pending to leave these customers' Stacks out until then", hint, f.Stack, OrganizationName(f.Stack))
			return nil, l.ErrWith(NothingWritten)
		}
		notes = append(notes, fmt.Sprintf("left out until the organization stack has created their accounts (then run again with --outputs): %s",
			strings.Join(pending, ", ")))
	}

	orgName := OrganizationName(f.Stack)
	orgCfg, err := Config(f.Settings)
	if err != nil {
		return nil, err
	}
	docs := []Stack{opts.stack(orgName, f.Stack, f.Stack, "", orgCfg)}
	for _, cs := range f.Plan.Customers {
		key := cs.Customer.Key
		id, ok := ids[key]
		if !ok {
			continue
		}
		s := f.CustomerSettings(cs, id)
		if _, err := landingzone.Resolve(f.Catalog, s); err != nil {
			// The values read from the outputs are checked as the program
			// will check them.
			return nil, err
		}
		cfg, err := Config(s)
		if err != nil {
			return nil, err
		}
		st := opts.stack(CustomerName(f.Stack, key), f.Stack, f.CustomerStack(key), key, cfg)
		pre := Prerequisite{Name: orgName}
		if opts.OrganizationWithin > 0 {
			pre.Requirement = &Requirement{SucceededWithinDuration: opts.OrganizationWithin.String()}
		}
		st.Spec.Prerequisites = []Prerequisite{pre}
		docs = append(docs, st)
	}

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Pulumi Kubernetes Operator Stacks of %s, %s layout: the organization stack and %d customer stacks.\n",
		f.Stack, landingzone.LayoutSharded, len(docs)-1)
	fmt.Fprintf(&buf, "# Generated by `tierzone manifests --kind operator`; see docs/operator.md.\n")
	for _, n := range notes {
		fmt.Fprintf(&buf, "# NOTE: %s\n", n)
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	for _, d := range docs {
		if err := enc.Encode(d); err != nil {
			return nil, fmt.Errorf("tierzone manifests: encode Stack %s: %w", d.Metadata.Name, err)
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return &Manifest{YAML: buf.Bytes(), Notes: notes}, nil
}

// stack is one Stack resource with the shared settings.
func (o OperatorOptions) stack(name, orgStack, pulumiStack, customer string, cfg map[string]any) Stack {
	labels := map[string]string{
		"app.kubernetes.io/managed-by": "tierzone",
		LabelFleet:                     OrganizationName(orgStack),
		LabelScope:                     ScopeOrg,
	}
	if customer != "" {
		labels[LabelScope] = ScopeCustomer
		labels[LabelCustomer] = customer
	}
	qualified := pulumiStack
	if o.PulumiOrganization != "" {
		qualified = o.PulumiOrganization + "/" + automation.ProjectName + "/" + pulumiStack
	}
	env := map[string]ResourceRef{}
	if o.SecretsProvider == PassphraseSecrets {
		env["PULUMI_CONFIG_PASSPHRASE"] = secretRef(o.PulumiSecret, "PULUMI_CONFIG_PASSPHRASE")
	}
	if o.cloudBackend() {
		env["PULUMI_ACCESS_TOKEN"] = secretRef(o.PulumiSecret, "PULUMI_ACCESS_TOKEN")
	}
	if o.AWSSecret != "" {
		env["AWS_ACCESS_KEY_ID"] = secretRef(o.AWSSecret, "AWS_ACCESS_KEY_ID")
		env["AWS_SECRET_ACCESS_KEY"] = secretRef(o.AWSSecret, "AWS_SECRET_ACCESS_KEY")
	}
	st := Stack{
		APIVersion: StackAPIVersion,
		Kind:       StackKind,
		Metadata: Metadata{
			Name:        name,
			Namespace:   o.Namespace,
			Labels:      labels,
			Annotations: map[string]string{AnnotationStack: pulumiStack},
		},
		Spec: StackSpec{
			Stack:       qualified,
			ProjectRepo: o.Repo,
			Branch:      o.Branch,
			Commit:      o.Commit,
			RepoDir:     o.RepoDir,
			// A shallow clone holds the branch's tip only, not an older commit.
			Shallow:            o.Commit == "",
			Backend:            o.Backend,
			SecretsProvider:    o.SecretsProvider,
			EnvRefs:            env,
			Config:             cfg,
			ServiceAccountName: o.ServiceAccount,
			Refresh:            o.Refresh,
			ResyncFrequency:    o.ResyncSeconds,
			DestroyOnFinalize:  false,
		},
	}
	if o.Commit != "" {
		st.Spec.Branch = ""
	}
	if o.GitSecret != "" {
		ref := secretRef(o.GitSecret, "accessToken")
		st.Spec.GitAuth = &GitAuth{AccessToken: &ref}
	}
	if o.WorkspaceImage != "" {
		st.Spec.WorkspaceTemplate = &WorkspaceTemplate{Spec: WorkspaceSpec{Image: o.WorkspaceImage}}
	}
	return st
}
