package manifests

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
)

// dns1123Label is Kubernetes' rule for names used as labels (RFC 1123).
var dns1123Label = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// TestOperatorStacks parses the prod manifests back: one Stack per stack,
// names the operator accepts, customer Stacks waiting for the organization
// Stack, nothing destroyed on delete, and each stack's config.
func TestOperatorStacks(t *testing.T) {
	f := newFleet(t, "prod", customers.Catalog(), stackSettings(t, "prod"))
	m, err := Operator(f, OperatorOptions{Outputs: outputsFor(f), Namespace: "landing-zone", OrganizationWithin: 24 * time.Hour})
	require.NoError(t, err)
	docs := documents(t, m.YAML)
	require.Len(t, docs, 1+len(f.Plan.Customers), "the organization stack and one per customer")
	assert.Contains(t, m.Notes[0], "single layout", "Pulumi.prod.yaml is still of the single layout")

	names := map[string]bool{}
	orgName := dig(t, docs[0], "metadata", "name")
	for i, d := range docs {
		name, _ := dig(t, d, "metadata", "name").(string)
		assert.Equal(t, StackAPIVersion, d["apiVersion"])
		assert.Equal(t, StackKind, d["kind"])
		assert.LessOrEqual(t, len(name), MaxNameLength, name)
		assert.Regexp(t, dns1123Label, name)
		assert.False(t, names[name], "name %s used twice", name)
		names[name] = true
		assert.Equal(t, "landing-zone", dig(t, d, "metadata", "namespace"))
		spec := dig(t, d, "spec").(map[string]any)
		require.Contains(t, spec, "destroyOnFinalize", "written explicitly")
		assert.Equal(t, false, spec["destroyOnFinalize"])
		assert.Equal(t, DefaultRepo, spec["projectRepo"])
		assert.Equal(t, DefaultBranch, spec["branch"])
		assert.NotNil(t, dig(t, spec, "envRefs", "PULUMI_CONFIG_PASSPHRASE"), "passphrase stacks, as tierzone up creates them")
		cfg := spec["config"].(map[string]any)
		assert.Equal(t, landingzone.LayoutSharded, cfg["tierzone:layout"])
		if i == 0 {
			assert.Equal(t, "prod", spec["stack"])
			assert.NotContains(t, cfg, "tierzone:customerStack")
			assert.NotContains(t, spec, "prerequisites")
			assert.Len(t, cfg["tierzone:customers"], 10)
			continue
		}
		cs := f.Plan.Customers[i-1]
		key := cs.Customer.Key
		assert.Equal(t, "prod."+key, spec["stack"])
		assert.Equal(t, key, dig(t, d, "metadata", "labels", LabelCustomer))
		pre := spec["prerequisites"].([]any)
		require.Len(t, pre, 1)
		assert.Equal(t, orgName, dig(t, pre[0], "name"), "customer stacks wait for the organization Stack")
		assert.Equal(t, "24h0m0s", dig(t, pre[0], "requirement", "succeededWithinDuration"))
		ref := cfg["tierzone:customerStack"].(map[string]any)
		assert.Equal(t, key, ref["customer"])
		assert.Equal(t, outputsFor(f)[key].AccountID, ref["accountId"])
		assert.Equal(t, fmt.Sprintf("arn:aws:s3:::%s/%s/%s/", f.Settings.ArchiveBucketName(cs.Tier.ArchiveBoundary), cs.Tier.Key, key), ref["archiveDestination"])
		assert.Equal(t, []any{key}, cfg["tierzone:customers"], "a customer stack's config names only its customer")
	}
}

// TestOperatorConfigIsWhatTheProgramRuns: each Stack's config, handed to
// the program as the engine would, registers that stack's resources: the
// organization stack its accounts and no VPC, each customer stack its VPC.
func TestOperatorConfigIsWhatTheProgramRuns(t *testing.T) {
	f := newFleet(t, "dev", customers.Catalog(), stackSettings(t, "dev"))
	m, err := Operator(f, OperatorOptions{Outputs: outputsFor(f)})
	require.NoError(t, err)
	for _, d := range documents(t, m.YAML) {
		spec := d["spec"].(map[string]any)
		cfg := map[string]string{}
		for k, v := range spec["config"].(map[string]any) {
			if s, ok := v.(string); ok {
				cfg[k] = s
				continue
			}
			b, err := json.Marshal(v)
			require.NoError(t, err)
			cfg[k] = string(b)
		}
		stack := spec["stack"].(string)
		rec, err := recorder.Run(stack, cfg, landingzone.Program(customers.Catalog()))
		require.NoError(t, err, stack)
		count := map[string]int{}
		for _, r := range rec.Resources() {
			count[r.Type]++
		}
		if stack == "dev" {
			assert.Equal(t, len(f.Plan.Customers), count["aws:organizations/account:Account"], stack)
			assert.Zero(t, count["aws:ec2/vpc:Vpc"], stack)
		} else {
			assert.Zero(t, count["aws:organizations/account:Account"], stack)
			assert.Equal(t, 1, count["aws:ec2/vpc:Vpc"], stack)
		}
	}
}

