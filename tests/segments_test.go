package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/recorder"
)

// withSegments is the seed catalog with acme-finance in Fintech's
// large-banks segment and medicorp-health in Healthcare's east.
func withSegments(moves map[string]string) []customers.Customer {
	catalog := customers.Catalog()
	for i := range catalog {
		if seg, ok := moves[catalog[i].Key]; ok {
			catalog[i].Segment = seg
		}
	}
	return catalog
}

// ouOf returns the OU resource whose mock id is id.
func ouOf(t *testing.T, g *graph, id string) recorder.Resource {
	t.Helper()
	r, ok := g.byID(id)
	require.True(t, ok, "no resource with id %s", id)
	require.Equal(t, tOU, r.Type)
	return r
}

// TestSegmentPlacement: a customer's segment puts its account in a child OU
// of its tier OU; the tier's SCPs stay at the tier OU (inherited), the
// segment's own SCP is attached to the segment OU only; only used segments
// get an OU.
func TestSegmentPlacement(t *testing.T) {
	g := run(t, "prod", catalogConfig(t, "prod"), withSegments(map[string]string{"acme-finance": "large-banks", "medicorp-health": "east"}))
	ous := g.ofType(tOU)
	require.Len(t, ous, 4+2, "four tier OUs and the two segments in use")

	acme := g.one(t, "acme-finance", tAccount)
	seg := ouOf(t, g, str(acme, "parentId"))
	assert.Equal(t, "Fintech-Large-Banks", str(seg, "name"))
	tierOU := ouOf(t, g, str(seg, "parentId"))
	assert.Equal(t, "Customers-Fintech", str(tierOU, "name"))
	parent := g.byURN[seg.Parent]
	assert.Equal(t, components.SegmentOUType, parent.Type)
	assert.Equal(t, "fintech-large-banks", parent.Name)

	other := g.one(t, "quantumbank-fintech", tAccount)
	assert.Equal(t, tierOU.ID, str(other, "parentId"), "a customer without a segment stays in the tier OU")

	attached := attachedPolicies(t, g)
	assert.ElementsMatch(t, []string{"tierzone-baseline", "tierzone-fintech", "tierzone-fintech-backup-policy", "tierzone-fintech-tag-policy"},
		attached["Customers-Fintech"], "SCPs, tag and backup policies stay at the tier OU")
	assert.Empty(t, attached["Fintech-Large-Banks"], "Fintech's segments add no SCP; they inherit the tier's")
	assert.ElementsMatch(t, []string{"tierzone-healthcare-east"}, attached["Healthcare-East"])
	east := policyDoc(t, g, "tierzone-healthcare-east")
	require.Contains(t, east, "DenyOutsideAllowedRegions")
	assert.ElementsMatch(t, []string{"us-east-1", "us-east-2"}, list(east["DenyOutsideAllowedRegions"]["Condition"].(map[string]any)["StringNotEquals"].(map[string]any)["aws:RequestedRegion"]))
}

// TestSegmentMoveUpdatesOnlyTheAccount: moving a customer to another
// segment changes its account's parentId and nothing else of any customer;
// adding a segment adds its OU and changes no other resource.
func TestSegmentMoveUpdatesOnlyTheAccount(t *testing.T) {
	cfg := catalogConfig(t, "prod")
	before := run(t, "prod", cfg, withSegments(map[string]string{"acme-finance": "large-banks"}))
	after := run(t, "prod", cfg, withSegments(map[string]string{"acme-finance": "payment-processors"}))
	changedInputs := map[string]bool{}
	for _, r := range before.all {
		a, ok := after.byURN[r.URN]
		if !ok {
			assert.True(t, strings.Contains(r.URN, "fintech-large-banks"), "%s vanished", r.URN)
			continue
		}
		for k, v := range r.Inputs {
			if !a.Inputs[k].DeepEquals(v) {
				changedInputs[r.Name+"."+string(k)] = true
			}
		}
	}
	assert.Equal(t, map[string]bool{"acme-finance-account.parentId": true}, changedInputs, "only the moved account's parent changes")
	acme := after.one(t, "acme-finance", tAccount)
	assert.Equal(t, before.one(t, "acme-finance", tAccount).URN, acme.URN, "the same account, moved (an update, not a replacement)")
	assert.Equal(t, "Fintech-Payment-Processors", str(ouOf(t, after, str(acme, "parentId")), "name"))
}

// TestSegmentValidation: unknown segments, segments of tiers without any
// and regions outside a segment's are all reported at once, naming the
// customer and the field.
func TestSegmentValidation(t *testing.T) {
	catalog := customers.Catalog()
	for i := range catalog {
		switch catalog[i].Key {
		case "acme-finance":
			catalog[i].Segment = "hedge-funds"
		case "techgov-federal":
			catalog[i].Segment = "civilian"
		case "medicorp-health":
			catalog[i].Segment, catalog[i].Region = "west", "us-east-1"
		}
	}
	var msgs []string
	for _, p := range runInvalid(t, catalogConfig(t, "prod"), catalog) {
		msgs = append(msgs, p.String())
	}
	all := strings.Join(msgs, "\n")
	assert.Contains(t, all, `"hedge-funds" is not a segment of tier fintech (segments: large-banks, fintechs, payment-processors)`)
	assert.Contains(t, all, `"civilian" is not a segment of tier gov-federal (segments: none)`)
	assert.Contains(t, all, "segment west (Healthcare-West) allows regions us-west-2; the customer's region is us-east-1")
	for _, key := range []string{"acme-finance", "techgov-federal", "medicorp-health"} {
		assert.Contains(t, all, key)
	}
}
