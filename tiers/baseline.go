package tiers

import (
	"encoding/json"
	"fmt"
	"slices"
)

// AccountBaseline is what every customer account of a tier is born with,
// in the account itself: EBS encryption by default with a rotating key of
// the account's own, the S3 account-level public access block, the IAM
// password policy, an IAM Access Analyzer, and a backup vault the tier's
// backup policy writes to.
type AccountBaseline struct {
	Password PasswordPolicy
	Backup   BackupRule
}

// PasswordPolicy is an IAM account password policy, each value with why.
type PasswordPolicy struct {
	MinimumLength int
	// ReusePrevention is how many previous passwords cannot be reused
	// (AWS: 1-24).
	ReusePrevention int
	// MaxAgeDays forces a change after so many days; 0 never expires
	// (AWS: 1-1095).
	MaxAgeDays                                                         int
	RequireUppercase, RequireLowercase, RequireNumbers, RequireSymbols bool
	Source                                                             string
}

// BackupRule is a tier's Organizations backup policy rule: what it backs up
// (resources tagged BackupTagKey=BackupTagValue in each customer account),
// how often and how long it keeps each recovery point, and whether the
// vault is locked.
type BackupRule struct {
	// Frequency is BackupDaily or BackupWeekly.
	Frequency string
	// RetentionDays is how long a recovery point is kept.
	RetentionDays int
	// VaultLock is "" (none) or VaultLockCompliance: recovery points cannot
	// be deleted before RetentionDays, by anyone, once the grace period is
	// over.
	VaultLock string
	Source    string
}

// Backup frequencies and vault lock modes.
const (
	BackupDaily         = "daily"
	BackupWeekly        = "weekly"
	VaultLockCompliance = "COMPLIANCE"
)

// The tag customers put on the resources the tier's backup policy covers.
const (
	BackupTagKey   = "tierzone-backup"
	BackupTagValue = "true"
)

// CIS AWS Foundations v1.4.0 minimums every tier's password policy meets,
// and the limits of UpdateAccountPasswordPolicy.
const (
	CISMinPasswordLength    = 14 // CIS 1.8
	CISMinReusePrevention   = 24 // CIS 1.9
	AWSMaxPasswordLength    = 128
	AWSMaxReusePrevention   = 24
	AWSMaxPasswordAgeDays   = 1095
	CISPasswordPolicySource = "CIS AWS Foundations v1.4.0 1.8 (length >= 14) and 1.9 (reuse prevention 24)"
	// AWS Backup: a vault lock in compliance mode needs a grace period of
	// at least 3 days (changeable_for_days) before it becomes immutable.
	VaultLockGraceDays = 3
)

// cisPassword is the CIS floor with every character class.
func cisPassword(source string) PasswordPolicy {
	return PasswordPolicy{
		MinimumLength: CISMinPasswordLength, ReusePrevention: CISMinReusePrevention,
		RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
		Source: source,
	}
}

// Baselines are the account baselines by tier key.
func Baselines() map[string]AccountBaseline {
	fintechPassword := cisPassword(CISPasswordPolicySource + "; PCI DSS v4.0 8.3.9: passwords changed at least every 90 days where they are the only factor (8.3.6 asks 12 characters and 8.3.7 four previous passwords: CIS is stricter)")
	fintechPassword.MaxAgeDays = 90
	return map[string]AccountBaseline{
		Fintech: {
			Password: fintechPassword,
			Backup: BackupRule{Frequency: BackupDaily, RetentionDays: 365, VaultLock: VaultLockCompliance,
				Source: "PCI DSS v4.0 12.10.1 (incident response and business recovery) and 10.5.1 (12 months); immutable like the tier's COMPLIANCE-locked archive"},
		},
		Healthcare: {
			Password: cisPassword(CISPasswordPolicySource + "; HIPAA 164.308(a)(5)(ii)(D) password management sets no value"),
			Backup: BackupRule{Frequency: BackupDaily, RetentionDays: 2192, VaultLock: VaultLockCompliance,
				Source: "HIPAA 164.308(a)(7)(ii)(A) data backup plan (retrievable exact copies), kept the 6 years of 164.316(b)(2)(i)"},
		},
		GovFederal: {
			Password: cisPassword(CISPasswordPolicySource + "; NIST SP 800-53 IA-5(1) with SP 800-63B 5.1.1: no forced periodic change"),
			Backup: BackupRule{Frequency: BackupDaily, RetentionDays: 913, VaultLock: VaultLockCompliance,
				Source: "NIST SP 800-53 CP-9 (system backup) and CP-9(8) protection; 30 months like the tier's M-21-31 log floor"},
		},
		Standard: {
			Password: cisPassword(CISPasswordPolicySource),
			Backup: BackupRule{Frequency: BackupWeekly, RetentionDays: 35,
				Source: "Tierzone's default for CIS: weekly, five weeks (CIS sets no backup rule)"},
		},
	}
}

