package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/recorder"
)

func TestSeedPlansPassEveryResourceRule(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			vs := CheckResources(FromRecorder(record(t, stack)))
			assert.Empty(t, vs, "violations:\n%v", vs)
		})
	}
}

func TestResourceRulesHaveDistinctNames(t *testing.T) {
	names := map[string]bool{}
	for _, r := range All() {
		names[r.Name] = true
	}
	for _, r := range ResourceRules() {
		assert.False(t, names[r.Name], "%s named twice", r.Name)
		names[r.Name] = true
		assert.NotEmpty(t, r.Description)
	}
}

// TestResourceRulesSeeWhatTheyJudge: a rule that found nothing to look at in
// the prod plan would pass vacuously.
func TestResourceRulesSeeWhatTheyJudge(t *testing.T) {
	p := FromRecorder(record(t, "prod"))
	assert.Len(t, p.OfType(flowLogType), 20)
	assert.Len(t, p.OfType(defaultSGType), 10)
	assert.NotEmpty(t, p.OfType(bucketSSEType))
	assert.NotEmpty(t, p.OfType(bucketPABType))
	tagged := 0
	for _, r := range p.Resources {
		if key, ok := customerKey(r); ok {
			if _, judged := tagProblems(r, key, ""); judged {
				tagged++
			}
		}
	}
	assert.Greater(t, tagged, 100)
	tierPrefixes := 0
	for _, lc := range p.OfType(lifecycleType) {
		for _, e := range expirations(lc) {
			if e.prefix != "" && !strings.HasPrefix(e.prefix, "cloudtrail/") && !strings.HasPrefix(e.prefix, "guardduty/") {
				tierPrefixes++
			}
		}
	}
	assert.Equal(t, 4, tierPrefixes, "one expiration per tier")
}

// TestEachInputMutationTriggersOnlyItsResourceRule: a mutation of one
// resource's inputs in the prod plan is reported by its resource rule, on
// that resource, and by no other resource rule.
func TestEachInputMutationTriggersOnlyItsResourceRule(t *testing.T) {
	cases := []struct {
		rule   string
		name   string
		mutate func(t *testing.T, rs []recorder.Resource) []recorder.Resource
	}{
		{FlowLogAllTraffic, "acme-finance-flow-log", func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			find(t, rs, "acme-finance-flow-log").Inputs["trafficType"] = resource.NewProperty("REJECT")
			return rs
		}},
		{FlowLogAllTraffic, "guardian-health-flow-log-archive", func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			delete(find(t, rs, "guardian-health-flow-log-archive").Inputs, "trafficType")
			return rs
		}},
		{CustomerTagsInputs, "acme-finance-vpc", func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			delete(find(t, rs, "acme-finance-vpc").Inputs["tags"].ObjectValue(), "customer")
			return rs
		}},
		{CustomerTagsInputs, "acme-finance-subnet-private-1", func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			find(t, rs, "acme-finance-subnet-private-1").Inputs["tags"].ObjectValue()["tier"] = resource.NewProperty("platinum")
			return rs
		}},
		{CustomerTagsInputs, "guardian-health-aws", func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			delete(find(t, rs, "guardian-health-aws").Inputs["defaultTags"].ObjectValue()["tags"].ObjectValue(), "tier")
			return rs
		}},
		{ArchiveRetentionFloor, "log-archive-commercial-lifecycle", func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			rules := find(t, rs, "log-archive-commercial-lifecycle").Inputs["rules"].ArrayValue()
			rules[0].ObjectValue()["expiration"] = resource.NewProperty(resource.NewPropertyMapFromMap(map[string]any{"days": 300}))
			return rs
		}},
		{S3KMSEncryption, "archive-test-encryption", func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return append(rs, bucketResources("AES256", true)...)
		}},
		{S3PublicAccessBlock, "archive-test-public-access-block", func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			return append(rs, bucketResources("aws:kms", false)...)
		}},
		{DefaultSGNoRulesInputs, "medicorp-health-default-sg", func(t *testing.T, rs []recorder.Resource) []recorder.Resource {
			find(t, rs, "medicorp-health-default-sg").Inputs["egress"] = resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty(resource.NewPropertyMapFromMap(map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": []any{"0.0.0.0/0"}})),
			})
			return rs
		}},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.rule] = true
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			p := FromRecorder(c.mutate(t, record(t, "prod")))
			vs := CheckResources(p)
			require.Len(t, vs, 1, "%v", vs)
			assert.Equal(t, c.rule, vs[0].Rule)
			r, ok := p.Get(vs[0].URN)
			require.True(t, ok)
			assert.Equal(t, c.name, r.Name)
			assert.Contains(t, vs[0].Message, c.name)
			assert.Equal(t, vs, CheckResource(r), "the violation comes from the resource alone")
		})
	}
	for _, r := range ResourceRules() {
		assert.True(t, covered[r.Name], "no mutation for %s", r.Name)
	}
}

