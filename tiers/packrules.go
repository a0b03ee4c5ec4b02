package tiers

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// PackRule is one AWS Config managed rule and the requirement of each
// framework it checks; a conformance pack holds the rules that map to its
// framework. The identifiers are AWS Config's managed-rule source
// identifiers; the mapping is Tierzone's, from the requirement texts
// (PackMappingSource).
type PackRule struct {
	// Identifier is the managed rule's SourceIdentifier.
	Identifier string
	// Name is the rule's name in the pack.
	Name string
	// Params are the rule's InputParameters.
	Params map[string]string
	// Controls are the requirement ids the rule checks, by conformance
	// pack key; a pack without an entry leaves the rule out.
	Controls map[string]string
}

// PackRulesSource and PackMappingSource cite the rule identifiers and the
// mapping of each rule to its frameworks' requirements.
const (
	PackRulesSource   = "AWS Config Developer Guide, List of AWS Config Managed Rules (source identifiers and parameters)"
	PackMappingSource = "Tierzone's mapping to PCI DSS v4.0 requirements, HIPAA 45 CFR 164.308/164.312, NIST SP 800-53 Rev. 5 (the FedRAMP Moderate baseline) and CIS AWS Foundations Benchmark v1.4.0 recommendations"
)

// PackRules lists every managed rule a Tierzone conformance pack may hold,
// in the order the templates list them. Rules that would flag what
// Tierzone itself deploys are left out (log-group retention: the hot tier
// is short by design and the archive keeps the floor).
func PackRules() []PackRule {
	r := func(id, name string, pci, hipaa, nist, cis string, params ...string) PackRule {
		c := map[string]string{}
		for k, v := range map[string]string{PackPCIDSS: pci, PackHIPAA: hipaa, PackFedRAMP: nist, PackCIS: cis} {
			if v != "" {
				c[k] = v
			}
		}
		var p map[string]string
		for i := 0; i+1 < len(params); i += 2 {
			if p == nil {
				p = map[string]string{}
			}
			p[params[i]] = params[i+1]
		}
		return PackRule{Identifier: id, Name: name, Params: p, Controls: c}
	}
	return []PackRule{
		// Logging and monitoring.
		r("CLOUD_TRAIL_ENABLED", "cloudtrail-enabled", "PCI DSS 10.2.1", "HIPAA 164.312(b)", "NIST 800-53 AU-2, AU-12", "CIS 3.1"),
		r("MULTI_REGION_CLOUD_TRAIL_ENABLED", "multi-region-cloudtrail-enabled", "PCI DSS 10.2.1", "HIPAA 164.312(b)", "NIST 800-53 AU-12", "CIS 3.1"),
		r("CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", "cloud-trail-log-file-validation-enabled", "PCI DSS 10.3.4", "HIPAA 164.312(c)(1)", "NIST 800-53 AU-9", "CIS 3.2"),
		r("CLOUD_TRAIL_ENCRYPTION_ENABLED", "cloud-trail-encryption-enabled", "PCI DSS 10.3.2", "HIPAA 164.312(a)(2)(iv)", "NIST 800-53 AU-9, SC-28", "CIS 3.7"),
		r("CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED", "cloud-trail-cloud-watch-logs-enabled", "PCI DSS 10.4.1", "HIPAA 164.312(b)", "NIST 800-53 AU-6, SI-4", "CIS 3.4"),
		r("VPC_FLOW_LOGS_ENABLED", "vpc-flow-logs-enabled", "PCI DSS 10.2.1", "HIPAA 164.312(b)", "NIST 800-53 AU-12, SI-4", "CIS 3.9", "trafficType", "ALL"),
		r("S3_BUCKET_LOGGING_ENABLED", "s3-bucket-logging-enabled", "PCI DSS 10.2.1", "HIPAA 164.312(b)", "NIST 800-53 AU-2", "CIS 3.6"),
		r("GUARDDUTY_ENABLED_CENTRALIZED", "guardduty-enabled-centralized", "PCI DSS 11.5.1", "HIPAA 164.308(a)(1)(ii)(D)", "NIST 800-53 SI-4", ""),
		r("SECURITYHUB_ENABLED", "securityhub-enabled", "", "HIPAA 164.308(a)(1)(ii)(D)", "NIST 800-53 CA-7, SI-4", ""),
		// Encryption at rest and in transit.
		r("CLOUDWATCH_LOG_GROUP_ENCRYPTED", "cloudwatch-log-group-encrypted", "PCI DSS 3.5.1", "HIPAA 164.312(a)(2)(iv)", "NIST 800-53 SC-28", ""),
		r("S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", "s3-bucket-server-side-encryption-enabled", "PCI DSS 3.5.1", "HIPAA 164.312(a)(2)(iv)", "NIST 800-53 SC-28", "CIS 2.1.1"),
		r("S3_BUCKET_SSL_REQUESTS_ONLY", "s3-bucket-ssl-requests-only", "PCI DSS 4.2.1", "HIPAA 164.312(e)(1)", "NIST 800-53 SC-8", "CIS 2.1.2"),
		r("CMK_BACKING_KEY_ROTATION_ENABLED", "cmk-backing-key-rotation-enabled", "PCI DSS 3.7.4", "HIPAA 164.312(a)(2)(iv)", "NIST 800-53 SC-12", "CIS 3.8"),
		r("EC2_EBS_ENCRYPTION_BY_DEFAULT", "ec2-ebs-encryption-by-default", "PCI DSS 3.5.1", "HIPAA 164.312(a)(2)(iv)", "NIST 800-53 SC-28", "CIS 2.2.1"),
		r("ENCRYPTED_VOLUMES", "encrypted-volumes", "PCI DSS 3.5.1", "HIPAA 164.312(a)(2)(iv)", "NIST 800-53 SC-28", "CIS 2.2.1"),
		r("RDS_STORAGE_ENCRYPTED", "rds-storage-encrypted", "PCI DSS 3.5.1", "HIPAA 164.312(a)(2)(iv)", "NIST 800-53 SC-28", "CIS 2.3.1"),
		r("SNS_ENCRYPTED_KMS", "sns-encrypted-kms", "PCI DSS 3.5.1", "HIPAA 164.312(a)(2)(iv)", "NIST 800-53 SC-28", ""),
		r("ELB_TLS_HTTPS_LISTENERS_ONLY", "elb-tls-https-listeners-only", "PCI DSS 4.2.1", "HIPAA 164.312(e)(1)", "NIST 800-53 SC-8", ""),
		// Public exposure and network boundaries.
		r("S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", "s3-account-level-public-access-blocks-periodic", "PCI DSS 1.4.1", "HIPAA 164.312(a)(1)", "NIST 800-53 AC-3, SC-7", "CIS 2.1.5"),
		r("S3_BUCKET_PUBLIC_READ_PROHIBITED", "s3-bucket-public-read-prohibited", "PCI DSS 1.4.1", "HIPAA 164.312(a)(1)", "NIST 800-53 AC-3", "CIS 2.1.5"),
		r("S3_BUCKET_PUBLIC_WRITE_PROHIBITED", "s3-bucket-public-write-prohibited", "PCI DSS 1.4.1", "HIPAA 164.312(a)(1)", "NIST 800-53 AC-3", "CIS 2.1.5"),
		r("RDS_INSTANCE_PUBLIC_ACCESS_CHECK", "rds-instance-public-access-check", "PCI DSS 1.4.4", "HIPAA 164.312(a)(1)", "NIST 800-53 AC-3, SC-7", ""),
		r("VPC_DEFAULT_SECURITY_GROUP_CLOSED", "vpc-default-security-group-closed", "PCI DSS 1.3.1", "HIPAA 164.312(e)(1)", "NIST 800-53 SC-7", "CIS 5.3"),
		r("INCOMING_SSH_DISABLED", "restricted-ssh", "PCI DSS 1.3.1", "HIPAA 164.312(e)(1)", "NIST 800-53 SC-7", "CIS 5.2"),
		r("NACL_NO_UNRESTRICTED_SSH_RDP", "nacl-no-unrestricted-ssh-rdp", "PCI DSS 1.3.1", "", "NIST 800-53 SC-7", "CIS 5.1"),
		// Identity.
		r("ROOT_ACCOUNT_MFA_ENABLED", "root-account-mfa-enabled", "PCI DSS 8.4.1", "HIPAA 164.312(d)", "NIST 800-53 IA-2(1)", "CIS 1.5"),
		r("ROOT_ACCOUNT_HARDWARE_MFA_ENABLED", "root-account-hardware-mfa-enabled", "PCI DSS 8.4.1", "", "NIST 800-53 IA-2(1)", "CIS 1.6"),
		r("IAM_ROOT_ACCESS_KEY_CHECK", "iam-root-access-key-check", "PCI DSS 8.2.2", "HIPAA 164.312(a)(1)", "NIST 800-53 AC-6", "CIS 1.4"),
		r("MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", "mfa-enabled-for-iam-console-access", "PCI DSS 8.4.2", "HIPAA 164.312(d)", "NIST 800-53 IA-2(1)", "CIS 1.10"),
		r("IAM_USER_MFA_ENABLED", "iam-user-mfa-enabled", "PCI DSS 8.4.2", "HIPAA 164.312(d)", "NIST 800-53 IA-2(1)", ""),
		r("IAM_PASSWORD_POLICY", "iam-password-policy", "PCI DSS 8.3.6", "HIPAA 164.308(a)(5)(ii)(D)", "NIST 800-53 IA-5(1)", "CIS 1.8"),
		r("ACCESS_KEYS_ROTATED", "access-keys-rotated", "PCI DSS 8.3.9", "HIPAA 164.308(a)(5)(ii)(D)", "NIST 800-53 IA-5(1)", "CIS 1.14", "maxAccessKeyAge", "90"),
		r("IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS", "iam-policy-no-statements-with-admin-access", "PCI DSS 7.2.1", "HIPAA 164.312(a)(1)", "NIST 800-53 AC-6", "CIS 1.16"),
		// Contingency.
		r("DB_INSTANCE_BACKUP_ENABLED", "db-instance-backup-enabled", "", "HIPAA 164.308(a)(7)(ii)(A)", "NIST 800-53 CP-9", ""),
		r("DYNAMODB_PITR_ENABLED", "dynamodb-pitr-enabled", "", "HIPAA 164.308(a)(7)(ii)(A)", "NIST 800-53 CP-9", ""),
	}
}

