package tests

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
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
	cat[i].ExistingAccountID = stackConfig(t, "prod")["tierzone:securityAccountId"]
	cfg = stackConfig(t, "prod")
	assert.True(t, hasProblem(runInvalid(t, cfg, cat), []string{`stack config "tierzone:securityAccountId"`, `customer "acme-finance"'s account`}))
}

// Detection resource types.
const (
	tSHPolicy      = "aws:securityhub/configurationPolicy:ConfigurationPolicy"
	tSHAssociation = "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation"
	tSHOrg         = "aws:securityhub/organizationConfiguration:OrganizationConfiguration"
	tSHAggregator  = "aws:securityhub/findingAggregator:FindingAggregator"
	tGDOrg         = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
	tGDFeature     = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
	tGDMember      = "aws:guardduty/memberDetectorFeature:MemberDetectorFeature"
	tGDPublishing  = "aws:guardduty/publishingDestination:PublishingDestination"
	tGDAdmin       = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
	tSHAdmin       = "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"
	tRecorder      = "aws:cfg/recorder:Recorder"
	tRecStatus     = "aws:cfg/recorderStatus:RecorderStatus"
	tDelivery      = "aws:cfg/deliveryChannel:DeliveryChannel"
	tPack          = "aws:cfg/conformancePack:ConformancePack"
	tAggregator    = "aws:cfg/configurationAggregator:ConfigurationAggregator"
)

func strList(r recorder.Resource, path ...string) []string {
	v := r.Inputs[resource.PropertyKey(path[0])]
	for _, k := range path[1:] {
		if !v.IsObject() {
			return nil
		}
		v = v.ObjectValue()[resource.PropertyKey(k)]
	}
	if !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		out = append(out, e.StringValue())
	}
	return out
}

// TestSecurityHubStandardsPerTierOU: Security Hub runs in central
// configuration from the security account, with one configuration policy
// per tier associated with that tier's OU, enabling exactly the tier's
// standards; the finding aggregator is in the home region.
func TestSecurityHubStandardsPerTierOU(t *testing.T) {
	for _, stack := range []string{"prod", "dev"} {
		g := runStack(t, stack)
		secID := stackConfig(t, stack)["tierzone:securityAccountId"]
		for _, typ := range []string{tGDAdmin, tSHAdmin} {
			admin := g.ofType(typ)
			require.Len(t, admin, 1, typ)
			assert.Equal(t, secID, str(admin[0], "adminAccountId"), typ)
		}
		org := g.ofType(tSHOrg)
		require.Len(t, org, 1)
		assert.Equal(t, "CENTRAL", org[0].Inputs["organizationConfiguration"].ObjectValue()["configurationType"].StringValue())
		agg := g.ofType(tSHAggregator)
		require.Len(t, agg, 1)
		assert.Equal(t, "SPECIFIED_REGIONS", str(agg[0], "linkingMode"))
		assert.NotContains(t, strList(agg[0], "specifiedRegions"), "us-east-1", "the home region aggregates; it is not linked to itself")
		assert.True(t, strings.HasSuffix(agg[0].ProviderURN, "::security"), "aggregator in the security account")

		want := map[string][]string{
			"fintech":     {"aws-foundational-security-best-practices/v/1.0.0", "pci-dss/v/4.0.1"},
			"healthcare":  {"aws-foundational-security-best-practices/v/1.0.0", "nist-800-53/v/5.0.0"},
			"gov-federal": {"aws-foundational-security-best-practices/v/1.0.0", "nist-800-53/v/5.0.0"},
			"standard":    {"aws-foundational-security-best-practices/v/1.0.0", "cis-aws-foundations-benchmark/v/3.0.0"},
		}
		assocs := g.ofType(tSHAssociation)
		require.Len(t, assocs, len(want))
		for tier, suffixes := range want {
			ou := g.named(t, tOU, tier+"-ou")
			var policy recorder.Resource
			for _, a := range assocs {
				if str(a, "targetId") == ou.ID {
					p, ok := g.byID(str(a, "policyId"))
					require.True(t, ok)
					policy = p
				}
			}
			require.NotEmpty(t, policy.URN, "%s: no configuration policy on OU %s", tier, ou.ID)
			cp := policy.Inputs["configurationPolicy"].ObjectValue()
			assert.True(t, cp["serviceEnabled"].BoolValue(), tier)
			var arns []string
			for _, s := range cp["enabledStandardArns"].ArrayValue() {
				arns = append(arns, s.StringValue())
			}
			var wantARNs []string
			for _, s := range suffixes {
				wantARNs = append(wantARNs, "arn:aws:securityhub:us-east-1::standards/"+s)
			}
			assert.Equal(t, wantARNs, arns, "%s %s: standards on its OU", stack, tier)
		}
	}
}

