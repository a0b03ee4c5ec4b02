package tests

import (
	"encoding/json"
	"errors"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/validation"
)

// Archive resource types.
const (
	arBucket    = "aws:s3/bucketV2:BucketV2"
	arSSE       = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	arVersion   = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	arPAB       = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	arPolicy    = "aws:s3/bucketPolicy:BucketPolicy"
	arLifecycle = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	arLock      = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
	arKey       = "aws:kms/key:Key"
	arTrail     = "aws:cloudtrail/trail:Trail"
	arStackRef  = "pulumi:pulumi:StackReference"
)

// Bucket names of the committed stacks (namePrefix + boundary + org id).
var arBuckets = map[string]map[string]string{
	"prod": {
		"commercial":  "tierzone-commercial-logs-tzprod0001",
		"healthcare":  "tierzone-healthcare-logs-tzprod0001",
		"gov-federal": "tierzone-gov-federal-logs-tzprod0001",
		"trail":       "tierzone-trail-logs-tzprod0001",
	},
	"dev": {
		"commercial":  "tierzone-dev-commercial-logs-tzdev00001",
		"healthcare":  "tierzone-dev-healthcare-logs-tzdev00001",
		"gov-federal": "tierzone-dev-gov-federal-logs-tzdev00001",
		"trail":       "tierzone-dev-trail-logs-tzdev00001",
	},
}

// arTierBoundary is each tier's archive bucket, from DESIGN.md: Gov-Federal
// alone in a government-only bucket.
var arTierBoundary = map[string]string{"fintech": "commercial", "healthcare": "healthcare", "gov-federal": "gov-federal", "standard": "commercial"}

// arBucketByBoundary returns the boundary's bucket, failing if missing.
func arBucketByBoundary(t *testing.T, g *graph, stack, boundary string) recorder.Resource {
	t.Helper()
	for _, b := range g.ofType(arBucket) {
		if str(b, "bucket") == arBuckets[stack][boundary] {
			return b
		}
	}
	t.Fatalf("%s: no archive bucket %s", stack, arBuckets[stack][boundary])
	return recorder.Resource{}
}

// arOnBucket returns the resources of a type configuring a bucket.
func arOnBucket(g *graph, typ string, bucket recorder.Resource) []recorder.Resource {
	var out []recorder.Resource
	for _, r := range g.ofType(typ) {
		if str(r, "bucket") == bucket.ID {
			out = append(out, r)
		}
	}
	return out
}

func arOneOnBucket(t *testing.T, g *graph, typ string, bucket recorder.Resource) recorder.Resource {
	t.Helper()
	rs := arOnBucket(g, typ, bucket)
	if len(rs) != 1 {
		t.Fatalf("bucket %s: %d %s, want 1", str(bucket, "bucket"), len(rs), typ)
	}
	return rs[0]
}

// arValue converts a recorded property to plain Go values.
func arValue(v resource.PropertyValue) any {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v.Mappable()
}

type arRule struct {
	prefix, storageClass     string
	transition, expiration   float64
	noncurrent, abortAfter   float64
	hasExpiration, hasFilter bool
}

func arRules(t *testing.T, lc recorder.Resource) map[string]arRule {
	t.Helper()
	out := map[string]arRule{}
	rules, _ := arValue(lc.Inputs["rules"]).([]any)
	for _, raw := range rules {
		m := raw.(map[string]any)
		var r arRule
		if f, ok := m["filter"].(map[string]any); ok {
			r.hasFilter = true
			r.prefix, _ = f["prefix"].(string)
		}
		if ts, ok := m["transitions"].([]any); ok && len(ts) == 1 {
			tr := ts[0].(map[string]any)
			r.transition, _ = tr["days"].(float64)
			r.storageClass, _ = tr["storageClass"].(string)
		}
		if e, ok := m["expiration"].(map[string]any); ok {
			r.hasExpiration = true
			r.expiration, _ = e["days"].(float64)
		}
		if n, ok := m["noncurrentVersionExpiration"].(map[string]any); ok {
			r.noncurrent, _ = n["noncurrentDays"].(float64)
		}
		if a, ok := m["abortIncompleteMultipartUpload"].(map[string]any); ok {
			r.abortAfter, _ = a["daysAfterInitiation"].(float64)
		}
		if m["status"] != "Enabled" {
			t.Errorf("%s: rule %v is not enabled", lc.Name, m["id"])
		}
		out[r.prefix] = r
	}
	return out
}

type arStatement struct {
	Sid       string
	Effect    string
	Principal any
	Action    any
	Resource  any
	Condition map[string]map[string]any
}

func arPolicyOf(t *testing.T, doc string) []arStatement {
	t.Helper()
	var p struct{ Statement []arStatement }
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatalf("policy is not JSON: %v\n%s", err, doc)
	}
	return p.Statement
}

func arStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, arStrings(e)...)
		}
		return out
	}
	return nil
}

func arHas(list []string, want string) bool {
	for _, s := range list {
		if s == want {
			return true
		}
	}
	return false
}

