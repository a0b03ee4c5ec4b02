package tests

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/tiers"
)

const (
	tPermissionSet = "aws:ssoadmin/permissionSet:PermissionSet"
	tPSPolicy      = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
	tPSInline      = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
	tAssignment    = "aws:ssoadmin/accountAssignment:AccountAssignment"
	tGroup         = "aws:identitystore/group:Group"
	tUser          = "aws:identitystore/user:User"
	tMembership    = "aws:identitystore/groupMembership:GroupMembership"
)

// accessView indexes a recorded landing zone's Identity Center resources.
type accessView struct {
	g *graph
	// psByARN: permission set name by ARN; groupByID: group display name
	// by id; userByID: user name by id.
	psByARN, groupByID, userByID map[string]string
	// accountOf: customer key by account id; tierOf: tier by customer.
	accountOf, tierOf map[string]string
}

func newAccessView(g *graph, catalog []customers.Customer) *accessView {
	v := &accessView{g: g, psByARN: map[string]string{}, groupByID: map[string]string{}, userByID: map[string]string{},
		accountOf: map[string]string{}, tierOf: map[string]string{}}
	for _, r := range g.ofType(tPermissionSet) {
		v.psByARN[r.Computed()["arn"]] = str(r, "name")
	}
	for _, r := range g.ofType(tGroup) {
		v.groupByID[r.Computed()["groupId"]] = str(r, "displayName")
	}
	for _, r := range g.ofType(tUser) {
		v.userByID[r.Computed()["userId"]] = str(r, "userName")
	}
	for _, r := range g.ofType(tAccount) {
		v.accountOf[r.ID] = g.customerOf(r)
	}
	for _, c := range catalog {
		v.tierOf[c.Key] = c.Tier
	}
	return v
}

// TestPermissionSetsPerTier pins each tier's permission sets to tiers/
// data: names, sessions (Gov-Federal no longer than PT1H), managed and
// inline policies, all in the management account.
func TestPermissionSetsPerTier(t *testing.T) {
	g := runStack(t, "prod")
	require.Len(t, g.ofType(tPermissionSet), 16)
	for _, tier := range tiers.All() {
		for _, p := range tier.Access.PermissionSets {
			name := p.Name(tier.Key)
			ps := g.named(t, tPermissionSet, name)
			assert.Equal(t, p.SessionDuration, str(ps, "sessionDuration"), name)
			assert.Equal(t, recorder.MockSSOInstanceARN, str(ps, "instanceArn"), name)
			arn := ps.Computed()["arn"]
			var policies []string
			for _, a := range g.ofType(tPSPolicy) {
				if str(a, "permissionSetArn") == arn {
					policies = append(policies, str(a, "managedPolicyArn"))
				}
			}
			var want []string
			for _, m := range p.ManagedPolicies {
				want = append(want, tiers.ManagedPolicyARN("aws", m))
			}
			assert.ElementsMatch(t, want, policies, name)
			var inline []string
			for _, a := range g.ofType(tPSInline) {
				if str(a, "permissionSetArn") == arn {
					inline = append(inline, str(a, "inlinePolicy"))
				}
			}
			if p.InlinePolicy == "" {
				assert.Empty(t, inline, name)
			} else {
				assert.Equal(t, []string{p.InlinePolicy}, inline, name)
			}
		}
	}
	gov := g.named(t, tPermissionSet, "tz-gov-federal-customer-admin")
	assert.Equal(t, "PT1H", str(gov, "sessionDuration"), "FedRAMP AC-12: one hour")
	for _, role := range []string{tiers.RoleCustomerAdmin, tiers.RoleOperator} {
		for _, tier := range []string{tiers.Fintech, tiers.Healthcare, tiers.GovFederal} {
			arn := g.named(t, tPermissionSet, "tz-"+tier+"-"+role).Computed()["arn"]
			found := false
			for _, a := range g.ofType(tPSInline) {
				if str(a, "permissionSetArn") == arn {
					found = strings.Contains(str(a, "inlinePolicy"), "cloudtrail:StopLogging")
				}
			}
			assert.True(t, found, "%s %s denies stopping the audit trail", tier, role)
		}
	}
}

// TestCustomerGroupsAndAssignments: every customer has one group per
// customer role and exactly one assignment per group plus the tier's
// operators, all to its own account, with its tier's permission sets.
func TestCustomerGroupsAndAssignments(t *testing.T) {
	catalog := customers.Catalog()
	g := runStack(t, "prod")
	v := newAccessView(g, catalog)
	for _, c := range catalog {
		tier, _ := tiers.Lookup(c.Tier)
		var groups []string
		for _, r := range g.forCustomer(c.Key, tGroup) {
			groups = append(groups, str(r, "displayName"))
		}
		assert.ElementsMatch(t, []string{c.Key + "-admins", c.Key + "-readonly", c.Key + "-auditors"}, groups, c.Key)
		got := map[string]string{}
		for _, a := range g.forCustomer(c.Key, tAssignment) {
			assert.Equal(t, c.Key, v.accountOf[str(a, "targetId")], "%s targets account %s", a.Name, str(a, "targetId"))
			assert.Equal(t, "GROUP", str(a, "principalType"))
			got[v.groupByID[str(a, "principalId")]] = v.psByARN[str(a, "permissionSetArn")]
		}
		assert.Equal(t, map[string]string{
			c.Key + "-admins":                       "tz-" + tier.Key + "-customer-admin",
			c.Key + "-readonly":                     "tz-" + tier.Key + "-customer-readonly",
			c.Key + "-auditors":                     "tz-" + tier.Key + "-auditor",
			components.OperatorsGroupName(tier.Key): "tz-" + tier.Key + "-operator",
		}, got, c.Key)
	}
}

