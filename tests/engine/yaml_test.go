//go:build engine

package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/internal/enginetest"
	"github.com/tierzone/tierzone/plan"
	"github.com/tierzone/tierzone/tiers"
)

// yamlProgram uses the component package from YAML: every tier's OU, the
// log archive, a customer's account, an aws provider into the account, and
// the customer's VPC. Only tier keys and the catalog entry go in; the
// tiers' rules come from tiers/. Placeholders: the organization root, the
// organization id, the security account, the management account.
const yamlProgram = `name: tierzone-yaml
runtime: yaml
description: A Tierzone customer from YAML through the tierzone component package.
variables:
  customer:
    key: acme-finance
    name: ACME Finance Inc
    tier: fintech
    contactEmail: john@acmefinance.com
    vpcCidr: 10.0.0.0/16
  settings:
    accountEmailMailbox: aws-accounts@tierzone.example
resources:
  fintech:
    type: tierzone:org:TierOU
    properties:
      tier: fintech
      parentId: %[1]s
  healthcare:
    type: tierzone:org:TierOU
    properties:
      tier: healthcare
      parentId: %[1]s
  gov-federal:
    type: tierzone:org:TierOU
    properties:
      tier: gov-federal
      parentId: %[1]s
  standard:
    type: tierzone:org:TierOU
    properties:
      tier: standard
      parentId: %[1]s
  log-archive:
    type: tierzone:logging:LogArchive
    properties:
      organizationId: %[2]s
      securityAccountId: "%[3]s"
      accountId: "%[4]s"
      managementAccountId: "%[4]s"
      tierOuIds:
        fintech: ${fintech.ouId}
        healthcare: ${healthcare.ouId}
        gov-federal: ${gov-federal.ouId}
        standard: ${standard.ouId}
  account:
    type: tierzone:org:CustomerAccount
    name: acme-finance
    properties:
      customer: ${customer}
      parentId: ${fintech.ouId}
      settings: ${settings}
  customer-aws:
    type: pulumi:providers:aws
    properties:
      region: us-east-1
      assumeRole:
        roleArn: ${account.roleArn}
        sessionName: tierzone-acme-finance
      allowedAccountIds:
        - ${account.accountId}
  vpc:
    type: tierzone:network:CustomerVPC
    name: acme-finance
    properties:
      customer: ${customer}
      accountId: ${account.accountId}
      archiveDestination: arn:aws:s3:::${log-archive.buckets.commercial.bucket}/fintech/acme-finance/
    options:
      providers:
        - ${customer-aws}
outputs:
  ouId: ${fintech.ouId}
  accountId: ${account.accountId}
  vpcId: ${vpc.vpcId}
  archive: ${log-archive.buckets}
`

// TestYAMLProgramUsesTheComponentPackage runs a YAML program that uses
// tierzone:org:TierOU, tierzone:logging:LogArchive, tierzone:org:
// CustomerAccount and tierzone:network:CustomerVPC through the component provider
// (cmd/pulumi-resource-tierzone) under the real engine: up, then a preview
// with no changes, and the same cloud resources, with the same inputs, as
// the Go program registers for the tier OUs, the archive and that
// customer's account and VPC.
// upYAML runs a YAML program through the component provider under the
// engine: up, then a preview that must change nothing. It returns the
// stack's resources with their inputs and the up's outputs.
func upYAML(t *testing.T, e *env, name, program string) ([]inputsOf, auto.OutputMap) {
	t.Helper()
	root := e.tools.Root
	// The package's plugin and the YAML language host go on PATH beside the
	// fake aws provider: the engine runs the plugins it finds there.
	build := exec.Command("go", "build", "-o", filepath.Join(e.tools.PluginDir, "pulumi-resource-tierzone"), ".")
	build.Dir = filepath.Join(root, "cmd", "pulumi-resource-tierzone")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "build the component provider:\n%s", out)
	host, err := exec.Command(filepath.Join(root, "scripts", "pulumi-language-yaml")).Output()
	require.NoError(t, err, "scripts/pulumi-language-yaml")
	vars := maps.Clone(e.vars)
	vars["PATH"] = filepath.Dir(strings.TrimSpace(string(host))) + string(os.PathListSeparator) + vars["PATH"]
	vars["PULUMI_BACKEND_URL"] = "file://" + filepath.Join(e.work, "state")
	require.NoError(t, os.MkdirAll(filepath.Join(e.work, "state"), 0o755))

	dir := filepath.Join(e.work, name)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(program), 0o644))

	ctx := context.Background()
	stack, err := auto.UpsertStackLocalSource(ctx, "yaml", dir, auto.Pulumi(e.tools.CLI), auto.EnvVars(vars))
	require.NoError(t, err)
	// The management account's default provider, as a user sets it.
	require.NoError(t, stack.SetConfig(ctx, "aws:region", auto.ConfigValue{Value: "us-east-1"}))
	up, err := stack.Up(ctx, optup.ProgressStreams(testWriter{t}))
	require.NoError(t, err, "pulumi up of the YAML program")

	pre, err := stack.Preview(ctx, optpreview.ProgressStreams(testWriter{t}))
	require.NoError(t, err)
	for kind, n := range pre.ChangeSummary {
		if !noChange(string(kind)) && n > 0 {
			t.Errorf("the preview after up wants %d %s: the YAML program is not stable", n, kind)
		}
	}
	dep, err := stack.Export(ctx)
	require.NoError(t, err)
	return parseStateInputs(t, dep.Deployment), up.Outputs
}