// TestArchiveRetentionAndTransitionsPerTier: each tier's prefix in its
// bucket moves to Deep Archive after its hot period and expires at its
// promised retention (the seeds' figures); the trail bucket keeps the
// longest; every bucket aborts incomplete uploads.
func TestArchiveRetentionAndTransitionsPerTier(t *testing.T) {
	want := map[string]struct{ transition, expiration float64 }{
		"fintech":     {90, 2557},  // 7 years; PCI: 3 months immediately available
		"healthcare":  {90, 3653},  // 10 years
		"gov-federal": {365, 3653}, // 10 years; M-21-31: 12 months active
		"standard":    {90, 365},   // 1 year
		"cloudtrail":  {365, 3653}, // the strictest tier
		"guardduty":   {365, 3653}, // GuardDuty findings of every tier: the trail's boundary
	}
	for _, stack := range []string{"prod", "dev"} {
		g := runStack(t, stack)
		for _, boundary := range []string{"commercial", "gov-federal", "trail"} {
			bucket := arBucketByBoundary(t, g, stack, boundary)
			rules := arRules(t, arOneOnBucket(t, g, arLifecycle, bucket))
			var prefixes []string
			for p, r := range rules {
				if p == "" {
					if r.abortAfter != 7 || r.hasExpiration || !r.hasFilter {
						t.Errorf("%s %s: whole-bucket rule %+v, want only abort after 7 days", stack, boundary, r)
					}
					continue
				}
				prefixes = append(prefixes, p)
				tier := strings.TrimSuffix(p, "/")
				w, ok := want[tier]
				if !ok {
					t.Errorf("%s %s: unexpected lifecycle prefix %q", stack, boundary, p)
					continue
				}
				if r.transition != w.transition || r.storageClass != "DEEP_ARCHIVE" || r.expiration != w.expiration {
					t.Errorf("%s %s %s: transition %v to %s, expire %v; want %v to DEEP_ARCHIVE, expire %v",
						stack, boundary, tier, r.transition, r.storageClass, r.expiration, w.transition, w.expiration)
				}
				if r.noncurrent <= 0 {
					t.Errorf("%s %s %s: expired versions never removed", stack, boundary, tier)
				}
				if boundary != "trail" && arTierBoundary[tier] != boundary {
					t.Errorf("%s: tier %s has a lifecycle rule in the %s bucket", stack, tier, boundary)
				}
			}
			if _, ok := rules[""]; !ok {
				t.Errorf("%s %s: no rule aborting incomplete multipart uploads", stack, boundary)
			}
			wantN := map[string]int{"commercial": 2, "healthcare": 1, "gov-federal": 1, "trail": 2}[boundary]
			if len(prefixes) != wantN {
				t.Errorf("%s %s: prefixes %v, want %d", stack, boundary, prefixes, wantN)
			}
		}
	}
}

// TestRetentionOverrideChangesOnlyThatPrefix: a stack that keeps Fintech
// logs 10 years changes the Fintech rule and nothing else in the shared
// bucket; below the floor it is refused before anything is registered.
func TestRetentionOverrideChangesOnlyThatPrefix(t *testing.T) {
	cfg := stackConfig(t, "prod")
	cfg["tierzone:retention"] = `{"fintech":{"archiveDays":3653}}`
	g := run(t, "prod", cfg, customers.Catalog())
	rules := arRules(t, arOneOnBucket(t, g, arLifecycle, arBucketByBoundary(t, g, "prod", "commercial")))
	if len(rules) != 3 || rules["fintech/"].expiration != 3653 || rules["standard/"].expiration != 365 {
		t.Errorf("after override: %d rules, fintech %v, standard %v", len(rules), rules["fintech/"].expiration, rules["standard/"].expiration)
	}
	if h := arRules(t, arOneOnBucket(t, g, arLifecycle, arBucketByBoundary(t, g, "prod", "healthcare"))); h["healthcare/"].expiration != 3653 {
		t.Errorf("after a Fintech override the Healthcare rule expires at %v", h["healthcare/"].expiration)
	}

	cfg["tierzone:retention"] = `{"gov-federal":{"archiveDays":400}}`
	problems := runInvalid(t, cfg, customers.Catalog())
	if !hasProblem(problems, []string{"tierzone:retention", "gov-federal.archiveDays", "913"}) {
		t.Errorf("a Gov-Federal archive below the FedRAMP floor was not refused: %v", problems)
	}
}

