// Package report renders the offline plan (package plan) as one
// self-contained HTML page (inline CSS, JavaScript and SVG; nothing
// fetched) and as a short markdown summary for a pull request, each
// optionally against another plan (what onboarding or a change adds,
// changes or removes). It reads the plan's report structs and recomputes
// nothing the plan holds.
package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/plan"
	"github.com/tierzone/tierzone/tiers"
)

//go:embed assets/page.html.tmpl
var pageTemplate string

//go:embed assets/report.css
var pageCSS string

//go:embed assets/report.js
var pageJS string

var tmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"num":     num,
	"maxTree": func() int { return MaxTreeCustomers },
	"sub":     func(a, b int) int { return a - b },
	"usd":     func(f float64) string { return usd(int(math.Round(f))) },
	"usdi":    usd,
	"pct":     func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) + "%" },
	"join":    strings.Join,
	"mins":    func(s int) string { return fmt.Sprintf("%dm%02ds", s/60, s%60) },
	"sign": func(n int) string {
		if n > 0 {
			return "+" + strconv.Itoa(n)
		}
		return strconv.Itoa(n)
	},
	"dusd": func(a, b float64) string {
		d := int(math.Round(b - a))
		if d > 0 {
			return "+" + usd(d)
		}
		return usd(d)
	},
}).Parse(pageTemplate))

// MaxTreeCustomers is how many customers the OU diagram draws under one
// tier before summarizing the rest ("+ N more"); the table lists them all.
const MaxTreeCustomers = 12

// maxCustomerBars is how many customers the per-customer cost chart draws
// (the most expensive first); the table has every customer's figures.
const maxCustomerBars = 30

// WriteHTML renders rep as one self-contained HTML page. With d (from
// Compare), the page highlights what d adds, changes and removes.
func WriteHTML(w io.Writer, rep *plan.Report, d *Diff) error {
	if err := tmpl.Execute(w, newPage(rep, d)); err != nil {
		return fmt.Errorf("render the HTML report: %w", err)
	}
	return nil
}

type page struct {
	Title     string
	S         plan.Summary
	Diff      *Diff
	Tiers     []tierView
	Tree      SVG
	Customers []customerRow
	Total     int
	Cost      *costView
	Timeline  *timelineView
	Matrix    *matrixView
	Policies  []plan.Policy
	CSS       template.CSS
	JS        template.JS
}

type tierView struct {
	Key, OU, Frameworks string
	Customers, Price    int
}

type customerRow struct {
	plan.Customer
	Status      Status
	Fields      []FieldChange
	Search      string
	Infra       string
	Margin      string
	Types       []typeCount
	Links       []link
	StatusClass string
	// Group is the row's control set in the matrix's hover data (the page
	// lists its controls when the row opens), -1 without controls;
	// Controls counts them.
	Group    int
	Controls int
}

type typeCount struct {
	Type  string
	Count int
}

type link struct{ Text, URL string }

func newPage(rep *plan.Report, d *Diff) page {
	p := page{
		Title: "Tierzone plan: stack " + rep.Summary.Stack,
		S:     rep.Summary,
		Diff:  d,
		CSS:   template.CSS(pageCSS),
		JS:    template.JS(pageJS),
	}
	for _, ou := range rep.Summary.OUs {
		if ou.ParentOU != "" {
			continue
		}
		tv := tierView{Key: ou.Tier, OU: ou.Name, Customers: len(ou.Customers)}
		for _, c := range rep.Customers {
			if c.Tier == ou.Tier {
				tv.Frameworks, tv.Price = strings.Join(c.Frameworks, " + "), c.MonthlyPriceUSD
				break
			}
		}
		p.Tiers = append(p.Tiers, tv)
	}
	p.Tree = treeSVG("OU tree: organization root, tier OUs with their SCPs, customer accounts", ouTree(rep, d))
	p.Matrix = newMatrix(rep, d)
	p.Customers = customerRows(rep, d, p.Matrix)
	p.Total = len(rep.Customers)
	p.Cost = newCostView(rep, d)
	p.Timeline = newTimeline(rep)
	p.Policies = rep.Summary.Policies
	return p
}

