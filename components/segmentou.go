package components

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SegmentOUType is the SegmentOU type token.
const SegmentOUType = "tierzone:org:SegmentOU"

// SegmentOUArgs configures a SegmentOU.
type SegmentOUArgs struct {
	// OUName is the segment OU's name, e.g. Fintech-Large-Banks.
	OUName string
	// TierOUID is the tier OU the segment sits under; the tier's SCPs,
	// attached there, are inherited.
	TierOUID pulumi.StringInput
	// Policies are the segment's own SCPs, created and attached to it.
	Policies []PolicySpec
	Tags     map[string]string
	// Provider is the management account's AWS provider.
	Provider pulumi.ProviderResource
}

// SegmentOU is a child OU of a tier OU, with the segment's own SCPs.
type SegmentOU struct {
	pulumi.ResourceState
	OUParts
}

// NewSegmentOU registers a segment's OU under its tier OU, and its own
// SCPs. The name is "<tier>-<segment>"; children are named "<name>-...".
func NewSegmentOU(ctx *pulumi.Context, name string, args *SegmentOUArgs, opts ...pulumi.ResourceOption) (*SegmentOU, error) {
	if args == nil || args.TierOUID == nil || args.OUName == "" {
		return nil, errors.New("tierzone: NewSegmentOU needs OUName and TierOUID")
	}
	c := &SegmentOU{}
	ou := &TierOUArgs{OUName: args.OUName, ParentID: args.TierOUID, Policies: args.Policies, Tags: args.Tags, Provider: args.Provider}
	if err := buildOU(ctx, SegmentOUType, name, ou, &c.OUParts, c, opts...); err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(c, c.Outputs()); err != nil {
		return nil, err
	}
	return c, nil
}
