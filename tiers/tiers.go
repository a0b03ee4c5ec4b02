// Package tiers defines the four compliance tiers as data: framework, price,
// OU, regions, network rules, log retention and service control policies.
// Every compliance rule the landing zone applies is read from here.
package tiers

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Tier keys.
const (
	Fintech    = "fintech"
	Healthcare = "healthcare"
	GovFederal = "gov-federal"
	Standard   = "standard"
)

// Rule says whether a feature is required, forbidden or left to the customer,
// and what a customer gets when it says nothing.
type Rule struct {
	Required bool
	Default  bool
	Reason   string
}

// Allows reports whether the rule lets a customer choose want.
func (r Rule) Allows(want bool) bool { return want || !r.Required }

// Resolve applies a customer's choice (nil: say nothing) to the rule.
func (r Rule) Resolve(choice *bool) bool {
	if choice == nil {
		return r.Default || r.Required
	}
	return *choice || r.Required
}

// Tier is one compliance tier.
type Tier struct {
	Key         string
	DisplayName string
	// Frameworks the tier is audited against.
	Frameworks []string
	// OUName is the name of the tier's organizational unit.
	OUName string
	// MonthlyPriceUSD is what a customer of the tier pays per month.
	MonthlyPriceUSD int
	// AllowedRegions are the regions customer resources may live in; the
	// first is the default.
	AllowedRegions []string
	NATGateway     Rule
	VPNGateway     Rule
	Retention      Retention
	// Guardrails are the tier's own SCP statements, on top of the baseline.
	Guardrails []Guardrail
	// ArchiveBoundary names the log archive the tier's logs go to; tiers
	// with different boundaries never share an archive bucket.
	ArchiveBoundary string
	// ShieldAdvanced is the seeds' DDoS protection requirement (Gov-Federal).
	ShieldAdvanced bool
	// Segments are the child OUs the tier's customers may be placed in
	// (segments.go); none: every customer sits in the tier OU.
	Segments []Segment
	// Billing is the tier's per-customer budget (billing.go).
	Billing Billing
	// Archive is how the tier's logs are kept in its archive bucket.
	Archive Archive
	// Detection is what detects and proves the tier's controls: Security
	// Hub standards on its OU, its Config conformance pack, GuardDuty
	// features.
	Detection Detection
	// AccountBaseline is what each customer account of the tier is born
	// with (tiers/baseline.go).
	AccountBaseline AccountBaseline
	// Access is the tier's IAM Identity Center access model
	// (tiers/access.go).
	Access Access
	// Hub is the tier's pool and egress on the network hub
	// (tiers/network.go).
	Hub Hub
}

// All returns the tiers in a stable order. Each call returns fresh values.
func All() []Tier {
	ts := tierData()
	baselines := Baselines()
	accesses, segments, hubs := Accesses(), segmentData(), hubData()
	for i := range ts {
		ts[i].Hub = hubs[ts[i].Key]
		ts[i].AccountBaseline = baselines[ts[i].Key]
		ts[i].Access = accesses[ts[i].Key]
		ts[i].Segments = segments[ts[i].Key]
		ts[i].Billing = billingOf(ts[i])
	}
	return ts
}