// TestGuardDutyAutoEnablesEveryAccount: GuardDuty's organization
// configuration auto-enables ALL members (new customers included); S3 and
// malware protection are on in every account of the tiers holding
// regulated data and in no Standard account; findings go to the archive
// with the trail bucket's KMS key.
func TestGuardDutyAutoEnablesEveryAccount(t *testing.T) {
	g := runStack(t, "prod")
	org := g.ofType(tGDOrg)
	require.Len(t, org, 1)
	assert.Equal(t, "ALL", str(org[0], "autoEnableOrganizationMembers"))
	features := map[string]string{}
	for _, f := range g.ofType(tGDFeature) {
		features[str(f, "name")] = str(f, "autoEnable")
	}
	assert.Equal(t, map[string]string{"S3_DATA_EVENTS": "NONE", "EBS_MALWARE_PROTECTION": "NONE"}, features,
		"features only some tiers need are off organization-wide and on per member")
	members := map[string][]string{}
	for _, m := range g.ofType(tGDMember) {
		acct, ok := g.byID(str(m, "accountId"))
		require.True(t, ok, "member feature for an account the stack does not know: %s", str(m, "accountId"))
		assert.Equal(t, "ENABLED", str(m, "status"))
		members[acct.Name] = append(members[acct.Name], str(m, "name"))
	}
	for _, c := range customers.Catalog() {
		got := members[c.Key+"-account"]
		if c.Tier == tiers.Standard {
			assert.Empty(t, got, c.Key)
		} else {
			assert.ElementsMatch(t, []string{"S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION"}, got, c.Key)
		}
	}
	pub := g.ofType(tGDPublishing)
	require.Len(t, pub, 1)
	assert.Equal(t, "arn:aws:s3:::"+arBuckets["prod"]["trail"]+"/guardduty", str(pub[0], "destinationArn"))
	trailKey := g.named(t, arKey, "log-archive-trail-key")
	assert.Equal(t, "arn:aws:kms:us-east-1:123456789012:key/"+trailKey.ID, str(pub[0], "kmsKeyArn"))
}

// TestConfigInEveryCustomerAccount: every customer account records every
// supported resource type (global ones in its home region, where its only
// recorder runs), delivers to its tier's archive bucket under its own
// prefix, has the recorder on and its tier's conformance pack, all through
// its own account's provider; the organization aggregator is in the
// security account.
func TestConfigInEveryCustomerAccount(t *testing.T) {
	g := runStack(t, "prod")
	packs := map[string]string{"fintech": "tierzone-pci-dss-v4", "healthcare": "tierzone-hipaa-security",
		"gov-federal": "tierzone-fedramp-moderate", "standard": "tierzone-cis-aws-v1-4-level2"}
	for _, c := range customers.Catalog() {
		tier, err := tiers.Lookup(c.Tier)
		require.NoError(t, err)
		for _, typ := range []string{tRecorder, tDelivery, tRecStatus, tPack} {
			rs := g.forCustomer(c.Key, typ)
			require.Len(t, rs, 1, "%s %s", c.Key, typ)
			assert.True(t, strings.HasSuffix(rs[0].ProviderURN, "::"+c.Key+"-aws"), "%s %s through %s", c.Key, typ, rs[0].ProviderURN)
		}
		rec := g.one(t, c.Key, tRecorder)
		rg := rec.Inputs["recordingGroup"].ObjectValue()
		assert.True(t, rg["allSupported"].BoolValue(), c.Key)
		assert.True(t, rg["includeGlobalResourceTypes"].BoolValue(), "%s: its only recorder records global types", c.Key)
		assert.NotEmpty(t, str(rec, "roleArn"), c.Key)
		del := g.one(t, c.Key, tDelivery)
		assert.Equal(t, arBuckets["prod"][tier.ArchiveBoundary], str(del, "s3BucketName"), c.Key)
		assert.Equal(t, c.Tier+"/"+c.Key, str(del, "s3KeyPrefix"), c.Key)
		st := g.one(t, c.Key, tRecStatus)
		on, _ := boolean(st, "isEnabled")
		assert.True(t, on, c.Key)
		pack := g.one(t, c.Key, tPack)
		assert.Equal(t, packs[c.Tier], str(pack, "name"), c.Key)
		assert.Contains(t, str(pack, "templateBody"), "AWS::Config::ConfigRule", c.Key)
	}
	agg := g.ofType(tAggregator)
	require.Len(t, agg, 1)
	assert.True(t, strings.HasSuffix(agg[0].ProviderURN, "::security"))
	src := agg[0].Inputs["organizationAggregationSource"].ObjectValue()
	assert.True(t, src["allRegions"].BoolValue())
}

