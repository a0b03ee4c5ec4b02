package rules

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/tierzone/tierzone/tiers"
)

// Type tokens the rules look at. The component tokens are the components
// package's (a test keeps them equal) without importing it, so the policy
// plugin does not build the AWS SDK.
const (
	customerAccountType = "tierzone:org:CustomerAccount"
	customerVPCType     = "tierzone:network:CustomerVPC"
	tierOUType          = "tierzone:org:TierOU"

	awsProvider     = "pulumi:providers:aws"
	vpcType         = "aws:ec2/vpc:Vpc"
	flowLogType     = "aws:ec2/flowLog:FlowLog"
	logGroupType    = "aws:cloudwatch/logGroup:LogGroup"
	defaultSGType   = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	subnetType      = "aws:ec2/subnet:Subnet"
	accountType     = "aws:organizations/account:Account"
	ouType          = "aws:organizations/organizationalUnit:OrganizationalUnit"
	scpType         = "aws:organizations/policy:Policy"
	attachmentType  = "aws:organizations/policyAttachment:PolicyAttachment"
	bucketV2Type    = "aws:s3/bucketV2:BucketV2"
	bucketType      = "aws:s3/bucket:Bucket"
	bucketSSEType   = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	bucketPABType   = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	bucketPolicyTyp = "aws:s3/bucketPolicy:BucketPolicy"
	lifecycleType   = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	bucketLogType   = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	trailType       = "aws:cloudtrail/trail:Trail"
	recorderType    = "aws:cfg/recorder:Recorder"
	recStatusType   = "aws:cfg/recorderStatus:RecorderStatus"
	packType        = "aws:cfg/conformancePack:ConformancePack"
	accountCfgType  = "tierzone:detect:AccountConfig"

	// accessLogSSEName ends the name of the access-log bucket's
	// encryption configuration (components.LogArchive).
	accessLogSSEName = "-access-logs-encryption"

	// archiveBoundaryTag names the archive boundary of the log archive's
	// buckets and keys (components.LogArchive).
	archiveBoundaryTag = "archive-boundary"
)

// Violation is one broken invariant.
type Violation struct {
	Rule    string
	URN     string
	Message string
}

func (v Violation) String() string { return v.Rule + ": " + v.Message + " (" + v.URN + ")" }

// Rule is one compliance invariant.
type Rule struct {
	// Name is the policy name in the pack.
	Name        string
	Description string
	Check       func(*Plan) []Violation
}

// Rule names.
const (
	VPCFlowLogs       = "vpc-flow-logs"
	LogRetentionFloor = "log-retention-floor"
	S3Protected       = "s3-kms-and-public-access-block"
	DefaultSGNoRules  = "default-security-group-no-rules"
	TierRegions       = "tier-regions"
	OUBaselineSCP     = "ou-baseline-scp"
	CustomerTags      = "customer-tags"
	AccountConfig     = "account-config-recorder-and-pack"
	TrailToCloudWatch = "trail-feeds-cloudwatch-logs"
)

// All returns every rule.
func All() []Rule {
	return []Rule{
		{VPCFlowLogs, "Every VPC has a flow log capturing ALL traffic.", vpcFlowLogs},
		{LogRetentionFloor, "Every customer VPC's flow logs are kept at least its tier's regulatory floor (CloudWatch retention or the S3 archive's lifecycle expiration).", logRetentionFloor},
		{S3Protected, "Every S3 bucket is encrypted with KMS (SSE-KMS) and has all four public access blocks on.", s3Protected},
		{DefaultSGNoRules, "Every VPC's default security group is managed and has no ingress or egress rules (CIS 5.4).", defaultSGNoRules},
		{TierRegions, "Customer resources, and the archive buckets and keys holding a tier's logs, live only in regions the tier allows (Gov-Federal: us-east-1 only).", tierRegions},
		{OUBaselineSCP, "Every customer OU has the baseline SCP attached.", ouBaselineSCP},
		{CustomerTags, "Every taggable customer resource carries the customer and tier tags.", customerTags},
		{AccountConfig, "Every customer account in the stack has an AWS Config recorder of all supported resource types, turned on, and its tier's conformance pack.", accountConfig},
		{AccountBaseline, "Every customer account in the stack has EBS encryption by default, an S3 account public access block with all four settings and a password policy at least as strict as its tier's.", accountBaseline},
		{CustomerAlarms, "Every customer account in the stack has a KMS-encrypted alarm topic, the flow-logs-stopped alarm and the rule forwarding its alarms to its tier's operators.", customerAlarms},
		{TrailToCloudWatch, "Every organization trail also delivers to a CloudWatch Logs group (CIS 3.4 / CloudTrail.5), so the CIS metric filters and alarms see it.", trailToCloudWatch},
	}
}