// tierData is every tier but its account baseline.
func tierData() []Tier {
	return []Tier{
		{
			Key: Fintech, DisplayName: "Fintech", Frameworks: []string{"SOC2", "PCI-DSS"},
			OUName: "Customers-Fintech", MonthlyPriceUSD: 8000,
			AllowedRegions: []string{"us-east-1", "us-east-2", "us-west-2"},
			NATGateway:     Rule{Required: true, Default: true, Reason: "seeds: NAT gateway required for PCI-DSS egress control"},
			VPNGateway:     Rule{Default: false},
			Retention: Retention{
				HotDays: 90, ArchiveDays: years(7), FloorDays: 365,
				FloorSource:   "PCI DSS v4.0.1 Req 10.5.1: audit logs kept 12 months, the last 3 immediately available",
				PromiseSource: "seeds: flow logs to encrypted S3, 7-year retention",
			},
			Guardrails:      []Guardrail{DenyUnencryptedStorage, DenyIAMUserAccessKeys},
			ArchiveBoundary: "commercial",
			Archive: Archive{
				TransitionDays: 90, StorageClass: DeepArchive,
				TransitionSource: "PCI DSS 10.5.1: the last 3 months immediately available",
				ObjectLock:       Compliance, ObjectLockDays: 365,
				ObjectLockSource: "PCI DSS 10.3.2/10.3.4: audit logs protected from modification, for the 12-month floor",
			},
			Detection: Detection{
				Standards: []StandardChoice{
					{FSBP, "every tier: AWS Foundational Security Best Practices"},
					{PCIDSS401, "PCI DSS v4.0.1: Security Hub's PCI DSS standard"},
				},
				ConformancePack:       PackPCIDSS,
				ConformancePackSource: "PCI DSS v4.0: Tierzone's PCI DSS pack, AWS Config managed rules each mapped to its requirement (tiers/packrules.go)",
				GuardDutyFeatures: []FeatureChoice{
					{GDS3DataEvents, "PCI DSS 11.5.1: detect intrusions into cardholder-data stores (S3 Protection)"},
					{GDEBSMalware, "PCI DSS 5.2: anti-malware on systems at risk (Malware Protection for EC2)"},
				},
			},
		},
		{
			Key: Healthcare, DisplayName: "Healthcare", Frameworks: []string{"HIPAA"},
			OUName: "Customers-Healthcare", MonthlyPriceUSD: 15000,
			AllowedRegions: []string{"us-east-1", "us-east-2", "us-west-2"},
			NATGateway:     Rule{Required: true, Default: true, Reason: "seeds: private subnets egress through NAT"},
			VPNGateway:     Rule{Required: true, Default: true, Reason: "seeds: VPN gateway mandatory for Healthcare"},
			Retention: Retention{
				HotDays: 90, ArchiveDays: years(10), FloorDays: years(6),
				FloorSource:   "HIPAA 45 CFR 164.316(b)(2)(i): required documentation kept 6 years",
				PromiseSource: "seeds: flow logs to HIPAA-compliant S3, 10-year retention",
			},
			Guardrails: []Guardrail{DenyUnencryptedStorage},
			// Seeds: "HIPAA-compliant S3". Its own bucket, because S3 Object
			// Lock's default retention is per bucket: shared with Fintech the
			// lock would be Fintech's 365 days, not HIPAA's 6-year floor.
			ArchiveBoundary: "healthcare",
			Archive: Archive{
				TransitionDays: 90, StorageClass: DeepArchive,
				TransitionSource: "seeds: 90 days hot, then cold storage",
				ObjectLock:       Compliance, ObjectLockDays: years(6),
				ObjectLockSource: "HIPAA 164.312(c)(1) integrity and 164.316(b)(2)(i): unalterable for the 6-year floor",
			},
			Detection: Detection{
				Standards: []StandardChoice{
					{FSBP, "every tier: AWS Foundational Security Best Practices"},
					{NIST80053, "HIPAA 164.312 technical safeguards map to NIST SP 800-53 Rev. 5 (HHS HIPAA Security Rule crosswalk, NIST SP 800-66r2)"},
				},
				ConformancePack:       PackHIPAA,
				ConformancePackSource: "HIPAA Security Rule: Tierzone's HIPAA pack, AWS Config managed rules each mapped to its 164.308/164.312 standard (tiers/packrules.go)",
				GuardDutyFeatures: []FeatureChoice{
					{GDS3DataEvents, "HIPAA 164.308(a)(1)(ii)(D): information system activity review on ePHI stores (S3 Protection)"},
					{GDEBSMalware, "HIPAA 164.308(a)(5)(ii)(B): protection from malicious software (Malware Protection for EC2)"},
				},
			},
		},
		{
			Key: GovFederal, DisplayName: "Gov-Federal", Frameworks: []string{"FedRAMP"},
			OUName: "Customers-Government-Federal", MonthlyPriceUSD: 25000,
			// Seeds: "US-East-1 region locked". The seeds also say
			// "government-only S3"; real GovCloud is a separate partition that
			// a commercial organization cannot create accounts in, so the tier
			// stays in commercial us-east-1 with its own archive boundary.
			AllowedRegions: []string{"us-east-1"},
			NATGateway:     Rule{Required: true, Default: true, Reason: "seeds: private subnets egress through NAT"},
			VPNGateway:     Rule{Default: false},
			Retention: Retention{
				HotDays: 90, ArchiveDays: years(10), FloorDays: 913,
				FloorSource:   "FedRAMP Rev5 AU-11 via OMB M-21-31: 12 months active + 18 months cold storage",
				PromiseSource: "seeds: 10-year retention for Gov-Federal (report 10-customer, flow log storage)",
			},
			Guardrails:      []Guardrail{DenyOutsideAllowedRegions},
			ArchiveBoundary: "gov-federal",
			ShieldAdvanced:  true,
			Archive: Archive{
				TransitionDays: 365, StorageClass: DeepArchive,
				TransitionSource: "OMB M-21-31 (FedRAMP AU-11): 12 months in active storage before cold storage",
				ObjectLock:       Compliance, ObjectLockDays: 913,
				ObjectLockSource: "FedRAMP AU-9 protection of audit information, for the 30-month M-21-31 floor",
			},
			Detection: Detection{
				Standards: []StandardChoice{
					{FSBP, "every tier: AWS Foundational Security Best Practices"},
					{NIST80053, "FedRAMP Rev. 5 baselines are NIST SP 800-53 Rev. 5 controls"},
				},
				ConformancePack:       PackFedRAMP,
				ConformancePackSource: "FedRAMP Moderate: Tierzone's FedRAMP pack, AWS Config managed rules each mapped to its NIST SP 800-53 Rev. 5 control (tiers/packrules.go)",
				GuardDutyFeatures: []FeatureChoice{
					{GDS3DataEvents, "NIST SP 800-53 SI-4: system monitoring of federal data stores (S3 Protection)"},
					{GDEBSMalware, "NIST SP 800-53 SI-3: malicious code protection (Malware Protection for EC2)"},
				},
			},
		},
		{
			Key: Standard, DisplayName: "Standard", Frameworks: []string{"CIS"},
			OUName: "Customers-Standard", MonthlyPriceUSD: 2000,
			// Subnets go to zones "<region>a" and "<region>b"; us-west-1 is left
			// out because its accounts see only two of its zones, not always a and b.
			AllowedRegions: []string{"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"},
			NATGateway:     Rule{Default: true, Reason: "seeds: NAT optional for Standard"},
			VPNGateway:     Rule{Default: false},
			Retention: Retention{
				HotDays: 90, ArchiveDays: 365, FloorDays: 365,
				FloorSource:   "CIS sets no period; AWS Config cw-loggroup-retention-period-check defaults to 365 days",
				PromiseSource: "seeds: 'standard retention', taken as 1 year",
			},
			ArchiveBoundary: "commercial",
			Archive: Archive{
				TransitionDays: 90, StorageClass: DeepArchive,
				TransitionSource: "seeds: 90 days hot, then cold storage",
				// CIS asks for no immutable logs; a Standard tier sharing a
				// locked bucket inherits that bucket's lock (see LogArchive).
				ObjectLock:       NoObjectLock,
				ObjectLockSource: "CIS: no log-immutability requirement",
			},
			Detection: Detection{
				Standards: []StandardChoice{
					{FSBP, "every tier: AWS Foundational Security Best Practices"},
					{CISv300, "CIS: Security Hub's CIS AWS Foundations Benchmark v3.0.0"},
				},
				ConformancePack:       PackCIS,
				ConformancePackSource: "CIS: Tierzone's CIS pack, AWS Config managed rules each mapped to its CIS AWS Foundations v1.4.0 recommendation (tiers/packrules.go)",
				// Foundational threat detection only (CloudTrail, VPC flow
				// and DNS logs): CIS asks for no GuardDuty protection plan.
			},
		},
	}
}

