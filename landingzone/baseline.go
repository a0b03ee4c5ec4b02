package landingzone

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// checkBaselines validates every tier's account baseline (password policy
// over the CIS minimums, backup rule against the tier's floor) and the
// size of the tag and backup policies it renders, naming tier and field.
func checkBaselines(all []tiers.Tier, prefix string, l *validation.List) {
	for _, t := range all {
		subj := validation.Tier(t.Key)
		if _, ok := tiers.Baselines()[t.Key]; !ok {
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
		doc, err := t.Baseline().Backup.BackupPolicy(prefix+"-"+t.Key, t.AllowedRegions[0], components.BackupVaultName, components.BackupRoleName)
		if err != nil {
			l.Add(subj, "baseline.backup", "%v", err)
		} else if len(doc) > components.MaxBackupPolicyChars {
			l.Add(subj, "baseline.backup", "backup policy of %d characters; Organizations allows %d", len(doc), components.MaxBackupPolicyChars)
		}
	}
}

// BackupRegion is where a tier's backup policy runs its plan: the tier's
// default region, where its customers' vaults are.
func BackupRegion(t tiers.Tier) string { return t.AllowedRegions[0] }

// newTierManagementPolicies registers a tier OU's tag and backup policies
// through the management provider (organization scope).
func newTierManagementPolicies(ctx *pulumi.Context, lz *LandingZone, plan *Plan, ts TierSpec, ou *components.TierOU, mgmt pulumi.ProviderResource) (*components.TierManagementPolicies, error) {
	return components.NewTierManagementPolicies(ctx, ts.Tier.Key, &components.TierManagementPoliciesArgs{
		Tier:       ts.Tier,
		Region:     BackupRegion(ts.Tier),
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