// TestNarrowedCustomerConfigRegistersTheSame: a customer stack whose
// config lists only its own customer, decommission entry and tier's
// retention registers exactly what it registers with the organization
// stack's whole lists (what the fleet writes).
func TestNarrowedCustomerConfigRegistersTheSame(t *testing.T) {
	s := stackSettings(t, "prod")
	s.Decommission = []string{"acme-finance"}
	s.Retention = map[string]landingzone.RetentionOverride{"healthcare": {HotDays: 180}, "fintech": {ArchiveDays: 3653}}
	f := newFleet(t, "prod", customers.Catalog(), s)
	for _, cs := range f.Plan.Customers {
		key := cs.Customer.Key
		narrowed := f.CustomerSettings(cs, "123456789012")
		whole := f.Settings
		whole.CustomerStack = narrowed.CustomerStack
		assert.Len(t, narrowed.Customers, 1)
		a, err := f.Record(f.CustomerStack(key), narrowed)
		require.NoError(t, err, key)
		b, err := f.Record(f.CustomerStack(key), whole)
		require.NoError(t, err, key)
		require.NotEmpty(t, a)
		assert.Equal(t, b, a, key)
	}
}

// TestConfigTypesMatchPulumiYAML: Pulumi checks each stack value against
// the type Pulumi.yaml declares, with the operator's structured values
// arriving as JSON; every value the manifests write passes that check.
func TestConfigTypesMatchPulumiYAML(t *testing.T) {
	proj, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	require.NoError(t, err)
	s := stackSettings(t, "prod")
	s.Retention = map[string]landingzone.RetentionOverride{"healthcare": {HotDays: 180}}
	s.Decommission = []string{"acme-finance"}
	s.OperatorEmails = map[string][]string{landingzone.AllTiers: {"noc@example.com"}}
	f := newFleet(t, "prod", customers.Catalog(), s)
	m, err := Operator(f, OperatorOptions{Outputs: outputsFor(f)})
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, d := range documents(t, m.YAML) {
		for k, v := range dig(t, d, "spec", "config").(map[string]any) {
			short := strings.TrimPrefix(k, landingzone.ConfigNamespace+":")
			typ, ok := proj.Config[short]
			require.True(t, ok, "%s is not declared in Pulumi.yaml", k)
			require.NotNil(t, typ.Type, k)
			content := v
			if _, isString := v.(string); !isString {
				// The operator's agent sends it as JSON (set-all --json).
				b, err := json.Marshal(v)
				require.NoError(t, err)
				require.NoError(t, json.Unmarshal(b, &content))
			}
			assert.True(t, workspace.ValidateConfigValue(*typ.Type, typ.Items, content), "%s = %#v is not a %s", k, v, *typ.Type)
			seen[short] = true
		}
	}
	for _, k := range append(slices.Clone(structuredKeys), append(booleanKeys, integerKeys...)...) {
		assert.True(t, seen[k], "%s was checked", k)
	}
}