func TestYAMLProgramUsesTheComponentPackage(t *testing.T) {
	e := newEnv(t, nil)
	root := e.tools.Root
	res, outputs := upYAML(t, e, "components", fmt.Sprintf(yamlProgram, fakeRoot, enginetest.FakeOrg, fakeSecurity, fakeManagement))
	require.Regexp(t, `^\d{12}$`, outputs["accountId"].Value)
	got := componentChildren(res)

	// The Go program's registrations for the same customer, offline.
	cfg, err := plan.LoadStack(root, "prod")
	require.NoError(t, err)
	delete(cfg, "tierzone:customers")
	cfg["tierzone:organizationRootId"] = fakeRoot
	cfg["tierzone:organizationId"] = enginetest.FakeOrg
	cfg["tierzone:securityAccountId"] = fakeSecurity
	want := componentChildren(goProgram(t, "prod", cfg, "acme-finance"))

	// The Go program attaches its baseline SCP to every tier OU and creates
	// the organization trail in its LogArchive; the YAML program has neither
	// (the baseline would need the aws package's resource schemas, which the
	// fake does not serve; the package's LogArchive leaves the trail out).
	for k := range want {
		if strings.HasSuffix(k, "-baseline-attachment") || strings.HasPrefix(k, "aws:cloudtrail/") {
			delete(want, k)
		}
	}
	sameCloud(t, want, got)
}

var (
	autoName  = regexp.MustCompile(`-[0-9a-f]{7}$`)
	accountID = regexp.MustCompile(`[0-9]{12}`)
)

// goProgram is what the Go program registers, offline, for the seed
// customers keys with the stack config cfg.
func goProgram(t *testing.T, stack string, cfg map[string]string, keys ...string) []inputsOf {
	t.Helper()
	var catalog []customers.Customer
	for _, c := range customers.Catalog() {
		if slices.Contains(keys, c.Key) {
			catalog = append(catalog, c)
		}
	}
	require.Len(t, catalog, len(keys), "seed customers %v", keys)
	rep, err := plan.Build(stack, cfg, catalog)
	require.NoError(t, err)
	var out []inputsOf
	for _, r := range rep.Resources {
		out = append(out, inputsOf{URN: r.URN, ID: r.ID, Type: r.Type, Parent: r.Parent, Custom: r.Custom, Inputs: r.Inputs})
	}
	return out
}

// inputsOf is a resource with its inputs, from a plan or a state.
type inputsOf struct {
	URN, Type, Parent, ID string
	Custom                bool
	Inputs                map[string]any
}

