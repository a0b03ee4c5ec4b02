package tests

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/internal/gencatalog"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/tiers"
)

const (
	tTGW         = "aws:ec2transitgateway/transitGateway:TransitGateway"
	tTGWTable    = "aws:ec2transitgateway/routeTable:RouteTable"
	tTGWRoute    = "aws:ec2transitgateway/route:Route"
	tTGWAssoc    = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation"
	tTGWProp     = "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation"
	tTGWAttach   = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
	tTGWAccept   = "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter"
	tTGWPeering  = "aws:ec2transitgateway/peeringAttachment:PeeringAttachment"
	tIPAMAlloc   = "aws:ec2/vpcIpamPoolCidrAllocation:VpcIpamPoolCidrAllocation"
	tAwsxVPC     = "awsx:ec2:Vpc"
	networkAcct  = "210987654321"
	hubSupernet  = "10.128.0.0/9"
	internetAddr = "8.8.8.8"
)

// hubCatalog is the seed catalog plus connected customers of every tier,
// in three regions: explicit pool CIDRs and allocated ones, Standard ones
// with central egress and one that keeps its own NAT gateway.
func hubCatalog() []customers.Customer {
	yes := true
	add := []customers.Customer{
		{Key: "fin-a", Name: "Fin A", Tier: tiers.Fintech, Connectivity: true, VPCCIDR: "10.130.32.0/21"},
		{Key: "fin-b", Name: "Fin B", Tier: tiers.Fintech, Connectivity: true},
		{Key: "fin-west", Name: "Fin West", Tier: tiers.Fintech, Region: "us-west-2", Connectivity: true},
		{Key: "hc-a", Name: "HC A", Tier: tiers.Healthcare, Connectivity: true},
		{Key: "hc-west", Name: "HC West", Tier: tiers.Healthcare, Region: "us-west-2", Connectivity: true},
		{Key: "gov-a", Name: "Gov A", Tier: tiers.GovFederal, Connectivity: true},
		{Key: "std-a", Name: "Std A", Tier: tiers.Standard, Connectivity: true},
		{Key: "std-b", Name: "Std B", Tier: tiers.Standard, Connectivity: true},
		{Key: "std-nat", Name: "Std NAT", Tier: tiers.Standard, Connectivity: true, NATGateway: &yes},
		{Key: "std-eu", Name: "Std EU", Tier: tiers.Standard, Region: "eu-west-1", Connectivity: true},
		{Key: "std-ipam", Name: "Std IPAM only", Tier: tiers.Standard},
	}
	return append(customers.Catalog(), add...)
}

func hubConfig(t *testing.T) map[string]string {
	cfg := catalogConfig(t, "prod")
	cfg["tierzone:networkAccountId"] = networkAcct
	return cfg
}

// network is the hub's routing as recorded: each Transit Gateway route
// table's routes, each attachment's table and CIDR.
type network struct {
	tables  map[string][]tgwRoute // route table id -> routes
	assoc   map[string]string     // attachment id -> route table id
	cidr    map[string]netip.Prefix
	egress  map[string]bool // egress VPC attachments
	peering map[string]bool
	// customer key -> its attachment id
	attachment map[string]string
}

type tgwRoute struct {
	dest      netip.Prefix
	via       string
	blackhole bool
}