// Check runs every rule.
func Check(p *Plan) []Violation {
	var out []Violation
	for _, r := range All() {
		out = append(out, r.Check(p)...)
	}
	return out
}

// customer is what the plan says about one customer.
type customer struct {
	key  string
	tier tiers.Tier
}

// customerKey returns the customer a resource belongs to: the name of its
// CustomerAccount or CustomerVPC parent component.
func customerKey(r Resource) (string, bool) {
	typ, name := parentOf(r.Parent)
	if typ == customerAccountType || typ == customerVPCType {
		return name, true
	}
	return "", false
}

// customers finds each customer's tier from the OU its account is placed
// in (the account's parentId refers to the tier OU, whose name is the
// tier's OUName), falling back to the account's tier tag.
func (p *Plan) customers() map[string]customer {
	byOU := map[string]tiers.Tier{}
	for _, t := range tiers.All() {
		byOU[t.OUName] = t
	}
	out := map[string]customer{}
	for _, acct := range p.OfType(accountType) {
		key, ok := customerKey(acct)
		if !ok {
			continue
		}
		c := customer{key: key}
		for _, dep := range acct.Deps["parentId"] {
			if ou, ok := p.Get(dep); ok && ou.Type == ouType {
				if name, ok := ou.String("name"); ok {
					c.tier = byOU[name]
				}
			}
		}
		if c.tier.Key == "" {
			if t, err := tiers.Lookup(tags(acct.Props, "tags")["tier"]); err == nil {
				c.tier = t
			}
		}
		out[key] = c
	}
	return out
}

func vpcFlowLogs(p *Plan) []Violation {
	var out []Violation
	for _, vpc := range p.OfType(vpcType) {
		all := false
		for _, fl := range p.Referencing(flowLogType, "vpcId", vpc.URN) {
			if captures, known := capturesAll(fl); captures || !known {
				all = true
			}
		}
		if !all {
			out = append(out, Violation{VPCFlowLogs, vpc.URN, fmt.Sprintf("VPC %s has no flow log of ALL traffic", vpc.Name)})
		}
	}
	return out
}

// capturesAll says whether a flow log captures ALL traffic; known is false
// while its traffic type is not known yet (not judged).
func capturesAll(fl Resource) (captures, known bool) {
	v := fl.Get("trafficType")
	if fl.Unknown || v.IsComputed() {
		return false, false
	}
	return v.IsString() && v.AsString() == "ALL", true
}

// trafficOf describes a flow log's traffic type for a message.
func trafficOf(fl Resource) string {
	if t, ok := fl.String("trafficType"); ok {
		return fmt.Sprintf("%q", t)
	}
	return "no"
}

// forever stands for "never expires".
const forever = math.MaxInt

