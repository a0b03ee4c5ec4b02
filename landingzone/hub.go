package landingzone

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/netplan"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// HubSpec is the network hub, resolved: which regions get a Transit
// Gateway, their pools, route tables and egress.
//
// Routing, exactly (README "Network hub"): each region's Transit Gateway
// has no default route table association or propagation. A connected
// customer's attachment is associated with its tier's route table and
// propagates into it and into the shared route table. A tier's route table
// holds its own customers' routes, the egress VPC's CIDR (shared services),
// blackholes for all of RFC 1918 (so a more specific route is the only way
// to another VPC: nothing falls through to a default route), and, for a
// tier with central egress, 0.0.0.0/0 to the egress VPC. The egress VPC's
// attachment is associated with the shared route table, which holds every
// connected customer's route (for return traffic) and the other regions'
// shared pools through the peering attachments. No tier route table has a
// route to a peering attachment, so customer traffic never leaves its
// region, and no tier route table has another tier's routes.
type HubSpec struct {
	AccountID string
	Supernet  netip.Prefix
	// Regions are the hub regions the stack uses, in tiers.HubRegions
	// order, the management region always among them; Primary is the one
	// the others peer with.
	Regions []HubRegionSpec
	Primary string
}

// HubRegionSpec is one region's hub.
type HubRegionSpec struct {
	Region string
	// Block is the region's block of the supernet; SharedPool is its
	// shared-services pool.
	Block, SharedPool netip.Prefix
	// Egress is whether the region has an egress VPC (a connected customer
	// of the region uses central egress), at EgressCIDR.
	Egress     bool
	EgressCIDR netip.Prefix
	// Tiers are the tiers with a connected or allocated customer in the
	// region, in tiers.All order.
	Tiers []HubTierSpec
}

// HubTierSpec is a tier's pool and route table in one region.
type HubTierSpec struct {
	Tier tiers.Tier
	Pool netip.Prefix
	// Connected are the keys of the tier's connected customers in the
	// region, in catalog order; none: the tier has a pool but no route
	// table.
	Connected []string
	// CentralEgress: the tier's route table has a default route to the
	// egress VPC.
	CentralEgress bool
}

// BlackholeCIDRs are dropped in every tier route table (RFC 1918).
func BlackholeCIDRs() []string { return []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} }

// Attachments counts the region's Transit Gateway attachments: one per
// connected customer, the egress VPC's, and its peerings.
func (r HubRegionSpec) Attachments(peerings int) int {
	n := peerings
	if r.Egress {
		n++
	}
	for _, t := range r.Tiers {
		n += len(t.Connected)
	}
	return n
}

// RouteTables counts the region's Transit Gateway route tables: one per
// tier with a connected customer, and the shared one.
func (r HubRegionSpec) RouteTables() int {
	n := 1
	for _, t := range r.Tiers {
		if len(t.Connected) > 0 {
			n++
		}
	}
	return n
}

// Routes counts the routes of all the region's Transit Gateway route
// tables (the quota is per gateway): in each tier table its customers, the
// egress VPC, the blackholes and the default route; in the shared table
// every customer and each peer region's shared pool.
func (r HubRegionSpec) Routes(peerings int) int {
	n := peerings
	for _, t := range r.Tiers {
		if len(t.Connected) == 0 {
			continue
		}
		n += 2*len(t.Connected) + len(BlackholeCIDRs())
		if r.Egress {
			n++
		}
		if t.CentralEgress {
			n++
		}
	}
	return n
}

// Peerings is how many peering attachments a region's gateway has: the
// primary peers with every other region, the others with the primary.
func (h *HubSpec) Peerings(region string) int {
	if region == h.Primary {
		return len(h.Regions) - 1
	}
	return 1
}

// Region returns a region's hub.
func (h *HubSpec) Region(name string) (HubRegionSpec, bool) {
	for _, r := range h.Regions {
		if r.Region == name {
			return r, true
		}
	}
	return HubRegionSpec{}, false
}

// hubCustomer is a customer's place on the hub while it is resolved.
type hubCustomer struct {
	c      customers.Customer
	tier   tiers.Tier
	region string
	pool   netip.Prefix
	// cidr is the explicit or allocated CIDR; explicit says which.
	cidr     netip.Prefix
	explicit bool
}

