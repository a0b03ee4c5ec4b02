package tests

import (
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// TestTierDetectionAsPromised pins each tier's Security Hub standards,
// Config conformance pack and GuardDuty features (issue 12): FSBP for all;
// PCI DSS v4.0.1 for Fintech; NIST 800-53 r5 for Gov-Federal and
// Healthcare; CIS v3.0 for Standard; S3 and malware protection where the
// tier keeps regulated data.
func TestTierDetectionAsPromised(t *testing.T) {
	want := map[string]struct {
		standards []string
		pack      string
		features  []string
	}{
		"fintech":     {[]string{tiers.FSBP, tiers.PCIDSS401}, tiers.PackPCIDSS, []string{tiers.GDS3DataEvents, tiers.GDEBSMalware}},
		"healthcare":  {[]string{tiers.FSBP, tiers.NIST80053}, tiers.PackHIPAA, []string{tiers.GDS3DataEvents, tiers.GDEBSMalware}},
		"gov-federal": {[]string{tiers.FSBP, tiers.NIST80053}, tiers.PackFedRAMP, []string{tiers.GDS3DataEvents, tiers.GDEBSMalware}},
		"standard":    {[]string{tiers.FSBP, tiers.CISv300}, tiers.PackCIS, nil},
	}
	for _, tr := range tiers.All() {
		w := want[tr.Key]
		var got, features []string
		for _, s := range tr.Detection.Standards {
			got = append(got, s.ID)
			assert.NotEmpty(t, s.Source, "%s %s", tr.Key, s.ID)
		}
		for _, f := range tr.Detection.GuardDutyFeatures {
			features = append(features, f.Name)
			assert.NotEmpty(t, f.Source, "%s %s", tr.Key, f.Name)
		}
		assert.Equal(t, w.standards, got, tr.Key)
		assert.Equal(t, w.pack, tr.Detection.ConformancePack, tr.Key)
		assert.Equal(t, w.features, features, tr.Key)
		assert.NotEmpty(t, tr.Detection.ConformancePackSource, tr.Key)
	}
	std, ok := tiers.LookupStandard(tiers.PCIDSS401)
	require.True(t, ok)
	assert.Equal(t, "arn:aws:securityhub:us-east-1::standards/pci-dss/v/4.0.1", std.ARN("us-east-1"))
	specs, err := landingzone.CheckDetection(tiers.All())
	require.NoError(t, err)
	for k, s := range specs {
		assert.LessOrEqual(t, len(s.PackTemplate), tiers.MaxConformancePackTemplateBytes, k)
		assert.Positive(t, s.PackRules, k)
		assert.LessOrEqual(t, s.PackRules, tiers.MaxRulesPerConformancePack, k)
	}
}

// TestBadDetectionDataIsReportedAtOnce: a tier naming a standard, pack or
// GuardDuty feature AWS does not have, or leaving out FSBP, fails with one
// error listing every problem, each naming the tier and the field.
func TestBadDetectionDataIsReportedAtOnce(t *testing.T) {
	all := tiers.All()
	all[0].Detection.Standards = append(all[0].Detection.Standards, tiers.StandardChoice{ID: "pci-dss-v9", Source: "typo"})
	all[1].Detection.Standards = all[1].Detection.Standards[1:]
	all[2].Detection.ConformancePack = "fedramp-ultra"
	all[3].Detection.GuardDutyFeatures = []tiers.FeatureChoice{{Name: "S3_PROTECTION", Source: "old name"}}
	_, err := landingzone.CheckDetection(all)
	var ve *validation.Error
	require.True(t, errors.As(err, &ve), "%v", err)
	ps := ve.Problems
	assert.Len(t, ps, 4, "%v", ps)
	for _, want := range [][]string{
		{`tier "fintech"`, "detection.standards", `"pci-dss-v9" is not a Security Hub standard`},
		{`tier "healthcare"`, "detection.standards", "must include aws-foundational-security-best-practices"},
		{`tier "gov-federal"`, "detection.conformancePack", `"fedramp-ultra" is not a conformance pack`},
		{`tier "standard"`, "detection.guardDutyFeatures", `"S3_PROTECTION" is not a GuardDuty feature`},
	} {
		assert.True(t, hasProblem(ps, want), "missing %v in %v", want, ps)
	}
}

// TestSecurityAccountSetting: the security tooling account is required, a
// 12-digit id and no customer's account; with every other problem, before
// anything is registered.
func TestSecurityAccountSetting(t *testing.T) {
	cfg := stackConfig(t, "prod")
	delete(cfg, "tierzone:securityAccountId")
	assert.True(t, hasProblem(runInvalid(t, cfg, customers.Catalog()), []string{`stack config "tierzone:securityAccountId"`, "missing"}))
	cfg["tierzone:securityAccountId"] = "12345"
	cfg["tierzone:organizationRootId"] = "root"
	ps := runInvalid(t, cfg, customers.Catalog())
	assert.True(t, hasProblem(ps, []string{`stack config "tierzone:securityAccountId"`, `"12345" is not a 12-digit AWS account id`}), "%v", ps)
	assert.True(t, hasProblem(ps, []string{`stack config "tierzone:organizationRootId"`}), "reported together: %v", ps)

	cat := customers.Catalog()
	i := slices.IndexFunc(cat, func(c customers.Customer) bool { return c.Key == "acme-finance" })
	cat[i].ExistingAccountID = "123456789012"
	cfg = stackConfig(t, "prod")
	assert.True(t, hasProblem(runInvalid(t, cfg, cat), []string{`stack config "tierzone:securityAccountId"`, `customer "acme-finance"'s account`}))
}
