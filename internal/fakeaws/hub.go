package fakeaws

import (
	"net/netip"
	"strings"
)

// The network hub: Transit Gateways, their route tables, attachments
// (cross-account ones must be accepted by the gateway's owner before they
// can be associated or routed to), RAM shares (a gateway is visible to an
// account only through a share whose principal contains it; OU principals
// need RAM sharing enabled in the organization) and IPAM (pools provision
// CIDRs inside their source pool; allocations lie inside a provisioned
// CIDR and never overlap).
const (
	tTGW          = "aws:ec2transitgateway/transitGateway:TransitGateway"
	tTGWTable     = "aws:ec2transitgateway/routeTable:RouteTable"
	tTGWRoute     = "aws:ec2transitgateway/route:Route"
	tTGWAssoc     = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation"
	tTGWProp      = "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation"
	tTGWAttach    = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
	tTGWAccept    = "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter"
	tShare        = "aws:ram/resourceShare:ResourceShare"
	tShareRes     = "aws:ram/resourceAssociation:ResourceAssociation"
	tSharePrin    = "aws:ram/principalAssociation:PrincipalAssociation"
	tRAMOrg       = "aws:ram/sharingWithOrganization:SharingWithOrganization"
	tIPAMAdmin    = "aws:ec2/vpcIpamOrganizationAdminAccount:VpcIpamOrganizationAdminAccount"
	tIPAM         = "aws:ec2/vpcIpam:VpcIpam"
	tIPAMPool     = "aws:ec2/vpcIpamPool:VpcIpamPool"
	tIPAMPoolCidr = "aws:ec2/vpcIpamPoolCidr:VpcIpamPoolCidr"
	tIPAMAlloc    = "aws:ec2/vpcIpamPoolCidrAllocation:VpcIpamPoolCidrAllocation"
)

