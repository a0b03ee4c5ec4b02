package plan

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
)

// Hub is the plan's network hub section, read from the registered
// resources: per region the Transit Gateway's route tables with what is
// associated with each, what propagates into it and its static routes; the
// pools and each hub customer's CIDR.
type Hub struct {
	NetworkAccountID string      `json:"networkAccountId"`
	Supernet         string      `json:"supernet"`
	Regions          []HubRegion `json:"regions"`
}

// HubRegion is one region's hub.
type HubRegion struct {
	Region string `json:"region"`
	ASN    int    `json:"asn"`
	// EgressVPC is the egress VPC's CIDR ("" without one).
	EgressVPC   string          `json:"egressVpc,omitempty"`
	PeeredWith  string          `json:"peeredWith,omitempty"`
	RouteTables []HubRouteTable `json:"routeTables"`
	// Pools are the IPAM pools (shared and per tier) by CIDR, with the
	// customers allocated or recorded in each.
	Pools []HubPool `json:"pools"`
}

// HubRouteTable is one Transit Gateway route table.
type HubRouteTable struct {
	Name       string   `json:"name"`
	Associated []string `json:"associated"`
	Propagated []string `json:"propagated"`
	// Static routes as "<cidr> -> <attachment>" or "<cidr> blackhole".
	Static []string `json:"static"`
}

// HubPool is an IPAM pool and its customers ("<key> <cidr>").
type HubPool struct {
	Name      string   `json:"name"`
	CIDR      string   `json:"cidr"`
	Customers []string `json:"customers"`
}