func logRetentionFloor(p *Plan) []Violation {
	var out []Violation
	custs := p.customers()
	for _, vpc := range p.OfType(vpcType) {
		key, ok := customerKey(vpc)
		c := custs[key]
		if !ok || c.tier.Key == "" {
			continue
		}
		floor := c.tier.Retention.FloorDays
		flowLogs := p.Referencing(flowLogType, "vpcId", vpc.URN)
		if len(flowLogs) == 0 {
			continue // vpc-flow-logs reports it
		}
		kept, where := 0, []string{}
		for _, fl := range flowLogs {
			days, desc := p.flowLogRetention(fl, c.tier.Key)
			kept = max(kept, days)
			where = append(where, desc)
		}
		if kept < floor {
			out = append(out, Violation{LogRetentionFloor, vpc.URN, fmt.Sprintf(
				"flow logs of %s (tier %s) are kept %d days at most (%s); the %s floor is %d days (%s)",
				key, c.tier.Key, kept, strings.Join(where, "; "), c.tier.Key, floor, c.tier.Retention.FloorSource)})
		}
	}
	return out
}

// flowLogRetention is how long a flow log's destination keeps its records:
// the log group's retention (0: never expires), or the earliest expiration
// among the archive bucket's lifecycle rules that cover its prefix.
func (p *Plan) flowLogRetention(fl Resource, tierKey string) (int, string) {
	if fl.Unknown {
		return forever, "flow log " + fl.Name + " not known yet"
	}
	kind, _ := fl.String("logDestinationType")
	if kind == "" {
		kind = "cloud-watch-logs"
	}
	switch kind {
	case "cloud-watch-logs":
		for _, dep := range fl.Deps["logDestination"] {
			g, ok := p.Get(dep)
			if !ok || g.Type != logGroupType {
				continue
			}
			if g.Unknown {
				return forever, "log group " + g.Name + " not known yet"
			}
			v := g.Get("retentionInDays")
			if !v.IsNumber() || v.AsNumber() == 0 {
				return forever, "log group " + g.Name + " never expires"
			}
			d := int(v.AsNumber())
			return d, fmt.Sprintf("log group %s %d days", g.Name, d)
		}
		return 0, "CloudWatch destination not found in the stack"
	case "s3":
		bucket, ok := p.destinationBucket(fl)
		if !ok {
			return 0, "S3 destination bucket not found in the stack"
		}
		// The object key prefix is known once the bucket ARN is; at preview
		// it is not, and the archive's prefixes start with the tier key.
		prefix := tierKey + "/"
		if dest, ok := fl.String("logDestination"); ok {
			if i := strings.Index(dest, ":::"); i >= 0 {
				if _, rest, ok := strings.Cut(dest[i+3:], "/"); ok {
					prefix = rest
				}
			}
		}
		days := forever
		for _, lc := range p.Referencing(lifecycleType, "bucket", bucket.URN) {
			if lc.Unknown {
				return forever, "lifecycle " + lc.Name + " not known yet"
			}
			for _, e := range expirations(lc) {
				if strings.HasPrefix(prefix, e.prefix) {
					days = min(days, e.days)
				}
			}
		}
		if days == forever {
			return days, "bucket " + bucket.Name + " never expires " + prefix
		}
		return days, fmt.Sprintf("bucket %s expires %s after %d days", bucket.Name, prefix, days)
	}
	return 0, "unsupported destination type " + kind
}

// expiration is one enabled lifecycle rule that expires the objects under
// a prefix after a number of days.
type expiration struct {
	id     string
	prefix string
	days   int
}

// expirations are a bucket lifecycle configuration's known expirations
// (enabled rules, their filter's or legacy prefix, "" for the whole
// bucket); a rule whose days are not known yet is left out.
func expirations(lc Resource) []expiration {
	var out []expiration
	for _, rule := range arr(lc.Get("rules")) {
		if !rule.IsMap() {
			continue
		}
		m := rule.AsMap()
		if s := get(m, "status"); s.IsString() && s.AsString() != "Enabled" {
			continue
		}
		e := expiration{}
		if v := get(m, "id"); v.IsString() {
			e.id = v.AsString()
		}
		if v := get(m, "filter", "prefix"); v.IsString() {
			e.prefix = v.AsString()
		} else if v := get(m, "prefix"); v.IsString() {
			e.prefix = v.AsString()
		}
		if v := get(m, "expiration", "days"); v.IsNumber() && v.AsNumber() > 0 {
			e.days = int(v.AsNumber())
			out = append(out, e)
		}
	}
	return out
}

