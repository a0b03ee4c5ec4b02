package tests

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
)

// Types of the account baseline.
const (
	tEBSDefault     = "aws:ebs/encryptionByDefault:EncryptionByDefault"
	tEBSDefaultKey  = "aws:ebs/defaultKmsKey:DefaultKmsKey"
	tAccountPAB     = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
	tPasswordPolicy = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy"
	tAnalyzer       = "aws:accessanalyzer/analyzer:Analyzer"
	tBackupVault    = "aws:backup/vault:Vault"
	tVaultLock      = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
	tKMSKey         = "aws:kms/key:Key"
)

// baselineTypes are what every customer account's baseline holds, with
// how many of each.
func baselineTypes(t tiers.Tier) map[string]int {
	want := map[string]int{tEBSDefault: 1, tEBSDefaultKey: 1, tAccountPAB: 1, tPasswordPolicy: 1, tAnalyzer: 1, tBackupVault: 1,
		tKMSKey: 2, tRole: 1, "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2}
	if t.Baseline().Backup.VaultLock != "" {
		want[tVaultLock] = 1
	}
	return want
}

// TestAccountBaselinePerCustomer: in the prod stack, every customer
// account gets its tier's whole baseline, through its own provider: EBS
// encryption by default under the account's rotating key, the four S3
// account settings, the tier's password policy, an ACCOUNT analyzer, and
// a vault under its own key, locked for the tier's retention where the
// tier asks, with the role the backup policy names.
func TestAccountBaselinePerCustomer(t *testing.T) {
	g := runStack(t, "prod")
	for _, c := range customers.Catalog() {
		tier, err := tiers.Lookup(c.Tier)
		require.NoError(t, err)
		want := tier.Baseline()
		base := g.named(t, components.AccountBaselineType, c.Key)
		got := map[string]int{}
		for _, r := range g.all {
			if r.Parent != base.URN {
				continue
			}
			got[r.Type]++
			assert.True(t, strings.HasSuffix(r.ProviderURN, "::"+c.Key+"-aws"), "%s is not created in %s's account: %s", r.Name, c.Key, r.ProviderURN)
		}
		assert.Equal(t, baselineTypes(tier), got, c.Key)

		ebsKey := g.named(t, tKMSKey, c.Key+"-ebs-key")
		on, _ := boolean(ebsKey, "enableKeyRotation")
		assert.True(t, on, "%s: EBS key rotates", c.Key)
		account := g.one(t, c.Key, tAccount)
		assert.Contains(t, str(ebsKey, "policy"), `"arn:aws:iam::`+account.ID+`:root"`, "%s: the key is administered by its own account", c.Key)
		assert.Equal(t, []string{ebsKey.URN}, g.named(t, tEBSDefaultKey, c.Key+"-ebs-default-key").PropertyDependencies["keyArn"])
		enabled, _ := boolean(g.named(t, tEBSDefault, c.Key+"-ebs-encryption"), "enabled")
		assert.True(t, enabled, c.Key)

		pab := g.named(t, tAccountPAB, c.Key+"-s3-public-access-block")
		for _, f := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
			v, _ := boolean(pab, f)
			assert.True(t, v, "%s: %s", c.Key, f)
		}

		pw := g.named(t, tPasswordPolicy, c.Key+"-password-policy")
		assert.EqualValues(t, want.Password.MinimumLength, num(pw, "minimumPasswordLength"), c.Key)
		assert.EqualValues(t, want.Password.ReusePrevention, num(pw, "passwordReusePrevention"), c.Key)
		if want.Password.MaxAgeDays == 0 {
			assert.EqualValues(t, -1, num(pw, "maxPasswordAge"), "%s: passwords never expire (no maxPasswordAge)", c.Key)
		} else {
			assert.EqualValues(t, want.Password.MaxAgeDays, num(pw, "maxPasswordAge"), c.Key)
		}
		assert.GreaterOrEqual(t, num(pw, "minimumPasswordLength"), float64(tiers.CISMinPasswordLength), "%s: CIS 1.8", c.Key)

		assert.Equal(t, "ACCOUNT", str(g.named(t, tAnalyzer, c.Key+"-access-analyzer"), "type"), c.Key)
		vault := g.named(t, tBackupVault, c.Key+"-backup-vault")
		assert.Equal(t, components.BackupVaultName, str(vault, "name"))
		assert.Equal(t, []string{g.named(t, tKMSKey, c.Key+"-backup-key").URN}, vault.PropertyDependencies["kmsKeyArn"], "%s: vault under its own key", c.Key)
		assert.Equal(t, components.BackupRoleName, str(g.named(t, tRole, c.Key+"-backup-role"), "name"))
		if want.Backup.VaultLock != "" {
			lock := g.named(t, tVaultLock, c.Key+"-backup-vault-lock")
			assert.EqualValues(t, want.Backup.RetentionDays, num(lock, "minRetentionDays"), c.Key)
			assert.EqualValues(t, tiers.VaultLockGraceDays, num(lock, "changeableForDays"), c.Key)
		}
	}
	// Gov-Federal, Healthcare and Fintech lock their vaults; Standard not.
	assert.Len(t, g.ofType(tVaultLock), 8)
}

