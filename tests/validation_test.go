package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/validation"
)

func ptr(b bool) *bool { return &b }

// TestInvalidInputRegistersNothing runs the real program on bad catalogs and
// stack configs. Each must fail with a message naming the customer (or stack
// key) and the field, and register zero resources.
func TestInvalidInputRegistersNothing(t *testing.T) {
	cases := []struct {
		name    string
		catalog func([]customers.Customer) []customers.Customer
		config  func(map[string]string)
		// want are substrings of one problem: subject, field, message.
		want []string
	}{
		{"missing key", set(0, func(c *customers.Customer) { c.Key = "" }), nil,
			[]string{"customer #1 (no key)", "key", "missing"}},
		{"duplicate key", set(1, func(c *customers.Customer) { c.Key = "acme-finance" }), nil,
			[]string{`customer "acme-finance"`, "key", "duplicate key: customers #1 and #2"}},
		{"uppercase key", set(0, func(c *customers.Customer) { c.Key = "ACME" }), nil,
			[]string{`customer "ACME"`, "key", "lowercase letters, digits and single hyphens"}},
		{"key with underscore", set(0, func(c *customers.Customer) { c.Key = "acme_finance" }), nil,
			[]string{`customer "acme_finance"`, "key", "lowercase"}},
		{"key too long", set(0, func(c *customers.Customer) { c.Key = strings.Repeat("a", 33) }), nil,
			[]string{"key", "33 characters; at most 32"}},
		{"key trailing hyphen", set(0, func(c *customers.Customer) { c.Key = "acme-" }), nil,
			[]string{`customer "acme-"`, "key"}},
		{"missing name", set(0, func(c *customers.Customer) { c.Name = " " }), nil,
			[]string{`customer "acme-finance"`, "name", "missing"}},
		{"name too long", set(0, func(c *customers.Customer) { c.Name = strings.Repeat("N", 51) }), nil,
			[]string{`customer "acme-finance"`, "name", "AWS account names are at most 50"}},
		{"name not ascii", set(0, func(c *customers.Customer) { c.Name = "Zürich Bank" }), nil,
			[]string{`customer "acme-finance"`, "name", "printable ASCII"}},
		{"unknown tier", set(0, func(c *customers.Customer) { c.Tier = "platinum" }), nil,
			[]string{`customer "acme-finance"`, "tier", `"platinum" is not a tier; want one of: fintech, healthcare, gov-federal, standard`}},
		{"missing tier", set(0, func(c *customers.Customer) { c.Tier = "" }), nil,
			[]string{`customer "acme-finance"`, "tier", "missing; want one of: fintech"}},
		{"invalid email", set(0, func(c *customers.Customer) { c.Email = "not-an-email" }), nil,
			[]string{`customer "acme-finance"`, "email", "not a valid account e-mail"}},
		{"email too long", set(0, func(c *customers.Customer) { c.Email = strings.Repeat("a", 60) + "@x.io" }), nil,
			[]string{`customer "acme-finance"`, "email", "AWS accepts 6 to 64"}},
		{"email with forbidden character", set(0, func(c *customers.Customer) { c.Email = "a,b@example.com" }), nil,
			[]string{`customer "acme-finance"`, "email"}},
		{"duplicate email", func(cs []customers.Customer) []customers.Customer {
			cs[0].Email, cs[1].Email = "Same@Example.com", "same@example.com"
			return cs
		}, nil, []string{`customer "quantumbank-fintech"`, "email", `already the account e-mail of customer "acme-finance"`}},
		{"explicit email equals a derived one", set(1, func(c *customers.Customer) { c.Email = "aws-accounts+acme-finance@tierzone.example" }), nil,
			[]string{"email", "already the account e-mail of customer"}},
		{"invalid contact email", set(0, func(c *customers.Customer) { c.ContactEmail = "john at acme" }), nil,
			[]string{`customer "acme-finance"`, "contactEmail"}},
		{"adopted account without its e-mail", set(0, func(c *customers.Customer) { c.ExistingAccountID = "123456789012" }), nil,
			[]string{`customer "acme-finance"`, "email", "required for an adopted account"}},
		{"account id too short", set(0, func(c *customers.Customer) { c.ExistingAccountID = "12345" }), nil,
			[]string{`customer "acme-finance"`, "existingAccountId", "exactly 12 digits"}},
		{"account id not digits", set(0, func(c *customers.Customer) { c.ExistingAccountID = "12345678901a" }), nil,
			[]string{`customer "acme-finance"`, "existingAccountId", "exactly 12 digits"}},
		{"duplicate account id", func(cs []customers.Customer) []customers.Customer {
			cs[0].ExistingAccountID, cs[4].ExistingAccountID = "123456789012", "123456789012"
			cs[0].Email, cs[4].Email = "root@acme.example", "root@medicorp.example"
			return cs
		}, nil, []string{`customer "medicorp-health"`, "existingAccountId", `already adopted by customer "acme-finance"`}},
		{"missing cidr", set(0, func(c *customers.Customer) { c.VPCCIDR = "" }), nil,
			[]string{`customer "acme-finance"`, "vpcCidr", "missing"}},
		{"cidr not a cidr", set(0, func(c *customers.Customer) { c.VPCCIDR = "10.0.0.0" }), nil,
			[]string{`customer "acme-finance"`, "vpcCidr", "not a CIDR block"}},
		{"cidr host bits", set(0, func(c *customers.Customer) { c.VPCCIDR = "10.0.0.1/16" }), nil,
			[]string{`customer "acme-finance"`, "vpcCidr", "host bits set; did you mean 10.0.0.0/16"}},
		{"cidr too large", set(0, func(c *customers.Customer) { c.VPCCIDR = "10.0.0.0/8" }), nil,
			[]string{`customer "acme-finance"`, "vpcCidr", "must be /16 to /24"}},
		{"cidr too small", set(0, func(c *customers.Customer) { c.VPCCIDR = "10.0.0.0/26" }), nil,
			[]string{`customer "acme-finance"`, "vpcCidr", "must be /16 to /24"}},
		{"cidr public", set(0, func(c *customers.Customer) { c.VPCCIDR = "54.10.0.0/16" }), nil,
			[]string{`customer "acme-finance"`, "vpcCidr", "not in private address space"}},
		{"cidr ipv6", set(0, func(c *customers.Customer) { c.VPCCIDR = "fd00::/56" }), nil,
			[]string{`customer "acme-finance"`, "vpcCidr", "not IPv4"}},
		{"overlap with connectivity on", nil, func(c map[string]string) { c["tierzone:customerConnectivity"] = "true" },
			[]string{`customer "medicorp-health"`, "vpcCidr", `overlaps 10.1.0.0/16 of customer "quantumbank-fintech"`}},
		{"gov-federal outside us-east-1", set(6, func(c *customers.Customer) { c.Region = "us-west-2" }), nil,
			[]string{`customer "techgov-federal"`, "region", `"us-west-2" is not allowed for tier gov-federal; allowed: us-east-1`}},
		{"fintech drops NAT", set(0, func(c *customers.Customer) { c.NATGateway = ptr(false) }), nil,
			[]string{`customer "acme-finance"`, "natGateway", "tier fintech requires a NAT gateway"}},
		{"healthcare drops VPN", set(4, func(c *customers.Customer) { c.VPNGateway = ptr(false) }), nil,
			[]string{`customer "medicorp-health"`, "vpnGateway", "tier healthcare requires a VPN gateway"}},
		{"reserved tag prefix", set(0, func(c *customers.Customer) { c.Tags = map[string]string{"aws:owner": "x"} }), nil,
			[]string{`customer "acme-finance"`, "tags", "reserved aws: prefix"}},
		{"tag value bad characters", set(0, func(c *customers.Customer) { c.Tags = map[string]string{"owner": "a*b"} }), nil,
			[]string{`customer "acme-finance"`, "tags", `value of "owner"`}},
		{"retention not a CloudWatch value", nil, func(c map[string]string) { c["tierzone:retention"] = `{"fintech":{"hotDays":100}}` },
			[]string{`stack config "tierzone:retention"`, "fintech.hotDays", "100 is not a retention CloudWatch Logs accepts"}},
		{"archive below HIPAA floor", nil, func(c map[string]string) { c["tierzone:retention"] = `{"healthcare":{"archiveDays":1827}}` },
			[]string{`stack config "tierzone:retention"`, "healthcare.archiveDays", "below the healthcare floor of 2192 days (HIPAA"}},
		{"archive below PCI floor", nil, func(c map[string]string) { c["tierzone:retention"] = `{"fintech":{"archiveDays":180}}` },
			[]string{"fintech.archiveDays", "below the fintech floor of 365 days (PCI DSS"}},
		{"retention for unknown tier", nil, func(c map[string]string) { c["tierzone:retention"] = `{"gold":{"archiveDays":400}}` },
			[]string{`stack config "tierzone:retention"`, "gold", "not a tier"}},
		{"retention malformed", nil, func(c map[string]string) { c["tierzone:retention"] = `{"fintech":{"days":400}}` },
			[]string{`stack config "tierzone:retention"`, "hotDays, archiveDays"}},
		{"scp over the old 5,120 limit", nil, func(c map[string]string) { c["tierzone:scpMaxChars"] = "900" },
			[]string{`tier "gov-federal"`, "scp", "tierzone-gov-federal is 908 characters minified; AWS allows 900 per SCP"}},
		{"too many scps per OU", nil, func(c map[string]string) { c["tierzone:scpMaxAttachments"] = "2" },
			[]string{`tier "fintech"`, "scps", "3 SCPs would be attached directly to OU Customers-Fintech (FullAWSAccess included); AWS allows 2"}},
		{"unknown customer selected", nil, func(c map[string]string) { c["tierzone:customers"] = `["acme-finance","acme-fnance"]` },
			[]string{`stack config "tierzone:customers"`, `"acme-fnance" is not a customer in the catalog`}},
		{"customers not a list", nil, func(c map[string]string) { c["tierzone:customers"] = `acme-finance` },
			[]string{`stack config "tierzone:customers"`, "want a list of customer keys"}},
		{"missing organization root", nil, func(c map[string]string) { delete(c, "tierzone:organizationRootId") },
			[]string{`stack config "tierzone:organizationRootId"`, "missing"}},
		{"malformed organization root", nil, func(c map[string]string) { c["tierzone:organizationRootId"] = "o-abc123" },
			[]string{`stack config "tierzone:organizationRootId"`, "not a root id"}},
		{"missing mailbox", nil, func(c map[string]string) { delete(c, "tierzone:accountEmailMailbox") },
			[]string{`stack config "tierzone:accountEmailMailbox"`, "missing; customers acme-finance"}},
		{"invalid mailbox", nil, func(c map[string]string) { c["tierzone:accountEmailMailbox"] = "aws-accounts" },
			[]string{`stack config "tierzone:accountEmailMailbox"`, "not a valid account e-mail"}},
		{"derived email too long", nil, func(c map[string]string) {
			c["tierzone:accountEmailMailbox"] = "platform-engineering-aws-accounts@example.com"
		}, []string{`customer "quantumbank-fintech"`, "email", "derived address", "AWS accepts 6 to 64"}},
		{"protect not a bool", nil, func(c map[string]string) { c["tierzone:protect"] = "yes please" },
			[]string{`stack config "tierzone:protect"`, "not true or false"}},
		{"bad role name", nil, func(c map[string]string) { c["tierzone:orgAccessRoleName"] = "bad role" },
			[]string{`stack config "tierzone:orgAccessRoleName"`, "not an IAM role name"}},
		{"tag key Tierzone sets", set(0, func(c *customers.Customer) { c.Tags = map[string]string{"tier": "gold"} }), nil,
			[]string{`customer "acme-finance"`, "tags", `key "tier" is set by Tierzone`}},
		{"tag key the tag policy spells otherwise", set(0, func(c *customers.Customer) { c.Tags = map[string]string{"Framework": "PCI"} }), nil,
			[]string{`customer "acme-finance"`, "tags", `key "Framework": the tier's tag policy fixes the key as "framework"`}},
		{"more tags than fit beside Tierzone's", set(0, func(c *customers.Customer) {
			c.Tags = map[string]string{}
			for i := range 44 {
				c.Tags[fmt.Sprintf("k%02d", i)] = "v"
			}
		}), nil, []string{`customer "acme-finance"`, "tags", "44 tags; at most 43 (AWS allows 50 per resource, Tierzone sets 7)"}},
		{"decommission typo", nil, func(c map[string]string) { c["tierzone:decommission"] = `["acme-fiance"]` },
			[]string{`stack config "tierzone:decommission"`, `"acme-fiance" is not a customer in the catalog`}},
		{"overlap among the selected customers", nil, func(c map[string]string) {
			c["tierzone:customerConnectivity"] = "true"
			c["tierzone:customers"] = `["techgov-federal","statecorp-govfed"]`
		}, []string{`customer "statecorp-govfed"`, "vpcCidr", `overlaps 10.4.0.0/16 of customer "techgov-federal"`}},
		{"operators' topic of no tier", nil, func(c map[string]string) { c["tierzone:operatorEmails"] = `{"fin-tech": ["noc@example.com"]}` },
			[]string{`stack config "tierzone:operatorEmails"`, `"fin-tech" is not a tier key`}},
		{"operators' address invalid", nil, func(c map[string]string) { c["tierzone:operatorEmails"] = `{"all": ["noc at example"]}` },
			[]string{`stack config "tierzone:operatorEmails"`, `all: "noc at example"`}},
		{"operators' addresses not a map", nil, func(c map[string]string) { c["tierzone:operatorEmails"] = `["noc@example.com"]` },
			[]string{`stack config "tierzone:operatorEmails"`, "want a map of tier key"}},
		{"empty catalog", func([]customers.Customer) []customers.Customer { return nil }, nil,
			[]string{"catalog", "customers", "no customers"}},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			catalog := customers.Catalog()
			if tc.catalog != nil {
				catalog = tc.catalog(catalog)
			}
			cfg := stackConfig(t, "prod")
			if tc.config != nil {
				tc.config(cfg)
			}
			problems := runInvalid(t, cfg, catalog)
			if !hasProblem(problems, tc.want) {
				t.Errorf("no problem contains %q; got:\n%s", tc.want, (&validation.Error{Problems: problems}).Error())
			}
		})
	}
}

