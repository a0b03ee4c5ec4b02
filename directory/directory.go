// Package directory is the customer directory support staff read: one row
// per customer with its tier, frameworks, OU, account, region, CIDR,
// contacts, price and console links, searchable and filterable, built from
// a validated plan (nothing registered) and, when the stack exists, its
// outputs (the account ids).
package directory

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/tierzone/tierzone/landingzone"
)

// Pending is the account id of a customer the stack has not deployed yet.
const Pending = "pending"

// Entry is one customer of the directory.
type Entry struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Tier       string   `json:"tier"`
	Frameworks []string `json:"frameworks"`
	// OUPath is the account's place in the organization: Root/<tier OU>.
	OUPath string `json:"ouPath"`
	// AccountID is the member account's id from the stack's outputs, or
	// Pending.
	AccountID string `json:"accountId"`
	Region    string `json:"region"`
	VPCCIDR   string `json:"vpcCidr"`
	// AccountEmail is the account's root e-mail; ContactEmail the
	// customer's contact ("" when the catalog has none).
	AccountEmail string `json:"accountEmail"`
	ContactEmail string `json:"contactEmail,omitempty"`
	// MonthlyPriceUSD is what the customer pays (its tier's price).
	MonthlyPriceUSD int `json:"monthlyPriceUsd"`
	// DashboardURL opens the customer's CloudWatch dashboard (in its own
	// account: sign in to it first).
	DashboardURL string `json:"dashboardUrl"`
	// LoginLinks are the access-portal links into the account, by
	// permission-set role (customer-admin, customer-readonly, auditor,
	// operator), from the stack's outputs; none while pending.
	LoginLinks map[string]string `json:"loginLinks,omitempty"`
	// search is the lower-cased text a search matches.
	search string
}

// Deployed is what a stack's "customers" output says of one customer.
type Deployed struct {
	AccountID  string
	LoginLinks map[string]string
}

// Build is the directory of a plan's customers, in catalog order.
// deployed are the deployed customers by key (the stack's "customers"
// output); a customer without an account id is Pending.
func Build(p *landingzone.Plan, deployed map[string]Deployed) []Entry {
	out := make([]Entry, 0, len(p.Customers))
	for _, cs := range p.Customers {
		t := cs.Tier
		d := deployed[cs.Customer.Key]
		acct := d.AccountID
		if acct == "" {
			acct = Pending
		}
		dash := p.Settings.CustomerDashboard(cs.Customer.Key)
		e := Entry{
			Key: cs.Customer.Key, Name: cs.Customer.Name, Tier: t.Key, Frameworks: slices.Clone(t.Frameworks),
			OUPath: cs.OUPath(), AccountID: acct, Region: cs.Region, VPCCIDR: cs.Customer.VPCCIDR,
			AccountEmail: cs.Email, ContactEmail: cs.Customer.ContactEmail, MonthlyPriceUSD: t.MonthlyPriceUSD,
			DashboardURL: "https://" + cs.Region + ".console.aws.amazon.com/cloudwatch/home?region=" + url.QueryEscape(cs.Region) +
				"#dashboards/dashboard/" + url.PathEscape(dash),
			LoginLinks: d.LoginLinks,
		}
		e.search = strings.ToLower(strings.Join([]string{e.Key, e.Name, e.AccountEmail, e.ContactEmail, e.VPCCIDR, e.AccountID}, "\x00"))
		out = append(out, e)
	}
	return out
}

// Filter returns the entries of tier ("" for all) whose key, name,
// e-mails, CIDR or account id contain text (case-insensitive; "" matches
// every entry), in their order.
func Filter(entries []Entry, tier, text string) []Entry {
	text = strings.ToLower(strings.TrimSpace(text))
	var out []Entry
	for _, e := range entries {
		if tier != "" && e.Tier != tier {
			continue
		}
		if text != "" && !strings.Contains(e.search, text) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Formats are the output formats Write knows.
func Formats() []string { return []string{"table", "json", "csv"} }

// Write renders entries as a table (for people), JSON (an array) or CSV
// (a header row, then one row per customer).
func Write(w io.Writer, format string, entries []Entry) error {
	switch format {
	case "table":
		return writeTable(w, entries)
	case "json":
		if entries == nil {
			entries = []Entry{}
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(header()); err != nil {
			return err
		}
		for _, e := range entries {
			if err := cw.Write(e.row()); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	return fmt.Errorf("directory: format %q: want one of %s", format, strings.Join(Formats(), ", "))
}

func header() []string {
	return []string{"key", "name", "tier", "frameworks", "ou path", "account id", "region", "vpc cidr",
		"account email", "contact", "price usd/month", "dashboard", "login links"}
}

func (e Entry) row() []string {
	return []string{e.Key, e.Name, e.Tier, strings.Join(e.Frameworks, "+"), e.OUPath, e.AccountID, e.Region, e.VPCCIDR,
		e.AccountEmail, e.ContactEmail, strconv.Itoa(e.MonthlyPriceUSD), e.DashboardURL, e.loginLinks()}
}

// loginLinks are the login links as "role=link" pairs, by role.
func (e Entry) loginLinks() string {
	var out []string
	for _, role := range slices.Sorted(maps.Keys(e.LoginLinks)) {
		out = append(out, role+"="+e.LoginLinks[role])
	}
	return strings.Join(out, " ")
}

// writeTable is the people's view: every field but the dashboard and
// login links, which only fit JSON and CSV.
func writeTable(w io.Writer, entries []Entry) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	h := header()
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(h[:len(h)-2], "\t")))
	for _, e := range entries {
		r := e.row()
		fmt.Fprintln(tw, strings.Join(r[:len(r)-2], "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d customers\n", len(entries))
	return err
}
