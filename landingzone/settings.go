package landingzone

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// ConfigNamespace is the Pulumi config namespace of every setting.
const ConfigNamespace = "tierzone"

// Config keys (without the namespace). Pulumi.yaml declares each of them.
const (
	KeyOrganizationRootID   = "organizationRootId"
	KeyAccountEmailMailbox  = "accountEmailMailbox"
	KeyCustomers            = "customers"
	KeyProtect              = "protect"
	KeyOrgAccessRoleName    = "orgAccessRoleName"
	KeyNamePrefix           = "namePrefix"
	KeyManagementRegion     = "managementRegion"
	KeyCustomerConnectivity = "customerConnectivity"
	KeyRetention            = "retention"
	KeySCPMaxChars          = "scpMaxChars"
	KeySCPMaxAttachments    = "scpMaxAttachments"
	KeyOrganizationID       = "organizationId"
	KeyLogArchiveAccountID  = "logArchiveAccountId"
	KeyDecommission         = "decommission"
	KeyLayout               = "layout"
	KeyCustomerStack        = "customerStack"
	KeySecurityAccountID    = "securityAccountId"
	KeyMonitoringAccountID  = "monitoringAccountId"
	KeyOperatorEmails       = "operatorEmails"
	KeyIdentityCenter       = "identityCenter"
	KeyShieldAdvanced       = "shieldAdvanced"
	KeyNetworkAccountID     = "networkAccountId"
	KeyCentralEgress        = "centralEgress"
)

// Layouts: how the landing zone is split into stacks.
const (
	// LayoutSingle is one stack holding everything (the default; fine for
	// small fleets).
	LayoutSingle = "single"
	// LayoutSharded is an organization stack (OUs, SCPs, log archive,
	// trail, every customer account) and one stack per customer holding
	// what lives inside its account, run by the fleet orchestrator.
	LayoutSharded = "sharded"
)

// CustomerStackRef makes a stack of the sharded layout a customer stack:
// the one customer it deploys and what it needs from the organization
// stack. The fleet orchestrator writes it from the organization stack's
// outputs, so a customer stack never reads the organization's state.
type CustomerStackRef struct {
	// Customer is the catalog key.
	Customer string `json:"customer"`
	// AccountID is the customer's member account.
	AccountID string `json:"accountId"`
	// ArchiveDestination is the S3 destination of the archive flow log,
	// "arn:aws:s3:::<bucket>/<tier>/<customer>/".
	ArchiveDestination string `json:"archiveDestination"`
	// SinkARN is the monitoring account's OAM sink the customer account
	// links to (empty: no link).
	SinkARN string `json:"sinkArn,omitempty"`
}

// ConfigKeys lists every key the program reads, for typo detection.
func ConfigKeys() []string {
	return []string{
		KeyOrganizationRootID, KeyAccountEmailMailbox, KeyCustomers, KeyProtect,
		KeyOrgAccessRoleName, KeyNamePrefix, KeyManagementRegion, KeyCustomerConnectivity,
		KeyRetention, KeySCPMaxChars, KeySCPMaxAttachments,
		KeyOrganizationID, KeyLogArchiveAccountID, KeyDecommission,
		KeyLayout, KeyCustomerStack, KeySecurityAccountID, KeyMonitoringAccountID,
		KeyOperatorEmails, KeyIdentityCenter, KeyShieldAdvanced,
		KeyNetworkAccountID, KeyCentralEgress,
	}
}

// Defaults.
const (
	DefaultOrgAccessRoleName = "OrganizationAccountAccessRole"
	DefaultNamePrefix        = "tierzone"
	DefaultManagementRegion  = "us-east-1"
	// DefaultSCPMaxChars and DefaultSCPMaxAttachments are the AWS
	// Organizations quotas since 15 May 2026 ("Quotas for AWS Organizations":
	// SCP document 10,240 characters, was 5,120; 10 SCPs attached directly per
	// root, OU or account, was 5, FullAWSAccess included). Configurable for
	// organizations that want the old, stricter figures.
	DefaultSCPMaxChars       = 10240
	DefaultSCPMaxAttachments = 10
)

