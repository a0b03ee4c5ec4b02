package report

import (
	"bytes"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/deploytime"
	"github.com/tierzone/tierzone/plan"
)

var (
	diffOnce sync.Once
	diffRep  *plan.Report
)

// diffBaseReport is the plan of diffBase, built once.
func diffBaseReport(t testing.TB) *plan.Report {
	diffOnce.Do(func() { diffRep = buildReport(t, diffBase(), plan.Options{Cost: true, Controls: true}) })
	require.NotNil(t, diffRep)
	return diffRep
}

func TestHTMLHoldsEveryCustomerTierAndSection(t *testing.T) {
	rep := seedReport(t)
	html := string(renderHTML(t, rep, nil))
	require.True(t, strings.HasPrefix(html, "<!DOCTYPE html>"))
	for _, c := range rep.Customers {
		assert.Contains(t, html, `id="c-`+c.Key+`"`, "customer row")
		assert.Contains(t, html, `id="m-`+c.Key+`"`, "control matrix row")
		assert.Contains(t, html, c.VPCCIDR)
	}
	for _, ou := range rep.Summary.OUs {
		assert.Contains(t, html, ">"+ou.Name+"</text>", "OU tree box")
		assert.Contains(t, html, `<option value="`+ou.Tier+`">`, "tier filter")
	}
	for _, id := range []string{"tree", "customers", "cost", "timeline", "controls", "scps"} {
		assert.Contains(t, html, `<section id="`+id+`"`)
	}
	assert.NotContains(t, html, `id="diff"`, "no diff without --against")
	// Self-contained: nothing is loaded from anywhere.
	for _, ref := range []string{"<link", " src=", "@import", "url("} {
		assert.NotContains(t, html, ref)
	}
	for _, cc := range rep.Controls[:1] {
		for _, c := range cc.Controls {
			assert.Contains(t, html, "<span>"+c.ID+"</span>", "matrix column")
		}
	}
}

func TestHTMLEscapesCatalogValues(t *testing.T) {
	catalog := customers.Catalog()
	catalog[0].Name = scriptName
	catalog[1].Name = `"><img onerror=x>`
	rep := buildReport(t, catalog, plan.Options{Cost: true, Controls: true})
	html := string(renderHTML(t, rep, nil))
	assert.NotContains(t, html, scriptName)
	assert.NotContains(t, html, "<img")
	assert.Contains(t, html, "&lt;script&gt;window.tzInjected=1&lt;/script&gt;")
	assert.Equal(t, 2, strings.Count(html, "<script"), "the page's data and its script only")
}

func TestCompare(t *testing.T) {
	head, base := seedReport(t), diffBaseReport(t)
	d := Compare("base", base, head)
	assert.Equal(t, []string{"acme-finance", "quantumbank-fintech"}, d.Order)
	assert.Equal(t, Added, d.Status("acme-finance"))
	ch := d.Customers["quantumbank-fintech"]
	assert.Equal(t, Changed, ch.Status)
	require.NotEmpty(t, ch.Fields)
	assert.Equal(t, FieldChange{Field: "vpcCidr", Old: "10.9.0.0/16", New: "10.1.0.0/16"}, ch.Fields[0])
	require.Len(t, d.Removed, 1)
	assert.Equal(t, "gone-customer", d.Removed[0].Key)
	assert.Positive(t, d.Resources.Added)
	assert.Positive(t, d.Resources.Removed)
	assert.Positive(t, d.Resources.Changed, "the changed CIDR's VPC and subnets, the dashboards listing customers")
	require.NotNil(t, d.Cost)
	assert.InDelta(t, float64(head.Summary.MonthlyPriceUSD-base.Summary.MonthlyPriceUSD), d.Cost.Head.RevenueUSD-d.Cost.Base.RevenueUSD, 0.01)

	status := map[string]ControlDelta{}
	for _, cd := range d.Controls {
		status[cd.Customer] = cd
	}
	assert.Equal(t, Added, status["acme-finance"].Status)
	assert.Len(t, status["acme-finance"].Added, len(head.Controls[0].Controls))
	assert.Equal(t, Removed, status["gone-customer"].Status)
	assert.NotContains(t, status, "metabank-fintech", "an untouched customer's controls are unchanged")

	same := Compare("itself", head, head)
	assert.True(t, same.Empty())
}