func readNetwork(t *testing.T, g *graph) network {
	t.Helper()
	n := network{tables: map[string][]tgwRoute{}, assoc: map[string]string{}, cidr: map[string]netip.Prefix{},
		egress: map[string]bool{}, peering: map[string]bool{}, attachment: map[string]string{}}
	vpcs := map[string]netip.Prefix{}
	for _, v := range g.ofType(tVPC) {
		vpcs[v.ID] = netip.MustParsePrefix(str(v, "cidrBlock"))
	}
	for _, a := range g.ofType(tTGWAttach) {
		if key := g.customerOf(a); key != "" {
			n.cidr[a.ID] = vpcs[str(a, "vpcId")]
			n.attachment[key] = a.ID
			continue
		}
		// The egress VPC's: the awsx VPC beside it in the hub.
		for _, x := range g.ofType(tAwsxVPC) {
			if x.Parent == a.Parent {
				n.cidr[a.ID], n.egress[a.ID] = netip.MustParsePrefix(str(x, "cidrBlock")), true
			}
		}
		require.True(t, n.egress[a.ID], "attachment %s is neither a customer's nor the egress VPC's", a.Name)
	}
	for _, p := range g.ofType(tTGWPeering) {
		n.peering[p.ID] = true
	}
	for _, a := range g.ofType(tTGWAssoc) {
		att := str(a, "transitGatewayAttachmentId")
		_, dup := n.assoc[att]
		assert.False(t, dup && !n.peering[att], "attachment %s associated twice", att)
		n.assoc[att] = str(a, "transitGatewayRouteTableId")
	}
	for _, p := range g.ofType(tTGWProp) {
		att := str(p, "transitGatewayAttachmentId")
		rt := str(p, "transitGatewayRouteTableId")
		n.tables[rt] = append(n.tables[rt], tgwRoute{dest: n.cidr[att], via: att})
	}
	for _, r := range g.ofType(tTGWRoute) {
		bh, _ := boolean(r, "blackhole")
		rt := str(r, "transitGatewayRouteTableId")
		n.tables[rt] = append(n.tables[rt], tgwRoute{dest: netip.MustParsePrefix(str(r, "destinationCidrBlock")), via: str(r, "transitGatewayAttachmentId"), blackhole: bh})
	}
	return n
}

// next is the longest-prefix match in a route table: the attachment a
// packet to addr leaves by ("" when dropped or unrouted).
func (n network) next(table string, addr netip.Addr) string {
	best, via := -1, ""
	for _, r := range n.tables[table] {
		if r.dest.Contains(addr) && r.dest.Bits() > best {
			best, via = r.dest.Bits(), r.via
			if r.blackhole {
				via = ""
			}
		}
	}
	return via
}

// reaches follows a packet from a customer's attachment to addr, through
// the egress VPC too (its public subnets route the supernet back to the
// gateway, so a packet sent there re-enters through the shared table).
func (n network) reaches(t *testing.T, from string, addr netip.Addr) string {
	hop := n.next(n.assoc[n.attachment[from]], addr)
	assert.False(t, n.peering[hop], "%s: traffic to %s leaves its region through a peering", from, addr)
	if n.egress[hop] && !n.cidr[hop].Contains(addr) && netip.MustParsePrefix(hubSupernet).Contains(addr) {
		hop = n.next(n.assoc[hop], addr)
		assert.False(t, n.peering[hop], "%s: traffic to %s hairpins into a peering", from, addr)
	}
	return hop
}

