package fakeaws

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

func ec2Kinds() []*kind {
	return []*kind{
		{
			token: tVpc, label: "EC2 VPC", tagsAll: true,
			replaces: []string{"cidrBlock", "instanceTenancy", "ipv4IpamPoolId"},
			outputs: []string{"arn", "ownerId", "defaultSecurityGroupId", "defaultRouteTableId", "mainRouteTableId",
				"defaultNetworkAclId", "dhcpOptionsId", "ipv6AssociationId", "ipv6CidrBlock"},
			static: func(in map[string]any) []failure {
				return cidrFailures(in, "cidrBlock", 16, 28, true)
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("vpc")
				rtb := ec2ID("rtb")
				return id, map[string]any{
					"arn": ec2Arn(c, "vpc", id), "ownerId": c.account,
					"defaultSecurityGroupId": ec2ID("sg"), "defaultRouteTableId": rtb, "mainRouteTableId": rtb,
					"defaultNetworkAclId": ec2ID("acl"), "dhcpOptionsId": ec2ID("dopt"),
					"enableDnsSupport": defaultBool(in, "enableDnsSupport", true), "instanceTenancy": "default",
					"ipv6AssociationId": "", "ipv6CidrBlock": "",
				}, nil
			},
			remove: vpcRemove,
		},
		{
			token: tSubnet, label: "EC2 Subnet", tagsAll: true,
			replaces: []string{"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"},
			outputs:  []string{"arn", "ownerId", "availabilityZoneId"},
			static: func(in map[string]any) []failure {
				return cidrFailures(in, "cidrBlock", 16, 28, false)
			},
			validate: subnetValidate,
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("subnet")
				az, _ := str(in, "availabilityZone")
				if az == "" {
					az = c.region + "a"
				}
				return id, map[string]any{"arn": ec2Arn(c, "subnet", id), "ownerId": c.account,
					"availabilityZone": az, "availabilityZoneId": zoneID(c.region, az)}, nil
			},
			remove: subnetRemove,
		},
		{
			token: tIgw, label: "EC2 Internet Gateway", tagsAll: true,
			outputs:  []string{"arn", "ownerId"},
			validate: igwValidate,
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("igw")
				return id, map[string]any{"arn": ec2Arn(c, "internet-gateway", id), "ownerId": c.account}, nil
			},
			remove: igwRemove,
		},
		{
			token: tRouteTable, label: "EC2 Route Table", tagsAll: true,
			replaces: []string{"vpcId"},
			outputs:  []string{"arn", "ownerId"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				_, err := vpcOf(c, in)
				return err
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("rtb")
				out := map[string]any{"arn": ec2Arn(c, "route-table", id), "ownerId": c.account}
				if !known(in, "routes") {
					out["routes"] = []any{}
				}
				if !known(in, "propagatingVgws") {
					out["propagatingVgws"] = []any{}
				}
				return id, out, nil
			},
			remove: routeTableRemove,
		},
		{
			token: tRTAssoc, label: "EC2 Route Table Association",
			replaces: []string{"subnetId", "gatewayId"},
			validate: rtAssocValidate,
			build: func(*opCtx, map[string]any) (string, map[string]any, error) {
				return ec2ID("rtbassoc"), nil, nil
			},
		},
		{
			token: tRoute, label: "Route",
			replaces: []string{"routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"},
			outputs:  []string{"state", "origin", "instanceOwnerId"},
			static: func(in map[string]any) []failure {
				return cidrFailures(in, "destinationCidrBlock", 0, 32, true)
			},
			validate: routeValidate,
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				rtb, _ := str(in, "routeTableId")
				dest, _ := str(in, "destinationCidrBlock")
				return routeID(rtb, dest), map[string]any{"state": "active", "origin": "CreateRoute", "instanceOwnerId": ""}, nil
			},
		},
		{
			token: tEip, label: "EC2 EIP", tagsAll: true,
			replaces: []string{"domain", "vpc", "publicIpv4Pool", "networkBorderGroup", "address"},
			outputs:  []string{"allocationId", "publicIp", "publicDns", "privateIp", "privateDns", "associationId", "arn", "carrierIp", "customerOwnedIp", "ptrRecord"},
			static: func(in map[string]any) []failure {
				if d, ok := str(in, "domain"); ok && d != "vpc" && d != "standard" {
					// AllocateAddress Domain: vpc | standard.
					return []failure{failf("domain", "must be vpc or standard, got %q", d)}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("eipalloc")
				ip := publicIP()
				return id, map[string]any{
					"allocationId": id, "publicIp": ip, "domain": "vpc",
					"publicDns": "ec2-" + strings.ReplaceAll(ip, ".", "-") + "." + c.region + ".compute.amazonaws.com",
					"arn":       ec2Arn(c, "elastic-ip", id),
					"privateIp": "", "privateDns": "", "associationId": "", "carrierIp": "", "customerOwnedIp": "", "ptrRecord": "",
				}, nil
			},
			remove: eipRemove,
		},
		{
			token: tNat, label: "EC2 NAT Gateway", tagsAll: true,
			replaces: []string{"allocationId", "subnetId", "connectivityType", "privateIp"},
			outputs:  []string{"publicIp", "privateIp", "networkInterfaceId", "associationId"},
			static: func(in map[string]any) []failure {
				if t, ok := str(in, "connectivityType"); ok && t != "public" && t != "private" {
					// CreateNatGateway ConnectivityType: public | private.
					return []failure{failf("connectivityType", "must be public or private, got %q", t)}
				}
				return nil
			},
			validate: natValidate,
			build:    natBuild,
		},
		{
			token: tVgw, label: "EC2 VPN Gateway", tagsAll: true,
			replaces: []string{"availabilityZone", "amazonSideAsn"},
			outputs:  []string{"arn"},
			validate: vgwValidate,
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("vgw")
				out := map[string]any{"arn": ec2Arn(c, "vpn-gateway", id)}
				if _, ok := str(in, "amazonSideAsn"); !ok {
					// CreateVpnGateway: the default Amazon side ASN is 64512.
					out["amazonSideAsn"] = "64512"
				}
				return id, out, nil
			},
			remove: vgwRemove,
		},
		{
			token: tVgwProp, label: "EC2 VPN Gateway Route Propagation",
			replaces: []string{"vpnGatewayId", "routeTableId"},
			validate: vgwPropValidate,
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				vgw, _ := str(in, "vpnGatewayId")
				rtb, _ := str(in, "routeTableId")
				// pulumi-aws id: "<vpn gateway id>_<route table id>".
				return vgw + "_" + rtb, nil, nil
			},
		},
		{
			token: tDefaultSG, label: "EC2 Default Security Group", tagsAll: true,
			replaces: []string{"vpcId"},
			outputs:  []string{"arn", "ownerId", "name", "description"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				_, err := vpcOf(c, in)
				return err
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				vpc, err := vpcOf(c, in)
				if err != nil {
					return "", nil, err
				}
				// The resource adopts the VPC's default security group.
				id, _ := str(vpc.Outputs, "defaultSecurityGroupId")
				out := map[string]any{"arn": ec2Arn(c, "security-group", id), "ownerId": c.account,
					"name": "default", "description": "default VPC security group"}
				for _, k := range []string{"ingress", "egress"} {
					if !known(in, k) {
						out[k] = []any{}
					}
				}
				return id, out, nil
			},
		},
		{
			token: tFlowLog, label: "Flow Log", tagsAll: true,
			replaces: []string{"vpcId", "subnetId", "eniId", "transitGatewayId", "transitGatewayAttachmentId", "trafficType",
				"logDestination", "logDestinationType", "logGroupName", "iamRoleArn", "maxAggregationInterval", "logFormat",
				"destinationOptions", "deliverCrossAccountRole"},
			outputs:  []string{"arn", "logFormat"},
			static:   flowLogStatic,
			validate: flowLogValidate,
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("fl")
				out := map[string]any{"arn": ec2Arn(c, "vpc-flow-log", id)}
				if _, ok := str(in, "logFormat"); !ok {
					// CreateFlowLogs: the default (version 2) format.
					out["logFormat"] = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
				}
				if _, ok := num(in, "maxAggregationInterval"); !ok {
					out["maxAggregationInterval"] = 600.0
				}
				if t, _ := str(in, "logDestinationType"); t == "" {
					out["logDestinationType"] = "cloud-watch-logs"
				}
				return id, out, nil
			},
		},
	}
}

