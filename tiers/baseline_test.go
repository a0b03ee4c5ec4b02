package tiers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/tiers"
)

// maxBackupPolicyChars: AWS Organizations quotas, maximum size of a backup
// policy document.
const maxBackupPolicyChars = 10000

// TestBaselinesMeetTheirFloors: every tier has a baseline that passes its
// own checks: CIS password minimums, a backup rule kept at least as long as
// the tier's floor when its vault is locked, a source for each.
func TestBaselinesMeetTheirFloors(t *testing.T) {
	for _, tier := range tiers.All() {
		b := tier.Baseline()
		assert.Empty(t, tiers.CheckBaseline(b, tier.Retention.FloorDays), tier.Key)
		assert.GreaterOrEqual(t, b.Password.MinimumLength, tiers.CISMinPasswordLength, tier.Key)
	}
	assert.Equal(t, 90, tiers.Baselines()[tiers.Fintech].Password.MaxAgeDays, "PCI DSS 8.3.9")
	assert.Equal(t, tiers.BackupWeekly, tiers.Baselines()[tiers.Standard].Backup.Frequency)
	assert.Equal(t, tiers.VaultLockCompliance, tiers.Baselines()[tiers.Healthcare].Backup.VaultLock)
}

// TestCheckBaselineReportsEveryProblem: one call names every bad field.
func TestCheckBaselineReportsEveryProblem(t *testing.T) {
	b := tiers.Baselines()[tiers.Healthcare]
	b.Password.MinimumLength = 8
	b.Password.ReusePrevention = 30
	b.Password.RequireSymbols = false
	b.Password.MaxAgeDays = 2000
	b.Backup.Frequency = "hourly"
	b.Backup.RetentionDays = 30
	b.Backup.VaultLock = "GOVERNANCE"
	b.Backup.Source = ""
	var fields []string
	for _, p := range tiers.CheckBaseline(b, 2192) {
		fields = append(fields, p.Field+": "+p.Reason)
	}
	all := strings.Join(fields, "\n")
	for _, want := range []string{
		"baseline.password.minimumLength: 8 is outside 14 (CIS 1.8)",
		"baseline.password.reusePrevention: 30 is outside 24 (CIS 1.9) to 24 (AWS)",
		"baseline.password.maxAgeDays: 2000",
		"baseline.password: every character class",
		`baseline.backup.frequency: "hourly"`,
		`baseline.backup.vaultLock: "GOVERNANCE"`,
		"baseline.backup.source: missing",
	} {
		assert.Contains(t, all, want)
	}
	b = tiers.Baselines()[tiers.Healthcare]
	b.Backup.RetentionDays = 365
	require.Len(t, tiers.CheckBaseline(b, 2192), 1)
	assert.Contains(t, tiers.CheckBaseline(b, 2192)[0].Reason, "below the tier's 2192-day retention floor")
}

// TestBackupPolicyDocument: the tier's backup policy is Organizations
// backup policy syntax: one plan in every region of the tier, the tier's schedule and
// retention, resources selected by the backup tag with a role in each
// account.
func TestBackupPolicyDocument(t *testing.T) {
	for _, tier := range tiers.All() {
		rule := tier.Baseline().Backup
		raw, err := rule.BackupPolicy("tierzone-"+tier.Key, tier.AllowedRegions, "tierzone-backup", "tierzone-backup")
		require.NoError(t, err)
		assert.LessOrEqual(t, len(raw), maxBackupPolicyChars)
		var doc map[string]map[string]struct {
			Regions map[string][]string `json:"regions"`
			Rules   map[string]struct {
				Schedule  map[string]string `json:"schedule_expression"`
				Vault     map[string]string `json:"target_backup_vault_name"`
				Lifecycle struct {
					Delete map[string]string `json:"delete_after_days"`
				} `json:"lifecycle"`
			} `json:"rules"`
			Selections struct {
				Tags map[string]struct {
					Role     map[string]string   `json:"iam_role_arn"`
					TagKey   map[string]string   `json:"tag_key"`
					TagValue map[string][]string `json:"tag_value"`
				} `json:"tags"`
			} `json:"selections"`
		}
		require.NoError(t, json.Unmarshal([]byte(raw), &doc))
		plan, ok := doc["plans"]["tierzone-"+tier.Key]
		require.True(t, ok, tier.Key)
		assert.Equal(t, tier.AllowedRegions, plan.Regions["@@assign"], "every region of the tier, each customer's among them")
		r := plan.Rules[rule.Frequency]
		assert.Equal(t, "tierzone-backup", r.Vault["@@assign"])
		assert.Equal(t, rule.RetentionDays, atoi(t, r.Lifecycle.Delete["@@assign"]))
		if rule.Frequency == tiers.BackupWeekly {
			assert.Equal(t, "cron(0 5 ? * SUN *)", r.Schedule["@@assign"])
		} else {
			assert.Equal(t, "cron(0 5 ? * * *)", r.Schedule["@@assign"])
		}
		sel := plan.Selections.Tags[tiers.BackupTagKey]
		assert.Equal(t, "arn:aws:iam::$account:role/tierzone-backup", sel.Role["@@assign"])
		assert.Equal(t, tiers.BackupTagKey, sel.TagKey["@@assign"])
		assert.Equal(t, []string{tiers.BackupTagValue}, sel.TagValue["@@assign"])
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	require.NoError(t, json.Unmarshal([]byte(s), &n))
	return n
}