// TestAccessIsolation: across the whole fleet, no assignment gives a
// customer's group any account but its own, an operators group reaches
// only accounts of its tier, and every permission set assigned is of the
// target account's tier.
func TestAccessIsolation(t *testing.T) {
	catalog := customers.Catalog()
	g := runStack(t, "prod")
	v := newAccessView(g, catalog)
	assignments := g.ofType(tAssignment)
	require.Len(t, assignments, 4*len(catalog))
	reached := map[string][]string{}
	for _, a := range assignments {
		target := v.accountOf[str(a, "targetId")]
		require.NotEmpty(t, target, "%s targets %s, which is no customer's account", a.Name, str(a, "targetId"))
		group := v.groupByID[str(a, "principalId")]
		require.NotEmpty(t, group, "%s: principal %s is not a Tierzone group", a.Name, str(a, "principalId"))
		targetTier := v.tierOf[target]
		if tierKey, ok := strings.CutPrefix(group, "tz-"); ok {
			tierKey = strings.TrimSuffix(tierKey, "-operators")
			assert.Equal(t, tierKey, targetTier, "operators of %s reach %s (%s)", tierKey, target, targetTier)
		} else {
			owner := group[:strings.LastIndex(group, "-")]
			assert.Equal(t, owner, target, "group %s reaches the account of %s", group, target)
		}
		assert.True(t, strings.HasPrefix(v.psByARN[str(a, "permissionSetArn")], "tz-"+targetTier+"-"),
			"%s assigns %s to a %s account", a.Name, v.psByARN[str(a, "permissionSetArn")], targetTier)
		reached[group] = append(reached[group], target)
	}
	for _, tier := range tiers.All() {
		var want []string
		for _, c := range catalog {
			if c.Tier == tier.Key {
				want = append(want, c.Key)
			}
		}
		assert.ElementsMatch(t, want, reached[components.OperatorsGroupName(tier.Key)], "operators of %s reach every account of the tier", tier.Key)
	}
}

// TestCatalogUsersBecomeMembers: each catalog user is an Identity Store
// user (user name = lower-cased e-mail, names from the display name) in
// its role's group of its own customer.
func TestCatalogUsersBecomeMembers(t *testing.T) {
	catalog := customers.Catalog()
	for i := range catalog {
		switch catalog[i].Key {
		case "acme-finance":
			catalog[i].Users = []customers.User{
				{Email: "Ana.Diaz@acmefinance.example", DisplayName: "Ana María Diaz", Role: tiers.RoleCustomerAdmin},
				{Email: "ops@acmefinance.example", DisplayName: "Operations", Role: tiers.RoleCustomerReadOnly},
			}
		case "techgov-federal":
			catalog[i].Users = []customers.User{{Email: "isso@techgov.example", DisplayName: "Ida Sso", Role: tiers.RoleAuditor}}
		}
	}
	g := run(t, "prod", catalogConfig(t, "prod"), catalog)
	v := newAccessView(g, catalog)
	users := map[string]recorder.Resource{}
	for _, u := range g.ofType(tUser) {
		users[str(u, "userName")] = u
	}
	require.Len(t, users, 3)
	ana := users["ana.diaz@acmefinance.example"]
	assert.Equal(t, "acme-finance", g.customerOf(ana))
	assert.Equal(t, "Ana María Diaz", str(ana, "displayName"))
	name := ana.Inputs["name"].ObjectValue()
	assert.Equal(t, "Ana María", name["givenName"].StringValue())
	assert.Equal(t, "Diaz", name["familyName"].StringValue())
	one := users["ops@acmefinance.example"].Inputs["name"].ObjectValue()
	assert.Equal(t, "Operations", one["familyName"].StringValue(), "a one-word display name is both names")

	members := map[string]string{}
	for _, m := range g.ofType(tMembership) {
		members[v.userByID[str(m, "memberId")]] = v.groupByID[str(m, "groupId")]
	}
	assert.Equal(t, map[string]string{
		"ana.diaz@acmefinance.example": "acme-finance-admins",
		"ops@acmefinance.example":      "acme-finance-readonly",
		"isso@techgov.example":         "techgov-federal-auditors",
	}, members)
}

// TestIdentityCenterOff: with tierzone:identityCenter false nothing of
// Identity Center is registered.
func TestIdentityCenterOff(t *testing.T) {
	cfg := stackConfig(t, "prod")
	cfg["tierzone:identityCenter"] = "false"
	g := run(t, "prod", cfg, customers.Catalog())
	for _, r := range g.all {
		if strings.HasPrefix(r.Type, "aws:ssoadmin/") || strings.HasPrefix(r.Type, "aws:identitystore/") || strings.HasPrefix(r.Type, "tierzone:access:") {
			t.Errorf("%s %s registered with Identity Center off", r.Type, r.Name)
		}
	}
	assert.NotEmpty(t, g.ofType(tAccount))
}

// TestAccessRolesValidated: a user's role must be a customer role of its
// tier; the operator role is the provider's, not a customer's.
func TestAccessRolesValidated(t *testing.T) {
	catalog := customers.Catalog()
	catalog[0].Users = []customers.User{{Email: "a@acme.example", DisplayName: "A", Role: tiers.RoleOperator}}
	probs := runInvalid(t, catalogConfig(t, "prod"), catalog)
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.String())
	}
	assert.True(t, slices.ContainsFunc(msgs, func(m string) bool {
		return strings.Contains(m, catalog[0].Key) && strings.Contains(m, "users[0].role") && strings.Contains(m, "operator")
	}), "%v", msgs)
}