func ec2Arn(c *opCtx, kind, id string) string {
	return fmt.Sprintf("arn:aws:ec2:%s:%s:%s/%s", c.region, c.account, kind, id)
}

func defaultBool(in map[string]any, key string, def bool) bool {
	if b, ok := in[key].(bool); ok {
		return b
	}
	return def
}

// zoneID is a plausible AZ id ("use1-az1") for a zone name.
func zoneID(region, az string) string {
	parts := strings.Split(region, "-")
	short := ""
	for _, p := range parts {
		if p != "" {
			short += p[:1]
		}
	}
	short = short[:len(short)-1] + parts[len(parts)-1]
	return fmt.Sprintf("%s-az%d", short, int(az[len(az)-1]-'a')+1)
}

// cidrFailures checks an IPv4 CIDR and its prefix length.
func cidrFailures(in map[string]any, key string, minLen, maxLen int, required bool) []failure {
	s, ok := str(in, key)
	if !ok {
		if required && !known(in, key) {
			return nil
		}
		if required && known(in, key) {
			return []failure{failf(key, "is required")}
		}
		return nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() || p.Masked() != p {
		// EC2 InvalidParameterValue: "This is not a valid CIDR block".
		return []failure{failf(key, "InvalidParameterValue: Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.", s)}
	}
	if p.Bits() < minLen || p.Bits() > maxLen {
		// VPC user guide, "VPC CIDR blocks": IPv4 blocks between /16 and
		// /28 (CreateVpc InvalidVpc.Range, CreateSubnet InvalidSubnet.Range).
		code := "InvalidVpc.Range"
		if !required {
			code = "InvalidSubnet.Range"
		}
		return []failure{failf(key, "%s: The CIDR '%s' is invalid: the prefix length must be between /%d and /%d.", code, s, minLen, maxLen)}
	}
	return nil
}

// vpcOf returns the VPC named by in["vpcId"] in the operation's account.
func vpcOf(c *opCtx, in map[string]any) (*Record, error) {
	id, _ := str(in, "vpcId")
	return mustFind(c, tVpc, id, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist")
}

// mustFind returns the record or the EC2 NotFound error.
func mustFind(c *opCtx, typ, id, code, format string) (*Record, error) {
	r, err := c.find(typ, id)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, awsErr(code, format, id)
	}
	return r, nil
}

func subnetValidate(c *opCtx, in map[string]any, selfID string) error {
	vpc, err := vpcOf(c, in)
	if err != nil {
		return err
	}
	if az, ok := str(in, "availabilityZone"); ok && !zoneInRegion(c.region, az) {
		// CreateSubnet: InvalidParameterValue for a zone outside the
		// provider's region (EC2 API error codes).
		letters, _ := regionZones(c.region)
		var zones []string
		for _, l := range letters {
			zones = append(zones, c.region+string(l))
		}
		return awsErr("InvalidParameterValue", "Value (%s) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: %s.", az, strings.Join(zones, ", "))
	}
	cidr, _ := str(in, "cidrBlock")
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return awsErr("InvalidParameterValue", "Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.", cidr)
	}
	vcidr, _ := str(vpc.Outputs, "cidrBlock")
	vp, err := netip.ParsePrefix(vcidr)
	if err != nil || !vp.Contains(p.Addr()) || p.Bits() < vp.Bits() {
		// CreateSubnet: InvalidSubnet.Range (the block is not inside the VPC).
		return awsErr("InvalidSubnet.Range", "The CIDR '%s' is invalid (it is not inside the VPC's %s).", cidr, vcidr)
	}
	siblings, err := c.findWhere(tSubnet, selfID, func(r *Record) bool { return r.Inputs["vpcId"] == vpc.ID })
	if err != nil {
		return err
	}
	for _, s := range siblings {
		sc, _ := str(s.Inputs, "cidrBlock")
		if sp, err := netip.ParsePrefix(sc); err == nil && sp.Overlaps(p) {
			// CreateSubnet: InvalidSubnet.Conflict.
			return awsErr("InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet (%s, %s)", cidr, s.ID, sc)
		}
	}
	return nil
}