// ouTree is the organization as a tree: root, tier OUs (SCPs attached as
// lines), customers (at most MaxTreeCustomers per OU drawn), removed
// customers (d) in their old OU.
func ouTree(rep *plan.Report, d *Diff) TreeNode {
	cidr := map[string]string{}
	for _, c := range rep.Customers {
		cidr[c.Key] = c.VPCCIDR
	}
	root := TreeNode{Label: "Organization root " + rep.Summary.OrganizationRootID, Tip: "parent of the tier OUs"}
	tierNode, segments := map[string]int{}, map[string]int{}
	for _, ou := range rep.Summary.OUs {
		n := TreeNode{Label: ou.Name, Tip: fmt.Sprintf("%s: %d customers", ou.Name, len(ou.Customers))}
		if ou.ParentOU != "" {
			n.Tip = fmt.Sprintf("%s: segment %s of %s (inherits its SCPs), %d customers", ou.Name, ou.Segment, ou.ParentOU, len(ou.Customers))
		}
		for _, pol := range ou.Policies {
			n.Lines = append(n.Lines, "SCP "+pol)
		}
		for _, pol := range ou.ManagementPolicies {
			n.Lines = append(n.Lines, "policy "+pol)
		}
		for i, k := range ou.Customers {
			if i == MaxTreeCustomers {
				n.Children = append(n.Children, TreeNode{Label: fmt.Sprintf("+ %d more customers", len(ou.Customers)-i), Class: "more"})
				break
			}
			n.Children = append(n.Children, TreeNode{Label: k + "  " + cidr[k], Class: string(d.Status(k)), Tip: k + ": account and VPC " + cidr[k]})
		}
		if d != nil {
			for _, c := range d.Removed {
				if c.OU == ou.Name {
					n.Children = append(n.Children, TreeNode{Label: c.Key + "  " + c.VPCCIDR, Class: string(Removed), Tip: c.Key + ": removed"})
				}
			}
		}
		if i, ok := tierNode[ou.ParentOU]; ok && ou.ParentOU != "" {
			// A segment OU: one level down, before its tier's customers.
			parent := &root.Children[i]
			at := segments[ou.ParentOU]
			parent.Children = append(parent.Children[:at], append([]TreeNode{n}, parent.Children[at:]...)...)
			segments[ou.ParentOU]++
			continue
		}
		tierNode[ou.Name] = len(root.Children)
		root.Children = append(root.Children, n)
	}
	return root
}

func customerRows(rep *plan.Report, d *Diff, m *matrixView) []customerRow {
	infra := map[string]cost.CustomerCost{}
	if rep.Cost != nil {
		for _, c := range rep.Cost.Customers {
			infra[c.Key] = c
		}
	}
	group, controls := map[string]int{}, map[string]int{}
	if m != nil {
		for _, r := range m.Rows {
			group[r.Key] = r.Group
			controls[r.Key] = len(m.Tips[r.Group])
		}
	}
	dash := map[string]string{}
	for _, db := range rep.Dashboards {
		if k, ok := strings.CutSuffix(db.Account, "-aws"); ok {
			dash[k] = db.Name
		}
	}
	row := func(c plan.Customer, st Status, fields []FieldChange) customerRow {
		r := customerRow{Customer: c, Status: st, Fields: fields, StatusClass: string(st), Group: -1}
		if g, ok := group[c.Key]; ok {
			r.Group, r.Controls = g, controls[c.Key]
		}
		r.Search = strings.ToLower(strings.Join([]string{c.Key, c.Name, c.Tier, c.OU, c.VPCCIDR, c.Region}, " "))
		if cc, ok := infra[c.Key]; ok {
			r.Infra, r.Margin = usd(int(math.Round(cc.InfrastructureUSD))), strconv.FormatFloat(cc.GrossMarginPct, 'f', 1, 64)+"%"
		}
		for _, t := range sortedKeys(c.ResourcesByType) {
			r.Types = append(r.Types, typeCount{Type: plan.ShortType(t), Count: c.ResourcesByType[t]})
		}
		sort.SliceStable(r.Types, func(i, j int) bool { return r.Types[i].Type < r.Types[j].Type })
		if name, ok := dash[c.Key]; ok {
			r.Links = append(r.Links, link{Text: "CloudWatch dashboard " + name + " (in the customer's account)",
				URL: "https://" + c.Region + ".console.aws.amazon.com/cloudwatch/home?region=" + url.QueryEscape(c.Region) + "#dashboards/dashboard/" + url.PathEscape(name)})
		}
		return r
	}
	var out []customerRow
	for _, c := range rep.Customers {
		ch := CustomerChange{}
		if d != nil {
			ch = d.Customers[c.Key]
		}
		out = append(out, row(c, ch.Status, ch.Fields))
	}
	if d != nil {
		for _, c := range d.Removed {
			r := row(c, Removed, nil)
			r.Infra, r.Margin = "", ""
			out = append(out, r)
		}
	}
	return out
}