// TestArchiveLetsConfigDeliver: each tier's archive bucket lets the Config
// service write under the tier's prefix, from the tier's OU only, with the
// bucket-owner ACL; its key lets Config encrypt for the organization.
func TestArchiveLetsConfigDeliver(t *testing.T) {
	g := runStack(t, "prod")
	for _, boundary := range []string{"commercial", "healthcare", "gov-federal"} {
		b := arBucketByBoundary(t, g, "prod", boundary)
		var writes int
		for _, st := range arPolicyOf(t, str(arOneOnBucket(t, g, arPolicy, b), "policy")) {
			if st.Effect == "Allow" && arHas(arStrings(st.Action), "s3:PutObject") && arHas(arStrings(st.Principal), "config.amazonaws.com") {
				writes++
				assert.Equal(t, "bucket-owner-full-control", st.Condition["StringEquals"]["s3:x-amz-acl"])
				assert.NotEmpty(t, st.Condition["ForAnyValue:StringLike"]["aws:SourceOrgPaths"], "%s: from the tier OU only", boundary)
			}
		}
		assert.Positive(t, writes, boundary)
	}
}

// TestCISMonitoringOnTheTrail: the organization trail also delivers to a
// KMS-encrypted CloudWatch log group through a role only CloudTrail (for
// this trail) can assume; every CIS 4.x recommendation has a metric filter
// on that group with the benchmark's pattern and an alarm notifying a
// KMS-encrypted SNS topic.
func TestCISMonitoringOnTheTrail(t *testing.T) {
	for _, stack := range []string{"prod", "dev"} {
		g := runStack(t, stack)
		prefix := "tierzone"
		if stack == "dev" {
			prefix = "tierzone-dev"
		}
		tr := g.ofType(arTrail)[0]
		group := g.named(t, tLogGroup, "cis-monitoring-log-group")
		assert.Equal(t, "/tierzone/cloudtrail/"+prefix+"-organization-trail", str(group, "name"))
		assert.True(t, strings.HasPrefix(str(group, "kmsKeyId"), "arn:aws:kms:"), "log group KMS-encrypted")
		assert.Equal(t, "arn:aws:logs:us-east-1:123456789012:log-group:"+str(group, "name")+":*", str(tr, "cloudWatchLogsGroupArn"), stack)
		role := g.named(t, tRole, "cis-monitoring-role")
		assert.NotEmpty(t, str(tr, "cloudWatchLogsRoleArn"))
		assert.Contains(t, str(role, "assumeRolePolicy"), "cloudtrail.amazonaws.com")
		assert.Contains(t, str(role, "assumeRolePolicy"), "trail/"+prefix+"-organization-trail")
		topic := g.named(t, "aws:sns/topic:Topic", "cis-monitoring-topic")
		assert.True(t, strings.HasPrefix(str(topic, "kmsMasterKeyId"), "arn:aws:kms:"), "topic KMS-encrypted")

		filters := map[string]recorder.Resource{}
		for _, f := range g.ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter") {
			if !strings.HasPrefix(f.Name, "cis-monitoring") {
				continue // the finding counts (observability)
			}
			assert.Equal(t, str(group, "name"), str(f, "logGroupName"))
			filters[str(f, "name")] = f
		}
		alarms := map[string]recorder.Resource{}
		for _, a := range g.ofType("aws:cloudwatch/metricAlarm:MetricAlarm") {
			if !strings.HasPrefix(a.Name, "cis-monitoring") {
				continue // the customers' alarms (observability)
			}
			alarms[str(a, "name")] = a
		}
		want := tiers.CISMonitoring()
		assert.Len(t, filters, len(want))
		assert.Len(t, alarms, len(want))
		var cis []string
		for _, w := range want {
			cis = append(cis, w.CIS)
			name := prefix + "-cis-" + w.Key
			f, ok := filters[name]
			if !assert.True(t, ok, "%s: no metric filter %s", stack, name) {
				continue
			}
			assert.Equal(t, w.Pattern, str(f, "pattern"))
			a, ok := alarms[name]
			if !assert.True(t, ok, "%s: no alarm %s", stack, name) {
				continue
			}
			assert.Equal(t, name, str(a, "metricName"))
			assert.Equal(t, tiers.CISMetricNamespace, str(a, "namespace"))
			assert.Equal(t, []string{"arn:aws:mock::123456789012:cis-monitoring-topic"}, strList(a, "alarmActions"), "%s alarms the CIS topic (the recorder's ARN of it)", name)
			assert.Contains(t, str(a, "alarmDescription"), "CIS AWS Foundations v3.0.0 "+w.CIS)
		}
		assert.Equal(t, []string{"4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8", "4.9", "4.10", "4.11", "4.12", "4.13", "4.14", "4.15"}, cis,
			"every CIS v3.0.0 monitoring recommendation")
	}
}

