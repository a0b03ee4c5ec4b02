package tiers

import (
	"regexp"
	"slices"
	"strings"
)

// Detection is what a tier turns on to detect and prove, on top of the SCPs
// that prevent: the Security Hub standards of its OU's configuration
// policy, the AWS Config conformance pack in each of its customer
// accounts, and the GuardDuty protection features its accounts need.
type Detection struct {
	// Standards are Security Hub standard ids (SecurityHubStandards keys)
	// enabled on the tier's OU, each with why.
	Standards []StandardChoice
	// ConformancePack is a ConformancePacks key, deployed in every customer
	// account of the tier.
	ConformancePack       string
	ConformancePackSource string
	// GuardDutyFeatures are GuardDuty protection plans (GuardDutyFeatures
	// keys) the tier's accounts need, each with why.
	GuardDutyFeatures []FeatureChoice
}

// StandardChoice is a Security Hub standard a tier enables and its source.
type StandardChoice struct {
	ID     string
	Source string
}

// FeatureChoice is a GuardDuty feature a tier needs and its source.
type FeatureChoice struct {
	Name   string
	Source string
}

// SecurityHubStandard is a Security Hub standard as AWS names it.
type SecurityHubStandard struct {
	ID   string
	Name string
	// ARNSuffix follows "arn:aws:securityhub:<region>::standards/"
	// (DescribeStandards; the Pulumi/Terraform StandardsSubscription docs).
	ARNSuffix string
}

// ARN is the standard's ARN in a region.
func (s SecurityHubStandard) ARN(region string) string {
	return "arn:aws:securityhub:" + region + "::standards/" + s.ARNSuffix
}

// Security Hub standard ids.
const (
	FSBP       = "aws-foundational-security-best-practices"
	PCIDSS401  = "pci-dss-v4.0.1"
	NIST80053  = "nist-800-53-r5"
	CISv300    = "cis-aws-foundations-v3.0.0"
	NIST800171 = "nist-800-171-r2"
)

// SecurityHubStandards are the standards a tier may name
// (reference/aws-limits-guardrails-costs.md, "Security Hub standards ARNs").
func SecurityHubStandards() []SecurityHubStandard {
	return []SecurityHubStandard{
		{FSBP, "AWS Foundational Security Best Practices v1.0.0", "aws-foundational-security-best-practices/v/1.0.0"},
		{PCIDSS401, "PCI DSS v4.0.1", "pci-dss/v/4.0.1"},
		{NIST80053, "NIST SP 800-53 Rev. 5", "nist-800-53/v/5.0.0"},
		{CISv300, "CIS AWS Foundations Benchmark v3.0.0", "cis-aws-foundations-benchmark/v/3.0.0"},
		{NIST800171, "NIST SP 800-171 Rev. 2", "nist-800-171/v/2.0.0"},
	}
}

// LookupStandard returns a Security Hub standard by id.
func LookupStandard(id string) (SecurityHubStandard, bool) {
	i := slices.IndexFunc(SecurityHubStandards(), func(s SecurityHubStandard) bool { return s.ID == id })
	if i < 0 {
		return SecurityHubStandard{}, false
	}
	return SecurityHubStandards()[i], true
}

// StandardIDs lists the known standard ids.
func StandardIDs() []string {
	var out []string
	for _, s := range SecurityHubStandards() {
		out = append(out, s.ID)
	}
	return out
}

// ConformancePack is a Tierzone conformance pack: the AWS Config managed
// rules (PackRules) that check its framework's requirements, one template
// per framework (Template).
type ConformancePack struct {
	Key  string
	Name string
}

// Conformance pack keys.
const (
	PackPCIDSS  = "pci-dss-v4"
	PackHIPAA   = "hipaa-security"
	PackFedRAMP = "fedramp-moderate"
	PackCIS     = "cis-aws-v1.4-level2"
)

// ConformancePacks are the packs a tier may name.
func ConformancePacks() []ConformancePack {
	return []ConformancePack{
		{PackPCIDSS, "PCI DSS v4.0 detective checks"},
		{PackHIPAA, "HIPAA Security Rule detective checks"},
		{PackFedRAMP, "FedRAMP Moderate (NIST SP 800-53 Rev. 5) detective checks"},
		{PackCIS, "CIS AWS Foundations Benchmark v1.4.0 detective checks"},
	}
}

// LookupPack returns a conformance pack by key.
func LookupPack(key string) (ConformancePack, bool) {
	for _, p := range ConformancePacks() {
		if p.Key == key {
			return p, true
		}
	}
	return ConformancePack{}, false
}

// PackKeys lists the known conformance pack keys.
func PackKeys() []string {
	var out []string
	for _, p := range ConformancePacks() {
		out = append(out, p.Key)
	}
	return out
}

// GuardDuty feature names (GuardDuty API DetectorFeature /
// OrgFeature enum, as pulumi-aws OrganizationConfigurationFeature name).
const (
	GDS3DataEvents        = "S3_DATA_EVENTS"
	GDEBSMalware          = "EBS_MALWARE_PROTECTION"
	GDRDSLogin            = "RDS_LOGIN_EVENTS"
	GDRuntime             = "RUNTIME_MONITORING"
	GDLambdaNetwork       = "LAMBDA_NETWORK_LOGS"
	GDEKSAuditLogs        = "EKS_AUDIT_LOGS"
	GDEKSRuntimeMonitorin = "EKS_RUNTIME_MONITORING"
)

// GuardDutyFeatures are the features a tier may name.
func GuardDutyFeatures() []string {
	return []string{GDS3DataEvents, GDEBSMalware, GDRDSLogin, GDRuntime, GDLambdaNetwork, GDEKSAuditLogs, GDEKSRuntimeMonitorin}
}