func inVpc(vpcID string) func(*Record) bool {
	return func(r *Record) bool { return r.Inputs["vpcId"] == vpcID }
}

// dependencyViolation is EC2's error for deleting what others still use
// (EC2 API error codes, DependencyViolation).
func dependencyViolation(what, id string, users []*Record) error {
	var ids []string
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	return awsErr("DependencyViolation", "The %s '%s' has dependencies and cannot be deleted. (still used by %s)", what, id, strings.Join(ids, ", "))
}

func vpcRemove(c *opCtx, rec *Record) error {
	var users []*Record
	for _, typ := range []string{tSubnet, tIgw, tVgw, tFlowLog} {
		rs, err := c.findWhere(typ, "", inVpc(rec.ID))
		if err != nil {
			return err
		}
		users = append(users, rs...)
	}
	rts, err := c.findWhere(tRouteTable, "", inVpc(rec.ID))
	if err != nil {
		return err
	}
	users = append(users, rts...)
	if len(users) > 0 {
		// DeleteVpc: DependencyViolation while subnets, attached gateways,
		// non-main route tables or flow logs remain.
		return dependencyViolation("vpc", rec.ID, users)
	}
	return nil
}

func subnetRemove(c *opCtx, rec *Record) error {
	nats, err := c.findWhere(tNat, "", func(r *Record) bool { return r.Inputs["subnetId"] == rec.ID })
	if err != nil {
		return err
	}
	if len(nats) > 0 {
		// DeleteSubnet: DependencyViolation while a NAT gateway's network
		// interface is in the subnet.
		return dependencyViolation("subnet", rec.ID, nats)
	}
	return nil
}

