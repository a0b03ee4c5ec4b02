package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/plan"
)

// Status is what a change does to a customer, resource or control.
type Status string

// Statuses; the empty Status is "unchanged".
const (
	Added   Status = "added"
	Changed Status = "changed"
	Removed Status = "removed"
)

// Diff is what the plan changes against another plan (--against): the
// base is what is there, the head what would be.
type Diff struct {
	// Against names the base: a stack, a catalog file or a plan JSON file.
	Against string
	Base    *plan.Report
	// Customers are the head's added and changed customers by key;
	// Removed are the base's customers the head no longer has, in base
	// order. Order lists added and changed keys in head order.
	Customers map[string]CustomerChange
	Order     []string
	Removed   []plan.Customer
	Resources ResourceDelta
	// Controls lists, per customer, the controls added, removed or
	// changed (their requirement ids), in head then base order.
	Controls []ControlDelta
	// Cost is set when both plans have their cost sections.
	Cost *CostDelta
	// DeploySeconds is base and head deployment time (both plans with
	// their cost sections).
	DeploySeconds *[2]int
}

// CustomerChange is one added or changed customer.
type CustomerChange struct {
	Status Status
	Fields []FieldChange
}

// FieldChange is one customer field's old and new value.
type FieldChange struct {
	Field, Old, New string
}

// ResourceDelta counts resources by URN: added, removed, and present in
// both with other inputs or options; ByType lists the types whose count
// changed, largest change first.
type ResourceDelta struct {
	Added, Changed, Removed int
	ByType                  []TypeDelta
}

// TypeDelta is one resource type's count in the base and the head.
type TypeDelta struct {
	Type      string
	Old, New  int
	ShortType string
}

// ControlDelta is one customer's control changes, by control id.
type ControlDelta struct {
	Customer                string
	Status                  Status
	Added, Removed, Changed []string
}

// CostDelta is the base's and the head's monthly totals.
type CostDelta struct {
	Base, Head cost.Totals
}

// Compare returns what head changes against base.
func Compare(against string, base, head *plan.Report) *Diff {
	d := &Diff{Against: against, Base: base, Customers: map[string]CustomerChange{}}
	old := map[string]plan.Customer{}
	for _, c := range base.Customers {
		old[c.Key] = c
	}
	inHead := map[string]bool{}
	for _, c := range head.Customers {
		inHead[c.Key] = true
		o, ok := old[c.Key]
		if !ok {
			d.Customers[c.Key] = CustomerChange{Status: Added}
			d.Order = append(d.Order, c.Key)
			continue
		}
		if f := customerFieldChanges(o, c); len(f) > 0 {
			d.Customers[c.Key] = CustomerChange{Status: Changed, Fields: f}
			d.Order = append(d.Order, c.Key)
		}
	}
	for _, c := range base.Customers {
		if !inHead[c.Key] {
			d.Removed = append(d.Removed, c)
		}
	}
	d.Resources = resourceDelta(base, head)
	d.Controls = controlDeltas(base.Controls, head.Controls)
	if base.Cost != nil && head.Cost != nil {
		d.Cost = &CostDelta{Base: base.Cost.Totals, Head: head.Cost.Totals}
	}
	if base.DeployTime != nil && head.DeployTime != nil {
		d.DeploySeconds = &[2]int{base.DeployTime.TotalSeconds, head.DeployTime.TotalSeconds}
	}
	return d
}

// Status is a customer's status in the diff (nil diff: unchanged).
func (d *Diff) Status(key string) Status {
	if d == nil {
		return ""
	}
	return d.Customers[key].Status
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.Order) == 0 && len(d.Removed) == 0 && d.Resources.Added+d.Resources.Changed+d.Resources.Removed == 0 && len(d.Controls) == 0
}

// customerFields are a customer's compared fields, as text.
func customerFields(c plan.Customer) [][2]string {
	subnets := make([]string, len(c.Subnets))
	for i, s := range c.Subnets {
		subnets[i] = fmt.Sprintf("%s %s %s", s.Role, s.CIDR, s.AvailabilityZone)
	}
	return [][2]string{
		{"name", c.Name},
		{"tier", c.Tier},
		{"ou", c.OU},
		{"accountEmail", c.AccountEmail},
		{"existingAccountId", c.ExistingAccountID},
		{"region", c.Region},
		{"vpcCidr", c.VPCCIDR},
		{"subnets", strings.Join(subnets, ", ")},
		{"natGateway", fmt.Sprint(c.NATGateway)},
		{"vpnGateway", fmt.Sprint(c.VPNGateway)},
		{"flowLogs.hotDays", fmt.Sprint(c.FlowLogs.HotDays)},
		{"flowLogs.archiveDays", fmt.Sprint(c.FlowLogs.ArchiveDays)},
		{"monthlyPriceUSD", fmt.Sprint(c.MonthlyPriceUSD)},
		{"resources", fmt.Sprint(c.Resources)},
	}
}