// RetentionOverride changes a tier's retention in one stack. Zero fields
// keep the tier's value.
type RetentionOverride struct {
	HotDays     int `json:"hotDays,omitempty"`
	ArchiveDays int `json:"archiveDays,omitempty"`
}

// Settings are a stack's settings. Build them with FromConfig, or by hand
// with Defaults as the starting point.
type Settings struct {
	// OrganizationRootID is the parent of the tier OUs: the organization
	// root (r-xxxx) or an OU (ou-xxxx-xxxxxxxx) to nest them under.
	OrganizationRootID string
	// AccountEmailMailbox is the mailbox account e-mails are plus-addressed on.
	AccountEmailMailbox string
	// Customers are the catalog keys this stack deploys; nil deploys all.
	Customers []string
	// Protect marks accounts (and, with the log archive, keys, buckets and
	// the trail) protected and retained on delete.
	Protect bool
	// OrgAccessRoleName is the role Organizations creates in new accounts
	// and Tierzone assumes to build inside them.
	OrgAccessRoleName string
	// NamePrefix prefixes organization-wide names (SCPs) so two stacks can
	// share one organization.
	NamePrefix string
	// ManagementRegion is the region of the management-account provider.
	ManagementRegion string
	// CustomerConnectivity is a stack-wide check: no two VPCs of the stack
	// may overlap, connected or not. The network hub does not need it
	// (connected customers are checked among themselves); it stays for
	// stacks that want every CIDR unique.
	CustomerConnectivity bool
	// Retention overrides per tier key.
	Retention map[string]RetentionOverride
	// SCPMaxChars and SCPMaxAttachments are the Organizations quotas checked
	// before anything is registered.
	SCPMaxChars       int
	SCPMaxAttachments int
	// OrganizationID is the AWS Organizations id (o-xxxxxxxxxx); the log
	// archive accepts deliveries only from the organization's accounts.
	OrganizationID string
	// LogArchiveAccountID is the member account the log archive lives in;
	// empty puts the archive in the management account.
	LogArchiveAccountID string
	// Decommission lists customer keys deliberately being taken out of a
	// protected stack: their resources are unprotected (still retained on
	// delete) so that a later removal from Customers succeeds.
	Decommission []string
	// Layout is LayoutSingle (default) or LayoutSharded.
	Layout string
	// CustomerStack is set only in a customer stack of the sharded layout.
	CustomerStack *CustomerStackRef
	// SecurityAccountID is the member account that is the delegated
	// administrator of GuardDuty, Security Hub and AWS Config (AWS advises
	// against administering them from the management account).
	SecurityAccountID string
	// MonitoringAccountID is where the CloudWatch OAM sink and the
	// organization and tier dashboards live; empty: MonitoringAccount().
	MonitoringAccountID string
	// OperatorEmails subscribe the tiers' operators' topics: by tier key,
	// and under "all" to every tier's.
	OperatorEmails map[string][]string
	// IdentityCenter builds customer sign-in through the organization's
	// IAM Identity Center (permission sets, groups, users, assignments);
	// the instance is looked up, so it must be enabled first.
	IdentityCenter bool
	// ShieldAdvanced subscribes every account of a tier that requires
	// Shield Advanced (tiers.Tier.ShieldAdvanced: Gov-Federal) and protects
	// its public addresses. A one-year commitment per subscription, so it
	// is never on by default: the stack must say true.
	ShieldAdvanced bool
	// NetworkAccountID is the member account of the network hub (Transit
	// Gateways, IPAM, egress VPCs); empty: no hub (landingzone/hub.go).
	NetworkAccountID string
	// CentralEgress builds an egress VPC (awsx) per hub region, through
	// which connected customers of tiers that allow it reach the internet
	// without a NAT gateway of their own. Default true; only read with a
	// hub.
	CentralEgress bool
}

// Hub reports whether the stack has a network hub.
func (s Settings) Hub() bool { return s.NetworkAccountID != "" }

// Sharded reports whether the stack belongs to the sharded layout.
func (s Settings) Sharded() bool { return s.Layout == LayoutSharded }