func igwValidate(c *opCtx, in map[string]any, selfID string) error {
	if _, ok := str(in, "vpcId"); !ok {
		return nil
	}
	vpc, err := vpcOf(c, in)
	if err != nil {
		return err
	}
	others, err := c.findWhere(tIgw, selfID, inVpc(vpc.ID))
	if err != nil {
		return err
	}
	if len(others) > 0 {
		// AttachInternetGateway: a VPC has at most one internet gateway
		// (Resource.AlreadyAssociated).
		return awsErr("Resource.AlreadyAssociated", "resource %s is already attached to network %s", vpc.ID, others[0].ID)
	}
	return nil
}

// publicNats are the public NAT gateways in a VPC's subnets.
func publicNats(c *opCtx, vpcID string) ([]*Record, error) {
	subnets, err := c.findWhere(tSubnet, "", inVpc(vpcID))
	if err != nil {
		return nil, err
	}
	return c.findWhere(tNat, "", func(r *Record) bool {
		t, _ := str(r.Outputs, "connectivityType")
		return t != "private" && slices.ContainsFunc(subnets, func(s *Record) bool { return s.ID == r.Inputs["subnetId"] })
	})
}

func igwRemove(c *opCtx, rec *Record) error {
	vpc, ok := str(rec.Inputs, "vpcId")
	if !ok {
		return nil
	}
	nats, err := publicNats(c, vpc)
	if err != nil {
		return err
	}
	if len(nats) > 0 {
		// DetachInternetGateway: DependencyViolation while public addresses
		// (a public NAT gateway's EIP) are mapped in the VPC.
		return awsErr("DependencyViolation", "Network %s has some mapped public address(es). Please unmap those public address(es) before detaching the gateway. (NAT gateway %s)", vpc, nats[0].ID)
	}
	return nil
}

