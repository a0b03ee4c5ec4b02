package rules

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/stackconfig"
)

// record runs the real program with a stack file's settings, as the
// offline plan does.
func record(t testing.TB, stack string) []recorder.Resource {
	t.Helper()
	cfg, err := stackconfig.Load(stackconfig.File("../..", stack), recorder.Project)
	require.NoError(t, err)
	rec, err := recorder.Run(stack, cfg, landingzone.Program(customers.Catalog()))
	require.NoError(t, err)
	return rec.Resources()
}

func find(t *testing.T, rs []recorder.Resource, name string) *recorder.Resource {
	t.Helper()
	for i := range rs {
		if rs[i].Name == name {
			return &rs[i]
		}
	}
	t.Fatalf("no resource named %s in the plan", name)
	return nil
}

func without(rs []recorder.Resource, drop func(recorder.Resource) bool) []recorder.Resource {
	var out []recorder.Resource
	for _, r := range rs {
		if !drop(r) {
			out = append(out, r)
		}
	}
	return out
}

func rulesOf(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Rule)
	}
	return out
}

func TestSeedPlansPassEveryRule(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			vs := Check(FromRecorder(record(t, stack)))
			assert.Empty(t, vs, "violations:\n%v", vs)
		})
	}
}

func TestRulesSeeTheWholePlan(t *testing.T) {
	// A rule that found nothing to look at would pass vacuously.
	p := FromRecorder(record(t, "prod"))
	assert.Len(t, p.OfType(vpcType), 10)
	custs := p.customers()
	require.Len(t, custs, 10)
	assert.Equal(t, "gov-federal", custs["techgov-federal"].tier.Key, "tier comes from the OU the account is placed in")
	assert.Equal(t, "fintech", custs["acme-finance"].tier.Key)
	baselines := 0
	for _, pol := range p.OfType(scpType) {
		if isBaseline(pol) {
			baselines++
		}
	}
	assert.Equal(t, 1, baselines)
}

// bucketResources is a bucket with its encryption and public access block,
// as the log archive builds them.
func bucketResources(sse string, blockAll bool) []recorder.Resource {
	parent := "urn:pulumi:prod::tierzone::tierzone:logging:LogArchive::archive"
	urn := func(typ, name string) string {
		return "urn:pulumi:prod::tierzone::tierzone:logging:LogArchive$" + typ + "::" + name
	}
	b := urn(bucketV2Type, "archive-test-bucket")
	return []recorder.Resource{
		{URN: b, Type: bucketV2Type, Name: "archive-test-bucket", Parent: parent, Custom: true,
			Inputs: resource.NewPropertyMapFromMap(map[string]any{"bucket": "tierzone-archive-test"})},
		{URN: urn(bucketSSEType, "archive-test-encryption"), Type: bucketSSEType, Name: "archive-test-encryption", Parent: parent, Custom: true,
			PropertyDependencies: map[string][]string{"bucket": {b}},
			Inputs: resource.NewPropertyMapFromMap(map[string]any{"bucket": "tierzone-archive-test", "rules": []any{
				map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": sse}, "bucketKeyEnabled": true},
			}})},
		{URN: urn(bucketPABType, "archive-test-public-access-block"), Type: bucketPABType, Name: "archive-test-public-access-block", Parent: parent, Custom: true,
			PropertyDependencies: map[string][]string{"bucket": {b}},
			Inputs: resource.NewPropertyMapFromMap(map[string]any{"bucket": "tierzone-archive-test",
				"blockPublicAcls": true, "blockPublicPolicy": blockAll, "ignorePublicAcls": true, "restrictPublicBuckets": true})},
	}
}