// destinationBucket follows a flow log's S3 destination to its bucket,
// directly or through the bucket policy the destination waits for.
func (p *Plan) destinationBucket(fl Resource) (Resource, bool) {
	for _, dep := range fl.Deps["logDestination"] {
		r, ok := p.Get(dep)
		if !ok {
			continue
		}
		switch r.Type {
		case bucketV2Type, bucketType:
			return r, true
		case bucketPolicyTyp:
			for _, b := range r.Deps["bucket"] {
				if br, ok := p.Get(b); ok && (br.Type == bucketV2Type || br.Type == bucketType) {
					return br, true
				}
			}
		}
	}
	return Resource{}, false
}

func s3Protected(p *Plan) []Violation {
	var out []Violation
	for _, b := range p.OfType(bucketV2Type, bucketType) {
		kms := false
		// A server access log target may only use SSE-S3 (S3 user guide,
		// "Enabling Amazon S3 server access logging"): AES256 is enough
		// for a bucket that is only ever a logging target.
		target := len(p.Referencing(bucketLogType, "targetBucket", b.URN)) > 0 && len(p.Referencing(bucketLogType, "bucket", b.URN)) == 0
		for _, sse := range p.Referencing(bucketSSEType, "bucket", b.URN) {
			isKMS, others, unknown := sseAlgorithms(sse)
			kms = kms || isKMS || unknown || (target && len(others) > 0 && others[0] == "AES256")
		}
		if !kms {
			out = append(out, Violation{S3Protected, b.URN, fmt.Sprintf("bucket %s has no SSE-KMS default encryption (BucketServerSideEncryptionConfigurationV2 with aws:kms)", b.Name)})
		}
		blocked := false
		for _, pab := range p.Referencing(bucketPABType, "bucket", b.URN) {
			blocked = blocked || pab.Unknown || len(publicAccessOff(pab)) == 0
		}
		if !blocked {
			out = append(out, Violation{S3Protected, b.URN, fmt.Sprintf("bucket %s does not block public access (BucketPublicAccessBlock with all four flags true)", b.Name)})
		}
	}
	return out
}

// sseAlgorithms judges an encryption configuration's default algorithms:
// kms when a rule's known algorithm is aws:kms or aws:kms:dsse, others the
// known algorithms that are not, unknown when the rules or an algorithm are
// not known yet (not judged).
func sseAlgorithms(sse Resource) (kms bool, others []string, unknown bool) {
	rules := sse.Get("rules")
	if sse.Unknown || rules.IsComputed() {
		return false, nil, true
	}
	for _, rule := range arr(rules) {
		if !rule.IsMap() {
			unknown = unknown || rule.IsComputed()
			continue
		}
		switch a := get(rule.AsMap(), "applyServerSideEncryptionByDefault", "sseAlgorithm"); {
		case a.IsComputed():
			unknown = true
		case !a.IsString():
		case a.AsString() == "aws:kms" || a.AsString() == "aws:kms:dsse":
			kms = true
		default:
			others = append(others, a.AsString())
		}
	}
	return kms, others, unknown
}

// publicAccessFlags are the four flags of a BucketPublicAccessBlock.
var publicAccessFlags = []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"}

// publicAccessOff lists a public access block's flags that are known to be
// off: false, or unset (AWS's default is false). A flag not known yet is not
// judged.
func publicAccessOff(pab Resource) []string {
	var off []string
	for _, f := range publicAccessFlags {
		if v := pab.Get(f); !v.IsComputed() && (!v.IsBool() || !v.AsBool()) {
			off = append(off, f)
		}
	}
	return off
}

// defaultSGRules reports, under rule, each direction in which a default
// security group has rules (a list not known yet is not judged).
func defaultSGRules(rule string, sg Resource) []Violation {
	var out []Violation
	for _, dir := range []string{"ingress", "egress"} {
		if n := len(arr(sg.Get(dir))); n > 0 {
			out = append(out, Violation{rule, sg.URN, fmt.Sprintf("default security group %s has %d %s rule(s)", sg.Name, n, dir)})
		}
	}
	return out
}

