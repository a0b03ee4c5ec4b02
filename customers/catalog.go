package customers

import "github.com/tierzone/tierzone/tiers"

// Catalog returns the ten customers of the planning reports (the 5-customer
// simulation and the 10-customer deployment), with their seed VPC CIDRs.
//
// The reports list a 12-digit "account" per customer (ACME 222233334444 and
// so on). Those numbers are placeholders: AWS assigns an account ID when
// Organizations creates the account, so they are kept here as comments only
// and never reach a resource input. A customer whose account really exists
// sets ExistingAccountID and is imported instead.
//
// Each call returns fresh values.
func Catalog() []Customer {
	return []Customer{
		// Fintech: 4 customers, Customers-Fintech OU.
		{Key: "acme-finance", Name: "ACME Finance Inc", Tier: tiers.Fintech, ContactEmail: "john@acmefinance.com", VPCCIDR: "10.0.0.0/16"},        // seed account 222233334444
		{Key: "quantumbank-fintech", Name: "Quantum Bank Corp", Tier: tiers.Fintech, ContactEmail: "ops@quantumbank.com", VPCCIDR: "10.1.0.0/16"}, // seed account 555566667777
		{Key: "metabank-fintech", Name: "MetaBank Financial", Tier: tiers.Fintech, VPCCIDR: "10.2.0.0/16"},                                        // seed account 777788889999
		{Key: "crossbank-fintech", Name: "CrossBank International", Tier: tiers.Fintech, VPCCIDR: "10.5.0.0/16"},                                  // seed account 111122223333
		// Healthcare: 2 customers, Customers-Healthcare OU.
		{Key: "medicorp-health", Name: "MediCorp Solutions Inc", Tier: tiers.Healthcare, ContactEmail: "compliance@medicorp.com", VPCCIDR: "10.1.0.0/16"}, // seed account 333344445555
		{Key: "guardian-health", Name: "Guardian Health", Tier: tiers.Healthcare, VPCCIDR: "10.3.0.0/16"},                                                 // seed account 888899990000
		// Gov-Federal: 2 customers, Customers-Government-Federal OU.
		{Key: "techgov-federal", Name: "TechGov Solutions Inc", Tier: tiers.GovFederal, ContactEmail: "security@techgov.gov", VPCCIDR: "10.4.0.0/16"}, // seed account 444455556666
		{Key: "statecorp-govfed", Name: "StateCorp Federal", Tier: tiers.GovFederal, VPCCIDR: "10.4.0.0/16"},                                          // seed account 999900001111
		// Standard: 2 customers, Customers-Standard OU.
		{Key: "startup-standard", Name: "StartupCorp Inc", Tier: tiers.Standard, ContactEmail: "admin@startupcorp.io", VPCCIDR: "10.1.0.0/16"}, // seed account 666677778888
		{Key: "techstartup-std", Name: "TechStartup", Tier: tiers.Standard, VPCCIDR: "10.6.0.0/16"},                                            // seed account 333344443333
	}
}
