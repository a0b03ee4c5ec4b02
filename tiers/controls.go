package tiers

import (
	"fmt"
	"slices"
	"strings"
)

// Control is one control Tierzone puts in place for a customer, with the
// framework requirements it satisfies. The control report (`tierzone plan
// --controls`, the "controls" stack output) lists a customer's controls
// with only its own tier's frameworks.
type Control struct {
	// ID is stable: "flow-logs-all-traffic", "scp/deny-root-user",
	// "securityhub/pci-dss-v4.0.1", "cis-alarm/4.3", ...
	ID    string `json:"id"`
	Title string `json:"title"`
	// Evidence is what Tierzone deploys that implements the control.
	Evidence string `json:"evidence"`
	// Frameworks are requirement ids by framework (Tier.Frameworks names:
	// SOC2, PCI-DSS, HIPAA, FedRAMP, CIS).
	Frameworks map[string][]string `json:"frameworks"`
	// SecurityHub are the Security Hub control ids that check it.
	SecurityHub []string `json:"securityHub,omitempty"`
	// Source is where the control and its mapping come from.
	Source string `json:"source"`
}

// MappingSource qualifies Tierzone's own mapping of a control to framework
// requirement ids, where no AWS or framework publication gives it.
const MappingSource = "Tierzone's mapping of the requirement texts (PCI DSS v4.0.1, 45 CFR 164, NIST SP 800-53 r5 for FedRAMP, CIS v3.0.0, SOC 2 TSC); confirm with your assessor"

// securityHubSource cites the Security Hub controls reference, which maps
// each control to CIS, NIST 800-53 and PCI DSS requirements.
const securityHubSource = "AWS Security Hub controls reference"

func ids(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}

// fw builds a framework map: SOC2, PCI-DSS, HIPAA, FedRAMP (NIST SP 800-53
// Rev. 5 ids), CIS (v3.0.0 recommendation numbers); "" leaves one out.
func fw(soc2, pci, hipaa, fedramp, cis string) map[string][]string {
	out := map[string][]string{}
	for k, v := range map[string]string{"SOC2": soc2, "PCI-DSS": pci, "HIPAA": hipaa, "FedRAMP": fedramp, "CIS": cis} {
		if l := ids(v); l != nil {
			out[k] = l
		}
	}
	return out
}

// guardrailControl is the mapping of each SCP guardrail.
func guardrailControl(g Guardrail) (title string, frameworks map[string][]string, securityHub []string) {
	switch g {
	case DenyLeaveOrganization:
		return "Member accounts cannot leave the organization (and its guardrails)", fw("CC6.1", "", "164.308(a)(1)(ii)(B)", "CM-5, AC-6", ""), nil
	case DenyRootUser:
		return "The root user cannot act (centralized root access only)", fw("CC6.1", "8.2.2", "164.312(a)(1)", "AC-6(9), AC-2", "1.7"), nil
	case ProtectSecurityServices:
		return "CloudTrail, AWS Config, GuardDuty and Security Hub cannot be stopped or deleted", fw("CC7.2", "10.3.2", "164.312(b)", "AU-9, SI-4", "3.1, 3.3"), nil
	case ProtectFlowLogs:
		return "VPC flow logs cannot be deleted", fw("CC7.2", "10.3.2", "164.312(b)", "AU-9", "3.7"), nil
	case ProtectPlatformLogGroups:
		return "The platform's log groups cannot be deleted, re-keyed or shortened", fw("CC7.2", "10.3.2, 10.5.1", "164.312(b)", "AU-9, AU-11", ""), nil
	case ProtectS3AccountPublicBlock:
		return "The account's S3 public access block cannot be changed", fw("CC6.1", "1.4.1", "164.312(a)(1)", "AC-3, AC-21", "2.1.4"), []string{"S3.1"}
	case DenyUnencryptedStorage:
		return "Unencrypted S3 objects, EBS volumes, RDS and EFS storage are denied", fw("CC6.1", "3.5.1", "164.312(a)(2)(iv)", "SC-28, SC-28(1)", "2.2.1"), []string{"EC2.7"}
	case DenyIAMUserAccessKeys:
		return "IAM users cannot get long-term access keys", fw("CC6.1", "8.3.1, 8.6.3", "", "IA-2, IA-5", "1.14"), nil
	case DenyOutsideAllowedRegions:
		return "Nothing can be created outside the tier's regions (global services exempt)", fw("", "", "", "SA-9(5), AC-4", ""), nil
	}
	return string(g), map[string][]string{}, nil
}