// TestTierOUsTagAndBackupPolicies: each tier OU has a tag policy fixing
// the customer, tier and framework keys with the tier's own values, and a
// backup policy running the tier's rule in every region of the tier into
// the accounts' vaults; every customer's tags are values its tier's
// registered tag policy allows.
func TestTierOUsTagAndBackupPolicies(t *testing.T) {
	g := runStack(t, "prod")
	attached := attachedPolicies(t, g)
	policies := map[string]string{}
	for _, p := range g.ofType(tPolicy) {
		policies[str(p, "name")] = str(p, "content")
		switch str(p, "type") {
		case "TAG_POLICY", "BACKUP_POLICY", "SERVICE_CONTROL_POLICY":
		default:
			t.Errorf("policy %s has type %q", str(p, "name"), str(p, "type"))
		}
	}
	for _, tier := range tiers.All() {
		tagName, backupName := "tierzone-"+tier.Key+"-tag-policy", "tierzone-"+tier.Key+"-backup-policy"
		assert.Contains(t, attached[tier.OUName], tagName)
		assert.Contains(t, attached[tier.OUName], backupName)

		var tagDoc struct {
			Tags map[string]struct {
				Key         map[string]string   `json:"tag_key"`
				Values      map[string][]string `json:"tag_value"`
				EnforcedFor map[string][]string `json:"enforced_for"`
			} `json:"tags"`
		}
		require.NoError(t, json.Unmarshal([]byte(policies[tagName]), &tagDoc), tagName)
		assert.Len(t, tagDoc.Tags, 3)
		for _, k := range []string{"customer", "tier", "framework"} {
			assert.Equal(t, k, tagDoc.Tags[k].Key["@@assign"], "%s fixes %s's capitalization", tagName, k)
		}
		assert.Equal(t, []string{tier.Key}, tagDoc.Tags["tier"].Values["@@assign"])
		assert.Equal(t, []string{tier.FrameworkList()}, tagDoc.Tags["framework"].Values["@@assign"])
		assert.Equal(t, []string{"ec2:ALL_SUPPORTED"}, tagDoc.Tags["tier"].EnforcedFor["@@assign"])
		for _, c := range customers.Catalog() {
			if c.Tier != tier.Key {
				continue
			}
			vpcTags := tags(g.one(t, c.Key, tVPC))
			for k, tv := range tagDoc.Tags {
				v, ok := vpcTags[k]
				assert.True(t, ok, "%s's VPC lacks the %s tag", c.Key, k)
				if allowed := tv.Values["@@assign"]; allowed != nil {
					assert.Contains(t, allowed, v, "%s's %s tag is one its tier's policy refuses", c.Key, k)
				}
			}
		}

		var backupDoc struct {
			Plans map[string]struct {
				Regions map[string][]string `json:"regions"`
				Rules   map[string]struct {
					Vault     map[string]string `json:"target_backup_vault_name"`
					Lifecycle struct {
						Delete map[string]string `json:"delete_after_days"`
					} `json:"lifecycle"`
				} `json:"rules"`
			} `json:"plans"`
		}
		require.NoError(t, json.Unmarshal([]byte(policies[backupName]), &backupDoc), backupName)
		plan, ok := backupDoc.Plans["tierzone-"+tier.Key]
		require.True(t, ok, backupName)
		assert.Equal(t, tier.AllowedRegions, plan.Regions["@@assign"])
		rule := tier.Baseline().Backup
		r, ok := plan.Rules[rule.Frequency]
		require.True(t, ok, "%s has a %s rule", backupName, rule.Frequency)
		assert.Equal(t, components.BackupVaultName, r.Vault["@@assign"])
		days, err := strconv.Atoi(r.Lifecycle.Delete["@@assign"])
		require.NoError(t, err)
		assert.Equal(t, rule.RetentionDays, days)
		if rule.VaultLock != "" {
			assert.GreaterOrEqual(t, days, tier.Retention.FloorDays, "%s: a locked tier keeps backups at least its floor", tier.Key)
		}
	}
	// HIPAA 164.308(a)(7) and 164.316(b)(2)(i): six years, daily.
	hc, _ := tiers.Lookup(tiers.Healthcare)
	assert.Equal(t, tiers.BackupDaily, hc.Baseline().Backup.Frequency)
	assert.Equal(t, 2192, hc.Baseline().Backup.RetentionDays)
	assert.Contains(t, hc.Baseline().Backup.Source, "164.308(a)(7)")
}