// TestKMSOnEveryBucketAndLogGroup: every bucket encrypts with SSE-KMS
// under its own rotating customer-managed key; every flow-log group is
// encrypted with its customer's key, which only CloudWatch Logs may use and
// only for that group.
func TestKMSOnEveryBucketAndLogGroup(t *testing.T) {
	for _, stack := range []string{"prod", "dev"} {
		g := runStack(t, stack)
		keys := map[string]recorder.Resource{}
		for _, k := range g.ofType(arKey) {
			keys["arn:aws:kms:us-east-1:123456789012:key/"+k.ID] = k
			if v, _ := boolean(k, "enableKeyRotation"); !v {
				t.Errorf("%s: key %s does not rotate", stack, k.Name)
			}
		}
		var buckets []recorder.Resource
		for _, b := range g.ofType(arBucket) {
			// The access-log bucket is a server access log target, which S3
			// allows only SSE-S3 (TestEveryArchiveBucketLogsAccessToALockedDownBucket).
			if tags(b)["archive-boundary"] != "access-logs" {
				buckets = append(buckets, b)
			}
		}
		if len(buckets) != 4 {
			t.Errorf("%s: %d buckets, want commercial, healthcare, gov-federal and trail", stack, len(buckets))
		}
		usedKeys := map[string]string{}
		for _, b := range buckets {
			sse := arOneOnBucket(t, g, arSSE, b)
			rules := arValue(sse.Inputs["rules"]).([]any)
			def := rules[0].(map[string]any)["applyServerSideEncryptionByDefault"].(map[string]any)
			keyArn, _ := def["kmsMasterKeyId"].(string)
			if def["sseAlgorithm"] != "aws:kms" || keys[keyArn].Name == "" {
				t.Errorf("%s: bucket %s encrypts with %v under %q, not a recorded KMS key", stack, str(b, "bucket"), def["sseAlgorithm"], keyArn)
			}
			if other, dup := usedKeys[keyArn]; dup {
				t.Errorf("%s: buckets %s and %s share a key", stack, other, str(b, "bucket"))
			}
			usedKeys[keyArn] = str(b, "bucket")
			v := arOneOnBucket(t, g, arVersion, b)
			if st := arValue(v.Inputs["versioningConfiguration"]).(map[string]any)["status"]; st != "Enabled" {
				t.Errorf("%s: bucket %s versioning %v", stack, str(b, "bucket"), st)
			}
			pab := arOneOnBucket(t, g, arPAB, b)
			for _, f := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				if v, _ := boolean(pab, f); !v {
					t.Errorf("%s: bucket %s %s is off", stack, str(b, "bucket"), f)
				}
			}
		}
		for _, s := range seedNetworks {
			if stack == "dev" && g.count(tVPC) < 10 && len(g.forCustomer(s.key, tVPC)) == 0 {
				continue
			}
			group := g.one(t, s.key, tLogGroup)
			key := g.oneInVPC(t, s.key, arKey)
			if str(group, "kmsKeyId") != "arn:aws:kms:us-east-1:123456789012:key/"+key.ID {
				t.Errorf("%s %s: log group encrypted with %q, not its key %s", stack, s.key, str(group, "kmsKeyId"), key.Name)
			}
			account := g.one(t, s.key, tAccount)
			var logsStmt *arStatement
			for _, st := range arPolicyOf(t, str(key, "policy")) {
				if arHas(arStrings(st.Principal), "logs.us-east-1.amazonaws.com") {
					logsStmt = &st
				}
			}
			want := "arn:aws:logs:us-east-1:" + account.ID + ":log-group:/tierzone/vpc-flow-logs/" + s.key
			if logsStmt == nil || logsStmt.Condition["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"] != want {
				t.Errorf("%s %s: key policy does not limit CloudWatch Logs to %s: %s", stack, s.key, want, str(key, "policy"))
			}
		}
	}
}

// TestEveryVPCHasItsTwoFlowLogs: ALL traffic to its CloudWatch group and ALL
// traffic to its own prefix in its tier's archive bucket, nothing else.
func TestEveryVPCHasItsTwoFlowLogs(t *testing.T) {
	for _, stack := range []string{"prod", "dev"} {
		g := runStack(t, stack)
		for _, vpc := range g.ofType(tVPC) {
			key := g.customerOf(vpc)
			tier := tags(vpc)["tier"]
			fls := g.forCustomer(key, tFlowLog)
			if len(fls) != 2 {
				t.Errorf("%s %s: %d flow logs, want 2", stack, key, len(fls))
				continue
			}
			dests := map[string]string{}
			for _, fl := range fls {
				if str(fl, "vpcId") != vpc.ID || str(fl, "trafficType") != "ALL" {
					t.Errorf("%s %s: flow log %s on %q traffic %q", stack, key, fl.Name, str(fl, "vpcId"), str(fl, "trafficType"))
				}
				dests[str(fl, "logDestinationType")] = str(fl, "logDestination")
			}
			wantS3 := "arn:aws:s3:::" + arBuckets[stack][arTierBoundary[tier]] + "/" + tier + "/" + key + "/"
			if dests["s3"] != wantS3 {
				t.Errorf("%s %s: S3 flow log to %q, want %q", stack, key, dests["s3"], wantS3)
			}
			if !strings.HasSuffix(dests["cloud-watch-logs"], ":log-group:/tierzone/vpc-flow-logs/"+key) {
				t.Errorf("%s %s: CloudWatch flow log to %q", stack, key, dests["cloud-watch-logs"])
			}
		}
	}
}