func customerFieldChanges(o, n plan.Customer) []FieldChange {
	of, nf := customerFields(o), customerFields(n)
	var out []FieldChange
	for i := range of {
		if of[i][1] != nf[i][1] {
			out = append(out, FieldChange{Field: of[i][0], Old: of[i][1], New: nf[i][1]})
		}
	}
	return out
}

// resourceKey is what makes two resources with one URN the same. URNs
// name their stack; stack strips it (from the resource's own URN and every
// reference), so a plan compares with another stack's.
func resourceKey(r plan.Resource, stack *strings.Replacer) string {
	r.ID = "" // the mock's placeholder ids say nothing
	b, err := json.Marshal(r)
	if err != nil {
		return stack.Replace(fmt.Sprint(r))
	}
	return stack.Replace(string(b))
}

// stackless rewrites "urn:pulumi:<stack>::" to "urn:pulumi:::".
func stackless(stack string) *strings.Replacer {
	return strings.NewReplacer("urn:pulumi:"+stack+"::", "urn:pulumi:::")
}

func resourceDelta(base, head *plan.Report) ResourceDelta {
	var d ResourceDelta
	bs, hs := stackless(base.Summary.Stack), stackless(head.Summary.Stack)
	old := make(map[string]string, len(base.Resources))
	for _, r := range base.Resources {
		old[bs.Replace(r.URN)] = resourceKey(r, bs)
	}
	seen := make(map[string]bool, len(head.Resources))
	for _, r := range head.Resources {
		urn := hs.Replace(r.URN)
		seen[urn] = true
		k, ok := old[urn]
		switch {
		case !ok:
			d.Added++
		case k != resourceKey(r, hs):
			d.Changed++
		}
	}
	for urn := range old {
		if !seen[urn] {
			d.Removed++
		}
	}
	types := map[string]bool{}
	for t := range base.Summary.ResourcesByType {
		types[t] = true
	}
	for t := range head.Summary.ResourcesByType {
		types[t] = true
	}
	for t := range types {
		o, n := base.Summary.ResourcesByType[t], head.Summary.ResourcesByType[t]
		if o != n {
			d.ByType = append(d.ByType, TypeDelta{Type: t, Old: o, New: n, ShortType: plan.ShortType(t)})
		}
	}
	sort.Slice(d.ByType, func(i, j int) bool {
		a, b := abs(d.ByType[i].New-d.ByType[i].Old), abs(d.ByType[j].New-d.ByType[j].Old)
		if a != b {
			return a > b
		}
		return d.ByType[i].Type < d.ByType[j].Type
	})
	return d
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// controlMap is a customer's controls by id, each as its requirement ids.
func controlMap(cc []landingzone.CustomerControls) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, c := range cc {
		m := map[string]string{}
		for _, ctl := range c.Controls {
			var b bytes.Buffer
			for _, f := range sortedKeys(ctl.Frameworks) {
				fmt.Fprintf(&b, "%s %s; ", f, strings.Join(ctl.Frameworks[f], ","))
			}
			fmt.Fprintf(&b, "SH %s", strings.Join(ctl.SecurityHub, ","))
			m[ctl.ID] = b.String()
		}
		out[c.Customer] = m
	}
	return out
}

func controlDeltas(base, head []landingzone.CustomerControls) []ControlDelta {
	om, nm := controlMap(base), controlMap(head)
	var out []ControlDelta
	add := func(customer string, o, n map[string]string, known bool) {
		cd := ControlDelta{Customer: customer}
		for id, v := range n {
			ov, ok := o[id]
			switch {
			case !ok:
				cd.Added = append(cd.Added, id)
			case ov != v:
				cd.Changed = append(cd.Changed, id)
			}
		}
		for id := range o {
			if _, ok := n[id]; !ok {
				cd.Removed = append(cd.Removed, id)
			}
		}
		if len(cd.Added)+len(cd.Removed)+len(cd.Changed) == 0 {
			return
		}
		slices.Sort(cd.Added)
		slices.Sort(cd.Removed)
		slices.Sort(cd.Changed)
		switch {
		case !known:
			cd.Status = Added
		case n == nil:
			cd.Status = Removed
		default:
			cd.Status = Changed
		}
		out = append(out, cd)
	}
	for _, c := range head {
		o, known := om[c.Customer]
		add(c.Customer, o, nm[c.Customer], known)
	}
	for _, c := range base {
		if _, ok := nm[c.Customer]; !ok {
			add(c.Customer, om[c.Customer], nil, true)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