// Quotas AWS enforces on what Detection turns on, checked before anything
// is registered.
const (
	// MaxConformancePackTemplateBytes: PutConformancePack TemplateBody is
	// 1 to 51,200 bytes (botocore config TemplateBody; AWS Config API reference).
	MaxConformancePackTemplateBytes = 51200
	// MaxRulesPerConformancePack: AWS Config service quotas, "Maximum number
	// of AWS Config rules per conformance pack: 130" (configlimits.html).
	MaxRulesPerConformancePack = 130
	// MaxConformancePacksPerAccount: AWS Config service quotas, 50 per
	// account per region (configlimits.html).
	MaxConformancePacksPerAccount = 50
	// MaxMetricFiltersPerLogGroup: CloudWatch Logs quotas, 100 metric
	// filters per log group (not adjustable).
	MaxMetricFiltersPerLogGroup = 100
	// MaxStandardsPerPolicy is a budget, not an AWS figure: Security Hub
	// publishes about ten standards; a policy naming more than this is
	// almost certainly a data mistake.
	MaxStandardsPerPolicy = 10
	// MaxConfigurationPolicies: Security Hub quotas, 100 configuration
	// policies per organization (securityhub limits page).
	MaxConfigurationPolicies = 100
)

// CISAlarm is one CIS AWS Foundations "Monitoring" recommendation: a
// metric filter on the organization trail's log group and an alarm on it.
type CISAlarm struct {
	// Key names the filter, metric and alarm ("<prefix>-cis-<key>").
	Key string
	// Title is the recommendation's title.
	Title string
	// CIS is the recommendation number in CIS AWS Foundations v3.0.0
	// (section 4, Monitoring; numbered as in v1.4.0).
	CIS string
	// SecurityHub is the Security Hub control id checking it (CloudWatch.N;
	// none for 4.15).
	SecurityHub string
	// Pattern is the CloudWatch Logs filter pattern the benchmark prescribes.
	Pattern string
}

// CISMonitoringSource cites where the patterns come from.
const CISMonitoringSource = "CIS AWS Foundations Benchmark v3.0.0 section 4 (Monitoring) audit procedures; Security Hub controls reference CloudWatch.1-14 remediation"

// CISMonitoring returns the CIS metric filters and alarms the organization
// trail's log group gets (in a stable order).
func CISMonitoring() []CISAlarm {
	return []CISAlarm{
		{"unauthorized-api-calls", "Unauthorized API calls", "4.1", "CloudWatch.2",
			`{(($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && (($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket"))}`},
		{"console-signin-without-mfa", "Management console sign-in without MFA", "4.2", "CloudWatch.3",
			`{($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success")}`},
		{"root-usage", "Usage of the root user", "4.3", "CloudWatch.1",
			`{$.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent"}`},
		{"iam-policy-changes", "IAM policy changes", "4.4", "CloudWatch.4",
			`{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}`},
		{"cloudtrail-changes", "CloudTrail configuration changes", "4.5", "CloudWatch.5",
			`{($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging)}`},
		{"console-auth-failures", "Management console authentication failures", "4.6", "CloudWatch.6",
			`{($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication")}`},
		{"kms-key-disable-or-deletion", "Disabling or scheduled deletion of customer managed keys", "4.7", "CloudWatch.7",
			`{($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion))}`},
		{"s3-bucket-policy-changes", "S3 bucket policy changes", "4.8", "CloudWatch.8",
			`{($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication))}`},
		{"config-changes", "AWS Config configuration changes", "4.9", "CloudWatch.9",
			`{($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder))}`},
		{"security-group-changes", "Security group changes", "4.10", "CloudWatch.10",
			`{($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup)}`},
		{"nacl-changes", "Network ACL changes", "4.11", "CloudWatch.11",
			`{($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation)}`},
		{"network-gateway-changes", "Network gateway changes", "4.12", "CloudWatch.12",
			`{($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway)}`},
		{"route-table-changes", "Route table changes", "4.13", "CloudWatch.13",
			`{($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable))}`},
		{"vpc-changes", "VPC changes", "4.14", "CloudWatch.14",
			`{($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink)}`},
		{"organizations-changes", "AWS Organizations changes", "4.15", "",
			`{($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || ($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit))}`},
	}
}

// CISMetricNamespace is the CloudWatch namespace of the CIS metrics.
const CISMetricNamespace = "Tierzone/CISBenchmark"

// StandardARNs returns the ARNs of the tier's standards in region, in the
// tier's order. Unknown ids are left out (validation reports them).
func (d Detection) StandardARNs(region string) []string {
	var out []string
	for _, c := range d.Standards {
		if s, ok := LookupStandard(c.ID); ok {
			out = append(out, s.ARN(region))
		}
	}
	return out
}

// HasFeature reports whether the tier needs a GuardDuty feature.
func (d Detection) HasFeature(name string) bool {
	return slices.ContainsFunc(d.GuardDutyFeatures, func(f FeatureChoice) bool { return f.Name == name })
}

// conformancePackName: PutConformancePack ConformancePackName, 1-256
// characters, a letter then letters, digits and hyphens (AWS Config API
// reference).
var conformancePackName = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]{0,255}$`)

// PackName is the name of the tier's conformance pack in each customer
// account: "tierzone-<pack key>", dots turned into hyphens (AWS allows none).
func (d Detection) PackName() string {
	return "tierzone-" + strings.ReplaceAll(d.ConformancePack, ".", "-")
}

// ValidPackName reports whether AWS Config accepts name as a conformance
// pack name.
func ValidPackName(name string) bool { return conformancePackName.MatchString(name) }
