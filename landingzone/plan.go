package landingzone

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/netplan"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// LogGroupPrefix is the prefix of every CloudWatch log group Tierzone owns;
// the baseline SCP protects groups under it.
const LogGroupPrefix = "/tierzone/"

// ManagedBy is the value of the managed-by tag.
const ManagedBy = "tierzone"

// maxPolicyNameLength: a policy name is 1-128 characters (botocore
// organizations PolicyName); OU names have the same limit,
// tiers.MaxOUNameLength.
const maxPolicyNameLength = 128

// CustomerSpec is a customer with everything resolved: the tier's rules
// applied to the customer's choices, its e-mail, region, zones and subnets.
type CustomerSpec struct {
	Customer   customers.Customer
	Tier       tiers.Tier
	Email      string
	Region     string
	NATGateway bool
	VPNGateway bool
	Layout     netplan.Layout
	// AvailabilityZones are the first and second zone of the region.
	AvailabilityZones [2]string
	Retention         tiers.Retention
	// Tags go on every resource of the customer.
	Tags map[string]string
	// Segment is the tier segment the account sits in (nil: the tier OU).
	Segment *tiers.Segment
	// Connected: the VPC is attached to the hub's Transit Gateway in its
	// region. CentralEgress: its default route goes to the hub's egress
	// VPC instead of a NAT gateway of its own. Allocated: its CIDR came
	// from IPAM (Pool is the tier's pool it lies in, for every hub
	// customer).
	Connected, CentralEgress, Allocated bool
	Pool                                netip.Prefix
}

// TierSpec is a tier with its effective retention and rendered policies.
type TierSpec struct {
	Tier      tiers.Tier
	Retention tiers.Retention
	// SCP is the tier's own policy; HasSCP is false for baseline-only tiers.
	SCP    tiers.SCP
	HasSCP bool
	// SCPJSON is SCP's minified document.
	SCPJSON string
	// Detection is the tier's Security Hub standards, Config pack and
	// GuardDuty features, resolved.
	Detection DetectionSpec
	// Segments are the tier's segment OUs with their own SCPs.
	Segments []SegmentSpec
}

// SegmentSpec is a segment with its rendered policy.
type SegmentSpec struct {
	Segment tiers.Segment
	// SCP is the segment's own policy (HasSCP false: it only inherits).
	SCP     tiers.SCP
	HasSCP  bool
	SCPJSON string
}

// Plan is a validated catalog and stack settings, ready to build.
type Plan struct {
	Settings     Settings
	Baseline     tiers.SCP
	BaselineJSON string
	// Tiers are all tiers, in tiers.All order: every tier gets its OU
	// whether or not this stack deploys a customer in it.
	Tiers []TierSpec
	// Customers are the customers this stack deploys, in catalog order.
	Customers []CustomerSpec
	// Hub is the network hub (nil: the stack has none).
	Hub *HubSpec
}

// Tier returns the spec of a tier key.
func (p *Plan) Tier(key string) (TierSpec, bool) {
	for _, t := range p.Tiers {
		if t.Tier.Key == key {
			return t, true
		}
	}
	return TierSpec{}, false
}

// Resolve validates the whole catalog and the settings and returns the plan,
// or a *validation.Error with every problem found. Nothing is registered.
func Resolve(catalog []customers.Customer, s Settings) (*Plan, error) {
	return ResolveKeeping(catalog, s, nil)
}

// ResolveKeeping is Resolve keeping the VPC CIDRs earlier runs allocated
// from IPAM (by customer key; PreviousAllocations reads them from a stack's
// outputs), so that adding or removing a customer never moves another's.
func ResolveKeeping(catalog []customers.Customer, s Settings, allocations map[string]string) (*Plan, error) {
	var l validation.List
	s.validateStack(&l)
	validateArchiveRegion(s, &l)

	if s.AccountEmailMailbox == "" {
		if need := customers.NeedMailbox(catalog); len(need) > 0 {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyAccountEmailMailbox), "", "missing; customers %s have no email and derive it as mailbox+key@domain", strings.Join(need, ", "))
		}
	} else if err := customers.ValidateMailbox(s.AccountEmailMailbox); err != nil {
		l.Add(validation.Stack(ConfigNamespace+":"+KeyAccountEmailMailbox), "", "%v", err)
	}
	mailbox := s.AccountEmailMailbox
	if customers.ValidateMailbox(mailbox) != nil {
		// Reported once above; derived addresses would only repeat it.
		mailbox = ""
	}
	l.Merge(customers.Validate(catalog, customers.Options{Mailbox: mailbox, Hub: s.Hub()}))

	selected := selection(catalog, s.Customers, &l)
	checkDecommission(catalog, s.Decommission, &l)
	if cs := s.CustomerStack; cs != nil && cs.Customer != "" &&
		!slices.ContainsFunc(selected, func(c customers.Customer) bool { return c.Key == cs.Customer }) {
		l.Add(validation.Stack(ConfigNamespace+":"+KeyCustomerStack), "customer", "%q is not one of the customers the stack deploys (%s:%s)", cs.Customer, ConfigNamespace, KeyCustomers)
	}
	hub := resolveHub(selected, s, allocations, &l)
	selected = hub.withCIDRs(selected)
	if s.CustomerConnectivity {
		// Every VPC of the stack, connected or not; the catalog may reuse
		// CIDRs across stacks.
		l.Merge(customers.CheckOverlap(selected))
	}
	params := tierPolicyParams(s)
	plan := &Plan{Settings: s, Baseline: tiers.BaselineSCP(s.NamePrefix, params), Hub: hub.spec}
	plan.BaselineJSON = checkSCP(&l, "baseline", plan.Baseline, s)

	retention := resolveRetention(s, &l)
	checkSecurityAccount(catalog, s, &l)
	checkBaselines(tiers.All(), s.NamePrefix, &l)
	checkAccess(tiers.All(), &l)
	checkCustomerTags(selected, &l)
	plan.Tiers = tierSpecs(s, params, retention, &l)
	checkBilling(s, plan.Tiers, selected, &l)
	if err := l.Err(); err != nil {
		return nil, err
	}
	for _, c := range selected {
		if cs := s.CustomerStack; cs != nil && c.Key != cs.Customer {
			// A customer stack deploys its one customer; the others were
			// still validated with the whole selection.
			continue
		}
		ts, _ := plan.Tier(c.Tier)
		plan.Customers = append(plan.Customers, hub.place(resolveCustomer(c, ts, s), s))
	}
	return plan, nil
}