func defaultSGNoRules(p *Plan) []Violation {
	var out []Violation
	for _, vpc := range p.OfType(vpcType) {
		if len(p.Referencing(defaultSGType, "vpcId", vpc.URN)) == 0 {
			out = append(out, Violation{DefaultSGNoRules, vpc.URN, fmt.Sprintf("VPC %s leaves its default security group unmanaged (AWS's default allows all egress and traffic within the group)", vpc.Name)})
		}
	}
	for _, sg := range p.OfType(defaultSGType) {
		out = append(out, defaultSGRules(DefaultSGNoRules, sg)...)
	}
	return out
}

// boundaryRegions are the regions an archive boundary's resources may live
// in: those every tier archiving into it allows (Gov-Federal's: us-east-1).
func boundaryRegions() map[string][]string {
	out := map[string][]string{}
	for _, t := range tiers.All() {
		b := t.ArchiveBoundary
		if prev, seen := out[b]; seen {
			out[b] = slices.DeleteFunc(slices.Clone(prev), func(r string) bool { return !t.AllowsRegion(r) })
		} else {
			out[b] = slices.Clone(t.AllowedRegions)
		}
	}
	return out
}

func tierRegions(p *Plan) []Violation {
	var out []Violation
	// The log archive holds a boundary's logs: its buckets and keys (tagged
	// with the boundary) stay where every tier of the boundary may keep data.
	bounds := boundaryRegions()
	for _, r := range p.Resources {
		b := tags(r.Props, "tags")[archiveBoundaryTag]
		allowed, ok := bounds[b]
		if !ok {
			continue
		}
		region := get(r.ProviderProps, "region")
		if region.IsString() && !slices.Contains(allowed, region.AsString()) {
			out = append(out, Violation{TierRegions, r.URN, fmt.Sprintf("%s of archive boundary %s is in %s; its tiers allow only %v", r.Name, b, region.AsString(), allowed)})
		}
	}
	custs := p.customers()
	for _, r := range p.Resources {
		key, ok := customerKey(r)
		c := custs[key]
		if !ok || c.tier.Key == "" || strings.HasPrefix(r.Type, "aws:organizations/") || strings.HasPrefix(r.Type, "tierzone:") {
			continue // Organizations is global and lives in the management account.
		}
		props := r.ProviderProps
		if r.Type == awsProvider {
			props = r.Props
		}
		region := get(props, "region")
		switch {
		case region.IsComputed():
			continue
		case !region.IsString() || region.AsString() == "":
			out = append(out, Violation{TierRegions, r.URN, fmt.Sprintf("%s of %s (tier %s) has no explicit region; the tier allows %v", r.Name, key, c.tier.Key, c.tier.AllowedRegions)})
			continue
		case !c.tier.AllowsRegion(region.AsString()):
			out = append(out, Violation{TierRegions, r.URN, fmt.Sprintf("%s of %s is in %s; tier %s allows only %v", r.Name, key, region.AsString(), c.tier.Key, c.tier.AllowedRegions)})
			continue
		}
		if r.Type == subnetType {
			if az, ok := r.String("availabilityZone"); ok && !slices.ContainsFunc(c.tier.AllowedRegions, func(reg string) bool { return strings.HasPrefix(az, reg) }) {
				out = append(out, Violation{TierRegions, r.URN, fmt.Sprintf("subnet %s of %s is in zone %s; tier %s allows only %v", r.Name, key, az, c.tier.Key, c.tier.AllowedRegions)})
			}
		}
	}
	return out
}

// baselineSids are the statement ids every baseline SCP contains.
func baselineSids() []string {
	var out []string
	for _, g := range tiers.Baseline() {
		for _, s := range g.Statements(tiers.PolicyParams{}) {
			out = append(out, s.Sid)
		}
	}
	return out
}