// TestOperatorAccounts: the account ids AWS assigns come from the outputs,
// or from the catalog for an adopted account; otherwise the customer is
// named, or left out with --allow-pending.
func TestOperatorAccounts(t *testing.T) {
	catalog := customers.Catalog()
	catalog[1].ExistingAccountID = "210987654321" // quantumbank-fintech: adopted
	catalog[1].Email = "root@quantumbank.example"
	f := newFleet(t, "prod", catalog, stackSettings(t, "prod"))

	_, err := Operator(f, OperatorOptions{})
	ps := problems(t, err)
	assert.Len(t, ps, 10, "9 created accounts unknown, and how to give them")
	assert.True(t, hasProblem(ps, `customer "acme-finance"`, "accountId", "AWS assigns it"), "%v", ps)
	assert.False(t, hasProblem(ps, `customer "quantumbank-fintech"`, "accountId", ""), "an adopted account's id is known")
	assert.True(t, hasProblem(ps, "--outputs", "", "pulumi stack output --json --stack prod"), "%v", ps)

	m, err := Operator(f, OperatorOptions{AllowPending: true})
	require.NoError(t, err)
	docs := documents(t, m.YAML)
	require.Len(t, docs, 2, "the organization stack and the adopted customer's")
	assert.Equal(t, "prod--quantumbank-fintech", dig(t, docs[1], "metadata", "name"))
	assert.Equal(t, "210987654321", dig(t, docs[1], "spec", "config", "tierzone:customerStack", "accountId"))
	assert.Contains(t, m.Notes[len(m.Notes)-1], "left out until the organization stack has created their accounts")
	assert.Contains(t, string(m.YAML), "# NOTE: left out")

	// Outputs of some customers only: the others are still named.
	outs := outputsFor(f)
	delete(outs, "techstartup-std")
	_, err = Operator(f, OperatorOptions{Outputs: outs})
	ps = problems(t, err)
	assert.True(t, hasProblem(ps, `customer "techstartup-std"`, "accountId", ""), "%v", ps)
	assert.True(t, hasProblem(ps, "--outputs", "", "has no account for techstartup-std"), "%v", ps)

	// Outputs that disagree with the catalog or the settings.
	outs = outputsFor(f)
	outs["quantumbank-fintech"] = automation.CustomerOutputs{AccountID: "999999999999"}
	o := outs["acme-finance"]
	o.ArchiveDestination = "arn:aws:s3:::another-bucket/fintech/acme-finance/"
	outs["acme-finance"] = o
	_, err = Operator(f, OperatorOptions{Outputs: outs, OutputsSource: "--outputs x.json"})
	ps = problems(t, err)
	assert.True(t, hasProblem(ps, `customer "quantumbank-fintech"`, "accountId", "--outputs x.json says 999999999999, the catalog adopts 210987654321"), "%v", ps)
	assert.True(t, hasProblem(ps, `customer "acme-finance"`, "archiveDestination", "another-bucket"), "%v", ps)

	// An id the program would reject is rejected here.
	outs = outputsFor(f)
	outs["acme-finance"] = automation.CustomerOutputs{AccountID: "12345"}
	_, err = Operator(f, OperatorOptions{Outputs: outs})
	ps = problems(t, err)
	assert.True(t, hasProblem(ps, `stack config "tierzone:customerStack"`, "accountId", "not a 12-digit"), "%v", ps)
}

// TestOperatorRefusesSingleLayoutState: outputs holding customer VPCs are
// a deployed single stack; its organization Stack would delete them.
func TestOperatorRefusesSingleLayoutState(t *testing.T) {
	f := newFleet(t, "dev", customers.Catalog(), stackSettings(t, "dev"))
	outs := outputsFor(f)
	o := outs["medicorp-health"]
	o.VPCID = "vpc-0123"
	outs["medicorp-health"] = o
	_, err := Operator(f, OperatorOptions{Outputs: outs})
	ps := problems(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, `stack "dev"`, ps[0].Subject)
	assert.Contains(t, ps[0].Message, "customer VPCs (medicorp-health)")
	assert.Contains(t, ps[0].Message, "migrate it first")
}

func TestNewRefusesACustomerStack(t *testing.T) {
	s := stackSettings(t, "dev")
	s.Layout = landingzone.LayoutSharded
	s.CustomerStack = &landingzone.CustomerStackRef{Customer: "acme-finance", AccountID: "123456789012", ArchiveDestination: "arn:aws:s3:::b/fintech/acme-finance/"}
	_, err := New("dev.acme-finance", customers.Catalog(), s)
	ps := problems(t, err)
	assert.True(t, hasProblem(ps, `stack config "tierzone:customerStack"`, "", "is a customer stack"), "%v", ps)
	// And the catalog's and settings' own problems name customer and field.
	catalog := customers.Catalog()
	catalog[0].VPCCIDR = "8.8.0.0/16"
	s = stackSettings(t, "dev")
	s.OrganizationRootID = "root"
	_, err = New("dev", catalog, s)
	ps = problems(t, err)
	assert.True(t, hasProblem(ps, `customer "acme-finance"`, "vpcCidr", ""), "%v", ps)
	assert.True(t, hasProblem(ps, `stack config "tierzone:organizationRootId"`, "", "not a root id"), "%v", ps)
}

