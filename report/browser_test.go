package report

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/internal/gencatalog"
	"github.com/tierzone/tierzone/plan"
)

// The browser tests render the report in headless Chromium through the
// DevTools protocol. They skip when no Chromium is installed, unless
// TIERZONE_BROWSER_TESTS=require (what .ci/run sets, after installing it);
// TIERZONE_BROWSER_TESTS=skip skips them (.ci/run's engine pass, which
// would only run them a second time).
// TIERZONE_CHROMIUM names the binary; otherwise chromium, chromium-browser,
// google-chrome or google-chrome-stable on PATH.

func chromiumPath() string {
	if p := os.Getenv("TIERZONE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel func()
	browserErr    error
)

// TestMain stops the shared browser after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if browserCancel != nil {
		browserCancel()
	}
	os.Exit(code)
}

// browser returns the shared headless Chromium, starting it once.
func browser(t testing.TB) context.Context {
	t.Helper()
	if os.Getenv("TIERZONE_BROWSER_TESTS") == "skip" {
		t.Skip("TIERZONE_BROWSER_TESTS=skip")
	}
	path := chromiumPath()
	if path == "" {
		if os.Getenv("TIERZONE_BROWSER_TESTS") == "require" {
			t.Fatal("TIERZONE_BROWSER_TESTS=require but no Chromium found (install the distribution's chromium package or set TIERZONE_CHROMIUM)")
		}
		t.Skip("no Chromium on PATH (apt-get install chromium, or set TIERZONE_CHROMIUM); skipping the browser tests")
	}
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox, // CI containers run as root
			chromedp.WindowSize(1400, 1000),
			chromedp.Flag("disable-dev-shm-usage", true),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(alloc)
		browserCtx, browserCancel = ctx, func() { cancel(); cancelAlloc() }
		_, browserErr = chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.userAgent`))
	})
	require.NoError(t, browserErr, "start %s", path)
	return browserCtx
}

// tab is one page in the shared browser and what its console received.
type tab struct {
	ctx     context.Context
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// openReport writes html to a file, opens it (with the URL hash) in a new
// tab and waits until the page's script has run.
func openReport(t testing.TB, html []byte, hash string) *tab {
	t.Helper()
	file := filepath.Join(t.TempDir(), "report.html")
	require.NoError(t, os.WriteFile(file, html, 0o644))
	ctx, cancel := chromedp.NewContext(browser(t))
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx}
	// Open the tab, then subscribe to its console before loading the page.
	_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`1`))
	require.NoError(t, err)
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.console = append(tb.console, m)
			tb.mu.Unlock()
		}
	}()
	u := (&url.URL{Scheme: "file", Path: file, Fragment: hash}).String()
	wait, cancelWait := context.WithTimeout(ctx, time.Minute)
	defer cancelWait()
	if err := chromedp.Do(wait, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS(`body[data-ready="1"]`))); err != nil {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		t.Fatalf("open %s: %v; console: %v", u, err, tb.console)
	}
	return tb
}

func (tb *tab) do(t testing.TB, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Minute)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx, steps...))
}

func eval[T any](t testing.TB, tb *tab, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	require.NoError(t, err, js)
	return v
}

// errors are the console's errors and uncaught exceptions so far.
func (tb *tab) errors() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []string
	for _, m := range tb.console {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			out = append(out, m.String())
		}
	}
	return out
}

// visibleKeys are the customer rows the filters leave shown.
const visibleKeys = `Array.from(document.querySelectorAll("#customer-table tr.customer")).filter(r => !r.hidden && r.offsetParent !== null).map(r => r.dataset.key)`

// matching are the report's customers whose key, name, tier, OU, CIDR or
// region contains q (what the search box promises), and of tier if set.
func matching(rep *plan.Report, q, tier string) []string {
	var out []string
	for _, c := range rep.Customers {
		hay := strings.ToLower(strings.Join([]string{c.Key, c.Name, c.Tier, c.OU, c.VPCCIDR, c.Region}, " "))
		if strings.Contains(hay, strings.ToLower(q)) && (tier == "" || c.Tier == tier) {
			out = append(out, c.Key)
		}
	}
	return out
}

func keysOf(rep *plan.Report) []string {
	out := make([]string, len(rep.Customers))
	for i, c := range rep.Customers {
		out[i] = c.Key
	}
	return out
}

func renderHTML(t testing.TB, rep *plan.Report, d *Diff) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, rep, d))
	return b.Bytes()
}

// checkPage runs the checks every report must pass in the browser: every
// customer and tier in the DOM, search and the tier filter narrow the rows
// to exactly the matching customers, a row expands, no console errors, a
// screenshot that is not one colour.
func checkPage(t *testing.T, rep *plan.Report, query string) {
	html := renderHTML(t, rep, nil)
	tb := openReport(t, html, "")

	assert.Equal(t, keysOf(rep), eval[[]string](t, tb, `Array.from(document.querySelectorAll("#customer-table tr.customer")).map(r => r.dataset.key)`))
	assert.Equal(t, keysOf(rep), eval[[]string](t, tb, visibleKeys), "every row is shown before any filter")
	assert.Equal(t, len(rep.Customers), eval[int](t, tb, `document.querySelectorAll("#matrix tbody tr").length`), "control matrix rows")
	treeText := eval[string](t, tb, `document.querySelector("#tree svg").textContent`)
	options := eval[[]string](t, tb, `Array.from(document.querySelectorAll("#tier option")).map(o => o.value).filter(v => v)`)
	var tierKeys []string
	for _, ou := range rep.Summary.OUs {
		assert.Contains(t, treeText, ou.Name, "OU tree")
		tierKeys = append(tierKeys, ou.Tier)
	}
	assert.Equal(t, tierKeys, options, "tier filter")

	// Typing into the search box.
	want := matching(rep, query, "")
	require.NotEmpty(t, want)
	require.Less(t, len(want), len(rep.Customers), "the query must filter something")
	tb.do(t, chromedp.SendKeys(chromedp.CSS("#search"), query))
	assert.Equal(t, want, eval[[]string](t, tb, visibleKeys), "search %q", query)
	assert.Equal(t, fmt.Sprintf("%d of %d customers", len(want), len(rep.Customers)), eval[string](t, tb, `document.getElementById("shown").textContent`))

	// The URL hash sets the search and the tier filter, and opens a row.
	tier := rep.Customers[len(rep.Customers)-1].Tier
	first := matching(rep, "", tier)[0]
	tb2 := openReport(t, html, "search=&tier="+tier+"&open="+first)
	assert.Equal(t, matching(rep, "", tier), eval[[]string](t, tb2, visibleKeys), "tier filter %s", tier)
	assert.True(t, eval[bool](t, tb2, `document.querySelector('tr.details[data-for="`+first+`"]').offsetParent !== null`), "row %s expanded from the hash", first)
	// A click expands a row: its details show its CIDR and subnets.
	second := matching(rep, "", tier)[1]
	tb2.do(t, chromedp.Click(chromedp.CSS(`#c-`+second+` td.key`)))
	details := eval[string](t, tb2, `(() => { const d = document.querySelector('tr.details[data-for="`+second+`"]'); return d.offsetParent === null ? "" : d.innerText })()`)
	for _, c := range rep.Customers {
		if c.Key == second {
			assert.Contains(t, details, c.VPCCIDR)
			for _, s := range c.Subnets {
				assert.Contains(t, details, s.CIDR)
			}
		}
	}
	for _, cc := range rep.Controls {
		if cc.Customer == second {
			listed := eval[[]string](t, tb2, `Array.from(document.querySelectorAll('tr.details[data-for="`+second+`"] ul.ids li')).map(li => li.textContent)`)
			require.Len(t, listed, len(cc.Controls), "the opened row lists its controls")
			for _, c := range cc.Controls {
				assert.Contains(t, details+strings.Join(listed, "\n"), c.ID+": ")
			}
		}
	}

	// Hovering a control cell gives its framework ids.
	tb2.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector("#matrix td.y").dispatchEvent(new MouseEvent("mouseover", {bubbles: true}))`))
	tip := eval[string](t, tb2, `document.querySelector("#matrix td.y").title`)
	assert.NotEmpty(t, tip)
	assert.Contains(t, tip, rep.Controls[0].Controls[0].ID)

	shot, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	assertNotBlank(t, shot)
	if out := os.Getenv("TIERZONE_SCREENSHOT"); out != "" && len(rep.Customers) < 50 {
		require.NoError(t, os.WriteFile(out, shot, 0o644))
	}
	assert.Empty(t, tb.errors(), "console errors")
	assert.Empty(t, tb2.errors(), "console errors")
}

// assertNotBlank decodes a PNG and fails when it is a single colour.
func assertNotBlank(t *testing.T, shot []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	require.NoError(t, err, "decode the screenshot")
	b := img.Bounds()
	require.False(t, b.Empty())
	colors := map[[4]uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			colors[[4]uint32{r, g, bl, a}] = true
		}
	}
	assert.Greater(t, len(colors), 1, "screenshot %v is a single colour", b.Size())
}

func TestBrowserSeedReport(t *testing.T) {
	browser(t)
	checkPage(t, seedReport(t), "fintech")
}

// scriptName is a catalog value that would run if the page did not escape
// it.
const scriptName = `<script>window.tzInjected=1</script>`

var (
	bigOnce sync.Once
	bigRep  *plan.Report
)

// bigReport is a generated 1,000-customer plan with cost and controls (the
// progression, the same charts at any catalog size, is the seed report's
// to test); one customer's name holds a <script> element.
func bigReport(t testing.TB) *plan.Report {
	bigOnce.Do(func() {
		catalog := gencatalog.Customers(1000)
		catalog[7].Name = scriptName
		bigRep = buildReport(t, catalog, plan.Options{Cost: true, Controls: true})
	})
	require.NotNil(t, bigRep)
	return bigRep
}

func TestBrowserThousandCustomers(t *testing.T) {
	browser(t)
	rep := bigReport(t)
	require.Len(t, rep.Customers, 1000)
	checkPage(t, rep, "cust-0099")
}

func TestBrowserCatalogValuesAreText(t *testing.T) {
	browser(t)
	rep := bigReport(t)
	tb := openReport(t, renderHTML(t, rep, nil), "")
	assert.Equal(t, scriptName, eval[string](t, tb, `document.querySelector("#c-cust-00007 td.name").textContent`))
	assert.False(t, eval[bool](t, tb, `"tzInjected" in window`), "the catalog's script ran")
	assert.Equal(t, 2, eval[int](t, tb, `document.scripts.length`), "only the page's own script and its data")
	assert.Empty(t, tb.errors())
}

// TestBrowserDiff opens a report against a base without two customers and
// with one customer's CIDR changed: the rows and the matrix show it.
func TestBrowserDiff(t *testing.T) {
	browser(t)
	head := seedReport(t)
	base := buildReport(t, diffBase(), plan.Options{Cost: true, Controls: true})
	d := Compare("base", base, head)
	tb := openReport(t, renderHTML(t, head, d), "")
	rows := func(class string) []string {
		return eval[[]string](t, tb, `Array.from(document.querySelectorAll("#customer-table tr.customer.`+class+`")).map(r => r.dataset.key)`)
	}
	assert.Equal(t, []string{"acme-finance"}, rows("added"))
	assert.Equal(t, []string{"quantumbank-fintech"}, rows("changed"))
	assert.Equal(t, []string{"gone-customer"}, rows("removed"))
	assert.Positive(t, eval[int](t, tb, `document.querySelectorAll("#m-acme-finance td.added").length`), "the new customer's controls are highlighted")
	assert.Equal(t, 1, eval[int](t, tb, `document.querySelectorAll("#tree rect.node.added").length`))
	assert.Equal(t, 1, eval[int](t, tb, `document.querySelectorAll("#tree rect.node.removed").length`))
	assert.Contains(t, eval[string](t, tb, `document.getElementById("diff").innerText`), "Changes against base")
	assert.Empty(t, tb.errors())
}

// diffBase is the seed catalog as it was before a change: without
// acme-finance, quantumbank-fintech in another CIDR, and a customer the
// change removes.
func diffBase() []customers.Customer {
	var out []customers.Customer
	for _, c := range customers.Catalog() {
		switch c.Key {
		case "acme-finance":
			continue
		case "quantumbank-fintech":
			c.VPCCIDR = "10.9.0.0/16"
		}
		out = append(out, c)
	}
	return append(out, customers.Customer{Key: "gone-customer", Name: "Gone Customer", Tier: "standard", VPCCIDR: "10.20.0.0/16"})
}

// BenchmarkBrowserLoad1000 is the time from navigation to the page's
// script having run (search, filter and hover wired) for the
// 1,000-customer report in headless Chromium.
func BenchmarkBrowserLoad1000(b *testing.B) {
	ctx := browser(b)
	html := renderHTML(b, bigReport(b), nil)
	file := filepath.Join(b.TempDir(), "report.html")
	require.NoError(b, os.WriteFile(file, html, 0o644))
	tabCtx, cancel := chromedp.NewContext(ctx)
	defer cancel()
	u := (&url.URL{Scheme: "file", Path: file}).String()
	for b.Loop() {
		if err := chromedp.Do(tabCtx, chromedp.Navigate("about:blank"), chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS(`body[data-ready="1"]`))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(html))/1e6, "MB")
}
