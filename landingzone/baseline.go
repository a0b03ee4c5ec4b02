package landingzone

import (
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// checkBaselines validates every tier's account baseline (password policy
// over the CIS minimums, backup rule against the tier's floor) and the
// size of the tag and backup policies it renders, naming tier and field.
func checkBaselines(all []tiers.Tier, prefix string, l *validation.List) {
	for _, t := range all {
		subj := validation.Tier(t.Key)
		if t.Baseline() == (tiers.AccountBaseline{}) {
			l.Add(subj, "baseline", "missing: every tier needs an account baseline (tiers/baseline.go)")
			continue
		}
		for _, p := range tiers.CheckBaseline(t.Baseline(), t.Retention.FloorDays) {
			l.Add(subj, p.Field, "%s", p.Reason)
		}
		if doc, err := components.TagPolicyDocument(t); err != nil {
			l.Add(subj, "baseline.tagPolicy", "%v", err)
		} else if len(doc) > components.MaxTagPolicyChars {
			l.Add(subj, "baseline.tagPolicy", "%d characters; Organizations allows %d", len(doc), components.MaxTagPolicyChars)
		}
		doc, err := t.Baseline().Backup.BackupPolicy(prefix+"-"+t.Key, t.AllowedRegions, components.BackupVaultName, components.BackupRoleName)
		if err != nil {
			l.Add(subj, "baseline.backup", "%v", err)
		} else if len(doc) > components.MaxBackupPolicyChars {
			l.Add(subj, "baseline.backup", "backup policy of %d characters; Organizations allows %d", len(doc), components.MaxBackupPolicyChars)
		}
	}
}

// checkCustomerTags reports every catalog tag that spells one of the tag
// policy's keys with other capitalization: tag policies fix the key's
// case, so the resource would be noncompliant. (The values of tier and
// framework come from the same tier data as the policy's allowed values,
// so they agree by construction; TestTagPoliciesAllowEveryCustomersTags
// pins it on the registered policies.)
func checkCustomerTags(catalog []customers.Customer, l *validation.List) {
	for _, c := range catalog {
		for _, k := range slices.Sorted(maps.Keys(c.Tags)) {
			for _, want := range components.TagPolicyKeys() {
				if k != want && strings.EqualFold(k, want) {
					l.Add(validation.Customer(c.Key), "tags", "key %q: the tier's tag policy fixes the key as %q, which Tierzone sets", k, want)
				}
			}
		}
	}
}

// newTierManagementPolicies registers a tier OU's tag and backup policies
// through the management provider (organization scope).
func newTierManagementPolicies(ctx *pulumi.Context, lz *LandingZone, plan *Plan, ts TierSpec, ou *components.TierOU, mgmt pulumi.ProviderResource) (*components.TierManagementPolicies, error) {
	return components.NewTierManagementPolicies(ctx, ts.Tier.Key, &components.TierManagementPoliciesArgs{
		Tier:       ts.Tier,
		Regions:    ts.Tier.AllowedRegions,
		OUID:       ou.OUID,
		NamePrefix: plan.Settings.NamePrefix,
		Tags:       map[string]string{"managed-by": ManagedBy, "tier": ts.Tier.Key, "framework": ts.Tier.FrameworkList()},
		Provider:   mgmt,
	}, pulumi.Parent(lz))
}

// newAccountBaseline registers a customer account's baseline through its
// provider, under the customer's key (both layouts).
func newAccountBaseline(ctx *pulumi.Context, lz *LandingZone, cs CustomerSpec, acct *components.CustomerAccount,
	protect bool, custOpts []pulumi.ResourceOption) (*components.AccountBaseline, error) {
	return components.NewAccountBaseline(ctx, cs.Customer.Key, &components.AccountBaselineArgs{
		Baseline:  cs.Tier.Baseline(),
		AccountID: acct.AccountID,
		Protect:   protect,
		Tags:      cs.Tags,
		Provider:  acct.Provider,
	}, append(custOpts, pulumi.Parent(lz))...)
}
