package tests

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
)

const (
	tBudget       = "aws:budgets/budget:Budget"
	tCostTag      = "aws:costexplorer/costAllocationTag:CostAllocationTag"
	tCostCategory = "aws:costexplorer/costCategory:CostCategory"
	tAnomalyMon   = "aws:costexplorer/anomalyMonitor:AnomalyMonitor"
	tAnomalySub   = "aws:costexplorer/anomalySubscription:AnomalySubscription"
)

// TestBudgetPerCustomer: every customer account has one monthly budget in
// the management account, filtered to its own account, at its tier's
// default or its own override, alerting its contact and its tier's
// operators on actual and forecast spend.
func TestBudgetPerCustomer(t *testing.T) {
	catalog := customers.Catalog()
	catalog[1].MonthlyBudgetUSD = 1234 // quantumbank-fintech
	cfg := catalogConfig(t, "prod")
	cfg["tierzone:operatorEmails"] = `{"all": ["noc@msp.example"], "gov-federal": ["fedramp-ops@msp.example"]}`
	g := run(t, "prod", cfg, catalog)
	require.Len(t, g.ofType(tBudget), len(catalog))
	for _, c := range catalog {
		tier, _ := tiers.Lookup(c.Tier)
		b := g.one(t, c.Key, tBudget)
		want := tier.Billing.MonthlyBudgetUSD
		if c.MonthlyBudgetUSD > 0 {
			want = c.MonthlyBudgetUSD
		}
		assert.Equal(t, strconv.Itoa(want), str(b, "limitAmount"), c.Key)
		assert.Equal(t, "tierzone-"+c.Key, str(b, "name"))
		assert.Equal(t, "MONTHLY", str(b, "timeUnit"))
		filters := b.Inputs["costFilters"].ArrayValue()
		require.Len(t, filters, 1)
		f := filters[0].ObjectValue()
		assert.Equal(t, "LinkedAccount", f["name"].StringValue())
		assert.Equal(t, []string{g.one(t, c.Key, tAccount).ID}, list(f["values"].Mappable()), "%s's budget reads its own account only", c.Key)

		subscribers := []string{"noc@msp.example"}
		if c.Tier == tiers.GovFederal {
			subscribers = []string{"fedramp-ops@msp.example", "noc@msp.example"}
		}
		if c.ContactEmail != "" {
			subscribers = append([]string{c.ContactEmail}, subscribers...)
		}
		notes := b.Inputs["notifications"].ArrayValue()
		require.Len(t, notes, 3, c.Key)
		var kinds []string
		for _, n := range notes {
			o := n.ObjectValue()
			kinds = append(kinds, o["notificationType"].StringValue()+" "+strconv.Itoa(int(o["threshold"].NumberValue())))
			assert.Equal(t, subscribers, list(o["subscriberEmailAddresses"].Mappable()), c.Key)
		}
		assert.Equal(t, []string{"ACTUAL 80", "ACTUAL 100", "FORECASTED 100"}, kinds)
		prov := g.byURN[b.ProviderURN]
		assert.Equal(t, "management", prov.Name, "budgets are the payer's")
	}
	assert.Equal(t, "2000", str(g.one(t, "acme-finance", tBudget), "limitAmount"), "a quarter of Fintech's $8,000")
	assert.Equal(t, "1234", str(g.one(t, "quantumbank-fintech", tBudget), "limitAmount"), "the customer's override")
}

// TestCostAllocation: the customer and tier tags are activated for cost
// allocation; a cost category of each inherits the tag's value (so
// onboarding changes neither); one anomaly monitor per tier watches the
// tier's tagged spend, with a subscription only for tiers with operators.
func TestCostAllocation(t *testing.T) {
	cfg := catalogConfig(t, "prod")
	cfg["tierzone:operatorEmails"] = `{"gov-federal": ["fedramp-ops@msp.example"]}`
	g := run(t, "prod", cfg, customers.Catalog())
	var keys []string
	for _, r := range g.ofType(tCostTag) {
		assert.Equal(t, "Active", str(r, "status"))
		keys = append(keys, str(r, "tagKey"))
	}
	assert.ElementsMatch(t, []string{"customer", "tier"}, keys)
	cats := map[string]string{}
	for _, r := range g.ofType(tCostCategory) {
		rules := r.Inputs["rules"].ArrayValue()
		require.Len(t, rules, 1)
		iv := rules[0].ObjectValue()["inheritedValue"].ObjectValue()
		assert.Equal(t, "TAG", iv["dimensionName"].StringValue())
		cats[str(r, "name")] = iv["dimensionKey"].StringValue()
	}
	assert.Equal(t, map[string]string{"tierzone-customer": "customer", "tierzone-tier": "tier"}, cats)
	monitors := g.ofType(tAnomalyMon)
	require.Len(t, monitors, len(tiers.All()))
	for _, m := range monitors {
		assert.Equal(t, "CUSTOM", str(m, "monitorType"))
		assert.Contains(t, str(m, "monitorSpecification"), `"Key":"tier"`)
	}
	subs := g.ofType(tAnomalySub)
	require.Len(t, subs, 1, "only Gov-Federal has operators")
	assert.Equal(t, "tierzone-gov-federal-anomalies", str(subs[0], "name"))

	// Onboarding another customer changes none of it.
	more := append(customers.Catalog(), customers.Customer{Key: "newco-std", Name: "NewCo", Tier: "standard", VPCCIDR: "10.9.0.0/16"})
	after := run(t, "prod", cfg, more)
	for _, typ := range []string{tCostTag, tCostCategory, tAnomalyMon, tAnomalySub} {
		for _, r := range g.ofType(typ) {
			a, ok := after.byURN[r.URN]
			require.True(t, ok, r.URN)
			assert.True(t, a.Inputs.DeepEquals(r.Inputs), "%s changed when a customer was onboarded", r.Name)
		}
	}
}

// TestBillingValidation: a negative budget and too many alert subscribers
// are reported with the customer and field, with everything else.
func TestBillingValidation(t *testing.T) {
	catalog := customers.Catalog()
	catalog[0].MonthlyBudgetUSD = -5
	cfg := catalogConfig(t, "prod")
	var many []string
	for i := range 10 {
		many = append(many, `"ops`+strconv.Itoa(i)+`@msp.example"`)
	}
	cfg["tierzone:operatorEmails"] = `{"fintech": [` + strings.Join(many, ",") + `]}`
	var msgs []string
	for _, p := range runInvalid(t, cfg, catalog) {
		msgs = append(msgs, p.String())
	}
	all := strings.Join(msgs, "\n")
	assert.Contains(t, all, "monthlyBudgetUsd")
	assert.Contains(t, all, "-5 must be 1 to")
	assert.Contains(t, all, "a budget alert takes at most 10")
}
