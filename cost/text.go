package cost

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tierzone/tierzone/tiers"
)

// WriteText renders the report: totals with margins, per tier, per
// customer, shared costs and the line items of one customer per tier as an
// example of what is priced.
func WriteText(w io.Writer, r Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	p := func(format string, a ...any) { fmt.Fprintf(tw, format, a...) }
	t := r.Totals
	fmt.Fprintf(tw, "Monthly business numbers (%s list prices as of %s)\n\n", r.Region, r.PricesAsOf)
	p("Revenue\t%s\t\t\n", USD(t.RevenueUSD))
	p("Infrastructure\t-%s\t\t\n", USD(t.InfrastructureUSD))
	p("Gross profit\t%s\t%s margin\t\n", USD(t.GrossProfitUSD), Pct(t.GrossMarginPct))
	p("People\t-%s\t\t\n", USD(t.PeopleUSD))
	p("Operations\t-%s\t\t\n", USD(t.OperationsUSD))
	p("Net profit\t%s\t%s margin\t\n", USD(t.NetProfitUSD), Pct(t.NetMarginPct))
	p("\nTier\tCustomers\tRevenue\tCustomer infra\tShared\tInfrastructure\tGross margin\t\n")
	for _, tc := range r.Tiers {
		p("%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", tc.Tier, tc.Customers, USD(tc.RevenueUSD), USD(tc.CustomersInfraUSD),
			USD(tc.SharedUSD), USD(tc.InfrastructureUSD), Pct(tc.GrossMarginPct))
	}
	p("\nCustomer\tTier\tRevenue\tInfrastructure\tGross margin\tAWS Budget\t\n")
	for _, c := range r.Customers {
		budget := "-"
		if c.BudgetName != "" {
			budget = USD(c.BudgetUSD)
		}
		p("%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Key, c.Tier, USD(c.RevenueUSD), USD(c.InfrastructureUSD), Pct(c.GrossMarginPct), budget)
	}
	if len(r.Shared) > 0 {
		p("\nShared (organization)\tQuantity\tUnit price\tMonthly\t\n")
		for _, li := range r.Shared {
			p("%s\t%s %s\t%s\t%s\t\n", li.Item, num(li.Quantity), li.Unit, unitUSD(li.UnitPriceUSD), USD(li.MonthlyUSD))
		}
	}
	seen := map[string]bool{}
	for _, c := range r.Customers {
		if seen[c.Tier] {
			continue
		}
		seen[c.Tier] = true
		p("\nLine items of %s (%s)\tQuantity\tUnit price\tMonthly\t\n", c.Key, c.Tier)
		for _, li := range c.Items {
			p("%s\t%s %s\t%s\t%s\t\n", li.Item, num(li.Quantity), li.Unit, unitUSD(li.UnitPriceUSD), USD(li.MonthlyUSD))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var b strings.Builder
	if h := r.Hub; h != nil {
		fmt.Fprintf(&b, "\nNetwork hub: %d connected customers, %d of them with central egress (no NAT gateway of their own).\n", h.ConnectedCustomers, h.CentralEgressCustomers)
		fmt.Fprintf(&b, "  A customer's own NAT gateway: %s/month (hours, address, data). Through the hub, for a customer attached anyway: %s/month (gateway and hub NAT processing).\n",
			USD(h.OwnNATUSD), USD(h.CentralEgressUSD))
		fmt.Fprintf(&b, "  An egress VPC costs %s/month (%d NAT gateways with addresses, in Shared): it pays off from %d central-egress customers in its region.\n",
			USD(h.EgressVPCUSD), tiers.EgressAvailabilityZones, h.BreakEven)
		fmt.Fprintf(&b, "  Attaching a VPC only for egress does not pay: the attachment alone is %s/month.\n", USD(h.AttachmentUSD))
	}
	if len(r.Customers) > 0 && r.Customers[0].CostExplorerFilter != "" {
		// What backs each invoice: the customer's actual spend.
		b.WriteString("\nActual spend per customer (Cost Explorer, management account; filter by the customer cost category):\n")
		for _, c := range r.Customers {
			fmt.Fprintf(&b, "  %-24s budget %-32s %s\n", c.Key, c.BudgetName, c.CostExplorerFilter)
		}
	}
	b.WriteString("\nAssumptions:\n")
	pa := r.Params
	for _, a := range []struct {
		name string
		a    Assumption
	}{
		{"NAT data processed", pa.NATProcessedGBPerCustomerMonth},
		{"Transit Gateway data processed", pa.TGWProcessedGBPerAttachmentMonth},
		{"IPAM active IPs", pa.IPAMActiveIPsPerVPC},
		{"flow-log volume", pa.FlowLogGBPerVPCMonth},
		{"archive age", pa.ArchiveAgeMonths},
		{"people", pa.PeopleMonthly},
		{"operations", pa.OperationsMonthly},
	} {
		fmt.Fprintf(&b, "  - %s: %s %s (%s)\n", a.name, num(a.a.Value), a.a.Unit, a.a.Source)
	}
	fmt.Fprintf(&b, "  - archive storage class when the plan records no lifecycle rule: %s (a recorded rule wins)\n", pa.ArchiveClass)
	if len(r.Unpriced) > 0 {
		fmt.Fprintf(&b, "  - no price in prices.go, counted as free: %s\n", strings.Join(r.Unpriced, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// USD formats dollars with thousands separators and cents, e.g. $1,234.56.
func USD(x float64) string {
	neg := x < 0
	if neg {
		x = -x
	}
	s := fmt.Sprintf("%.2f", x)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := "$" + b.String() + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

// Pct formats a percentage with one decimal, e.g. 89.8%.
func Pct(x float64) string { return fmt.Sprintf("%.1f%%", x) }

func unitUSD(x float64) string {
	if x != 0 && x < 1 {
		return fmt.Sprintf("$%g", x)
	}
	return USD(x)
}

func num(x float64) string {
	if x == float64(int64(x)) {
		return fmt.Sprintf("%d", int64(x))
	}
	return fmt.Sprintf("%.2f", x)
}