// Keys returns the tier keys in the order of All.
func Keys() []string {
	var ks []string
	for _, t := range All() {
		ks = append(ks, t.Key)
	}
	return ks
}

// ByKey returns every tier by its key, for a caller that looks up many
// (Lookup builds the tiers on each call).
func ByKey() map[string]Tier {
	all := All()
	out := make(map[string]Tier, len(all))
	for _, t := range all {
		out[t.Key] = t
	}
	return out
}

// Lookup returns the tier with the given key.
func Lookup(key string) (Tier, error) {
	for _, t := range All() {
		if t.Key == key {
			return t, nil
		}
	}
	return Tier{}, fmt.Errorf("unknown tier %q (tiers: %s)", key, strings.Join(Keys(), ", "))
}

// FrameworkList is the frameworks joined for tags and tables.
func (t Tier) FrameworkList() string { return strings.Join(t.Frameworks, "+") }

// DefaultRegion is the region customer resources go to unless a customer names one.
func (t Tier) DefaultRegion() string { return t.AllowedRegions[0] }

// AllowsRegion reports whether the tier allows region.
func (t Tier) AllowsRegion(region string) bool { return slices.Contains(t.AllowedRegions, region) }

// BaselineSCP is the policy every customer OU gets.
func BaselineSCP(namePrefix string, p PolicyParams) SCP {
	gs := Baseline()
	return SCP{
		Name:        namePrefix + "-baseline",
		Description: "Tierzone baseline guardrails for every customer OU",
		Guardrails:  gs,
		Document:    Document(gs, p),
	}
}

// SCP returns the tier's own policy, and false when the tier adds nothing to
// the baseline.
func (t Tier) SCP(namePrefix string, p PolicyParams) (SCP, bool) {
	if len(t.Guardrails) == 0 {
		return SCP{}, false
	}
	p.AllowedRegions = t.AllowedRegions
	gs := append([]Guardrail(nil), t.Guardrails...)
	return SCP{
		Name:        namePrefix + "-" + t.Key,
		Description: fmt.Sprintf("Tierzone %s guardrails (%s)", t.DisplayName, t.FrameworkList()),
		Guardrails:  gs,
		Document:    Document(gs, p),
	}, true
}

// SCPs returns every policy attached directly to the tier's OU by Tierzone,
// baseline first. AWS also keeps FullAWSAccess attached to every OU.
func (t Tier) SCPs(namePrefix string, p PolicyParams) []SCP {
	out := []SCP{BaselineSCP(namePrefix, p)}
	if s, ok := t.SCP(namePrefix, p); ok {
		out = append(out, s)
	}
	return out
}

// Boundaries returns the distinct archive boundaries, sorted.
func Boundaries() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range All() {
		if !seen[t.ArchiveBoundary] {
			seen[t.ArchiveBoundary] = true
			out = append(out, t.ArchiveBoundary)
		}
	}
	sort.Strings(out)
	return out
}
