package tiers

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"time"
)

// Permission-set roles: what a catalog user's `role` names and what each
// tier defines one permission set for.
const (
	RoleCustomerAdmin    = "customer-admin"
	RoleCustomerReadOnly = "customer-readonly"
	RoleOperator         = "operator"
	RoleAuditor          = "auditor"
)

// AWS managed policies the permission sets attach (commercial partition,
// "aws"; see ManagedPolicyARN).
const (
	PolicyAdministratorAccess   = "AdministratorAccess"
	PolicyReadOnlyAccess        = "ReadOnlyAccess"
	PolicySecurityHubReadOnly   = "AWSSecurityHubReadOnlyAccess"
	PolicyConfigUserAccess      = "AWSConfigUserAccess"
	PolicyCloudTrailReadOnly    = "AWSCloudTrail_ReadOnlyAccess"
	PolicySecurityAudit         = "SecurityAudit"
	policyARNFormat             = "arn:%s:iam::aws:policy/%s"
	minSessionDuration          = time.Hour
	maxSessionDuration          = 12 * time.Hour
	maxPermissionSetNameLength  = 32
	maxPermissionSetDescription = 700
)

// IAM Identity Center quotas ("AWS IAM Identity Center quotas", AWS account
// quotas) that the access model is checked against before anything is
// registered.
const (
	// MaxPermissionSetsPerInstance: "Number of permission sets allowed in
	// IAM Identity Center: 2000".
	MaxPermissionSetsPerInstance = 2000
	// MaxPermissionSetsPerAccount: "Number of provisioned permission sets
	// allowed per AWS account: 250".
	MaxPermissionSetsPerAccount = 250
	// MaxManagedPoliciesPerPermissionSet is the IAM default of 10 managed
	// policies per role, which the provisioned role follows (Identity
	// Center allows 20 only after an IAM quota increase in every account).
	MaxManagedPoliciesPerPermissionSet = 10
	// MaxInlinePolicyBytes and MaxInlinePolicyNonWhitespace: "Maximum size
	// of inline policy per permission set: 32,768 bytes ... non-whitespace
	// characters ... 10,240 bytes".
	MaxInlinePolicyBytes         = 32768
	MaxInlinePolicyNonWhitespace = 10240
)

// permissionSetName is the IAM Identity Center CreatePermissionSet Name
// pattern (1-32 characters of [\w+=,.@-]).
var permissionSetName = regexp.MustCompile(`^[\w+=,.@-]{1,32}$`)

// groupSuffix is a customer group's suffix (<customer key>-<suffix>).
var groupSuffix = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

// nonWhitespace counts the bytes of s that are not white space.
func nonWhitespace(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
		default:
			n++
		}
	}
	return n
}

// ManagedPolicyARN is an AWS managed policy's ARN in partition.
func ManagedPolicyARN(partition, name string) string {
	return fmt.Sprintf(policyARNFormat, partition, name)
}

// PermissionSet is one tier permission set, as data.
type PermissionSet struct {
	// Role is the catalog role name (RoleCustomerAdmin, ...).
	Role        string
	Description string
	// ManagedPolicies are AWS managed policy names (ManagedPolicyARN).
	ManagedPolicies []string
	// InlinePolicy is an IAM policy document (JSON), empty for none.
	InlinePolicy string
	// SessionDuration is ISO-8601 (PT1H..PT12H).
	SessionDuration string
	// SessionSource cites where the duration comes from.
	SessionSource string
	// CustomerScoped: assigned to a customer's own groups on its account
	// only; otherwise assigned to the tier's staff group on every account
	// of the tier.
	CustomerScoped bool
	// Group is the suffix of the customer's Identity Store group for this
	// role (<customer key>-<Group>); customer-scoped sets only.
	Group string
}

// GroupName is the customer's Identity Store group for this permission
// set: <customer key>-<Group>.
func (p PermissionSet) GroupName(customerKey string) string { return customerKey + "-" + p.Group }

// Name is the permission set's name in tier tierKey: tz-<tier>-<role>.
func (p PermissionSet) Name(tierKey string) string { return "tz-" + tierKey + "-" + p.Role }

// Access is a tier's IAM Identity Center access model.
type Access struct {
	// MaxSessionDuration is the longest session any of the tier's
	// permission sets may grant (ISO-8601).
	MaxSessionDuration string
	MaxSessionSource   string
	PermissionSets     []PermissionSet
}

// Roles are the role names of the tier's permission sets.
func (a Access) Roles() []string {
	out := make([]string, 0, len(a.PermissionSets))
	for _, p := range a.PermissionSets {
		out = append(out, p.Role)
	}
	return out
}