func TestEachMutationTriggersOnlyItsRule(t *testing.T) {
	cases := []struct {
		rule   string
		mutate func(t *testing.T, rs []recorder.Resource) []recorder.Resource
		// urn names a resource that must be reported.
		urn string
	}{
		{VPCFlowLogs, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return without(rs, func(r recorder.Resource) bool {
				return r.Type == flowLogType && strings.HasPrefix(r.Name, "acme-finance-")
			})
		}, "acme-finance-vpc"},
		{VPCFlowLogs, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			for _, r := range rs {
				if r.Type == flowLogType && strings.HasPrefix(r.Name, "acme-finance-") {
					r.Inputs["trafficType"] = resource.NewProperty("REJECT")
				}
			}
			return rs
		}, "acme-finance-vpc"},
		{LogRetentionFloor, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			// Below the floor everywhere acme-finance's flow logs go.
			find(t, rs, "acme-finance-flow-logs").Inputs["retentionInDays"] = resource.NewProperty(30.0)
			for _, r := range rs {
				if r.Type == lifecycleType {
					r.Inputs["rules"] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.NewPropertyMapFromMap(map[string]any{
						"id": "short", "status": "Enabled", "filter": map[string]any{"prefix": ""}, "expiration": map[string]any{"days": 30},
					}))})
				}
			}
			return rs
		}, "acme-finance-vpc"},
		{S3Protected, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return append(rs, bucketResources("AES256", true)...)
		}, "archive-test-bucket"},
		{S3Protected, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return append(rs, bucketResources("aws:kms", false)...)
		}, "archive-test-bucket"},
		{S3Protected, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return append(rs, without(bucketResources("aws:kms", true), func(r recorder.Resource) bool { return r.Type == bucketSSEType })...)
		}, "archive-test-bucket"},
		{AccountConfig, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return without(rs, func(r recorder.Resource) bool { return r.Name == "guardian-health-conformance-pack" })
		}, "guardian-health-vpc"},
		{AccountConfig, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			// Another tier's pack is not this tier's.
			find(t, rs, "guardian-health-conformance-pack").Inputs["name"] = resource.NewProperty("tierzone-cis-aws-v1-4-level2")
			return rs
		}, "guardian-health-vpc"},
		{AccountConfig, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			find(t, rs, "startup-standard-config-recorder-status").Inputs["isEnabled"] = resource.NewProperty(false)
			return rs
		}, "startup-standard-vpc"},
		{AccountBaseline, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return without(rs, func(r recorder.Resource) bool { return r.Name == "metabank-fintech-ebs-encryption" })
		}, "metabank-fintech-vpc"},
		{AccountBaseline, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			find(t, rs, "medicorp-health-s3-public-access-block").Inputs["restrictPublicBuckets"] = resource.NewProperty(false)
			return rs
		}, "medicorp-health-vpc"},
		{AccountBaseline, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			find(t, rs, "techgov-federal-password-policy").Inputs["minimumPasswordLength"] = resource.NewProperty(8.0)
			return rs
		}, "techgov-federal-vpc"},
		{AccountBaseline, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return without(rs, func(r recorder.Resource) bool { return r.Name == "startup-standard-password-policy" })
		}, "startup-standard-vpc"},
		{CustomerAlarms, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			delete(find(t, rs, "acme-finance-alarms-topic").Inputs, "kmsMasterKeyId")
			return rs
		}, "acme-finance-vpc"},
		{CustomerAlarms, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return without(rs, func(r recorder.Resource) bool { return r.Name == "medicorp-health-alarm-flow-logs-stopped" })
		}, "medicorp-health-vpc"},
		{CustomerAlarms, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return without(rs, func(r recorder.Resource) bool { return r.Name == "startup-standard-alarm-forward" })
		}, "startup-standard-vpc"},
		{TrailToCloudWatch, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			delete(find(t, rs, "log-archive-org-trail").Inputs, "cloudWatchLogsGroupArn")
			return rs
		}, "log-archive-org-trail"},
		{DefaultSGNoRules, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			find(t, rs, "medicorp-health-default-sg").Inputs["ingress"] = resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty(resource.NewPropertyMapFromMap(map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": true})),
			})
			return rs
		}, "medicorp-health-default-sg"},
		{DefaultSGNoRules, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return without(rs, func(r recorder.Resource) bool { return r.Name == "medicorp-health-default-sg" })
		}, "medicorp-health-vpc"},
		{TierRegions, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			find(t, rs, "techgov-federal-aws").Inputs["region"] = resource.NewProperty("us-east-2")
			return rs
		}, "techgov-federal-vpc"},
		{TierRegions, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			find(t, rs, "statecorp-govfed-subnet-private-2").Inputs["availabilityZone"] = resource.NewProperty("us-west-2a")
			return rs
		}, "statecorp-govfed-subnet-private-2"},
		{TierRegions, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			// The provider of the Gov-Federal archive moves to us-west-2: the
			// commercial archive may go there, the Gov-Federal one may not.
			prov := find(t, rs, "log-archive-gov-federal-bucket").ProviderURN
			for _, r := range rs {
				if r.URN == prov {
					r.Inputs["region"] = resource.NewProperty("us-west-2")
				}
			}
			return rs
		}, "log-archive-gov-federal-bucket"},
		{OUBaselineSCP, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return without(rs, func(r recorder.Resource) bool { return r.Name == "healthcare-baseline-attachment" })
		}, "healthcare-ou"},
		{CustomerTags, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			delete(find(t, rs, "acme-finance-vpc").Inputs["tags"].ObjectValue(), "tier")
			return rs
		}, "acme-finance-vpc"},
		{CustomerTags, func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			tags := find(t, rs, "guardian-health-aws").Inputs["defaultTags"].ObjectValue()["tags"].ObjectValue()
			tags["customer"] = resource.NewProperty("medicorp-health")
			return rs
		}, "guardian-health-aws"},
	}
	for _, c := range cases {
		t.Run(c.rule+"/"+c.urn, func(t *testing.T) {
			plan := FromRecorder(c.mutate(t, record(t, "prod")))
			vs := Check(plan)
			require.NotEmpty(t, vs, "the mutation must be caught")
			for _, v := range vs {
				assert.Equal(t, c.rule, v.Rule, "only %s may fire: %v", c.rule, v)
				assert.NotEmpty(t, v.Message)
			}
			var names []string
			for _, v := range vs {
				r, ok := plan.Get(v.URN)
				require.True(t, ok, "violation names a resource of the plan: %s", v.URN)
				names = append(names, r.Name)
			}
			assert.Contains(t, names, c.urn)
		})
	}
}

