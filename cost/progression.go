package cost

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/deploytime"
)

// ProgressionRow is one customer count: the computed figures beside the
// seeds' claims, and why they differ.
type ProgressionRow struct {
	Customers         int         `json:"customers"`
	Mix               []TierCount `json:"mix"`
	Resources         int         `json:"resources"`
	RevenueUSD        float64     `json:"revenueUSD"`
	InfrastructureUSD float64     `json:"infrastructureUSD"`
	GrossMarginPct    float64     `json:"grossMarginPct"`
	NetMarginPct      float64     `json:"netMarginPct"`
	// The cost drivers the seeds leave out or hold flat.
	NATGateways   int     `json:"natGateways"`
	NATUSD        float64 `json:"natUSD"`
	PublicIPv4USD float64 `json:"publicIPv4USD"`
	FlowLogsUSD   float64 `json:"flowLogsUSD"`
	ShieldUSD     float64 `json:"shieldAdvancedUSD"`
	// HubUSD is the network hub: Transit Gateway attachments and
	// processing, and IPAM's active addresses (the egress VPCs' NAT
	// gateways are in NATUSD).
	HubUSD float64 `json:"hubUSD,omitempty"`
	// DetectionUSD is GuardDuty, Security Hub, AWS Config, the CIS alarms
	// and metrics, the trail's CloudWatch copy and the S3 access logs.
	DetectionUSD    float64 `json:"detectionUSD"`
	AccountsCreated int     `json:"accountsCreated"`
	AccountWaves    int     `json:"accountWaves"`
	DeploySeconds   int     `json:"deploySeconds"`
	Deploy          string  `json:"deploy"`
	// DeployPhases is the timeline of the deployment, like the seeds'
	// "Phase 1 ... Phase 4" for each customer count.
	DeployPhases []deploytime.PhaseTiming `json:"deployPhases"`
	// Seeds are the reports' figures for this count, if they give any.
	Seeds *SeedFigures `json:"seeds,omitempty"`
	// Why explains the differences, one reason per entry; WhyShort is the
	// table column.
	Why      []string `json:"why"`
	WhyShort string   `json:"whyShort"`
}

// Progression projects the catalog to each customer count (SeedCounts if
// counts is empty) and compares with the seeds.
func Progression(catalog []customers.Customer, counts []int, opts ProjectOptions) ([]ProgressionRow, error) {
	if len(counts) == 0 {
		counts = SeedCounts()
	}
	seeds := map[int]SeedFigures{}
	for _, s := range SeedProgression() {
		seeds[s.Customers] = s
	}
	var rows []ProgressionRow
	for _, n := range counts {
		p, err := Project(catalog, n, opts)
		if err != nil {
			return nil, err
		}
		row := RowOf(p)
		if s, ok := seeds[n]; ok {
			row.Seeds = &s
		}
		row.Why, row.WhyShort = why(row, p.Cost), whyShort(row)
		rows = append(rows, row)
	}
	return rows, nil
}

// RowOf summarizes a projection.
func RowOf(p Projection) ProgressionRow {
	r := p.Cost
	row := ProgressionRow{
		Customers: p.Customers, Mix: p.Mix, Resources: p.Resources,
		RevenueUSD: r.Totals.RevenueUSD, InfrastructureUSD: r.Totals.InfrastructureUSD,
		GrossMarginPct: r.Totals.GrossMarginPct, NetMarginPct: r.Totals.NetMarginPct,
		AccountsCreated: p.Deploy.AccountsCreated, AccountWaves: p.Deploy.AccountWaves,
		DeploySeconds: p.Deploy.TotalSeconds, Deploy: p.Deploy.Human, DeployPhases: p.Deploy.Phases,
	}
	for _, c := range r.Customers {
		row.NATGateways += c.Resources[typeNAT]
	}
	if r.Hub != nil {
		row.NATGateways += r.Hub.EgressNATGateways
	}
	row.HubUSD = r.ItemTotal(func(item string) bool {
		return strings.HasPrefix(item, "Transit Gateway") || strings.HasPrefix(item, "IPAM")
	})
	row.NATUSD = r.ItemTotal(func(item string) bool { return strings.HasPrefix(item, "NAT gateway") })
	row.PublicIPv4USD = r.ItemTotal(func(item string) bool { return strings.HasPrefix(item, "Public IPv4") })
	row.FlowLogsUSD = r.ItemTotal(func(item string) bool {
		return strings.HasPrefix(item, "Flow logs") || strings.HasPrefix(item, "CloudWatch Logs") ||
			strings.HasPrefix(item, "S3 ") && !IsDetectionItem(item)
	})
	row.DetectionUSD = r.ItemTotal(IsDetectionItem)
	row.ShieldUSD = r.ItemTotal(func(item string) bool { return strings.HasPrefix(item, "Shield Advanced") })
	return row
}

// ItemTotal sums the monthly cost of every line item (customers' and
// shared) whose name matches.
func (r Report) ItemTotal(match func(item string) bool) float64 {
	var sum float64
	for _, c := range r.Customers {
		for _, li := range c.Items {
			if match(li.Item) {
				sum += li.MonthlyUSD
			}
		}
	}
	for _, li := range r.Shared {
		if match(li.Item) {
			sum += li.MonthlyUSD
		}
	}
	return round2(sum)
}

