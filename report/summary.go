package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/tierzone/tierzone/plan"
)

// maxSummaryItems caps each list of the summary (a pull-request comment
// must stay short); the HTML report has everything.
const maxSummaryItems = 15

// WriteSummary writes a short markdown summary of rep for a pull-request
// comment: counts, and with d the customers added, changed and removed,
// the resource and cost deltas and the controls changed.
func WriteSummary(w io.Writer, rep *plan.Report, d *Diff) error {
	bw := bufio.NewWriter(w)
	s := rep.Summary
	fmt.Fprintf(bw, "### Tierzone plan: stack `%s`\n\n", code(s.Stack))
	if d == nil {
		tierOUs := 0
		for _, ou := range s.OUs {
			if ou.ParentOU == "" {
				tierOUs++
			}
		}
		fmt.Fprintf(bw, "%d customers in %d tier OUs, %d resources, revenue %s/month", s.Customers, tierOUs, s.Resources, usd(s.MonthlyPriceUSD))
		if c := rep.Cost; c != nil {
			fmt.Fprintf(bw, ", infrastructure %s/month, gross margin %.1f%%", money(c.Totals.InfrastructureUSD), c.Totals.GrossMarginPct)
		}
		fmt.Fprintln(bw, ".")
		return flush(bw)
	}
	b := d.Base.Summary
	fmt.Fprintf(bw, "Against %s.\n\n", md(d.Against))
	fmt.Fprintln(bw, "| | before | after | change |")
	fmt.Fprintln(bw, "|---|---:|---:|---:|")
	row := func(name string, o, n int, f func(int) string) {
		fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", name, f(o), f(n), signed(n-o, f))
	}
	plain := func(n int) string { return fmt.Sprint(n) }
	row("customers", b.Customers, s.Customers, plain)
	row("resources", b.Resources, s.Resources, plain)
	row("revenue / month", b.MonthlyPriceUSD, s.MonthlyPriceUSD, usd)
	if c := d.Cost; c != nil {
		row("infrastructure / month", round(c.Base.InfrastructureUSD), round(c.Head.InfrastructureUSD), usd)
		fmt.Fprintf(bw, "| gross margin | %.1f%% | %.1f%% | %+.1f pt |\n", c.Base.GrossMarginPct, c.Head.GrossMarginPct, c.Head.GrossMarginPct-c.Base.GrossMarginPct)
		fmt.Fprintf(bw, "| net margin | %.1f%% | %.1f%% | %+.1f pt |\n", c.Base.NetMarginPct, c.Head.NetMarginPct, c.Head.NetMarginPct-c.Base.NetMarginPct)
	}
	if ds := d.DeploySeconds; ds != nil {
		fmt.Fprintf(bw, "| deployment | %s | %s | %s |\n", minSec(ds[0]), minSec(ds[1]), signedMin(ds[1]-ds[0]))
	}
	fmt.Fprintln(bw)
	if d.Empty() {
		fmt.Fprintln(bw, "No changes.")
		return flush(bw)
	}
	fmt.Fprintf(bw, "**Resources:** %d added, %d changed, %d removed", d.Resources.Added, d.Resources.Changed, d.Resources.Removed)
	if len(d.Resources.ByType) > 0 {
		var parts []string
		for i, t := range d.Resources.ByType {
			if i == maxSummaryItems {
				parts = append(parts, fmt.Sprintf("%d more types", len(d.Resources.ByType)-i))
				break
			}
			parts = append(parts, fmt.Sprintf("%s %+d", t.ShortType, t.New-t.Old))
		}
		fmt.Fprintf(bw, " (by type: %s)", strings.Join(parts, ", "))
	}
	fmt.Fprintln(bw, ".")
	fmt.Fprintln(bw)
	tier := map[string]string{}
	for _, c := range rep.Customers {
		tier[c.Key] = c.Tier
	}
	var lines []string
	for _, k := range d.Order {
		ch := d.Customers[k]
		line := fmt.Sprintf("- %s `%s` (%s)", ch.Status, code(k), md(tier[k]))
		if len(ch.Fields) > 0 {
			var fs []string
			for _, f := range ch.Fields {
				fs = append(fs, fmt.Sprintf("%s %s → %s", md(f.Field), md(f.Old), md(f.New)))
			}
			line += ": " + strings.Join(fs, "; ")
		}
		lines = append(lines, line)
	}
	for _, c := range d.Removed {
		lines = append(lines, fmt.Sprintf("- removed `%s` (%s)", code(c.Key), md(c.Tier)))
	}
	if len(lines) > 0 {
		fmt.Fprintln(bw, "**Customers:**")
		writeCapped(bw, lines)
		fmt.Fprintln(bw)
	}
	if len(d.Controls) > 0 {
		added, removed, changed := 0, 0, 0
		lines = nil
		for _, cd := range d.Controls {
			added, removed, changed = added+len(cd.Added), removed+len(cd.Removed), changed+len(cd.Changed)
			var parts []string
			if n := len(cd.Added); n > 0 {
				parts = append(parts, fmt.Sprintf("+%d", n))
			}
			if n := len(cd.Removed); n > 0 {
				parts = append(parts, fmt.Sprintf("-%d", n))
			}
			if n := len(cd.Changed); n > 0 {
				parts = append(parts, fmt.Sprintf("~%d", n))
			}
			line := fmt.Sprintf("- `%s` (%s): %s", code(cd.Customer), cd.Status, strings.Join(parts, " "))
			if cd.Status == Changed {
				line += ": " + idList(cd)
			}
			lines = append(lines, line)
		}
		fmt.Fprintf(bw, "**Controls changed:** %d customers, %d controls added, %d removed, %d with other requirement ids.\n", len(d.Controls), added, removed, changed)
		writeCapped(bw, lines)
		fmt.Fprintln(bw)
	}
	fmt.Fprintln(bw, "The full report (OU tree, customers, cost, timeline, control matrix, changes highlighted) is in this workflow run's artifacts (`tierzone plan --format html`).")
	return flush(bw)
}

func idList(cd ControlDelta) string {
	var parts []string
	for _, id := range cd.Added {
		parts = append(parts, "+"+id)
	}
	for _, id := range cd.Removed {
		parts = append(parts, "-"+id)
	}
	for _, id := range cd.Changed {
		parts = append(parts, "~"+id)
	}
	if len(parts) > 6 {
		parts = append(parts[:6], "…")
	}
	return "`" + code(strings.Join(parts, " ")) + "`"
}

func writeCapped(w io.Writer, lines []string) {
	for i, l := range lines {
		if i == maxSummaryItems {
			fmt.Fprintf(w, "- … and %d more (see the report)\n", len(lines)-i)
			return
		}
		fmt.Fprintln(w, l)
	}
}

func flush(bw *bufio.Writer) error {
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write the summary: %w", err)
	}
	return nil
}

func round(f float64) int { return int(math.Round(f)) }

func signed(n int, f func(int) string) string {
	switch {
	case n > 0:
		return "+" + f(n)
	case n < 0:
		return "-" + f(-n)
	}
	return "0"
}

func signedMin(s int) string {
	if s < 0 {
		return "-" + minSec(-s)
	}
	return "+" + minSec(s)
}

// md escapes a catalog value for markdown text: no HTML, no table cell
// breaks, no emphasis or links.
func md(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '(', ')', '#', '|', '<', '>', '!', '~', '&':
			fmt.Fprintf(&b, "&#%d;", r)
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// code is a value for an inline code span: without backticks or line
// breaks.
func code(s string) string {
	return strings.NewReplacer("`", "'", "\n", " ", "\r", " ").Replace(s)
}