func TestViolationMessagesSayWhatIsWrong(t *testing.T) {
	rs := record(t, "prod")
	find(t, rs, "techgov-federal-aws").Inputs["region"] = resource.NewProperty("us-east-2")
	vs := Check(FromRecorder(rs))
	require.NotEmpty(t, vs)
	assert.Contains(t, vs[0].Message, "us-east-2")
	assert.Contains(t, vs[0].Message, "gov-federal allows only [us-east-1]")
}

func TestCompliantBucketPasses(t *testing.T) {
	rs := append(record(t, "prod"), bucketResources("aws:kms", true)...)
	assert.Empty(t, Check(FromRecorder(rs)))
}

// TestAnalyzerViewMatchesRecorderView feeds the rules the resources the way
// the engine hands them to the policy pack (provider properties inline) and
// expects the same findings as from the recorded plan.
func TestAnalyzerViewMatchesRecorderView(t *testing.T) {
	rs := record(t, "prod")
	delete(find(t, rs, "acme-finance-vpc").Inputs["tags"].ObjectValue(), "customer")
	find(t, rs, "techgov-federal-aws").Inputs["region"] = resource.NewProperty("us-west-2")
	want := Check(FromRecorder(rs))
	got := Check(FromAnalyzer(analyzerView(rs), false))
	assert.NotEmpty(t, want)
	assert.Equal(t, want, got)
	assert.ElementsMatch(t, []string{CustomerTags, TierRegions}, unique(rulesOf(got)))
}

