package landingzone

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// BudgetName is a customer account's budget in the management account.
func (s Settings) BudgetName(customer string) string { return s.NamePrefix + "-" + customer }

// MonthlyBudgetUSD is the customer's budget: its own, else its tier's.
func (cs CustomerSpec) MonthlyBudgetUSD() int {
	if cs.Customer.MonthlyBudgetUSD > 0 {
		return cs.Customer.MonthlyBudgetUSD
	}
	return cs.Tier.Billing.MonthlyBudgetUSD
}

// BudgetSubscribers are the addresses a customer's budget alerts go to:
// its contact, then its tier's operators, each once.
func (s Settings) BudgetSubscribers(c customers.Customer) []string {
	var out []string
	if c.ContactEmail != "" {
		out = append(out, c.ContactEmail)
	}
	for _, e := range s.OperatorsEmails(c.Tier) {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// checkBilling checks the tiers' billing rules and, per deployed customer,
// the budget's name and subscribers against the AWS Budgets quotas, and
// each tier's anomaly subscribers.
func checkBilling(s Settings, specs []TierSpec, selected []customers.Customer, l *validation.List) {
	for _, ts := range specs {
		for _, p := range tiers.CheckBilling(ts.Tier) {
			l.Add(validation.Tier(ts.Tier.Key), "billing", "%s", p)
		}
		if n := len(s.OperatorsEmails(ts.Tier.Key)); n > tiers.MaxBudgetEmailSubscribers {
			l.Add(validation.Stack(ConfigNamespace+":"+KeyOperatorEmails), "", "%s: %d addresses; budget and cost-anomaly alerts take at most %d", ts.Tier.Key, n, tiers.MaxBudgetEmailSubscribers)
		}
	}
	for _, c := range selected {
		if n := len(s.BudgetName(c.Key)); n > tiers.MaxBudgetNameLength {
			l.Add(validation.Customer(c.Key), "key", "budget name %q is %d characters; AWS Budgets allows %d", s.BudgetName(c.Key), n, tiers.MaxBudgetNameLength)
		}
		if n := len(s.BudgetSubscribers(c)); n > tiers.MaxBudgetEmailSubscribers {
			l.Add(validation.Customer(c.Key), "contactEmail", "its contact and the %s operators are %d addresses; a budget alert takes at most %d", c.Tier, n, tiers.MaxBudgetEmailSubscribers)
		}
	}
}

// budgetAlerts are a tier's alerts.
func budgetAlerts(t tiers.Tier) []components.BudgetAlert {
	var out []components.BudgetAlert
	for _, p := range t.Billing.ActualPercents {
		out = append(out, components.BudgetAlert{Percent: p})
	}
	for _, p := range t.Billing.ForecastPercents {
		out = append(out, components.BudgetAlert{Forecast: true, Percent: p})
	}
	return out
}

// newCustomerBudget registers a customer account's budget in the
// management account.
func newCustomerBudget(ctx *pulumi.Context, lz *LandingZone, cs CustomerSpec, acct *components.CustomerAccount,
	mgmt pulumi.ProviderResource, custOpts []pulumi.ResourceOption) (*components.CustomerBudget, error) {
	s := lz.Plan.Settings
	return components.NewCustomerBudget(ctx, cs.Customer.Key, &components.CustomerBudgetArgs{
		Name:        s.BudgetName(cs.Customer.Key),
		AccountID:   acct.AccountID,
		MonthlyUSD:  cs.MonthlyBudgetUSD(),
		Alerts:      budgetAlerts(cs.Tier),
		Subscribers: s.BudgetSubscribers(cs.Customer),
		Tags:        cs.Tags,
		Provider:    mgmt,
	}, append(custOpts, pulumi.Parent(lz))...)
}

// newCostAllocation registers the organization's cost allocation tags,
// cost categories and per-tier anomaly monitors.
func newCostAllocation(ctx *pulumi.Context, lz *LandingZone, mgmt pulumi.ProviderResource) (*components.CostAllocation, error) {
	s := lz.Plan.Settings
	var all []tiers.Tier
	operators := map[string][]string{}
	for _, ts := range lz.Plan.Tiers {
		all = append(all, ts.Tier)
		operators[ts.Tier.Key] = s.OperatorsEmails(ts.Tier.Key)
	}
	return components.NewCostAllocation(ctx, "cost-allocation", &components.CostAllocationArgs{
		NamePrefix: s.NamePrefix,
		Tiers:      all,
		Operators:  operators,
		Tags:       map[string]string{"managed-by": ManagedBy},
		Provider:   mgmt,
	}, pulumi.Parent(lz))
}