// Controls returns every control Tierzone puts in place for a customer of
// the tier, with every framework's requirement ids; For narrows them to a
// customer's frameworks. retention is the tier's effective retention.
func (t Tier) Controls(retention Retention) []Control {
	var out []Control
	add := func(c Control) { out = append(out, c) }
	add(Control{ID: "flow-logs-all-traffic", Title: "VPC flow logs of ALL traffic, to CloudWatch Logs and the S3 archive",
		Evidence:   "two aws:ec2/flowLog per VPC (trafficType ALL): the customer's KMS log group and the tier's archive bucket",
		Frameworks: fw("CC7.2", "10.2.1", "164.312(b)", "AU-2, AU-3, AU-12, SI-4", "3.7"), SecurityHub: []string{"EC2.6"},
		Source: securityHubSource + " (EC2.6: CIS v3.0.0 3.7, NIST AU-2/AU-3/AU-12/SI-4); " + MappingSource})
	add(Control{ID: "log-retention-floor", Title: fmt.Sprintf("Logs kept %d days in the archive (floor %d), %d days hot", retention.ArchiveDays, retention.FloorDays, retention.HotDays),
		Evidence:   "archive bucket lifecycle expiration per tier prefix; CloudWatch log group retentionInDays; validated against the floor before anything is registered",
		Frameworks: fw("CC7.2", "10.5.1", "164.316(b)(2)(i)", "AU-11", ""), SecurityHub: []string{"CloudWatch.16"},
		Source: retention.FloorSource + "; " + retention.PromiseSource})
	if t.Archive.ObjectLock != NoObjectLock {
		add(Control{ID: "archive-object-lock", Title: fmt.Sprintf("Archived logs are immutable for %d days (Object Lock %s)", t.Archive.ObjectLockDays, t.Archive.ObjectLock),
			Evidence:   "aws:s3/bucketObjectLockConfigurationV2 on the tier's archive bucket",
			Frameworks: fw("CC7.2", "10.3.2, 10.3.4", "164.312(c)(1)", "AU-9", ""),
			Source:     t.Archive.ObjectLockSource})
	}
	add(Control{ID: "kms-at-rest", Title: "Logs encrypted at rest with rotating customer-managed KMS keys",
		Evidence:   "SSE-KMS on every archive bucket with its own key; KMS on every log group, the trail and the alarm topic; key rotation on",
		Frameworks: fw("CC6.1", "3.5.1, 10.3.2", "164.312(a)(2)(iv)", "SC-12, SC-13, SC-28, SC-28(1)", "3.5, 3.6"), SecurityHub: []string{"S3.17", "CloudTrail.2", "KMS.4"},
		Source: securityHubSource + "; " + MappingSource})
	add(Control{ID: "tls-only-buckets", Title: "Archive buckets refuse requests without TLS",
		Evidence:   "DenyInsecureTransport (aws:SecureTransport false) in every archive and access-log bucket policy",
		Frameworks: fw("CC6.7", "4.2.1", "164.312(e)(1)", "SC-8, SC-8(1)", "2.1.1"), SecurityHub: []string{"S3.5"},
		Source: securityHubSource + " (S3.5); " + MappingSource})
	add(Control{ID: "s3-public-access-blocked", Title: "Archive buckets block all public access",
		Evidence:   "all four BucketPublicAccessBlock flags on every bucket",
		Frameworks: fw("CC6.1", "1.4.1", "164.312(a)(1)", "AC-3, AC-21, SC-7", "2.1.4"), SecurityHub: []string{"S3.8"},
		Source: securityHubSource + " (S3.8: CIS v3.0.0 2.1.4); " + MappingSource})
	add(Control{ID: "default-security-group-closed", Title: "The VPC's default security group allows no traffic",
		Evidence:   "aws:ec2/defaultSecurityGroup without rules",
		Frameworks: fw("CC6.6", "1.3.1", "164.312(e)(1)", "AC-4, SC-7", "5.4"), SecurityHub: []string{"EC2.2"},
		Source: securityHubSource + " (EC2.2: CIS v3.0.0 5.4)"})
	add(Control{ID: "organization-trail", Title: "Organization trail: every account, every region, log-file validation, to the archive and CloudWatch Logs",
		Evidence:   "aws:cloudtrail/trail (isOrganizationTrail, isMultiRegionTrail, enableLogFileValidation, KMS, cloudWatchLogsGroupArn)",
		Frameworks: fw("CC7.2", "10.2.1, 10.3.4", "164.312(b)", "AU-2, AU-9, AU-12", "3.1, 3.2"), SecurityHub: []string{"CloudTrail.1", "CloudTrail.4", "CloudTrail.5"},
		Source: securityHubSource + " (CloudTrail.1: CIS v3.0.0 3.1; CloudTrail.4: 3.2)"})
	add(Control{ID: "s3-access-logging", Title: "Server access logging on every archive bucket, into a locked-down bucket",
		Evidence:   "aws:s3/bucketLoggingV2 on each archive bucket; the access-log bucket is versioned, TLS-only, public access blocked, writable only by S3 logging",
		Frameworks: fw("CC7.2", "10.2.1", "164.312(b)", "AU-2, AU-12", "3.4"), SecurityHub: []string{"S3.9"},
		Source: securityHubSource + " (S3.9); CIS v3.0.0 3.4 (access logging on the CloudTrail bucket)"})

	out = append(out, t.baselineControls()...)

	gs := append(Baseline(), t.Guardrails...)
	for _, g := range gs {
		title, frameworks, sh := guardrailControl(g)
		where := "baseline SCP on the tier OU"
		if !slices.Contains(Baseline(), g) {
			where = "tier SCP on the tier OU"
		}
		add(Control{ID: "scp/" + string(g), Title: title, Evidence: where + " (statement " + string(g) + ")",
			Frameworks: frameworks, SecurityHub: sh, Source: "tiers/guardrails.go (AWS and LZA example SCPs); " + MappingSource})
	}

	add(Control{ID: "guardduty", Title: "GuardDuty threat detection in the account (auto-enabled by the organization)",
		Evidence:   "GuardDuty delegated administrator, organization configuration autoEnableOrganizationMembers ALL",
		Frameworks: fw("CC7.2", "11.5.1", "164.308(a)(1)(ii)(D)", "SI-4, SI-4(1)", ""), SecurityHub: []string{"GuardDuty.1"},
		Source: securityHubSource + " (GuardDuty.1); " + MappingSource})
	for _, f := range t.Detection.GuardDutyFeatures {
		c := Control{ID: "guardduty/" + strings.ToLower(f.Name), Evidence: "GuardDuty member feature " + f.Name + " ENABLED for the account", Source: f.Source}
		switch f.Name {
		case GDS3DataEvents:
			c.Title, c.Frameworks = "GuardDuty S3 Protection", fw("CC7.2", "11.5.1", "164.308(a)(1)(ii)(D)", "SI-4", "")
		case GDEBSMalware:
			c.Title, c.Frameworks = "GuardDuty Malware Protection for EC2", fw("CC6.8", "5.2.1", "164.308(a)(5)(ii)(B)", "SI-3", "")
		default:
			c.Title, c.Frameworks = "GuardDuty "+f.Name, fw("CC7.2", "", "", "SI-4", "")
		}
		add(c)
	}
	for _, sc := range t.Detection.Standards {
		s, _ := LookupStandard(sc.ID)
		add(Control{ID: "securityhub/" + sc.ID, Title: "Security Hub standard: " + s.Name,
			Evidence:   "Security Hub configuration policy of the tier, associated with the tier OU (central configuration)",
			Frameworks: fw("CC4.1", "11.3.1", "164.308(a)(8)", "CA-7, RA-5", "4.16"), Source: sc.Source})
	}
	if p, ok := LookupPack(t.Detection.ConformancePack); ok {
		add(Control{ID: "config/" + p.Key, Title: "AWS Config recording every resource type, with the conformance pack " + p.Name,
			Evidence:   "aws:cfg/recorder (allSupported), delivery channel to the archive, recorder on, aws:cfg/conformancePack in the account",
			Frameworks: fw("CC7.1", "2.2.1, 11.5.2", "164.308(a)(8)", "CM-2, CM-8, CA-7", "3.3"), SecurityHub: []string{"Config.1"},
			Source: t.Detection.ConformancePackSource})
	}
	for _, a := range CISMonitoring() {
		var sh []string
		if a.SecurityHub != "" {
			sh = []string{a.SecurityHub}
		}
		add(Control{ID: "cis-alarm/" + a.CIS, Title: "Alarm: " + a.Title,
			Evidence:   "metric filter on the organization trail's log group and an alarm to the encrypted SNS topic",
			Frameworks: fw("CC7.2", "10.4.1", "164.308(a)(1)(ii)(D)", "AU-6, SI-4", a.CIS), SecurityHub: sh, Source: CISMonitoringSource})
	}
	return out
}