// hubResult is what resolving the hub gives Resolve: the hub, and each
// hub customer's CIDR and pool.
type hubResult struct {
	spec      *HubSpec
	cidrs     map[string]netip.Prefix
	pools     map[string]netip.Prefix
	allocated map[string]bool
}

// resolveHub checks and allocates the hub customers of a stack (the
// connected ones and those that omit vpcCidr): their region must have a
// hub, a connected customer's explicit CIDR must lie in its tier's pool,
// no two may overlap (both are named), and each omitted CIDR is allocated
// from the tier's pool, keeping what earlier runs allocated
// (allocations, by key). Problems go to l; invalid customers (unknown
// tier, bad CIDR) were reported by customers.Validate and are skipped.
func resolveHub(selected []customers.Customer, s Settings, allocations map[string]string, l *validation.List) hubResult {
	res := hubResult{cidrs: map[string]netip.Prefix{}, pools: map[string]netip.Prefix{}, allocated: map[string]bool{}}
	if !s.Hub() {
		return res
	}
	super := netip.MustParsePrefix(tiers.HubSupernet)
	hub := &HubSpec{AccountID: s.NetworkAccountID, Supernet: super, Primary: s.ManagementRegion}
	if tiers.HubRegionIndex(s.ManagementRegion) < 0 {
		l.Add(validation.Stack(ConfigNamespace+":"+KeyManagementRegion), "", "%q has no network hub block; the hub's primary region must be one of %s", s.ManagementRegion, strings.Join(tiers.HubRegions(), ", "))
		return res
	}
	var hcs []hubCustomer
	byKey := tiers.ByKey()
	for _, c := range selected {
		t, known := byKey[c.Tier]
		if !known || (!c.Connectivity && c.VPCCIDR != "") {
			continue
		}
		subj := validation.Customer(c.Key)
		region := c.Region
		if region == "" {
			region = t.DefaultRegion()
		}
		ri := tiers.HubRegionIndex(region)
		if ri < 0 {
			l.Add(subj, "region", "%q has no network hub (hub regions: %s); a connected or IPAM-allocated VPC must be in one", region, strings.Join(tiers.HubRegions(), ", "))
			continue
		}
		pool := tierPool(super, ri, t)
		hc := hubCustomer{c: c, tier: t, region: region, pool: pool}
		if c.VPCCIDR != "" {
			p, err := netplan.ParseVPC(c.VPCCIDR)
			if err != nil {
				continue
			}
			if !pool.Contains(p.Addr()) || p.Bits() < pool.Bits() {
				l.Add(subj, "vpcCidr", "%s is not in %s, the pool of tier %s in %s; a VPC connected to the hub takes its tier's pool: omit vpcCidr to have one allocated (changing a deployed VPC's CIDR replaces the VPC), or remove connectivity",
					p, pool, t.Key, region)
				continue
			}
			hc.cidr, hc.explicit = p, true
		}
		hcs = append(hcs, hc)
	}
	allocate(hcs, allocations, l)
	checkHubOverlap(hcs, l)
	for _, hc := range hcs {
		if !hc.cidr.IsValid() {
			continue
		}
		res.cidrs[hc.c.Key], res.pools[hc.c.Key], res.allocated[hc.c.Key] = hc.cidr, hc.pool, !hc.explicit
	}
	hub.Regions = hubRegions(super, hcs, s)
	for _, r := range hub.Regions {
		checkHubQuotas(r, hub.Peerings(r.Region), l)
	}
	res.spec = hub
	return res
}

// tierPool is a tier's pool in a region block.
func tierPool(super netip.Prefix, regionIndex int, t tiers.Tier) netip.Prefix {
	block, _ := netplan.Block(super, tiers.RegionPoolBits, regionIndex)
	pool, _ := netplan.Block(block, tiers.TierPoolBits, t.Hub.PoolIndex)
	return pool
}

