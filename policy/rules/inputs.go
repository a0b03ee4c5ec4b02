package rules

import (
	"fmt"
	"strings"

	"github.com/tierzone/tierzone/tiers"
)

// ResourceRule is a compliance invariant judged on one resource alone. The
// pack runs it as a resource validation policy: the engine calls it while
// it generates the resource's step, before the step runs, with the
// resource's inputs, which are known at preview even for a new customer
// whose provider cannot be configured yet (and whose outputs a stack
// policy therefore never sees at preview). A mandatory violation fails the
// preview and stops an update before the resource is created or changed.
//
// Each is the per-resource half of a stack rule (its Name is the stack
// rule's with "-inputs", or says what part it checks) and shares the stack
// rule's predicate; the stack rules keep judging what needs the graph (a
// VPC's flow logs, an OU's attachments, retention across destinations, the
// tier of an account's OU, regions through the provider).
type ResourceRule struct {
	// Name is the policy name in the pack.
	Name        string
	Description string
	Check       func(Resource) []Violation
}

// Resource rule names.
const (
	FlowLogAllTraffic      = VPCFlowLogs + "-inputs"
	ArchiveRetentionFloor  = LogRetentionFloor + "-inputs"
	S3KMSEncryption        = "s3-kms-inputs"
	S3PublicAccessBlock    = "s3-public-access-block-inputs"
	DefaultSGNoRulesInputs = DefaultSGNoRules + "-inputs"
	CustomerTagsInputs     = CustomerTags + "-inputs"
)

// ResourceRules returns every resource rule.
func ResourceRules() []ResourceRule {
	return []ResourceRule{
		{FlowLogAllTraffic, "Every flow log captures ALL traffic (judged on its inputs, before it is created).", flowLogAllTraffic},
		{ArchiveRetentionFloor, "No archive lifecycle rule for a tier's prefix expires its logs before the tier's regulatory floor (judged on its inputs, before it is applied).", archiveRetentionFloor},
		{S3KMSEncryption, "Every bucket encryption configuration uses aws:kms or aws:kms:dsse (judged on its inputs, before it is applied).", s3KMSEncryption},
		{S3PublicAccessBlock, "Every bucket public access block has all four flags on (judged on its inputs, before it is applied).", s3PublicAccessBlock},
		{DefaultSGNoRulesInputs, "Every managed default security group has no ingress or egress rules (CIS 5.4; judged on its inputs, before it is applied).", defaultSGNoRulesInputs},
		{CustomerTagsInputs, "Every taggable customer resource, and the customer's provider's default tags, carry customer=<key> and a tier tag naming a tier (judged on its inputs, before it is created).", customerTagsInputs},
	}
}

// CheckResource runs every resource rule on one resource.
func CheckResource(r Resource) []Violation {
	var out []Violation
	for _, rule := range ResourceRules() {
		out = append(out, rule.Check(r)...)
	}
	return out
}

// CheckResources runs every resource rule on each resource of a plan, as
// the engine does one resource at a time.
func CheckResources(p *Plan) []Violation {
	var out []Violation
	for _, r := range p.Resources {
		out = append(out, CheckResource(r)...)
	}
	return out
}

func flowLogAllTraffic(r Resource) []Violation {
	if r.Type != flowLogType {
		return nil
	}
	if captures, known := capturesAll(r); !known || captures {
		return nil
	}
	return []Violation{{FlowLogAllTraffic, r.URN, fmt.Sprintf("flow log %s captures %s traffic, not ALL", r.Name, trafficOf(r))}}
}

// archiveRetentionFloor judges a lifecycle configuration alone: a rule
// whose prefix is a tier's archive prefix ("<tier>/", or a customer's under
// it) must not expire before the tier's floor, since the platform keeps the
// floor in the archive (the stack refuses an archiveDays below it). Rules
// for other prefixes, and the CloudWatch log groups (kept for the hot
// period only, below the floor by design), are left to the stack rule,
// which knows where each customer's flow logs go.
func archiveRetentionFloor(r Resource) []Violation {
	if r.Type != lifecycleType {
		return nil
	}
	var out []Violation
	for _, e := range expirations(r) {
		for _, t := range tiers.All() {
			if !strings.HasPrefix(e.prefix, t.Key+"/") || e.days >= t.Retention.FloorDays {
				continue
			}
			out = append(out, Violation{ArchiveRetentionFloor, r.URN, fmt.Sprintf(
				"lifecycle %s expires %s after %d days (rule %q); the %s floor is %d days (%s)",
				r.Name, e.prefix, e.days, e.id, t.Key, t.Retention.FloorDays, t.Retention.FloorSource)})
		}
	}
	return out
}

func s3KMSEncryption(r Resource) []Violation {
	if r.Type != bucketSSEType {
		return nil
	}
	if _, others, _ := sseAlgorithms(r); len(others) > 0 && !(strings.HasSuffix(r.Name, accessLogSSEName) && len(others) == 1 && others[0] == "AES256") {
		// (The archive's access-log bucket is a server access log target,
		// which S3 allows only SSE-S3.)
		return []Violation{{S3KMSEncryption, r.URN, fmt.Sprintf("bucket encryption %s uses %s, not aws:kms or aws:kms:dsse", r.Name, strings.Join(others, ", "))}}
	}
	return nil
}

func s3PublicAccessBlock(r Resource) []Violation {
	if r.Type != bucketPABType {
		return nil
	}
	if off := publicAccessOff(r); len(off) > 0 {
		return []Violation{{S3PublicAccessBlock, r.URN, fmt.Sprintf("public access block %s leaves %s off", r.Name, strings.Join(off, ", "))}}
	}
	return nil
}

func defaultSGNoRulesInputs(r Resource) []Violation {
	if r.Type != defaultSGType {
		return nil
	}
	return defaultSGRules(DefaultSGNoRulesInputs, r)
}

// customerTagsInputs judges a customer's resource by its own tags: the
// customer comes from its parent component's name; the tier tag must name a
// tier (which one the account's OU says only the stack rule can see).
func customerTagsInputs(r Resource) []Violation {
	key, ok := customerKey(r)
	if !ok {
		return nil
	}
	if bad, _ := tagProblems(r, key, ""); len(bad) > 0 {
		return []Violation{{CustomerTagsInputs, r.URN, fmt.Sprintf("%s of %s: %s", r.Name, key, strings.Join(bad, ", "))}}
	}
	return nil
}