type costView struct {
	Totals      cost.Totals
	Tiers       []cost.TierCost
	TierChart   SVG
	CustChart   SVG
	CustNote    string
	Progression []progressionView
	ProgCharts  []SVG
	Shared      float64
}

type progressionView struct {
	cost.ProgressionRow
	SeedRevenue, SeedInfra, SeedMargin, SeedDeploy, SeedSource string
}

func newCostView(rep *plan.Report, d *Diff) *costView {
	if rep.Cost == nil {
		return nil
	}
	c := rep.Cost
	v := &costView{Totals: c.Totals, Tiers: c.Tiers}
	for _, it := range c.Shared {
		v.Shared += it.MonthlyUSD
	}
	var bars []Bar
	for _, t := range c.Tiers {
		bars = append(bars, Bar{Label: t.Tier, Values: []float64{t.RevenueUSD, t.InfrastructureUSD}, Note: fmt.Sprintf("margin %.1f%%", t.GrossMarginPct)})
	}
	v.TierChart = barChart("Revenue and infrastructure per tier, per month", []string{"revenue", "infrastructure"}, bars, money)
	custs := slices.Clone(c.Customers)
	sort.SliceStable(custs, func(i, j int) bool { return custs[i].InfrastructureUSD > custs[j].InfrastructureUSD })
	if len(custs) > maxCustomerBars {
		v.CustNote = fmt.Sprintf("The %d most expensive of %d customers; the table below has every customer's figures.", maxCustomerBars, len(custs))
		custs = custs[:maxCustomerBars]
	}
	bars = nil
	for _, cc := range custs {
		bars = append(bars, Bar{Label: cc.Key, Values: []float64{cc.InfrastructureUSD}, Note: fmt.Sprintf("%s, margin %.1f%%", cc.Tier, cc.GrossMarginPct), Class: string(d.Status(cc.Key))})
	}
	v.CustChart = barChart("Infrastructure per customer, per month", []string{"infrastructure (customer's own resources)"}, bars, money)
	if len(rep.Progression) > 0 {
		v.Progression, v.ProgCharts = progression(rep.Progression)
	}
	return v
}

func money(f float64) string { return usd(int(math.Round(f))) }