// TestGovFederalLogsStayInGovernmentBucket: Gov-Federal flow logs go only
// to the Gov-Federal bucket, whose policy admits only the Gov-Federal OU;
// the commercial bucket never admits the Gov-Federal OU; the organization
// trail (which records Gov-Federal accounts too) writes to neither.
func TestGovFederalLogsStayInGovernmentBucket(t *testing.T) {
	g := runStack(t, "prod")
	govOU := g.named(t, tOU, "gov-federal-ou").ID
	govBucket := "arn:aws:s3:::" + arBuckets["prod"]["gov-federal"]
	for _, fl := range g.ofType(tFlowLog) {
		if str(fl, "logDestinationType") != "s3" {
			continue
		}
		key := g.customerOf(fl)
		isGov := tags(g.one(t, key, tVPC))["tier"] == "gov-federal"
		if inGov := strings.HasPrefix(str(fl, "logDestination"), govBucket+"/"); inGov != isGov {
			t.Errorf("%s (gov-federal=%t) delivers to %s", key, isGov, str(fl, "logDestination"))
		}
	}
	for boundary, name := range arBuckets["prod"] {
		b := arBucketByBoundary(t, g, "prod", boundary)
		policy := arOneOnBucket(t, g, arPolicy, b)
		for _, st := range arPolicyOf(t, str(policy, "policy")) {
			if st.Effect != "Allow" || !arHas(arStrings(st.Action), "s3:PutObject") {
				continue
			}
			paths := arStrings(st.Condition["ForAnyValue:StringLike"]["aws:SourceOrgPaths"])
			admitsGov := len(paths) == 0 || strings.Contains(strings.Join(paths, " "), "/"+govOU+"/")
			switch boundary {
			case "commercial", "healthcare":
				if admitsGov {
					t.Errorf("%s bucket %s admits Gov-Federal accounts: %s", boundary, name, st.Sid)
				}
			case "gov-federal":
				if len(paths) != 1 || !admitsGov {
					t.Errorf("gov-federal bucket admits %v, want only the Gov-Federal OU", paths)
				}
			case "trail":
				// The trail, and GuardDuty's findings export from the
				// security account only.
				gd := arHas(arStrings(st.Principal), "guardduty.amazonaws.com") && st.Condition["StringEquals"]["aws:SourceAccount"] == stackConfig(t, "prod")["tierzone:securityAccountId"]
				if !gd && (!arHas(arStrings(st.Principal), "cloudtrail.amazonaws.com") || len(arStrings(st.Principal)) != 1) {
					t.Errorf("trail bucket lets %v write", st.Principal)
				}
			}
		}
	}
	trails := g.ofType(arTrail)
	if len(trails) != 1 {
		t.Fatalf("%d organization trails recorded, want 1", len(trails))
	}
	tr := trails[0]
	if tr.ProviderURN == "" || !strings.HasSuffix(tr.ProviderURN, "::management") {
		t.Errorf("the organization trail is created through %q, not the management account's provider", tr.ProviderURN)
	}
	// Exactly one policy on the trail bucket: the archive's own (awsx's Trail
	// would add its default policy and replace it).
	if n := len(arOnBucket(g, arPolicy, arBucketByBoundary(t, g, "prod", "trail"))); n != 1 {
		t.Errorf("trail bucket has %d bucket policies, want the archive's one", n)
	}
	s3b := str(tr, "s3BucketName")
	if s3b != arBuckets["prod"]["trail"] {
		t.Errorf("trail writes to %v, want its own bucket %s (neither commercial nor gov-federal)", s3b, arBuckets["prod"]["trail"])
	}
	for _, f := range []string{"isOrganizationTrail", "isMultiRegionTrail", "enableLogFileValidation", "includeGlobalServiceEvents"} {
		if v, _ := boolean(tr, f); !v {
			t.Errorf("trail %s is not set", f)
		}
	}
	trailKey := g.named(t, arKey, "log-archive-trail-key")
	if str(tr, "kmsKeyId") != "arn:aws:kms:us-east-1:123456789012:key/"+trailKey.ID {
		t.Errorf("trail encrypts with %q, not the trail bucket's key", str(tr, "kmsKeyId"))
	}
	if str(tr, "s3KeyPrefix") != "cloudtrail" {
		t.Errorf("trail prefix %q", str(tr, "s3KeyPrefix"))
	}
}