// Defaults returns settings with every optional field at its default.
func Defaults() Settings {
	return Settings{
		Protect:           true,
		OrgAccessRoleName: DefaultOrgAccessRoleName,
		NamePrefix:        DefaultNamePrefix,
		ManagementRegion:  DefaultManagementRegion,
		SCPMaxChars:       DefaultSCPMaxChars,
		SCPMaxAttachments: DefaultSCPMaxAttachments,
		Layout:            LayoutSingle,
		IdentityCenter:    true,
		CentralEgress:     true,
	}
}

// FromConfig reads settings through get, which returns a config value (as
// Pulumi stores it: strings as-is, other YAML values as JSON) and whether it
// was set. Keys are given without the namespace. Every unparsable value is
// reported at once.
func FromConfig(get func(key string) (string, bool)) (Settings, error) {
	s := Defaults()
	var l validation.List
	str := func(key string, dst *string) {
		if v, ok := get(key); ok {
			*dst = strings.TrimSpace(v)
		}
	}
	boolean := func(key string, dst *bool) {
		if v, ok := get(key); ok {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				l.Add(validation.Stack(ConfigNamespace+":"+key), "", "%q is not true or false", v)
				return
			}
			*dst = b
		}
	}
	integer := func(key string, dst *int) {
		if v, ok := get(key); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				l.Add(validation.Stack(ConfigNamespace+":"+key), "", "%q is not a whole number", v)
				return
			}
			*dst = n
		}
	}
	str(KeyOrganizationRootID, &s.OrganizationRootID)
	str(KeyAccountEmailMailbox, &s.AccountEmailMailbox)
	str(KeyOrgAccessRoleName, &s.OrgAccessRoleName)
	str(KeyNamePrefix, &s.NamePrefix)
	str(KeyManagementRegion, &s.ManagementRegion)
	str(KeyOrganizationID, &s.OrganizationID)
	str(KeyLogArchiveAccountID, &s.LogArchiveAccountID)
	str(KeyLayout, &s.Layout)
	str(KeySecurityAccountID, &s.SecurityAccountID)
	str(KeyMonitoringAccountID, &s.MonitoringAccountID)
	if v, ok := get(KeyCustomerStack); ok && strings.TrimSpace(v) != "" && strings.TrimSpace(v) != "null" {
		dec := json.NewDecoder(strings.NewReader(v))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s.CustomerStack); err != nil {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyCustomerStack), "", "want {customer, accountId, archiveDestination} (the fleet orchestrator writes it): %v", err)
		}
		if s.CustomerStack != nil && *s.CustomerStack == (CustomerStackRef{}) {
			// Pulumi.yaml's default, {}: not a customer stack.
			s.CustomerStack = nil
		}
	}
	boolean(KeyProtect, &s.Protect)
	boolean(KeyCustomerConnectivity, &s.CustomerConnectivity)
	boolean(KeyIdentityCenter, &s.IdentityCenter)
	boolean(KeyShieldAdvanced, &s.ShieldAdvanced)
	str(KeyNetworkAccountID, &s.NetworkAccountID)
	boolean(KeyCentralEgress, &s.CentralEgress)
	integer(KeySCPMaxChars, &s.SCPMaxChars)
	integer(KeySCPMaxAttachments, &s.SCPMaxAttachments)
	if v, ok := get(KeyCustomers); ok {
		if err := json.Unmarshal([]byte(v), &s.Customers); err != nil {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyCustomers), "", "want a list of customer keys, e.g. [acme-finance, medicorp-health]: %v", err)
		} else if s.Customers == nil {
			s.Customers = []string{}
		}
	}
	if v, ok := get(KeyDecommission); ok {
		if err := json.Unmarshal([]byte(v), &s.Decommission); err != nil {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyDecommission), "", "want a list of customer keys, e.g. [acme-finance]: %v", err)
		}
		if len(s.Decommission) == 0 {
			// An empty list and none mean the same: nobody is decommissioned.
			s.Decommission = nil
		}
	}
	if v, ok := get(KeyOperatorEmails); ok && strings.TrimSpace(v) != "" {
		if err := json.Unmarshal([]byte(v), &s.OperatorEmails); err != nil {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyOperatorEmails), "", "want a map of tier key (or %q) to e-mail addresses, e.g. {all: [noc@example.com], gov-federal: [fedramp-ops@example.com]}: %v", AllTiers, err)
		}
		if len(s.OperatorEmails) == 0 {
			s.OperatorEmails = nil
		}
	}
	if v, ok := get(KeyRetention); ok {
		dec := json.NewDecoder(strings.NewReader(v))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s.Retention); err != nil {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyRetention), "", "want a map of tier to {hotDays, archiveDays}: %v", err)
		}
	}
	return s, l.Err()
}