// isBaseline reports whether an SCP's content holds every baseline statement.
func isBaseline(pol Resource) bool {
	content, ok := pol.String("content")
	if !ok {
		return false
	}
	var doc tiers.PolicyDocument
	if err := json.Unmarshal([]byte(content), &doc); err != nil {
		return false
	}
	have := map[string]bool{}
	for _, s := range doc.Statement {
		have[s.Sid] = true
	}
	for _, sid := range baselineSids() {
		if !have[sid] {
			return false
		}
	}
	return true
}

func ouBaselineSCP(p *Plan) []Violation {
	var baselines []string
	for _, pol := range p.OfType(scpType) {
		if isBaseline(pol) {
			baselines = append(baselines, pol.URN)
		}
	}
	ouNames := map[string]bool{}
	for _, t := range tiers.All() {
		ouNames[t.OUName] = true
	}
	var out []Violation
	for _, ou := range p.OfType(ouType) {
		name, _ := ou.String("name")
		if typ, _ := parentOf(ou.Parent); typ != tierOUType && !ouNames[name] {
			continue
		}
		attached := false
		for _, a := range p.Referencing(attachmentType, "targetId", ou.URN) {
			for _, b := range baselines {
				attached = attached || a.DependsOn("policyId", b)
			}
		}
		if !attached {
			out = append(out, Violation{OUBaselineSCP, ou.URN, fmt.Sprintf("customer OU %s has no baseline SCP attached (statements %v)", name, baselineSids())})
		}
	}
	return out
}

// taggable are the resource types Tierzone creates for customers that
// accept tags.
func taggable() []string {
	return []string{
		vpcType, subnetType, flowLogType, defaultSGType, logGroupType, accountType,
		"aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip",
		"aws:ec2/routeTable:RouteTable", "aws:ec2/vpnGateway:VpnGateway", "aws:ec2/securityGroup:SecurityGroup",
		"aws:iam/role:Role", "aws:kms/key:Key", bucketV2Type, bucketType,
	}
}

// tagProblems says what is wrong with the customer and tier tags of a
// customer's resource (a provider: its default tags): the customer tag must
// be key, the tier tag wantTier, or, with wantTier "", a real tier's key.
// Tags not known yet are not judged; judged is false for a resource that
// takes no tags.
func tagProblems(r Resource, key, wantTier string) (bad []string, judged bool) {
	var v property.Value
	switch {
	case r.Type == awsProvider:
		v = r.Get("defaultTags", "tags")
	case slices.Contains(taggable(), r.Type):
		v = r.Get("tags")
	default:
		return nil, false
	}
	if v.IsComputed() {
		return nil, true
	}
	var got property.Map
	if v.IsMap() {
		got = v.AsMap()
	}
	for _, k := range []string{"customer", "tier"} {
		t := got.Get(k)
		switch {
		case t.IsComputed():
		case t.IsNull():
			bad = append(bad, "no "+k+" tag")
		case !t.IsString():
			bad = append(bad, k+" tag is not a string")
		case k == "customer" && t.AsString() != key:
			bad = append(bad, fmt.Sprintf("customer tag %q, want %q", t.AsString(), key))
		case k == "tier" && wantTier != "" && t.AsString() != wantTier:
			bad = append(bad, fmt.Sprintf("tier tag %q, want %q", t.AsString(), wantTier))
		case k == "tier" && wantTier == "":
			if _, err := tiers.Lookup(t.AsString()); err != nil {
				bad = append(bad, fmt.Sprintf("tier tag %q names no tier", t.AsString()))
			}
		}
	}
	return bad, true
}

func customerTags(p *Plan) []Violation {
	var out []Violation
	custs := p.customers()
	for _, r := range p.Resources {
		key, ok := customerKey(r)
		if !ok || r.Unknown {
			continue
		}
		if bad, _ := tagProblems(r, key, custs[key].tier.Key); len(bad) > 0 {
			out = append(out, Violation{CustomerTags, r.URN, fmt.Sprintf("%s of %s: %s", r.Name, key, strings.Join(bad, ", "))})
		}
	}
	return out
}

