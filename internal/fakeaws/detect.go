package fakeaws

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The detection services: GuardDuty, Security Hub, AWS Config, CloudWatch
// metric filters and alarms, SNS topics, S3 server access logging. Only
// what Tierzone depends on is modeled: who may call what (the management
// account delegates, the delegated administrator configures), one
// detector / recorder / delivery channel / aggregator per account and
// region, references to resources that must exist, and the API's enums
// and size limits. No finding, evaluation, alarm state or delivery.

// Type tokens of the detection services.
const (
	tGDAdmin       = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
	tGDDetector    = "aws:guardduty/detector:Detector"
	tGDOrgConfig   = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
	tGDOrgFeature  = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
	tGDMember      = "aws:guardduty/memberDetectorFeature:MemberDetectorFeature"
	tGDPublishing  = "aws:guardduty/publishingDestination:PublishingDestination"
	tSHAdmin       = "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"
	tSHAggregator  = "aws:securityhub/findingAggregator:FindingAggregator"
	tSHOrgConfig   = "aws:securityhub/organizationConfiguration:OrganizationConfiguration"
	tSHPolicy      = "aws:securityhub/configurationPolicy:ConfigurationPolicy"
	tSHAssociation = "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation"
	tDelegatedAdm  = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
	tRoleAttach    = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	tSLR           = "aws:iam/serviceLinkedRole:ServiceLinkedRole"
	tCfgAggregator = "aws:cfg/configurationAggregator:ConfigurationAggregator"
	tCfgRecorder   = "aws:cfg/recorder:Recorder"
	tCfgDelivery   = "aws:cfg/deliveryChannel:DeliveryChannel"
	tCfgStatus     = "aws:cfg/recorderStatus:RecorderStatus"
	tCfgPack       = "aws:cfg/conformancePack:ConformancePack"
	tMetricFilter  = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	tMetricAlarm   = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tTopic         = "aws:sns/topic:Topic"
	tBucketLogging = "aws:s3/bucketLoggingV2:BucketLoggingV2"
)