// TestHubIsolatesTiers: over the recorded route tables, a connected
// customer reaches exactly the connected customers of its own tier in its
// own region, and the region's shared services; never another tier's VPC,
// not even by hairpinning through the egress VPC; only central-egress
// customers have a default route.
func TestHubIsolatesTiers(t *testing.T) {
	g := run(t, "prod", hubConfig(t), hubCatalog())
	n := readNetwork(t, g)
	plan, err := landingzone.Resolve(hubCatalog(), settingsOf(t, hubConfig(t)))
	require.NoError(t, err)
	var connected []landingzone.CustomerSpec
	for _, cs := range plan.Customers {
		if cs.Connected {
			connected = append(connected, cs)
		}
	}
	require.Len(t, connected, 10)
	pairs := 0
	for _, a := range connected {
		require.Contains(t, n.attachment, a.Customer.Key)
		for _, b := range connected {
			if a.Customer.Key == b.Customer.Key {
				continue
			}
			want := a.Tier.Key == b.Tier.Key && a.Region == b.Region
			got := n.reaches(t, a.Customer.Key, b.Layout.VPC.Addr()) == n.attachment[b.Customer.Key]
			assert.Equal(t, want, got, "%s (%s, %s) -> %s (%s, %s)", a.Customer.Key, a.Tier.Key, a.Region, b.Customer.Key, b.Tier.Key, b.Region)
			if want {
				pairs++
			}
		}
		region, _ := plan.Hub.Region(a.Region)
		if region.Egress {
			hop := n.reaches(t, a.Customer.Key, region.EgressCIDR.Addr().Next())
			assert.True(t, n.egress[hop], "%s reaches its region's shared services", a.Customer.Key)
		}
		// Only a central-egress customer's VPC sends the internet to the
		// gateway (TestHubCustomerSide); only its tier's table has a way on.
		hop := n.reaches(t, a.Customer.Key, netip.MustParseAddr(internetAddr))
		if a.CentralEgress {
			assert.True(t, n.egress[hop], "%s: default route to the egress VPC", a.Customer.Key)
		}
		if !a.Tier.Hub.CentralEgress {
			assert.Empty(t, hop, "%s: tier %s has no default route on the hub", a.Customer.Key, a.Tier.Key)
		}
	}
	assert.Equal(t, 8, pairs, "fin-a<->fin-b and std-a, std-b, std-nat among themselves")
}

// settingsOf reads stack config the way the program does.
func settingsOf(t *testing.T, cfg map[string]string) landingzone.Settings {
	t.Helper()
	s, err := landingzone.FromConfig(func(k string) (string, bool) {
		v, ok := cfg[landingzone.ConfigNamespace+":"+k]
		return v, ok
	})
	require.NoError(t, err)
	return s
}

// TestHubCustomerSide: a connected customer's attachment is made in its
// own account on its private subnets and accepted in the network account,
// which alone associates and propagates it; its private route table sends
// the hub's supernet (and, with central egress, everything) to the
// gateway; a central-egress customer has no NAT gateway; a customer that
// only omits vpcCidr gets its IPAM allocation and nothing else.
func TestHubCustomerSide(t *testing.T) {
	g := run(t, "prod", hubConfig(t), hubCatalog())
	for _, key := range []string{"fin-a", "std-a", "std-nat"} {
		att := g.one(t, key, tTGWAttach)
		assert.Equal(t, key+"-aws", g.byURN[att.ProviderURN].Name, "%s attaches from its own account", key)
		acc := g.one(t, key, tTGWAccept)
		assert.True(t, strings.HasPrefix(g.byURN[acc.ProviderURN].Name, "network-"), "%s is accepted in the network account", key)
		def, _ := boolean(acc, "transitGatewayDefaultRouteTableAssociation")
		assert.False(t, def)
		dests := map[string]bool{}
		for _, r := range g.forCustomer(key, tRoute) {
			if str(r, "transitGatewayId") != "" {
				dests[str(r, "destinationCidrBlock")] = true
			}
		}
		central := key == "std-a"
		assert.Equal(t, map[string]bool{hubSupernet: true, "0.0.0.0/0": central}[hubSupernet], dests[hubSupernet], key)
		assert.Equal(t, central, dests["0.0.0.0/0"], "%s default route to the gateway", key)
		assert.Equal(t, !central, len(g.forCustomer(key, tNAT)) == 1, "%s NAT gateway", key)
	}
	assert.Len(t, g.forCustomer("std-ipam", tIPAMAlloc), 1)
	assert.Empty(t, g.forCustomer("std-ipam", tTGWAttach))
	// The seed customers are not on the hub.
	for _, c := range customers.Catalog() {
		assert.Empty(t, g.forCustomer(c.Key, tIPAMAlloc), c.Key)
	}
}