// Baseline is the tier's account baseline.
func (t Tier) Baseline() AccountBaseline { return t.AccountBaseline }

// CheckBaseline reports every problem with a tier's baseline, each as the
// field and why.
func CheckBaseline(b AccountBaseline, archiveFloorDays int) []FieldProblem {
	var out []FieldProblem
	add := func(field, format string, args ...any) {
		out = append(out, FieldProblem{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	p := b.Password
	if p.MinimumLength < CISMinPasswordLength || p.MinimumLength > AWSMaxPasswordLength {
		add("baseline.password.minimumLength", "%d is outside %d (CIS 1.8) to %d (AWS)", p.MinimumLength, CISMinPasswordLength, AWSMaxPasswordLength)
	}
	if p.ReusePrevention < CISMinReusePrevention || p.ReusePrevention > AWSMaxReusePrevention {
		add("baseline.password.reusePrevention", "%d is outside %d (CIS 1.9) to %d (AWS)", p.ReusePrevention, CISMinReusePrevention, AWSMaxReusePrevention)
	}
	if p.MaxAgeDays < 0 || p.MaxAgeDays > AWSMaxPasswordAgeDays {
		add("baseline.password.maxAgeDays", "%d is outside 0 (never) to %d (AWS)", p.MaxAgeDays, AWSMaxPasswordAgeDays)
	}
	if !p.RequireUppercase || !p.RequireLowercase || !p.RequireNumbers || !p.RequireSymbols {
		add("baseline.password", "every character class is required (CIS and Security Hub IAM.7)")
	}
	if p.Source == "" {
		add("baseline.password.source", "missing")
	}
	r := b.Backup
	if !slices.Contains([]string{BackupDaily, BackupWeekly}, r.Frequency) {
		add("baseline.backup.frequency", "%q is not %s or %s", r.Frequency, BackupDaily, BackupWeekly)
	}
	if r.RetentionDays < 1 {
		add("baseline.backup.retentionDays", "%d: keep recovery points at least a day", r.RetentionDays)
	}
	if r.VaultLock != "" && r.VaultLock != VaultLockCompliance {
		add("baseline.backup.vaultLock", "%q is not %s (or empty)", r.VaultLock, VaultLockCompliance)
	}
	if r.VaultLock == VaultLockCompliance && r.RetentionDays < archiveFloorDays {
		add("baseline.backup.retentionDays", "%d days is below the tier's %d-day retention floor for a locked vault", r.RetentionDays, archiveFloorDays)
	}
	if r.Source == "" {
		add("baseline.backup.source", "missing")
	}
	return out
}

// FieldProblem is one problem with a field of tier data.
type FieldProblem struct{ Field, Reason string }

// BackupPolicy is the tier's Organizations backup policy document (policy
// syntax with @@assign operators): one plan backing up the resources tagged
// BackupTagKey=BackupTagValue in regions into vault, with role in each
// account ($account is the backup policy's account variable).
func (b BackupRule) BackupPolicy(planName string, regions []string, vault, roleName string) (string, error) {
	schedule := "cron(0 5 ? * * *)" // daily, 05:00 UTC
	if b.Frequency == BackupWeekly {
		schedule = "cron(0 5 ? * SUN *)"
	}
	assign := func(v any) map[string]any { return map[string]any{"@@assign": v} }
	doc := map[string]any{"plans": map[string]any{planName: map[string]any{
		"regions": assign(regions),
		"rules": map[string]any{b.Frequency: map[string]any{
			"schedule_expression":      assign(schedule),
			"target_backup_vault_name": assign(vault),
			"lifecycle":                map[string]any{"delete_after_days": assign(fmt.Sprint(b.RetentionDays))},
		}},
		"selections": map[string]any{"tags": map[string]any{BackupTagKey: map[string]any{
			"iam_role_arn": assign("arn:aws:iam::$account:role/" + roleName),
			"tag_key":      assign(BackupTagKey),
			"tag_value":    assign([]string{BackupTagValue}),
		}}},
	}}}
	out, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("backup policy %s: %w", planName, err)
	}
	return string(out), nil
}
