//go:build engine

package engine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/policy/rules"
)

// withPolicyPack runs the compliance pack, built as an executable from
// ./policy, with every preview and up.
func (e *env) withPolicyPack(o *automation.Options) { o.PolicyPacks = []string{e.tools.PolicyPack} }

// TestPolicyPackUnderTheEngine: the pack passes a preview of a fresh stack
// (every customer's provider still unknown), the up, and a preview that
// onboards a customer; a new customer's flow log of REJECT traffic fails
// that preview (a resource policy judges its inputs, which a stack policy
// never sees at preview) and is never created by an up; a program with a
// VPC that has no flow log fails up.
func TestPolicyPackUnderTheEngine(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.stackSettings("dev")
	r := e.runner("dev", s, nil, e.withPolicyPack)
	_, err := r.Preview(ctx)
	require.NoError(t, err, "preview of a fresh stack with the policy pack")
	_, err = r.Up(ctx)
	require.NoError(t, err, "up with the policy pack")

	s.Customers = append(slices.Clone(s.Customers), "guardian-health")
	r = e.runner("dev", s, nil, e.withPolicyPack)
	pre, err := r.Preview(ctx)
	require.NoError(t, err, "onboarding preview with the policy pack")
	// Creates, and the in-place update of the tier and organization
	// dashboards that list the customers.
	createsAndFleetDashboards(t, "onboarding preview with the policy pack", pre.Changes)

	// The onboarded customer's CloudWatch flow log captures only REJECT.
	const rejected = "guardian-health-flow-log"
	reject := func(ctx *pulumi.Context) error {
		err := ctx.RegisterResourceTransform(func(_ context.Context, a *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
			if a.Type != "aws:ec2/flowLog:FlowLog" || a.Name != rejected {
				return nil
			}
			a.Props["trafficType"] = pulumi.String("REJECT")
			return &pulumi.ResourceTransformResult{Props: a.Props, Opts: a.Opts}
		})
		if err != nil {
			return err
		}
		return landingzone.Program(customers.Catalog())(ctx)
	}
	r = e.runner("dev", s, nil, e.withPolicyPack, func(o *automation.Options) { o.Program = reject })
	_, err = r.Preview(ctx)
	require.Error(t, err, "a new customer's REJECT flow log must fail the preview")
	assert.Contains(t, err.Error(), rules.FlowLogAllTraffic)
	assert.Contains(t, err.Error(), rejected+` captures "REJECT" traffic, not ALL`)
	_, err = r.Up(ctx)
	require.Error(t, err, "a new customer's REJECT flow log must fail the up")
	assert.Contains(t, err.Error(), rules.FlowLogAllTraffic)
	flowLogs, err := e.cloud.ByType("aws:ec2/flowLog:FlowLog")
	require.NoError(t, err)
	require.NotEmpty(t, flowLogs, "the dev stack's flow logs exist")
	for _, fl := range flowLogs {
		assert.False(t, strings.HasSuffix(fl.URN, "::"+rejected), "the REJECT flow log was created: %v", fl.URN)
		assert.NotEqual(t, "REJECT", fl.Inputs["trafficType"], "a REJECT flow log was created: %v", fl.URN)
	}

	mutant := func(ctx *pulumi.Context) error {
		if err := landingzone.Program(customers.Catalog())(ctx); err != nil {
			return err
		}
		p, err := aws.NewProvider(ctx, "mutant", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		_, err = ec2.NewVpc(ctx, "mutant-vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.200.0.0/16")}, pulumi.Provider(p))
		return err
	}
	r = e.runner("dev", s, nil, e.withPolicyPack, func(o *automation.Options) { o.Program = mutant })
	_, err = r.Up(ctx)
	require.Error(t, err, "a VPC without flow logs must fail the up")
	assert.Contains(t, err.Error(), "vpc-flow-logs")
	assert.Contains(t, err.Error(), "mutant-vpc has no flow log of ALL traffic")
}