var (
	firstDollars = regexp.MustCompile(`\$([0-9][0-9,]*)`)
	firstPercent = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?)%`)
	firstRange   = regexp.MustCompile(`([0-9]+)(?:-([0-9]+))? min`)
)

// seedNumber reads the first figure a seed string gives (the reports
// often give two; the tooltip shows the whole text).
func seedNumber(re *regexp.Regexp, s string, group int) float64 {
	m := re.FindStringSubmatch(s)
	if m == nil || m[group] == "" {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(m[group], ",", ""), 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// progression is the table rows and three charts (infrastructure, gross
// margin, deployment minutes): computed beside the seeds' first figure.
func progression(rows []cost.ProgressionRow) ([]progressionView, []SVG) {
	var out []progressionView
	var xs []int
	var infra, sInfra, margin, sMargin, dep, sLo, sHi []float64
	var tInfra, tMargin, tDep []string
	for _, r := range rows {
		pv := progressionView{ProgressionRow: r}
		xs = append(xs, r.Customers)
		infra = append(infra, r.InfrastructureUSD)
		margin = append(margin, r.GrossMarginPct)
		dep = append(dep, float64(r.DeploySeconds)/60)
		si, sm, lo, hi := math.NaN(), math.NaN(), math.NaN(), math.NaN()
		ti, tm, td := "", "", ""
		if s := r.Seeds; s != nil {
			pv.SeedRevenue, pv.SeedInfra, pv.SeedMargin, pv.SeedDeploy, pv.SeedSource = s.Revenue, s.Infrastructure, s.Margin, s.DeployTime, s.Source
			si, sm = seedNumber(firstDollars, s.Infrastructure, 1), seedNumber(firstPercent, s.Margin, 1)
			lo, hi = seedNumber(firstRange, s.DeployTime, 1), seedNumber(firstRange, s.DeployTime, 2)
			ti, tm, td = "seeds, "+strconv.Itoa(r.Customers)+" customers: "+s.Infrastructure, "seeds: "+s.Margin, "seeds: "+s.DeployTime
		}
		sInfra, sMargin, sLo, sHi = append(sInfra, si), append(sMargin, sm), append(sLo, lo), append(sHi, hi)
		tInfra, tMargin, tDep = append(tInfra, ti), append(tMargin, tm), append(tDep, td)
		out = append(out, pv)
	}
	charts := []SVG{
		lineChart("Infrastructure per month (log scale): computed and the seeds' figure", xs,
			[]Series{{Name: "computed", Values: infra}, {Name: "seeds", Values: sInfra, Tips: tInfra}}, true, money),
		lineChart("Gross margin: computed and the seeds' figure", xs,
			[]Series{{Name: "computed", Values: margin}, {Name: "seeds", Values: sMargin, Tips: tMargin}}, false,
			func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) + "%" }),
		lineChart("Deployment time in minutes: computed and the seeds' range", xs,
			[]Series{{Name: "computed", Values: dep}, {Name: "seeds, from", Values: sLo, Tips: tDep}, {Name: "seeds, to", Values: sHi, Tips: tDep}}, false,
			func(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) }),
	}
	return out, charts
}

type timelineView struct {
	Total       string
	Waves       int
	Accounts    int
	Concurrency int
	Chart       SVG
	Assumptions []string
}

// newTimeline draws the phases, then the critical path with consecutive
// steps of one type merged (an account-creation chain is one bar).
func newTimeline(rep *plan.Report) *timelineView {
	e := rep.DeployTime
	if e == nil {
		return nil
	}
	v := &timelineView{Total: e.Human, Waves: e.AccountWaves, Accounts: e.AccountsCreated, Concurrency: e.AccountConcurrency, Assumptions: e.Assumptions}
	var bars []GanttBar
	for _, ph := range e.Phases {
		bars = append(bars, GanttBar{Label: "phase: " + ph.Name, Start: ph.StartSeconds, End: ph.EndSeconds, Class: "phase",
			Tip: fmt.Sprintf("%s: %s to %s, %d resources; %s", ph.Name, minSec(ph.StartSeconds), minSec(ph.EndSeconds), ph.Resources, ph.Description)})
	}
	cp := e.CriticalPath
	for i := 0; i < len(cp); {
		j := i
		for j+1 < len(cp) && cp[j+1].Type == cp[i].Type {
			j++
		}
		label := plan.ShortType(cp[i].Type) + " " + cp[i].Name
		names := []string{}
		for _, t := range cp[i : j+1] {
			names = append(names, t.Name)
		}
		if j > i {
			label = fmt.Sprintf("%s ×%d", plan.ShortType(cp[i].Type), j-i+1)
		}
		if len(names) > 8 {
			names = append(names[:8], fmt.Sprintf("and %d more", len(names)-8))
		}
		tip := fmt.Sprintf("%s to %s: %s", minSec(cp[i].StartSeconds), minSec(cp[j].FinishSeconds), strings.Join(names, ", "))
		if cp[i].Via != "" {
			tip += "; waits for the step before via " + cp[i].Via
		}
		tip += "; duration: " + cp[i].Source
		class := "crit"
		if strings.Contains(cp[i].Type, "organizations/account") {
			class = "crit acct"
		} else if strings.Contains(cp[i].Type, "natGateway") {
			class = "crit nat"
		}
		bars = append(bars, GanttBar{Label: clip(label, 42), Start: cp[i].StartSeconds, End: cp[j].FinishSeconds, Class: class, Tip: tip})
		i = j + 1
	}
	v.Chart = gantt("Deployment timeline: phases, then the critical path", bars)
	return v
}

// clip shortens s to n characters, ending it with "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func minSec(s int) string { return fmt.Sprintf("%dm%02ds", s/60, s%60) }

type matrixView struct {
	Cols []matrixCol
	Rows []matrixRow
	// Tips are the hover texts: per control set (a row's Group), per
	// control id, the requirement ids of the customer's frameworks.
	Tips []map[string]string
}

type matrixCol struct{ ID, Title string }

type matrixRow struct {
	Key, Tier, Class string
	Group            int
	Cells            []matrixCell
}

type matrixCell struct{ Mark, Class string }

// newMatrix is customers by controls; a cell's framework ids come from the
// row's control set on hover (rows of one tier share one).
func newMatrix(rep *plan.Report, d *Diff) *matrixView {
	if rep.Controls == nil {
		return nil
	}
	all := slices.Clone(rep.Controls)
	if d != nil && d.Base != nil {
		removed := map[string]bool{}
		for _, c := range d.Removed {
			removed[c.Key] = true
		}
		for _, cc := range d.Base.Controls {
			if removed[cc.Customer] {
				all = append(all, cc)
			}
		}
	}
	m := &matrixView{}
	col := map[string]int{}
	for _, cc := range all {
		for _, c := range cc.Controls {
			if _, ok := col[c.ID]; !ok {
				col[c.ID] = len(m.Cols)
				m.Cols = append(m.Cols, matrixCol{ID: c.ID, Title: c.Title})
			}
		}
	}
	deltas := map[string]ControlDelta{}
	if d != nil {
		for _, cd := range d.Controls {
			deltas[cd.Customer] = cd
		}
	}
	groups := map[string]int{}
	for _, cc := range all {
		tips := map[string]string{}
		for _, c := range cc.Controls {
			tips[c.ID] = controlTip(cc, c)
		}
		sig := fmt.Sprint(tips)
		g, ok := groups[sig]
		if !ok {
			g = len(m.Tips)
			groups[sig] = g
			m.Tips = append(m.Tips, tips)
		}
		row := matrixRow{Key: cc.Customer, Tier: cc.Tier, Group: g, Class: string(d.Status(cc.Customer)), Cells: make([]matrixCell, len(m.Cols))}
		cd := deltas[cc.Customer]
		if cd.Status == Removed {
			row.Class = string(Removed)
		}
		for _, c := range cc.Controls {
			cell := matrixCell{Mark: "✓", Class: "y"}
			switch {
			case cd.Status == Removed || slices.Contains(cd.Removed, c.ID):
				cell.Class = "y removed"
			case slices.Contains(cd.Added, c.ID):
				cell.Class = "y added"
			case slices.Contains(cd.Changed, c.ID):
				cell.Class = "y changed"
			}
			row.Cells[col[c.ID]] = cell
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

// controlTip is a control's requirement ids in the customer's frameworks
// and its Security Hub checks.
func controlTip(cc landingzone.CustomerControls, c tiers.Control) string {
	parts := cc.Requirements(c)
	return c.ID + ": " + strings.Join(parts, "; ")
}

// usd formats whole dollars with thousands separators: $25,000.
func usd(n int) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + "$" + s
}
