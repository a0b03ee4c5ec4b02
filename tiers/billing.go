package tiers

import "fmt"

// Billing is a tier's per-customer cost guard: the monthly AWS Budget each
// customer account gets (overridable per customer) and when it alerts.
type Billing struct {
	// MonthlyBudgetUSD is the default monthly budget of a customer account.
	MonthlyBudgetUSD int
	// BudgetSource says where the figure comes from.
	BudgetSource string
	// ActualPercents alert on actual spend; ForecastPercents on the
	// month's forecast.
	ActualPercents   []int
	ForecastPercents []int
	// AnomalyImpactUSD is the total impact from which a cost anomaly of
	// the tier is mailed to its operators (daily digest).
	AnomalyImpactUSD int
}

// budgetDivisor turns a tier's monthly price into a customer account's
// default budget (a quarter): the margin guard.
const budgetDivisor = 4

// billingOf is the tier's billing rule: a quarter of its monthly price,
// alerting at 80 % and 100 % of actual spend and 100 % of the forecast.
func billingOf(t Tier) Billing {
	return Billing{
		MonthlyBudgetUSD: t.MonthlyPriceUSD / budgetDivisor,
		BudgetSource: fmt.Sprintf("Tierzone default: a quarter of the tier's $%d monthly price, so an account's AWS spend alerts long before it eats the margin",
			t.MonthlyPriceUSD),
		ActualPercents:   []int{80, 100},
		ForecastPercents: []int{100},
		AnomalyImpactUSD: 100,
	}
}

// AWS Budgets quotas ("Quotas and restrictions" in the AWS Billing and
// Cost Management user guide).
const (
	// MaxBudgetNotifications: "notifications per budget: 5".
	MaxBudgetNotifications = 5
	// MaxBudgetEmailSubscribers: "email subscribers per notification: 10".
	MaxBudgetEmailSubscribers = 10
	// MaxBudgetNameLength: CreateBudget BudgetName, 1-100 characters.
	MaxBudgetNameLength = 100
)

// CheckBilling reports every problem with a tier's billing rule.
func CheckBilling(t Tier) []string {
	var probs []string
	b := t.Billing
	if b.MonthlyBudgetUSD <= 0 {
		probs = append(probs, fmt.Sprintf("%s: monthly budget $%d must be positive", t.Key, b.MonthlyBudgetUSD))
	}
	if n := len(b.ActualPercents) + len(b.ForecastPercents); n == 0 || n > MaxBudgetNotifications {
		probs = append(probs, fmt.Sprintf("%s: %d budget notifications; AWS Budgets allows 1-%d per budget", t.Key, n, MaxBudgetNotifications))
	}
	for _, p := range append(append([]int(nil), b.ActualPercents...), b.ForecastPercents...) {
		if p <= 0 || p > 1000 {
			probs = append(probs, fmt.Sprintf("%s: budget threshold %d%% outside 1-1000%%", t.Key, p))
		}
	}
	if b.BudgetSource == "" {
		probs = append(probs, t.Key+": budget has no source")
	}
	return probs
}
