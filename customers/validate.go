package customers

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/tierzone/tierzone/netplan"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// Limits on catalog fields, each from the AWS API model or derived from it.
const (
	// MaxKeyLength keeps every name derived from the key inside AWS limits:
	// the flow-log IAM role is named "<key>-flow-logs-role" plus Pulumi's
	// 8-character random suffix, and IAM role names are at most 64 characters
	// (IAM API reference, CreateRole RoleName); the plus-addressed e-mail
	// must also stay within 64 characters.
	MaxKeyLength = 32
	// MaxAccountNameLength: CreateAccount AccountName is 1-50 printable ASCII
	// characters, pattern [\u0020-\u007E]+ (botocore organizations CreateAccountName).
	MaxAccountNameLength = 50
	// MinEmailLength and MaxEmailLength: CreateAccount Email is 6-64
	// characters (botocore organizations Email shape).
	MinEmailLength = 6
	MaxEmailLength = 64
	// MaxTags: EC2 and Organizations allow 50 user tags per resource; Tierzone
	// adds its own (customer, tier, framework, managed-by, contact, vpc-cidr).
	MaxTags      = 50
	reservedTags = 6
	maxTagKeyLen = 128
	maxTagValLen = 256
	accountIDLen = 12
)

var (
	keyPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	// emailPattern follows CreateAccount's rules: 7-bit ASCII, one @, a local
	// part without whitespace or " ' ( ) < > [ ] : ; , \ | % &, not starting
	// with a dot; a domain of [a-zA-Z0-9.-] with a dot, not starting or ending
	// with - or . (botocore organizations Email).
	emailPattern = regexp.MustCompile(`^[^\s@"'()<>\[\]:;,\\|%&.][^\s@"'()<>\[\]:;,\\|%&]*@[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$`)
	digits       = regexp.MustCompile(`^[0-9]+$`)
	// tagPattern is the Organizations TagKey/TagValue pattern (botocore).
	tagPattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// Options are the stack settings customer validation depends on.
type Options struct {
	// Mailbox is the stack's account mailbox (local@domain); customers with
	// no Email get local+key@domain.
	Mailbox string
	// Hub is whether the stack has a network hub (tierzone:networkAccountId):
	// customers may then set connectivity, and may omit vpcCidr to have
	// one allocated from their tier's IPAM pool.
	Hub bool
}

// ValidEmail reports whether s is an address CreateAccount accepts.
func ValidEmail(s string) error {
	switch {
	case len(s) < MinEmailLength || len(s) > MaxEmailLength:
		return fmt.Errorf("%q is %d characters; AWS accepts %d to %d", s, len(s), MinEmailLength, MaxEmailLength)
	case !isASCII(s):
		return fmt.Errorf("%q is not 7-bit ASCII", s)
	case !emailPattern.MatchString(s):
		return fmt.Errorf("%q is not a valid account e-mail address (want local@domain.tld)", s)
	}
	return nil
}

// AccountEmail is the customer's account e-mail: its own, or the mailbox
// plus-addressed with its key.
func AccountEmail(c Customer, mailbox string) string {
	if c.Email != "" {
		return c.Email
	}
	local, domain, ok := strings.Cut(mailbox, "@")
	if !ok || c.Key == "" {
		return ""
	}
	if base, _, plus := strings.Cut(local, "+"); plus {
		local = base
	}
	return local + "+" + c.Key + "@" + domain
}

// Validate checks the catalog and returns every problem found, or nil.
func Validate(cs []Customer, opts Options) error {
	var l validation.List
	if len(cs) == 0 {
		l.Add("catalog", "customers", "no customers; the catalog must list at least one")
	}
	keys := map[string]int{}
	emails := map[string]string{}
	accounts := map[string]string{}
	userEmails := map[string]string{}
	uses := map[string]int{}
	byKey := tiers.ByKey()
	for _, c := range cs {
		uses[c.Key]++
	}
	for i, c := range cs {
		subj := validation.CustomerAt(i, c.Key)
		if uses[c.Key] > 1 && c.Key != "" {
			// A duplicated key cannot tell its customers apart; add the position.
			subj = fmt.Sprintf("%s (#%d)", subj, i+1)
		}
		validateKey(&l, subj, c.Key)
		if prev, dup := keys[c.Key]; dup && c.Key != "" {
			l.Add(subj, "key", "duplicate key: customers #%d and #%d both use it; keys must be unique", prev+1, i+1)
		} else {
			keys[c.Key] = i
		}
		validateName(&l, subj, c.Name)
		tier, knownTier := byKey[c.Tier]
		if c.Tier == "" {
			l.Add(subj, "tier", "missing; want one of: %s", strings.Join(tiers.Keys(), ", "))
		} else if !knownTier {
			l.Add(subj, "tier", "%q is not a tier; want one of: %s", c.Tier, strings.Join(tiers.Keys(), ", "))
		}

		email := AccountEmail(c, opts.Mailbox)
		switch {
		case c.Email != "":
			if err := ValidEmail(c.Email); err != nil {
				l.Add(subj, "email", "%v", err)
			}
		case opts.Mailbox == "":
			// Reported once for the stack by the caller; see NeedMailbox.
		case c.Key != "":
			if err := ValidEmail(email); err != nil {
				l.Add(subj, "email", "derived address %v; set email explicitly or use a shorter mailbox or key", err)
			}
		}
		if email != "" {
			norm := strings.ToLower(email)
			if other, dup := emails[norm]; dup {
				l.Add(subj, "email", "%q is already the account e-mail of %s; every AWS account needs its own address", email, other)
			} else {
				emails[norm] = subj
			}
		}
		if c.ContactEmail != "" {
			if err := ValidEmail(c.ContactEmail); err != nil {
				l.Add(subj, "contactEmail", "%v", err)
			}
		}

		if c.ExistingAccountID != "" {
			if c.Email == "" {
				// Organizations cannot change a member account's root e-mail
				// (the provider replaces the account instead), so an adopted
				// account must name the address it already has.
				l.Add(subj, "email", "required for an adopted account (existingAccountId): set it to the account's current root e-mail; a derived address would replace the account")
			}
			if len(c.ExistingAccountID) != accountIDLen || !digits.MatchString(c.ExistingAccountID) {
				l.Add(subj, "existingAccountId", "%q is not an AWS account ID (exactly 12 digits)", c.ExistingAccountID)
			} else if other, dup := accounts[c.ExistingAccountID]; dup {
				l.Add(subj, "existingAccountId", "%s is already adopted by %s", c.ExistingAccountID, other)
			} else {
				accounts[c.ExistingAccountID] = subj
			}
		}

		switch {
		case c.VPCCIDR == "" && !opts.Hub:
			l.Add(subj, "vpcCidr", "missing; want an RFC 1918 block from /%d to /%d, e.g. 10.7.0.0/16 (or set tierzone:networkAccountId to have IPAM allocate one from the tier's pool)", netplan.MinPrefix, netplan.MaxPrefix)
		case c.VPCCIDR == "":
			// Allocated from the tier's pool (landingzone/hub.go).
		default:
			if _, err := netplan.ParseVPC(c.VPCCIDR); err != nil {
				l.Add(subj, "vpcCidr", "%v", err)
			}
		}
		if c.Connectivity && !opts.Hub {
			l.Add(subj, "connectivity", "true, but the stack has no network hub; set tierzone:networkAccountId to the network account, or remove connectivity")
		}

		if knownTier {
			if c.Region != "" && !tier.AllowsRegion(c.Region) {
				l.Add(subj, "region", "%q is not allowed for tier %s; allowed: %s", c.Region, tier.Key, strings.Join(tier.AllowedRegions, ", "))
			}
			validateSegment(&l, subj, c, tier)
			if c.MonthlyBudgetUSD < 0 || c.MonthlyBudgetUSD > MaxMonthlyBudgetUSD {
				l.Add(subj, "monthlyBudgetUsd", "%d must be 1 to %d (0 or absent keeps the tier's $%d)", c.MonthlyBudgetUSD, MaxMonthlyBudgetUSD, tier.Billing.MonthlyBudgetUSD)
			}
			if c.NATGateway != nil && !tier.NATGateway.Allows(*c.NATGateway) {
				l.Add(subj, "natGateway", "tier %s requires a NAT gateway (%s); remove natGateway: false", tier.Key, tier.NATGateway.Reason)
			}
			if c.VPNGateway != nil && !tier.VPNGateway.Allows(*c.VPNGateway) {
				l.Add(subj, "vpnGateway", "tier %s requires a VPN gateway (%s); remove vpnGateway: false", tier.Key, tier.VPNGateway.Reason)
			}
		}
		validateTags(&l, subj, c.Tags)
		var userTier *tiers.Tier
		if knownTier {
			userTier = &tier
		}
		validateUsers(&l, subj, c, userTier, userEmails)
	}
	return l.Err()
}

// CheckOverlap reports every pair of customers whose VPC CIDRs overlap (for
// a stack that connects its customers' VPCs). Unparsable CIDRs are left to
// Validate.
func CheckOverlap(cs []Customer) error {
	var l validation.List
	type placed struct {
		key string
		vpc netip.Prefix
	}
	var vpcs []placed
	for _, c := range cs {
		if p, err := netplan.ParseVPC(c.VPCCIDR); err == nil {
			vpcs = append(vpcs, placed{c.Key, p})
		}
	}
	for i := range vpcs {
		for _, o := range vpcs[i+1:] {
			if vpcs[i].vpc.Overlaps(o.vpc) {
				l.Add(validation.Customer(o.key), "vpcCidr", "%s overlaps %s of customer %q; customer VPCs must not overlap when tierzone:customerConnectivity is on", o.vpc, vpcs[i].vpc, vpcs[i].key)
			}
		}
	}
	return l.Err()
}

func validateKey(l *validation.List, subj, key string) {
	switch {
	case key == "":
		l.Add(subj, "key", "missing; every customer needs a stable key (lowercase letters, digits, hyphens)")
	case len(key) > MaxKeyLength:
		l.Add(subj, "key", "%q is %d characters; at most %d keep every derived AWS resource name within its limit", key, len(key), MaxKeyLength)
	case !keyPattern.MatchString(key):
		l.Add(subj, "key", "%q must be lowercase letters, digits and single hyphens, starting with a letter (e.g. acme-finance)", key)
	}
}

func validateName(l *validation.List, subj, name string) {
	switch {
	case strings.TrimSpace(name) == "":
		l.Add(subj, "name", "missing; the display name becomes the AWS account name")
	case len(name) > MaxAccountNameLength:
		l.Add(subj, "name", "%q is %d characters; AWS account names are at most %d", name, len(name), MaxAccountNameLength)
	default:
		for _, r := range name {
			if r < 0x20 || r > 0x7e {
				l.Add(subj, "name", "%q contains %q; AWS account names are printable ASCII only", name, r)
				break
			}
		}
	}
}

// ReservedTagKeys are the tags Tierzone sets on a customer's resources
// (the landing zone adds all but Name; each VPC resource adds Name). A
// customer's own tags may not use them.
func ReservedTagKeys() []string {
	return []string{"customer", "tier", "framework", "managed-by", "vpc-cidr", "contact", "Name"}
}

func validateTags(l *validation.List, subj string, tags map[string]string) {
	reserved := ReservedTagKeys()
	if room := MaxTags - len(reserved); len(tags) > room {
		l.Add(subj, "tags", "%d tags; at most %d (AWS allows %d per resource, Tierzone sets %d)", len(tags), room, MaxTags, len(reserved))
	}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v := tags[k]
		switch {
		case slices.Contains(reserved, k):
			l.Add(subj, "tags", "key %q is set by Tierzone (reserved: %s)", k, strings.Join(reserved, ", "))
		case k == "" || len(k) > maxTagKeyLen:
			l.Add(subj, "tags", "key %q must be 1 to %d characters", k, maxTagKeyLen)
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			l.Add(subj, "tags", "key %q uses the reserved aws: prefix", k)
		case !tagPattern.MatchString(k):
			l.Add(subj, "tags", "key %q has characters AWS tags reject (allowed: letters, digits, spaces, _ . : / = + - @)", k)
		case len(v) > maxTagValLen || !tagPattern.MatchString(v):
			l.Add(subj, "tags", "value of %q must be at most %d characters of letters, digits, spaces, _ . : / = + - @", k, maxTagValLen)
		}
	}
}

// ValidateMailbox checks the stack mailbox used to derive account e-mails.
func ValidateMailbox(mailbox string) error {
	return ValidEmail(mailbox)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > 0x7f {
			return false
		}
	}
	return true
}

// NeedMailbox returns the keys of customers whose account e-mail must be
// derived from the stack mailbox.
func NeedMailbox(cs []Customer) []string {
	var keys []string
	for _, c := range cs {
		if c.Email == "" {
			keys = append(keys, c.Key)
		}
	}
	return keys
}
