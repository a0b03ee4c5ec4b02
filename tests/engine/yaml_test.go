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

	dir := filepath.Join(e.work, "yaml")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), fmt.Appendf(nil, yamlProgram, fakeRoot, enginetest.FakeOrg, fakeSecurity, fakeManagement), 0o644))

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
	cfg["tierzone:organizationId"] = enginetest.FakeOrg
	cfg["tierzone:securityAccountId"] = fakeSecurity
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
		goRes = append(goRes, inputsOf{URN: r.URN, ID: r.ID, Type: r.Type, Parent: r.Parent, Custom: r.Custom, Inputs: r.Inputs})
	}
	want := componentChildren(goRes)

	// The Go program attaches its baseline SCP to every tier OU and creates
	// the organization trail in its LogArchive; the YAML program has neither
	// (the baseline would need the aws package's resource schemas, which the
	// fake does not serve; the package's LogArchive leaves the trail out).
	for k := range want {
		if strings.HasSuffix(k, "-baseline-attachment") || strings.HasPrefix(k, "aws:cloudtrail/") {
			delete(want, k)
		}
	}
	require.Equal(t, sortedKeys(want), sortedKeys(got), "the YAML program's cloud resources under TierOU, CustomerAccount and CustomerVPC")
	for k, w := range want {
		require.Equal(t, w, got[k], "inputs of %s (ids, ARNs and account-specific documents left out)", k)
	}
}

var autoName = regexp.MustCompile(`-[0-9a-f]{7}$`)

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
func componentChildren(rs []inputsOf) map[string]map[string]any {
	parents := []string{components.CustomerAccountType + "::acme-finance", components.CustomerVPCType + "::acme-finance", components.LogArchiveType + "::log-archive"}
	for _, tier := range tiers.Keys() {
		parents = append(parents, components.TierOUType+"::"+tier)
	}
	ids := map[string]bool{}
	for _, r := range rs {
		if r.ID != "" {
			ids[r.ID] = true
		}
	}
	out := map[string]map[string]any{}
	for _, r := range rs {
		if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") {
			continue
		}
		if !slices.ContainsFunc(parents, func(p string) bool { return strings.HasSuffix(r.Parent, "$"+p) || strings.HasSuffix(r.Parent, "::"+p) }) {
			continue
		}
		name := r.URN[strings.LastIndex(r.URN, "::")+2:]
		// A resource's own id may be one of its inputs (a bucket's name):
		// only other resources' ids are references.
		others := map[string]bool{}
		for id := range ids {
			if id != r.ID {
				others[id] = true
			}
		}
		in := withoutIDs(comparable(normalized(r.Inputs)), others).(map[string]any)
		if r.Type != "aws:s3/bucketV2:BucketV2" {
			// The bucket a bucket setting applies to, by name: the cloud
			// makes it the setting's id too, the mock does not.
			delete(in, "bucket")
		}
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

// withoutIDs replaces every value that is another resource's id (the
// mock's "<name>-id", the cloud's own) with "<id>".
func withoutIDs(v any, ids map[string]bool) any {
	switch v := v.(type) {
	case string:
		if ids[v] {
			return "<id>"
		}
		if strings.HasPrefix(v, "arn:") {
			// ARNs carry account ids and ids.
			return "<arn>"
		}
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			out[k] = withoutIDs(e, ids)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = withoutIDs(e, ids)
		}
		return out
	}
	return v
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
