package landingzone

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
)

// Shielded reports whether the stack subscribes a customer's account to
// Shield Advanced: its tier requires it and the stack says so explicitly.
func (s Settings) Shielded(cs CustomerSpec) bool { return s.ShieldAdvanced && cs.Tier.ShieldAdvanced }

// newShieldAdvanced subscribes a customer account to Shield Advanced and
// protects its NAT Elastic IP, through the customer's own provider (both
// layouts), when the stack opts in.
func newShieldAdvanced(ctx *pulumi.Context, lz *LandingZone, cs CustomerSpec, acct *components.CustomerAccount, vpc *components.CustomerVPC,
	custOpts []pulumi.ResourceOption) (*components.ShieldAdvanced, error) {
	if !lz.Plan.Settings.Shielded(cs) {
		return nil, nil
	}
	var eips []*ec2.Eip
	if vpc.NATEIP != nil {
		eips = append(eips, vpc.NATEIP)
	}
	return components.NewShieldAdvanced(ctx, cs.Customer.Key, &components.ShieldAdvancedArgs{
		AccountID: acct.AccountID,
		Region:    cs.Region,
		EIPs:      eips,
		Tags:      cs.Tags,
		Provider:  acct.Provider,
	}, append(custOpts, pulumi.Parent(lz))...)
}
