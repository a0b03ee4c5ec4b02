package tiers

import "sort"

// Guardrail names one preventive control. Tiers list guardrails as data; the
// statements behind each are rendered here, from the published AWS and LZA
// examples (see shared/reference/aws-limits-guardrails-costs.md section 2).
type Guardrail string

const (
	// Baseline guardrails, attached to every customer OU.
	DenyLeaveOrganization       Guardrail = "deny-leave-organization"
	DenyRootUser                Guardrail = "deny-root-user"
	ProtectSecurityServices     Guardrail = "protect-security-services"
	ProtectFlowLogs             Guardrail = "protect-flow-logs"
	ProtectPlatformLogGroups    Guardrail = "protect-platform-log-groups"
	ProtectS3AccountPublicBlock Guardrail = "protect-s3-account-public-access-block"

	// Tier guardrails.
	DenyUnencryptedStorage    Guardrail = "deny-unencrypted-storage"
	DenyIAMUserAccessKeys     Guardrail = "deny-iam-user-access-keys"
	DenyOutsideAllowedRegions Guardrail = "deny-outside-allowed-regions"
)

// Baseline is the guardrail set every customer OU gets.
func Baseline() []Guardrail {
	return []Guardrail{
		DenyLeaveOrganization,
		DenyRootUser,
		ProtectSecurityServices,
		ProtectFlowLogs,
		ProtectPlatformLogGroups,
		ProtectS3AccountPublicBlock,
	}
}

// PolicyParams are the deployment facts a guardrail needs.
type PolicyParams struct {
	// PlatformRoleName is the Organizations access role Tierzone assumes in
	// each customer account; it is exempt where a guardrail would otherwise
	// lock the platform out of managing the VPC and its logs.
	PlatformRoleName string
	// LogGroupPrefix is the prefix of the log groups the platform owns.
	LogGroupPrefix string
	// AllowedRegions is the tier's region allow-list.
	AllowedRegions []string
}

func (p PolicyParams) platformExempt() map[string]map[string][]string {
	return map[string]map[string][]string{
		"ArnNotLike": {"aws:PrincipalARN": {"arn:aws:iam::*:role/" + p.PlatformRoleName}},
	}
}

// GlobalServiceActions returns the NotAction list of the region guardrail:
// the actions AWS exempts in its region-deny example SCP
// (aws-samples/service-control-policy-examples,
// Region-controls/Deny-access-to-AWS-based-on-the-requested-AWS-region.json,
// mirrored in the Organizations user guide "Example SCPs"): global services
// whose endpoints live in us-east-1 or have no region.
func GlobalServiceActions() []string {
	return []string{
		"a4b:*", "acm:*", "aws-marketplace-management:*", "aws-marketplace:*", "aws-portal:*",
		"budgets:*", "ce:*", "chime:*", "cloudfront:*", "config:*", "cur:*", "directconnect:*",
		"ec2:DescribeRegions", "ec2:DescribeTransitGateways", "ec2:DescribeVpnGateways",
		"fms:*", "globalaccelerator:*", "health:*", "iam:*", "importexport:*", "kms:*",
		"mobileanalytics:*", "networkmanager:*", "organizations:*", "pricing:*",
		"route53:*", "route53domains:*", "route53-recovery-cluster:*",
		"route53-recovery-control-config:*", "route53-recovery-readiness:*",
		"s3:GetAccountPublic*", "s3:ListAllMyBuckets", "s3:ListMultiRegionAccessPoints",
		"s3:PutAccountPublic*", "shield:*", "sts:*", "support:*", "trustedadvisor:*",
		"waf-regional:*", "waf:*", "wafv2:*", "wellarchitected:*",
	}
}