// TestPlanJSONIsABase: a plan written as JSON (what CI keeps of the base
// branch) compares equal to the plan it was written from.
func TestPlanJSONIsABase(t *testing.T) {
	rep := seedReport(t)
	var b bytes.Buffer
	require.NoError(t, rep.WriteJSON(&b))
	back, ok, err := plan.DecodeReport(b.Bytes())
	require.True(t, ok)
	require.NoError(t, err)
	d := Compare("json", back, rep)
	assert.True(t, d.Empty(), "%+v", d.Resources)
	require.NotNil(t, d.Cost)
	assert.Equal(t, d.Cost.Base, d.Cost.Head)

	_, ok, _ = plan.DecodeReport([]byte(`{"customers": []}`))
	assert.False(t, ok, "a catalog file is not a plan")
}

func TestSummary(t *testing.T) {
	head, base := seedReport(t), diffBaseReport(t)
	var b bytes.Buffer
	require.NoError(t, WriteSummary(&b, head, Compare("main", base, head)))
	out := b.String()
	assert.Contains(t, out, "| customers | 10 | 10 | 0 |")
	assert.Contains(t, out, "| revenue / month | $110,000 | $116,000 | +$6,000 |")
	assert.Contains(t, out, "- added `acme-finance` (fintech)\n")
	assert.Contains(t, out, "- changed `quantumbank-fintech` (fintech): vpcCidr 10.9.0.0/16 → 10.1.0.0/16")
	assert.Contains(t, out, "- removed `gone-customer` (standard)\n")
	assert.Contains(t, out, "**Controls changed:** 2 customers")
	assert.Contains(t, out, "| infrastructure / month |")
	assert.Contains(t, out, "| deployment |")

	b.Reset()
	require.NoError(t, WriteSummary(&b, head, Compare("main", head, head)))
	assert.Contains(t, b.String(), "No changes.")
	b.Reset()
	require.NoError(t, WriteSummary(&b, head, nil))
	assert.Contains(t, b.String(), "10 customers in 4 tier OUs")
}

func TestMarkdownEscapesCatalogValues(t *testing.T) {
	got := md("a|b <script> [x](y) *z*")
	for _, bad := range []string{"|", "<", ">", "[", "]", "(", ")", "*"} {
		assert.NotContains(t, got, bad)
	}
	assert.Equal(t, "it's", code("it`s"))
}

func TestBarChartScalesToTheLargestValue(t *testing.T) {
	s := barChart("x", []string{"a"}, []Bar{{Label: "big", Values: []float64{200}}, {Label: "half", Values: []float64{100}}}, money)
	var bars []Rect
	for _, r := range s.Rects {
		if r.Tip != "" {
			bars = append(bars, r)
		}
	}
	require.Len(t, bars, 2)
	assert.InDelta(t, bars[0].W, 2*bars[1].W, 0.01)
	assert.Greater(t, bars[1].Y, bars[0].Y)
}

func TestLineChartGapsAndLogScale(t *testing.T) {
	nan := math.NaN()
	s := lineChart("x", []int{1, 2, 3, 4, 5}, []Series{{Name: "a", Values: []float64{10, 100, nan, 1000, 10000}}}, true, money)
	require.Len(t, s.Polys, 2, "a missing value splits the line")
	p := s.Polys[0].Points
	q := s.Polys[1].Points
	// Each factor of ten is the same height on a log scale.
	assert.InDelta(t, p[0].Y-p[1].Y, q[0].Y-q[1].Y, 0.01)
	assert.Less(t, q[1].Y, p[0].Y, "larger values are higher")
}

func TestSeedNumbers(t *testing.T) {
	assert.Equal(t, 180.0, seedNumber(firstDollars, "$180 ('costs don't increase with customer count')", 1))
	assert.Equal(t, 1160000.0, seedNumber(firstDollars, "$1,160,000", 1))
	assert.Equal(t, 97.8, seedNumber(firstPercent, "97.8% gross", 1))
	assert.Equal(t, 30.0, seedNumber(firstRange, "30-40 min; 60-90 min", 1))
	assert.Equal(t, 40.0, seedNumber(firstRange, "30-40 min; 60-90 min", 2))
	assert.True(t, math.IsNaN(seedNumber(firstDollars, "none", 1)))
}

