package landingzone

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssoadmin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// IdentityCenterInstance is the organization's IAM Identity Center
// instance as the management account's provider looks it up.
type IdentityCenterInstance struct {
	InstanceARN     string
	IdentityStoreID string
}

// PortalURL is the instance's AWS access portal.
func (i IdentityCenterInstance) PortalURL() string { return tiers.PortalURL(i.IdentityStoreID) }

// lookupIdentityCenter finds the organization's Identity Center instance
// (ssoadmin ListInstances) through the management account's provider. It
// is enabled once per organization, in the console, and cannot be created
// by a program; without one, the stack says how to enable it or switch
// Tierzone's access off.
func lookupIdentityCenter(ctx *pulumi.Context, mgmt pulumi.ProviderResource) (IdentityCenterInstance, error) {
	res, err := ssoadmin.GetInstances(ctx, pulumi.Provider(mgmt))
	if err != nil {
		return IdentityCenterInstance{}, fmt.Errorf("tierzone: look up the IAM Identity Center instance in the management account: %w", err)
	}
	if len(res.Arns) == 0 || len(res.IdentityStoreIds) == 0 {
		return IdentityCenterInstance{}, fmt.Errorf("tierzone: IAM Identity Center is not enabled in the organization's management account (ListInstances returned none); "+
			"enable it once (console: IAM Identity Center, Enable, organization instance) or set %s:%s false to deploy without customer sign-in; %s",
			ConfigNamespace, KeyIdentityCenter, NothingChanged)
	}
	return IdentityCenterInstance{InstanceARN: res.Arns[0], IdentityStoreID: res.IdentityStoreIds[0]}, nil
}

func (i IdentityCenterInstance) inputs() components.IdentityCenter {
	return components.IdentityCenter{InstanceARN: pulumi.String(i.InstanceARN), IdentityStoreID: pulumi.String(i.IdentityStoreID)}
}

// newTierAccess registers a tier's permission sets and operators group in
// the management account.
func newTierAccess(ctx *pulumi.Context, lz *LandingZone, ts TierSpec, mgmt pulumi.ProviderResource) (*components.TierAccess, error) {
	return components.NewTierAccess(ctx, ts.Tier.Key, &components.TierAccessArgs{
		Tier:           ts.Tier,
		IdentityCenter: lz.IdentityCenter.inputs(),
		Tags:           map[string]string{"managed-by": ManagedBy, "tier": ts.Tier.Key, "framework": ts.Tier.FrameworkList()},
		Provider:       mgmt,
	}, pulumi.Parent(lz))
}

// newCustomerAccess registers a customer's groups, users and assignments
// to its own account, in the management account.
func newCustomerAccess(ctx *pulumi.Context, lz *LandingZone, cs CustomerSpec, acct *components.CustomerAccount,
	mgmt pulumi.ProviderResource, custOpts []pulumi.ResourceOption) (*components.CustomerAccess, error) {
	ta := lz.Access[cs.Tier.Key]
	return components.NewCustomerAccess(ctx, cs.Customer.Key, &components.CustomerAccessArgs{
		CustomerKey:       cs.Customer.Key,
		Tier:              cs.Tier,
		Users:             cs.Customer.Users,
		IdentityCenter:    lz.IdentityCenter.inputs(),
		AccountID:         acct.AccountID,
		PermissionSetARNs: ta.PermissionSetARNs,
		OperatorsGroupID:  ta.OperatorsGroupID,
		Provider:          mgmt,
	}, append(custOpts, pulumi.Parent(lz))...)
}

// checkAccess checks every tier's access model and the Identity Center
// quotas the whole landing zone is subject to.
func checkAccess(all []tiers.Tier, l *validation.List) {
	total := 0
	for _, t := range all {
		for _, p := range tiers.CheckAccess(t.Key, t.Access) {
			l.Add(validation.Tier(t.Key), "access", "%s", p)
		}
		total += len(t.Access.PermissionSets)
		// An account is assigned its tier's permission sets only.
		if n := len(t.Access.PermissionSets); n > tiers.MaxPermissionSetsPerAccount {
			l.Add(validation.Tier(t.Key), "access", "%d permission sets provisioned per account; Identity Center allows %d", n, tiers.MaxPermissionSetsPerAccount)
		}
	}
	if total > tiers.MaxPermissionSetsPerInstance {
		l.Add(validation.Stack(ConfigNamespace+":"+KeyIdentityCenter), "", "%d permission sets; Identity Center allows %d per instance", total, tiers.MaxPermissionSetsPerInstance)
	}
}

// OUPath is where a customer's account sits in the organization:
// Root/<tier OU>[/<segment OU>].
func (cs CustomerSpec) OUPath() string {
	if cs.Segment != nil {
		return "Root/" + cs.Tier.OUName + "/" + cs.Segment.OUName
	}
	return "Root/" + cs.Tier.OUName
}

// directoryOutput is the "directory" stack output: one entry per deployed
// customer, in catalog order, so support staff can find a customer by its
// account id with `pulumi stack output directory` (tierzone directory
// renders the same from the catalog and the stack's outputs).
func (lz *LandingZone) directoryOutput() pulumi.Array {
	out := pulumi.Array{}
	for _, c := range lz.Customers {
		cs := c.Spec
		e := pulumi.Map{
			"key": pulumi.String(cs.Customer.Key), "name": pulumi.String(cs.Customer.Name),
			"tier": pulumi.String(cs.Tier.Key), "ouPath": pulumi.String(cs.OUPath()),
			"accountId": c.Account.AccountID, "region": pulumi.String(cs.Region),
			"vpcCidr": pulumi.String(cs.Customer.VPCCIDR), "accountEmail": pulumi.String(cs.Email),
			"contactEmail": pulumi.String(cs.Customer.ContactEmail),
		}
		if c.Access != nil {
			e["loginLinks"] = c.Access.LoginLinks
		}
		out = append(out, e)
	}
	return out
}