// Statements renders the guardrail's policy statements.
func (g Guardrail) Statements(p PolicyParams) []Statement {
	all := []string{"*"}
	switch g {
	case DenyLeaveOrganization:
		// aws-samples Privileged-access-controls/Deny-member-accounts-from-leaving-your-AWS-organization.json
		return []Statement{{Sid: "DenyLeaveOrganization", Effect: "Deny", Action: []string{"organizations:LeaveOrganization"}, Resource: all}}
	case DenyRootUser:
		// aws-samples Prevent-root-credentials-management-in-member-accounts: deny the
		// root user everything unless it is a centralized-root-access session.
		return []Statement{{Sid: "DenyRootUser", Effect: "Deny", Action: all, Resource: all,
			Condition: map[string]map[string][]string{
				"ArnLike": {"aws:PrincipalArn": {"arn:aws:iam::*:root"}},
				"Null":    {"aws:AssumedRoot": {"true"}},
			}}}
	case ProtectSecurityServices:
		// LZA guardrails-2.json PreventCloudTrailModification and GDSecHubServicesStatement,
		// plus the aws-samples Config recorder protection. No exemption: Tierzone
		// manages none of these from inside customer accounts (the organization trail
		// lives in the management account, which SCPs never affect).
		return []Statement{{Sid: "ProtectSecurityServices", Effect: "Deny", Resource: all, Action: []string{
			"cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors",
			"cloudtrail:StopLogging", "cloudtrail:UpdateTrail",
			"config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel",
			"config:DeleteRetentionConfiguration", "config:StopConfigurationRecorder",
			"guardduty:DeleteDetector", "guardduty:DeleteMembers", "guardduty:Disassociate*",
			"guardduty:StopMonitoringMembers", "guardduty:UpdateDetector",
			"securityhub:BatchDisableStandards", "securityhub:DeleteMembers",
			"securityhub:DisableSecurityHub", "securityhub:Disassociate*",
		}}}
	case ProtectFlowLogs:
		// aws-samples Protect-cloud-platform-resource/Deny-users-from-deleting-Amazon-VPC-flow-logs.json
		return []Statement{{Sid: "ProtectFlowLogs", Effect: "Deny", Action: []string{"ec2:DeleteFlowLogs"}, Resource: all, Condition: p.platformExempt()}}
	case ProtectPlatformLogGroups:
		// LZA PreventCloudWatchLogsModification: no deleting the platform's log
		// groups, changing their retention (shortening it) or removing their key.
		return []Statement{{Sid: "ProtectPlatformLogGroups", Effect: "Deny",
			Action:    []string{"logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:DisassociateKmsKey", "logs:PutRetentionPolicy"},
			Resource:  []string{"arn:aws:logs:*:*:log-group:" + p.LogGroupPrefix + "*"},
			Condition: p.platformExempt()}}
	case ProtectS3AccountPublicBlock:
		// aws-samples Deny-users-from-modifying-S3-Block-Public-Access.json. The
		// DeleteAccountPublicAccessBlock API is authorized by s3:PutAccountPublicAccessBlock.
		return []Statement{{Sid: "ProtectS3AccountPublicAccessBlock", Effect: "Deny", Action: []string{"s3:PutAccountPublicAccessBlock"}, Resource: all, Condition: p.platformExempt()}}
	case DenyUnencryptedStorage:
		return []Statement{
			// S3 has encrypted every new object since January 2023, so no put is
			// unencrypted; what a tenant can still do is ask for the weaker
			// SSE-S3 (AES256) explicitly. The aws-samples statement
			// (Prevent-Amazon-S3-unencrypted-object-uploads.json, a Null check on
			// the header) would also deny UploadPart and CompleteMultipartUpload,
			// which are authorized as s3:PutObject but carry no encryption header,
			// and every client relying on bucket default encryption. This one
			// denies only a put that names the header (Null false) with a value
			// other than SSE-KMS; a negated operator alone, or IfExists, would be
			// true for an absent header and deny those requests too.
			{Sid: "DenyNonKMSS3Put", Effect: "Deny", Action: []string{"s3:PutObject"}, Resource: all,
				Condition: map[string]map[string][]string{
					"Null":            {"s3:x-amz-server-side-encryption": {"false"}},
					"StringNotEquals": {"s3:x-amz-server-side-encryption": {"aws:kms", "aws:kms:dsse"}},
				}},
			{Sid: "DenyUnencryptedEBS", Effect: "Deny", Action: []string{"ec2:CreateVolume", "ec2:RunInstances"},
				Resource:  []string{"arn:aws:ec2:*:*:volume/*"},
				Condition: map[string]map[string][]string{"Bool": {"ec2:Encrypted": {"false"}}}},
			{Sid: "DenyDisableEBSEncryptionByDefault", Effect: "Deny", Action: []string{"ec2:DisableEbsEncryptionByDefault"}, Resource: all},
			{Sid: "DenyUnencryptedRDS", Effect: "Deny", Action: []string{"rds:CreateDBCluster", "rds:CreateDBInstance"}, Resource: all,
				Condition: map[string]map[string][]string{"Bool": {"rds:StorageEncrypted": {"false"}}}},
			{Sid: "DenyUnencryptedEFS", Effect: "Deny", Action: []string{"elasticfilesystem:CreateFileSystem"}, Resource: all,
				Condition: map[string]map[string][]string{"Bool": {"elasticfilesystem:Encrypted": {"false"}}}},
		}
	case DenyIAMUserAccessKeys:
		// aws-samples Deny-critical-IAM-user-actions.json (minimal form): long-lived
		// IAM user keys are what PCI DSS 8.3/8.6 auditors flag first.
		return []Statement{{Sid: "DenyIAMUserAccessKeys", Effect: "Deny", Action: []string{"iam:CreateAccessKey"}, Resource: all}}
	case DenyOutsideAllowedRegions:
		regions := append([]string(nil), p.AllowedRegions...)
		sort.Strings(regions)
		return []Statement{{Sid: "DenyOutsideAllowedRegions", Effect: "Deny", NotAction: GlobalServiceActions(), Resource: all,
			Condition: map[string]map[string][]string{"StringNotEquals": {"aws:RequestedRegion": regions}}}}
	}
	return nil
}

// Document renders a policy document from guardrails.
func Document(gs []Guardrail, p PolicyParams) PolicyDocument {
	d := PolicyDocument{Version: PolicyVersion}
	for _, g := range gs {
		d.Statement = append(d.Statement, g.Statements(p)...)
	}
	return d
}