// tierPolicyParams are what the tiers' policies are rendered with.
func tierPolicyParams(s Settings) tiers.PolicyParams {
	return tiers.PolicyParams{PlatformRoleName: s.OrgAccessRoleName, LogGroupPrefix: LogGroupPrefix}
}

// tierSpecs resolves every tier, in tiers.All order: retention, detection,
// the rendered SCP, and the OU and SCP quotas.
func tierSpecs(s Settings, params tiers.PolicyParams, retention map[string]tiers.Retention, l *validation.List) []TierSpec {
	detection, err := CheckDetection(tiers.All())
	l.Merge(err)
	var out []TierSpec
	ouNames := map[string]string{}
	for _, t := range tiers.All() {
		ts := TierSpec{Tier: t, Retention: retention[t.Key], Detection: detection[t.Key]}
		ts.SCP, ts.HasSCP = t.SCP(s.NamePrefix, params)
		if ts.HasSCP {
			ts.SCPJSON = checkSCP(l, t.Key, ts.SCP, s)
		}
		// FullAWSAccess stays attached to every OU and counts toward the quota.
		if n := 1 + len(t.SCPs(s.NamePrefix, params)); n > s.SCPMaxAttachments {
			l.Add(validation.Tier(t.Key), "scps", "%d SCPs would be attached directly to OU %s (FullAWSAccess included); AWS allows %d per OU", n, t.OUName, s.SCPMaxAttachments)
		}
		if len(t.OUName) < 1 || len(t.OUName) > tiers.MaxOUNameLength {
			l.Add(validation.Tier(t.Key), "ouName", "%q must be 1 to %d characters", t.OUName, tiers.MaxOUNameLength)
		} else if other, dup := ouNames[t.OUName]; dup {
			l.Add(validation.Tier(t.Key), "ouName", "%q is also the OU of tier %s; OU names must be unique under one parent", t.OUName, other)
		}
		ouNames[t.OUName] = t.Key
		ts.Segments = segmentSpecs(s, t, params, l)
		out = append(out, ts)
	}
	return out
}

// selection returns the customers the stack deploys, in catalog order.
func selection(catalog []customers.Customer, keys []string, l *validation.List) []customers.Customer {
	if keys == nil {
		return catalog
	}
	byKey := map[string]customers.Customer{}
	var known []string
	for _, c := range catalog {
		byKey[c.Key] = c
		known = append(known, c.Key)
	}
	want := map[string]bool{}
	for _, k := range keys {
		if _, ok := byKey[k]; !ok {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyCustomers), "", "%q is not a customer in the catalog (known: %s)", k, strings.Join(known, ", "))
		}
		if want[k] {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyCustomers), "", "%q is listed twice", k)
		}
		want[k] = true
	}
	var out []customers.Customer
	for _, c := range catalog {
		if want[c.Key] {
			out = append(out, c)
		}
	}
	return out
}

