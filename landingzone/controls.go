package landingzone

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/tiers"
)

// CustomerControls is one customer's control report: every control
// Tierzone puts in place for it, with the requirement ids of its own
// tier's frameworks only.
type CustomerControls struct {
	Customer   string          `json:"customer"`
	Tier       string          `json:"tier"`
	Frameworks []string        `json:"frameworks"`
	Controls   []tiers.Control `json:"controls"`
}

// Requirements are what a control answers for the customer: its
// requirement ids in each of the customer's frameworks, then its Security
// Hub checks ("PCI-DSS 10.2.1", "Security Hub EC2.6").
func (cc CustomerControls) Requirements(c tiers.Control) []string {
	var parts []string
	for _, f := range cc.Frameworks {
		if ids := c.Frameworks[f]; len(ids) > 0 {
			parts = append(parts, f+" "+strings.Join(ids, ", "))
		}
	}
	if len(c.SecurityHub) > 0 {
		parts = append(parts, "Security Hub "+strings.Join(c.SecurityHub, ", "))
	}
	if len(parts) == 0 {
		parts = append(parts, "no requirement of its frameworks")
	}
	return parts
}

// Controls is the control report of the customers the plan deploys, in
// plan order, derived from tiers/ data (Tier.Controls) with the stack's
// effective retention.
func (p *Plan) Controls() []CustomerControls {
	out := make([]CustomerControls, 0, len(p.Customers))
	// A tier's controls depend only on the tier and the retention, so the
	// customers that share both share one list.
	type key struct {
		tier      string
		retention tiers.Retention
	}
	lists := map[key][]tiers.Control{}
	for _, cs := range p.Customers {
		cc := CustomerControls{Customer: cs.Customer.Key, Tier: cs.Tier.Key, Frameworks: append([]string(nil), cs.Tier.Frameworks...)}
		k := key{cs.Tier.Key, cs.Retention}
		list, ok := lists[k]
		if !ok {
			for _, c := range cs.Tier.Controls(cs.Retention) {
				list = append(list, c.For(cs.Tier.Frameworks))
			}
			lists[k] = list
		}
		cc.Controls = list
		out = append(out, cc)
	}
	return out
}

// controlsOutput is the "controls" stack output: per customer key, its
// frameworks and controls (id, title, requirement ids, Security Hub ids,
// source).
func controlsOutput(report []CustomerControls) pulumi.Map {
	out := pulumi.Map{}
	// Customers that share a control list (Controls) share its output.
	arrays := map[*tiers.Control]pulumi.Array{}
	for _, cc := range report {
		out[cc.Customer] = pulumi.Map{"tier": pulumi.String(cc.Tier), "frameworks": pulumi.ToStringArray(cc.Frameworks), "controls": controlsArray(cc.Controls, arrays)}
	}
	return out
}

// controlsArray is a control list as an output, made once per list.
func controlsArray(list []tiers.Control, made map[*tiers.Control]pulumi.Array) pulumi.Array {
	if len(list) == 0 {
		return nil
	}
	if a, ok := made[&list[0]]; ok && len(a) == len(list) {
		return a
	}
	var cs pulumi.Array
	for _, c := range list {
		fw := pulumi.Map{}
		for k, v := range c.Frameworks {
			fw[k] = pulumi.ToStringArray(v)
		}
		m := pulumi.Map{"id": pulumi.String(c.ID), "title": pulumi.String(c.Title), "frameworks": fw, "source": pulumi.String(c.Source)}
		if len(c.SecurityHub) > 0 {
			m["securityHub"] = pulumi.ToStringArray(c.SecurityHub)
		}
		cs = append(cs, m)
	}
	made[&list[0]] = cs
	return cs
}