// customerVPC is a customer VPC of the plan with its customer's key and
// tier (from the account's OU, else the VPC's tier tag; tierKnown false
// when neither names a tier).
type customerVPC struct {
	vpc       Resource
	key       string
	tier      tiers.Tier
	tierKnown bool
}

// customerVPCs are the plan's customer VPCs: the customers whose
// account's resources are in the plan.
func (p *Plan) customerVPCs() []customerVPC {
	tierOf := map[string]tiers.Tier{}
	for k, c := range p.customers() {
		tierOf[k] = c.tier
	}
	var out []customerVPC
	for _, vpc := range p.OfType(vpcType) {
		key, ok := customerKey(vpc)
		if !ok {
			continue
		}
		t, ok := tierOf[key]
		if !ok || t.Key == "" {
			if t2, err := tiers.Lookup(tags(vpc.Props, "tags")["tier"]); err == nil {
				t, ok = t2, true
			}
		}
		out = append(out, customerVPC{vpc: vpc, key: key, tier: t, tierKnown: ok})
	}
	return out
}

// childrenOf are the resources whose parent is the component of type typ
// named name.
func (p *Plan) childrenOf(typ, name string) []Resource {
	var out []Resource
	for _, r := range p.Resources {
		if t, n := parentOf(r.Parent); t == typ && n == name {
			out = append(out, r)
		}
	}
	return out
}

// accountConfig: every customer whose account's resources are in the plan
// (its VPC component is) has, under its AccountConfig, a recorder of all
// supported resource types, a recorder status turned on, and a conformance
// pack named for its tier's pack.
func accountConfig(p *Plan) []Violation {
	var out []Violation
	for _, cv := range p.customerVPCs() {
		vpc, key, t, ok := cv.vpc, cv.key, cv.tier, cv.tierKnown
		var recorder, on, pack bool
		for _, r := range p.childrenOf(accountCfgType, key) {
			switch r.Type {
			case recorderType:
				v := r.Get("recordingGroup", "allSupported")
				recorder = r.Unknown || v.IsComputed() || (v.IsBool() && v.AsBool())
			case recStatusType:
				v := r.Get("isEnabled")
				on = r.Unknown || v.IsComputed() || (v.IsBool() && v.AsBool())
			case packType:
				n, known := r.String("name")
				pack = !known || !ok || n == t.Detection.PackName()
			}
		}
		var missing []string
		if !recorder {
			missing = append(missing, "a Config recorder of all supported resource types")
		}
		if !on {
			missing = append(missing, "the recorder turned on")
		}
		if !pack {
			want := "its tier's conformance pack"
			if ok {
				want += " " + t.Detection.PackName()
			}
			missing = append(missing, want)
		}
		if len(missing) > 0 {
			out = append(out, Violation{AccountConfig, vpc.URN, fmt.Sprintf("customer %s's account lacks %s", key, strings.Join(missing, ", "))})
		}
	}
	return out
}

// trailToCloudWatch: an organization trail names a CloudWatch Logs group
// and the role CloudTrail delivers to it with.
func trailToCloudWatch(p *Plan) []Violation {
	var out []Violation
	for _, t := range p.OfType(trailType) {
		if v := t.Get("isOrganizationTrail"); !(v.IsBool() && v.AsBool()) {
			continue
		}
		group, role := t.Get("cloudWatchLogsGroupArn"), t.Get("cloudWatchLogsRoleArn")
		set := func(v property.Value) bool { return v.IsComputed() || (v.IsString() && v.AsString() != "") }
		if t.Unknown || (set(group) && set(role)) {
			continue
		}
		out = append(out, Violation{TrailToCloudWatch, t.URN, fmt.Sprintf("organization trail %s does not deliver to CloudWatch Logs (cloudWatchLogsGroupArn and cloudWatchLogsRoleArn)", t.Name)})
	}
	return out
}