func resolveRetention(s Settings, l *validation.List) map[string]tiers.Retention {
	out := map[string]tiers.Retention{}
	for _, t := range tiers.All() {
		out[t.Key] = t.Retention
	}
	for _, key := range slices.Sorted(maps.Keys(s.Retention)) {
		o := s.Retention[key]
		subj := validation.Stack(ConfigNamespace + ":" + KeyRetention)
		r, ok := out[key]
		if !ok {
			l.Add(subj, key, "%q is not a tier; want one of: %s", key, strings.Join(tiers.Keys(), ", "))
			continue
		}
		if o.HotDays != 0 {
			r.HotDays = o.HotDays
		}
		if o.ArchiveDays != 0 {
			r.ArchiveDays = o.ArchiveDays
		}
		if !tiers.ValidCloudWatchRetention(r.HotDays) {
			l.Add(subj, key+".hotDays", "%d is not a retention CloudWatch Logs accepts; use one of %v", r.HotDays, tiers.CloudWatchRetentionDays())
		}
		if r.ArchiveDays < r.FloorDays {
			l.Add(subj, key+".archiveDays", "%d days is below the %s floor of %d days (%s)", r.ArchiveDays, key, r.FloorDays, r.FloorSource)
		}
		if r.ArchiveDays < r.HotDays {
			l.Add(subj, key+".archiveDays", "%d days is shorter than the %d hot days", r.ArchiveDays, r.HotDays)
		}
		out[key] = r
	}
	return out
}

// checkSCP renders the policy and checks it against the Organizations
// quotas; it returns the minified document.
func checkSCP(l *validation.List, subject string, p tiers.SCP, s Settings) string {
	subj := validation.Tier(subject)
	if subject == "baseline" {
		subj = "baseline SCP"
	}
	doc, err := p.Document.JSON()
	if err != nil {
		l.Add(subj, "scp", "cannot render %s: %v", p.Name, err)
		return ""
	}
	var parsed struct {
		Version   string
		Statement []json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &parsed); err != nil {
		l.Add(subj, "scp", "%s is not valid JSON: %v", p.Name, err)
	} else if parsed.Version != tiers.PolicyVersion || len(parsed.Statement) == 0 {
		l.Add(subj, "scp", "%s must have Version %s and at least one statement", p.Name, tiers.PolicyVersion)
	}
	// Organizations counts characters of the document as sent; the document is
	// ASCII, so bytes and characters agree.
	if len(doc) > s.SCPMaxChars {
		l.Add(subj, "scp", "%s is %d characters minified; AWS allows %d per SCP", p.Name, len(doc), s.SCPMaxChars)
	}
	if len(p.Name) > maxPolicyNameLength {
		l.Add(subj, "scp", "policy name %q is longer than %d characters", p.Name, maxPolicyNameLength)
	}
	return doc
}

func resolveCustomer(c customers.Customer, ts TierSpec, s Settings) CustomerSpec {
	t := ts.Tier
	region := c.Region
	if region == "" {
		region = t.DefaultRegion()
	}
	layout, err := netplan.Derive(c.VPCCIDR)
	if err != nil {
		// Validate has already checked the CIDR.
		panic(fmt.Sprintf("tierzone: validated CIDR %q of %s failed to derive: %v", c.VPCCIDR, c.Key, err))
	}
	return CustomerSpec{
		Customer:          c,
		Tier:              t,
		Email:             customers.AccountEmail(c, s.AccountEmailMailbox),
		Region:            region,
		NATGateway:        t.NATGateway.Resolve(c.NATGateway),
		VPNGateway:        t.VPNGateway.Resolve(c.VPNGateway),
		Layout:            layout,
		AvailabilityZones: [2]string{region + "a", region + "b"},
		Retention:         ts.Retention,
		Tags:              customerTags(c, t),
		Segment:           segmentOf(c, t),
	}
}

// customerTags are the tags on every resource of a customer: its own and
// Tierzone's.
func customerTags(c customers.Customer, t tiers.Tier) map[string]string {
	tags := maps.Clone(c.Tags)
	if tags == nil {
		tags = map[string]string{}
	}
	tags["customer"] = c.Key
	tags["tier"] = t.Key
	tags["framework"] = t.FrameworkList()
	tags["managed-by"] = ManagedBy
	tags["vpc-cidr"] = c.VPCCIDR
	if c.ContactEmail != "" {
		tags["contact"] = c.ContactEmail
	}
	return tags
}

// validateArchiveRegion: the log archive and the organization trail live in
// the management region and hold every tier's logs, so that region must be
// one every tier allows (Gov-Federal: us-east-1 only).
func validateArchiveRegion(s Settings, l *validation.List) {
	for _, t := range tiers.All() {
		if !t.AllowsRegion(s.ManagementRegion) {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyManagementRegion), "",
				"%q: the log archive and the organization trail live in this region and hold %s logs, which must stay in %s",
				s.ManagementRegion, t.DisplayName, strings.Join(t.AllowedRegions, ", "))
		}
	}
}

// checkDecommission: every key being decommissioned names a catalog
// customer; a typo would otherwise leave protection in place silently.
func checkDecommission(catalog []customers.Customer, keys []string, l *validation.List) {
	known := map[string]bool{}
	for _, c := range catalog {
		known[c.Key] = true
	}
	for _, k := range keys {
		if k != "" && !known[k] {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyDecommission), "", "%q is not a customer in the catalog; list the keys of customers being removed on purpose", k)
		}
	}
}
