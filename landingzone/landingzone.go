// Package landingzone composes Tierzone's components into the whole landing
// zone: the tier OUs with their SCPs, then each customer's account and VPC.
// main.go, the offline plan and the Automation API all run this same code.
package landingzone

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
)

// LandingZoneType is the LandingZone type token.
const LandingZoneType = "tierzone:landingzone:LandingZone"

// Args configures a LandingZone.
type Args struct {
	// Catalog is the whole customer catalog; it is validated in full even
	// when the stack deploys only some customers.
	Catalog  []customers.Customer
	Settings Settings
	// ManagementProvider is the AWS provider for the organization's
	// management account. Nil: one is created in Settings.ManagementRegion
	// with the ambient credentials.
	ManagementProvider pulumi.ProviderResource
}

// Customer is one deployed customer's components.
type Customer struct {
	Spec    CustomerSpec
	Account *components.CustomerAccount
	VPC     *components.CustomerVPC
}

// LandingZone is the composed landing zone.
type LandingZone struct {
	pulumi.ResourceState

	Plan     *Plan
	Baseline *organizations.Policy
	// TierOUs by tier key; Customers in catalog order.
	TierOUs   map[string]*components.TierOU
	Customers []Customer
}

// New validates the catalog and settings and, only when they are valid,
// registers the landing zone. A validation failure returns a
// *validation.Error listing every problem, and nothing is registered.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*LandingZone, error) {
	plan, err := Resolve(args.Catalog, args.Settings)
	if err != nil {
		return nil, err
	}
	lz := &LandingZone{Plan: plan, TierOUs: map[string]*components.TierOU{}}
	if err := ctx.RegisterComponentResource(LandingZoneType, name, lz, opts...); err != nil {
		return nil, err
	}
	s := plan.Settings
	mgmt := args.ManagementProvider
	if mgmt == nil {
		p, err := aws.NewProvider(ctx, "management", &aws.ProviderArgs{
			Region: pulumi.String(s.ManagementRegion),
		}, pulumi.Parent(lz))
		if err != nil {
			return nil, err
		}
		mgmt = p
	}
	orgTags := map[string]string{"managed-by": ManagedBy}

	baseline, err := organizations.NewPolicy(ctx, plan.Baseline.Name, &organizations.PolicyArgs{
		Name:        pulumi.String(plan.Baseline.Name),
		Description: pulumi.String(plan.Baseline.Description),
		Type:        pulumi.String("SERVICE_CONTROL_POLICY"),
		Content:     pulumi.String(plan.BaselineJSON),
		Tags:        pulumi.ToStringMap(orgTags),
	}, pulumi.Parent(lz), pulumi.Provider(mgmt))
	if err != nil {
		return nil, err
	}
	lz.Baseline = baseline

	for _, ts := range plan.Tiers {
		tierArgs := &components.TierOUArgs{
			OUName:   ts.Tier.OUName,
			ParentID: pulumi.String(s.OrganizationRootID),
			Attach:   []components.AttachedPolicy{{Name: "baseline", ID: baseline.ID().ToStringOutput()}},
			Tags:     map[string]string{"managed-by": ManagedBy, "tier": ts.Tier.Key, "framework": ts.Tier.FrameworkList()},
			Provider: mgmt,
		}
		if ts.HasSCP {
			tierArgs.Policies = []components.PolicySpec{{Name: ts.SCP.Name, Description: ts.SCP.Description, Document: ts.SCPJSON}}
		}
		ou, err := components.NewTierOU(ctx, ts.Tier.Key, tierArgs, pulumi.Parent(lz))
		if err != nil {
			return nil, err
		}
		lz.TierOUs[ts.Tier.Key] = ou
	}

	for _, cs := range plan.Customers {
		key := cs.Customer.Key
		acct, err := components.NewCustomerAccount(ctx, key, &components.CustomerAccountArgs{
			AccountName:       cs.Customer.Name,
			Email:             cs.Email,
			ParentID:          lz.TierOUs[cs.Tier.Key].OUID,
			RoleName:          s.OrgAccessRoleName,
			Region:            cs.Region,
			ExistingAccountID: cs.Customer.ExistingAccountID,
			Protect:           s.Protect,
			Tags:              cs.Tags,
			Provider:          mgmt,
		}, pulumi.Parent(lz))
		if err != nil {
			return nil, err
		}
		vpc, err := components.NewCustomerVPC(ctx, key, &components.CustomerVPCArgs{
			Layout:               cs.Layout,
			AvailabilityZones:    cs.AvailabilityZones,
			Region:               cs.Region,
			AccountID:            acct.AccountID,
			NATGateway:           cs.NATGateway,
			VPNGateway:           cs.VPNGateway,
			FlowLogGroupName:     FlowLogGroupName(key),
			FlowLogRetentionDays: cs.Retention.HotDays,
			Tags:                 cs.Tags,
			Provider:             acct.Provider,
		}, pulumi.Parent(lz))
		if err != nil {
			return nil, err
		}
		lz.Customers = append(lz.Customers, Customer{Spec: cs, Account: acct, VPC: vpc})
	}

	if err := ctx.RegisterResourceOutputs(lz, lz.outputs()); err != nil {
		return nil, err
	}
	return lz, nil
}

// FlowLogGroupName is the CloudWatch log group of a customer's flow logs.
func FlowLogGroupName(key string) string { return LogGroupPrefix + "vpc-flow-logs/" + key }

func (lz *LandingZone) outputs() pulumi.Map {
	tiers := pulumi.Map{}
	for k, ou := range lz.TierOUs {
		tiers[k] = pulumi.Map{"ouId": ou.OUID}
	}
	custs := pulumi.Map{}
	for _, c := range lz.Customers {
		custs[c.Spec.Customer.Key] = pulumi.Map{
			"accountId":        c.Account.AccountID,
			"ouId":             lz.TierOUs[c.Spec.Tier.Key].OUID,
			"tier":             pulumi.String(c.Spec.Tier.Key),
			"vpcId":            c.VPC.VPCID,
			"vpcCidr":          pulumi.String(c.Spec.Layout.VPC.String()),
			"publicSubnetIds":  c.VPC.PublicSubnetIDs,
			"privateSubnetIds": c.VPC.PrivateSubnetIDs,
		}
	}
	return pulumi.Map{"tiers": tiers, "customers": custs}
}

// Export exports the stack outputs: per-customer account, OU, VPC and
// subnet ids under "customers", and per-tier OU ids under "tiers".
func (lz *LandingZone) Export(ctx *pulumi.Context) {
	out := lz.outputs()
	ctx.Export("customers", out["customers"])
	ctx.Export("tiers", out["tiers"])
}

// SettingsFromContext reads the stack's settings from Pulumi config.
func SettingsFromContext(ctx *pulumi.Context) (Settings, error) {
	return FromConfig(func(key string) (string, bool) {
		return ctx.GetConfig(ConfigNamespace + ":" + key)
	})
}

// Program is the Pulumi program: read the stack's settings, build the
// landing zone from catalog, export its outputs. main.go runs it with the
// built-in catalog; the offline plan and the Automation API run it too.
func Program(catalog []customers.Customer) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		settings, err := SettingsFromContext(ctx)
		if err != nil {
			return err
		}
		lz, err := New(ctx, "tierzone", &Args{Catalog: catalog, Settings: settings})
		if err != nil {
			return err
		}
		lz.Export(ctx)
		return nil
	}
}
