package main

import (
	"context"
	"os"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/tierzone/tierzone/policy/rules"
)

type violation struct{ message, urn string }

type manager struct{ got []violation }

func (m *manager) ReportViolation(message, urn string) {
	m.got = append(m.got, violation{message, urn})
}

func TestPackHasOneMandatoryPolicyPerRule(t *testing.T) {
	pack, err := newPack(nil)
	require.NoError(t, err)
	assert.Equal(t, PackName, pack.Name())
	var stack, resource []string
	for _, p := range pack.Policies() {
		assert.Equal(t, policyx.EnforcementLevelMandatory, p.EnforcementLevel(), p.Name())
		assert.NotEmpty(t, p.Description())
		switch p.(type) {
		case policyx.StackValidationPolicy:
			stack = append(stack, p.Name())
		case policyx.ResourceValidationPolicy:
			resource = append(resource, p.Name())
		default:
			t.Errorf("%s is neither a stack nor a resource validation policy", p.Name())
		}
	}
	var wantStack, wantResource []string
	for _, r := range rules.All() {
		wantStack = append(wantStack, r.Name)
	}
	for _, r := range rules.ResourceRules() {
		wantResource = append(wantResource, r.Name)
	}
	assert.Equal(t, wantStack, stack)
	assert.Equal(t, wantResource, resource, "the pack lists the resource policies")
	assert.Subset(t, resource, []string{rules.FlowLogAllTraffic, rules.CustomerTagsInputs, rules.S3KMSEncryption,
		rules.S3PublicAccessBlock, rules.DefaultSGNoRulesInputs, rules.ArchiveRetentionFloor})
	for _, n := range resource {
		assert.NotContains(t, stack, n, "a resource policy's name is distinct from the stack policies'")
	}
}

// TestResourcePolicyJudgesInputs: the engine hands a resource policy one
// resource's inputs, its parent in the options and its provider; a new
// customer's flow log of REJECT traffic is reported on that flow log.
func TestResourcePolicyJudgesInputs(t *testing.T) {
	const parent = "urn:pulumi:t::tierzone::tierzone:landingzone:LandingZone$tierzone:network:CustomerVPC::acme"
	const flURN = "urn:pulumi:t::tierzone::tierzone:landingzone:LandingZone$tierzone:network:CustomerVPC$aws:ec2/flowLog:FlowLog::acme-flow-log"
	flowLog := func(traffic string) policyx.AnalyzerResource {
		return policyx.AnalyzerResource{
			Type: "aws:ec2/flowLog:FlowLog", URN: flURN, Name: "acme-flow-log", Parent: parent,
			Properties: resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(map[string]any{
				"trafficType": traffic, "tags": map[string]any{"customer": "acme", "tier": "fintech"},
			})),
		}
	}
	pack, err := newPack(nil)
	require.NoError(t, err)
	var got []violation
	for _, p := range pack.Policies() {
		rp, ok := p.(policyx.ResourceValidationPolicy)
		if !ok {
			continue
		}
		for _, traffic := range []string{"ALL", "REJECT"} {
			m := &manager{}
			require.NoError(t, rp.Validate(context.Background(), policyx.ResourceValidationArgs{Manager: m, Resource: flowLog(traffic), DryRun: true}))
			if traffic == "ALL" {
				assert.Empty(t, m.got, p.Name())
			}
			for _, v := range m.got {
				assert.Equal(t, rules.FlowLogAllTraffic, p.Name(), "only the flow log rule fires: %v", v)
			}
			got = append(got, m.got...)
		}
	}
	require.Len(t, got, 1)
	assert.Equal(t, flURN, got[0].urn)
	assert.Contains(t, got[0].message, `acme-flow-log captures "REJECT" traffic, not ALL`)
}

func TestPolicyReportsViolationsWithTheirResource(t *testing.T) {
	const vpcURN = "urn:pulumi:t::tierzone::tierzone:landingzone:LandingZone$tierzone:network:CustomerVPC$aws:ec2/vpc:Vpc::acme-vpc"
	res := []policyx.AnalyzerResource{{
		Type: "aws:ec2/vpc:Vpc", URN: vpcURN, Name: "acme-vpc",
		Parent:     "urn:pulumi:t::tierzone::tierzone:landingzone:LandingZone$tierzone:network:CustomerVPC::acme",
		Properties: resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(map[string]any{"cidrBlock": "10.0.0.0/16"})),
	}}
	pack, err := newPack(nil)
	require.NoError(t, err)
	for _, p := range pack.Policies() {
		if p.Name() != rules.VPCFlowLogs {
			continue
		}
		m := &manager{}
		err := p.(policyx.StackValidationPolicy).Validate(context.Background(), policyx.StackValidationArgs{Manager: m, Resources: res})
		require.NoError(t, err)
		require.Len(t, m.got, 1)
		assert.Equal(t, vpcURN, m.got[0].urn)
		assert.Contains(t, m.got[0].message, "acme-vpc has no flow log")
		return
	}
	t.Fatalf("no %s policy", rules.VPCFlowLogs)
}

func TestPulumiPolicyYaml(t *testing.T) {
	raw, err := os.ReadFile("PulumiPolicy.yaml")
	require.NoError(t, err)
	var proj struct {
		Runtime string `yaml:"runtime"`
		Version string `yaml:"version"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &proj))
	assert.Equal(t, "go", proj.Runtime, "the engine boots the pack with the Go language host")
	assert.Equal(t, Version, proj.Version, "PulumiPolicy.yaml's version overrides the code's; keep them equal")
}
