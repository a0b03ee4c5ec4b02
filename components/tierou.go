// Package components holds Tierzone's typed Pulumi component resources:
// TierOU, CustomerAccount and CustomerVPC.
package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TierOUType is the TierOU type token.
const TierOUType = "tierzone:org:TierOU"

// PolicySpec is a service control policy a TierOU creates and attaches.
type PolicySpec struct {
	// Name is the policy name in AWS Organizations.
	Name        string
	Description string
	// Document is the minified JSON policy document.
	Document string
}

// AttachedPolicy is a policy created elsewhere (the shared baseline) that
// the TierOU attaches to its OU.
type AttachedPolicy struct {
	// Name is a stable short name used in the attachment's resource name.
	Name string
	ID   pulumi.StringInput
}

// TierOUArgs configures a TierOU.
type TierOUArgs struct {
	// OUName is the organizational unit's name, e.g. Customers-Fintech.
	OUName string
	// ParentID is the organization root or OU the tier OU sits under.
	ParentID pulumi.StringInput
	// Attach are existing policies to attach (the baseline).
	Attach []AttachedPolicy
	// Policies are the tier's own policies, created and attached.
	Policies []PolicySpec
	Tags     map[string]string
	// Provider is the management account's AWS provider.
	Provider pulumi.ProviderResource
}

// TierOU is a compliance tier's organizational unit with its SCPs attached.
type TierOU struct {
	pulumi.ResourceState
	OUParts
}

// OUParts are what an OU component (TierOU, SegmentOU) registers.
type OUParts struct {
	OU          *organizations.OrganizationalUnit
	Policies    []*organizations.Policy
	Attachments []*organizations.PolicyAttachment
	// OUID is the OU's id (ou-xxxx-xxxxxxxx).
	OUID pulumi.StringOutput
}

// Outputs are the component's registered outputs.
func (c *OUParts) Outputs() pulumi.Map { return pulumi.Map{"ouId": c.OUID} }

// NewTierOU registers a tier's OU, its policies and their attachments. The
// name is the tier key; children are named "<name>-...".
func NewTierOU(ctx *pulumi.Context, name string, args *TierOUArgs, opts ...pulumi.ResourceOption) (*TierOU, error) {
	c, err := BuildTierOU(ctx, name, args, opts...)
	if err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(c, c.Outputs()); err != nil {
		return nil, err
	}
	return c, nil
}

// BuildTierOU is NewTierOU without registering the outputs, for a host that
// registers them itself: the component provider (pulumi-go-provider's infer
// registers a component's outputs after its constructor returns, and the
// engine accepts them once). Everyone else calls NewTierOU.
func BuildTierOU(ctx *pulumi.Context, name string, args *TierOUArgs, opts ...pulumi.ResourceOption) (*TierOU, error) {
	if args == nil || args.ParentID == nil || args.OUName == "" {
		return nil, errors.New("tierzone: NewTierOU needs OUName and ParentID")
	}
	c := &TierOU{}
	if err := buildOU(ctx, TierOUType, name, args, &c.OUParts, c, opts...); err != nil {
		return nil, err
	}
	return c, nil
}

// buildOU registers self (of type typ) and, under it, the OU, the
// policies and the attachments that c records.
func buildOU(ctx *pulumi.Context, typ, name string, args *TierOUArgs, c *OUParts, self pulumi.ComponentResource, opts ...pulumi.ResourceOption) error {
	if err := ctx.RegisterComponentResource(typ, name, self, opts...); err != nil {
		return err
	}
	child := childOptions(self, args.Provider)

	ou, err := organizations.NewOrganizationalUnit(ctx, name+"-ou", &organizations.OrganizationalUnitArgs{
		Name:     pulumi.String(args.OUName),
		ParentId: args.ParentID,
		Tags:     pulumi.ToStringMap(args.Tags),
	}, child...)
	if err != nil {
		return err
	}
	c.OU, c.OUID = ou, ou.ID().ToStringOutput()

	attach := func(policyName string, id pulumi.StringInput) error {
		a, err := organizations.NewPolicyAttachment(ctx, name+"-"+policyName+"-attachment", &organizations.PolicyAttachmentArgs{
			PolicyId: id,
			TargetId: ou.ID(),
		}, child...)
		if err == nil {
			c.Attachments = append(c.Attachments, a)
		}
		return err
	}
	for _, p := range args.Attach {
		if err := attach(p.Name, p.ID); err != nil {
			return err
		}
	}
	for _, p := range args.Policies {
		pol, err := organizations.NewPolicy(ctx, p.Name, &organizations.PolicyArgs{
			Name:        pulumi.String(p.Name),
			Description: pulumi.String(p.Description),
			Type:        pulumi.String("SERVICE_CONTROL_POLICY"),
			Content:     pulumi.String(p.Document),
			Tags:        pulumi.ToStringMap(args.Tags),
		}, child...)
		if err != nil {
			return err
		}
		c.Policies = append(c.Policies, pol)
		if err := attach(p.Name, pol.ID().ToStringOutput()); err != nil {
			return err
		}
	}
	return nil
}
