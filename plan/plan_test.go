package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

func stackConfig(t testing.TB, stack string) map[string]string {
	t.Helper()
	dir, err := FindProjectDir(".")
	require.NoError(t, err)
	cfg, err := LoadStack(dir, stack)
	require.NoError(t, err)
	return cfg
}

func prodReport(t testing.TB) *Report {
	t.Helper()
	rep, err := Build("prod", stackConfig(t, "prod"), customers.Catalog())
	require.NoError(t, err)
	return rep
}

func jsonOf(t testing.TB, rep *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, rep.WriteJSON(&buf))
	return buf.Bytes()
}

func keysOf(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestJSONContract(t *testing.T) {
	raw := jsonOf(t, prodReport(t))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	assert.Equal(t, []string{"access", "customers", "dashboards", "resources", "shield", "summary"}, keysOf(doc))
	// Shield Advanced: Gov-Federal requires it; prod does not opt in.
	shield := doc["shield"].(map[string]any)
	assert.Equal(t, []any{"techgov-federal", "statecorp-govfed"}, shield["required"])
	assert.Empty(t, shield["subscribed"])
	// Identity Center: four permission sets per tier, and every customer's
	// login links into its own (placeholder) account.
	access := doc["access"].(map[string]any)
	assert.Len(t, access["permissionSets"], 16)
	for _, x := range access["customers"].([]any) {
		c := x.(map[string]any)
		links := c["loginLinks"].(map[string]any)
		assert.Len(t, links, 4, "%v", c["customer"])
		assert.Contains(t, links["customer-admin"], "https://d-0000000000.awsapps.com/start/#/console?account_id=")
		assert.Len(t, c["assignments"], 4)
	}
	assert.Len(t, access["customers"], len(doc["customers"].([]any)))
	// Every dashboard with its widgets: the organization's, one per tier,
	// one per customer (in its own account).
	dashboards := doc["dashboards"].([]any)
	assert.Len(t, dashboards, 1+4+len(doc["customers"].([]any)))
	for _, d := range dashboards {
		assert.NotEmpty(t, d.(map[string]any)["widgets"])
	}

	resources := doc["resources"].([]any)
	urns := map[string]bool{}
	byType := map[string]int{}
	var prev string
	for _, x := range resources {
		r := x.(map[string]any)
		for _, k := range []string{"urn", "type", "name", "id", "parent", "dependencies", "provider", "protect", "custom", "inputs"} {
			assert.Contains(t, r, k, "resource %v", r["urn"])
		}
		urn := r["urn"].(string)
		assert.Less(t, prev, urn, "resources sorted by URN")
		prev = urn
		urns[urn] = true
		byType[r["type"].(string)]++
		assert.IsType(t, []any{}, r["dependencies"])
		assert.IsType(t, map[string]any{}, r["inputs"])
	}
	assert.Equal(t, 4, byType["aws:organizations/organizationalUnit:OrganizationalUnit"])
	assert.Equal(t, 10, byType["aws:organizations/account:Account"])
	assert.Equal(t, 10, byType["aws:ec2/vpc:Vpc"])
	assert.Equal(t, 30, byType["aws:ec2/subnet:Subnet"])

	// Every parent, provider and dependency is a resource in the document.
	for _, x := range resources {
		r := x.(map[string]any)
		for _, ref := range []string{r["parent"].(string), r["provider"].(string)} {
			if ref != "" && !strings.HasSuffix(ref, "pulumi:pulumi:Stack::tierzone-prod") {
				assert.True(t, urns[ref], "%s refers to %s", r["urn"], ref)
			}
		}
		for _, d := range r["dependencies"].([]any) {
			assert.True(t, urns[d.(string)], "%s depends on %s", r["urn"], d)
		}
	}

	summary := doc["summary"].(map[string]any)
	assert.EqualValues(t, len(resources), summary["resources"])
	assert.EqualValues(t, 10, summary["customers"])
	assert.EqualValues(t, "prod", summary["stack"])
	assert.Len(t, doc["customers"], 10)
}

func TestJSONPolicyDocumentsAreStrings(t *testing.T) {
	var doc struct {
		Resources []struct {
			Type   string         `json:"type"`
			Name   string         `json:"name"`
			Inputs map[string]any `json:"inputs"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(jsonOf(t, prodReport(t)), &doc))
	byType := map[string]int{}
	for _, r := range doc.Resources {
		if r.Type != "aws:organizations/policy:Policy" {
			continue
		}
		typ, _ := r.Inputs["type"].(string)
		byType[typ]++
		content, ok := r.Inputs["content"].(string)
		require.True(t, ok, "%s content is a JSON string, got %T", r.Name, r.Inputs["content"])
		if typ != "SERVICE_CONTROL_POLICY" {
			// Tag and backup policies: management policy syntax, no IAM
			// version or statements.
			var m map[string]any
			require.NoError(t, json.Unmarshal([]byte(content), &m), r.Name)
			assert.NotEmpty(t, m, r.Name)
			continue
		}
		var pd tiers.PolicyDocument
		require.NoError(t, json.Unmarshal([]byte(content), &pd), r.Name)
		assert.Equal(t, tiers.PolicyVersion, pd.Version)
		assert.NotEmpty(t, pd.Statement)
	}
	assert.Equal(t, map[string]int{"SERVICE_CONTROL_POLICY": 4, "TAG_POLICY": 4, "BACKUP_POLICY": 4}, byType,
		"SCPs: baseline + fintech, healthcare, gov-federal; a tag and a backup policy per tier")
}

func TestJSONDeterministic(t *testing.T) {
	a := jsonOf(t, prodReport(t))
	b := jsonOf(t, prodReport(t))
	assert.True(t, bytes.Equal(a, b), "two runs of the prod plan differ")
}

func TestCustomersDerivedFromRegisteredResources(t *testing.T) {
	rep := prodReport(t)
	byKey := map[string]Customer{}
	for _, c := range rep.Customers {
		byKey[c.Key] = c
	}
	acme := byKey["acme-finance"]
	assert.Equal(t, "10.0.0.0/16", acme.VPCCIDR)
	assert.Equal(t, []Subnet{
		{Name: "acme-finance-subnet-public", Role: "public", CIDR: "10.0.0.0/24", AvailabilityZone: "us-east-1a"},
		{Name: "acme-finance-subnet-private-1", Role: "private", CIDR: "10.0.1.0/24", AvailabilityZone: "us-east-1a"},
		{Name: "acme-finance-subnet-private-2", Role: "private", CIDR: "10.0.2.0/24", AvailabilityZone: "us-east-1b"},
	}, acme.Subnets)
	assert.True(t, acme.NATGateway)
	assert.False(t, acme.VPNGateway)
	assert.Equal(t, 90, acme.FlowLogs.HotDays, "from the registered log group")
	assert.Equal(t, "/tierzone/vpc-flow-logs/acme-finance", acme.FlowLogs.LogGroup)
	assert.Equal(t, 8000, acme.MonthlyPriceUSD)
	assert.True(t, byKey["medicorp-health"].VPNGateway, "healthcare requires a VPN gateway")
	assert.Equal(t, "Customers-Government-Federal", byKey["statecorp-govfed"].OU)

	// Per-customer counts add up with the shared ones to the total.
	sum := 0
	for _, c := range rep.Customers {
		sum += c.Resources
		assert.Equal(t, 1, c.ResourcesByType["aws:organizations/account:Account"], c.Key)
		assert.Equal(t, 3, c.ResourcesByType["aws:ec2/subnet:Subnet"], c.Key)
	}
	for _, n := range rep.Summary.SharedResourcesByType {
		sum += n
	}
	assert.Equal(t, rep.Summary.Resources, sum)
	assert.Equal(t, 116000, rep.Summary.MonthlyPriceUSD)
}

func TestSCPMatrixFromAttachments(t *testing.T) {
	rep := prodReport(t)
	attached := map[string][]string{}
	for _, ou := range rep.Summary.OUs {
		attached[ou.Tier] = ou.Policies
	}
	assert.Equal(t, []string{FullAWSAccess, "tierzone-baseline", "tierzone-fintech"}, attached["fintech"])
	assert.Equal(t, []string{FullAWSAccess, "tierzone-baseline", "tierzone-gov-federal"}, attached["gov-federal"])
	assert.Equal(t, []string{FullAWSAccess, "tierzone-baseline"}, attached["standard"])
	require.NotEmpty(t, rep.Summary.Policies)
	assert.True(t, rep.Summary.Policies[0].AWSManaged)
	assert.Equal(t, FullAWSAccess, rep.Summary.Policies[0].Name)
	assert.Len(t, rep.Summary.Policies[0].AttachedTo, 4)
}

// seedTree is the seeds' "OU Navigation at 10 Customers".
const seedTree = `Customers-Fintech OU
├─ acme-finance (10.0.0.0/16)
├─ quantumbank-fintech (10.1.0.0/16)
├─ metabank-fintech (10.2.0.0/16)
└─ crossbank-fintech (10.5.0.0/16)

Customers-Healthcare OU
├─ medicorp-health (10.1.0.0/16)
└─ guardian-health (10.3.0.0/16)

Customers-Government-Federal OU
├─ techgov-federal (10.4.0.0/16)
└─ statecorp-govfed (10.4.0.0/16)

Customers-Standard OU
├─ startup-standard (10.1.0.0/16)
└─ techstartup-std (10.6.0.0/16)
`

func TestTextSeedCatalog(t *testing.T) {
	rep := prodReport(t)
	var buf bytes.Buffer
	require.NoError(t, rep.WriteText(&buf))
	out := buf.String()

	assert.Contains(t, out, "Organization root r-prod\n\n"+seedTree)

	rows := []string{
		`acme-finance +ACME Finance Inc +fintech +SOC2\+PCI-DSS +10\.0\.0\.0/16 +1 public, 2 private: 10\.0\.0\.0/24 10\.0\.1\.0/24 10\.0\.2\.0/24 +yes +no +90 d / 2557 d +\$8,000`,
		`medicorp-health +MediCorp Solutions Inc +healthcare +HIPAA +10\.1\.0\.0/16 +1 public, 2 private: .* +yes +yes +90 d / 3653 d +\$15,000`,
		`statecorp-govfed +StateCorp Federal +gov-federal +FedRAMP +10\.4\.0\.0/16 .* +\$25,000`,
		`startup-standard +StartupCorp Inc +standard +CIS +10\.1\.0\.0/16 .* +90 d / 365 d +\$2,000`,
		`TOTAL +10 customers +\$116,000`,
	}
	for _, row := range rows {
		assert.Regexp(t, regexp.MustCompile(`(?m)^`+row+`$`), out)
	}
	assert.Regexp(t, `(?m)^aws:ec2/subnet:Subnet +0 +30 +30$`, out)
	assert.Regexp(t, `(?m)^aws:organizations/organizationalUnit:OrganizationalUnit +4 +0 +4$`, out)
	assert.Regexp(t, fmt.Sprintf(`(?m)^acme-finance +%d: [a-z]`, rep.Customers[0].Resources), out)
	assert.Regexp(t, `(?m)^FullAWSAccess \(AWS-managed\) +- +✓ +✓ +✓ +✓$`, out)
	assert.Regexp(t, `(?m)^tierzone-fintech +\d+/10240 +✓ +· +· +·$`, out)
	assert.Regexp(t, `(?m)^attached / quota +3/10 +3/10 +3/10 +2/10$`, out)
}

func TestDevStackPlansItsSelection(t *testing.T) {
	rep, err := Build("dev", stackConfig(t, "dev"), customers.Catalog())
	require.NoError(t, err)
	var keys []string
	for _, c := range rep.Customers {
		keys = append(keys, c.Key)
	}
	assert.Equal(t, []string{"acme-finance", "medicorp-health", "techgov-federal", "startup-standard"}, keys)
	assert.Equal(t, "tierzone-dev-baseline", rep.Summary.Policies[1].Name)
	for _, r := range rep.Resources {
		if r.Type == "aws:organizations/account:Account" {
			assert.False(t, r.Protect, "dev does not protect accounts")
		}
	}
}

func TestBuildReportsEveryProblem(t *testing.T) {
	cfg := stackConfig(t, "prod")
	cfg["tierzone:Protect"] = "true"
	cfg["tierzone:retentionDays"] = "90"
	catalog := customers.Catalog()
	catalog[1].VPCCIDR = "8.8.0.0/16"

	rep, err := Build("prod", cfg, catalog)
	assert.Nil(t, rep)
	var ve *validation.Error
	require.True(t, errors.As(err, &ve), "got %v", err)
	msg := ve.Error()
	assert.Contains(t, msg, `stack config "tierzone:Protect": unknown key (did you mean tierzone:protect?)`)
	assert.Contains(t, msg, `stack config "tierzone:retentionDays": unknown key`)
	assert.Contains(t, msg, `customer "quantumbank-fintech": vpcCidr:`)
	assert.Len(t, ve.Problems, 3)

	_, err = Validate(cfg, catalog)
	require.True(t, errors.As(err, &ve))
	assert.Len(t, ve.Problems, 3, "validate finds the same problems")
}

func TestUseCatalogFileDropsSelection(t *testing.T) {
	cfg := stackConfig(t, "dev")
	out := UseCatalogFile(cfg)
	assert.NotContains(t, out, "tierzone:customers")
	assert.Contains(t, cfg, "tierzone:customers", "input left alone")
	assert.Equal(t, cfg["tierzone:organizationRootId"], out["tierzone:organizationRootId"])
}

func TestLoadStackMissingIsInvalidInput(t *testing.T) {
	dir, err := FindProjectDir(".")
	require.NoError(t, err)
	_, err = LoadStack(dir, "staging")
	var ve *validation.Error
	require.True(t, errors.As(err, &ve), "got %v", err)
	assert.Contains(t, ve.Error(), "no Pulumi.staging.yaml")
	assert.Contains(t, ve.Error(), "dev, hub, prod")
}

func TestFindProjectDirFails(t *testing.T) {
	_, err := FindProjectDir(t.TempDir())
	assert.ErrorContains(t, err, "no Pulumi.yaml")
}

// TestJSONContractFieldNames pins every field docs/plan.md documents for
// customers[] and summary (with its ous[] and policies[]): renaming or
// dropping one breaks consumers, so it must break this test.
func TestJSONContractFieldNames(t *testing.T) {
	var doc struct {
		Customers []map[string]any `json:"customers"`
		Summary   map[string]any   `json:"summary"`
	}
	require.NoError(t, json.Unmarshal(jsonOf(t, prodReport(t)), &doc))
	require.NotEmpty(t, doc.Customers)
	for _, c := range doc.Customers {
		for _, k := range []string{"key", "name", "tier", "frameworks", "ou", "accountEmail", "region", "vpcCidr",
			"subnets", "natGateway", "vpnGateway", "flowLogs", "monthlyPriceUSD", "resources", "resourcesByType"} {
			assert.Contains(t, c, k, "customer %v", c["key"])
		}
		for _, s := range c["subnets"].([]any) {
			for _, k := range []string{"name", "role", "cidr", "availabilityZone"} {
				assert.Contains(t, s, k)
			}
		}
		for _, k := range []string{"logGroup", "hotDays", "archiveDays", "floorDays"} {
			assert.Contains(t, c["flowLogs"], k)
		}
	}
	for _, k := range []string{"stack", "organizationRootId", "customers", "resources", "customResources", "components",
		"providers", "resourcesByType", "sharedResourcesByType", "monthlyPriceUSD", "ous", "policies", "scpMaxAttachments", "scpMaxChars"} {
		assert.Contains(t, doc.Summary, k)
	}
	for _, ou := range doc.Summary["ous"].([]any) {
		for _, k := range []string{"tier", "name", "urn", "parentId", "customers", "policies"} {
			assert.Contains(t, ou, k)
		}
	}
	for _, p := range doc.Summary["policies"].([]any) {
		for _, k := range []string{"name", "awsManaged", "attachedTo"} {
			assert.Contains(t, p, k)
		}
	}
}

// TestAccountBaselineInThePlan: each customer's row carries its account
// baseline as registered (own EBS key, all four S3 settings, its tier's
// password policy, an account analyzer, the vault and its lock) and the
// tier's backup rule; each tier OU has one tag and one backup policy,
// which do not count against the SCP quota.
func TestAccountBaselineInThePlan(t *testing.T) {
	rep := prodReport(t)
	for _, c := range rep.Customers {
		tier, err := tiers.Lookup(c.Tier)
		require.NoError(t, err)
		want := tier.Baseline()
		b := c.Baseline
		assert.True(t, b.EBSEncryptionByDefault && b.EBSCustomerKey, c.Key)
		assert.True(t, b.S3PublicAccessBlock, c.Key)
		require.NotNil(t, b.PasswordPolicy, c.Key)
		assert.Equal(t, PasswordPolicy{MinimumLength: want.Password.MinimumLength, ReusePrevention: want.Password.ReusePrevention, MaxAgeDays: want.Password.MaxAgeDays}, *b.PasswordPolicy, c.Key)
		assert.Equal(t, c.Key+"-account", b.AccessAnalyzer)
		assert.Equal(t, "tierzone-backup", b.BackupVault)
		assert.Equal(t, want.Backup.VaultLock, b.VaultLock, c.Key)
		if want.Backup.VaultLock != "" {
			assert.Equal(t, want.Backup.RetentionDays, b.VaultLockDays, c.Key)
		}
		assert.Equal(t, BackupRule{Frequency: want.Backup.Frequency, RetentionDays: want.Backup.RetentionDays, Selection: "tierzone-backup=true"}, b.Backup)
		assert.Equal(t, tier.AllowedRegions, b.DefaultVPCRegions)
	}
	for _, ou := range rep.Summary.OUs {
		assert.ElementsMatch(t, []string{"tierzone-" + ou.Tier + "-tag-policy", "tierzone-" + ou.Tier + "-backup-policy"}, ou.ManagementPolicies, ou.Name)
		for _, p := range ou.Policies {
			assert.NotContains(t, p, "-policy", "tag and backup policies are not SCPs")
		}
	}
	assert.Len(t, rep.Summary.ManagementPolicies, 8)
	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text))
	assert.Contains(t, text.String(), "medicorp-health      on, own key  all four          14/24/never")
	assert.Contains(t, text.String(), "tierzone-backup, daily 2192 d, COMPLIANCE 2192 d")
	assert.Contains(t, text.String(), "Default VPCs to delete")
}