// TestEveryArchiveBucketLogsAccessToALockedDownBucket: every archive
// bucket (each boundary and the trail's) has S3 server access logging into
// the access-log bucket, which blocks public access, is versioned,
// encrypted (SSE-S3: the only encryption S3 allows a log target), TLS-only,
// writable only by S3's logging service for the archive buckets, and
// refuses deletes when protected.
func TestEveryArchiveBucketLogsAccessToALockedDownBucket(t *testing.T) {
	for _, stack := range []string{"prod", "dev"} {
		g := runStack(t, stack)
		access := g.named(t, arBucket, "log-archive-access-logs-bucket")
		logged := map[string]bool{}
		for _, l := range g.ofType("aws:s3/bucketLoggingV2:BucketLoggingV2") {
			assert.Equal(t, access.ID, str(l, "targetBucket"))
			src, ok := g.byID(str(l, "bucket"))
			require.True(t, ok)
			assert.Equal(t, str(src, "bucket")+"/", str(l, "targetPrefix"))
			logged[str(src, "bucket")] = true
		}
		for boundary, name := range arBuckets[stack] {
			assert.True(t, logged[name], "%s %s bucket %s has no server access logging", stack, boundary, name)
		}
		assert.False(t, logged[str(access, "bucket")], "the access-log bucket does not log into itself")
		assert.Len(t, logged, len(arBuckets[stack]))

		pab := arOneOnBucket(t, g, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", access)
		for _, f := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
			on, _ := boolean(pab, f)
			assert.True(t, on, f)
		}
		sse := arOneOnBucket(t, g, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", access)
		assert.Contains(t, sse.Inputs["rules"].String(), "AES256")
		ver := arOneOnBucket(t, g, "aws:s3/bucketVersioningV2:BucketVersioningV2", access)
		assert.Contains(t, ver.Inputs["versioningConfiguration"].String(), "Enabled")
		var tls, onlyLogging, noDelete bool
		for _, st := range arPolicyOf(t, str(arOneOnBucket(t, g, arPolicy, access), "policy")) {
			switch {
			case st.Effect == "Deny" && st.Condition["Bool"]["aws:SecureTransport"] == "false":
				tls = true
			case st.Effect == "Allow":
				onlyLogging = arHas(arStrings(st.Principal), "logging.s3.amazonaws.com") && len(arStrings(st.Principal)) == 1 &&
					st.Condition["StringEquals"]["aws:SourceAccount"] != "" && st.Condition["ArnLike"]["aws:SourceArn"] != ""
			case st.Effect == "Deny" && arHas(arStrings(st.Action), "s3:DeleteObject"):
				noDelete = true
			}
		}
		assert.True(t, tls, "%s: TLS only", stack)
		assert.True(t, onlyLogging, "%s: only S3 logging may write", stack)
		assert.Equal(t, stack == "prod", noDelete, "%s: deletes refused when protected", stack)
	}
}
