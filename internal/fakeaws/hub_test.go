package fakeaws

import "testing"

// TestHubRules: a customer can attach to another account's gateway only
// once it is shared with an OU above the customer (with RAM sharing in the
// organization on); the attachment is unusable until the gateway's owner
// accepts it; it associates with one route table only; IPAM allocations
// lie in a provisioned CIDR and never overlap.
func TestHubRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	_, net := newMember(t, o, m, "network")
	ouID, ou := mustCreate(t, m, tOU, "fintech", map[string]any{"name": "Customers-Fintech", "parentId": DefaultRootID})
	custID, _ := mustCreate(t, m, tAccount, "acme", map[string]any{"name": "acme", "email": "aws+acme@example.com",
		"roleName": DefaultAccessRole, "closeOnDeletion": false, "parentId": ouID})
	cust := memberServer(t, o, custID)
	n := newNetwork(t, cust)
	private, _ := mustCreate(t, cust, tSubnet, "private", map[string]any{"vpcId": n.vpc, "cidrBlock": "10.1.1.0/24", "availabilityZone": "us-east-1b"})

	tgw, tgwOut := mustCreate(t, net, tTGW, "tgw", map[string]any{"amazonSideAsn": 64512.0, "defaultRouteTableAssociation": "disable"})
	rt, _ := mustCreate(t, net, tTGWTable, "rt", map[string]any{"transitGatewayId": tgw})
	attachIn := map[string]any{"transitGatewayId": tgw, "vpcId": n.vpc, "subnetIds": []any{n.subnet, private}}
	_, _, err := create(t, cust, tTGWAttach, "att", attachIn)
	wantErr(t, err, "InvalidTransitGatewayID.NotFound", "not shared")

	share, _ := mustCreate(t, net, tShare, "share", map[string]any{"name": "hub"})
	mustCreate(t, net, tShareRes, "share-tgw", map[string]any{"resourceShareArn": share, "resourceArn": tgwOut["arn"]})
	_, _, err = create(t, net, tSharePrin, "share-ou", map[string]any{"resourceShareArn": share, "principal": ou["arn"]})
	wantErr(t, err, "OperationNotPermittedException", "RAM sharing")
	mustCreate(t, m, tRAMOrg, "ram", map[string]any{})
	mustCreate(t, net, tSharePrin, "share-ou", map[string]any{"resourceShareArn": share, "principal": ou["arn"]})
	att, out := mustCreate(t, cust, tTGWAttach, "att", attachIn)
	if out["state"] != "pendingAcceptance" {
		t.Fatalf("cross-account attachment state %v, want pendingAcceptance", out["state"])
	}
	assocIn := map[string]any{"transitGatewayAttachmentId": att, "transitGatewayRouteTableId": rt}
	_, _, err = create(t, net, tTGWAssoc, "assoc", assocIn)
	wantErr(t, err, "IncorrectState", "pendingAcceptance")
	mustCreate(t, net, tTGWAccept, "accept", map[string]any{"transitGatewayAttachmentId": att})
	mustCreate(t, net, tTGWAssoc, "assoc", assocIn)
	rt2, _ := mustCreate(t, net, tTGWTable, "rt2", map[string]any{"transitGatewayId": tgw})
	_, _, err = create(t, net, tTGWAssoc, "assoc2", map[string]any{"transitGatewayAttachmentId": att, "transitGatewayRouteTableId": rt2})
	wantErr(t, err, "Resource.AlreadyAssociated")
	mustCreate(t, net, tTGWProp, "prop", assocIn)
	mustCreate(t, net, tTGWProp, "prop2", map[string]any{"transitGatewayAttachmentId": att, "transitGatewayRouteTableId": rt2})
	_, _, err = create(t, net, tTGWRoute, "r", map[string]any{"transitGatewayRouteTableId": rt, "destinationCidrBlock": "10.0.0.0/8"})
	wantErr(t, err, "InvalidParameterCombination")
	mustCreate(t, net, tTGWRoute, "r", map[string]any{"transitGatewayRouteTableId": rt, "destinationCidrBlock": "10.0.0.0/8", "blackhole": true})

	// Another account outside the OU sees nothing.
	_, other := newMember(t, o, m, "other")
	on := newNetwork(t, other)
	_, _, err = create(t, other, tTGWAttach, "att", map[string]any{"transitGatewayId": tgw, "vpcId": on.vpc, "subnetIds": []any{on.subnet}})
	wantErr(t, err, "not shared")

	_, ipamOut := mustCreate(t, net, tIPAM, "ipam", map[string]any{})
	pool, _ := mustCreate(t, net, tIPAMPool, "pool", map[string]any{"addressFamily": "ipv4", "ipamScopeId": ipamOut["privateDefaultScopeId"]})
	mustCreate(t, net, tIPAMPoolCidr, "pool-cidr", map[string]any{"ipamPoolId": pool, "cidr": "10.136.0.0/15"})
	child, _ := mustCreate(t, net, tIPAMPool, "child", map[string]any{"addressFamily": "ipv4", "ipamScopeId": ipamOut["privateDefaultScopeId"], "sourceIpamPoolId": pool})
	_, _, err = create(t, net, tIPAMPoolCidr, "child-cidr", map[string]any{"ipamPoolId": child, "cidr": "10.140.0.0/16"})
	wantErr(t, err, "not inside")
	mustCreate(t, net, tIPAMPoolCidr, "child-cidr", map[string]any{"ipamPoolId": child, "cidr": "10.136.0.0/16"})
	mustCreate(t, net, tIPAMAlloc, "a", map[string]any{"ipamPoolId": child, "cidr": "10.136.8.0/21"})
	_, _, err = create(t, net, tIPAMAlloc, "b", map[string]any{"ipamPoolId": child, "cidr": "10.136.0.0/20"})
	wantErr(t, err, "overlaps")
	_, _, err = create(t, net, tIPAMAlloc, "c", map[string]any{"ipamPoolId": child, "cidr": "10.137.0.0/21"})
	wantErr(t, err, "not inside")
}
