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
	"github.com/tierzone/tierzone/internal/fakeaws"
	"github.com/tierzone/tierzone/plan"
)

// yamlArchiveBucket is the archive the YAML program's flow logs deliver to;
// another stack (the organization's) owns it, so the test seeds it.
const yamlArchiveBucket = "tierzone-yaml-archive"

// yamlProgram uses the component package from YAML: the customer's tier OU,
// its account, an aws provider into the account, and its VPC. Only the tier
// key and the catalog entry go in; the tier's rules come from tiers/.
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
      parentId: %s
      settings: ${settings}
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
      archiveDestination: arn:aws:s3:::%s/fintech/acme-finance/
      settings: ${settings}
    options:
      providers:
        - ${customer-aws}
outputs:
  ouId: ${fintech.ouId}
  accountId: ${account.accountId}
  vpcId: ${vpc.vpcId}
`

// TestYAMLProgramUsesTheComponentPackage runs a YAML program that uses
// tierzone:org:TierOU, tierzone:org:CustomerAccount and
// tierzone:network:CustomerVPC through the component provider
// (cmd/pulumi-resource-tierzone) under the real engine: up, then a preview
// with no changes, and the same cloud resources, with the same inputs, as
// the Go program registers for that customer's OU, account and VPC.
func TestYAMLProgramUsesTheComponentPackage(t *testing.T) {
	e := newEnv(t, nil)
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
	require.NoError(t, fakeaws.SeedBucket(vars["FAKEAWS_DIR"], fakeManagement, yamlArchiveBucket))

	dir := filepath.Join(e.work, "yaml")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), fmt.Appendf(nil, yamlProgram, fakeRoot, yamlArchiveBucket), 0o644))

	ctx := context.Background()
	stack, err := auto.UpsertStackLocalSource(ctx, "yaml", dir, auto.Pulumi(e.tools.CLI), auto.EnvVars(vars))
	require.NoError(t, err)
	// The management account's default provider, as a user sets it.
	require.NoError(t, stack.SetConfig(ctx, "aws:region", auto.ConfigValue{Value: "us-east-1"}))
	progress := optup.ProgressStreams(testWriter{t})
	up, err := stack.Up(ctx, progress)
	require.NoError(t, err, "pulumi up of the YAML program")
	require.Regexp(t, `^\d{12}$`, up.Outputs["accountId"].Value)

	pre, err := stack.Preview(ctx, optpreview.ProgressStreams(testWriter{t}))
	require.NoError(t, err)
	for kind, n := range pre.ChangeSummary {
		if !noChange(string(kind)) && n > 0 {
			t.Errorf("the preview after up wants %d %s: the YAML program is not stable", n, kind)
		}
	}

	dep, err := stack.Export(ctx)
	require.NoError(t, err)
	got := componentChildren(parseStateInputs(t, dep.Deployment))

	// The Go program's registrations for the same customer, offline.
	cfg, err := plan.LoadStack(root, "prod")
	require.NoError(t, err)
	delete(cfg, "tierzone:customers")
	var catalog []customers.Customer
	for _, c := range customers.Catalog() {
		if c.Key == "acme-finance" {
			catalog = append(catalog, c)
		}
	}
	rep, err := plan.Build("prod", cfg, catalog)
	require.NoError(t, err)
	var goRes []inputsOf
	for _, r := range rep.Resources {
		goRes = append(goRes, inputsOf{URN: r.URN, Type: r.Type, Parent: r.Parent, Custom: r.Custom, Inputs: r.Inputs})
	}
	want := componentChildren(goRes)

	// The Go program attaches its baseline SCP to every tier OU; the YAML
	// program has no baseline policy (it would need the aws package's
	// resource schemas, which the fake does not serve), so leave it out.
	delete(want, "aws:organizations/policyAttachment:PolicyAttachment fintech-baseline-attachment")
	require.Equal(t, sortedKeys(want), sortedKeys(got), "the YAML program's cloud resources under TierOU, CustomerAccount and CustomerVPC")
	for k, w := range want {
		require.Equal(t, w, got[k], "inputs of %s (ids, ARNs and account-specific documents left out)", k)
	}
}

var autoName = regexp.MustCompile(`-[0-9a-f]{7}$`)

// inputsOf is a resource with its inputs, from a plan or a state.
type inputsOf struct {
	URN, Type, Parent string
	Custom            bool
	Inputs            map[string]any
}

func parseStateInputs(t *testing.T, raw []byte) []inputsOf {
	t.Helper()
	var d struct {
		Resources []struct {
			URN    string         `json:"urn"`
			Type   string         `json:"type"`
			Parent string         `json:"parent"`
			Custom bool           `json:"custom"`
			Inputs map[string]any `json:"inputs"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(raw, &d))
	var out []inputsOf
	for _, r := range d.Resources {
		out = append(out, inputsOf{URN: r.URN, Type: r.Type, Parent: r.Parent, Custom: r.Custom, Inputs: r.Inputs})
	}
	return out
}

// componentChildren are the cloud resources directly under the fintech
// TierOU and acme-finance's CustomerAccount and CustomerVPC, by "type name", with the
// inputs that do not depend on ids the cloud assigns.
func componentChildren(rs []inputsOf) map[string]map[string]any {
	parents := []string{components.TierOUType + "::fintech", components.CustomerAccountType + "::acme-finance", components.CustomerVPCType + "::acme-finance"}
	out := map[string]map[string]any{}
	for _, r := range rs {
		if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") {
			continue
		}
		if !slices.ContainsFunc(parents, func(p string) bool { return strings.HasSuffix(r.Parent, "$"+p) || strings.HasSuffix(r.Parent, "::"+p) }) {
			continue
		}
		name := r.URN[strings.LastIndex(r.URN, "::")+2:]
		in := comparable(normalized(r.Inputs))
		if v, ok := in["name"].(string); ok && autoName.MatchString(v) && strings.HasPrefix(v, name+"-") {
			// The provider's auto-name (logical name and a random suffix),
			// which only a real engine's Check adds.
			delete(in, "name")
		}
		out[r.Type+" "+name] = in
	}
	return out
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

// comparable drops the inputs that hold ids, ARNs or documents naming
// accounts, and references by name (a role policy's role): they differ
// between the mock engine and the fake cloud.
func comparable(in map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		if k == "__defaults" || strings.HasSuffix(k, "Id") || strings.HasSuffix(k, "Ids") || strings.HasSuffix(k, "Arn") ||
			strings.Contains(strings.ToLower(k), "policy") || k == "logDestination" || k == "role" {
			continue
		}
		out[k] = v
	}
	return out
}