// TestBucketPoliciesDenyInsecureAndOutsideDeliveries: every bucket denies
// any request without TLS and any delivery from outside the organization,
// and every Allow is scoped to the organization.
func TestBucketPoliciesDenyInsecureAndOutsideDeliveries(t *testing.T) {
	for _, stack := range []string{"prod", "dev"} {
		g := runStack(t, stack)
		org := stackConfig(t, stack)["tierzone:organizationId"]
		for _, b := range g.ofType(arBucket) {
			arn := "arn:aws:s3:::" + str(b, "bucket")
			var tls, outside bool
			// The access-log bucket takes writes from S3's logging service
			// for the archive's own buckets only (aws:SourceArn and
			// aws:SourceAccount, the documented conditions); no other
			// service delivers to it.
			outside = tags(b)["archive-boundary"] == "access-logs"
			for _, st := range arPolicyOf(t, str(arOneOnBucket(t, g, arPolicy, b), "policy")) {
				res := arStrings(st.Resource)
				switch {
				case st.Effect == "Deny" && st.Condition["Bool"]["aws:SecureTransport"] == "false":
					tls = st.Principal == "*" && arHas(arStrings(st.Action), "s3:*") && arHas(res, arn) && arHas(res, arn+"/*")
				case st.Effect == "Deny" && st.Condition["StringNotEquals"]["aws:SourceOrgID"] == org:
					outside = arHas(arStrings(st.Action), "s3:PutObject") && arHas(res, arn+"/*")
				case st.Effect == "Allow" && arHas(arStrings(st.Principal), "logging.s3.amazonaws.com"):
					if st.Condition["StringEquals"]["aws:SourceAccount"] == "" || st.Condition["ArnLike"]["aws:SourceArn"] == "" {
						t.Errorf("%s %s: %s lets S3 logging write for any bucket", stack, arn, st.Sid)
					}
				case st.Effect == "Allow" && arHas(arStrings(st.Principal), "guardduty.amazonaws.com"):
					// GuardDuty's documented condition: the administrator
					// account (findings are exported from it alone).
					if st.Condition["StringEquals"]["aws:SourceAccount"] != stackConfig(t, stack)["tierzone:securityAccountId"] {
						t.Errorf("%s %s: %s lets GuardDuty write for any account", stack, arn, st.Sid)
					}
				case st.Effect == "Allow":
					if st.Condition["StringEquals"]["aws:SourceOrgID"] != org {
						t.Errorf("%s %s: %s allows %v without the organization condition", stack, arn, st.Sid, st.Principal)
					}
					if st.Principal == "*" {
						t.Errorf("%s %s: %s allows everyone", stack, arn, st.Sid)
					}
				}
			}
			if !tls || !outside {
				t.Errorf("%s %s: deny non-TLS %t, deny outside organization %t", stack, arn, tls, outside)
			}
		}
		for _, k := range g.ofType(arKey) {
			for _, st := range arPolicyOf(t, str(k, "policy")) {
				if svc := arStrings(st.Principal); st.Effect == "Allow" && (arHas(svc, "delivery.logs.amazonaws.com") || arHas(svc, "cloudtrail.amazonaws.com")) {
					if st.Condition["StringEquals"]["aws:SourceOrgID"] != org {
						t.Errorf("%s key %s lets %v use it from outside the organization", stack, k.Name, svc)
					}
				}
			}
		}
	}
}

// TestProtectionPerStack: prod protects and retains accounts, flow-log groups, every KMS
// key, the archive buckets with every setting that keeps them safe (public
// access block, versioning, encryption, object lock, lifecycle, policy: a
// destroy that stops at the bucket must not have stripped them) and the
// trail, locks logs in COMPLIANCE mode and
// denies deleting them; dev protects nothing, can empty its buckets, and
// its lock is GOVERNANCE so a teardown can lift it.
func TestProtectionPerStack(t *testing.T) {
	for _, stack := range []string{"prod", "dev"} {
		g := runStack(t, stack)
		protect := stack == "prod"
		var kept []recorder.Resource
		for _, typ := range []string{tAccount, arKey, arBucket, arPAB, arVersion, arSSE, arLock, arLifecycle, arPolicy, arTrail, tLogGroup} {
			rs := g.ofType(typ)
			if len(rs) == 0 {
				t.Errorf("%s: no %s", stack, typ)
			}
			kept = append(kept, rs...)
		}
		for _, r := range kept {
			if r.Protect != protect || r.RetainOnDelete != protect {
				t.Errorf("%s: %s protect=%t retain=%t, want %t", stack, r.Name, r.Protect, r.RetainOnDelete, protect)
			}
		}
		for _, r := range g.all {
			if r.Protect && !protect {
				t.Errorf("dev: %s is protected", r.Name)
			}
		}
		wantLock := map[string]struct {
			mode string
			days float64
		}{"commercial": {"COMPLIANCE", 365}, "healthcare": {"COMPLIANCE", 2192}, "gov-federal": {"COMPLIANCE", 913}, "trail": {"COMPLIANCE", 2192}}
		for boundary, w := range wantLock {
			b := arBucketByBoundary(t, g, stack, boundary)
			if v, _ := boolean(b, "objectLockEnabled"); !v {
				t.Errorf("%s %s: object lock not enabled at creation", stack, boundary)
			}
			if fd, _ := boolean(b, "forceDestroy"); fd == protect {
				t.Errorf("%s %s: forceDestroy %t", stack, boundary, fd)
			}
			rule := arValue(arOneOnBucket(t, g, arLock, b).Inputs["rule"]).(map[string]any)["defaultRetention"].(map[string]any)
			mode := w.mode
			if !protect {
				mode = "GOVERNANCE"
			}
			if rule["mode"] != mode || rule["days"] != w.days {
				t.Errorf("%s %s: lock %v for %v days, want %s for %v", stack, boundary, rule["mode"], rule["days"], mode, w.days)
			}
			denies := false
			for _, st := range arPolicyOf(t, str(arOneOnBucket(t, g, arPolicy, b), "policy")) {
				if st.Effect == "Deny" && st.Principal == "*" && arHas(arStrings(st.Action), "s3:DeleteObjectVersion") {
					denies = true
				}
			}
			if denies != protect {
				t.Errorf("%s %s: policy denies deleting log versions: %t", stack, boundary, denies)
			}
		}
	}
}