// For keeps only the requirement ids of frameworks; a framework with no
// id for the control is left out.
func (c Control) For(frameworks []string) Control {
	out := c
	out.Frameworks = map[string][]string{}
	for _, f := range frameworks {
		if l, ok := c.Frameworks[f]; ok {
			out.Frameworks[f] = slices.Clone(l)
		}
	}
	return out
}

// baselineControls are the account baseline's controls (tiers/baseline.go).
func (t Tier) baselineControls() []Control {
	b := t.Baseline()
	p, r := b.Password, b.Backup
	age := "passwords do not expire"
	if p.MaxAgeDays > 0 {
		age = fmt.Sprintf("changed every %d days", p.MaxAgeDays)
	}
	backup := Control{ID: "backup-plan", Title: fmt.Sprintf("Resources tagged %s=%s are backed up %s and kept %d days", BackupTagKey, BackupTagValue, r.Frequency, r.RetentionDays),
		Evidence:   "the tier's Organizations backup policy on its OU; in each account a backup vault under its own rotating KMS key and the role AWS Backup assumes",
		Frameworks: fw("A1.2, A1.3", "12.10.1", "164.308(a)(7)(ii)(A), 164.308(a)(7)(ii)(B)", "CP-9, CP-10", ""), SecurityHub: []string{"Backup.1"},
		Source: r.Source + "; " + securityHubSource + " (Backup.1: recovery points encrypted)"}
	if r.VaultLock != "" {
		backup.Title += fmt.Sprintf(", immutable in a vault locked in %s mode", r.VaultLock)
		backup.Evidence += fmt.Sprintf("; aws:backup/vaultLockConfiguration (%s, minimum %d days, %d-day grace period)", r.VaultLock, r.RetentionDays, VaultLockGraceDays)
		backup.Frameworks = fw("A1.2, A1.3", "12.10.1, 10.5.1", "164.308(a)(7)(ii)(A), 164.308(a)(7)(ii)(B), 164.312(c)(1)", "CP-9, CP-9(8), CP-10", "")
	}
	return []Control{
		{ID: "ebs-default-encryption", Title: "New EBS volumes and snapshot copies are encrypted, under the account's own rotating KMS key",
			Evidence:   "aws:ebs/encryptionByDefault and aws:ebs/defaultKmsKey with the account's aws:kms/key (rotation on)",
			Frameworks: fw("CC6.1", "3.5.1", "164.312(a)(2)(iv)", "SC-28, SC-28(1)", "2.2.1"), SecurityHub: []string{"EC2.7"},
			Source: securityHubSource + " (EC2.7: CIS v3.0.0 2.2.1, NIST SC-28)"},
		{ID: "s3-account-public-access-block", Title: "No bucket of the account can be made public (account-level public access block, all four settings)",
			Evidence:   "aws:s3/accountPublicAccessBlock in the account; the baseline SCP stops anyone changing it",
			Frameworks: fw("CC6.1", "1.4.1", "164.312(a)(1)", "AC-3, AC-21, SC-7", "2.1.4"), SecurityHub: []string{"S3.1"},
			Source: securityHubSource + " (S3.1: CIS v3.0.0 2.1.4)"},
		{ID: "iam-password-policy", Title: fmt.Sprintf("IAM password policy: at least %d characters of every class, the last %d not reused, %s", p.MinimumLength, p.ReusePrevention, age),
			Evidence:   "aws:iam/accountPasswordPolicy in the account",
			Frameworks: fw("CC6.1", "8.3.6, 8.3.7, 8.3.9", "164.308(a)(5)(ii)(D)", "IA-5, IA-5(1)", "1.8, 1.9"), SecurityHub: []string{"IAM.7", "IAM.15", "IAM.16"},
			Source: p.Source + "; " + securityHubSource + " (IAM.15: CIS 1.8, IAM.16: CIS 1.9)"},
		{ID: "access-analyzer", Title: "IAM Access Analyzer reports what the account shares outside itself and outside the organization",
			Evidence:   "aws:accessanalyzer/analyzer of type ACCOUNT in the account; one of type ORGANIZATION in the security tooling account (delegated administrator)",
			Frameworks: fw("CC6.1, CC6.3", "7.2.1", "164.308(a)(4)(ii)(B)", "AC-6, AC-3, CA-7", "1.20"), SecurityHub: []string{"IAM.28"},
			Source: securityHubSource + " (IAM.28: CIS v3.0.0 1.20); " + MappingSource},
		backup,
		{ID: "tag-policy", Title: "The customer, tier and framework tags keep one spelling, and tier and framework only this tier's values",
			Evidence:   "the tier's Organizations tag policy on its OU (values enforced on EC2 resources, the VPC's among them)",
			Frameworks: fw("CC2.1", "12.5.1", "164.310(d)(1)", "CM-8", ""),
			Source:     "AWS Organizations tag policies (enforced_for); " + MappingSource},
	}
}
