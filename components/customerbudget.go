package components

import (
	"errors"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/budgets"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CustomerBudgetType is the CustomerBudget type token.
const CustomerBudgetType = "tierzone:billing:CustomerBudget"

// BudgetAlert is one notification of a budget.
type BudgetAlert struct {
	// Forecast alerts on the month's forecast, else on actual spend.
	Forecast bool
	Percent  int
}

// CustomerBudgetArgs configures a CustomerBudget.
type CustomerBudgetArgs struct {
	// Name is the budget's name (unique in the management account).
	Name string
	// AccountID is the customer's member account, the budget's only
	// cost filter (LinkedAccount).
	AccountID pulumi.StringInput
	// MonthlyUSD is the monthly limit.
	MonthlyUSD int
	Alerts     []BudgetAlert
	// Subscribers are the e-mail addresses every alert goes to (the
	// customer's contact and its tier's operators); none: no alerts.
	Subscribers []string
	Tags        map[string]string
	// Provider is the management account's (the payer sees every linked
	// account's spend).
	Provider pulumi.ProviderResource
}

// CustomerBudget is a customer account's monthly AWS Budget in the
// management account.
type CustomerBudget struct {
	pulumi.ResourceState

	Budget *budgets.Budget
}

// NewCustomerBudget registers the budget. The name is the customer key.
func NewCustomerBudget(ctx *pulumi.Context, name string, args *CustomerBudgetArgs, opts ...pulumi.ResourceOption) (*CustomerBudget, error) {
	if args == nil || args.AccountID == nil || args.Name == "" || args.MonthlyUSD <= 0 {
		return nil, errors.New("tierzone: NewCustomerBudget needs Name, AccountID and a positive MonthlyUSD")
	}
	c := &CustomerBudget{}
	if err := ctx.RegisterComponentResource(CustomerBudgetType, name, c, opts...); err != nil {
		return nil, err
	}
	var notes budgets.BudgetNotificationArray
	if len(args.Subscribers) > 0 {
		for _, a := range args.Alerts {
			kind := "ACTUAL"
			if a.Forecast {
				kind = "FORECASTED"
			}
			notes = append(notes, budgets.BudgetNotificationArgs{
				ComparisonOperator:       pulumi.String("GREATER_THAN"),
				NotificationType:         pulumi.String(kind),
				Threshold:                pulumi.Float64(float64(a.Percent)),
				ThresholdType:            pulumi.String("PERCENTAGE"),
				SubscriberEmailAddresses: pulumi.ToStringArray(args.Subscribers),
			})
		}
	}
	b, err := budgets.NewBudget(ctx, name+"-budget", &budgets.BudgetArgs{
		Name:          pulumi.String(args.Name),
		BudgetType:    pulumi.String("COST"),
		LimitAmount:   pulumi.String(strconv.Itoa(args.MonthlyUSD)),
		LimitUnit:     pulumi.String("USD"),
		TimeUnit:      pulumi.String("MONTHLY"),
		CostFilters:   budgets.BudgetCostFilterArray{budgets.BudgetCostFilterArgs{Name: pulumi.String("LinkedAccount"), Values: pulumi.StringArray{args.AccountID}}},
		Notifications: notes,
		Tags:          pulumi.ToStringMap(args.Tags),
	}, childOptions(c, args.Provider)...)
	if err != nil {
		return nil, err
	}
	c.Budget = b
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"budgetName": b.Name}); err != nil {
		return nil, err
	}
	return c, nil
}