// TestResourceRulesDoNotJudgeUnknownValues: a value not known yet (an
// output of another resource) is not a violation.
func TestResourceRulesDoNotJudgeUnknownValues(t *testing.T) {
	unknown := resource.MakeComputed(resource.NewProperty(""))
	rs := record(t, "prod")
	find(t, rs, "acme-finance-flow-log").Inputs["trafficType"] = unknown
	find(t, rs, "acme-finance-vpc").Inputs["tags"] = unknown
	find(t, rs, "acme-finance-subnet-private-2").Inputs["tags"].ObjectValue()["customer"] = unknown
	find(t, rs, "medicorp-health-default-sg").Inputs["ingress"] = unknown
	find(t, rs, "log-archive-commercial-public-access-block").Inputs["blockPublicPolicy"] = unknown
	enc := find(t, rs, "log-archive-commercial-encryption").Inputs["rules"].ArrayValue()[0].ObjectValue()
	enc["applyServerSideEncryptionByDefault"].ObjectValue()["sseAlgorithm"] = unknown
	find(t, rs, "log-archive-healthcare-lifecycle").Inputs["rules"] = unknown
	assert.Empty(t, CheckResources(FromRecorder(rs)))
}

// TestResourceRulesJudgeANewCustomerAtPreview is the gap the resource rules
// close: at a preview that onboards guardian-health its resources reach the
// stack policies with no properties (unknown, not judged), so a REJECT flow
// log and a missing tag pass the stack rules; the resource rules see the
// inputs and fail them.
func TestResourceRulesJudgeANewCustomerAtPreview(t *testing.T) {
	rs := record(t, "prod")
	find(t, rs, "guardian-health-flow-log").Inputs["trafficType"] = resource.NewProperty("REJECT")
	delete(find(t, rs, "guardian-health-vpc").Inputs["tags"].ObjectValue(), "customer")
	assert.Empty(t, Check(FromAnalyzer(analyzerView(rs, "guardian-health"), true)), "the stack rules cannot see a new customer's properties")
	vs := CheckResources(FromRecorder(rs))
	assert.ElementsMatch(t, []string{FlowLogAllTraffic, CustomerTagsInputs}, rulesOf(vs))
	for _, v := range vs {
		assert.Contains(t, v.URN, "guardian-health")
	}
}

// TestPreviewStillJudgesConfiguredCustomers: only the resources that reach a
// stack policy without properties are unknown at preview; a configured
// customer's property violation is still reported by the stack rule (marking
// every resource unknown at preview would lose it).
func TestPreviewStillJudgesConfiguredCustomers(t *testing.T) {
	rs := record(t, "prod")
	delete(find(t, rs, "acme-finance-vpc").Inputs["tags"].ObjectValue(), "customer")
	vpc := find(t, rs, "acme-finance-vpc").URN
	for _, dryRun := range []bool{true, false} {
		ars := analyzerView(rs, "guardian-health")
		vs := Check(FromAnalyzer(ars, dryRun))
		if dryRun {
			require.Len(t, vs, 1, "%v", vs)
		}
		i := slices.IndexFunc(vs, func(v Violation) bool { return v.URN == vpc })
		require.GreaterOrEqual(t, i, 0, "dryRun=%v: %v", dryRun, vs)
		assert.Equal(t, CustomerTags, vs[i].Rule)
		assert.Contains(t, vs[i].Message, "no customer tag")
	}
	// The analyzer view of one resource is its inputs: the twin sees it too.
	var ar policyx.AnalyzerResource
	for _, a := range analyzerView(rs) {
		if a.URN == vpc {
			ar = a
		}
	}
	vs := CheckResource(FromAnalyzerResource(ar))
	require.Len(t, vs, 1)
	assert.Equal(t, CustomerTagsInputs, vs[0].Rule)
}