func routeTableRemove(c *opCtx, rec *Record) error {
	assocs, err := c.findWhere(tRTAssoc, "", func(r *Record) bool { return r.Inputs["routeTableId"] == rec.ID })
	if err != nil {
		return err
	}
	if len(assocs) > 0 {
		// DeleteRouteTable: DependencyViolation while subnets are associated.
		return dependencyViolation("routeTable", rec.ID, assocs)
	}
	return nil
}

func rtAssocValidate(c *opCtx, in map[string]any, selfID string) error {
	rtbID, _ := str(in, "routeTableId")
	rtb, err := mustFind(c, tRouteTable, rtbID, "InvalidRouteTableID.NotFound", "The routeTable ID '%s' does not exist")
	if err != nil {
		return err
	}
	subnetID, hasSubnet := str(in, "subnetId")
	gwID, hasGw := str(in, "gatewayId")
	if hasSubnet == hasGw {
		// AssociateRouteTable: exactly one of SubnetId and GatewayId.
		return awsErr("InvalidParameterCombination", "exactly one of subnetId and gatewayId must be given")
	}
	if hasGw {
		_, err := gatewayOf(c, gwID)
		return err
	}
	subnet, err := mustFind(c, tSubnet, subnetID, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist")
	if err != nil {
		return err
	}
	if subnet.Inputs["vpcId"] != rtb.Inputs["vpcId"] {
		// AssociateRouteTable: InvalidParameterValue for another VPC's subnet.
		return awsErr("InvalidParameterValue", "Route table %s and subnet %s belong to different networks", rtbID, subnetID)
	}
	others, err := c.findWhere(tRTAssoc, selfID, func(r *Record) bool { return r.Inputs["subnetId"] == subnetID })
	if err != nil {
		return err
	}
	if len(others) > 0 {
		// AssociateRouteTable: a subnet has one explicit association
		// (Resource.AlreadyAssociated).
		return awsErr("Resource.AlreadyAssociated", "the specified association for route table %s conflicts with an existing association (%s)", rtbID, others[0].ID)
	}
	return nil
}

// gatewayOf returns the internet or virtual private gateway with the id.
func gatewayOf(c *opCtx, id string) (*Record, error) {
	typ := tIgw
	if strings.HasPrefix(id, "vgw-") {
		typ = tVgw
	}
	// CreateRoute/AssociateRouteTable: InvalidGatewayID.NotFound.
	return mustFind(c, typ, id, "InvalidGatewayID.NotFound", "The gateway ID '%s' does not exist")
}

func routeValidate(c *opCtx, in map[string]any, selfID string) error {
	rtbID, _ := str(in, "routeTableId")
	rtb, err := mustFind(c, tRouteTable, rtbID, "InvalidRouteTableID.NotFound", "The routeTable ID '%s' does not exist")
	if err != nil {
		return err
	}
	targets := 0
	for _, k := range []string{"gatewayId", "natGatewayId", "networkInterfaceId", "transitGatewayId", "vpcPeeringConnectionId",
		"vpcEndpointId", "egressOnlyGatewayId", "carrierGatewayId", "localGatewayId", "coreNetworkArn"} {
		if _, ok := str(in, k); ok {
			targets++
		}
	}
	if targets != 1 {
		// CreateRoute: exactly one target (InvalidParameterCombination /
		// MissingParameter).
		return awsErr("InvalidParameterCombination", "a route needs exactly one target, got %d", targets)
	}
	if gw, ok := str(in, "gatewayId"); ok && gw != "local" {
		g, err := gatewayOf(c, gw)
		if err != nil {
			return err
		}
		if g.Inputs["vpcId"] != rtb.Inputs["vpcId"] {
			// CreateRoute: InvalidParameterValue when the gateway is not
			// attached to the route table's VPC.
			return awsErr("InvalidParameterValue", "route table %s and network gateway %s belong to different networks", rtbID, gw)
		}
	}
	if nat, ok := str(in, "natGatewayId"); ok {
		if _, err := mustFind(c, tNat, nat, "InvalidNatGatewayID.NotFound", "The natGateway ID '%s' does not exist"); err != nil {
			return err
		}
	}
	dest, _ := str(in, "destinationCidrBlock")
	dup, err := c.findWhere(tRoute, selfID, func(r *Record) bool {
		return r.Inputs["routeTableId"] == rtbID && dest != "" && r.Inputs["destinationCidrBlock"] == dest
	})
	if err != nil {
		return err
	}
	if len(dup) > 0 {
		// CreateRoute: RouteAlreadyExists.
		return awsErr("RouteAlreadyExists", "The route identified by %s already exists.", dest)
	}
	return nil
}

func eipRemove(c *opCtx, rec *Record) error {
	nats, err := c.findWhere(tNat, "", func(r *Record) bool { return r.Inputs["allocationId"] == rec.ID })
	if err != nil {
		return err
	}
	if len(nats) > 0 {
		// ReleaseAddress: InvalidIPAddress.InUse while a NAT gateway uses it.
		pip, _ := str(rec.Outputs, "publicIp")
		return awsErr("InvalidIPAddress.InUse", "Address %s is in use (by NAT gateway %s).", pip, nats[0].ID)
	}
	return nil
}

func natValidate(c *opCtx, in map[string]any, selfID string) error {
	subnetID, _ := str(in, "subnetId")
	subnet, err := mustFind(c, tSubnet, subnetID, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist")
	if err != nil {
		return err
	}
	if t, _ := str(in, "connectivityType"); t == "private" {
		return nil
	}
	alloc, ok := str(in, "allocationId")
	if !ok {
		// CreateNatGateway: a public NAT gateway needs an Elastic IP
		// allocation (MissingParameter).
		return awsErr("MissingParameter", "The request must contain the parameter AllocationId for a public NAT gateway")
	}
	if _, err := mustFind(c, tEip, alloc, "InvalidAllocationID.NotFound", "The allocation ID '%s' does not exist"); err != nil {
		return err
	}
	users, err := c.findWhere(tNat, selfID, func(r *Record) bool { return r.Inputs["allocationId"] == alloc })
	if err != nil {
		return err
	}
	if len(users) > 0 {
		// CreateNatGateway: Resource.AlreadyAssociated for an EIP in use.
		return awsErr("Resource.AlreadyAssociated", "Elastic IP address [%s] is already associated (with %s)", alloc, users[0].ID)
	}
	vpcID, _ := str(subnet.Inputs, "vpcId")
	igws, err := c.findWhere(tIgw, "", inVpc(vpcID))
	if err != nil {
		return err
	}
	if len(igws) == 0 {
		// A public NAT gateway fails (state "failed") when its VPC has no
		// internet gateway: Gateway.NotAttached (VPC user guide, "NAT
		// gateways", troubleshooting).
		return fmt.Errorf("waiting for EC2 NAT Gateway create: unexpected state 'failed', wanted target 'available'. last error: Gateway.NotAttached: Network %s has no Internet gateway attached", vpcID)
	}
	return nil
}

func natBuild(c *opCtx, in map[string]any) (string, map[string]any, error) {
	id := ec2ID("nat")
	out := map[string]any{"networkInterfaceId": ec2ID("eni"), "associationId": ec2ID("eipassoc"), "publicIp": ""}
	if t, _ := str(in, "connectivityType"); t == "" {
		out["connectivityType"] = "public"
	}
	if alloc, ok := str(in, "allocationId"); ok {
		if eip, err := c.find(tEip, alloc); err == nil && eip != nil {
			out["publicIp"] = eip.Outputs["publicIp"]
		}
	}
	subnetID, _ := str(in, "subnetId")
	if s, err := c.find(tSubnet, subnetID); err == nil && s != nil {
		if p, err := netip.ParsePrefix(fmt.Sprint(s.Inputs["cidrBlock"])); err == nil {
			a := p.Addr().As4()
			a[3] += 10
			out["privateIp"] = netip.AddrFrom4(a).String()
		}
	}
	return id, out, nil
}

func vgwValidate(c *opCtx, in map[string]any, selfID string) error {
	if az, ok := str(in, "availabilityZone"); ok && !zoneInRegion(c.region, az) {
		// CreateVpnGateway: InvalidParameterValue for a zone outside the region.
		return awsErr("InvalidParameterValue", "Value (%s) for parameter availabilityZone is invalid.", az)
	}
	if _, ok := str(in, "vpcId"); !ok {
		return nil
	}
	vpc, err := vpcOf(c, in)
	if err != nil {
		return err
	}
	others, err := c.findWhere(tVgw, selfID, inVpc(vpc.ID))
	if err != nil {
		return err
	}
	if len(others) > 0 {
		// AttachVpnGateway: a VPC has one virtual private gateway at a time
		// (VPN user guide, "Virtual private gateway").
		return awsErr("InvalidParameterValue", "VPC %s is already attached to virtual private gateway %s", vpc.ID, others[0].ID)
	}
	return nil
}

func vgwRemove(c *opCtx, rec *Record) error {
	props, err := c.findWhere(tVgwProp, "", func(r *Record) bool { return r.Inputs["vpnGatewayId"] == rec.ID })
	if err != nil {
		return err
	}
	if len(props) > 0 {
		// DetachVpnGateway/DeleteVpnGateway: the gateway is still in use
		// by route propagations (IncorrectState).
		return awsErr("IncorrectState", "The vpn gateway %s is in use (route propagation %s).", rec.ID, props[0].ID)
	}
	return nil
}

func vgwPropValidate(c *opCtx, in map[string]any, _ string) error {
	vgwID, _ := str(in, "vpnGatewayId")
	vgw, err := mustFind(c, tVgw, vgwID, "InvalidVpnGatewayID.NotFound", "The vpnGateway ID '%s' does not exist")
	if err != nil {
		return err
	}
	rtbID, _ := str(in, "routeTableId")
	rtb, err := mustFind(c, tRouteTable, rtbID, "InvalidRouteTableID.NotFound", "The routeTable ID '%s' does not exist")
	if err != nil {
		return err
	}
	if vgw.Inputs["vpcId"] != rtb.Inputs["vpcId"] {
		// EnableVgwRoutePropagation: Gateway.NotAttached when the gateway
		// is not attached to the table's VPC.
		return awsErr("Gateway.NotAttached", "resource %s is not attached to the network of route table %s", vgwID, rtbID)
	}
	return nil
}

func flowLogStatic(in map[string]any) []failure {
	var fs []failure
	if t, ok := str(in, "trafficType"); ok && !slices.Contains([]string{"ACCEPT", "REJECT", "ALL"}, t) {
		// CreateFlowLogs TrafficType: ACCEPT | REJECT | ALL.
		fs = append(fs, failf("trafficType", "must be ACCEPT, REJECT or ALL, got %q", t))
	}
	if t, ok := str(in, "logDestinationType"); ok && !slices.Contains([]string{"cloud-watch-logs", "s3", "kinesis-data-firehose"}, t) {
		// CreateFlowLogs LogDestinationType.
		fs = append(fs, failf("logDestinationType", "must be cloud-watch-logs, s3 or kinesis-data-firehose, got %q", t))
	}
	if n, ok := num(in, "maxAggregationInterval"); ok && n != 60 && n != 600 {
		// CreateFlowLogs MaxAggregationInterval: 60 or 600 seconds.
		fs = append(fs, failf("maxAggregationInterval", "must be 60 or 600, got %v", n))
	}
	sources := 0
	allKnown := true
	for _, k := range []string{"vpcId", "subnetId", "eniId", "transitGatewayId", "transitGatewayAttachmentId"} {
		if _, ok := str(in, k); ok {
			sources++
		} else if _, present := in[k]; present && !known(in, k) {
			allKnown = false
		}
	}
	if allKnown && sources != 1 {
		// CreateFlowLogs: exactly one resource to log.
		fs = append(fs, failf("vpcId", "exactly one of vpcId, subnetId, eniId, transitGatewayId and transitGatewayAttachmentId must be set, got %d", sources))
	}
	return fs
}

func flowLogValidate(c *opCtx, in map[string]any, selfID string) error {
	if v, ok := str(in, "vpcId"); ok {
		if _, err := mustFind(c, tVpc, v, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist"); err != nil {
			return err
		}
	}
	if s, ok := str(in, "subnetId"); ok {
		if _, err := mustFind(c, tSubnet, s, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist"); err != nil {
			return err
		}
	}
	if _, ok := str(in, "trafficType"); !ok {
		// CreateFlowLogs: TrafficType is required for VPC, subnet and ENI logs.
		return awsErr("MissingParameter", "The request must contain the parameter TrafficType")
	}
	dtype, _ := str(in, "logDestinationType")
	if dtype == "" {
		dtype = "cloud-watch-logs"
	}
	dest, _ := str(in, "logDestination")
	role, hasRole := str(in, "iamRoleArn")
	switch dtype {
	case "cloud-watch-logs":
		if !hasRole {
			// CreateFlowLogs: DeliverLogsPermissionArn is required for
			// CloudWatch Logs destinations.
			return awsErr("InvalidParameter", "DeliverLogsPermissionArn is required when publishing to CloudWatch Logs")
		}
		if !roleArnPattern.MatchString(role) {
			return awsErr("InvalidParameter", "DeliverLogsPermissionArn %q is not an IAM role ARN", role)
		}
		groups, err := c.findWhere(tLogGroup, "", func(r *Record) bool {
			if !c.regional(r) {
				return false
			}
			if dest != "" {
				return strings.TrimSuffix(dest, ":*") == r.Outputs["arn"]
			}
			name, _ := str(in, "logGroupName")
			return r.ID == name
		})
		if err != nil {
			return err
		}
		if len(groups) == 0 {
			// CreateFlowLogs Unsuccessful: the log group must exist in the
			// account (fakeaws requires it, to catch ordering bugs).
			return awsErr("InvalidParameter", "LogDestination: log group %s does not exist in account %s", firstNonEmpty(dest, fmt.Sprint(in["logGroupName"])), c.account)
		}
	case "s3":
		if hasRole {
			// CreateFlowLogs: DeliverLogsPermissionArn is not applicable to S3.
			return awsErr("InvalidParameter", "DeliverLogsPermissionArn is not applicable for s3 as a log destination")
		}
		bucket, ok := s3DestinationBucket(dest)
		if !ok {
			return awsErr("InvalidParameter", "LogDestination %q is not an S3 bucket ARN (arn:aws:s3:::<bucket>[/prefix/])", dest)
		}
		owner, err := bucketOwner(c, bucket)
		if err != nil {
			return err
		}
		if owner == nil {
			// CreateFlowLogs Unsuccessful: "LogDestination: <bucket> does
			// not exist" (400).
			return awsErr("400", "LogDestination: %s does not exist", bucket)
		}
	}
	same, err := c.findWhere(tFlowLog, selfID, func(r *Record) bool {
		for _, k := range []string{"vpcId", "subnetId", "eniId", "trafficType", "logDestination", "logGroupName"} {
			if !sameValue(r.Inputs[k], in[k]) {
				return false
			}
		}
		return true
	})
	if err != nil {
		return err
	}
	if len(same) > 0 {
		// CreateFlowLogs Unsuccessful: FlowLogAlreadyExists.
		return awsErr("FlowLogAlreadyExists", "Error. There is an existing Flow Log with the same configuration and log destination. (%s)", same[0].ID)
	}
	return nil
}

// s3DestinationBucket parses arn:aws:s3:::<bucket>[/prefix/].
func s3DestinationBucket(dest string) (string, bool) {
	rest, ok := strings.CutPrefix(dest, "arn:aws:s3:::")
	if !ok || rest == "" {
		return "", false
	}
	bucket, _, _ := strings.Cut(rest, "/")
	return bucket, bucket != ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" && s != "<nil>" {
			return s
		}
	}
	return ""
}
