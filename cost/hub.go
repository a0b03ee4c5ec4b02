package cost

import (
	"math"
	"slices"

	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/tiers"
)

// HubCost is what central egress changes for a connected customer.
type HubCost struct {
	ConnectedCustomers     int `json:"connectedCustomers"`
	CentralEgressCustomers int `json:"centralEgressCustomers"`
	// OwnNATUSD is a customer's own NAT gateway a month (hours, its
	// address, data processed). CentralEgressUSD is the same traffic
	// through the hub for a customer that is attached anyway: the
	// gateway's and the hub NAT's processing. AttachmentUSD is the
	// attachment itself (hours and processing), which an attachment made
	// only for egress would add: more than the NAT it replaces.
	OwnNATUSD        float64 `json:"ownNatUSD"`
	CentralEgressUSD float64 `json:"centralEgressUSD"`
	AttachmentUSD    float64 `json:"attachmentUSD"`
	// EgressNATGateways counts the egress VPCs' NAT gateways, and
	// EgressVPCUSD is one egress VPC's fixed cost (its NAT gateways' hours
	// and addresses), in Shared.
	EgressNATGateways int     `json:"egressNatGateways"`
	EgressVPCUSD      float64 `json:"egressVpcUSD"`
	// BreakEven is how many central-egress customers one egress VPC needs
	// before it costs less than their own NAT gateways.
	BreakEven int `json:"breakEvenCustomersPerEgressVpc"`
}

// hubCosts collects the hub's figures during Compute's one pass.
type hubCosts struct {
	connected, central, egressNATs int
	ipam                           bool
	regions                        []string
	vpcs                           []ownedVPC
}

type ownedVPC struct{ owner, region string }

type addFunc func(owner, item string, qty float64, unit string, price Price, source string)

// egress prices an awsx egress VPC from its inputs: a NAT gateway and its
// address per zone (OnePerAz), one (Single) or none.
func (h *hubCosts) egress(r recorder.Resource, pr Prices, add addFunc) {
	zones := 0
	if v := r.Inputs["availabilityZoneNames"]; v.IsArray() {
		zones = len(v.ArrayValue())
	}
	nats := zones
	if v := r.Inputs["natGateways"]; v.IsObject() {
		switch str(v.ObjectValue(), "strategy") {
		case "Single":
			nats = 1
		case "None":
			nats = 0
		}
	}
	h.egressNATs += nats
	hours := pr.HoursPerMonth.USD
	add("", "NAT gateway hours (hub egress VPCs)", float64(nats)*hours, "hours", pr.NATGatewayHour, pr.NATGatewayHour.Source+"; one per zone of each egress VPC")
	add("", "Public IPv4 address hours (hub egress NAT EIPs)", float64(nats)*hours, "IP-hours", pr.PublicIPv4Hour, pr.PublicIPv4Hour.Source)
	h.vpcs = append(h.vpcs, ownedVPC{"", ""})
}

// activeIPs prices IPAM's active addresses in every VPC it monitors: the
// VPCs in its operating regions (the egress VPCs are in them by
// construction).
func (h *hubCosts) activeIPs(pr Prices, pa Params, add addFunc) {
	if !h.ipam {
		return
	}
	for _, v := range h.vpcs {
		if v.region != "" && !slices.Contains(h.regions, v.region) {
			continue
		}
		add(v.owner, "IPAM active IP address hours (Advanced tier)", pa.IPAMActiveIPsPerVPC.Value*pr.HoursPerMonth.USD, "IP-hours",
			pr.IPAMActiveIPHour, pr.IPAMActiveIPHour.Source+"; volume "+pa.IPAMActiveIPsPerVPC.Source)
	}
}

// summary is the per-customer comparison of own NAT and central egress.
func (h *hubCosts) summary(pr Prices, pa Params) *HubCost {
	if !h.ipam && h.connected == 0 {
		return nil
	}
	hours := pr.HoursPerMonth.USD
	natData := pr.NATGatewayPerGB.USD * pa.NATProcessedGBPerCustomerMonth.Value
	natFixed := pr.NATGatewayHour.USD*hours + pr.PublicIPv4Hour.USD*hours
	c := &HubCost{
		ConnectedCustomers: h.connected, CentralEgressCustomers: h.central, EgressNATGateways: h.egressNATs,
		OwnNATUSD:        round2(natFixed + natData),
		CentralEgressUSD: round2(pr.TGWPerGB.USD*pa.NATProcessedGBPerCustomerMonth.Value + natData),
		AttachmentUSD:    round2(pr.TGWAttachmentHour.USD*hours + pr.TGWPerGB.USD*pa.TGWProcessedGBPerAttachmentMonth.Value),
		EgressVPCUSD:     round2(natFixed * tiers.EgressAvailabilityZones),
	}
	if saved := c.OwnNATUSD - c.CentralEgressUSD; saved > 0 {
		c.BreakEven = int(math.Ceil(c.EgressVPCUSD / saved))
	}
	return c
}
