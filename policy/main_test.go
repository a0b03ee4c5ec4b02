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

func TestPackHasOneMandatoryStackPolicyPerRule(t *testing.T) {
	pack, err := newPack(nil)
	require.NoError(t, err)
	assert.Equal(t, PackName, pack.Name())
	var names []string
	for _, p := range pack.Policies() {
		_, isStack := p.(policyx.StackValidationPolicy)
		assert.True(t, isStack, p.Name())
		assert.Equal(t, policyx.EnforcementLevelMandatory, p.EnforcementLevel(), p.Name())
		assert.NotEmpty(t, p.Description())
		names = append(names, p.Name())
	}
	var want []string
	for _, r := range rules.All() {
		want = append(want, r.Name)
	}
	assert.Equal(t, want, names)
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