// PermissionSet returns the permission set for role.
func (a Access) PermissionSet(role string) (PermissionSet, bool) {
	for _, p := range a.PermissionSets {
		if p.Role == role {
			return p, true
		}
	}
	return PermissionSet{}, false
}

// CustomerRoles are the roles a catalog user of the tier may have.
func (a Access) CustomerRoles() []string {
	var out []string
	for _, p := range a.PermissionSets {
		if p.CustomerScoped {
			out = append(out, p.Role)
		}
	}
	return out
}

// protectAuditTrail is the inline policy regulated tiers add to the
// customer administrator: the audit trail, recorder and detectors the
// landing zone runs cannot be switched off from the customer's account
// (NIST 800-53 AU-9, PCI DSS 10.3.2, HIPAA 164.312(b)). The SCPs deny the
// same; the inline policy makes the permission set say so on its own.
func protectAuditTrail() string {
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid":    "ProtectAuditTrail",
			"Effect": "Deny",
			"Action": []string{
				"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail",
				"config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel",
				"guardduty:DeleteDetector", "guardduty:DisassociateFromAdministratorAccount",
				"securityhub:DisableSecurityHub", "securityhub:DisassociateFromAdministratorAccount",
				"organizations:LeaveOrganization",
			},
			"Resource": "*",
		}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(fmt.Errorf("tiers: audit-trail policy: %w", err))
	}
	return string(b)
}

// accessSets builds the four permission sets with one session duration.
func accessSets(session, source string, inlineAdmin bool) []PermissionSet {
	admin := PermissionSet{
		Role: RoleCustomerAdmin, Description: "Customer administrator of its own account",
		ManagedPolicies: []string{PolicyAdministratorAccess},
		SessionDuration: session, SessionSource: source, CustomerScoped: true, Group: "admins",
	}
	if inlineAdmin {
		admin.InlinePolicy = protectAuditTrail()
	}
	return []PermissionSet{
		admin,
		{
			Role: RoleCustomerReadOnly, Description: "Customer read-only access to its own account",
			ManagedPolicies: []string{PolicyReadOnlyAccess},
			SessionDuration: session, SessionSource: source, CustomerScoped: true, Group: "readonly",
		},
		{
			Role: RoleOperator, Description: "Provider operations staff on every account of the tier",
			ManagedPolicies: []string{PolicyAdministratorAccess},
			InlinePolicy:    protectAuditTrail(),
			SessionDuration: session, SessionSource: source,
		},
		{
			Role: RoleAuditor, Description: "Read-only plus Security Hub, Config and CloudTrail read",
			ManagedPolicies: []string{PolicyReadOnlyAccess, PolicySecurityHubReadOnly, PolicyConfigUserAccess, PolicyCloudTrailReadOnly},
			SessionDuration: session, SessionSource: source, CustomerScoped: true, Group: "auditors",
		},
	}
}

// Accesses returns every tier's access model, by tier key. Each call
// returns fresh values.
func Accesses() map[string]Access {
	const iamMax = "IAM Identity Center: a permission set's session duration is PT1H..PT12H"
	return map[string]Access{
		Standard: {
			MaxSessionDuration: "PT8H", MaxSessionSource: "Tierzone default: one working day",
			PermissionSets: accessSets("PT8H", "Tierzone default: one working day; "+iamMax, false),
		},
		Fintech: {
			MaxSessionDuration: "PT4H", MaxSessionSource: "PCI DSS v4.0.1 Req 8.2.8 (re-authenticate idle sessions) and 8.6: sessions bounded",
			PermissionSets: accessSets("PT4H", "PCI DSS v4.0.1 Req 8.2.8: sessions re-authenticated; half a working day", true),
		},
		Healthcare: {
			MaxSessionDuration: "PT4H", MaxSessionSource: "HIPAA 164.312(a)(2)(iii): automatic logoff",
			PermissionSets: accessSets("PT4H", "HIPAA 164.312(a)(2)(iii): automatic logoff after a predetermined time", true),
		},
		GovFederal: {
			MaxSessionDuration: "PT1H", MaxSessionSource: "NIST SP 800-53 Rev. 5 AC-12 (session termination) and AC-2(5) (inactivity logout), FedRAMP Moderate baseline",
			PermissionSets: accessSets("PT1H", "NIST SP 800-53 Rev. 5 AC-12 / AC-2(5) (FedRAMP Moderate): session terminated after one hour", true),
		},
	}
}