func hubKinds() []*kind {
	tgwRef := func(c *opCtx, in map[string]any) (*Record, error) {
		id, _ := str(in, "transitGatewayId")
		return mustFind(c, tTGW, id, "InvalidTransitGatewayID.NotFound", "Transit Gateway %s was deleted or does not exist.")
	}
	tableRef := func(c *opCtx, in map[string]any) (*Record, error) {
		id, _ := str(in, "transitGatewayRouteTableId")
		return mustFind(c, tTGWTable, id, "InvalidRouteTableID.NotFound", "Transit Gateway Route Table %s was deleted or does not exist.")
	}
	onTable := func(token, label string, one bool) *kind {
		return &kind{
			token: token, label: label,
			replaces: []string{"transitGatewayAttachmentId", "transitGatewayRouteTableId"},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				rt, err := tableRef(c, in)
				if err != nil {
					return err
				}
				att, _ := str(in, "transitGatewayAttachmentId")
				if err := usableAttachment(c, att, rt.Inputs["transitGatewayId"]); err != nil {
					return err
				}
				dup, err := c.findWhere(token, selfID, func(r *Record) bool {
					return r.Inputs["transitGatewayAttachmentId"] == att && (one || r.Inputs["transitGatewayRouteTableId"] == rt.ID)
				})
				if err != nil {
					return err
				}
				if len(dup) > 0 {
					// An attachment is associated with one route table
					// (Resource.AlreadyAssociated); a propagation is unique.
					return awsErr("Resource.AlreadyAssociated", "Transit Gateway Attachment %s is already %s", att, strings.ToLower(label))
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				rt, _ := str(in, "transitGatewayRouteTableId")
				att, _ := str(in, "transitGatewayAttachmentId")
				return rt + "_" + att, map[string]any{"resourceId": "", "resourceType": "vpc"}, nil
			},
		}
	}
	return []*kind{
		{
			token: tTGW, label: "EC2 Transit Gateway", tagsAll: true,
			replaces: []string{"amazonSideAsn"},
			outputs:  []string{"arn", "ownerId", "associationDefaultRouteTableId", "propagationDefaultRouteTableId"},
			static: func(in map[string]any) []failure {
				if asn, ok := num(in, "amazonSideAsn"); ok && !(asn >= 64512 && asn <= 65534 || asn >= 4200000000 && asn <= 4294967294) {
					return []failure{failf("amazonSideAsn", "InvalidParameterValue: must be a private ASN (64512-65534 or 4200000000-4294967294), got %v", asn)}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("tgw")
				def := ""
				if v, _ := str(in, "defaultRouteTableAssociation"); v != "disable" {
					def = ec2ID("tgw-rtb")
				}
				return id, map[string]any{"arn": ec2Arn(c, "transit-gateway", id), "ownerId": c.account,
					"associationDefaultRouteTableId": def, "propagationDefaultRouteTableId": def}, nil
			},
		},
		{
			token: tTGWTable, label: "EC2 Transit Gateway Route Table", tagsAll: true,
			replaces: []string{"transitGatewayId"},
			outputs:  []string{"arn", "defaultAssociationRouteTable", "defaultPropagationRouteTable"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				_, err := tgwRef(c, in)
				return err
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("tgw-rtb")
				return id, map[string]any{"arn": ec2Arn(c, "transit-gateway-route-table", id),
					"defaultAssociationRouteTable": false, "defaultPropagationRouteTable": false}, nil
			},
			remove: func(c *opCtx, rec *Record) error {
				in, err := c.findWhere(tTGWAssoc, "", func(r *Record) bool { return r.Inputs["transitGatewayRouteTableId"] == rec.ID })
				if err == nil && len(in) > 0 {
					return awsErr("IncorrectState", "Transit Gateway Route Table %s has associations", rec.ID)
				}
				return err
			},
		},
		{
			token: tTGWRoute, label: "EC2 Transit Gateway Route",
			replaces: []string{"destinationCidrBlock", "transitGatewayRouteTableId", "transitGatewayAttachmentId", "blackhole"},
			static: func(in map[string]any) []failure {
				return cidrFailures(in, "destinationCidrBlock", 0, 32, true)
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				rt, err := tableRef(c, in)
				if err != nil {
					return err
				}
				att, hasAtt := str(in, "transitGatewayAttachmentId")
				if bh, _ := in["blackhole"].(bool); bh == hasAtt {
					return awsErr("InvalidParameterCombination", "a transit gateway route is either a blackhole or has an attachment")
				}
				if hasAtt {
					if err := usableAttachment(c, att, rt.Inputs["transitGatewayId"]); err != nil {
						return err
					}
				}
				dest, _ := str(in, "destinationCidrBlock")
				dup, err := c.findWhere(tTGWRoute, selfID, func(r *Record) bool {
					return r.Inputs["transitGatewayRouteTableId"] == rt.ID && r.Inputs["destinationCidrBlock"] == dest
				})
				if err == nil && len(dup) > 0 {
					return awsErr("RouteAlreadyExists", "Route %s already exists in Transit Gateway Route Table %s", dest, rt.ID)
				}
				return err
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				rt, _ := str(in, "transitGatewayRouteTableId")
				dest, _ := str(in, "destinationCidrBlock")
				return rt + "_" + dest, map[string]any{}, nil
			},
		},
		onTable(tTGWAssoc, "Associated", true),
		onTable(tTGWProp, "Propagating", false),
		{
			token: tTGWAttach, label: "EC2 Transit Gateway VPC Attachment", tagsAll: true,
			replaces: []string{"transitGatewayId", "vpcId"},
			outputs:  []string{"vpcOwnerId", "state"},
			validate: attachValidate,
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				tgw, _ := str(in, "transitGatewayId")
				state := "available"
				if owner, _ := tgwOwner(c, tgw); owner != c.account {
					state = "pendingAcceptance"
				}
				return ec2ID("tgw-attach"), map[string]any{"vpcOwnerId": c.account, "state": state}, nil
			},
		},
		{
			token: tTGWAccept, label: "EC2 Transit Gateway VPC Attachment Accepter", tagsAll: true,
			replaces: []string{"transitGatewayAttachmentId"},
			outputs:  []string{"transitGatewayId", "vpcId", "vpcOwnerId", "subnetIds"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				id, _ := str(in, "transitGatewayAttachmentId")
				att, err := attachmentAnywhere(c, id)
				if err != nil {
					return err
				}
				if att == nil {
					return awsErr("InvalidTransitGatewayAttachmentID.NotFound", "Transit Gateway Attachment %s was deleted or does not exist.", id)
				}
				tgw, _ := str(att.Inputs, "transitGatewayId")
				if owner, _ := tgwOwner(c, tgw); owner != c.account {
					return awsErr("InvalidTransitGatewayAttachmentID.NotFound", "attachment %s is to transit gateway %s, which account %s does not own", id, tgw, c.account)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id, _ := str(in, "transitGatewayAttachmentId")
				att, _ := attachmentAnywhere(c, id)
				return id, map[string]any{"transitGatewayId": att.Inputs["transitGatewayId"], "vpcId": att.Inputs["vpcId"],
					"vpcOwnerId": att.Account, "subnetIds": att.Inputs["subnetIds"]}, nil
			},
		},
		{
			token: tShare, label: "RAM Resource Share", tagsAll: true, outputs: []string{"arn"},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				arn := "arn:aws:ram:" + c.region + ":" + c.account + ":resource-share/" + randomString(hexDigits, 32)
				return arn, map[string]any{"arn": arn}, nil
			},
		},
		{
			token: tShareRes, label: "RAM Resource Association", replaces: []string{"resourceShareArn", "resourceArn"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				share, _ := str(in, "resourceShareArn")
				if _, err := mustFind(c, tShare, share, "UnknownResourceException", "ResourceShare %s could not be found."); err != nil {
					return err
				}
				if arn, _ := str(in, "resourceArn"); !strings.Contains(arn, ":"+c.account+":") {
					return awsErr("OperationNotPermittedException", "account %s does not own %s", c.account, arn)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				share, _ := str(in, "resourceShareArn")
				arn, _ := str(in, "resourceArn")
				return share + "," + arn, map[string]any{}, nil
			},
		},
		{
			token: tSharePrin, label: "RAM Principal Association", replaces: []string{"resourceShareArn", "principal"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				share, _ := str(in, "resourceShareArn")
				if _, err := mustFind(c, tShare, share, "UnknownResourceException", "ResourceShare %s could not be found."); err != nil {
					return err
				}
				p, _ := str(in, "principal")
				if strings.HasPrefix(p, "arn:aws:organizations::") {
					on, err := c.tx.list(c.mgmt(), tRAMOrg) // any region: an organization setting
					if err != nil {
						return err
					}
					if len(on) == 0 {
						// AssociateResourceShare with an OU or the organization
						// before EnableSharingWithAwsOrganization.
						return awsErr("OperationNotPermittedException", "sharing with %s needs RAM sharing with AWS Organizations enabled", p)
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				share, _ := str(in, "resourceShareArn")
				p, _ := str(in, "principal")
				return share + "," + p, map[string]any{}, nil
			},
		},
		{
			token: tRAMOrg, label: "RAM Sharing With Organization", org: true,
			build: func(c *opCtx, _ map[string]any) (string, map[string]any, error) {
				return c.account, map[string]any{}, nil
			},
		},
		{
			token: tIPAMAdmin, label: "IPAM Organization Admin Account", org: true,
			replaces: []string{"delegatedAdminAccountId"},
			outputs:  []string{"arn", "email", "name", "servicePrincipal"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				id, _ := str(in, "delegatedAdminAccountId")
				a, err := c.tx.get(c.mgmt(), "", tAccount, id)
				if err != nil {
					return err
				}
				if a == nil {
					return awsErr("InvalidParameterValue", "account %s is not a member of the organization", id)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id, _ := str(in, "delegatedAdminAccountId")
				return id, map[string]any{"arn": "arn:aws:organizations::" + c.account + ":account/" + id, "email": "", "name": "", "servicePrincipal": "ipam.amazonaws.com"}, nil
			},
		},
		{
			token: tIPAM, label: "IPAM", tagsAll: true,
			outputs: []string{"arn", "privateDefaultScopeId", "publicDefaultScopeId", "scopeCount"},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("ipam")
				return id, map[string]any{"arn": ec2Arn(c, "ipam", id), "privateDefaultScopeId": ec2ID("ipam-scope"),
					"publicDefaultScopeId": ec2ID("ipam-scope"), "scopeCount": 2.0}, nil
			},
		},
		{
			token: tIPAMPool, label: "IPAM Pool", tagsAll: true,
			replaces: []string{"addressFamily", "ipamScopeId", "locale", "sourceIpamPoolId"},
			outputs:  []string{"arn", "ipamScopeType", "poolDepth", "state"},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				if src, ok := str(in, "sourceIpamPoolId"); ok {
					_, err := mustFind(c, tIPAMPool, src, "InvalidIpamPoolId.NotFound", "The pool ID '%s' does not exist")
					return err
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := ec2ID("ipam-pool")
				return id, map[string]any{"arn": ec2Arn(c, "ipam-pool", id), "ipamScopeType": "private", "poolDepth": 1.0, "state": "create-complete"}, nil
			},
		},
		{
			token: tIPAMPoolCidr, label: "IPAM Pool CIDR", replaces: []string{"ipamPoolId", "cidr"},
			outputs: []string{"ipamPoolCidrId"},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				pool, cidr, err := poolAndCIDR(c, in)
				if err != nil {
					return err
				}
				if src, ok := str(pool.Inputs, "sourceIpamPoolId"); ok && !insideProvisioned(c, src, cidr) {
					return awsErr("InvalidParameterValue", "%s is not inside a CIDR provisioned to source pool %s", cidr, src)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				pool, _ := str(in, "ipamPoolId")
				cidr, _ := str(in, "cidr")
				return cidr + "_" + pool, map[string]any{"ipamPoolCidrId": ec2ID("ipam-pool-cidr")}, nil
			},
		},
		{
			token: tIPAMAlloc, label: "IPAM Pool CIDR Allocation", replaces: []string{"ipamPoolId", "cidr", "netmaskLength"},
			outputs: []string{"ipamPoolAllocationId", "resourceId", "resourceOwner", "resourceType"},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				pool, cidr, err := poolAndCIDR(c, in)
				if err != nil {
					return err
				}
				if !insideProvisioned(c, pool.ID, cidr) {
					return awsErr("InvalidParameterValue", "%s is not inside a CIDR provisioned to pool %s", cidr, pool.ID)
				}
				others, err := c.findWhere(tIPAMAlloc, selfID, func(r *Record) bool { return r.Inputs["ipamPoolId"] == pool.ID })
				if err != nil {
					return err
				}
				for _, o := range others {
					if p, err := netip.ParsePrefix(o.Inputs["cidr"].(string)); err == nil && p.Overlaps(cidr) {
						// AllocateIpamPoolCidr: the CIDR is already allocated.
						return awsErr("InvalidParameterValue", "%s overlaps allocation %s in pool %s", cidr, p, pool.ID)
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				pool, _ := str(in, "ipamPoolId")
				id := ec2ID("ipam-pool-alloc")
				return id + "_" + pool, map[string]any{"ipamPoolAllocationId": id, "resourceId": "", "resourceOwner": c.account, "resourceType": "custom"}, nil
			},
		},
	}
}

// poolAndCIDR resolves an IPAM input's pool and parses its CIDR.
func poolAndCIDR(c *opCtx, in map[string]any) (*Record, netip.Prefix, error) {
	id, _ := str(in, "ipamPoolId")
	pool, err := mustFind(c, tIPAMPool, id, "InvalidIpamPoolId.NotFound", "The pool ID '%s' does not exist")
	if err != nil {
		return nil, netip.Prefix{}, err
	}
	s, _ := str(in, "cidr")
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return nil, netip.Prefix{}, awsErr("InvalidParameterValue", "%q is not a CIDR", s)
	}
	return pool, p, nil
}

// insideProvisioned reports whether cidr lies in a CIDR provisioned to pool.
func insideProvisioned(c *opCtx, pool string, cidr netip.Prefix) bool {
	cs, err := c.findWhere(tIPAMPoolCidr, "", func(r *Record) bool { return r.Inputs["ipamPoolId"] == pool })
	if err != nil {
		return false
	}
	for _, r := range cs {
		if p, err := netip.ParsePrefix(r.Inputs["cidr"].(string)); err == nil && p.Bits() <= cidr.Bits() && p.Contains(cidr.Addr()) {
			return true
		}
	}
	return false
}

// inAnyAccount finds a record of a type by id in the operation's region,
// in whichever account holds it (nil when none does).
func inAnyAccount(c *opCtx, typ, id string) (*Record, error) {
	accts, err := c.tx.accountDirs()
	if err != nil {
		return nil, err
	}
	for _, a := range accts {
		r, err := c.tx.get(a, c.region, typ, id)
		if err != nil || r != nil {
			return r, err
		}
	}
	return nil, nil
}

// tgwOwner finds a gateway in the operation's region in any account.
func tgwOwner(c *opCtx, id string) (string, *Record) {
	r, err := inAnyAccount(c, tTGW, id)
	if err != nil || r == nil {
		return "", nil
	}
	return r.Account, r
}

// attachmentAnywhere finds a VPC attachment by id in any account.
func attachmentAnywhere(c *opCtx, id string) (*Record, error) { return inAnyAccount(c, tTGWAttach, id) }

// usableAttachment: the attachment is to gateway tgw and available in the
// owner's account: made there, or made elsewhere and accepted there.
func usableAttachment(c *opCtx, id string, tgw any) error {
	att, err := attachmentAnywhere(c, id)
	if err != nil {
		return err
	}
	if att == nil || att.Inputs["transitGatewayId"] != tgw {
		return awsErr("InvalidTransitGatewayAttachmentID.NotFound", "Transit Gateway Attachment %s was deleted or does not exist on %v.", id, tgw)
	}
	if att.Account == c.account {
		return nil
	}
	acc, err := c.find(tTGWAccept, id)
	if err != nil {
		return err
	}
	if acc == nil {
		return awsErr("IncorrectState", "Transit Gateway Attachment %s is in state pendingAcceptance", id)
	}
	return nil
}

// attachValidate: the gateway is the account's own or shared with it, the
// subnets are the VPC's, one per zone.
func attachValidate(c *opCtx, in map[string]any, _ string) error {
	tgw, _ := str(in, "transitGatewayId")
	owner, rec := tgwOwner(c, tgw)
	if rec == nil {
		return awsErr("InvalidTransitGatewayID.NotFound", "Transit Gateway %s was deleted or does not exist.", tgw)
	}
	if owner != c.account && !sharedWith(c, owner, rec.Outputs["arn"], c.account) {
		// A gateway of another account is invisible until shared.
		return awsErr("InvalidTransitGatewayID.NotFound", "Transit Gateway %s was deleted or does not exist (not shared with account %s).", tgw, c.account)
	}
	vpc, err := vpcOf(c, in)
	if err != nil {
		return err
	}
	zones := map[string]bool{}
	for _, id := range stringList(in["subnetIds"]) {
		sn, err := mustFind(c, tSubnet, id, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist")
		if err != nil {
			return err
		}
		if sn.Inputs["vpcId"] != vpc.ID {
			return awsErr("InvalidParameterValue", "subnet %s is not in VPC %s", id, vpc.ID)
		}
		az, _ := str(sn.Outputs, "availabilityZone")
		if zones[az] {
			return awsErr("DuplicateSubnetsInSameZone", "Duplicate Subnets for same AZ %s", az)
		}
		zones[az] = true
	}
	return nil
}

// sharedWith reports whether a RAM share of owner holds resource and has a
// principal containing account: the account itself, the organization, or
// an OU above it.
func sharedWith(c *opCtx, owner string, resource any, account string) bool {
	res, _ := c.tx.listIn(owner, c.region, tShareRes)
	prins, _ := c.tx.listIn(owner, c.region, tSharePrin)
	for _, r := range res {
		if r.Inputs["resourceArn"] != resource {
			continue
		}
		for _, p := range prins {
			if p.Inputs["resourceShareArn"] == r.Inputs["resourceShareArn"] && principalContains(c, p.Inputs["principal"], account) {
				return true
			}
		}
	}
	return false
}

func principalContains(c *opCtx, principal any, account string) bool {
	p, _ := principal.(string)
	if p == account || strings.Contains(p, ":organization/") {
		return p == account || strings.HasSuffix(p, "/"+c.srv.opts.OrganizationID)
	}
	i := strings.LastIndex(p, "/ou-")
	if !strings.Contains(p, ":ou/") || i < 0 {
		return false
	}
	ou := p[i+1:]
	acct, err := c.tx.get(c.mgmt(), "", tAccount, account)
	if err != nil || acct == nil {
		return false
	}
	parent, _ := str(acct.Inputs, "parentId")
	for range 6 {
		if parent == ou {
			return true
		}
		o, err := c.tx.get(c.mgmt(), "", tOU, parent)
		if err != nil || o == nil {
			return false
		}
		parent, _ = str(o.Inputs, "parentId")
	}
	return false
}
