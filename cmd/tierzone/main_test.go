package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tierzone runs the command line in-process and returns exit code, stdout
// and stderr.
func tierzone(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

type planJSON struct {
	Customers []struct {
		Key     string `json:"key"`
		Tier    string `json:"tier"`
		VPCCIDR string `json:"vpcCidr"`
	} `json:"customers"`
	Resources []map[string]any `json:"resources"`
	Summary   struct {
		Stack     string `json:"stack"`
		Resources int    `json:"resources"`
	} `json:"summary"`
}

func TestPlanJSONDefaultsToProd(t *testing.T) {
	code, out, errOut := tierzone(t, "plan", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	assert.Empty(t, errOut)
	var p planJSON
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	assert.Equal(t, "prod", p.Summary.Stack)
	assert.Len(t, p.Customers, 10)
	assert.Len(t, p.Resources, p.Summary.Resources)
}

func TestPlanTextDevStack(t *testing.T) {
	code, out, errOut := tierzone(t, "plan", "--stack", "dev")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Tierzone plan: stack dev, 4 customers")
	assert.Contains(t, out, "Customers-Healthcare OU\n└─ medicorp-health (10.1.0.0/16)\n")
}

const yamlCatalog = `customers:
  - key: northwind-pay
    name: Northwind Payments
    tier: fintech
    vpcCidr: 10.20.0.0/16
  - key: clinic-one
    name: Clinic One
    tier: healthcare
    vpcCidr: 10.21.0.0/16
    tags: {cost-center: 17}
`

const jsonCatalog = `{"customers": [
  {"key": "northwind-pay", "name": "Northwind Payments", "tier": "fintech", "vpcCidr": "10.20.0.0/16"},
  {"key": "clinic-one", "name": "Clinic One", "tier": "healthcare", "vpcCidr": "10.21.0.0/16", "tags": {"cost-center": "17"}}
]}`

func TestPlanCatalogFileYAMLAndJSON(t *testing.T) {
	var outs []string
	for _, f := range []string{writeFile(t, "catalog.yaml", yamlCatalog), writeFile(t, "catalog.json", jsonCatalog)} {
		// The dev stack selects four built-in customers; a catalog file
		// replaces that selection with all of its own customers.
		code, out, errOut := tierzone(t, "plan", "--stack", "dev", "--catalog", f, "--format", "json")
		require.Equal(t, exitOK, code, errOut)
		var p planJSON
		require.NoError(t, json.Unmarshal([]byte(out), &p))
		require.Len(t, p.Customers, 2, f)
		assert.Equal(t, "northwind-pay", p.Customers[0].Key)
		assert.Equal(t, "10.21.0.0/16", p.Customers[1].VPCCIDR)
		outs = append(outs, out)
	}
	assert.Equal(t, outs[0], outs[1], "the YAML and JSON catalogs plan identically")
}

func TestBadCatalogFile(t *testing.T) {
	bad := writeFile(t, "bad.yaml", `customers:
  - key: northwind-pay
    name: Northwind Payments
    tier: crypto
    vpcCidr: 10.20.0.0/16
  - key: clinic-one
    name: Clinic One
    tier: healthcare
    vpc_cidr: 10.21.0.0/16
`)
	for _, cmd := range []string{"plan", "validate"} {
		code, out, errOut := tierzone(t, cmd, "--catalog", bad)
		assert.Equal(t, exitInvalid, code, cmd)
		assert.Empty(t, out, "nothing on stdout for %s", cmd)
		assert.Contains(t, errOut, `customer "clinic-one": vpc_cidr: unknown field (did you mean "vpcCidr"?)`)
	}
	// Well-formed file, invalid customers: every problem, named by customer and field.
	invalid := writeFile(t, "invalid.json", `{"customers": [
	  {"key": "northwind-pay", "name": "Northwind Payments", "tier": "crypto", "vpcCidr": "10.20.0.0/16"},
	  {"key": "clinic-one", "name": "Clinic One", "tier": "healthcare", "vpcCidr": "8.8.0.0/16", "vpnGateway": false}]}`)
	code, out, errOut := tierzone(t, "plan", "--catalog", invalid)
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "3 problems (nothing was registered)")
	assert.Contains(t, errOut, `customer "northwind-pay": tier: "crypto" is not a tier`)
	assert.Contains(t, errOut, `customer "clinic-one": vpcCidr:`)
	assert.Contains(t, errOut, `customer "clinic-one": vpnGateway: tier healthcare requires a VPN gateway`)
}

func TestUnknownStackKeyIsInvalid(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: tierzone\nruntime: go\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.qa.yaml"), []byte(`config:
  tierzone:organizationRootId: r-qa00
  tierzone:accountEmailMailbox: qa@tierzone.example
  tierzone:protekt: false
`), 0o600))
	code, out, errOut := tierzone(t, "validate", "--dir", dir, "--stack", "qa")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `stack config "tierzone:protekt": unknown key (did you mean tierzone:protect?)`)
}

func TestUsageErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"no command":      nil,
		"unknown command": {"deploy-everything"},
		"unknown flag":    {"plan", "--bogus"},
		"bad format":      {"plan", "--format", "yaml"},
		"stray argument":  {"validate", "prod"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := tierzone(t, args...)
			assert.Equal(t, exitInvalid, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, "Usage: tierzone")
		})
	}
}

func TestHelpGoesToStdout(t *testing.T) {
	code, out, errOut := tierzone(t, "help")
	assert.Equal(t, exitOK, code)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "plan ")
	assert.Contains(t, out, "validate ")

	code, out, _ = tierzone(t, "plan", "-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "-format")
}

func TestMissingStackFileIsInvalid(t *testing.T) {
	code, out, errOut := tierzone(t, "plan", "--stack", "staging")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "no Pulumi.staging.yaml")
}

func TestMissingCatalogIsInvalid(t *testing.T) {
	for _, cmd := range []string{"plan", "validate", "up"} {
		missing := filepath.Join(t.TempDir(), "missing.yaml")
		code, out, errOut := tierzone(t, cmd, "--stack", "dev", "--catalog", missing)
		assert.Equal(t, exitInvalid, code, cmd)
		assert.Empty(t, out, cmd)
		assert.Contains(t, errOut, "catalog file "+missing+": read catalog", cmd)
		assert.NotContains(t, errOut, "tierzone: tierzone", cmd)
	}
}

func TestOtherFailuresExitOne(t *testing.T) {
	// Outside any checkout, without --dir: no project to find.
	t.Chdir(t.TempDir())
	code, _, errOut := tierzone(t, "validate")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "no Pulumi.yaml")
}

func TestValidateOK(t *testing.T) {
	code, out, errOut := tierzone(t, "validate", "--stack", "dev")
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "ok: stack dev is valid: 4 customers")
}

func TestPlanCostSections(t *testing.T) {
	code, out, errOut := tierzone(t, "plan", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	var plain map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(out), &plain))
	assert.NotContains(t, plain, "cost", "the cost section is opt-in")

	code, out, errOut = tierzone(t, "plan", "--format", "json", "--cost")
	require.Equal(t, exitOK, code, errOut)
	var withCost struct {
		Cost struct {
			Customers []json.RawMessage `json:"customers"`
			Totals    struct {
				RevenueUSD float64 `json:"revenueUSD"`
			} `json:"totals"`
		} `json:"cost"`
		DeployTime struct {
			AccountsCreated int               `json:"accountsCreated"`
			AccountWaves    int               `json:"accountWaves"`
			CriticalPath    []json.RawMessage `json:"criticalPath"`
		} `json:"deployTime"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &withCost))
	assert.Len(t, withCost.Cost.Customers, 10)
	// Revenue is the tier prices of the ten seed customers: 4x8,000 + 2x15,000 + 2x25,000 + 2x2,000.
	assert.Equal(t, 116000.0, withCost.Cost.Totals.RevenueUSD)
	assert.Equal(t, 10, withCost.DeployTime.AccountsCreated)
	assert.Equal(t, 2, withCost.DeployTime.AccountWaves, "10 accounts at most 5 at a time")
	assert.NotEmpty(t, withCost.DeployTime.CriticalPath)

	code, out, errOut = tierzone(t, "plan", "--stack", "dev", "--customers", "12")
	require.Equal(t, exitOK, code, errOut)
	for _, want := range []string{"Cost and margin", "Deployment time", "Projection: the catalog's tier mix scaled to 12 customers", "Progression"} {
		assert.Contains(t, out, want)
	}

	code, out, errOut = tierzone(t, "plan", "--customers", "-3")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "--customers -3")
}