func TestOperatorOptions(t *testing.T) {
	f := newFleet(t, "dev", customers.Catalog(), stackSettings(t, "dev"))
	m, err := Operator(f, OperatorOptions{
		Outputs: outputsFor(f), Commit: "0123abcd", Backend: "s3://state/tierzone", PulumiOrganization: "organization",
		GitSecret: "git", AWSSecret: "aws", ServiceAccount: "tz", WorkspaceImage: "img:1", Refresh: true, ResyncSeconds: 300,
	})
	require.NoError(t, err)
	spec := dig(t, documents(t, m.YAML)[1], "spec").(map[string]any)
	assert.Equal(t, "organization/tierzone/dev.acme-finance", spec["stack"])
	assert.Equal(t, "0123abcd", spec["commit"])
	assert.NotContains(t, spec, "branch")
	assert.NotContains(t, spec, "shallow", "a shallow clone has only the branch's tip")
	assert.Equal(t, "s3://state/tierzone", spec["backend"])
	env := spec["envRefs"].(map[string]any)
	assert.NotContains(t, env, "PULUMI_ACCESS_TOKEN", "not Pulumi Cloud")
	assert.Equal(t, "aws", dig(t, env, "AWS_ACCESS_KEY_ID", "secret", "name"))
	assert.Equal(t, "git", dig(t, spec, "gitAuth", "accessToken", "secret", "name"))
	assert.Equal(t, "tz", spec["serviceAccountName"])
	assert.Equal(t, "img:1", dig(t, spec, "workspaceTemplate", "spec", "image"))
	assert.Equal(t, true, spec["refresh"])
	assert.Equal(t, 300, spec["resyncFrequencySeconds"])
}

func TestParseOutputs(t *testing.T) {
	cli := `{"customers": {"acme-finance": {"accountId": "123456789012", "tier": "fintech", "archiveDestination": "arn:aws:s3:::b/fintech/acme-finance/"}}, "tiers": {}}`
	stack := `{"apiVersion": "pulumi.com/v1", "kind": "Stack", "status": {"outputs": ` + cli + `}}`
	for _, raw := range []string{cli, stack} {
		outs, err := ParseOutputs([]byte(raw))
		require.NoError(t, err)
		assert.Equal(t, "123456789012", outs["acme-finance"].AccountID)
	}
	for raw, want := range map[string]string{
		`not json`:                           "want the JSON",
		`{"tiers": {}}`:                      `no "customers" output`,
		`{"kind": "Stack", "status": {}}`:    "no status.outputs yet",
		`{"customers": {"a": {"tier": 7}}}`:  `customer "a"`,
		`{"customers": ["not", "a", "map"]}`: "want a map",
	} {
		_, err := ParseOutputs([]byte(raw))
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), want, raw)
	}
}

// TestStackNames: names fit the operator's 42 characters and DNS-1035
// (the operator names a Service after the Stack), stay readable when they
// can, and are deterministic and distinct when they must be shortened.
func TestStackNames(t *testing.T) {
	assert.Equal(t, "prod", OrganizationName("prod"))
	assert.Equal(t, "prod--acme-finance", CustomerName("prod", "acme-finance"))
	// Across fleets sharing a namespace, the separator keeps names apart.
	assert.NotEqual(t, CustomerName("prod", "acme-finance"), CustomerName("prod-acme", "finance"))
	assert.NotEqual(t, OrganizationName("prod-acme"), CustomerName("prod", "acme"))

	long := strings.Repeat("k", 31) + "a" // 32 characters, the longest key
	var names []string
	for _, stack := range []string{"prod", "production-eu-west-1", "Prod_EU", "2026prod", "a--b", strings.Repeat("x", 60)} {
		names = append(names, OrganizationName(stack))
		for _, key := range []string{"acme-finance", long, long[:31] + "b", long[:30] + "-c", "k"} {
			names = append(names, CustomerName(stack, key))
		}
	}
	seen := map[string]bool{}
	for _, n := range names {
		assert.LessOrEqual(t, len(n), MaxNameLength, n)
		assert.Regexp(t, label, n, "DNS-1035 label")
		assert.Regexp(t, dns1123Label, n)
		assert.False(t, seen[n], "%s twice", n)
		seen[n] = true
	}
	// Shortened names keep a readable prefix and are deterministic.
	n := CustomerName("production-eu-west-1", long)
	assert.True(t, strings.HasPrefix(n, "production-eu-west-1-kkkk"), n)
	assert.Equal(t, n, CustomerName("production-eu-west-1", long))
	assert.Len(t, n, MaxNameLength)
	assert.True(t, strings.HasPrefix(OrganizationName("2026prod"), "s-2026prod-"), OrganizationName("2026prod"))
	assert.True(t, strings.HasPrefix(OrganizationName("Prod_EU"), "prod-eu-"), OrganizationName("Prod_EU"))
}
