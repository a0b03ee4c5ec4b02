package tiers

// The network hub's address plan and rules, as data. The hub (a Transit
// Gateway per region in the network account, with IPAM) exists when a
// stack names a network account; see README "Network hub".
//
// Address plan: HubSupernet is the organization IPAM's top pool. Each hub
// region gets a /RegionPoolBits block of it at its index in HubRegions; each
// region block is cut into /TierPoolBits pools: index SharedPoolIndex for
// shared services (the egress VPC), then each tier at its Hub.PoolIndex.
// Appending a region or a tier never moves an existing pool. The seed
// CIDRs (10.1-10.10/16) lie outside the supernet on purpose: the seed
// customers keep theirs and stay off the hub unless given a pool CIDR.
const (
	HubSupernet     = "10.128.0.0/9"
	RegionPoolBits  = 12
	TierPoolBits    = 15
	SharedPoolIndex = 0
	// AllocationBits is the size IPAM allocates a customer VPC at when the
	// catalog omits vpcCidr: a /21 (2,048 addresses) keeps the seed
	// layout's three /24 subnets, and a /15 tier pool holds 64 of them.
	AllocationBits = 21
	// EgressVPCBits is the egress VPC's size, the first block of the
	// region's shared pool.
	EgressVPCBits = 20
	// EgressAvailabilityZones is how many zones the egress VPC spans, each
	// with its own NAT gateway (no zone depends on another's).
	EgressAvailabilityZones = 2
)

// Transit Gateway quotas ("Quotas for your transit gateways", Amazon VPC
// Transit Gateways guide), checked before anything is registered.
const (
	// MaxAttachmentsPerTGW: 5,000 attachments per transit gateway (not
	// adjustable).
	MaxAttachmentsPerTGW = 5000
	// MaxRouteTablesPerTGW: 20 route tables per transit gateway (default).
	MaxRouteTablesPerTGW = 20
	// MaxRoutesPerTGW: 10,000 routes per transit gateway, static and
	// propagated, across all its route tables (default).
	MaxRoutesPerTGW = 10000
	// MaxPeeringsPerTGW: 50 peering attachments per transit gateway.
	MaxPeeringsPerTGW = 50
)

// HubRegions are the regions a hub may be built in, in pool order: a
// region's block of HubSupernet is its index here. Append only. Each call
// returns a fresh slice.
func HubRegions() []string {
	return []string{"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"}
}

// HubRegionIndex is a region's block index in HubSupernet, or -1.
func HubRegionIndex(region string) int {
	for i, r := range HubRegions() {
		if r == region {
			return i
		}
	}
	return -1
}

// Hub is a tier's place on the network hub.
type Hub struct {
	// PoolIndex is the tier's /TierPoolBits pool in every region block
	// (never SharedPoolIndex; unique per tier; never change it once a
	// customer is allocated from it).
	PoolIndex int
	// CentralEgress lets the tier's connected customers reach the internet
	// through the hub's egress VPC instead of a NAT gateway of their own.
	CentralEgress bool
	// Reason explains CentralEgress.
	Reason string
}

// hubData is each tier's hub rules.
func hubData() map[string]Hub {
	return map[string]Hub{
		Fintech:    {PoolIndex: 1, Reason: "seeds: a NAT gateway in the customer's own VPC is required for PCI-DSS egress control"},
		Healthcare: {PoolIndex: 2, Reason: "seeds: the customer's private subnets egress through its own NAT"},
		GovFederal: {PoolIndex: 3, Reason: "seeds: the customer's private subnets egress through its own NAT"},
		Standard:   {PoolIndex: 4, CentralEgress: true, Reason: "seeds: NAT optional for Standard, so the shared egress VPC may replace it"},
	}
}