// analyzerView is the plan as the engine hands it to a stack policy, with
// the resources of the customers in unconfigured left without properties:
// at a preview their provider's role ARN needs the account id, so the
// engine cannot configure it and the resources have no outputs yet.
func analyzerView(rs []recorder.Resource, unconfigured ...string) []policyx.AnalyzerResource {
	inputs := map[string]resource.PropertyMap{}
	for _, r := range rs {
		inputs[r.URN] = r.Inputs
	}
	var ars []policyx.AnalyzerResource
	for _, r := range rs {
		ar := policyx.AnalyzerResource{
			Type: r.Type, URN: r.URN, Name: r.Name, Parent: r.Parent,
			Properties:           resource.FromResourcePropertyMap(r.Inputs),
			PropertyDependencies: r.PropertyDependencies,
		}
		if p, ok := inputs[r.ProviderURN]; ok {
			ar.Provider = policyx.AnalyzerProviderResource{URN: r.ProviderURN, Properties: resource.FromResourcePropertyMap(p)}
			for _, key := range unconfigured {
				if strings.Contains(r.ProviderURN, "::"+key+"-aws") {
					ar.Properties = property.Map{}
				}
			}
		}
		ars = append(ars, ar)
	}
	return ars
}

// TestPreviewDoesNotJudgeUnknownResources: a preview that onboards a
// customer passes (its resources' properties are unknown, not missing);
// the same view outside a preview is judged, and still fails; and a
// preview still catches what the graph alone shows (a VPC with no flow log).
func TestPreviewDoesNotJudgeUnknownResources(t *testing.T) {
	rs := record(t, "prod")
	ars := analyzerView(rs, "guardian-health")
	assert.Empty(t, Check(FromAnalyzer(ars, true)), "preview of an onboarding")
	up := Check(FromAnalyzer(ars, false))
	assert.Contains(t, rulesOf(up), CustomerTags, "an update judges empty properties as missing")
	assert.Contains(t, rulesOf(up), VPCFlowLogs)

	noFlowLog := without(rs, func(r recorder.Resource) bool { return strings.HasPrefix(r.Name, "guardian-health-flow-log") })
	got := Check(FromAnalyzer(analyzerView(noFlowLog, "guardian-health"), true))
	require.Len(t, got, 1, "%v", got)
	assert.Equal(t, VPCFlowLogs, got[0].Rule)
	assert.Contains(t, got[0].URN, "guardian-health-vpc")
}

