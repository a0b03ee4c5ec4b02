package plan

import (
	"fmt"
	"io"
	"strings"

	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
)

// Shield is the plan's Shield Advanced section: which customers' tiers
// require it, whether the stack subscribes them (tierzone:shieldAdvanced,
// a one-year commitment per subscription) and what is protected.
type Shield struct {
	// Required are the customers whose tier requires Shield Advanced.
	Required []string `json:"required"`
	// Subscribed are the accounts the stack subscribes, by customer.
	Subscribed []string `json:"subscribed"`
	// Protected are the protected resources' names.
	Protected []string `json:"protected"`
}

// shieldOf reads the Shield Advanced resources (nil when no deployed tier
// requires Shield).
func shieldOf(ix *index, p *landingzone.Plan) *Shield {
	sh := &Shield{Required: []string{}, Subscribed: []string{}, Protected: []string{}}
	for _, cs := range p.Customers {
		if cs.Tier.ShieldAdvanced {
			sh.Required = append(sh.Required, cs.Customer.Key)
		}
	}
	if len(sh.Required) == 0 {
		return nil
	}
	for _, r := range ix.res {
		switch r.Type {
		case "aws:shield/subscription:Subscription":
			sh.Subscribed = append(sh.Subscribed, ix.owner(r.URN).customer)
		case "aws:shield/protection:Protection":
			sh.Protected = append(sh.Protected, protectedName(r))
		}
	}
	return sh
}

// protectedName is a protection's name.
func protectedName(r recorder.Resource) string { return str(r.Inputs, "name") }

func (r *Report) writeShield(w io.Writer) {
	sh := r.Shield
	if sh == nil {
		fmt.Fprintln(w, "No deployed tier requires Shield Advanced.")
		return
	}
	if len(sh.Subscribed) == 0 {
		fmt.Fprintf(w, "NOT SUBSCRIBED: the tier of %s requires Shield Advanced. Subscribing is a 1-year commitment per account "+
			"(the organization's fee is priced in --cost); set tierzone:shieldAdvanced true to subscribe.\n", strings.Join(sh.Required, ", "))
		return
	}
	fmt.Fprintf(w, "SUBSCRIBED (tierzone:shieldAdvanced true): %s, each a 1-year commitment renewed automatically; "+
		"removing a customer or the setting stops managing a subscription, it does not cancel it.\n", strings.Join(sh.Subscribed, ", "))
	fmt.Fprintf(w, "Protected: %s\n", strings.Join(sh.Protected, ", "))
}