// TestHubEgressVPC: one awsx egress VPC per region with a central-egress
// customer, two zones with a NAT gateway each, attached on its private
// subnets, with the supernet routed back from each public subnet.
func TestHubEgressVPC(t *testing.T) {
	g := run(t, "prod", hubConfig(t), hubCatalog())
	vpcs := g.ofType(tAwsxVPC)
	var names []string
	for _, v := range vpcs {
		names = append(names, v.Name)
		assert.Equal(t, "OnePerAz", str(recorder.Resource{Inputs: v.Inputs["natGateways"].ObjectValue()}, "strategy"))
		assert.Len(t, v.Inputs["availabilityZoneNames"].ArrayValue(), tiers.EgressAvailabilityZones)
		assert.True(t, netip.MustParsePrefix(hubSupernet).Contains(netip.MustParsePrefix(str(v, "cidrBlock")).Addr()))
		ref := v.Providers["aws"]
		require.NotEmpty(t, ref, "%s gets the network account's provider for its children", v.Name)
		region := strings.TrimSuffix(strings.TrimPrefix(v.Name, "hub-"), "-egress")
		assert.Equal(t, "network-"+region, g.byURN[ref[:strings.LastIndex(ref, "::")]].Name, v.Name)
	}
	assert.ElementsMatch(t, []string{"hub-us-east-1-egress", "hub-eu-west-1-egress"}, names, "us-west-2 has no central-egress customer")
	returns := 0
	for _, r := range g.ofType(tRoute) {
		if strings.Contains(r.Name, "-egress-return-") {
			returns++
			assert.Equal(t, hubSupernet, str(r, "destinationCidrBlock"))
		}
	}
	assert.Equal(t, 2*tiers.EgressAvailabilityZones, returns)
}

// TestHubAllocationIsStable: allocated CIDRs do not depend on catalog
// order; with the previous run's allocations kept, onboarding a customer
// whose home block is taken, or removing one, moves no other customer.
func TestHubAllocationIsStable(t *testing.T) {
	s := settingsOf(t, hubConfig(t))
	base := gencatalog.Connected(40)
	cidrs := func(cat []customers.Customer, keep map[string]string) map[string]string {
		p, err := landingzone.ResolveKeeping(cat, s, keep)
		require.NoError(t, err)
		out := map[string]string{}
		for _, cs := range p.Customers {
			out[cs.Customer.Key] = cs.Layout.VPC.String()
			assert.True(t, cs.Allocated && cs.Pool.Contains(cs.Layout.VPC.Addr()), cs.Customer.Key)
		}
		return out
	}
	first := cidrs(base, nil)
	reversed := append([]customers.Customer(nil), base...)
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	assert.Equal(t, first, cidrs(reversed, nil), "order does not matter")

	// A newcomer that sorts first and wants net-00000's block.
	victim := base[0]
	newcomer := customers.Customer{Name: "Newcomer", Tier: victim.Tier, Region: victim.Region, Connectivity: true}
	for i := 0; ; i++ {
		newcomer.Key = "aa-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
		if newcomer.Key < victim.Key && sameHome(t, s, victim, newcomer) {
			break
		}
		require.Less(t, i, 676, "no colliding key found")
	}
	moved := cidrs(append(base, newcomer), nil)
	assert.NotEqual(t, first[victim.Key], moved[victim.Key], "without the previous allocations the newcomer would take %s's block", victim.Key)
	kept := cidrs(append(base, newcomer), first)
	for k, v := range first {
		assert.Equal(t, v, kept[k], "%s moved when %s was onboarded", k, newcomer.Key)
	}
	assert.NotContains(t, first, kept[newcomer.Key])
	afterRemoval := cidrs(base[1:], kept)
	for k, v := range afterRemoval {
		assert.Equal(t, kept[k], v, "%s moved when %s was removed", k, victim.Key)
	}
	// The stack output carries what the next run keeps.
	prev := map[string]any{"net-00001": map[string]any{"vpcCidr": first["net-00001"], "vpcCidrAllocated": true},
		"seed": map[string]any{"vpcCidr": "10.1.0.0/16"}}
	assert.Equal(t, map[string]string{"net-00001": first["net-00001"]}, landingzone.PreviousAllocations(prev))
}