// Patterns from the Organizations API model (botocore).
var (
	rootOrOUPattern  = regexp.MustCompile(`^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$`)
	roleNamePattern  = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	namePrefixPattrn = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	regionPattern    = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]$`)
	orgIDPattern     = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
)

// maxBucketNameLength is S3's limit on bucket names (3-63 characters).
const maxBucketNameLength = 63

// AllTiers is the operatorEmails key whose addresses subscribe every
// tier's operators' topic.
const AllTiers = "all"

// OperatorsEmails are the addresses subscribed to a tier's operators'
// topic: the tier's own, then those for every tier, each once.
func (s Settings) OperatorsEmails(tier string) []string {
	var out []string
	for _, e := range append(append([]string(nil), s.OperatorEmails[tier]...), s.OperatorEmails[AllTiers]...) {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// TrailArchiveKey names the organization trail's own archive bucket.
const TrailArchiveKey = "trail"

// ArchiveBucketName is the S3 bucket of an archive boundary (a tier's
// ArchiveBoundary, or TrailArchiveKey). Bucket names are global; the
// organization id makes them unique to this organization.
func (s Settings) ArchiveBucketName(boundary string) string {
	return s.NamePrefix + "-" + boundary + "-logs-" + strings.TrimPrefix(s.OrganizationID, "o-")
}

// validateStack checks the settings themselves.
func (s Settings) validateStack(l *validation.List) {
	key := func(k string) string { return validation.Stack(ConfigNamespace + ":" + k) }
	switch {
	case s.OrganizationRootID == "":
		l.Add(key(KeyOrganizationRootID), "", "missing; set it to the organization root id (r-xxxx, from `aws organizations list-roots`) or an OU id to nest the tier OUs under")
	case !rootOrOUPattern.MatchString(s.OrganizationRootID):
		l.Add(key(KeyOrganizationRootID), "", "%q is not a root id (r-xxxx) or OU id (ou-xxxx-xxxxxxxx)", s.OrganizationRootID)
	}
	s.validateAllButRoot(l)
}

// validateAllButRoot checks every setting but the root the tier OUs sit
// under, which only a whole landing zone needs (a log archive alone does
// not; see ArchiveArgs).
func (s Settings) validateAllButRoot(l *validation.List) {
	key := func(k string) string { return validation.Stack(ConfigNamespace + ":" + k) }
	if !roleNamePattern.MatchString(s.OrgAccessRoleName) {
		l.Add(key(KeyOrgAccessRoleName), "", "%q is not an IAM role name ([\\w+=,.@-], 1-64 characters)", s.OrgAccessRoleName)
	}
	if !namePrefixPattrn.MatchString(s.NamePrefix) {
		l.Add(key(KeyNamePrefix), "", "%q must be 1-32 lowercase letters, digits and hyphens, starting with a letter", s.NamePrefix)
	}
	if !regionPattern.MatchString(s.ManagementRegion) {
		l.Add(key(KeyManagementRegion), "", "%q is not an AWS region name (e.g. us-east-1)", s.ManagementRegion)
	}
	if s.SCPMaxChars < 1 {
		l.Add(key(KeySCPMaxChars), "", "%d must be positive (AWS: 10,240 since May 2026)", s.SCPMaxChars)
	}
	switch {
	case s.OrganizationID == "":
		l.Add(key(KeyOrganizationID), "", "missing; set it to the organization id (o-xxxxxxxxxx, from `aws organizations describe-organization`): the log archive accepts deliveries only from it")
	case !orgIDPattern.MatchString(s.OrganizationID):
		l.Add(key(KeyOrganizationID), "", "%q is not an organization id (o- and 10-32 lowercase letters or digits)", s.OrganizationID)
	default:
		for _, b := range append(tiers.Boundaries(), TrailArchiveKey) {
			if n := s.ArchiveBucketName(b); len(n) > maxBucketNameLength {
				l.Add(key(KeyNamePrefix), "", "archive bucket name %q is %d characters; S3 allows %d (shorten %s)", n, len(n), maxBucketNameLength, ConfigNamespace+":"+KeyNamePrefix)
			}
		}
	}
	if s.LogArchiveAccountID != "" && !accountIDPattern.MatchString(s.LogArchiveAccountID) {
		l.Add(key(KeyLogArchiveAccountID), "", "%q is not a 12-digit AWS account id", s.LogArchiveAccountID)
	}
	switch {
	case s.SecurityAccountID == "":
		l.Add(key(KeySecurityAccountID), "", "missing; set it to the 12-digit id of the security tooling account, the delegated administrator of GuardDuty, Security Hub and AWS Config (AWS advises against the management account)")
	case !accountIDPattern.MatchString(s.SecurityAccountID):
		l.Add(key(KeySecurityAccountID), "", "%q is not a 12-digit AWS account id", s.SecurityAccountID)
	}
	if s.NetworkAccountID != "" && !accountIDPattern.MatchString(s.NetworkAccountID) {
		l.Add(key(KeyNetworkAccountID), "", "%q is not a 12-digit AWS account id", s.NetworkAccountID)
	}
	if s.Hub() && s.Sharded() {
		l.Add(key(KeyNetworkAccountID), "", "the network hub is built by a single-layout stack; the sharded layout does not support it yet (its attachments would span the organization and customer stacks)")
	}
	if s.MonitoringAccountID != "" && !accountIDPattern.MatchString(s.MonitoringAccountID) {
		l.Add(key(KeyMonitoringAccountID), "", "%q is not a 12-digit AWS account id", s.MonitoringAccountID)
	}
	for _, k := range slices.Sorted(maps.Keys(s.OperatorEmails)) {
		if k != AllTiers && !slices.Contains(tiers.Keys(), k) {
			l.Add(key(KeyOperatorEmails), "", "%q is not a tier key (want one of %s, or %q)", k, strings.Join(tiers.Keys(), ", "), AllTiers)
		}
		for _, e := range s.OperatorEmails[k] {
			if err := customers.ValidEmail(e); err != nil {
				l.Add(key(KeyOperatorEmails), "", "%s: %q: %v", k, e, err)
			}
		}
	}
	for _, k := range s.Decommission {
		if strings.TrimSpace(k) == "" {
			l.Add(key(KeyDecommission), "", "an empty entry is not a customer key")
		}
	}
	switch s.Layout {
	case LayoutSingle, LayoutSharded:
	default:
		l.Add(key(KeyLayout), "", "%q is not a layout (want %s or %s)", s.Layout, LayoutSingle, LayoutSharded)
	}
	if c := s.CustomerStack; c != nil {
		subj := key(KeyCustomerStack)
		if !s.Sharded() {
			l.Add(subj, "", "a customer stack belongs to the %s layout; set %s:%s to %s", LayoutSharded, ConfigNamespace, KeyLayout, LayoutSharded)
		}
		if c.Customer == "" {
			l.Add(subj, "customer", "missing")
		}
		if !accountIDPattern.MatchString(c.AccountID) {
			l.Add(subj, "accountId", "%q is not a 12-digit AWS account id", c.AccountID)
		}
		if !strings.HasPrefix(c.ArchiveDestination, "arn:aws:s3:::") || !strings.HasSuffix(c.ArchiveDestination, "/") {
			l.Add(subj, "archiveDestination", "%q is not an S3 flow-log destination (arn:aws:s3:::<bucket>/<prefix>/)", c.ArchiveDestination)
		}
	}
	if s.SCPMaxAttachments < 2 {
		l.Add(key(KeySCPMaxAttachments), "", "%d leaves no room beside FullAWSAccess (AWS: 10 since May 2026)", s.SCPMaxAttachments)
	}
}

// String is a one-line summary for logs.
func (s Settings) String() string {
	return fmt.Sprintf("root=%s mailbox=%s customers=%v protect=%t", s.OrganizationRootID, s.AccountEmailMailbox, s.Customers, s.Protect)
}