// TestLogArchiveAccount: naming a log-archive account moves every archive
// resource into it through its own provider; the trail stays with the
// management account.
func TestLogArchiveAccount(t *testing.T) {
	cfg := stackConfig(t, "prod")
	cfg["tierzone:logArchiveAccountId"] = "222233334444"
	g := run(t, "prod", cfg, customers.Catalog())
	prov := g.named(t, tAWSProvider, "log-archive")
	role := prov.Inputs["assumeRole"].ObjectValue()["roleArn"].StringValue()
	if role != "arn:aws:iam::222233334444:role/OrganizationAccountAccessRole" {
		t.Errorf("log-archive provider assumes %q", role)
	}
	for _, typ := range []string{arBucket, arSSE, arVersion, arPAB, arPolicy, arLifecycle, arLock} {
		for _, r := range g.ofType(typ) {
			if r.ProviderURN != prov.URN {
				t.Errorf("%s is created through %s, not the log-archive account", r.Name, r.ProviderURN)
			}
		}
	}
	for _, k := range g.ofType(arKey) {
		if g.customerOf(k) != "" || strings.HasPrefix(k.Name, "cis-monitoring") || strings.HasPrefix(k.Name, "observability-") {
			// Customer keys, and the CIS monitoring key of the trail's log
			// group, which lives with the trail in the management account.
			continue
		}
		if k.ProviderURN != prov.URN || !strings.Contains(str(k, "policy"), `"arn:aws:iam::222233334444:root"`) {
			t.Errorf("archive key %s is not administered in the log-archive account: %s", k.Name, str(k, "policy"))
		}
	}

	cfg["tierzone:logArchiveAccountId"] = "12345"
	if !hasProblem(runInvalid(t, cfg, customers.Catalog()), []string{"tierzone:logArchiveAccountId", "12-digit"}) {
		t.Error("a malformed log-archive account id was accepted")
	}
}

// TestOrganizationIDRequired: without a valid organization id no delivery
// can be scoped, so nothing is registered.
func TestOrganizationIDRequired(t *testing.T) {
	cfg := stackConfig(t, "prod")
	delete(cfg, "tierzone:organizationId")
	if !hasProblem(runInvalid(t, cfg, customers.Catalog()), []string{"tierzone:organizationId", "missing"}) {
		t.Error("missing organization id not reported")
	}
	cfg["tierzone:organizationId"] = "r-prod"
	if !hasProblem(runInvalid(t, cfg, customers.Catalog()), []string{"tierzone:organizationId", "not an organization id"}) {
		t.Error("malformed organization id not reported")
	}
	cfg["tierzone:organizationId"] = "o-" + strings.Repeat("a", 32)
	cfg["tierzone:namePrefix"] = strings.Repeat("n", 32)
	if !hasProblem(runInvalid(t, cfg, customers.Catalog()), []string{"tierzone:namePrefix", "S3 allows 63"}) {
		t.Error("an archive bucket name over 63 characters was accepted")
	}
}

// previousStack is the mock monitor plus the outputs of the stack's last
// update, as the StackReference to itself reads them.
type previousStack struct {
	*recorder.Recorder
	customers map[string]any
}

func (p previousStack) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, state, err := p.Recorder.NewResource(args)
	if args.TypeToken == arStackRef {
		state["outputs"] = resource.NewObjectProperty(resource.NewPropertyMapFromMap(map[string]any{"customers": p.customers}))
	}
	return id, state, err
}

// runAfter runs the program as the next update of a stack whose previous
// update exported prev as its customers.
func runAfter(stack string, cfg map[string]string, prev map[string]any) (*graph, error) {
	mock := previousStack{Recorder: recorder.New(recorder.Project, stack), customers: prev}
	err := pulumi.RunErr(landingzone.Program(customers.Catalog()), pulumi.WithMocks(recorder.Project, stack, mock), recorder.WithConfig(cfg))
	return newGraph(mock.Resources()), err
}

func prevCustomers(protected bool, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		out[k] = map[string]any{"accountId": "111122223333", "tier": "fintech", "protected": protected}
	}
	return out
}

func withoutCustomer(cfg map[string]string, key string) map[string]string {
	out := maps.Clone(cfg)
	var keys []string
	_ = json.Unmarshal([]byte(cfg["tierzone:customers"]), &keys)
	var kept []string
	for _, k := range keys {
		if k != key {
			kept = append(kept, k)
		}
	}
	b, _ := json.Marshal(kept)
	out["tierzone:customers"] = string(b)
	return out
}

