package plan

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/tiers"
)

// Types of the account baseline the report reads.
const (
	typeEBSDefault     = "aws:ebs/encryptionByDefault:EncryptionByDefault"
	typeEBSDefaultKey  = "aws:ebs/defaultKmsKey:DefaultKmsKey"
	typeAccountPAB     = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
	typePasswordPolicy = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy"
	typeAnalyzer       = "aws:accessanalyzer/analyzer:Analyzer"
	typeBackupVault    = "aws:backup/vault:Vault"
	typeVaultLock      = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
)

// AccountBaseline is a customer account's baseline as registered: what
// the plan holds in the account, and the tier's backup policy that runs in
// it. A setting the program did not register reads false, zero or empty.
type AccountBaseline struct {
	// EBSEncryptionByDefault is on, under the account's own key when
	// EBSCustomerKey.
	EBSEncryptionByDefault bool `json:"ebsEncryptionByDefault"`
	EBSCustomerKey         bool `json:"ebsCustomerKey"`
	// S3PublicAccessBlock: the account-level block with all four settings.
	S3PublicAccessBlock bool            `json:"s3PublicAccessBlock"`
	PasswordPolicy      *PasswordPolicy `json:"passwordPolicy"`
	AccessAnalyzer      string          `json:"accessAnalyzer"`
	BackupVault         string          `json:"backupVault"`
	// VaultLock is "COMPLIANCE" (or "") and VaultLockDays its minimum
	// retention.
	VaultLock     string `json:"vaultLock,omitempty"`
	VaultLockDays int    `json:"vaultLockDays,omitempty"`
	// Backup is the tier's backup rule (its OU's backup policy).
	Backup BackupRule `json:"backup"`
	// DefaultVPCRegions are the tier's regions, where every new account
	// has a default VPC the operator deletes (README, "The account
	// baseline").
	DefaultVPCRegions []string `json:"defaultVpcRegions"`
}

// PasswordPolicy is the account's registered password policy.
type PasswordPolicy struct {
	MinimumLength   int `json:"minimumLength"`
	ReusePrevention int `json:"reusePrevention"`
	// MaxAgeDays 0: passwords do not expire.
	MaxAgeDays int `json:"maxAgeDays"`
}

// BackupRule is a tier's backup policy rule.
type BackupRule struct {
	Frequency     string `json:"frequency"`
	RetentionDays int    `json:"retentionDays"`
	Selection     string `json:"selection"`
}

func boolIn(m resource.PropertyMap, key string) bool {
	v, ok := m[resource.PropertyKey(key)]
	return ok && v.IsBool() && v.BoolValue()
}

// accountBaseline reads one customer's baseline from its recorded
// resources.
func accountBaseline(cs landingzone.CustomerSpec, rs []recorder.Resource) AccountBaseline {
	rule := cs.Tier.Baseline().Backup
	b := AccountBaseline{
		Backup:            BackupRule{Frequency: rule.Frequency, RetentionDays: rule.RetentionDays, Selection: tiers.BackupTagKey + "=" + tiers.BackupTagValue},
		DefaultVPCRegions: slices.Clone(cs.Tier.AllowedRegions),
	}
	for _, r := range rs {
		switch r.Type {
		case typeEBSDefault:
			b.EBSEncryptionByDefault = boolIn(r.Inputs, "enabled")
		case typeEBSDefaultKey:
			b.EBSCustomerKey = len(r.PropertyDependencies["keyArn"]) > 0
		case typeAccountPAB:
			b.S3PublicAccessBlock = boolIn(r.Inputs, "blockPublicAcls") && boolIn(r.Inputs, "blockPublicPolicy") &&
				boolIn(r.Inputs, "ignorePublicAcls") && boolIn(r.Inputs, "restrictPublicBuckets")
		case typePasswordPolicy:
			b.PasswordPolicy = &PasswordPolicy{MinimumLength: num(r.Inputs, "minimumPasswordLength"),
				ReusePrevention: num(r.Inputs, "passwordReusePrevention"), MaxAgeDays: num(r.Inputs, "maxPasswordAge")}
		case typeAnalyzer:
			b.AccessAnalyzer = str(r.Inputs, "analyzerName")
		case typeBackupVault:
			b.BackupVault = str(r.Inputs, "name")
		case typeVaultLock:
			b.VaultLock, b.VaultLockDays = tiers.VaultLockCompliance, num(r.Inputs, "minRetentionDays")
		}
	}
	return b
}
