package main

import (
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
)

// Name is the package name, the first part of every type token.
const Name = "tierzone"

// Version is the provider's version; the engine test installs it under it.
const Version = "0.1.0"

// Provider is the component provider with every component it serves.
func Provider() (p.Provider, error) {
	return infer.NewProviderBuilder().
		WithDisplayName("Tierzone").
		WithDescription("Tierzone's multi-tenant AWS landing zone components: a compliance tier's OU with its SCPs, a customer's member account, and a customer's VPC with flow logs kept as long as its tier demands.").
		WithNamespace("tierzone").
		WithKeywords("aws", "landing-zone", "organizations", "compliance", "category/cloud", "kind/component").
		WithLicense("Apache-2.0").
		WithComponents(
			infer.Component(&TierOU{}),
			infer.Component(&CustomerAccount{}),
			infer.Component(&CustomerVPC{}),
			infer.Component(&LogArchive{}),
			infer.Component(&LandingZone{}),
		).
		Build()
}

// Customer is a catalog entry, as in the catalog file (customers.Customer):
// the tier decides the rest.
type Customer struct {
	Key               string            `pulumi:"key"`
	Name              string            `pulumi:"name"`
	Tier              string            `pulumi:"tier"`
	VpcCidr           string            `pulumi:"vpcCidr"`
	Region            *string           `pulumi:"region,optional"`
	Email             *string           `pulumi:"email,optional"`
	ContactEmail      *string           `pulumi:"contactEmail,optional"`
	ExistingAccountId *string           `pulumi:"existingAccountId,optional"`
	NatGateway        *bool             `pulumi:"natGateway,optional"`
	VpnGateway        *bool             `pulumi:"vpnGateway,optional"`
	Tags              map[string]string `pulumi:"tags,optional"`
}

// Annotate documents the type.
func (c *Customer) Annotate(a infer.Annotator) {
	a.SetToken("index", "Customer")
	a.Describe(c, "A customer as the catalog lists it. The tier key decides the rest: OU, NAT and VPN gateways, flow-log retention and the frameworks tagged.")
	a.Describe(&c.Key, "Stable customer key (lowercase letters, digits, hyphens); names every resource of the customer.")
	a.Describe(&c.Name, "Display name; the AWS account name.")
	a.Describe(&c.Tier, "Compliance tier key: fintech, healthcare, gov-federal or standard.")
	a.Describe(&c.VpcCidr, "The VPC's /16 CIDR; subnets are derived from it.")
	a.Describe(&c.Region, "Region, one of the tier's allowed regions (default: the tier's first).")
	a.Describe(&c.Email, "The account's root e-mail (default: derived from the settings' mailbox and the key).")
	a.Describe(&c.ContactEmail, "The customer's contact, tagged on its resources.")
	a.Describe(&c.ExistingAccountId, "Adopt this existing member account instead of creating one.")
	a.Describe(&c.NatGateway, "NAT gateway, where the tier lets the customer choose.")
	a.Describe(&c.VpnGateway, "VPN gateway, where the tier lets the customer choose.")
	a.Describe(&c.Tags, "The customer's own tags.")
}

func (c Customer) catalogEntry() customers.Customer {
	return customers.Customer{
		Key: c.Key, Name: c.Name, Tier: c.Tier, VPCCIDR: c.VpcCidr,
		Region: deref(c.Region), Email: deref(c.Email), ContactEmail: deref(c.ContactEmail),
		ExistingAccountID: deref(c.ExistingAccountId),
		NATGateway:        c.NatGateway, VPNGateway: c.VpnGateway, Tags: c.Tags,
	}
}

// Settings are the few stack settings a single component needs, with the
// program's defaults.
type Settings struct {
	NamePrefix          *string `pulumi:"namePrefix,optional"`
	OrgAccessRoleName   *string `pulumi:"orgAccessRoleName,optional"`
	AccountEmailMailbox *string `pulumi:"accountEmailMailbox,optional"`
}

// Annotate documents the type.
func (s *Settings) Annotate(a infer.Annotator) {
	a.SetToken("index", "Settings")
	a.Describe(s, "Stack settings a component needs; unset ones take the program's defaults.")
	a.Describe(&s.NamePrefix, "Prefix of the names Tierzone gives (default tierzone), as tierzone:namePrefix.")
	a.Describe(&s.OrgAccessRoleName, "The Organizations access role in member accounts (default OrganizationAccountAccessRole).")
	a.Describe(&s.AccountEmailMailbox, "Mailbox the account e-mails derive from (name+key@domain) when a customer has no email.")
}

func (s *Settings) resolve() landingzone.Settings {
	out := landingzone.Defaults()
	if s == nil {
		return out
	}
	if s.NamePrefix != nil {
		out.NamePrefix = *s.NamePrefix
	}
	if s.OrgAccessRoleName != nil {
		out.OrgAccessRoleName = *s.OrgAccessRoleName
	}
	out.AccountEmailMailbox = deref(s.AccountEmailMailbox)
	return out
}

func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}

// protect is the components' default: protected unless told otherwise.
func protect(v *bool) bool { return v == nil || *v }