// allocate gives every hub customer without an explicit CIDR a block of
// its tier's pool in its region, per pool, keeping earlier allocations.
func allocate(hcs []hubCustomer, allocations map[string]string, l *validation.List) {
	type group struct {
		keys   []string
		taken  []netip.Prefix
		pinned map[string]netip.Prefix
	}
	groups := map[netip.Prefix]*group{}
	var order []netip.Prefix
	for _, hc := range hcs {
		g := groups[hc.pool]
		if g == nil {
			g = &group{pinned: map[string]netip.Prefix{}}
			groups[hc.pool] = g
			order = append(order, hc.pool)
		}
		if hc.explicit {
			g.taken = append(g.taken, hc.cidr)
			continue
		}
		g.keys = append(g.keys, hc.c.Key)
		if prev, err := netip.ParsePrefix(allocations[hc.c.Key]); err == nil && prev.Bits() >= hc.pool.Bits() && hc.pool.Contains(prev.Addr()) {
			g.pinned[hc.c.Key] = prev
		}
	}
	got := map[string]netip.Prefix{}
	for _, pool := range order {
		g := groups[pool]
		if len(g.keys) == 0 {
			continue
		}
		// A pinned block an explicit CIDR now overlaps stays pinned; the
		// overlap check names both customers.
		out, err := netplan.Allocate(pool, tiers.AllocationBits, g.keys, g.pinned, g.taken)
		if err != nil {
			l.Add(validation.Customer(g.keys[0]), "vpcCidr", "cannot allocate: %v; give some customers of the pool an explicit vpcCidr elsewhere or move them to another region", err)
			continue
		}
		for k, p := range out {
			got[k] = p
		}
	}
	for i := range hcs {
		if !hcs[i].explicit {
			hcs[i].cidr = got[hcs[i].c.Key]
		}
	}
}

// checkHubOverlap reports every pair of hub customers whose CIDRs overlap:
// IPAM would refuse the second, and the Transit Gateway could not route
// both.
func checkHubOverlap(hcs []hubCustomer, l *validation.List) {
	for i := range hcs {
		for _, o := range hcs[i+1:] {
			if hcs[i].cidr.IsValid() && o.cidr.IsValid() && hcs[i].cidr.Overlaps(o.cidr) {
				l.Add(validation.Customer(o.c.Key), "vpcCidr", "%s overlaps %s of customer %q; VPCs on the network hub (connected or IPAM-allocated) must not overlap",
					o.cidr, hcs[i].cidr, hcs[i].c.Key)
			}
		}
	}
}

// hubRegions groups the hub customers by region and tier.
func hubRegions(super netip.Prefix, hcs []hubCustomer, s Settings) []HubRegionSpec {
	var out []HubRegionSpec
	for ri, name := range tiers.HubRegions() {
		var here []hubCustomer
		for _, hc := range hcs {
			if hc.region == name && hc.cidr.IsValid() {
				here = append(here, hc)
			}
		}
		if len(here) == 0 && name != s.ManagementRegion {
			continue
		}
		block, _ := netplan.Block(super, tiers.RegionPoolBits, ri)
		shared, _ := netplan.Block(block, tiers.TierPoolBits, tiers.SharedPoolIndex)
		egress, _ := netplan.Block(shared, tiers.EgressVPCBits, 0)
		r := HubRegionSpec{Region: name, Block: block, SharedPool: shared, EgressCIDR: egress}
		for _, t := range tiers.All() {
			ts := HubTierSpec{Tier: t, Pool: tierPool(super, ri, t)}
			found := false
			for _, hc := range here {
				if hc.tier.Key != t.Key {
					continue
				}
				found = true
				if hc.c.Connectivity {
					ts.Connected = append(ts.Connected, hc.c.Key)
					if centralEgress(hc.c, t, s) {
						r.Egress, ts.CentralEgress = true, true
					}
				}
			}
			if found {
				r.Tiers = append(r.Tiers, ts)
			}
		}
		out = append(out, r)
	}
	return out
}

// centralEgress reports whether a connected customer reaches the internet
// through the hub's egress VPC: the stack builds one, the tier allows it
// and the customer has not asked for its own NAT gateway.
func centralEgress(c customers.Customer, t tiers.Tier, s Settings) bool {
	return s.Hub() && s.CentralEgress && c.Connectivity && t.Hub.CentralEgress && (c.NATGateway == nil || !*c.NATGateway)
}

