package components_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/tiers"
)

// record runs fn under the recording mocks and returns what it registered
// by type (custom resources only).
func record(t *testing.T, fn func(ctx *pulumi.Context, p pulumi.ProviderResource) error) map[string][]recorder.Resource {
	t.Helper()
	rec := recorder.New("tierzone", "test")
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "account", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		return fn(ctx, p)
	}, pulumi.WithMocks("tierzone", "test", rec))
	require.NoError(t, err)
	out := map[string][]recorder.Resource{}
	for _, r := range rec.Resources() {
		out[r.Type] = append(out[r.Type], r)
	}
	return out
}

func in(r recorder.Resource, key string) any {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok {
		return nil
	}
	return v.V
}

// TestAccountBaselinePerTier: every tier's customer account gets EBS
// encryption by default under a rotating key of its own, all four S3
// public access block settings, the tier's password policy, an account
// Access Analyzer and a KMS-encrypted backup vault, locked in COMPLIANCE
// mode for the tier's retention where the tier asks; keys and vault are
// protected when the stack protects.
func TestAccountBaselinePerTier(t *testing.T) {
	for _, tier := range tiers.All() {
		t.Run(tier.Key, func(t *testing.T) {
			want := tier.Baseline()
			got := record(t, func(ctx *pulumi.Context, p pulumi.ProviderResource) error {
				_, err := components.NewAccountBaseline(ctx, "acme", &components.AccountBaselineArgs{
					Baseline: want, AccountID: pulumi.String("111111111111"), Protect: true, Provider: p,
					Tags: map[string]string{"customer": "acme"},
				})
				return err
			})
			require.Len(t, got["tierzone:account:AccountBaseline"], 1)
			keys := got["aws:kms/key:Key"]
			require.Len(t, keys, 2)
			for _, k := range keys {
				assert.Equal(t, true, in(k, "enableKeyRotation"), k.Name)
				assert.True(t, k.Protect && k.RetainOnDelete, k.Name)
				assert.Equal(t, "tierzone:account:AccountBaseline", typeOf(got, k.Parent), k.Name)
			}
			require.Len(t, got["aws:ebs/encryptionByDefault:EncryptionByDefault"], 1)
			assert.Equal(t, true, in(got["aws:ebs/encryptionByDefault:EncryptionByDefault"][0], "enabled"))
			require.Len(t, got["aws:ebs/defaultKmsKey:DefaultKmsKey"], 1)
			pab := got["aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"]
			require.Len(t, pab, 1)
			for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				assert.Equal(t, true, in(pab[0], k), k)
			}
			pw := got["aws:iam/accountPasswordPolicy:AccountPasswordPolicy"]
			require.Len(t, pw, 1)
			assert.Equal(t, float64(want.Password.MinimumLength), in(pw[0], "minimumPasswordLength"))
			assert.Equal(t, float64(want.Password.ReusePrevention), in(pw[0], "passwordReusePrevention"))
			if want.Password.MaxAgeDays > 0 {
				assert.Equal(t, float64(want.Password.MaxAgeDays), in(pw[0], "maxPasswordAge"))
			} else {
				assert.Nil(t, in(pw[0], "maxPasswordAge"))
			}
			an := got["aws:accessanalyzer/analyzer:Analyzer"]
			require.Len(t, an, 1)
			assert.Equal(t, "ACCOUNT", in(an[0], "type"))
			vault := got["aws:backup/vault:Vault"]
			require.Len(t, vault, 1)
			assert.Equal(t, components.BackupVaultName, in(vault[0], "name"))
			assert.True(t, vault[0].Protect)
			locks := got["aws:backup/vaultLockConfiguration:VaultLockConfiguration"]
			if want.Backup.VaultLock == tiers.VaultLockCompliance {
				require.Len(t, locks, 1)
				assert.Equal(t, float64(want.Backup.RetentionDays), in(locks[0], "minRetentionDays"))
				assert.Equal(t, float64(tiers.VaultLockGraceDays), in(locks[0], "changeableForDays"))
			} else {
				assert.Empty(t, locks)
			}
			roles := got["aws:iam/role:Role"]
			require.Len(t, roles, 1)
			assert.Equal(t, components.BackupRoleName, in(roles[0], "name"))
			assert.Len(t, got["aws:iam/rolePolicyAttachment:RolePolicyAttachment"], 2)
			for typ, rs := range got {
				for _, r := range rs {
					if r.Custom && typ != "pulumi:providers:aws" {
						assert.Contains(t, r.ProviderURN, "::account", "%s uses the account's provider", r.Name)
					}
				}
			}
		})
	}
}

func typeOf(got map[string][]recorder.Resource, urn string) string {
	for typ, rs := range got {
		for _, r := range rs {
			if r.URN == urn {
				return typ
			}
		}
	}
	return ""
}

// TestTierManagementPolicies: each tier OU gets a tag policy with the
// customer, tier and framework tags (the tier's values) and a backup policy
// with the tier's rule, both attached to the OU.
func TestTierManagementPolicies(t *testing.T) {
	tier, err := tiers.Lookup(tiers.Healthcare)
	require.NoError(t, err)
	got := record(t, func(ctx *pulumi.Context, p pulumi.ProviderResource) error {
		_, err := components.NewTierManagementPolicies(ctx, "healthcare", &components.TierManagementPoliciesArgs{
			Tier: tier, Regions: tier.AllowedRegions,
			OUID: pulumi.String("ou-abcd-healthcare"), NamePrefix: "tierzone", Provider: p,
		})
		return err
	})
	pols := got["aws:organizations/policy:Policy"]
	require.Len(t, pols, 2)
	byType := map[string]recorder.Resource{}
	for _, p := range pols {
		byType[in(p, "type").(string)] = p
	}
	var tag struct {
		Tags map[string]struct {
			Key   map[string]string   `json:"tag_key"`
			Value map[string][]string `json:"tag_value"`
			For   map[string][]string `json:"enforced_for"`
		} `json:"tags"`
	}
	require.NoError(t, json.Unmarshal([]byte(in(byType["TAG_POLICY"], "content").(string)), &tag))
	assert.Equal(t, "customer", tag.Tags["customer"].Key["@@assign"])
	assert.Nil(t, tag.Tags["customer"].Value, "a customer joining must not change the tier's policy")
	assert.Equal(t, []string{"healthcare"}, tag.Tags["tier"].Value["@@assign"])
	assert.Equal(t, []string{"HIPAA"}, tag.Tags["framework"].Value["@@assign"])
	assert.Equal(t, []string{"ec2:ALL_SUPPORTED"}, tag.Tags["tier"].For["@@assign"])
	assert.Equal(t, "tierzone-healthcare-tag-policy", in(byType["TAG_POLICY"], "name"))

	want, err := tier.Baseline().Backup.BackupPolicy("tierzone-healthcare", tier.AllowedRegions, components.BackupVaultName, components.BackupRoleName)
	require.NoError(t, err)
	assert.JSONEq(t, want, in(byType["BACKUP_POLICY"], "content").(string))
	atts := got["aws:organizations/policyAttachment:PolicyAttachment"]
	require.Len(t, atts, 2)
	for _, a := range atts {
		assert.Equal(t, "ou-abcd-healthcare", in(a, "targetId"))
	}
}