// sameHome reports whether two customers' allocation searches start at the
// same block of the same pool.
func sameHome(t *testing.T, s landingzone.Settings, a, b customers.Customer) bool {
	p, err := landingzone.Resolve([]customers.Customer{b}, s)
	require.NoError(t, err)
	q, err := landingzone.Resolve([]customers.Customer{a}, s)
	require.NoError(t, err)
	return p.Customers[0].Layout.VPC == q.Customers[0].Layout.VPC
}

// TestHubRefusesBadCatalogs: every hub problem at once, naming the
// customer and field, with nothing registered.
func TestHubRefusesBadCatalogs(t *testing.T) {
	// Every seed customer, connected: their CIDRs (10.1/16 three times,
	// 10.4/16 twice) lie outside the pools, so none may join as it is.
	cat := customers.Catalog()
	for i := range cat {
		cat[i].Connectivity = true
	}
	cat = append(cat,
		customers.Customer{Key: "dup-one", Name: "Dup One", Tier: tiers.Standard, Connectivity: true, VPCCIDR: "10.136.0.0/20"},
		customers.Customer{Key: "dup-two", Name: "Dup Two", Tier: tiers.Standard, Connectivity: true, VPCCIDR: "10.136.8.0/21"},
	)
	probs := runInvalid(t, hubConfig(t), cat)
	byCustomer := map[string]string{}
	for _, p := range probs {
		byCustomer[p.Subject+"."+p.Field] = p.Message
	}
	assert.Contains(t, byCustomer[`customer "acme-finance".vpcCidr`], "is not in 10.130.0.0/15")
	assert.Contains(t, byCustomer[`customer "medicorp-health".vpcCidr`], "pool of tier healthcare in us-east-1")
	for _, c := range customers.Catalog() {
		assert.Contains(t, byCustomer[`customer "`+c.Key+`".vpcCidr`], "omit vpcCidr to have one allocated", c.Key)
	}
	assert.Contains(t, byCustomer[`customer "dup-two".vpcCidr`], `customer "dup-one"`)

	// No hub: connectivity and omitted CIDRs are refused.
	noHub := catalogConfig(t, "prod")
	probs = runInvalid(t, noHub, []customers.Customer{{Key: "lonely", Name: "Lonely", Tier: tiers.Standard, Connectivity: true}})
	fields := map[string]bool{}
	for _, p := range probs {
		fields[p.Field] = true
	}
	assert.True(t, fields["connectivity"] && fields["vpcCidr"], "%v", probs)

	// A full pool: 65 allocations into a pool of 64 /21s.
	var full []customers.Customer
	for _, c := range gencatalog.Connected(260) {
		if c.Tier == tiers.GovFederal {
			full = append(full, c)
		}
	}
	require.Len(t, full, 65)
	probs = runInvalid(t, hubConfig(t), full)
	require.Len(t, probs, 1)
	assert.Contains(t, probs[0].Message, "is full")
}

// TestHubAt100Customers: a generated 100-customer catalog plans with every
// VPC connected, allocated, unique and inside its tier's pool, and within
// the Transit Gateway quotas in each region.
func TestHubAt100Customers(t *testing.T) {
	s := settingsOf(t, hubConfig(t))
	plan, err := landingzone.Resolve(gencatalog.Connected(100), s)
	require.NoError(t, err)
	seen := map[netip.Prefix]string{}
	for _, cs := range plan.Customers {
		require.True(t, cs.Connected, cs.Customer.Key)
		for p, other := range seen {
			require.False(t, p.Overlaps(cs.Layout.VPC), "%s overlaps %s", cs.Customer.Key, other)
		}
		seen[cs.Layout.VPC] = cs.Customer.Key
	}
	require.Len(t, seen, 100)
	for _, r := range plan.Hub.Regions {
		peer := plan.Hub.Peerings(r.Region)
		assert.LessOrEqual(t, r.Attachments(peer), tiers.MaxAttachmentsPerTGW)
		assert.LessOrEqual(t, r.Routes(peer), tiers.MaxRoutesPerTGW)
		assert.LessOrEqual(t, r.RouteTables(), tiers.MaxRouteTablesPerTGW)
	}
	g := run(t, "prod", hubConfig(t), gencatalog.Connected(100))
	assert.Equal(t, 100, g.count(tTGWAttach)-len(g.ofType(tAwsxVPC)))
	assert.Equal(t, 5, g.count(tTGW), "one gateway per region in use")
}

