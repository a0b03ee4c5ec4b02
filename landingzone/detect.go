package landingzone

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"

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
		if n := d.PackName(); !tiers.ValidPackName(n) {
			l.Add(subj, "detection.conformancePack", "pack name %q is not one AWS Config accepts (a letter, then letters, digits and hyphens, at most 256)", n)
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
func ConformancePackName(t tiers.Tier) string { return t.Detection.PackName() }

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

// GuardDutyPrefix is where GuardDuty exports findings in the trail bucket.
const GuardDutyPrefix = "guardduty"

// RecordsGlobalTypes is whether a customer's Config recorder records
// global resource types (IAM users, roles, policies): in the account's home
// region, the one region its recorder runs in, so they are recorded once.
func RecordsGlobalTypes(cs CustomerSpec) bool { return cs.Region == AccountHomeRegion(cs) }

// AccountHomeRegion is the region where a customer account records global
// resources: its own region, where all of its resources and its only
// recorder live.
func AccountHomeRegion(cs CustomerSpec) string { return cs.Region }

// newAccountConfig registers AWS Config in a customer's account, through
// its provider, under the customer's key (both layouts).
func newAccountConfig(ctx *pulumi.Context, lz *LandingZone, plan *Plan, cs CustomerSpec, acct *components.CustomerAccount,
	after []pulumi.Resource, custOpts []pulumi.ResourceOption) (*components.AccountConfig, error) {
	ts, _ := plan.Tier(cs.Tier.Key)
	return components.NewAccountConfig(ctx, cs.Customer.Key, &components.AccountConfigArgs{
		IncludeGlobalResourceTypes: RecordsGlobalTypes(cs),
		Bucket:                     plan.Settings.ArchiveBucketName(cs.Tier.ArchiveBoundary),
		Prefix:                     CustomerArchivePrefix(cs),
		PackName:                   ConformancePackName(cs.Tier),
		PackTemplate:               ts.Detection.PackTemplate,
		DeliveryAfter:              after,
		Provider:                   acct.Provider,
	}, append(custOpts, pulumi.Parent(lz))...)
}

// AggregatorRegions are the regions the Security Hub finding aggregator
// links to the home region: every other region a tier allows.
func AggregatorRegions(home string) []string {
	var out []string
	for _, t := range tiers.All() {
		for _, r := range t.AllowedRegions {
			if r != home && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// newSecurityTooling registers GuardDuty, Security Hub's central
// configuration and the Config aggregator in the security tooling account
// (organization scope).
func newSecurityTooling(ctx *pulumi.Context, lz *LandingZone, plan *Plan, mgmt pulumi.ProviderResource) (*components.SecurityTooling, error) {
	s := plan.Settings
	prov, err := aws.NewProvider(ctx, "security", &aws.ProviderArgs{
		Region: pulumi.String(s.ManagementRegion),
		AssumeRole: &aws.ProviderAssumeRoleArgs{
			RoleArn:     pulumi.String("arn:aws:iam::" + s.SecurityAccountID + ":role/" + s.OrgAccessRoleName),
			SessionName: pulumi.String("tierzone-security"),
		},
		AllowedAccountIds: pulumi.StringArray{pulumi.String(s.SecurityAccountID)},
		DefaultTags:       &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{"managed-by": pulumi.String(ManagedBy)}},
	}, pulumi.Parent(lz))
	if err != nil {
		return nil, err
	}
	var all []tiers.Tier
	var policies []components.SecurityHubPolicyArgs
	for _, ts := range plan.Tiers {
		all = append(all, ts.Tier)
		policies = append(policies, components.SecurityHubPolicyArgs{
			Key:          ts.Tier.Key,
			Name:         s.ConfigurationPolicyName(ts.Tier.Key),
			Description:  fmt.Sprintf("Tierzone %s (%s): Security Hub standards of the tier", ts.Tier.DisplayName, ts.Tier.FrameworkList()),
			StandardARNs: ts.Tier.Detection.StandardARNs(s.ManagementRegion),
			TargetID:     lz.TierOUs[ts.Tier.Key].OUID,
		})
	}
	var features []components.GuardDutyFeatureArgs
	var members []components.GuardDutyMemberFeatureArgs
	for _, f := range GuardDutyFeatures(all) {
		auto := "ALL"
		if !f.AllTiers {
			// Off organization-wide; on in each account of the tiers that
			// need it.
			auto = "NONE"
			for _, c := range lz.Customers {
				if c.Spec.Tier.Detection.HasFeature(f.Name) {
					var after []pulumi.Resource
					if c.Account.Account != nil {
						after = append(after, c.Account.Account)
					}
					members = append(members, components.GuardDutyMemberFeatureArgs{Key: c.Spec.Customer.Key, AccountID: c.Account.AccountID,
						Feature: f.Name, After: after, Protect: c.Protected, Retain: s.Protect})
				}
			}
		}
		features = append(features, components.GuardDutyFeatureArgs{Name: f.Name, AutoEnable: auto})
	}
	lz.securityProvider = prov
	dest, err := lz.Archive.Destination(TrailArchiveKey, GuardDutyPrefix)
	if err != nil {
		return nil, err
	}
	return components.NewSecurityTooling(ctx, "security", &components.SecurityToolingArgs{
		SecurityAccountID: s.SecurityAccountID,
		AggregatorRegions: AggregatorRegions(s.ManagementRegion),
		NamePrefix:        s.NamePrefix,
		Policies:          policies,
		Features:          features,
		Members:           members,
		// GuardDuty wants the bucket ARN with the prefix, no trailing slash.
		FindingsDestination: dest.ApplyT(func(d string) string { return strings.TrimSuffix(d, "/") }).(pulumi.StringOutput),
		FindingsKeyARN:      lz.Archive.Keys[TrailArchiveKey].Arn,
		Tags:                map[string]string{"managed-by": ManagedBy},
		Management:          mgmt,
		Provider:            prov,
	}, pulumi.Parent(lz))
}

// TrailLogGroupRetentionDays is how long the organization trail's
// CloudWatch copy is kept: 365 days, the 12 months PCI DSS 10.5.1 wants
// available and AWS Config's cw-loggroup-retention-period-check default;
// the S3 archive keeps the trail for the strictest tier's retention.
const TrailLogGroupRetentionDays = 365

// AccessLogDays is how long the archive buckets' S3 server access logs
// are kept: the longest regulatory floor of any tier, as the evidence of
// who read or changed the logs those floors protect.
func AccessLogDays(plan *Plan) int {
	days := 0
	for _, ts := range plan.Tiers {
		days = max(days, ts.Retention.FloorDays)
	}
	return days
}

// newTrailMonitoring registers the CIS monitoring on the organization
// trail in the management account (organization scope).
func newTrailMonitoring(ctx *pulumi.Context, lz *LandingZone, plan *Plan, account pulumi.StringInput, mgmt pulumi.ProviderResource) (*components.TrailMonitoring, error) {
	s := plan.Settings
	var alarms []components.MetricAlarmSpec
	for _, a := range tiers.CISMonitoring() {
		alarms = append(alarms, components.MetricAlarmSpec{Key: a.Key, Pattern: a.Pattern,
			Description: fmt.Sprintf("CIS AWS Foundations v3.0.0 %s: %s (%s)", a.CIS, a.Title, orNone(a.SecurityHub))})
	}
	return components.NewTrailMonitoring(ctx, "cis-monitoring", &components.TrailMonitoringArgs{
		AccountID:     account,
		Region:        s.ManagementRegion,
		TrailName:     s.TrailName(),
		LogGroupName:  s.TrailLogGroupName(),
		RetentionDays: TrailLogGroupRetentionDays,
		NamePrefix:    s.NamePrefix,
		Namespace:     tiers.CISMetricNamespace,
		Alarms:        alarms,
		Protect:       s.Protect,
		Tags:          map[string]string{"managed-by": ManagedBy},
		Provider:      mgmt,
	}, pulumi.Parent(lz))
}

func orNone(securityHub string) string {
	if securityHub == "" {
		return "no Security Hub control"
	}
	return "Security Hub " + securityHub
}