// ParseSessionDuration parses the ISO-8601 durations permission sets use
// (PT<n>H, PT<n>M, PT<n>H<m>M).
func ParseSessionDuration(s string) (time.Duration, error) {
	m := regexp.MustCompile(`^PT(?:(\d+)H)?(?:(\d+)M)?$`).FindStringSubmatch(s)
	if m == nil || (m[1] == "" && m[2] == "") {
		return 0, fmt.Errorf("session duration %q: not an ISO-8601 PT<n>H<m>M duration", s)
	}
	d := time.Duration(0)
	for i, unit := range []time.Duration{time.Hour, time.Minute} {
		if m[i+1] == "" {
			continue
		}
		var n int
		if _, err := fmt.Sscanf(m[i+1], "%d", &n); err != nil {
			return 0, fmt.Errorf("session duration %q: %w", s, err)
		}
		d += time.Duration(n) * unit
	}
	return d, nil
}

// CheckAccess reports every problem with a tier's access model: names
// within the Identity Center pattern, sessions within PT1H..PT12H and the
// tier's maximum, inline policies valid JSON, every role defined once.
func CheckAccess(tierKey string, a Access) []string {
	var probs []string
	maxD, err := ParseSessionDuration(a.MaxSessionDuration)
	if err != nil {
		probs = append(probs, fmt.Sprintf("%s: max session: %v", tierKey, err))
	}
	seen := map[string]bool{}
	for _, p := range a.PermissionSets {
		where := tierKey + "/" + p.Role
		if seen[p.Role] {
			probs = append(probs, where+": role defined twice")
		}
		seen[p.Role] = true
		if n := p.Name(tierKey); !permissionSetName.MatchString(n) {
			probs = append(probs, fmt.Sprintf("%s: name %q not 1-%d characters of [\\w+=,.@-]", where, n, maxPermissionSetNameLength))
		}
		if len(p.Description) > maxPermissionSetDescription {
			probs = append(probs, where+": description over 700 characters")
		}
		d, err := ParseSessionDuration(p.SessionDuration)
		switch {
		case err != nil:
			probs = append(probs, fmt.Sprintf("%s: %v", where, err))
		case d < minSessionDuration || d > maxSessionDuration:
			probs = append(probs, fmt.Sprintf("%s: session %s outside PT1H..PT12H", where, p.SessionDuration))
		case maxD > 0 && d > maxD:
			probs = append(probs, fmt.Sprintf("%s: session %s longer than the tier's %s", where, p.SessionDuration, a.MaxSessionDuration))
		}
		if p.SessionSource == "" {
			probs = append(probs, where+": session duration has no source")
		}
		if len(p.ManagedPolicies) == 0 && p.InlinePolicy == "" {
			probs = append(probs, where+": grants nothing")
		}
		if p.InlinePolicy != "" && !json.Valid([]byte(p.InlinePolicy)) {
			probs = append(probs, where+": inline policy is not valid JSON")
		}
		if n := len(p.ManagedPolicies); n > MaxManagedPoliciesPerPermissionSet {
			probs = append(probs, fmt.Sprintf("%s: %d managed policies; the provisioned IAM role takes at most %d", where, n, MaxManagedPoliciesPerPermissionSet))
		}
		if n, nw := len(p.InlinePolicy), nonWhitespace(p.InlinePolicy); n > MaxInlinePolicyBytes || nw > MaxInlinePolicyNonWhitespace {
			probs = append(probs, fmt.Sprintf("%s: inline policy %d bytes (%d non-whitespace); Identity Center allows %d (%d)", where, n, nw, MaxInlinePolicyBytes, MaxInlinePolicyNonWhitespace))
		}
		if p.CustomerScoped && !groupSuffix.MatchString(p.Group) {
			probs = append(probs, fmt.Sprintf("%s: customer group suffix %q not 1-32 lowercase letters, digits and hyphens", where, p.Group))
		}
	}
	for _, r := range []string{RoleCustomerAdmin, RoleCustomerReadOnly, RoleOperator, RoleAuditor} {
		if !seen[r] {
			probs = append(probs, tierKey+": no permission set for role "+r)
		}
	}
	return probs
}

// PortalURL is the AWS access portal of an Identity Store
// (d-xxxxxxxxxx -> https://d-xxxxxxxxxx.awsapps.com).
func PortalURL(identityStoreID string) string {
	return "https://" + identityStoreID + ".awsapps.com"
}

// LoginLink is the access-portal shortcut that signs a user in to
// accountID with this permission set:
// <portal>/start/#/console?account_id=<id>&role_name=<permission set name>.
func (p PermissionSet) LoginLink(portalURL, tierKey, accountID string) string {
	return portalURL + "/start/#/console?account_id=" + url.QueryEscape(accountID) + "&role_name=" + url.QueryEscape(p.Name(tierKey))
}