// set returns a catalog mutation that edits customer i.
func set(i int, f func(*customers.Customer)) func([]customers.Customer) []customers.Customer {
	return func(cs []customers.Customer) []customers.Customer {
		f(&cs[i])
		return cs
	}
}

func hasProblem(ps []validation.Problem, want []string) bool {
	for _, p := range ps {
		s := p.String()
		all := true
		for _, w := range want {
			if !strings.Contains(s, w) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// TestEveryProblemReportedAtOnce: a catalog with several mistakes in several
// customers and the stack reports all of them in one error.
func TestEveryProblemReportedAtOnce(t *testing.T) {
	catalog := customers.Catalog()
	catalog[0].VPCCIDR = "10.0.0.0/8"
	catalog[4].VPNGateway = ptr(false)
	catalog[6].Region = "eu-west-1"
	catalog[9].Tier = "bronze"
	cfg := stackConfig(t, "prod")
	delete(cfg, "tierzone:organizationRootId")
	problems := runInvalid(t, cfg, catalog)
	for _, want := range [][]string{
		{`customer "acme-finance"`, "vpcCidr"},
		{`customer "medicorp-health"`, "vpnGateway"},
		{`customer "techgov-federal"`, "region"},
		{`customer "techstartup-std"`, "tier"},
		{"tierzone:organizationRootId", "missing"},
	} {
		if !hasProblem(problems, want) {
			t.Errorf("missing problem %q", want)
		}
	}
	if len(problems) != 5 {
		t.Errorf("%d problems, want exactly 5:\n%s", len(problems), (&validation.Error{Problems: problems}).Error())
	}
}

// TestOverlapAllowedWithoutConnectivity: the seed catalog reuses CIDRs
// across accounts, which is valid while VPCs are not connected.
func TestOverlapAllowedWithoutConnectivity(t *testing.T) {
	g := runStack(t, "prod")
	seen := map[string]int{}
	for _, v := range g.ofType(tVPC) {
		seen[str(v, "cidrBlock")]++
	}
	if seen["10.1.0.0/16"] != 3 || seen["10.4.0.0/16"] != 2 {
		t.Errorf("seed CIDR reuse not planned as in the reports: %v", seen)
	}
}

// TestProblemsFromEveryStageAtOnce: an unreadable config value does not
// hide the catalog's problems, nor do they hide it.
func TestProblemsFromEveryStageAtOnce(t *testing.T) {
	catalog := customers.Catalog()
	catalog[0].VPCCIDR = "10.0.0.0/8"
	cfg := stackConfig(t, "prod")
	cfg["tierzone:protect"] = "yes please"
	cfg["tierzone:scpMaxChars"] = "lots"
	problems := runInvalid(t, cfg, catalog)
	for _, want := range [][]string{
		{"tierzone:protect", "not true or false"},
		{"tierzone:scpMaxChars", "not a whole number"},
		{`customer "acme-finance"`, "vpcCidr"},
	} {
		if !hasProblem(problems, want) {
			t.Errorf("missing problem %q in:\n%s", want, (&validation.Error{Problems: problems}).Error())
		}
	}
}

// TestConnectivityChecksOnlyTheStacksCustomers: the catalog reuses CIDRs
// across stacks; a connected stack whose own VPCs do not overlap is valid.
func TestConnectivityChecksOnlyTheStacksCustomers(t *testing.T) {
	cfg := stackConfig(t, "prod")
	cfg["tierzone:customerConnectivity"] = "true"
	cfg["tierzone:customers"] = `["acme-finance","techgov-federal","guardian-health"]`
	g := run(t, "prod", cfg, customers.Catalog())
	if n := g.count(tVPC); n != 3 {
		t.Errorf("%d VPCs, want 3", n)
	}
}

// TestInvalidMailboxReportedOnce: a bad mailbox is one problem, not one per
// customer whose address would derive from it.
func TestInvalidMailboxReportedOnce(t *testing.T) {
	cfg := stackConfig(t, "prod")
	cfg["tierzone:accountEmailMailbox"] = "aws-accounts"
	problems := runInvalid(t, cfg, customers.Catalog())
	if len(problems) != 1 || !hasProblem(problems, []string{"tierzone:accountEmailMailbox"}) {
		t.Errorf("want exactly the mailbox problem, got:\n%s", (&validation.Error{Problems: problems}).Error())
	}
}

// TestDuplicateKeysAreToldApart: both customers sharing a key are named
// with their positions.
func TestDuplicateKeysAreToldApart(t *testing.T) {
	catalog := customers.Catalog()
	catalog[1].Key = "acme-finance"
	problems := runInvalid(t, stackConfig(t, "prod"), catalog)
	if !hasProblem(problems, []string{`customer "acme-finance" (#2)`, "key", "duplicate key: customers #1 and #2"}) ||
		!hasProblem(problems, []string{`customer "acme-finance" (#2)`, "email", `already the account e-mail of customer "acme-finance" (#1)`}) {
		t.Errorf("duplicates not told apart:\n%s", (&validation.Error{Problems: problems}).Error())
	}
}
