package directory

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/internal/gencatalog"
	"github.com/tierzone/tierzone/landingzone"
)

func seedPlan(t testing.TB, catalog []customers.Customer) *landingzone.Plan {
	t.Helper()
	s := landingzone.Defaults()
	s.OrganizationRootID, s.OrganizationID, s.SecurityAccountID = "r-ab12", "o-abcdefghij", "444455556666"
	s.AccountEmailMailbox = "aws-accounts@example.com"
	p, err := landingzone.Resolve(catalog, s)
	require.NoError(t, err)
	return p
}

// generated is the shared generated catalog of n customers, each with a
// contact e-mail to search for.
func generated(n int) []customers.Customer {
	out := gencatalog.Customers(n)
	for i := range out {
		out[i].ContactEmail = fmt.Sprintf("ops%d@cust%d.example", i, i)
	}
	return out
}

func TestSeedDirectory(t *testing.T) {
	p := seedPlan(t, customers.Catalog())
	entries := Build(p, map[string]Deployed{"acme-finance": {AccountID: "222233334444", LoginLinks: map[string]string{"customer-admin": "https://d-1234567890.awsapps.com/start/#/console?account_id=222233334444&role_name=tz-fintech-customer-admin"}}})
	require.Len(t, entries, len(customers.Catalog()))
	acme := entries[0]
	assert.Equal(t, "acme-finance", acme.Key)
	assert.Equal(t, "222233334444", acme.AccountID, "the deployed account id from the outputs")
	assert.Equal(t, "Root/Customers-Fintech", acme.OUPath)
	assert.Equal(t, []string{"SOC2", "PCI-DSS"}, acme.Frameworks)
	assert.Equal(t, 8000, acme.MonthlyPriceUSD)
	assert.Equal(t, "john@acmefinance.com", acme.ContactEmail)
	assert.Equal(t, "aws-accounts+acme-finance@example.com", acme.AccountEmail)
	assert.Equal(t, "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/tierzone-acme-finance", acme.DashboardURL)
	for _, e := range entries[1:] {
		assert.Equal(t, Pending, e.AccountID, "%s is not deployed", e.Key)
	}

	// "Which OU has StartupCorp?"
	got := Filter(entries, "", "startupcorp")
	require.Len(t, got, 1)
	assert.Equal(t, "Root/Customers-Standard", got[0].OUPath)
	// "Which customer is account 2222...?"
	got = Filter(entries, "", "2222333344")
	require.Len(t, got, 1)
	assert.Equal(t, "acme-finance", got[0].Key)
	// CIDR, e-mail, case, tier filter.
	assert.Len(t, Filter(entries, "", "10.1.0.0/16"), 3)
	assert.Len(t, Filter(entries, "healthcare", "10.1.0.0/16"), 1)
	assert.Len(t, Filter(entries, "", "COMPLIANCE@MEDICORP.COM"), 1)
	assert.Len(t, Filter(entries, "gov-federal", ""), 2)
	assert.Empty(t, Filter(entries, "", "no such customer"))
}

func TestWriteFormats(t *testing.T) {
	entries := Build(seedPlan(t, customers.Catalog()), nil)
	var js bytes.Buffer
	require.NoError(t, Write(&js, "json", entries))
	var back []Entry
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	require.Len(t, back, len(entries))
	assert.Equal(t, entries[6].Key, back[6].Key)
	assert.Equal(t, entries[6].DashboardURL, back[6].DashboardURL)

	var empty bytes.Buffer
	require.NoError(t, Write(&empty, "json", Filter(entries, "", "nobody")))
	assert.Equal(t, "[]\n", empty.String(), "no match is an empty array, not null")

	var c bytes.Buffer
	require.NoError(t, Write(&c, "csv", entries))
	rows, err := csv.NewReader(&c).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, len(entries)+1)
	assert.Equal(t, "account id", rows[0][5])
	assert.Equal(t, []string{"acme-finance", "ACME Finance Inc", "fintech", "SOC2+PCI-DSS"}, rows[1][:4])

	var tb bytes.Buffer
	require.NoError(t, Write(&tb, "table", entries))
	assert.Contains(t, tb.String(), "StartupCorp Inc")
	assert.True(t, strings.HasSuffix(tb.String(), "10 customers\n"))
	assert.Error(t, Write(&tb, "xml", entries))
}

func TestDirectoryOf1000Customers(t *testing.T) {
	entries := Build(seedPlan(t, generated(1000)), map[string]Deployed{"cust-00421": {AccountID: "123456789012"}})
	require.Len(t, entries, 1000)
	got := Filter(entries, "", "123456789012")
	require.Len(t, got, 1)
	assert.Equal(t, "cust-00421", got[0].Key)
	assert.Len(t, Filter(entries, "fintech", ""), 250)
	assert.Len(t, Filter(entries, "", "10.7.0.0/16"), 4, "CIDRs repeat every 256 customers")
	assert.Len(t, Filter(entries, "", "ops999@"), 1)
}

// BenchmarkSearch1000 is one search of a 1,000-customer directory.
func BenchmarkSearch1000(b *testing.B) {
	entries := Build(seedPlan(b, generated(1000)), nil)
	for b.Loop() {
		if len(Filter(entries, "", "customer 999")) != 1 {
			b.Fatal("search found the wrong customers")
		}
	}
}

// BenchmarkBuild1000 builds the directory of 1,000 customers from their
// resolved plan.
func BenchmarkBuild1000(b *testing.B) {
	p := seedPlan(b, generated(1000))
	for b.Loop() {
		Build(p, nil)
	}
}