func TestTimelineMergesTheAccountChain(t *testing.T) {
	step := func(typ, name string, start, end int) deploytime.Timing {
		return deploytime.Timing{Type: typ, Name: name, StartSeconds: start, FinishSeconds: end}
	}
	const acct = "aws:organizations/account:Account"
	rep := &plan.Report{}
	rep.DeployTime = &deploytime.Estimate{Human: "30m", CriticalPath: []deploytime.Timing{
		step("pulumi:providers:aws", "mgmt", 0, 2),
		step(acct, "a", 2, 600), step(acct, "b", 600, 1200), step(acct, "c", 1200, 1800),
		step("aws:ec2/natGateway:NatGateway", "c-nat", 1800, 1900),
	}, Phases: []deploytime.PhaseTiming{{Name: deploytime.PhaseAccounts, StartSeconds: 2, EndSeconds: 1800}}}
	v := newTimeline(rep)
	var labels []string
	for _, tx := range v.Chart.Texts {
		if tx.Class == "lbl" {
			labels = append(labels, tx.S)
		}
	}
	assert.Equal(t, []string{"phase: Account provisioning", "provider.aws mgmt", "organizations.Account ×3", "ec2.NatGateway c-nat"}, labels)
	var chain Rect
	for _, r := range v.Chart.Rects {
		if r.Class == "crit acct" {
			chain = r
		}
	}
	// One bar from 2 s to 1800 s of a 1900 s axis.
	assert.InDelta(t, 560*(1800.0-2)/1900, chain.W, 0.5)
}

func TestTreeDrawsAnyDepthAndCapsCustomers(t *testing.T) {
	root := TreeNode{Label: "root", Children: []TreeNode{
		{Label: "Customers-Fintech", Children: []TreeNode{
			{Label: "segment-a", Children: []TreeNode{{Label: "cust-1"}, {Label: "cust-2"}}},
			{Label: "cust-3"},
		}},
	}}
	s := treeSVG("t", root)
	x := map[string]float64{}
	for _, tx := range s.Texts {
		x[tx.S] = tx.X
	}
	for _, l := range []string{"root", "Customers-Fintech", "segment-a", "cust-1", "cust-2", "cust-3"} {
		assert.Contains(t, x, l)
	}
	assert.Greater(t, x["cust-1"], x["segment-a"], "a child OU's customers are indented under it")
	assert.Equal(t, x["segment-a"], x["cust-3"], "the tier's own customers sit at the child OU's level")

	rep := &plan.Report{}
	ou := plan.OU{Tier: "standard", Name: "Customers-Standard"}
	for i := range MaxTreeCustomers + 5 {
		ou.Customers = append(ou.Customers, strings.Repeat("c", i+1))
	}
	rep.Summary.OUs = []plan.OU{ou}
	tree := ouTree(rep, nil)
	kids := tree.Children[0].Children
	require.Len(t, kids, MaxTreeCustomers+1)
	assert.Equal(t, "+ 5 more customers", kids[MaxTreeCustomers].Label)
}

// TestOUTreeNestsSegments: a segment OU of the plan draws under its tier
// OU, before the tier's own customers, with its own customers under it.
func TestOUTreeNestsSegments(t *testing.T) {
	rep := &plan.Report{}
	rep.Summary.OUs = []plan.OU{
		{Tier: "fintech", Name: "Customers-Fintech", Customers: []string{"own"}},
		{Tier: "fintech", Name: "Fintech-Large-Banks", Segment: "large-banks", ParentOU: "Customers-Fintech", Customers: []string{"bank"}},
		{Tier: "fintech", Name: "Fintech-Fintechs", Segment: "fintechs", ParentOU: "Customers-Fintech", Customers: []string{"startup"}},
		{Tier: "standard", Name: "Customers-Standard"},
	}
	tree := ouTree(rep, nil)
	require.Len(t, tree.Children, 2, "segments are not columns of their own")
	fin := tree.Children[0].Children
	require.Len(t, fin, 3)
	assert.Equal(t, "Fintech-Large-Banks", fin[0].Label)
	assert.Equal(t, "Fintech-Fintechs", fin[1].Label)
	assert.Equal(t, "bank  ", fin[0].Children[0].Label)
	assert.Equal(t, "own  ", fin[2].Label)
}
