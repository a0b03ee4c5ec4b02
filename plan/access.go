package plan

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/tiers"
)

// Access is the plan's IAM Identity Center section: each tier's
// permission sets and each customer's groups, users, assignments and login
// links (nil when the stack has tierzone:identityCenter off).
type Access struct {
	// PortalURL is the access portal of the looked-up identity store (a
	// placeholder offline).
	PortalURL      string                 `json:"portalUrl"`
	PermissionSets []PlannedPermissionSet `json:"permissionSets"`
	Customers      []CustomerAccess       `json:"customers"`
}

// PlannedPermissionSet is one registered permission set.
type PlannedPermissionSet struct {
	Tier            string   `json:"tier"`
	Name            string   `json:"name"`
	SessionDuration string   `json:"sessionDuration"`
	ManagedPolicies []string `json:"managedPolicies"`
	InlinePolicy    bool     `json:"inlinePolicy"`
}

// CustomerAccess is one customer's registered sign-in.
type CustomerAccess struct {
	Customer string   `json:"customer"`
	Groups   []string `json:"groups"`
	Users    int      `json:"users"`
	// Assignments are "<group> -> <permission set>", all on the
	// customer's own account.
	Assignments []string `json:"assignments"`
	// LoginLinks by role, into the customer's (placeholder) account id.
	LoginLinks map[string]string `json:"loginLinks"`
}

// accessOf reads the Identity Center resources from the recorded plan.
func accessOf(ix *index, p *landingzone.Plan) *Access {
	psByARN, groupByID := map[string]string{}, map[string]string{}
	var sets, groups, users, assigns, policies, inlines []recorder.Resource
	accounts := map[string]string{}
	for _, r := range ix.res {
		switch r.Type {
		case "aws:ssoadmin/permissionSet:PermissionSet":
			sets = append(sets, r)
			psByARN[r.Computed()["arn"]] = str(r.Inputs, "name")
		case "aws:identitystore/group:Group":
			groups = append(groups, r)
			groupByID[r.Computed()["groupId"]] = str(r.Inputs, "displayName")
		case "aws:identitystore/user:User":
			users = append(users, r)
		case "aws:ssoadmin/accountAssignment:AccountAssignment":
			assigns = append(assigns, r)
		case "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment":
			policies = append(policies, r)
		case "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy":
			inlines = append(inlines, r)
		case typeAccount:
			if o := ix.owner(r.URN); o.customer != "" {
				accounts[o.customer] = r.ID
			}
		}
	}
	if len(sets) == 0 {
		return nil
	}
	a := &Access{PortalURL: tiers.PortalURL(recorder.MockIdentityStoreID)}
	for _, ts := range p.Tiers {
		for _, ps := range ts.Tier.Access.PermissionSets {
			name := ps.Name(ts.Tier.Key)
			i := slices.IndexFunc(sets, func(r recorder.Resource) bool { return str(r.Inputs, "name") == name })
			if i < 0 {
				continue
			}
			arn := sets[i].Computed()["arn"]
			row := PlannedPermissionSet{Tier: ts.Tier.Key, Name: name, SessionDuration: str(sets[i].Inputs, "sessionDuration")}
			for _, m := range policies {
				if str(m.Inputs, "permissionSetArn") == arn {
					pol := str(m.Inputs, "managedPolicyArn")
					row.ManagedPolicies = append(row.ManagedPolicies, pol[strings.LastIndex(pol, "/")+1:])
				}
			}
			row.InlinePolicy = slices.ContainsFunc(inlines, func(r recorder.Resource) bool { return str(r.Inputs, "permissionSetArn") == arn })
			a.PermissionSets = append(a.PermissionSets, row)
		}
	}
	// Each customer's resources, in one pass (not one per customer).
	type owned struct {
		groups, assigns []string
		users           int
	}
	byCustomer := map[string]*owned{}
	of := func(urn string) *owned {
		key := ix.owner(urn).customer
		if byCustomer[key] == nil {
			byCustomer[key] = &owned{}
		}
		return byCustomer[key]
	}
	for _, g := range groups {
		o := of(g.URN)
		o.groups = append(o.groups, str(g.Inputs, "displayName"))
	}
	for _, u := range users {
		of(u.URN).users++
	}
	for _, as := range assigns {
		o := of(as.URN)
		o.assigns = append(o.assigns, groupByID[str(as.Inputs, "principalId")]+" -> "+psByARN[str(as.Inputs, "permissionSetArn")])
	}
	for _, cs := range p.Customers {
		key := cs.Customer.Key
		o := byCustomer[key]
		if o == nil || len(o.assigns) == 0 {
			continue
		}
		ca := CustomerAccess{Customer: key, Groups: o.groups, Users: o.users, Assignments: o.assigns, LoginLinks: map[string]string{}}
		for _, ps := range cs.Tier.Access.PermissionSets {
			ca.LoginLinks[ps.Role] = ps.LoginLink(a.PortalURL, cs.Tier.Key, accounts[key])
		}
		slices.Sort(ca.Groups)
		slices.Sort(ca.Assignments)
		a.Customers = append(a.Customers, ca)
	}
	return a
}

func (r *Report) writeAccess(w io.Writer) {
	a := r.Access
	if a == nil {
		fmt.Fprintln(w, "IAM Identity Center is off (tierzone:identityCenter false): nobody signs in but through the management account's role.")
		return
	}
	fmt.Fprintf(w, "Access portal %s (the identity store is looked up at deploy time)\n", a.PortalURL)
	for _, ps := range a.PermissionSets {
		inline := ""
		if ps.InlinePolicy {
			inline = " + inline deny (audit trail)"
		}
		fmt.Fprintf(w, "  %-32s %-5s %s%s\n", ps.Name, ps.SessionDuration, strings.Join(ps.ManagedPolicies, ", "), inline)
	}
	fmt.Fprintf(w, "Operators groups: %s, one per tier, on every account of its tier only.\n", components.OperatorsGroupName("<tier>"))
	for _, c := range a.Customers {
		fmt.Fprintf(w, "%s: groups %s; %d users; %d assignments, all on its own account\n", c.Customer, strings.Join(c.Groups, ", "), c.Users, len(c.Assignments))
		for _, role := range []string{tiers.RoleCustomerAdmin, tiers.RoleCustomerReadOnly, tiers.RoleAuditor, tiers.RoleOperator} {
			if l, ok := c.LoginLinks[role]; ok {
				fmt.Fprintf(w, "    %-18s %s\n", role, l)
			}
		}
	}
}
