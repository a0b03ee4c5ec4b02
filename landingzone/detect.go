package landingzone

import (
	"slices"
	"strings"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// DetectionSpec is a tier's Detection resolved against what AWS offers:
// the standards and conformance pack exist, the pack's template fits the
// API and the quotas.
type DetectionSpec struct {
	Standards []tiers.SecurityHubStandard
	Pack      tiers.ConformancePack
	// PackTemplate is the pack's template body.
	PackTemplate string
	// PackRules is how many Config rules the pack creates in each account.
	PackRules int
}

// CheckDetection validates every tier's Detection data and the CIS
// monitoring list, reporting every problem at once, each naming the tier
// and field. It returns the resolved detection per tier key.
func CheckDetection(all []tiers.Tier) (map[string]DetectionSpec, error) {
	var l validation.List
	out := map[string]DetectionSpec{}
	if len(all) > tiers.MaxConfigurationPolicies {
		l.Add("tiers", "securityHub", "%d tiers need %d Security Hub configuration policies; Security Hub allows %d per organization", len(all), len(all), tiers.MaxConfigurationPolicies)
	}
	for _, t := range all {
		d, subj := t.Detection, validation.Tier(t.Key)
		var spec DetectionSpec
		if len(d.Standards) == 0 {
			l.Add(subj, "detection.standards", "no Security Hub standard; every tier enables at least %s", tiers.FSBP)
		}
		if len(d.Standards) > tiers.MaxStandardsPerPolicy {
			l.Add(subj, "detection.standards", "%d standards; at most %d", len(d.Standards), tiers.MaxStandardsPerPolicy)
		}
		seen := map[string]bool{}
		for _, c := range d.Standards {
			s, ok := tiers.LookupStandard(c.ID)
			switch {
			case !ok:
				l.Add(subj, "detection.standards", "%q is not a Security Hub standard (known: %s)", c.ID, strings.Join(tiers.StandardIDs(), ", "))
			case seen[c.ID]:
				l.Add(subj, "detection.standards", "%q is listed twice", c.ID)
			default:
				spec.Standards = append(spec.Standards, s)
			}
			seen[c.ID] = true
			if c.Source == "" {
				l.Add(subj, "detection.standards", "%q has no source", c.ID)
			}
		}
		if !seen[tiers.FSBP] {
			l.Add(subj, "detection.standards", "must include %s (the baseline every tier's OU enables)", tiers.FSBP)
		}
		pack, ok := tiers.LookupPack(d.ConformancePack)
		if !ok {
			l.Add(subj, "detection.conformancePack", "%q is not a conformance pack (known: %s)", d.ConformancePack, strings.Join(tiers.PackKeys(), ", "))
		} else {
			spec.Pack = pack
			body, err := pack.Template()
			if err != nil {
				l.Add(subj, "detection.conformancePack", "%v", err)
			}
			spec.PackTemplate = body
			spec.PackRules = strings.Count(body, "Type: AWS::Config::ConfigRule")
			if n := len(body); n > tiers.MaxConformancePackTemplateBytes {
				l.Add(subj, "detection.conformancePack", "template %s is %d bytes; PutConformancePack TemplateBody allows %d", pack.Key, n, tiers.MaxConformancePackTemplateBytes)
			}
			if spec.PackRules > tiers.MaxRulesPerConformancePack {
				l.Add(subj, "detection.conformancePack", "%s has %d Config rules; AWS Config allows %d per conformance pack", pack.Key, spec.PackRules, tiers.MaxRulesPerConformancePack)
			}
			if err == nil && spec.PackRules == 0 {
				l.Add(subj, "detection.conformancePack", "%s has no Config rule", pack.Key)
			}
		}
		if d.ConformancePackSource == "" {
			l.Add(subj, "detection.conformancePackSource", "missing")
		}
		for _, f := range d.GuardDutyFeatures {
			if !slices.Contains(tiers.GuardDutyFeatures(), f.Name) {
				l.Add(subj, "detection.guardDutyFeatures", "%q is not a GuardDuty feature (known: %s)", f.Name, strings.Join(tiers.GuardDutyFeatures(), ", "))
			}
			if f.Source == "" {
				l.Add(subj, "detection.guardDutyFeatures", "%q has no source", f.Name)
			}
		}
		out[t.Key] = spec
	}
	alarms := tiers.CISMonitoring()
	if len(alarms) > tiers.MaxMetricFiltersPerLogGroup {
		l.Add("CIS monitoring", "metricFilters", "%d metric filters on the trail's log group; CloudWatch Logs allows %d per log group", len(alarms), tiers.MaxMetricFiltersPerLogGroup)
	}
	keys := map[string]bool{}
	for _, a := range alarms {
		if keys[a.Key] {
			l.Add("CIS monitoring", "metricFilters", "%q is listed twice", a.Key)
		}
		keys[a.Key] = true
		if a.Pattern == "" || a.CIS == "" {
			l.Add("CIS monitoring", "metricFilters", "%q needs a pattern and a CIS recommendation", a.Key)
		}
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// checkSecurityAccount: the security tooling account is an account of its
// own, never a customer's.
func checkSecurityAccount(catalog []customers.Customer, s Settings, l *validation.List) {
	if s.SecurityAccountID == "" {
		return
	}
	for _, c := range catalog {
		if c.ExistingAccountID == s.SecurityAccountID {
			l.Add(validation.Stack(ConfigNamespace+":"+KeySecurityAccountID), "", "%s is customer %q's account; the security tooling account must be an account of its own", s.SecurityAccountID, c.Key)
		}
	}
}

// GuardDutyFeature is one GuardDuty protection plan as the organization
// configuration sets it: auto-enabled for every account when every tier
// needs it, else left off organization-wide and enabled per member account
// of the tiers that need it.
type GuardDutyFeature struct {
	Name string
	// AllTiers: every tier needs it (organization-wide auto-enable ALL).
	AllTiers bool
}

// GuardDutyFeatures is the union of the tiers' features, in the order of
// tiers.GuardDutyFeatures.
func GuardDutyFeatures(all []tiers.Tier) []GuardDutyFeature {
	var out []GuardDutyFeature
	for _, name := range tiers.GuardDutyFeatures() {
		n := 0
		for _, t := range all {
			if t.Detection.HasFeature(name) {
				n++
			}
		}
		if n > 0 {
			out = append(out, GuardDutyFeature{Name: name, AllTiers: n == len(all)})
		}
	}
	return out
}

// ConfigurationPolicyName is a tier's Security Hub configuration policy.
func (s Settings) ConfigurationPolicyName(tier string) string { return s.NamePrefix + "-" + tier }

// ConformancePackName is the conformance pack in a tier's accounts
// (letters, digits and hyphens, starting with a letter, at most 256).
func ConformancePackName(t tiers.Tier) string { return "tierzone-" + t.Detection.ConformancePack }

// TrailLogGroupName is the CloudWatch log group the organization trail
// also delivers to (CIS monitoring).
func (s Settings) TrailLogGroupName() string {
	return LogGroupPrefix + "cloudtrail/" + s.NamePrefix + "-organization-trail"
}

// AccessLogBucketName is the bucket that receives the archive buckets' S3
// server access logs.
func (s Settings) AccessLogBucketName() string { return s.ArchiveBucketName(AccessLogsKey) }

// AccessLogsKey names the access-log bucket among the archive's.
const AccessLogsKey = "access"