// checkHubQuotas checks a region's gateway against the Transit Gateway
// quotas before anything is registered.
func checkHubQuotas(r HubRegionSpec, peerings int, l *validation.List) {
	subj := validation.Stack(ConfigNamespace + ":" + KeyNetworkAccountID)
	if n := r.Attachments(peerings); n > tiers.MaxAttachmentsPerTGW {
		l.Add(subj, r.Region, "%d attachments on the %s transit gateway; AWS allows %d", n, r.Region, tiers.MaxAttachmentsPerTGW)
	}
	if n := r.RouteTables(); n > tiers.MaxRouteTablesPerTGW {
		l.Add(subj, r.Region, "%d route tables on the %s transit gateway; AWS allows %d", n, r.Region, tiers.MaxRouteTablesPerTGW)
	}
	if n := r.Routes(peerings); n > tiers.MaxRoutesPerTGW {
		l.Add(subj, r.Region, "%d routes on the %s transit gateway; AWS allows %d across its route tables", n, r.Region, tiers.MaxRoutesPerTGW)
	}
	if peerings > tiers.MaxPeeringsPerTGW {
		l.Add(subj, r.Region, "%d peering attachments on the %s transit gateway; AWS allows %d", peerings, r.Region, tiers.MaxPeeringsPerTGW)
	}
}

// withCIDRs returns the selection with every allocated CIDR filled in.
func (h hubResult) withCIDRs(cs []customers.Customer) []customers.Customer {
	if len(h.allocated) == 0 {
		return cs
	}
	out := slices.Clone(cs)
	for i, c := range out {
		if h.allocated[c.Key] {
			out[i].VPCCIDR = h.cidrs[c.Key].String()
		}
	}
	return out
}

// place puts a resolved customer on the hub: connected, central egress
// (then without a NAT gateway of its own), allocated, and its pool.
func (h hubResult) place(cs CustomerSpec, s Settings) CustomerSpec {
	pool, ok := h.pools[cs.Customer.Key]
	if !ok {
		return cs
	}
	cs.Pool, cs.Allocated, cs.Connected = pool, h.allocated[cs.Customer.Key], cs.Customer.Connectivity
	if centralEgress(cs.Customer, cs.Tier, s) {
		cs.CentralEgress, cs.NATGateway = true, false
	}
	return cs
}

// PreviousAllocations reads, from a stack's previous "customers" output,
// the VPC CIDRs that were allocated from IPAM, by customer key.
func PreviousAllocations(previous any) map[string]string {
	prev, _ := previous.(map[string]any)
	out := map[string]string{}
	for key, v := range prev {
		m, _ := v.(map[string]any)
		if allocated, _ := m["vpcCidrAllocated"].(bool); allocated {
			if cidr, ok := m["vpcCidr"].(string); ok {
				out[key] = cidr
			}
		}
	}
	return out
}

// Hub is the network hub's components.
type Hub struct {
	IPAM *components.NetworkIPAM
	// Hubs and Peerings by region; providers work in the network account
	// in each region.
	Hubs      map[string]*components.NetworkHub
	Peerings  map[string]*components.HubPeering
	providers map[string]pulumi.ProviderResource
}

// networkProvider is the provider into the network account in a region.
func networkProvider(ctx *pulumi.Context, lz *LandingZone, region string, s Settings) (pulumi.ProviderResource, error) {
	return memberProvider(ctx, lz, "network-"+region, s.NetworkAccountID, region, s)
}

// HubASN is a region's Transit Gateway ASN: private ASNs from 64512, one
// per hub region, so peered gateways never share one.
func HubASN(region string) int { return 64512 + tiers.HubRegionIndex(region) }

