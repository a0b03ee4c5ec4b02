package landingzone

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// The landing zone's parts, resolved one at a time: the component provider
// (cmd/pulumi-resource-tierzone) builds a single TierOU, CustomerAccount or
// CustomerVPC from a tier key and a customer with these, so its inputs stay
// tier-driven and its validation errors are the program's own.

// ResolveTier validates the settings' tier rules and returns a tier's spec:
// its retention (with the settings' overrides) and its rendered SCP.
func ResolveTier(key string, s Settings) (TierSpec, error) {
	var l validation.List
	retention := resolveRetention(s, &l)
	params := tierPolicyParams(s)
	for _, ts := range tierSpecs(s, params, retention, &l) {
		if ts.Tier.Key == key {
			if err := l.Err(); err != nil {
				return TierSpec{}, err
			}
			return ts, nil
		}
	}
	l.Add(validation.Tier(key), "", "%q is not a tier; want one of: %s", key, strings.Join(tiers.Keys(), ", "))
	return TierSpec{}, l.Err()
}

// ResolveCustomer validates one customer as Resolve validates a catalog
// entry and returns its spec: the tier's rules applied to its choices.
func ResolveCustomer(c customers.Customer, s Settings) (CustomerSpec, error) {
	var l validation.List
	mailbox := s.AccountEmailMailbox
	if mailbox != "" {
		if err := customers.ValidateMailbox(mailbox); err != nil {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyAccountEmailMailbox), "", "%v", err)
			mailbox = ""
		}
	}
	l.Merge(customers.Validate([]customers.Customer{c}, customers.Options{Mailbox: mailbox}))
	if err := l.Err(); err != nil {
		return CustomerSpec{}, err
	}
	ts, err := ResolveTier(c.Tier, s)
	if err != nil {
		return CustomerSpec{}, err
	}
	return resolveCustomer(c, ts, s), nil
}

// TierOUArgs are a tier OU's component arguments: its name, tags and own
// SCP from tiers/, under parent, with the given policies (the baseline)
// attached too.
func TierOUArgs(ts TierSpec, parent pulumi.StringInput, attach []components.AttachedPolicy, provider pulumi.ProviderResource) *components.TierOUArgs {
	args := &components.TierOUArgs{
		OUName:   ts.Tier.OUName,
		ParentID: parent,
		Attach:   attach,
		Tags:     map[string]string{"managed-by": ManagedBy, "tier": ts.Tier.Key, "framework": ts.Tier.FrameworkList()},
		Provider: provider,
	}
	if ts.HasSCP {
		args.Policies = []components.PolicySpec{{Name: ts.SCP.Name, Description: ts.SCP.Description, Document: ts.SCPJSON}}
	}
	return args
}

// AccountArgs are a customer account's component arguments: created in
// parent (its tier OU) with its e-mail, or adopted, tagged with its tags.
func AccountArgs(cs CustomerSpec, s Settings, parent pulumi.StringInput, protect bool, provider pulumi.ProviderResource) *components.CustomerAccountArgs {
	return &components.CustomerAccountArgs{
		AccountName:       cs.Customer.Name,
		Email:             cs.Email,
		ParentID:          parent,
		RoleName:          s.OrgAccessRoleName,
		Region:            cs.Region,
		ExistingAccountID: cs.Customer.ExistingAccountID,
		Protect:           protect,
		Tags:              cs.Tags,
		Provider:          provider,
	}
}

// VPCArgs are a customer VPC's component arguments: the seed layout of its
// CIDR, its tier's NAT/VPN choices and hot flow-log retention.
func VPCArgs(cs CustomerSpec, account, destination pulumi.StringInput, protect bool, provider pulumi.ProviderResource) *components.CustomerVPCArgs {
	return &components.CustomerVPCArgs{
		Layout:               cs.Layout,
		AvailabilityZones:    cs.AvailabilityZones,
		Region:               cs.Region,
		AccountID:            account,
		NATGateway:           cs.NATGateway,
		VPNGateway:           cs.VPNGateway,
		FlowLogGroupName:     FlowLogGroupName(cs.Customer.Key),
		FlowLogRetentionDays: cs.Retention.HotDays,
		ArchiveDestination:   destination,
		Protect:              protect,
		Tags:                 cs.Tags,
		Provider:             provider,
	}
}

// ArchiveArgs are a log archive's component arguments on its own, without
// the organization trail (the program's LogArchive also creates it): the
// boundary buckets and the trail bucket with the tiers' retention, object
// lock and storage classes, delivering from the tier OUs (tierOU) and the
// trail trailArn. It validates the settings the archive needs, reporting
// every problem at once.
func ArchiveArgs(s Settings, account pulumi.StringInput, tierOU func(tier string) pulumi.StringInput, trailArn pulumi.StringInput,
	provider pulumi.ProviderResource) (*components.LogArchiveArgs, error) {
	var l validation.List
	s.validateAllButRoot(&l)
	validateArchiveRegion(s, &l)
	plan := &Plan{Settings: s, Tiers: tierSpecs(s, tierPolicyParams(s), resolveRetention(s, &l), &l)}
	if err := l.Err(); err != nil {
		return nil, err
	}
	buckets, err := archiveBuckets(plan)
	if err != nil {
		return nil, err
	}
	return archiveArgs(plan, buckets, account, tierOU, trailArn, provider), nil
}
