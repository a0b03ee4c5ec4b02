package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/accessanalyzer"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ebs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/tiers"
)

// AccountBaselineType is the AccountBaseline type token.
const AccountBaselineType = "tierzone:account:AccountBaseline"

// Names the baseline gives inside every customer account; the tier's
// backup policy names the vault and the role.
const (
	BackupVaultName = "tierzone-backup"
	BackupRoleName  = "tierzone-backup"
)

// AccountBaselineArgs configures an AccountBaseline.
type AccountBaselineArgs struct {
	// Baseline is the tier's (tiers.Tier.Baseline).
	Baseline tiers.AccountBaseline
	// AccountID is the customer account; it scopes the keys' policies.
	AccountID pulumi.StringInput
	// Protect protects the keys and the vault and retains them on delete:
	// deleting a key makes what it encrypted unreadable, deleting the vault
	// loses the recovery points.
	Protect bool
	Tags    map[string]string
	// Provider works inside the customer's account, in its region.
	Provider pulumi.ProviderResource
}

// AccountBaseline is the account-level hardening of one customer account:
// EBS encryption by default under a rotating key of the account, the S3
// account public access block (all four settings), the tier's IAM password
// policy, an IAM Access Analyzer for the account, and the KMS-encrypted
// backup vault (locked in COMPLIANCE mode where the tier asks) with the
// role AWS Backup uses there.
type AccountBaseline struct {
	pulumi.ResourceState

	EBSKey            *kms.Key
	EBSDefault        *ebs.EncryptionByDefault
	EBSDefaultKey     *ebs.DefaultKmsKey
	PublicAccessBlock *s3.AccountPublicAccessBlock
	PasswordPolicy    *iam.AccountPasswordPolicy
	Analyzer          *accessanalyzer.Analyzer
	BackupKey         *kms.Key
	BackupVault       *backup.Vault
	// VaultLock is nil where the tier does not lock its vault.
	VaultLock  *backup.VaultLockConfiguration
	BackupRole *iam.Role
}

// NewAccountBaseline registers the baseline. The name is the customer key;
// children are named "<name>-...".
func NewAccountBaseline(ctx *pulumi.Context, name string, args *AccountBaselineArgs, opts ...pulumi.ResourceOption) (*AccountBaseline, error) {
	if args == nil || args.Provider == nil || args.AccountID == nil {
		return nil, errors.New("tierzone: NewAccountBaseline needs AccountID and the customer's Provider")
	}
	b := &AccountBaseline{}
	if err := ctx.RegisterComponentResource(AccountBaselineType, name, b, opts...); err != nil {
		return nil, err
	}
	in := []pulumi.ResourceOption{pulumi.Parent(b), pulumi.Provider(args.Provider)}
	kept := in
	if args.Protect {
		kept = append(append([]pulumi.ResourceOption(nil), in...), pulumi.Protect(true), pulumi.RetainOnDelete(true))
	}
	tags := nameTags(args.Tags, name)
	accountKey := func(key, what string) (*kms.Key, error) {
		policy := pulumi.All(args.AccountID).ApplyT(func(v []any) (string, error) {
			return jsonString(map[string]any{
				"Version":   "2012-10-17",
				"Statement": []map[string]any{accountAdministers(v[0].(string))},
			})
		}).(pulumi.StringOutput)
		return kms.NewKey(ctx, name+"-"+key, &kms.KeyArgs{
			Description:          pulumi.String(what),
			EnableKeyRotation:    pulumi.Bool(true),
			DeletionWindowInDays: pulumi.Int(KMSDeletionWindowDays),
			Policy:               policy,
			Tags:                 tags(key),
		}, kept...)
	}

	var err error
	// CIS 2.2.1 / Security Hub EC2.7: new EBS volumes and snapshot copies
	// are encrypted, under the account's own key, not aws/ebs.
	if b.EBSKey, err = accountKey("ebs-key", "Default key of EBS encryption in the account"); err != nil {
		return nil, err
	}
	if b.EBSDefault, err = ebs.NewEncryptionByDefault(ctx, name+"-ebs-encryption", &ebs.EncryptionByDefaultArgs{Enabled: pulumi.Bool(true)}, in...); err != nil {
		return nil, err
	}
	if b.EBSDefaultKey, err = ebs.NewDefaultKmsKey(ctx, name+"-ebs-default-key", &ebs.DefaultKmsKeyArgs{KeyArn: b.EBSKey.Arn}, in...); err != nil {
		return nil, err
	}
	// CIS 2.1.5 / Security Hub S3.1: no bucket of the account can be made public.
	if b.PublicAccessBlock, err = s3.NewAccountPublicAccessBlock(ctx, name+"-s3-public-access-block", &s3.AccountPublicAccessBlockArgs{
		BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
		IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
	}, in...); err != nil {
		return nil, err
	}
	p := args.Baseline.Password
	pw := &iam.AccountPasswordPolicyArgs{
		MinimumPasswordLength:      pulumi.Int(p.MinimumLength),
		PasswordReusePrevention:    pulumi.Int(p.ReusePrevention),
		RequireUppercaseCharacters: pulumi.Bool(p.RequireUppercase),
		RequireLowercaseCharacters: pulumi.Bool(p.RequireLowercase),
		RequireNumbers:             pulumi.Bool(p.RequireNumbers),
		RequireSymbols:             pulumi.Bool(p.RequireSymbols),
		AllowUsersToChangePassword: pulumi.Bool(true),
	}
	if p.MaxAgeDays > 0 {
		pw.MaxPasswordAge = pulumi.Int(p.MaxAgeDays)
	}
	if b.PasswordPolicy, err = iam.NewAccountPasswordPolicy(ctx, name+"-password-policy", pw, in...); err != nil {
		return nil, err
	}
	if b.Analyzer, err = accessanalyzer.NewAnalyzer(ctx, name+"-access-analyzer", &accessanalyzer.AnalyzerArgs{
		AnalyzerName: pulumi.String(name + "-account"),
		Type:         pulumi.String("ACCOUNT"),
		Tags:         tags("access-analyzer"),
	}, in...); err != nil {
		return nil, err
	}
	if err := b.backupVault(ctx, name, args, tags, in, kept, accountKey); err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(b, pulumi.Map{
		"ebsKeyArn":      b.EBSKey.Arn,
		"backupVaultArn": b.BackupVault.Arn,
		"analyzerArn":    b.Analyzer.Arn,
	}); err != nil {
		return nil, err
	}
	return b, nil
}