// newHub registers the network hub: IPAM, and per region the gateway with
// its route tables, share and egress VPC, and the peering with the
// primary region.
func newHub(ctx *pulumi.Context, lz *LandingZone, mgmt pulumi.ProviderResource) (*Hub, error) {
	plan, s := lz.Plan, lz.Plan.Settings
	h := &Hub{Hubs: map[string]*components.NetworkHub{}, Peerings: map[string]*components.HubPeering{}, providers: map[string]pulumi.ProviderResource{}}
	tags := map[string]string{"managed-by": ManagedBy}
	var regions []components.IPAMRegionArgs
	for _, r := range plan.Hub.Regions {
		p, err := networkProvider(ctx, lz, r.Region, s)
		if err != nil {
			return nil, err
		}
		h.providers[r.Region] = p
		ra := components.IPAMRegionArgs{Region: r.Region, CIDR: r.Block.String(), Shared: r.SharedPool.String()}
		if r.Egress {
			ra.EgressCIDR = r.EgressCIDR.String()
		}
		for _, t := range r.Tiers {
			ra.Tiers = append(ra.Tiers, components.IPAMPoolArgs{Key: t.Tier.Key, CIDR: t.Pool.String()})
		}
		regions = append(regions, ra)
	}
	ipam, err := components.NewNetworkIPAM(ctx, "ipam", &components.NetworkIPAMArgs{
		NetworkAccountID: s.NetworkAccountID, Supernet: plan.Hub.Supernet.String(), Regions: regions, Tags: tags,
		ManagementProvider: mgmt, Provider: h.providers[plan.Hub.Primary],
	}, pulumi.Parent(lz))
	if err != nil {
		return nil, err
	}
	h.IPAM = ipam
	for _, r := range plan.Hub.Regions {
		args := &components.NetworkHubArgs{
			Region: r.Region, AmazonSideASN: HubASN(r.Region), BlackholeCIDRs: BlackholeCIDRs(),
			Tags: tags, Provider: h.providers[r.Region],
		}
		for _, t := range r.Tiers {
			if len(t.Connected) == 0 {
				continue
			}
			args.Tiers = append(args.Tiers, components.HubTierArgs{Key: t.Tier.Key, CentralEgress: t.CentralEgress})
			// The tier OU (and its segments beneath it) may see the
			// gateway; no other account may.
			args.SharePrincipals = append(args.SharePrincipals, lz.TierOUs[t.Tier.Key].OU.Arn)
		}
		if r.Egress {
			args.Egress = &components.HubEgressArgs{
				CIDR:              r.EgressCIDR.String(),
				AvailabilityZones: []string{r.Region + "a", r.Region + "b"}[:tiers.EgressAvailabilityZones],
				ReturnCIDRs:       []string{plan.Hub.Supernet.String()},
			}
		}
		hub, err := components.NewNetworkHub(ctx, "hub-"+r.Region, args,
			pulumi.Parent(lz), pulumi.DependsOn([]pulumi.Resource{ipam.SharingWithOrganization}))
		if err != nil {
			return nil, err
		}
		h.Hubs[r.Region] = hub
	}
	primary, _ := plan.Hub.Region(plan.Hub.Primary)
	for _, r := range plan.Hub.Regions {
		if r.Region == plan.Hub.Primary {
			continue
		}
		name := "hub-" + r.Region + "-peering"
		if h.Peerings[r.Region], err = components.NewHubPeering(ctx, name, &components.HubPeeringArgs{
			Hub: h.Hubs[r.Region], Primary: h.Hubs[plan.Hub.Primary], PrimaryRegion: plan.Hub.Primary, AccountID: s.NetworkAccountID,
			HubShared: r.SharedPool.String(), PrimaryShared: primary.SharedPool.String(), Tags: tags,
			Provider: h.providers[r.Region], PrimaryProvider: h.providers[plan.Hub.Primary],
		}, pulumi.Parent(lz)); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// newCustomerConnection puts a hub customer on the hub: its IPAM
// allocation and, when connected, its attachment and routes.
func newCustomerConnection(ctx *pulumi.Context, lz *LandingZone, cs CustomerSpec, acct *components.CustomerAccount, vpc *components.CustomerVPC,
	custOpts []pulumi.ResourceOption) (*components.CustomerConnection, error) {
	if lz.Hub == nil || !cs.Pool.IsValid() {
		return nil, nil
	}
	pool := components.PoolKey(cs.Region, cs.Tier.Key)
	args := &components.CustomerConnectionArgs{
		CIDR: cs.Layout.VPC.String(), PoolID: lz.Hub.IPAM.Pools[pool].ID(), PoolReady: lz.Hub.IPAM.Provisioned[pool],
		Tier: cs.Tier.Key, Tags: cs.Tags, Provider: acct.Provider, NetworkProvider: lz.Hub.providers[cs.Region],
		IPAMProvider: lz.Hub.providers[lz.Plan.Hub.Primary],
	}
	if cs.Connected {
		args.VPC, args.Hub = vpc, lz.Hub.Hubs[cs.Region]
		args.RouteCIDRs, args.CentralEgress = []string{lz.Plan.Hub.Supernet.String()}, cs.CentralEgress
	}
	return components.NewCustomerConnection(ctx, cs.Customer.Key, args, append(custOpts, pulumi.Parent(lz))...)
}
