package fleet

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
)

// singleState is the state a single-layout stack prod would have after an
// up: what the program registers under the mocks, with the outputs the
// split reads (the customers output, the archive buckets' ARNs).
func singleState(t *testing.T, s landingzone.Settings) apitype.DeploymentV3 {
	t.Helper()
	s.Layout = landingzone.LayoutSingle
	cfg, err := automation.ConfigMap(s)
	require.NoError(t, err)
	rec, err := recorder.Run("prod", cfg, landingzone.Program(customers.Catalog()))
	require.NoError(t, err)
	root := resource.URN("urn:pulumi:prod::tierzone::pulumi:pulumi:Stack::tierzone-prod")
	custs := map[string]any{}
	dep := apitype.DeploymentV3{Resources: []apitype.ResourceV3{{URN: root, Type: resource.RootStackType, Outputs: map[string]any{"customers": custs}}}}
	for _, r := range rec.Resources() {
		in := r.Inputs.Mappable()
		out := map[string]any{}
		switch r.Type {
		case "aws:s3/bucketV2:BucketV2":
			out["arn"] = "arn:aws:s3:::" + in["bucket"].(string)
		case "aws:oam/sink:Sink":
			out["arn"] = "arn:aws:oam:us-east-1:444455556666:sink/mock-sink"
		case "aws:organizations/account:Account":
			custs[strings.TrimSuffix(r.Name, "-account")] = map[string]any{"accountId": r.ID, "vpcId": "vpc-1"}
		}
		parent := resource.URN(r.Parent)
		if parent == "" {
			parent = root
		}
		var deps []resource.URN
		for _, d := range r.Dependencies {
			deps = append(deps, resource.URN(d))
		}
		dep.Resources = append(dep.Resources, apitype.ResourceV3{
			URN: resource.URN(r.URN), Type: tokens.Type(r.Type), Custom: r.Custom, ID: resource.ID(r.ID),
			Parent: parent, Provider: r.Provider, Dependencies: deps, Inputs: in, Outputs: out, Protect: r.Protect,
		})
	}
	return dep
}

// TestSplitFollowsTheScopes: the single stack's state splits into an
// organization stack without VPCs and customer stacks holding only their
// customer's resources, under their own stack names, every reference
// (parent, provider, dependency) resolving inside the stack that holds
// it, and nothing of the single stack lost.
func TestSplitFollowsTheScopes(t *testing.T) {
	s := sharded()
	f, err := newFleet("", Options{Stack: "prod", WorkDir: t.TempDir(), Settings: s})
	require.NoError(t, err)
	state := singleState(t, s)
	sp, err := f.split(&state)
	require.NoError(t, err)
	require.Equal(t, s.Customers, sp.keys)

	held := map[string]bool{}
	check := func(stack string, dep apitype.DeploymentV3) {
		urns := map[resource.URN]bool{}
		for _, r := range dep.Resources {
			assert.True(t, strings.HasPrefix(string(r.URN), "urn:pulumi:"+stack+"::"), "%s in stack %s", r.URN, stack)
			urns[r.URN] = true
			held[urnTail(r.URN)] = true
		}
		for _, r := range dep.Resources[1:] {
			assert.True(t, urns[r.Parent], "%s: parent %s not in %s", r.URN, r.Parent, stack)
			if r.Provider != "" {
				assert.True(t, urns[resource.URN(r.Provider[:strings.LastIndex(r.Provider, "::")])], "%s: provider %s not in %s", r.URN, r.Provider, stack)
			}
			for _, d := range r.Dependencies {
				assert.True(t, urns[d], "%s: dependency %s not in %s", r.URN, d, stack)
			}
		}
	}
	check("prod", sp.org)
	for _, r := range sp.org.Resources {
		assert.NotEqual(t, components.CustomerVPCType, string(r.Type))
	}
	orgOut := sp.org.Resources[0].Outputs["customers"].(map[string]any)
	for _, key := range sp.keys {
		dep := sp.customers[key]
		check("prod."+key, dep)
		vpcs := 0
		for _, r := range dep.Resources[1:] {
			if string(r.Type) == components.CustomerVPCType {
				vpcs++
				assert.True(t, strings.HasSuffix(string(r.URN), "::"+key))
			}
			assert.NotEqual(t, "aws:organizations/account:Account", string(r.Type), "the account stays in the organization stack")
		}
		assert.Equal(t, 1, vpcs, key)
		out := orgOut[key].(map[string]any)
		assert.NotContains(t, out, "vpcId")
		assert.Regexp(t, `^arn:aws:s3:::tierzone-(commercial|gov-federal|healthcare)-logs-abcdefghij/[a-z-]+/`+key+`/$`, out["archiveDestination"])
		assert.Equal(t, out["archiveDestination"], sp.outputs[key].ArchiveDestination)
	}
	for _, r := range state.Resources {
		assert.True(t, held[urnTail(r.URN)] || r.Type == resource.RootStackType, "%s was lost", r.URN)
	}
}

// TestSplitRefusesAStateTheProgramDoesNotRegister: settings that differ
// from the deployed state, a stray resource and an interrupted update are
// each refused, naming what is wrong.
func TestSplitRefusesAStateTheProgramDoesNotRegister(t *testing.T) {
	s := sharded()
	for name, tc := range map[string]struct {
		edit func(*landingzone.Settings, *apitype.DeploymentV3)
		want string
	}{
		"customer added": {func(s *landingzone.Settings, _ *apitype.DeploymentV3) {
			s.Customers = append(s.Customers, "medicorp-health")
		}, `customer "medicorp-health": is in the settings of stack prod but not in its state`},
		"customer removed": {func(s *landingzone.Settings, _ *apitype.DeploymentV3) {
			s.Customers = s.Customers[:1]
		}, `customer "techgov-federal": is in the state of stack prod but not in its settings`},
		"stray resource": {func(_ *landingzone.Settings, d *apitype.DeploymentV3) {
			d.Resources = append(d.Resources, apitype.ResourceV3{URN: "urn:pulumi:prod::tierzone::aws:s3/bucketV2:BucketV2::stray", Type: "aws:s3/bucketV2:BucketV2", Custom: true})
		}, "its state holds urn:pulumi:prod::tierzone::aws:s3/bucketV2:BucketV2::stray"},
		"missing resource": {func(_ *landingzone.Settings, d *apitype.DeploymentV3) {
			for i, r := range d.Resources {
				if r.Type == "aws:ec2/vpc:Vpc" {
					d.Resources = append(d.Resources[:i], d.Resources[i+1:]...)
					return
				}
			}
		}, "its state lacks tierzone::"},
		"pending operations": {func(_ *landingzone.Settings, d *apitype.DeploymentV3) {
			d.PendingOperations = []apitype.OperationV2{{Type: apitype.OperationTypeCreating}}
		}, "pending operations"},
	} {
		t.Run(name, func(t *testing.T) {
			state := singleState(t, s)
			settings := s
			settings.Customers = append([]string(nil), s.Customers...)
			tc.edit(&settings, &state)
			f, err := newFleet("", Options{Stack: "prod", WorkDir: t.TempDir(), Settings: settings})
			require.NoError(t, err)
			_, err = f.split(&state)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), landingzone.NothingChanged)
		})
	}
}