func why(row ProgressionRow, r Report) []string {
	var out []string
	out = append(out, fmt.Sprintf("infrastructure is not flat: %s cost %s (hours and data) and their public IPv4 addresses %s (billed since Feb 2024)",
		plural(row.NATGateways, "NAT gateway"), USD(row.NATUSD), USD(row.PublicIPv4USD)))
	if row.FlowLogsUSD > 0 {
		out = append(out, fmt.Sprintf("flow logs cost %s (ingestion and retention)", USD(row.FlowLogsUSD)))
	}
	if row.DetectionUSD > 0 {
		out = append(out, fmt.Sprintf("detection and proof cost %s: GuardDuty, Security Hub checks, AWS Config items and conformance-pack evaluations, CIS and network alarms, dashboards, the trail's CloudWatch copy, S3 access logs", USD(row.DetectionUSD)))
	}
	if row.HubUSD > 0 {
		out = append(out, fmt.Sprintf("the network hub costs %s: Transit Gateway attachments (hours and processing) and IPAM's active addresses; the egress VPCs' NAT gateways are counted above", USD(row.HubUSD)))
	}
	if row.ShieldUSD > 0 {
		out = append(out, fmt.Sprintf("Shield Advanced, which the Gov-Federal tier requires, is %s per organization; the seeds never price it", USD(row.ShieldUSD)))
	}
	if row.AccountsCreated > 0 {
		out = append(out, fmt.Sprintf("deployment is not flat: %s created in %s of at most 5 (the Organizations limit), about 10 min each, then a NAT gateway per VPC",
			plural(row.AccountsCreated, "account"), plural(row.AccountWaves, "wave")))
	}
	out = append(out, fmt.Sprintf("net margin counts people %s and operations %s a month",
		USD(r.Totals.PeopleUSD), USD(r.Totals.OperationsUSD)))
	return out
}

// whyShort is the one-line reason: the cost drivers the seeds hold flat
// or leave out, and the account waves.
func whyShort(r ProgressionRow) string {
	parts := []string{fmt.Sprintf("NAT+IPv4 %s", USD(r.NATUSD+r.PublicIPv4USD))}
	if r.HubUSD > 0 {
		parts = append(parts, "hub "+USD(r.HubUSD))
	}
	if r.ShieldUSD > 0 {
		parts = append(parts, "Shield "+USD(r.ShieldUSD))
	}
	parts = append(parts, "logs "+USD(r.FlowLogsUSD))
	if r.DetectionUSD > 0 {
		parts = append(parts, "detection "+USD(r.DetectionUSD))
	}
	return strings.Join(parts, " + ") + fmt.Sprintf("; %s of 5 accounts", plural(r.AccountWaves, "wave"))
}

// WriteProgression renders the progression: computed figures beside the
// seeds', then why they differ.
func WriteProgression(w io.Writer, rows []ProgressionRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Customers\tMix\tRevenue\tInfrastructure\tGross\tNet\tDeploy\t| Seeds: revenue\tinfrastructure\tmargin\tdeploy\t| Why they differ\n")
	for _, r := range rows {
		s := SeedFigures{Revenue: "-", Infrastructure: "-", Margin: "-", DeployTime: "-"}
		if r.Seeds != nil {
			s = *r.Seeds
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t| %s\t%s\t%s\t%s\t| %s\n", r.Customers, mixString(r.Mix), USD(r.RevenueUSD),
			USD(r.InfrastructureUSD), Pct(r.GrossMarginPct), Pct(r.NetMarginPct), r.Deploy,
			s.Revenue, s.Infrastructure, s.Margin, s.DeployTime, r.WhyShort)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := writePhaseTimeline(w, rows); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("\nWhy they differ, in full:\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "  %d customers: %s.\n", r.Customers, strings.Join(r.Why, "; "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mixString(mix []TierCount) string {
	var parts []string
	for _, m := range mix {
		if m.Count > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m.Count, m.Tier))
		}
	}
	return strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// writePhaseTimeline prints each customer count's deployment phases as
// start-end (minutes:seconds), like the seeds' timeline.
func writePhaseTimeline(w io.Writer, rows []ProgressionRow) error {
	if _, err := io.WriteString(w, "\nDeployment timeline by customer count (phase: start-end, m:ss):\n"); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := "Customers"
	for _, name := range deploytime.Phases() {
		header += "\t" + name
	}
	fmt.Fprintln(tw, header+"\tTotal")
	for _, r := range rows {
		line := fmt.Sprint(r.Customers)
		for _, name := range deploytime.Phases() {
			cell := "-"
			for _, ph := range r.DeployPhases {
				if ph.Name == name && ph.Resources > 0 {
					cell = clock(ph.StartSeconds) + "-" + clock(ph.EndSeconds)
				}
			}
			line += "\t" + cell
		}
		fmt.Fprintln(tw, line+"\t"+r.Deploy)
	}
	return tw.Flush()
}

func clock(secs int) string { return fmt.Sprintf("%d:%02d", secs/60, secs%60) }

// IsDetectionItem reports whether a line item is one of the detection
// services (issue 12).
func IsDetectionItem(item string) bool {
	for _, p := range []string{"GuardDuty", "Security Hub", "AWS Config", "CloudWatch alarms", "CloudWatch dashboards", "CloudWatch custom metrics", "Organization trail", "S3 server access logs"} {
		if strings.HasPrefix(item, p) {
			return true
		}
	}
	return false
}
