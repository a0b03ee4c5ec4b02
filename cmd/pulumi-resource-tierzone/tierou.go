package main

import (
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/landingzone"
)

// TierOU serves components.TierOU: a compliance tier's OU with the tier's
// own SCP (from tiers/) created and attached.
type TierOU struct{}

// TierOUArgs are TierOU's inputs: the tier key decides the OU name, tags
// and SCP.
type TierOUArgs struct {
	Tier             string             `pulumi:"tier"`
	ParentId         pulumi.StringInput `pulumi:"parentId"`
	BaselinePolicyId pulumi.StringInput `pulumi:"baselinePolicyId,optional"`
	Settings         *Settings          `pulumi:"settings,optional"`
}

// TierOUState is the component with its outputs.
type TierOUState struct {
	// ComponentResource is the Go component (components.TierOU) itself.
	pulumi.ComponentResource
	OuId pulumi.StringOutput `pulumi:"ouId"`
}

// Annotate sets the Go library's type token and documents the component.
func (c *TierOU) Annotate(a infer.Annotator) {
	a.SetToken("org", "TierOU")
	a.Describe(c, "A compliance tier's organizational unit with the tier's service control policy attached, as Tierzone's Go program builds it.")
}

// Annotate documents the inputs.
func (a *TierOUArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Tier, "Tier key: fintech, healthcare, gov-federal or standard.")
	an.Describe(&a.ParentId, "The organization root (r-xxxx) or OU the tier OU sits under.")
	an.Describe(&a.BaselinePolicyId, "An existing SCP (Tierzone's baseline) to attach to the OU too.")
	an.Describe(&a.Settings, "Stack settings (name prefix, access role).")
}

// Annotate documents the outputs.
func (s *TierOUState) Annotate(a infer.Annotator) {
	a.Describe(&s.OuId, "The OU's id (ou-xxxx-xxxxxxxx).")
}

// Construct builds the Go component from the tier's data.
func (*TierOU) Construct(ctx *pulumi.Context, name, typ string, args TierOUArgs, opts pulumi.ResourceOption) (*TierOUState, error) {
	ts, err := landingzone.ResolveTier(args.Tier, args.Settings.resolve())
	if err != nil {
		return nil, err
	}
	var attach []components.AttachedPolicy
	if args.BaselinePolicyId != nil {
		attach = append(attach, components.AttachedPolicy{Name: "baseline", ID: args.BaselinePolicyId})
	}
	c, err := components.BuildTierOU(ctx, name, landingzone.TierOUArgs(ts, args.ParentId, attach, nil), opts)
	if err != nil {
		return nil, err
	}
	return &TierOUState{ComponentResource: c, OuId: c.OUID}, nil
}