func unique(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func TestBoundaryRegions(t *testing.T) {
	b := boundaryRegions()
	assert.Equal(t, []string{"us-east-1"}, b["gov-federal"])
	// Commercial: the regions Fintech, Healthcare and Standard all allow.
	assert.Equal(t, []string{"us-east-1", "us-east-2", "us-west-2"}, b["commercial"])
}

func TestComponentTypeTokensMatch(t *testing.T) {
	assert.Equal(t, components.CustomerAccountType, customerAccountType)
	assert.Equal(t, components.CustomerVPCType, customerVPCType)
	assert.Equal(t, components.TierOUType, tierOUType)
}

func TestParentOf(t *testing.T) {
	typ, name := parentOf("urn:pulumi:prod::tierzone::tierzone:landingzone:LandingZone$tierzone:network:CustomerVPC::acme-finance")
	assert.Equal(t, customerVPCType, typ)
	assert.Equal(t, "acme-finance", name)
	typ, name = parentOf("urn:pulumi:prod::tierzone::pulumi:pulumi:Stack::tierzone-prod")
	assert.Equal(t, "pulumi:pulumi:Stack", typ)
	assert.Equal(t, "tierzone-prod", name)
	typ, _ = parentOf("")
	assert.Empty(t, typ)
}

// archivedCustomer is a minimal fintech customer whose VPC logs to a
// CloudWatch group kept hotDays and to an S3 archive whose lifecycle
// expires prefix after expireDays.
func archivedCustomer(hotDays, expireDays int, prefix, destination string) *Plan {
	const lz = "urn:pulumi:t::tierzone::tierzone:landingzone:LandingZone"
	acctParent := lz + "$" + customerAccountType + "::acme"
	vpcParent := lz + "$" + customerVPCType + "::acme"
	in := func(parent, typ, name string) string {
		i := strings.LastIndex(parent, "::")
		return parent[:i] + "$" + typ + "::" + name
	}
	vpc := in(vpcParent, vpcType, "acme-vpc")
	group := in(vpcParent, logGroupType, "acme-flow-logs")
	bucket := lz + "$" + bucketV2Type + "::archive"
	policy := lz + "$" + bucketPolicyTyp + "::archive-policy"
	props := func(m map[string]any) resource.PropertyMap { return resource.NewPropertyMapFromMap(m) }
	flowLog := map[string]any{"trafficType": "ALL", "logDestinationType": "s3"}
	if destination != "" {
		flowLog["logDestination"] = destination
	}
	rs := []recorder.Resource{
		{URN: in(acctParent, accountType, "acme-account"), Type: accountType, Name: "acme-account", Parent: acctParent,
			Inputs: props(map[string]any{"tags": map[string]any{"tier": "fintech", "customer": "acme"}})},
		{URN: vpc, Type: vpcType, Name: "acme-vpc", Parent: vpcParent},
		{URN: group, Type: logGroupType, Name: "acme-flow-logs", Parent: vpcParent, Inputs: props(map[string]any{"retentionInDays": hotDays})},
		{URN: in(vpcParent, flowLogType, "acme-flow-log"), Type: flowLogType, Name: "acme-flow-log", Parent: vpcParent,
			Inputs:               props(map[string]any{"trafficType": "ALL", "logDestinationType": "cloud-watch-logs"}),
			PropertyDependencies: map[string][]string{"vpcId": {vpc}, "logDestination": {group}}},
		{URN: in(vpcParent, flowLogType, "acme-flow-log-archive"), Type: flowLogType, Name: "acme-flow-log-archive", Parent: vpcParent,
			Inputs: props(flowLog), PropertyDependencies: map[string][]string{"vpcId": {vpc}, "logDestination": {bucket, policy}}},
		{URN: bucket, Type: bucketV2Type, Name: "archive"},
		{URN: policy, Type: bucketPolicyTyp, Name: "archive-policy", PropertyDependencies: map[string][]string{"bucket": {bucket}}},
		{URN: lz + "$" + lifecycleType + "::archive-lifecycle", Type: lifecycleType, Name: "archive-lifecycle",
			PropertyDependencies: map[string][]string{"bucket": {bucket}},
			Inputs: props(map[string]any{"rules": []any{
				map[string]any{"status": "Enabled", "filter": map[string]any{"prefix": prefix}, "expiration": map[string]any{"days": expireDays}},
				map[string]any{"status": "Enabled", "filter": map[string]any{}, "abortIncompleteMultipartUpload": map[string]any{"daysAfterInitiation": 7}},
			}})},
	}
	return FromRecorder(rs)
}

func TestRetentionFollowsTheArchive(t *testing.T) {
	// fintech floor: 365 days.
	assert.Empty(t, logRetentionFloor(archivedCustomer(90, 2557, "fintech/", "")), "a short hot period is fine when the archive keeps the floor")
	assert.Empty(t, logRetentionFloor(archivedCustomer(0, 30, "fintech/", "")), "a log group without retention never expires")
	vs := logRetentionFloor(archivedCustomer(90, 300, "fintech/", ""))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Message, "300 days")
	assert.Contains(t, vs[0].Message, "floor is 365 days")
	assert.Empty(t, logRetentionFloor(archivedCustomer(90, 300, "standard/", "")), "another tier's prefix does not cover fintech's logs")
	// Once the destination is known, its own prefix decides.
	assert.Len(t, logRetentionFloor(archivedCustomer(90, 300, "fintech/acme/", "arn:aws:s3:::archive/fintech/acme/")), 1)
	assert.Empty(t, logRetentionFloor(archivedCustomer(90, 300, "fintech/other/", "arn:aws:s3:::archive/fintech/acme/")))
}