// TestHubChangesNoExistingResource: turning the hub on with no connected
// customer adds the hub and changes nothing that was there.
func TestHubChangesNoExistingResource(t *testing.T) {
	off := run(t, "prod", catalogConfig(t, "prod"), customers.Catalog())
	on := run(t, "prod", hubConfig(t), customers.Catalog())
	for _, r := range off.all {
		a, ok := on.byURN[r.URN]
		require.True(t, ok, r.URN)
		assert.True(t, a.Inputs.DeepEquals(r.Inputs), "%s changed when the hub was switched on", r.URN)
	}
	assert.Equal(t, 1, on.count(tTGW))
	assert.Empty(t, on.ofType(tAwsxVPC), "no egress VPC without a central-egress customer")
}

// TestHubCosts: a central-egress customer pays no NAT gateway hours but
// its attachment and the hub NAT's processing; a connected customer with
// its own NAT pays both; the egress VPCs' NAT gateways are shared; IPAM
// bills the active addresses of the VPCs in its operating regions; the
// comparison is in the report.
func TestHubCosts(t *testing.T) {
	g := run(t, "prod", hubConfig(t), hubCatalog())
	rep, err := cost.Compute(g.all, cost.DefaultOptions())
	require.NoError(t, err)
	assert.Empty(t, rep.Unpriced)
	items := map[string]map[string]float64{}
	for _, c := range rep.Customers {
		items[c.Key] = map[string]float64{}
		for _, li := range c.Items {
			items[c.Key][li.Item] = li.MonthlyUSD
		}
	}
	assert.Zero(t, items["std-a"]["NAT gateway hours"])
	assert.Equal(t, 36.5, items["std-a"]["Transit Gateway attachment hours"])
	assert.Equal(t, 4.5, items["std-a"]["NAT gateway data processed (hub egress VPC)"])
	assert.Equal(t, 32.85, items["std-nat"]["NAT gateway hours"])
	assert.Equal(t, 36.5, items["std-nat"]["Transit Gateway attachment hours"])
	assert.Zero(t, items["std-nat"]["NAT gateway data processed (hub egress VPC)"])
	assert.Zero(t, items["acme-finance"]["Transit Gateway attachment hours"], "the seeds are not attached")
	assert.Equal(t, 9.86, items["std-ipam"]["IPAM active IP address hours (Advanced tier)"], "50 IPs x 730 h x $0.00027")
	shared := map[string]float64{}
	for _, li := range rep.Shared {
		shared[li.Item] = li.Quantity
	}
	assert.Equal(t, float64(2*tiers.EgressAvailabilityZones*730), shared["NAT gateway hours (hub egress VPCs)"], "two egress VPCs")
	assert.Equal(t, float64(2*730), shared["Transit Gateway peering attachment hours"], "us-west-2 and eu-west-1 peer with us-east-1")
	require.NotNil(t, rep.Hub)
	assert.Equal(t, cost.HubCost{ConnectedCustomers: 10, CentralEgressCustomers: 3, OwnNATUSD: 41, CentralEgressUSD: 6.5,
		AttachmentUSD: 38.5, EgressNATGateways: 4, EgressVPCUSD: 73, BreakEven: 3}, *rep.Hub)
}