func parseStateInputs(t *testing.T, raw []byte) []inputsOf {
	t.Helper()
	var d struct {
		Resources []struct {
			URN    string         `json:"urn"`
			ID     string         `json:"id"`
			Type   string         `json:"type"`
			Parent string         `json:"parent"`
			Custom bool           `json:"custom"`
			Inputs map[string]any `json:"inputs"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(raw, &d))
	var out []inputsOf
	for _, r := range d.Resources {
		out = append(out, inputsOf{URN: r.URN, ID: r.ID, Type: r.Type, Parent: r.Parent, Custom: r.Custom, Inputs: r.Inputs})
	}
	return out
}

// componentChildren are the cloud resources directly under the tier OUs,
// the log archive and acme-finance's CustomerAccount and CustomerVPC, by
// "type name", with the
// inputs that do not depend on ids the cloud assigns.
func componentChildren(rs []inputsOf) map[string]cloudResource {
	parents := []string{components.CustomerAccountType + "::acme-finance", components.CustomerVPCType + "::acme-finance", components.LogArchiveType + "::log-archive"}
	for _, tier := range tiers.Keys() {
		parents = append(parents, components.TierOUType+"::"+tier)
	}
	return cloudInputs(rs, func(r inputsOf) bool {
		return slices.ContainsFunc(parents, func(p string) bool { return strings.HasSuffix(r.Parent, "$"+p) || strings.HasSuffix(r.Parent, "::"+p) })
	})
}

// cloudInputs are the cloud resources keep selects (never providers,
// components or stack references), by "type name", with the inputs that do
// not depend on ids the cloud assigns.
func cloudInputs(rs []inputsOf, keep func(inputsOf) bool) map[string]cloudResource {
	out := map[string]cloudResource{}
	for _, r := range rs {
		if !r.Custom || strings.HasPrefix(r.Type, "pulumi:") || !keep(r) {
			continue
		}
		name := r.URN[strings.LastIndex(r.URN, "::")+2:]
		in := comparable(normalized(r.Inputs))
		if v, ok := in["name"].(string); ok && autoName.MatchString(v) && strings.HasPrefix(v, name+"-") {
			// The provider's auto-name (logical name and a random suffix),
			// which only a real engine's Check adds.
			delete(in, "name")
		}
		out[r.Type+" "+name] = cloudResource{ID: r.ID, Inputs: in}
	}
	return out
}

// cloudResource is a resource's id and comparable inputs.
type cloudResource struct {
	ID     string
	Inputs map[string]any
}

// sameCloud requires got (the engine's state) to hold the resources of want
// (the Go program's plan) with the same inputs, once each reference to a
// planned resource's mock id is read as that resource's id in the cloud.
func sameCloud(t *testing.T, want, got map[string]cloudResource) {
	t.Helper()
	var missing, extra []string
	ids := map[string]string{}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			missing = append(missing, k)
			continue
		}
		ids[w.ID] = g.ID
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			extra = append(extra, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing)+len(extra) > 0 {
		t.Fatalf("the YAML program's cloud resources differ from the Go program's (%d there):\nmissing: %v\nextra: %v", len(want), missing, extra)
	}
	for _, k := range sortedKeys(want) {
		require.Equal(t, translated(want[k].Inputs, ids), translated(got[k].Inputs, nil), "inputs of %s (ARNs and account-specific documents left out)", k)
	}
}

// translated replaces the ids in ids by their cloud ids, every ARN (which
// names accounts and ids) by "<arn>", and account ids in other strings by
// "<account>".
func translated(v any, ids map[string]string) any {
	switch v := v.(type) {
	case string:
		if id, ok := ids[v]; ok {
			v = id
		}
		if strings.HasPrefix(v, "arn:") {
			return "<arn>"
		}
		if strings.HasPrefix(v, "{") {
			// A document (a dashboard body): the ids inside it too.
			for mock, cloud := range ids {
				v = strings.ReplaceAll(v, `"`+mock+`"`, `"`+cloud+`"`)
			}
		}
		// Account ids inside documents (a dashboard's alarm ARNs).
		return accountID.ReplaceAllString(v, "<account>")
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			out[k] = translated(e, ids)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = translated(e, ids)
		}
		return out
	}
	return v
}

// normalized is in as JSON reads it back, so plan and state values compare.
func normalized(in map[string]any) map[string]any {
	b, err := json.Marshal(in)
	if err != nil {
		panic(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// comparable drops the engine's bookkeeping, the policy documents (which
// name accounts the mock and the fake cloud number differently) and a role
// policy's role and an event target's rule (names the engine auto-names),
// and reads the Identity Store's ids (the store, group and user ids, which
// the mock and the cloud number differently) as "<identity>".
func comparable(in map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		if k == "__defaults" || k == "role" || k == "rule" || strings.Contains(strings.ToLower(k), "policy") {
			continue
		}
		switch k {
		case "identityStoreId", "principalId", "groupId", "memberId":
			v = "<identity>"
		}
		out[k] = v
	}
	return out
}

// yamlLandingZone is the whole landing zone from YAML: the catalog and the
// stack settings by key. Placeholders: root, organization, security account.
const yamlLandingZone = `name: tierzone-yaml-lz
runtime: yaml
resources:
  tierzone:
    type: tierzone:landingzone:LandingZone
    properties:
      customers:
        - key: acme-finance
          name: ACME Finance Inc
          tier: fintech
          contactEmail: john@acmefinance.com
          vpcCidr: 10.0.0.0/16
        - key: medicorp-health
          name: MediCorp Solutions Inc
          tier: healthcare
          contactEmail: compliance@medicorp.com
          vpcCidr: 10.1.0.0/16
      settings:
        organizationRootId: %s
        organizationId: %s
        securityAccountId: "%s"
        accountEmailMailbox: aws-accounts@tierzone.example
        protect: "false"
outputs:
  customers: ${tierzone.customers}
`

// TestYAMLLandingZone runs the whole landing zone from a YAML program
// through tierzone:landingzone:LandingZone: up, a preview with no changes,
// every cloud resource the Go program registers for the same catalog and
// settings, with the same inputs, and the program's customers output.
func TestYAMLLandingZone(t *testing.T) {
	e := newEnv(t, nil)
	settings := map[string]string{
		"organizationRootId": fakeRoot, "organizationId": enginetest.FakeOrg, "securityAccountId": fakeSecurity,
		"accountEmailMailbox": "aws-accounts@tierzone.example", "protect": "false",
	}
	res, outputs := upYAML(t, e, "landingzone", fmt.Sprintf(yamlLandingZone, fakeRoot, enginetest.FakeOrg, fakeSecurity))
	custs, ok := outputs["customers"].Value.(map[string]any)
	require.True(t, ok, "the customers output: %v", outputs["customers"])
	require.Len(t, custs, 2)
	for key, c := range custs {
		require.Regexp(t, `^\d{12}$`, c.(map[string]any)["accountId"], "%s's account id", key)
	}

	cfg := map[string]string{}
	for k, v := range settings {
		cfg["tierzone:"+k] = v
	}
	all := func(inputsOf) bool { return true }
	want, got := cloudInputs(goProgram(t, "yaml", cfg, "acme-finance", "medicorp-health"), all), cloudInputs(res, all)
	sameCloud(t, want, got)
}
