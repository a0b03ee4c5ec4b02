package components

import (
	"errors"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/identitystore"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssoadmin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/tiers"
)

// TierAccessType is the TierAccess type token.
const TierAccessType = "tierzone:access:TierAccess"

// IdentityCenter is the organization's IAM Identity Center instance, as
// ssoadmin.GetInstances returns it.
type IdentityCenter struct {
	// InstanceARN is arn:aws:sso:::instance/ssoins-...
	InstanceARN pulumi.StringInput
	// IdentityStoreID is d-xxxxxxxxxx; the access portal is
	// tiers.PortalURL of it.
	IdentityStoreID pulumi.StringInput
}

// TierAccessArgs configures a TierAccess.
type TierAccessArgs struct {
	// Tier's Access model (tiers/access.go) is what is built: no
	// permission set, policy or session is given here.
	Tier           tiers.Tier
	IdentityCenter IdentityCenter
	Tags           map[string]string
	// Provider is the management account's (Identity Center is
	// administered there).
	Provider pulumi.ProviderResource
}

// TierAccess is a tier's IAM Identity Center permission sets, one per
// role of the tier's access model with its managed and inline policies,
// and the tier's operators group. Assignments are made per customer
// (CustomerAccess), so onboarding a customer changes nothing here.
type TierAccess struct {
	pulumi.ResourceState

	// PermissionSets by role; PermissionSetARNs the same as ARNs.
	PermissionSets    map[string]*ssoadmin.PermissionSet
	PermissionSetARNs map[string]pulumi.StringOutput
	// Operators is the tier's operators group (<prefix>-<tier>-operators).
	Operators *identitystore.Group
	// OperatorsGroupID is its Identity Store group id.
	OperatorsGroupID pulumi.StringOutput
}

// OperatorsGroupName is the display name of a tier's operators group.
func OperatorsGroupName(tierKey string) string { return "tz-" + tierKey + "-operators" }

// NewTierAccess registers the tier's permission sets and operators group.
// The name is the tier key.
func NewTierAccess(ctx *pulumi.Context, name string, args *TierAccessArgs, opts ...pulumi.ResourceOption) (*TierAccess, error) {
	c, err := BuildTierAccess(ctx, name, args, opts...)
	if err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(c, c.Outputs()); err != nil {
		return nil, err
	}
	return c, nil
}

// Outputs are the permission set ARNs by role and the operators group id.
func (c *TierAccess) Outputs() pulumi.Map {
	sets := pulumi.Map{}
	for role, arn := range c.PermissionSetARNs {
		sets[role] = arn
	}
	return pulumi.Map{"permissionSetArns": sets, "operatorsGroupId": c.OperatorsGroupID}
}

// BuildTierAccess is NewTierAccess without registering the outputs.
func BuildTierAccess(ctx *pulumi.Context, name string, args *TierAccessArgs, opts ...pulumi.ResourceOption) (*TierAccess, error) {
	if args == nil || args.IdentityCenter.InstanceARN == nil || args.IdentityCenter.IdentityStoreID == nil {
		return nil, errors.New("tierzone: NewTierAccess needs the Identity Center instance ARN and identity store id")
	}
	if probs := tiers.CheckAccess(args.Tier.Key, args.Tier.Access); len(probs) > 0 {
		return nil, errors.New("tierzone: tier " + args.Tier.Key + " access model: " + strings.Join(probs, "; "))
	}
	c := &TierAccess{PermissionSets: map[string]*ssoadmin.PermissionSet{}, PermissionSetARNs: map[string]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource(TierAccessType, name, c, opts...); err != nil {
		return nil, err
	}
	child := childOptions(c, args.Provider)
	instance := args.IdentityCenter.InstanceARN
	for _, p := range args.Tier.Access.PermissionSets {
		psName := p.Name(args.Tier.Key)
		ps, err := ssoadmin.NewPermissionSet(ctx, psName, &ssoadmin.PermissionSetArgs{
			InstanceArn:     instance,
			Name:            pulumi.String(psName),
			Description:     pulumi.String(p.Description),
			SessionDuration: pulumi.String(p.SessionDuration),
			Tags:            pulumi.ToStringMap(args.Tags),
		}, child...)
		if err != nil {
			return nil, err
		}
		c.PermissionSets[p.Role] = ps
		c.PermissionSetARNs[p.Role] = ps.Arn
		for _, policy := range p.ManagedPolicies {
			if _, err := ssoadmin.NewManagedPolicyAttachment(ctx, psName+"-"+policy, &ssoadmin.ManagedPolicyAttachmentArgs{
				InstanceArn:      instance,
				PermissionSetArn: ps.Arn,
				ManagedPolicyArn: pulumi.String(tiers.ManagedPolicyARN("aws", policy)),
			}, child...); err != nil {
				return nil, err
			}
		}
		if p.InlinePolicy != "" {
			if _, err := ssoadmin.NewPermissionSetInlinePolicy(ctx, psName+"-inline", &ssoadmin.PermissionSetInlinePolicyArgs{
				InstanceArn:      instance,
				PermissionSetArn: ps.Arn,
				InlinePolicy:     pulumi.String(p.InlinePolicy),
			}, child...); err != nil {
				return nil, err
			}
		}
	}
	ops, err := identitystore.NewGroup(ctx, OperatorsGroupName(args.Tier.Key), &identitystore.GroupArgs{
		IdentityStoreId: args.IdentityCenter.IdentityStoreID,
		DisplayName:     pulumi.String(OperatorsGroupName(args.Tier.Key)),
		Description:     pulumi.String("Provider operations staff of the " + args.Tier.DisplayName + " tier: the operator permission set on every account of the tier, nothing else"),
	}, child...)
	if err != nil {
		return nil, err
	}
	c.Operators, c.OperatorsGroupID = ops, ops.GroupId
	return c, nil
}
