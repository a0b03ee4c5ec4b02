//go:build engine

package engine

import (
	"context"
	"slices"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
)

// withPolicyPack runs the compliance pack, built as an executable from
// ./policy, with every preview and up.
func (e *env) withPolicyPack(o *automation.Options) { o.PolicyPacks = []string{e.tools.PolicyPack} }

// TestPolicyPackUnderTheEngine: the pack passes a preview of a fresh stack
// (every customer's provider still unknown), the up, and a preview that
// onboards a customer; a program with a VPC that has no flow log fails up.
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
	onlyCreates(t, pre)

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