var (
	// GuardDuty OrgFeature / DetectorFeature names (GuardDuty API reference).
	guardDutyFeatures = []string{"S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS",
		"EKS_RUNTIME_MONITORING", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING"}
	// conformancePackNamePattern: PutConformancePack ConformancePackName,
	// 1-256 characters, [a-zA-Z][-a-zA-Z0-9]*.
	conformancePackNamePattern = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]{0,255}$`)
	// standardsArnPattern: a Security Hub standards ARN.
	standardsArnPattern = regexp.MustCompile(`^arn:aws:securityhub:([a-z0-9-]*)::(standards|ruleset)/.+$`)
	// s3ArnPattern: an S3 bucket (or bucket and prefix) ARN.
	s3ArnPattern = regexp.MustCompile(`^arn:aws:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/.*)?$`)
)

// delegated reports whether account is the delegated administrator a
// management-account record of typ names (adminAccountId).
func delegated(c *opCtx, typ, account string) (bool, error) {
	rs, err := c.tx.listIn(c.mgmt(), c.region, typ)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(rs, func(r *Record) bool { return r.Inputs["adminAccountId"] == account }), nil
}

// onlyManagement fails unless the operation runs in the management account.
func onlyManagement(c *opCtx, api string) error {
	if c.account != c.mgmt() {
		// EnableOrganizationAdminAccount: "must be called by the
		// organization's management account" (BadRequestException).
		return awsErr("BadRequestException", "%s must be called from the organization's management account, not %s", api, c.account)
	}
	return nil
}

// oneAdmin is the validate of an OrganizationAdminAccount: management
// account only, one administrator per organization, an organization
// member.
func oneAdmin(api string) func(*opCtx, map[string]any, string) error {
	return func(c *opCtx, in map[string]any, selfID string) error {
		if err := onlyManagement(c, api); err != nil {
			return err
		}
		admin, _ := str(in, "adminAccountId")
		if err := orgMember(c, admin); err != nil {
			return err
		}
		var typ string
		if strings.HasPrefix(api, "GuardDuty") {
			typ = tGDAdmin
		} else {
			typ = tSHAdmin
		}
		others, err := c.findWhere(typ, selfID, c.regional)
		if err != nil {
			return err
		}
		if len(others) > 0 && others[0].ID != admin {
			return awsErr("BadRequestException", "the organization already has the delegated administrator %s", others[0].ID)
		}
		return nil
	}
}

// orgMember fails unless account is the management account or a member of
// the organization.
func orgMember(c *opCtx, account string) error {
	if account == c.mgmt() {
		return nil
	}
	r, err := c.tx.get(c.mgmt(), "", tAccount, account)
	if err != nil {
		return err
	}
	if r == nil {
		return awsErr("AccountNotFoundException", "account %s is not a member of the organization", account)
	}
	return nil
}

// ownDetector finds the operation account's detector detectorId.
func ownDetector(c *opCtx, in map[string]any) (*Record, error) {
	id, _ := str(in, "detectorId")
	return mustFind(c, tGDDetector, id, "BadRequestException", "The request is rejected because the input detectorId %s is not owned by the current account.")
}

// gdAdministrator: GuardDuty's organization settings are changed by the
// delegated administrator only, with its own detector.
func gdAdministrator(c *opCtx, in map[string]any) error {
	if _, err := ownDetector(c, in); err != nil {
		return err
	}
	ok, err := delegated(c, tGDAdmin, c.account)
	if err != nil {
		return err
	}
	if !ok {
		return awsErr("BadRequestException", "account %s is not the GuardDuty delegated administrator of the organization", c.account)
	}
	return nil
}

// shCentral: configuration policies need the delegated administrator's
// CENTRAL organization configuration (Security Hub user guide, "Start
// using central configuration").
func shCentral(c *opCtx) error {
	rs, err := c.findWhere(tSHOrgConfig, "", c.regional)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if oc, _ := r.Inputs["organizationConfiguration"].(map[string]any); oc["configurationType"] == "CENTRAL" {
			return nil
		}
	}
	return awsErr("AccessDeniedException", "account %s has no CENTRAL organization configuration in %s; configuration policies are central configuration", c.account, c.region)
}

func detectKinds() []*kind {
	return []*kind{
		{
			token: tGDAdmin, label: "GuardDuty Organization Admin Account",
			replaces: []string{"adminAccountId"},
			validate: oneAdmin("GuardDuty EnableOrganizationAdminAccount"),
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id, _ := str(in, "adminAccountId")
				return id, nil, nil
			},
		},
		{
			token: tSHAdmin, label: "Security Hub Organization Admin Account",
			replaces: []string{"adminAccountId"},
			validate: oneAdmin("SecurityHub EnableOrganizationAdminAccount"),
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id, _ := str(in, "adminAccountId")
				return id, nil, nil
			},
		},
		{
			token: tDelegatedAdm, label: "Organizations Delegated Administrator", org: true,
			replaces: []string{"accountId", "servicePrincipal"},
			outputs:  []string{"arn", "status"},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				acct, _ := str(in, "accountId")
				svc, _ := str(in, "servicePrincipal")
				if acct == c.mgmt() {
					// RegisterDelegatedAdministrator: ConstraintViolationException
					// CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR.
					return awsErr("ConstraintViolationException", "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR: %s is the management account", acct)
				}
				if err := orgMember(c, acct); err != nil {
					return err
				}
				dup, err := c.findWhere(tDelegatedAdm, selfID, func(r *Record) bool { return r.Inputs["accountId"] == acct && r.Inputs["servicePrincipal"] == svc })
				if err != nil {
					return err
				}
				if len(dup) > 0 {
					return awsErr("AccountAlreadyRegisteredException", "account %s is already a delegated administrator for %s", acct, svc)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				acct, _ := str(in, "accountId")
				svc, _ := str(in, "servicePrincipal")
				// terraform-provider-aws: id "<account id>/<service principal>".
				return acct + "/" + svc, map[string]any{"arn": "arn:aws:organizations::" + c.mgmt() + ":account/" + c.srv.opts.OrganizationID + "/" + acct, "status": "ACTIVE"}, nil
			},
		},
		{
			token: tGDDetector, label: "GuardDuty Detector", tagsAll: true,
			outputs: []string{"accountId", "arn"},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				others, err := c.findWhere(tGDDetector, selfID, c.regional)
				if err != nil {
					return err
				}
				if len(others) > 0 {
					// CreateDetector: one detector per account and region.
					return awsErr("BadRequestException", "The request is rejected because a detector already exists for the current account.")
				}
				return nil
			},
			build: func(c *opCtx, _ map[string]any) (string, map[string]any, error) {
				id := randomString(hexDigits, 32)
				return id, map[string]any{"accountId": c.account, "arn": fmt.Sprintf("arn:aws:guardduty:%s:%s:detector/%s", c.region, c.account, id)}, nil
			},
		},
		{
			token: tGDOrgConfig, label: "GuardDuty Organization Configuration",
			replaces: []string{"detectorId"},
			static: func(in map[string]any) []failure {
				if v, ok := str(in, "autoEnableOrganizationMembers"); ok && !slices.Contains([]string{"NEW", "ALL", "NONE"}, v) {
					return []failure{failf("autoEnableOrganizationMembers", "must be NEW, ALL or NONE, got %q", v)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, _ string) error { return gdAdministrator(c, in) },
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id, _ := str(in, "detectorId")
				return id, nil, nil
			},
		},
		{
			token: tGDOrgFeature, label: "GuardDuty Organization Configuration Feature",
			replaces: []string{"detectorId", "name"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if v, ok := str(in, "name"); ok && !slices.Contains(guardDutyFeatures, v) {
					fs = append(fs, failf("name", "%q is not a GuardDuty feature (%s)", v, strings.Join(guardDutyFeatures, ", ")))
				}
				if v, ok := str(in, "autoEnable"); ok && !slices.Contains([]string{"NEW", "ALL", "NONE"}, v) {
					fs = append(fs, failf("autoEnable", "must be NEW, ALL or NONE, got %q", v))
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, _ string) error { return gdAdministrator(c, in) },
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id, _ := str(in, "detectorId")
				name, _ := str(in, "name")
				return id + "/" + name, nil, nil
			},
		},
		{
			token: tGDMember, label: "GuardDuty Member Detector Feature",
			replaces: []string{"detectorId", "accountId", "name"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if v, ok := str(in, "name"); ok && !slices.Contains(guardDutyFeatures, v) {
					fs = append(fs, failf("name", "%q is not a GuardDuty feature", v))
				}
				if v, ok := str(in, "status"); ok && v != "ENABLED" && v != "DISABLED" {
					fs = append(fs, failf("status", "must be ENABLED or DISABLED, got %q", v))
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				if err := gdAdministrator(c, in); err != nil {
					return err
				}
				acct, _ := str(in, "accountId")
				return orgMember(c, acct)
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id, _ := str(in, "detectorId")
				acct, _ := str(in, "accountId")
				name, _ := str(in, "name")
				return id + "/" + acct + "/" + name, nil, nil
			},
		},
		{
			token: tGDPublishing, label: "GuardDuty Publishing Destination",
			replaces: []string{"detectorId", "destinationType"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if v, ok := str(in, "destinationArn"); ok && !s3ArnPattern.MatchString(v) {
					fs = append(fs, failf("destinationArn", "BadRequestException: %q is not an S3 bucket ARN", v))
				}
				if v, ok := str(in, "kmsKeyArn"); ok && !strings.HasPrefix(v, "arn:aws:kms:") {
					fs = append(fs, failf("kmsKeyArn", "BadRequestException: %q is not a KMS key ARN", v))
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				if _, err := ownDetector(c, in); err != nil {
					return err
				}
				dest, _ := str(in, "destinationArn")
				m := s3ArnPattern.FindStringSubmatch(dest)
				if m == nil {
					return nil
				}
				b, err := bucketOwner(c, m[1])
				if err != nil {
					return err
				}
				if b == nil {
					// CreatePublishingDestination checks the bucket exists.
					return awsErr("BadRequestException", "The request failed because the destination bucket %s does not exist.", m[1])
				}
				return nil
			},
			build: func(c *opCtx, _ map[string]any) (string, map[string]any, error) {
				return randomString(hexDigits, 32), nil, nil
			},
		},
		{
			token: tSHAggregator, label: "Security Hub Finding Aggregator",
			outputs: []string{"arn"},
			static: func(in map[string]any) []failure {
				if v, ok := str(in, "linkingMode"); ok && !slices.Contains([]string{"ALL_REGIONS", "ALL_REGIONS_EXCEPT_SPECIFIED", "SPECIFIED_REGIONS", "NO_REGIONS"}, v) {
					return []failure{failf("linkingMode", "InvalidInputException: %q is not a linking mode", v)}
				}
				return nil
			},
			validate: func(c *opCtx, _ map[string]any, selfID string) error {
				ok, err := delegated(c, tSHAdmin, c.account)
				if err != nil || !ok {
					if err == nil {
						err = awsErr("AccessDeniedException", "account %s is not the Security Hub delegated administrator", c.account)
					}
					return err
				}
				// One aggregator per account (its home region); any region.
				all, err := c.tx.list(c.account, tSHAggregator)
				if err != nil {
					return err
				}
				for _, r := range all {
					if r.ID != selfID {
						return awsErr("InvalidInputException", "a finding aggregator already exists (%s)", r.ID)
					}
				}
				return nil
			},
			build: func(c *opCtx, _ map[string]any) (string, map[string]any, error) {
				arn := fmt.Sprintf("arn:aws:securityhub:%s:%s:finding-aggregator/%s", c.region, c.account, uuid())
				return arn, map[string]any{"arn": arn}, nil
			},
		},
		{
			token: tSHOrgConfig, label: "Security Hub Organization Configuration",
			validate: func(c *opCtx, in map[string]any, _ string) error {
				ok, err := delegated(c, tSHAdmin, c.account)
				if err != nil {
					return err
				}
				if !ok {
					return awsErr("AccessDeniedException", "account %s is not the Security Hub delegated administrator", c.account)
				}
				oc, _ := in["organizationConfiguration"].(map[string]any)
				if oc["configurationType"] == "CENTRAL" {
					aggs, err := c.findWhere(tSHAggregator, "", c.regional)
					if err != nil {
						return err
					}
					if len(aggs) == 0 {
						// UpdateOrganizationConfiguration: central
						// configuration needs a home region (aggregator).
						return awsErr("InvalidInputException", "central configuration requires a finding aggregator in the home region %s", c.region)
					}
				}
				return nil
			},
			build: func(c *opCtx, _ map[string]any) (string, map[string]any, error) { return c.account, nil, nil },
		},
		{
			token: tSHPolicy, label: "Security Hub Configuration Policy",
			outputs: []string{"arn"},
			static: func(in map[string]any) []failure {
				var fs []failure
				cp, _ := in["configurationPolicy"].(map[string]any)
				for _, a := range stringList(cp["enabledStandardArns"]) {
					if !standardsArnPattern.MatchString(a) {
						fs = append(fs, failf("configurationPolicy.enabledStandardArns", "InvalidInputException: %q is not a standards ARN", a))
					}
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				if err := shCentral(c); err != nil {
					return err
				}
				name, _ := str(in, "name")
				dup, err := c.findWhere(tSHPolicy, selfID, func(r *Record) bool { return r.Inputs["name"] == name && c.regional(r) })
				if err != nil {
					return err
				}
				if len(dup) > 0 {
					return awsErr("ResourceConflictException", "a configuration policy named %s already exists", name)
				}
				return nil
			},
			build: func(c *opCtx, _ map[string]any) (string, map[string]any, error) {
				id := uuid()
				return id, map[string]any{"arn": fmt.Sprintf("arn:aws:securityhub:%s:%s:configuration-policy/%s", c.region, c.account, id)}, nil
			},
		},
		{
			token: tSHAssociation, label: "Security Hub Configuration Policy Association",
			replaces: []string{"targetId"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				if err := shCentral(c); err != nil {
					return err
				}
				id, _ := str(in, "policyId")
				if _, err := mustFind(c, tSHPolicy, id, "ResourceNotFoundException", "configuration policy %s not found"); err != nil {
					return err
				}
				target, _ := str(in, "targetId")
				if ok, err := targetExists(c.asManagement(), target); err != nil || !ok {
					if err == nil {
						err = awsErr("ResourceNotFoundException", "target %s is not a root, OU or account of the organization", target)
					}
					return err
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				t, _ := str(in, "targetId")
				return t, nil, nil
			},
		},
		{
			token: tRoleAttach, label: "IAM Role Policy Attachment",
			replaces: []string{"role", "policyArn"},
			static: func(in map[string]any) []failure {
				if v, ok := str(in, "policyArn"); ok && !strings.HasPrefix(v, "arn:aws:iam::") {
					return []failure{failf("policyArn", "ValidationError: %q is not a policy ARN", v)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				// AttachRolePolicy: NoSuchEntity when the role does not exist.
				_, err := mustFind(c, tRole, roleName(in), "NoSuchEntity", "The role with name %s cannot be found.")
				return err
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				// terraform-provider-aws: id "<role>-<unique suffix>".
				return roleName(in) + "-" + randomString("0123456789", 26), nil, nil
			},
		},
		{
			token: tSLR, label: "IAM Service Linked Role", tagsAll: true,
			replaces: []string{"awsServiceName", "customSuffix"},
			outputs:  []string{"arn", "name", "path", "uniqueId", "createDate"},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				name := slrName(in)
				dup, err := c.findWhere(tSLR, selfID, func(r *Record) bool { return r.Outputs["name"] == name })
				if err != nil {
					return err
				}
				if len(dup) > 0 {
					// CreateServiceLinkedRole: InvalidInput.
					return awsErr("InvalidInput", "Service role name %s has been taken in this account, please try a different suffix.", name)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				svc, _ := str(in, "awsServiceName")
				name, path := slrName(in), "/aws-service-role/"+svc+"/"
				arn := "arn:aws:iam::" + c.account + ":role" + path + name
				return arn, map[string]any{"arn": arn, "name": name, "path": path, "uniqueId": roleUniqueID(), "createDate": "2026-01-01T00:00:00Z"}, nil
			},
		},
		{
			token: tCfgAggregator, label: "Config Configuration Aggregator", tagsAll: true,
			replaces: []string{"name"},
			outputs:  []string{"arn"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				src, _ := in["organizationAggregationSource"].(map[string]any)
				if src != nil {
					if c.account != c.mgmt() {
						as, err := c.asManagement().findWhere(tDelegatedAdm, "", func(r *Record) bool {
							return r.Inputs["accountId"] == c.account && r.Inputs["servicePrincipal"] == "config.amazonaws.com"
						})
						if err != nil {
							return err
						}
						if len(as) == 0 {
							// PutConfigurationAggregator: OrganizationAccessDeniedException.
							return awsErr("OrganizationAccessDeniedException", "account %s is neither the management account nor a delegated administrator for config.amazonaws.com", c.account)
						}
					}
					role, _ := str(src, "roleArn")
					if _, err := mustFind(c, tRole, roleName(map[string]any{"role": role}), "InvalidRoleException", "the aggregator role %s does not exist"); err != nil {
						return err
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				return name, map[string]any{"arn": fmt.Sprintf("arn:aws:config:%s:%s:config-aggregator/config-aggregator-%s", c.region, c.account, randomString(alnumDigits, 8))}, nil
			},
		},
		{
			token: tCfgRecorder, label: "Config Configuration Recorder",
			replaces: []string{"name"},
			static: func(in map[string]any) []failure {
				rg, _ := in["recordingGroup"].(map[string]any)
				if boolean(rg, "includeGlobalResourceTypes") && !boolean(rg, "allSupported") {
					// PutConfigurationRecorder: InvalidRecordingGroupException.
					return []failure{failf("recordingGroup.includeGlobalResourceTypes", "InvalidRecordingGroupException: includeGlobalResourceTypes needs allSupported")}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				others, err := c.findWhere(tCfgRecorder, selfID, c.regional)
				if err != nil {
					return err
				}
				if len(others) > 0 {
					return awsErr("MaxNumberOfConfigurationRecordersExceededException", "an account has one configuration recorder per region (%s exists)", others[0].ID)
				}
				role, _ := str(in, "roleArn")
				if r, err := c.find(tSLR, role); err != nil {
					return err
				} else if r == nil {
					if _, err := mustFind(c, tRole, roleName(map[string]any{"role": role}), "InvalidRoleException", "the recorder role %s does not exist"); err != nil {
						return err
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				return name, nil, nil
			},
		},
		{
			token: tCfgDelivery, label: "Config Delivery Channel",
			replaces: []string{"name"},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				recs, err := c.findWhere(tCfgRecorder, "", c.regional)
				if err != nil {
					return err
				}
				if len(recs) == 0 {
					return awsErr("NoAvailableConfigurationRecorderException", "there is no configuration recorder in %s", c.region)
				}
				others, err := c.findWhere(tCfgDelivery, selfID, c.regional)
				if err != nil {
					return err
				}
				if len(others) > 0 {
					return awsErr("MaxNumberOfDeliveryChannelsExceededException", "an account has one delivery channel per region")
				}
				b, _ := str(in, "s3BucketName")
				owner, err := bucketOwner(c, b)
				if err != nil {
					return err
				}
				if owner == nil {
					return awsErr("NoSuchBucketException", "bucket %s does not exist", b)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				return name, nil, nil
			},
		},
		{
			token: tCfgStatus, label: "Config Configuration Recorder Status",
			replaces: []string{"name"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				name, _ := str(in, "name")
				if _, err := mustFind(c, tCfgRecorder, name, "NoSuchConfigurationRecorderException", "no configuration recorder named %s"); err != nil {
					return err
				}
				if boolean(in, "isEnabled") {
					chans, err := c.findWhere(tCfgDelivery, "", c.regional)
					if err != nil {
						return err
					}
					if len(chans) == 0 {
						return awsErr("NoAvailableDeliveryChannelException", "StartConfigurationRecorder needs a delivery channel")
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				return name, nil, nil
			},
		},
		{
			token: tCfgPack, label: "Config Conformance Pack",
			replaces: []string{"name"},
			outputs:  []string{"arn"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if v, ok := str(in, "name"); ok && !conformancePackNamePattern.MatchString(v) {
					fs = append(fs, failf("name", "ValidationException: %q must be 1-256 characters, a letter then letters, digits and hyphens", v))
				}
				if v, ok := str(in, "templateBody"); ok && (len(v) < 1 || len(v) > 51200) {
					// PutConformancePack TemplateBody: 1 to 51,200 bytes.
					fs = append(fs, failf("templateBody", "ValidationException: the template body is %d bytes; 1 to 51,200 allowed", len(v)))
				}
				return fs
			},
			validate: func(c *opCtx, _ map[string]any, _ string) error {
				sts, err := c.findWhere(tCfgStatus, "", func(r *Record) bool { return c.regional(r) && boolean(r.Inputs, "isEnabled") })
				if err != nil {
					return err
				}
				if len(sts) == 0 {
					return awsErr("NoAvailableConfigurationRecorderException", "conformance packs need a configuration recorder that is recording in %s", c.region)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				return name, map[string]any{"arn": fmt.Sprintf("arn:aws:config:%s:%s:conformance-pack/%s/conformance-pack-%s", c.region, c.account, name, randomString(alnumDigits, 9))}, nil
			},
		},
		{
			token: tMetricFilter, label: "CloudWatch Logs Metric Filter",
			replaces: []string{"name", "logGroupName"},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				group, _ := str(in, "logGroupName")
				if _, err := mustFind(c, tLogGroup, group, "ResourceNotFoundException", "The specified log group does not exist (%s)."); err != nil {
					return err
				}
				others, err := c.findWhere(tMetricFilter, selfID, func(r *Record) bool { return c.regional(r) && r.Inputs["logGroupName"] == group })
				if err != nil {
					return err
				}
				if len(others) >= 100 {
					// PutMetricFilter: 100 metric filters per log group.
					return awsErr("LimitExceededException", "log group %s has 100 metric filters", group)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				return name, nil, nil
			},
		},
		{
			token: tMetricAlarm, label: "CloudWatch Metric Alarm", tagsAll: true,
			replaces: []string{"name"},
			outputs:  []string{"arn"},
			static: func(in map[string]any) []failure {
				if v, ok := str(in, "comparisonOperator"); ok && !slices.Contains([]string{"GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
					"LessThanThreshold", "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"}, v) {
					return []failure{failf("comparisonOperator", "ValidationError: %q is not a comparison operator", v)}
				}
				return alarmFailures(in)
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				return name, map[string]any{"arn": fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", c.region, c.account, name)}, nil
			},
		},
		{
			token: tTopic, label: "SNS Topic", tagsAll: true, autoName: "name",
			replaces: []string{"name", "namePrefix", "fifoTopic"},
			outputs:  []string{"arn", "owner"},
			static: func(in map[string]any) []failure {
				if p, ok := str(in, "policy"); ok && !validJSON(p) {
					return []failure{failf("policy", "InvalidParameter: the topic policy is not valid JSON")}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				arn := fmt.Sprintf("arn:aws:sns:%s:%s:%s", c.region, c.account, name)
				// pulumi-aws Topic id is its ARN.
				return arn, map[string]any{"arn": arn, "owner": c.account}, nil
			},
		},
		{
			token: tBucketLogging, label: "S3 Bucket Logging",
			replaces: []string{"bucket", "expectedBucketOwner"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				if _, err := ownBucket(c, in); err != nil {
					return err
				}
				target, _ := str(in, "targetBucket")
				b, err := bucketOwner(c, target)
				if err != nil {
					return err
				}
				if b == nil || b.Account != c.account {
					// PutBucketLogging: InvalidTargetBucketForLogging (the
					// target must exist and be owned by the same account).
					return awsErr("InvalidTargetBucketForLogging", "The target bucket for logging does not exist or is not owned by you (%s)", target)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				b, _ := str(in, "bucket")
				return b, nil, nil
			},
		},
	}
}

// slrName is the name of a service-linked role: AWSServiceRoleFor<Service>
// (IAM user guide, "AWS services that work with IAM").
func slrName(in map[string]any) string {
	svc, _ := str(in, "awsServiceName")
	var name string
	switch svc {
	case "config.amazonaws.com":
		name = "AWSServiceRoleForConfig"
	default:
		base := strings.Split(strings.TrimSuffix(svc, ".amazonaws.com"), ".")[0]
		name = "AWSServiceRoleFor" + strings.ToUpper(base[:1]) + base[1:]
	}
	if s, ok := str(in, "customSuffix"); ok && s != "" {
		name += "_" + s
	}
	return name
}

// asManagement is the operation as seen from the management account (for
// organization-wide lookups).
func (c *opCtx) asManagement() *opCtx {
	m := *c
	m.account = c.mgmt()
	return &m
}