// TestOrganizationAccessAnalyzer: one ORGANIZATION analyzer, in the
// security tooling account, after the management account delegates
// Access Analyzer to it.
func TestOrganizationAccessAnalyzer(t *testing.T) {
	g := runStack(t, "prod")
	var org []string
	for _, a := range g.ofType(tAnalyzer) {
		if str(a, "type") == "ORGANIZATION" {
			org = append(org, a.Name)
			assert.True(t, strings.HasSuffix(a.ProviderURN, "::security"), "organization analyzer in the security account: %s", a.ProviderURN)
			deps := a.Dependencies
			admin := g.named(t, "aws:organizations/delegatedAdministrator:DelegatedAdministrator", "security-access-analyzer-admin")
			assert.True(t, slices.Contains(deps, admin.URN), "the analyzer waits for the delegation")
			assert.Equal(t, components.AccessAnalyzerService, str(admin, "servicePrincipal"))
			assert.True(t, strings.HasSuffix(admin.ProviderURN, "::management"))
		}
	}
	assert.Len(t, org, 1)
	assert.Equal(t, len(customers.Catalog())+1, g.count(tAnalyzer), "one per customer account and the organization's")
}

// TestOnboardingBringsTheWholeBaseline: a customer joining gets its whole
// account baseline and nothing of the organization's changes: no tier
// policy, no other customer's baseline (TestOnboardingDoesNotTouchOther
// Customers covers every resource's inputs).
func TestOnboardingBringsTheWholeBaseline(t *testing.T) {
	cfg := catalogConfig(t, "prod")
	base := customers.Catalog()
	before := run(t, "prod", cfg, base)
	after := run(t, "prod", cfg, append(slices.Clone(base), customers.Customer{Key: "newco-health", Name: "NewCo Health", Tier: "healthcare", VPCCIDR: "10.9.0.0/16"}))

	added := map[string]int{}
	for _, r := range after.all {
		if _, ok := before.byURN[r.URN]; ok {
			continue
		}
		// Its own: in its components, or named for it (its GuardDuty member
		// features in the security tooling account, its operators' alarm
		// in the monitoring account).
		if r.Custom && !r.IsProvider() && after.customerOf(r) != "newco-health" && !strings.Contains(r.Name, "newco-health-") {
			t.Errorf("onboarding newco-health added %s, which is not its own", r.URN)
		}
		if p, ok := after.byURN[r.Parent]; ok && p.Type == components.AccountBaselineType {
			added[r.Type]++
		}
	}
	hc, _ := tiers.Lookup(tiers.Healthcare)
	assert.Equal(t, baselineTypes(hc), added)
	for _, p := range before.ofType(tPolicy) {
		a, ok := after.byURN[p.URN]
		if assert.True(t, ok) {
			assert.True(t, p.Inputs.DeepEquals(a.Inputs), "%s changed when a customer joined", str(p, "name"))
		}
	}
}