// backupVault registers the vault the tier's backup policy writes to, its
// key, its lock where the tier asks, and the role AWS Backup assumes.
func (b *AccountBaseline) backupVault(ctx *pulumi.Context, name string, args *AccountBaselineArgs, tags func(string) pulumi.StringMap,
	in, kept []pulumi.ResourceOption, accountKey func(key, what string) (*kms.Key, error)) error {
	var err error
	if b.BackupKey, err = accountKey("backup-key", "Encrypts the recovery points of vault "+BackupVaultName); err != nil {
		return err
	}
	if b.BackupVault, err = backup.NewVault(ctx, name+"-backup-vault", &backup.VaultArgs{
		Name:      pulumi.String(BackupVaultName),
		KmsKeyArn: b.BackupKey.Arn,
		Tags:      tags("backup-vault"),
	}, kept...); err != nil {
		return err
	}
	rule := args.Baseline.Backup
	if rule.VaultLock == tiers.VaultLockCompliance {
		// Compliance mode: after the grace period nobody, root included,
		// can delete a recovery point early or remove the lock.
		if b.VaultLock, err = backup.NewVaultLockConfiguration(ctx, name+"-backup-vault-lock", &backup.VaultLockConfigurationArgs{
			BackupVaultName:   b.BackupVault.Name,
			MinRetentionDays:  pulumi.Int(rule.RetentionDays),
			ChangeableForDays: pulumi.Int(tiers.VaultLockGraceDays),
		}, kept...); err != nil {
			return err
		}
	}
	trust, err := jsonString(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "backup.amazonaws.com"},
			"Action":    "sts:AssumeRole",
		}},
	})
	if err != nil {
		return err
	}
	if b.BackupRole, err = iam.NewRole(ctx, name+"-backup-role", &iam.RoleArgs{
		Name:             pulumi.String(BackupRoleName),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             tags("backup-role"),
	}, in...); err != nil {
		return err
	}
	for _, a := range []struct{ suffix, policy string }{
		{"backup", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"},
		{"restore", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"},
	} {
		if _, err := iam.NewRolePolicyAttachment(ctx, name+"-backup-role-"+a.suffix, &iam.RolePolicyAttachmentArgs{
			Role: b.BackupRole.Name, PolicyArn: pulumi.String(a.policy),
		}, in...); err != nil {
			return err
		}
	}
	return nil
}
