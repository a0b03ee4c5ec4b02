package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/shield"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ShieldAdvancedType is the ShieldAdvanced type token.
const ShieldAdvancedType = "tierzone:protect:ShieldAdvanced"

// ShieldAdvancedArgs configures a ShieldAdvanced.
type ShieldAdvancedArgs struct {
	// AccountID and Region locate the protected Elastic IPs' ARNs.
	AccountID pulumi.StringInput
	Region    string
	// EIPs are the account's public-facing addresses (the NAT gateway's).
	EIPs []*ec2.Eip
	Tags map[string]string
	// Provider works in the customer's account.
	Provider pulumi.ProviderResource
}

// ShieldAdvanced is a customer account's Shield Advanced subscription (a
// one-year commitment, renewed automatically; never cancelled by a
// delete: the stack lets go of it) and a protection per public address.
type ShieldAdvanced struct {
	pulumi.ResourceState

	Subscription *shield.Subscription
	Protections  []*shield.Protection
}

// EIPARN is an Elastic IP's ARN, what Shield protects.
func EIPARN(region string, account, allocationID pulumi.StringInput) pulumi.StringOutput {
	return pulumi.Sprintf("arn:aws:ec2:%s:%s:eip-allocation/%s", region, account, allocationID)
}

// NewShieldAdvanced registers the subscription and the protections. The
// name is the customer key.
func NewShieldAdvanced(ctx *pulumi.Context, name string, args *ShieldAdvancedArgs, opts ...pulumi.ResourceOption) (*ShieldAdvanced, error) {
	if args == nil || args.AccountID == nil || args.Region == "" || args.Provider == nil {
		return nil, errors.New("tierzone: NewShieldAdvanced needs AccountID, Region and the customer's Provider")
	}
	c := &ShieldAdvanced{}
	if err := ctx.RegisterComponentResource(ShieldAdvancedType, name, c, opts...); err != nil {
		return nil, err
	}
	child := childOptions(c, args.Provider)
	sub, err := shield.NewSubscription(ctx, name+"-shield", &shield.SubscriptionArgs{
		AutoRenew: pulumi.String("ENABLED"),
		// AWS cannot cancel a subscription inside its commitment; removing
		// it from the stack only stops managing it.
		SkipDestroy: pulumi.Bool(true),
	}, child...)
	if err != nil {
		return nil, err
	}
	c.Subscription = sub
	for i, eip := range args.EIPs {
		suffix := ""
		if i > 0 {
			suffix = "-" + string(rune('a'+i))
		}
		p, err := shield.NewProtection(ctx, name+"-nat-eip-shield"+suffix, &shield.ProtectionArgs{
			Name:        pulumi.String(name + "-nat-eip" + suffix),
			ResourceArn: EIPARN(args.Region, args.AccountID, eip.AllocationId),
			Tags:        pulumi.ToStringMap(args.Tags),
		}, append(child, pulumi.DependsOn([]pulumi.Resource{sub}))...)
		if err != nil {
			return nil, err
		}
		c.Protections = append(c.Protections, p)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"subscriptionId": sub.ID()}); err != nil {
		return nil, err
	}
	return c, nil
}