// TestRemovingProtectedCustomerFailsFirst: dropping a protected customer
// from prod fails before any AWS resource is registered, naming the
// customer, what is protected and the decommission key.
func TestRemovingProtectedCustomerFailsFirst(t *testing.T) {
	cfg := withoutCustomer(stackConfig(t, "prod"), "acme-finance")
	g, err := runAfter("prod", cfg, prevCustomers(true, "acme-finance", "medicorp-health"))
	var ve *validation.Error
	if !errors.As(err, &ve) {
		t.Fatalf("removal of a protected customer: err %v, want a validation error", err)
	}
	if len(ve.Problems) != 1 || !hasProblem(ve.Problems, []string{`customer "acme-finance"`, "", "protected"}) ||
		!strings.Contains(ve.Error(), "tierzone:decommission") || !strings.Contains(ve.Error(), "111122223333") {
		t.Errorf("message does not name the customer, account and the way out:\n%v", err)
	}
	for _, r := range g.all {
		if r.Type != landingzone.LandingZoneType && r.Type != arStackRef {
			t.Errorf("%s (%s) registered before the removal was refused", r.Name, r.Type)
		}
	}
}

// TestDecommissionOnPurpose: step 1 keeps the customer with it listed in
// tierzone:decommission: its resources lose protection but stay retained,
// the others keep theirs; step 2 removes it and succeeds.
func TestDecommissionOnPurpose(t *testing.T) {
	cfg := stackConfig(t, "prod")
	cfg["tierzone:decommission"] = `["acme-finance"]`
	g, err := runAfter("prod", cfg, prevCustomers(true, "acme-finance", "medicorp-health"))
	if err != nil {
		t.Fatalf("step 1: %v", err)
	}
	for _, typ := range []string{tAccount, arKey} {
		for _, r := range g.ofType(typ) {
			key := g.customerOf(r)
			if key == "" {
				continue
			}
			if want := key != "acme-finance"; r.Protect != want || !r.RetainOnDelete {
				t.Errorf("step 1: %s protect=%t retain=%t", r.Name, r.Protect, r.RetainOnDelete)
			}
		}
	}
	for _, r := range g.forCustomer("acme-finance", tVPC) {
		if !r.RetainOnDelete {
			t.Errorf("step 1: %s would be deleted from AWS on removal", r.Name)
		}
	}

	cfg = withoutCustomer(cfg, "acme-finance")
	if _, err := runAfter("prod", cfg, prevCustomers(false, "acme-finance")); err != nil {
		t.Errorf("step 2, removing a decommissioned customer: %v", err)
	}
	// Dev protects nothing, so dropping a customer needs no ceremony.
	if _, err := runAfter("dev", withoutCustomer(stackConfig(t, "dev"), "acme-finance"), prevCustomers(false, "acme-finance")); err != nil {
		t.Errorf("dev removal: %v", err)
	}
}

// TestTrailKeyPolicy: CloudTrail may encrypt only for the organization
// trail (its ARN in the management account, as the encryption context) and
// may describe the key, which it does without an encryption context.
func TestTrailKeyPolicy(t *testing.T) {
	g := runStack(t, "prod")
	trailArn := "arn:aws:cloudtrail:us-east-1:123456789012:trail/tierzone-organization-trail"
	var encrypt, describe bool
	for _, st := range arPolicyOf(t, str(g.named(t, arKey, "log-archive-trail-key"), "policy")) {
		if !arHas(arStrings(st.Principal), "cloudtrail.amazonaws.com") {
			continue
		}
		actions := arStrings(st.Action)
		switch {
		case arHas(actions, "kms:GenerateDataKey*"):
			encrypt = st.Condition["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"] == trailArn &&
				st.Condition["StringEquals"]["aws:SourceArn"] == trailArn
		case arHas(actions, "kms:DescribeKey"):
			_, needsContext := st.Condition["StringLike"]
			describe = !needsContext && st.Condition["StringEquals"]["aws:SourceArn"] == trailArn
		}
		if arHas(actions, "kms:Decrypt") {
			t.Errorf("CloudTrail may decrypt with the trail key: %s", st.Sid)
		}
	}
	if !encrypt || !describe {
		t.Errorf("trail key: encrypt for the trail only %t, describe without context %t", encrypt, describe)
	}
}

// TestRemovalWithOutputsFromBeforeTheFlag: outputs written before the
// protected flag existed count as the stack's own protect setting.
func TestRemovalWithOutputsFromBeforeTheFlag(t *testing.T) {
	legacy := map[string]any{"acme-finance": map[string]any{"accountId": "111122223333", "tier": "fintech"}}
	if _, err := runAfter("prod", withoutCustomer(stackConfig(t, "prod"), "acme-finance"), legacy); err == nil {
		t.Error("prod: removal accepted although the customer was protected")
	}
	if _, err := runAfter("dev", withoutCustomer(stackConfig(t, "dev"), "acme-finance"), legacy); err != nil {
		t.Errorf("dev: %v", err)
	}
}

// arGlob reports whether an IAM resource pattern ("*" matches anything,
// slashes included) matches s.
func arGlob(pattern, s string) bool {
	re := "^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\*`, ".*") + "$"
	return regexp.MustCompile(re).MatchString(s)
}

