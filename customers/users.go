package customers

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// Identity Store limits (AWS SDK identitystore model, CreateUser /
// CreateGroup): UserName at most 128 characters, DisplayName at most 1,024;
// "Administrator" and "AWSAdministrators" are reserved for users and groups.
const (
	MaxIdentityUserNameLength    = 128
	MaxIdentityDisplayNameLength = 1024
	// MaxUsersPerCustomer keeps a customer's assignments well inside the
	// Identity Center quotas; larger teams belong in an external IdP.
	MaxUsersPerCustomer = 100
)

// User is one person of a customer who signs in through IAM Identity
// Center. Tierzone creates the Identity Store user (user name = e-mail),
// puts it in the customer's group for role and assigns that group to the
// customer's account only.
type User struct {
	Email       string `json:"email"`
	DisplayName string `json:"displayName"`
	// Role is one of the tier's customer roles (tiers.Access.CustomerRoles):
	// customer-admin, customer-readonly, auditor.
	Role string `json:"role"`
}

// NameParts are the given and family names of the Identity Store user,
// from the display name: the last word is the family name, the rest the
// given name; a one-word display name is both (Identity Store requires
// both).
func (u User) NameParts() (given, family string) {
	words := strings.Fields(u.DisplayName)
	switch len(words) {
	case 0:
		return "", ""
	case 1:
		return words[0], words[0]
	}
	return strings.Join(words[:len(words)-1], " "), words[len(words)-1]
}

func reservedIdentityName(s string) bool {
	return strings.EqualFold(s, "Administrator") || strings.EqualFold(s, "AWSAdministrators")
}

// validateUsers checks one customer's users; emails is shared across the
// catalog (lower-cased e-mail -> where first used).
func validateUsers(l *validation.List, subj string, c Customer, tier *tiers.Tier, emails map[string]string) {
	if len(c.Users) > MaxUsersPerCustomer {
		l.Add(subj, "users", "%d users; at most %d per customer", len(c.Users), MaxUsersPerCustomer)
	}
	for i, u := range c.Users {
		field := fmt.Sprintf("users[%d]", i)
		switch {
		case u.Email == "":
			l.Add(subj, field+".email", "missing; the e-mail is the Identity Center user name")
		case len(u.Email) > MaxIdentityUserNameLength:
			l.Add(subj, field+".email", "%q is %d characters; Identity Store user names are at most %d", u.Email, len(u.Email), MaxIdentityUserNameLength)
		case !isASCII(u.Email) || !emailPattern.MatchString(u.Email):
			l.Add(subj, field+".email", "%q is not a valid e-mail address (want local@domain.tld)", u.Email)
		default:
			norm := strings.ToLower(u.Email)
			if other, dup := emails[norm]; dup {
				l.Add(subj, field+".email", "%q is already a user of %s; Identity Store user names are unique", u.Email, other)
			} else {
				emails[norm] = subj
			}
		}
		n := utf8.RuneCountInString(u.DisplayName)
		switch {
		case strings.TrimSpace(u.DisplayName) == "":
			l.Add(subj, field+".displayName", "missing")
		case n > MaxIdentityDisplayNameLength:
			l.Add(subj, field+".displayName", "%d characters; Identity Store display names are at most %d", n, MaxIdentityDisplayNameLength)
		case reservedIdentityName(u.DisplayName):
			l.Add(subj, field+".displayName", "%q is reserved by Identity Store", u.DisplayName)
		}
		if tier != nil {
			roles := tier.Access.CustomerRoles()
			if !slices.Contains(roles, u.Role) {
				l.Add(subj, field+".role", "%q is not a customer role of tier %s; want one of: %s", u.Role, tier.Key, strings.Join(roles, ", "))
			}
		}
	}
}
