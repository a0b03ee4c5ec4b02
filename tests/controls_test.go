package tests

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/plan"
	"github.com/tierzone/tierzone/tiers"
)

func prodControls(t *testing.T) map[string]landingzone.CustomerControls {
	t.Helper()
	s, err := landingzone.FromConfig(func(k string) (string, bool) {
		v, ok := stackConfig(t, "prod")["tierzone:"+k]
		return v, ok
	})
	require.NoError(t, err)
	p, err := landingzone.Resolve(customers.Catalog(), s)
	require.NoError(t, err)
	out := map[string]landingzone.CustomerControls{}
	for _, cc := range p.Controls() {
		out[cc.Customer] = cc
	}
	return out
}

// TestControlReportPerCustomer pins the control report: each customer gets
// the controls its tier's data puts in place (its standards, pack,
// GuardDuty features, SCP statements, the CIS alarms), each with a
// source, and sees only its own frameworks' requirement ids.
func TestControlReportPerCustomer(t *testing.T) {
	report := prodControls(t)
	require.Len(t, report, len(customers.Catalog()))
	common := []string{"flow-logs-all-traffic", "log-retention-floor", "kms-at-rest", "tls-only-buckets", "s3-public-access-blocked",
		"default-security-group-closed", "organization-trail", "s3-access-logging", "guardduty",
		"ebs-default-encryption", "s3-account-public-access-block", "iam-password-policy", "access-analyzer", "backup-plan", "tag-policy",
		"scp/deny-leave-organization", "scp/deny-root-user", "scp/protect-security-services", "scp/protect-flow-logs",
		"scp/protect-platform-log-groups", "scp/protect-s3-account-public-access-block",
		"securityhub/aws-foundational-security-best-practices",
		"cis-alarm/4.1", "cis-alarm/4.2", "cis-alarm/4.3", "cis-alarm/4.4", "cis-alarm/4.5", "cis-alarm/4.6", "cis-alarm/4.7", "cis-alarm/4.8",
		"cis-alarm/4.9", "cis-alarm/4.10", "cis-alarm/4.11", "cis-alarm/4.12", "cis-alarm/4.13", "cis-alarm/4.14", "cis-alarm/4.15"}
	perTier := map[string][]string{
		"fintech": {"archive-object-lock", "scp/deny-unencrypted-storage", "scp/deny-iam-user-access-keys", "securityhub/pci-dss-v4.0.1",
			"config/pci-dss-v4", "guardduty/s3_data_events", "guardduty/ebs_malware_protection"},
		"healthcare": {"archive-object-lock", "scp/deny-unencrypted-storage", "securityhub/nist-800-53-r5", "config/hipaa-security",
			"guardduty/s3_data_events", "guardduty/ebs_malware_protection"},
		"gov-federal": {"archive-object-lock", "scp/deny-outside-allowed-regions", "securityhub/nist-800-53-r5", "config/fedramp-moderate",
			"guardduty/s3_data_events", "guardduty/ebs_malware_protection"},
		"standard": {"securityhub/cis-aws-foundations-v3.0.0", "config/cis-aws-v1.4-level2"},
	}
	for _, c := range customers.Catalog() {
		cc := report[c.Key]
		tier, err := tiers.Lookup(c.Tier)
		require.NoError(t, err)
		assert.Equal(t, tier.Frameworks, cc.Frameworks, c.Key)
		var got []string
		for _, ctl := range cc.Controls {
			got = append(got, ctl.ID)
			assert.NotEmpty(t, ctl.Source, "%s %s has no source", c.Key, ctl.ID)
			assert.NotEmpty(t, ctl.Title, "%s %s", c.Key, ctl.ID)
			for f := range ctl.Frameworks {
				assert.Contains(t, tier.Frameworks, f, "%s sees %s ids on %s, not one of its frameworks", c.Key, f, ctl.ID)
			}
		}
		assert.ElementsMatch(t, append(slices.Clone(common), perTier[c.Tier]...), got, c.Key)
	}

	// Pinned entries: what an auditor of each framework reads.
	find := func(key, id string) tiers.Control {
		for _, ctl := range report[key].Controls {
			if ctl.ID == id {
				return ctl
			}
		}
		t.Fatalf("%s has no control %s", key, id)
		return tiers.Control{}
	}
	fl := find("acme-finance", "flow-logs-all-traffic")
	assert.Equal(t, map[string][]string{"SOC2": {"CC7.2"}, "PCI-DSS": {"10.2.1"}}, fl.Frameworks)
	assert.Equal(t, []string{"EC2.6"}, fl.SecurityHub)
	assert.Equal(t, map[string][]string{"HIPAA": {"164.316(b)(2)(i)"}}, find("medicorp-health", "log-retention-floor").Frameworks)
	assert.Equal(t, map[string][]string{"FedRAMP": {"SA-9(5)", "AC-4"}}, find("techgov-federal", "scp/deny-outside-allowed-regions").Frameworks)
	root := find("startup-standard", "cis-alarm/4.3")
	assert.Equal(t, map[string][]string{"CIS": {"4.3"}}, root.Frameworks)
	assert.Equal(t, []string{"CloudWatch.1"}, root.SecurityHub)
	assert.Equal(t, "Logs kept 3653 days in the archive (floor 2192), 90 days hot", find("guardian-health", "log-retention-floor").Title)

	// The account baseline, with the tier's own values.
	hb := find("medicorp-health", "backup-plan")
	assert.Equal(t, "Resources tagged tierzone-backup=true are backed up daily and kept 2192 days, immutable in a vault locked in COMPLIANCE mode", hb.Title)
	assert.Contains(t, hb.Frameworks["HIPAA"], "164.308(a)(7)(ii)(A)")
	assert.Contains(t, hb.Source, "164.308(a)(7)")
	assert.Equal(t, "Resources tagged tierzone-backup=true are backed up weekly and kept 35 days", find("startup-standard", "backup-plan").Title)
	pw := find("acme-finance", "iam-password-policy")
	assert.Equal(t, "IAM password policy: at least 14 characters of every class, the last 24 not reused, changed every 90 days", pw.Title)
	assert.Equal(t, []string{"8.3.6", "8.3.7", "8.3.9"}, pw.Frameworks["PCI-DSS"])
	assert.Equal(t, map[string][]string{"CIS": {"2.2.1"}}, find("startup-standard", "ebs-default-encryption").Frameworks)
	assert.Equal(t, []string{"S3.1"}, find("techgov-federal", "s3-account-public-access-block").SecurityHub)
}

// TestPlanControlsJSON: `tierzone plan --controls --format json` carries
// the report under "controls", one entry per customer.
func TestPlanControlsJSON(t *testing.T) {
	rep, err := plan.BuildWith("prod", stackConfig(t, "prod"), customers.Catalog(), plan.Options{Controls: true})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, rep.WriteJSON(&buf))
	var doc struct {
		Controls []landingzone.CustomerControls `json:"controls"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	require.Len(t, doc.Controls, 10)
	assert.Equal(t, "acme-finance", doc.Controls[0].Customer)
	buf.Reset()
	require.NoError(t, rep.WriteText(&buf))
	assert.Contains(t, buf.String(), "Controls per customer (its own frameworks only)")
	assert.Contains(t, buf.String(), "cis-alarm/4.3")

	plain, err := plan.BuildWith("prod", stackConfig(t, "prod"), customers.Catalog(), plan.Options{})
	require.NoError(t, err)
	assert.Nil(t, plain.Controls, "the report is only there when asked for")
}
