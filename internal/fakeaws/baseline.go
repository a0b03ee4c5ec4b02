package fakeaws

import (
	"fmt"
	"regexp"
	"slices"
)

// The account baseline: EBS encryption by default and its key, the S3
// account public access block, the IAM account password policy, IAM
// Access Analyzer, AWS Backup vaults and their locks. Modeled: one setting
// per account (or account and region), the API's ranges and names, and
// references that must exist.

// Type tokens of the account baseline.
const (
	tEBSDefault     = "aws:ebs/encryptionByDefault:EncryptionByDefault"
	tEBSDefaultKey  = "aws:ebs/defaultKmsKey:DefaultKmsKey"
	tS3AccountBlock = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
	tPasswordPolicy = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy"
	tAnalyzer       = "aws:accessanalyzer/analyzer:Analyzer"
	tBackupVault    = "aws:backup/vault:Vault"
	tVaultLock      = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
)

// accessAnalyzerPrincipal is Access Analyzer's service principal, the one
// an organization analyzer's delegated administrator is registered for.
const accessAnalyzerPrincipal = "access-analyzer.amazonaws.com"

// backupVaultNamePattern: CreateBackupVault BackupVaultName, 2-50
// characters of letters, digits and hyphens; analyzerNamePattern:
// CreateAnalyzer analyzerName, 1-255 characters, [A-Za-z][A-Za-z0-9_.-]*.
var (
	backupVaultNamePattern = regexp.MustCompile(`^[a-zA-Z0-9\-_]{2,50}$`)
	analyzerNamePattern    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{0,254}$`)
)

// onePer fails when another record of typ exists in the operation's
// account (and, regional, its region): a per-account setting.
func onePer(typ, what string, regional bool) func(*opCtx, map[string]any, string) error {
	return func(c *opCtx, _ map[string]any, selfID string) error {
		match := func(*Record) bool { return true }
		if regional {
			match = c.regional
		}
		others, err := c.findWhere(typ, selfID, match)
		if err != nil {
			return err
		}
		if len(others) > 0 {
			return awsErr("ConflictException", "%s is already managed as %s in account %s", what, others[0].ID, c.account)
		}
		return nil
	}
}

func baselineKinds() []*kind {
	return []*kind{
		{
			token: tEBSDefault, label: "EBS Encryption By Default",
			validate: onePer(tEBSDefault, "EBS encryption by default", true),
			build: func(c *opCtx, _ map[string]any) (string, map[string]any, error) {
				return c.region, nil, nil
			},
		},
		{
			token: tEBSDefaultKey, label: "EBS Default KMS Key",
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				if err := onePer(tEBSDefaultKey, "the EBS default KMS key", true)(c, in, selfID); err != nil {
					return err
				}
				arn, _ := str(in, "keyArn")
				keys, err := c.findWhere(tKey, "", func(r *Record) bool { return r.Outputs["arn"] == arn })
				if err != nil {
					return err
				}
				if len(keys) == 0 {
					// ModifyEbsDefaultKmsKeyId: the key must exist.
					return awsErr("InvalidKmsKey.NotFound", "KMS key %s does not exist in account %s region %s", arn, c.account, c.region)
				}
				return nil
			},
			build: func(_ *opCtx, in map[string]any) (string, map[string]any, error) {
				arn, _ := str(in, "keyArn")
				return arn, nil, nil
			},
		},
		{
			token: tS3AccountBlock, label: "S3 Account Public Access Block",
			replaces: []string{"accountId"},
			validate: onePer(tS3AccountBlock, "the S3 account public access block", false),
			build: func(c *opCtx, _ map[string]any) (string, map[string]any, error) {
				return c.account, map[string]any{"accountId": c.account}, nil
			},
		},
		{
			token: tPasswordPolicy, label: "IAM Account Password Policy",
			outputs: []string{"expirePasswords"},
			static: func(in map[string]any) []failure {
				var fs []failure
				// UpdateAccountPasswordPolicy ranges.
				for _, r := range []struct {
					key      string
					min, max float64
				}{{"minimumPasswordLength", 6, 128}, {"passwordReusePrevention", 1, 24}, {"maxPasswordAge", 1, 1095}} {
					if v, ok := num(in, r.key); ok && (v < r.min || v > r.max) {
						fs = append(fs, failf(r.key, "ValidationError: must be between %v and %v, got %v", r.min, r.max, v))
					}
				}
				return fs
			},
			validate: onePer(tPasswordPolicy, "the account password policy", false),
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				_, expire := num(in, "maxPasswordAge")
				return "iam-account-password-policy", map[string]any{"expirePasswords": expire}, nil
			},
		},
		{
			token: tAnalyzer, label: "IAM Access Analyzer Analyzer", tagsAll: true,
			replaces: []string{"analyzerName", "type"},
			outputs:  []string{"arn"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if n, ok := str(in, "analyzerName"); ok && !analyzerNamePattern.MatchString(n) {
					fs = append(fs, failf("analyzerName", "ValidationException: %q is not a valid analyzer name", n))
				}
				if t, ok := str(in, "type"); ok && !slices.Contains([]string{"ACCOUNT", "ORGANIZATION", "ACCOUNT_UNUSED_ACCESS", "ORGANIZATION_UNUSED_ACCESS"}, t) {
					fs = append(fs, failf("type", "ValidationException: %q is not an analyzer type", t))
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				name, _ := str(in, "analyzerName")
				same, err := c.findWhere(tAnalyzer, selfID, func(r *Record) bool { return c.regional(r) && r.Inputs["analyzerName"] == name })
				if err != nil {
					return err
				}
				if len(same) > 0 {
					return awsErr("ConflictException", "an analyzer named %s already exists", name)
				}
				if t, _ := str(in, "type"); (t == "ORGANIZATION" || t == "ORGANIZATION_UNUSED_ACCESS") && c.account != c.mgmt() {
					// CreateAnalyzer: only the management account or the
					// delegated administrator for Access Analyzer.
					as, err := c.asManagement().findWhere(tDelegatedAdm, "", func(r *Record) bool {
						return r.Inputs["accountId"] == c.account && r.Inputs["servicePrincipal"] == accessAnalyzerPrincipal
					})
					if err != nil {
						return err
					}
					if len(as) == 0 {
						return awsErr("ValidationException", "an organization analyzer needs the management account or the delegated administrator for %s, not %s", accessAnalyzerPrincipal, c.account)
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "analyzerName")
				return name, map[string]any{"arn": fmt.Sprintf("arn:aws:access-analyzer:%s:%s:analyzer/%s", c.region, c.account, name)}, nil
			},
		},
		{
			token: tBackupVault, label: "Backup Vault", tagsAll: true,
			replaces: []string{"name", "kmsKeyArn"},
			outputs:  []string{"arn", "recoveryPoints"},
			static: func(in map[string]any) []failure {
				if n, ok := str(in, "name"); ok && !backupVaultNamePattern.MatchString(n) {
					return []failure{failf("name", "InvalidParameterValueException: %q is not a valid backup vault name", n)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				name, _ := str(in, "name")
				same, err := c.findWhere(tBackupVault, selfID, func(r *Record) bool { return c.regional(r) && r.Inputs["name"] == name })
				if err != nil {
					return err
				}
				if len(same) > 0 {
					return awsErr("AlreadyExistsException", "backup vault %s already exists", name)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				return name, map[string]any{"arn": fmt.Sprintf("arn:aws:backup:%s:%s:backup-vault:%s", c.region, c.account, name), "recoveryPoints": 0.0}, nil
			},
		},
		{
			token: tVaultLock, label: "Backup Vault Lock Configuration",
			replaces: []string{"backupVaultName"},
			outputs:  []string{"backupVaultArn"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if d, ok := num(in, "changeableForDays"); ok && d < 3 {
					// PutBackupVaultLockConfiguration ChangeableForDays:
					// at least 3 days.
					fs = append(fs, failf("changeableForDays", "InvalidParameterValueException: at least 3 days, got %v", d))
				}
				lo, okLo := num(in, "minRetentionDays")
				hi, okHi := num(in, "maxRetentionDays")
				if okLo && okHi && lo > hi {
					fs = append(fs, failf("minRetentionDays", "InvalidParameterValueException: %v is more than maxRetentionDays %v", lo, hi))
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				name, _ := str(in, "backupVaultName")
				vaults, err := c.findWhere(tBackupVault, "", func(r *Record) bool { return c.regional(r) && r.Inputs["name"] == name })
				if err != nil {
					return err
				}
				if len(vaults) == 0 {
					return awsErr("ResourceNotFoundException", "backup vault %s does not exist", name)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "backupVaultName")
				return name, map[string]any{"backupVaultArn": fmt.Sprintf("arn:aws:backup:%s:%s:backup-vault:%s", c.region, c.account, name)}, nil
			},
		},
	}
}