// Rules are the pack's managed rules, in PackRules order.
func (p ConformancePack) rules() []PackRule {
	var out []PackRule
	for _, r := range PackRules() {
		if _, ok := r.Controls[p.Key]; ok {
			out = append(out, r)
		}
	}
	return out
}

// Template is the pack's template body, generated from PackRules: one
// AWS::Config::ConfigRule per rule, the same bytes every time.
func (p ConformancePack) Template() (string, error) {
	rules := p.rules()
	if len(rules) == 0 {
		return "", fmt.Errorf("conformance pack %s: no managed rule maps to it", p.Key)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Tierzone conformance pack %s: %s.\n# Generated from tiers/packrules.go; each rule names the requirement it checks.\nResources:\n", p.Key, p.Name)
	for _, r := range rules {
		fmt.Fprintf(&b, "  %s:\n", logicalID(r.Name))
		fmt.Fprintf(&b, "    # %s\n", r.Controls[p.Key])
		b.WriteString("    Type: AWS::Config::ConfigRule\n    Properties:\n")
		fmt.Fprintf(&b, "      ConfigRuleName: %s\n", r.Name)
		if len(r.Params) > 0 {
			b.WriteString("      InputParameters:\n")
			for _, k := range slices.Sorted(maps.Keys(r.Params)) {
				fmt.Fprintf(&b, "        %s: '%s'\n", k, r.Params[k])
			}
		}
		fmt.Fprintf(&b, "      Source:\n        Owner: AWS\n        SourceIdentifier: %s\n", r.Identifier)
	}
	return b.String(), nil
}

// Rules counts the Config rules in the pack's template.
func (p ConformancePack) Rules() (int, error) {
	if _, err := p.Template(); err != nil {
		return 0, err
	}
	return len(p.rules()), nil
}

// logicalID is a template logical id from a rule name:
// "s3-bucket-ssl-requests-only" gives "S3BucketSslRequestsOnly".
func logicalID(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