// arWriters returns the Allow s3:PutObject statements of a bucket's policy
// that match an object ARN, for a service principal.
func arWriters(t *testing.T, g *graph, bucketName, object, service string) []arStatement {
	t.Helper()
	var out []arStatement
	for _, b := range g.ofType(arBucket) {
		if str(b, "bucket") != bucketName {
			continue
		}
		for _, st := range arPolicyOf(t, str(arOneOnBucket(t, g, arPolicy, b), "policy")) {
			if st.Effect != "Allow" || !arHas(arStrings(st.Action), "s3:PutObject") || !arHas(arStrings(st.Principal), service) {
				continue
			}
			for _, r := range arStrings(st.Resource) {
				if arGlob(r, object) {
					out = append(out, st)
				}
			}
		}
	}
	return out
}

// TestDeliveriesLandWhereThePolicyAllows: the object keys the log delivery
// service actually writes (<destination>AWSLogs/<account>/vpcflowlogs/...)
// and CloudTrail writes (cloudtrail/AWSLogs/<org id>/...) are allowed by
// exactly one statement, scoped to the customer's tier OU for flow logs.
func TestDeliveriesLandWhereThePolicyAllows(t *testing.T) {
	g := runStack(t, "prod")
	for _, fl := range g.ofType(tFlowLog) {
		if str(fl, "logDestinationType") != "s3" {
			continue
		}
		key := g.customerOf(fl)
		account := g.one(t, key, tAccount)
		tier := tags(g.one(t, key, tVPC))["tier"]
		dest := str(fl, "logDestination")
		bucketName := strings.SplitN(strings.TrimPrefix(dest, "arn:aws:s3:::"), "/", 2)[0]
		object := dest + "AWSLogs/" + account.ID + "/vpcflowlogs/us-east-1/2026/11/24/" + account.ID + "_vpcflowlogs_us-east-1_fl-1_20261124T0000Z_hash.log.gz"
		sts := arWriters(t, g, bucketName, object, "delivery.logs.amazonaws.com")
		if len(sts) != 1 {
			t.Errorf("%s: %d statements allow the delivery of %s", key, len(sts), object)
			continue
		}
		ou := g.named(t, tOU, tier+"-ou").ID
		if paths := arStrings(sts[0].Condition["ForAnyValue:StringLike"]["aws:SourceOrgPaths"]); len(paths) != 1 || !strings.Contains(paths[0], "/"+ou+"/") {
			t.Errorf("%s: delivery allowed from %v, want only the %s OU %s", key, paths, tier, ou)
		}
	}
	trailObject := "arn:aws:s3:::" + arBuckets["prod"]["trail"] + "/cloudtrail/AWSLogs/o-tzprod0001/111122223333/CloudTrail/us-east-1/2026/11/24/file.json.gz"
	if sts := arWriters(t, g, arBuckets["prod"]["trail"], trailObject, "cloudtrail.amazonaws.com"); len(sts) != 1 {
		t.Errorf("%d statements allow CloudTrail to deliver %s", len(sts), trailObject)
	}
}

// TestTrailBucketIsGovernmentGrade: an organization trail records every
// account, Gov-Federal ones included, into one bucket; that bucket must then
// meet every Gov-Federal archive control, so Gov-Federal trail data never
// lands under weaker controls: COMPLIANCE lock at least the FedRAMP floor,
// kept at least as long and as hot as the Gov-Federal archive, and in a
// region the tier allows.
func TestTrailBucketIsGovernmentGrade(t *testing.T) {
	g := runStack(t, "prod")
	lockOf := func(boundary string) (string, float64) {
		rule := arValue(arOneOnBucket(t, g, arLock, arBucketByBoundary(t, g, "prod", boundary)).Inputs["rule"]).(map[string]any)["defaultRetention"].(map[string]any)
		return rule["mode"].(string), rule["days"].(float64)
	}
	govMode, govDays := lockOf("gov-federal")
	trailMode, trailDays := lockOf("trail")
	if govMode != "COMPLIANCE" || trailMode != "COMPLIANCE" || trailDays < govDays {
		t.Errorf("trail lock %s %v days, gov-federal lock %s %v days", trailMode, trailDays, govMode, govDays)
	}
	gov := arRules(t, arOneOnBucket(t, g, arLifecycle, arBucketByBoundary(t, g, "prod", "gov-federal")))["gov-federal/"]
	trail := arRules(t, arOneOnBucket(t, g, arLifecycle, arBucketByBoundary(t, g, "prod", "trail")))["cloudtrail/"]
	if trail.expiration < gov.expiration || trail.transition < gov.transition {
		t.Errorf("trail lifecycle %+v is weaker than the gov-federal one %+v", trail, gov)
	}
	for _, b := range g.ofType(arBucket) {
		prov := g.byURN[b.ProviderURN]
		if str(prov, "region") != "us-east-1" {
			t.Errorf("bucket %s is created in %q, outside the Gov-Federal region", str(b, "bucket"), str(prov, "region"))
		}
	}
	cfg := stackConfig(t, "prod")
	cfg["tierzone:managementRegion"] = "us-west-2"
	problems := runInvalid(t, cfg, customers.Catalog())
	if !hasProblem(problems, []string{"tierzone:managementRegion", `"us-west-2"`, "Gov-Federal logs, which must stay in us-east-1"}) {
		t.Errorf("an archive outside us-east-1 was not refused: %v", problems)
	}
}