func TestPlanProgressionJSON(t *testing.T) {
	code, out, errOut := tierzone(t, "plan", "--format", "json", "--customers", "7")
	require.Equal(t, exitOK, code, errOut)
	var p struct {
		Projection struct {
			Customers int `json:"customers"`
		} `json:"projection"`
		Progression []struct {
			Customers int             `json:"customers"`
			Seeds     json.RawMessage `json:"seeds"`
			WhyShort  string          `json:"whyShort"`
		} `json:"progression"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	assert.Equal(t, 7, p.Projection.Customers)
	var counts []int
	for _, r := range p.Progression {
		counts = append(counts, r.Customers)
		if r.Customers == 7 {
			assert.Empty(t, r.Seeds, "the reports give no figures for 7 customers")
		} else {
			assert.NotEmpty(t, r.Seeds, "the reports' figures for %d customers", r.Customers)
			assert.NotEmpty(t, r.WhyShort)
		}
	}
	assert.Equal(t, []int{1, 5, 7, 10, 25, 50, 100}, counts)
}

// A catalog file's shape problems do not hide its entries' content
// problems: everything is reported in one run.
func TestCatalogFileProblemsReportedTogether(t *testing.T) {
	path := writeFile(t, "mix.yaml", `customers:
  - key: ok-a
    name: OK A
    tier: fintech
    vpcCidr: 10.0.0.0/16
    nat_gateway: false
  - key: bad-b
    name: Bad B
    tier: platinum
    vpcCidr: 10.0.0.0/8
`)
	code, out, errOut := tierzone(t, "validate", "--catalog", path)
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	for _, want := range []string{
		`customer "ok-a": nat_gateway: unknown field (did you mean "natGateway"?)`,
		`customer "bad-b": tier: "platinum" is not a tier`,
		`customer "bad-b": vpcCidr: "10.0.0.0/8" is a /8`,
	} {
		assert.Contains(t, errOut, want)
	}
}

func TestPlanHTML(t *testing.T) {
	code, out, errOut := tierzone(t, "report", "--stack", "dev")
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "<!DOCTYPE html>"))
	for _, key := range []string{"acme-finance", "medicorp-health", "techgov-federal", "startup-standard"} {
		assert.Contains(t, out, `id="c-`+key+`"`)
	}
	assert.Contains(t, out, `<section id="cost">`, "html implies --cost")
	assert.Contains(t, out, `<section id="controls">`, "html implies --controls")
	assert.Contains(t, out, "Progression", "html adds the seeds' progression")
}

// TestPlanSummaryAgainstPlanJSON is what the preview workflow does: the base
// branch's plan as JSON, then this branch's summary against it.
func TestPlanSummaryAgainstPlanJSON(t *testing.T) {
	code, base, errOut := tierzone(t, "plan", "--stack", "dev", "--format", "json", "--cost", "--controls")
	require.Equal(t, exitOK, code, errOut)
	path := writeFile(t, "base.json", base)
	code, out, errOut := tierzone(t, "plan", "--stack", "prod", "--format", "summary", "--against", path)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "| customers | 4 | 10 | +6 |")
	assert.Contains(t, out, "- added `quantumbank-fintech` (fintech)\n")
	assert.Contains(t, out, "**Controls changed:** 6 customers")

	// Against a stack: its settings, the same catalog.
	code, out, errOut = tierzone(t, "plan", "--stack", "prod", "--format", "html", "--against", "dev")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, `<section id="diff"`)
	assert.Contains(t, out, `class="customer added" id="c-quantumbank-fintech"`)
}

func TestPlanAgainstCatalogFile(t *testing.T) {
	catalog := writeFile(t, "catalog.yaml", "customers:\n  - key: acme-finance\n    name: ACME Finance Inc\n    tier: fintech\n    vpcCidr: 10.0.0.0/16\n")
	code, out, errOut := tierzone(t, "plan", "--stack", "dev", "--format", "summary", "--against", catalog)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "| customers | 1 | 4 | +3 |")
}

func TestPlanAgainstUsage(t *testing.T) {
	code, out, errOut := tierzone(t, "plan", "--format", "summary", "--against", "no-such-stack")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `--against "no-such-stack": no such file, and no stack`)
	code, _, errOut = tierzone(t, "plan", "--against", "dev")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, errOut, "--against needs --format html or summary")
}