// hubOf reads the hub (nil without one).
func hubOf(ix *index, p *landingzone.Plan) *Hub {
	if p.Hub == nil {
		return nil
	}
	h := &Hub{NetworkAccountID: p.Hub.AccountID, Supernet: p.Hub.Supernet.String()}
	regions := map[string]*HubRegion{}
	region := func(name string) *HubRegion {
		if regions[name] == nil {
			regions[name] = &HubRegion{Region: name, RouteTables: []HubRouteTable{}, Pools: []HubPool{}}
		}
		return regions[name]
	}
	tables := map[string]*HubRouteTable{}
	pools := map[string]*HubPool{}
	// regionOf is the hub region a resource belongs to, from its
	// network-<region> provider.
	regionOf := func(r recorder.Resource) string {
		if i, ok := ix.byURN[r.ProviderURN]; ok {
			return str(ix.res[i].Inputs, "region")
		}
		return ""
	}
	label := func(r recorder.Resource, input string) string {
		att, ok := ix.ref(r, input)
		switch {
		case !ok:
			return str(r.Inputs, input)
		case att.Type == "aws:ec2transitgateway/peeringAttachment:PeeringAttachment":
			return "peering " + str(att.Inputs, "peerRegion") + "<->" + regionOf(att)
		case ix.owner(att.URN).customer != "":
			return ix.owner(att.URN).customer
		}
		return "egress VPC"
	}
	// Route tables first, so the pointers into RouteTables stay valid;
	// then tables by resource name.
	for _, r := range ix.res {
		if r.Type == "aws:ec2transitgateway/routeTable:RouteTable" {
			hr := region(regionOf(r))
			hr.RouteTables = append(hr.RouteTables, HubRouteTable{Name: strings.TrimPrefix(r.Name, "hub-"+hr.Region+"-rt-"),
				Associated: []string{}, Propagated: []string{}, Static: []string{}})
		}
	}
	for _, hr := range regions {
		for i := range hr.RouteTables {
			tables["hub-"+hr.Region+"-rt-"+hr.RouteTables[i].Name] = &hr.RouteTables[i]
		}
	}
	byName := func(r recorder.Resource) *HubRouteTable {
		if rt, ok := ix.ref(r, "transitGatewayRouteTableId"); ok {
			return tables[rt.Name]
		}
		return nil
	}
	for _, r := range ix.res {
		switch r.Type {
		case "aws:ec2transitgateway/transitGateway:TransitGateway":
			region(regionOf(r)).ASN = num(r.Inputs, "amazonSideAsn")
		case awsxVPCType:
			// A remote component: its providers are its children's, so
			// the region is in its name, hub-<region>-egress.
			region(strings.TrimSuffix(strings.TrimPrefix(r.Name, "hub-"), "-egress")).EgressVPC = str(r.Inputs, "cidrBlock")
		case "aws:ec2transitgateway/peeringAttachment:PeeringAttachment":
			region(regionOf(r)).PeeredWith = str(r.Inputs, "peerRegion")
		case "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation":
			if t := byName(r); t != nil {
				t.Associated = append(t.Associated, label(r, "transitGatewayAttachmentId"))
			}
		case "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation":
			if t := byName(r); t != nil {
				t.Propagated = append(t.Propagated, label(r, "transitGatewayAttachmentId"))
			}
		case "aws:ec2transitgateway/route:Route":
			if t := byName(r); t != nil {
				dest := str(r.Inputs, "destinationCidrBlock")
				if b, ok := r.Inputs["blackhole"]; ok && b.IsBool() && b.BoolValue() {
					t.Static = append(t.Static, dest+" blackhole")
				} else {
					t.Static = append(t.Static, dest+" -> "+label(r, "transitGatewayAttachmentId"))
				}
			}
		case "aws:ec2/vpcIpamPool:VpcIpamPool":
			if locale := str(r.Inputs, "locale"); locale != "" {
				key := strings.TrimPrefix(r.Name, "ipam-pool-"+locale)
				if key == "" {
					continue // the region's own pool
				}
				hr := region(locale)
				hr.Pools = append(hr.Pools, HubPool{Name: strings.TrimPrefix(key, "-"), Customers: []string{}})
			}
		}
	}
	for _, hr := range regions {
		for i := range hr.Pools {
			pools[hr.Region+"/"+hr.Pools[i].Name] = &hr.Pools[i]
		}
	}
	for _, cs := range p.Customers {
		if hp := pools[cs.Region+"/"+cs.Tier.Key]; hp != nil && cs.Pool.IsValid() {
			hp.CIDR = cs.Pool.String()
			how := "explicit"
			if cs.Allocated {
				how = "allocated"
			}
			hp.Customers = append(hp.Customers, fmt.Sprintf("%s %s (%s)", cs.Customer.Key, cs.Layout.VPC, how))
		}
	}
	for _, r := range p.Hub.Regions {
		if hp := pools[r.Region+"/shared"]; hp != nil {
			hp.CIDR = r.SharedPool.String()
			if r.Egress {
				hp.Customers = append(hp.Customers, "egress VPC "+r.EgressCIDR.String())
			}
		}
		for _, t := range r.Tiers {
			if hp := pools[r.Region+"/"+t.Tier.Key]; hp != nil {
				hp.CIDR = t.Pool.String()
			}
		}
	}
	for _, name := range sortedKeys(regions) {
		hr := regions[name]
		for i := range hr.RouteTables {
			t := &hr.RouteTables[i]
			sort.Strings(t.Associated)
			sort.Strings(t.Propagated)
			sort.Strings(t.Static)
		}
		h.Regions = append(h.Regions, *hr)
	}
	return h
}

// awsxVPCType is the egress VPC's type.
const awsxVPCType = "awsx:ec2:Vpc"

func (r *Report) writeHub(w io.Writer) {
	h := r.Hub
	if h == nil {
		fmt.Fprintf(w, "No network hub (set tierzone:%s to build one).\n", landingzone.KeyNetworkAccountID)
		return
	}
	fmt.Fprintf(w, "Network account %s, supernet %s. No default route table association or propagation; isolation is the tables below.\n", h.NetworkAccountID, h.Supernet)
	for _, hr := range h.Regions {
		fmt.Fprintf(w, "\n%s: Transit Gateway ASN %d", hr.Region, hr.ASN)
		if hr.EgressVPC != "" {
			fmt.Fprintf(w, ", egress VPC %s", hr.EgressVPC)
		}
		if hr.PeeredWith != "" {
			fmt.Fprintf(w, ", peered with %s (shared route tables only)", hr.PeeredWith)
		}
		fmt.Fprintln(w)
		for _, t := range hr.RouteTables {
			fmt.Fprintf(w, "  route table %-12s associated: %s\n", t.Name, orNone(t.Associated))
			fmt.Fprintf(w, "  %-24s propagated: %s\n", "", orNone(t.Propagated))
			fmt.Fprintf(w, "  %-24s static:     %s\n", "", orNone(t.Static))
		}
		for _, p := range hr.Pools {
			fmt.Fprintf(w, "  pool %-12s %-16s %s\n", p.Name, p.CIDR, orNone(p.Customers))
		}
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}
