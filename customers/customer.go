// Package customers holds the typed customer record and the built-in catalog
// from the planning reports.
package customers

// Customer is one managed-service customer: an AWS account in its tier's OU
// and a VPC inside that account. The JSON field names are the catalog-file
// contract (see README, "Catalog files").
type Customer struct {
	// Key is the stable identifier every resource name derives from:
	// lowercase letters, digits and hyphens. Never change it for a deployed
	// customer; that would replace every one of its resources.
	Key string `json:"key"`
	// Name is the display name, used as the AWS account name.
	Name string `json:"name"`
	// Tier is a tier key: fintech, healthcare, gov-federal, standard.
	Tier string `json:"tier"`
	// Email is the account's root e-mail. Empty: derived by plus-addressing
	// on the stack's mailbox (mailbox+key@domain).
	Email string `json:"email,omitempty"`
	// ContactEmail is the customer's own contact, kept as a tag.
	ContactEmail string `json:"contactEmail,omitempty"`
	// VPCCIDR is the VPC's IPv4 block, /16 to /24, in RFC 1918 space. It may
	// repeat across customers: every VPC lives in its own account, unless
	// both are connected to the network hub. Empty, on a stack with a
	// network hub: a /21 is allocated from the tier's IPAM pool in the
	// customer's region (landingzone/hub.go), and kept on later runs.
	VPCCIDR string `json:"vpcCidr,omitempty"`
	// ExistingAccountID adopts (imports) an account that already exists in
	// the organization instead of creating one. AWS assigns IDs to new
	// accounts; a catalog can never choose one.
	ExistingAccountID string `json:"existingAccountId,omitempty"`
	// Region overrides the tier's default region (must be one it allows).
	Region string `json:"region,omitempty"`
	// NATGateway turns the NAT gateway on or off where the tier lets the
	// customer choose; nil takes the tier's default.
	NATGateway *bool `json:"natGateway,omitempty"`
	// VPNGateway turns the VPN gateway on or off where the tier lets the
	// customer choose; nil takes the tier's default.
	VPNGateway *bool `json:"vpnGateway,omitempty"`
	// Tags are extra tags for the customer's resources.
	Tags map[string]string `json:"tags,omitempty"`
	// Users are the customer's people who sign in through IAM Identity
	// Center (customers/users.go).
	Users []User `json:"users,omitempty"`
	// Segment places the account in a child OU of its tier OU (one of the
	// tier's segments, tiers/segments.go); empty: the tier OU itself.
	// Changing it moves the account (an update, never a replacement).
	Segment string `json:"segment,omitempty"`
	// MonthlyBudgetUSD overrides the tier's monthly AWS Budget for the
	// customer's account (tiers.Billing); 0 keeps the tier's.
	MonthlyBudgetUSD int `json:"monthlyBudgetUsd,omitempty"`
	// Connectivity attaches the customer's VPC to the network hub's
	// Transit Gateway in its region (needs tierzone:networkAccountId): its
	// private subnets reach its tier's other connected VPCs and shared
	// services, never another tier's. The CIDR must then lie in the tier's
	// pool and overlap no other connected VPC.
	Connectivity bool `json:"connectivity,omitempty"`
}

// Adopted reports whether the customer's account already exists and is imported.
func (c Customer) Adopted() bool { return c.ExistingAccountID != "" }

// MaxMonthlyBudgetUSD bounds a customer's budget override: a typo guard
// (AWS Budgets takes any amount).
const MaxMonthlyBudgetUSD = 10_000_000
