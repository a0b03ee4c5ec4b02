package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2transitgateway"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CustomerConnectionType is the CustomerConnection type token.
const CustomerConnectionType = "tierzone:network:CustomerConnection"

// CustomerConnectionArgs configures a CustomerConnection.
type CustomerConnectionArgs struct {
	// CIDR is the customer VPC's block, recorded in PoolID (its tier's
	// pool in its region) so IPAM refuses any overlap; PoolReady is the
	// pool's provisioned CIDR.
	CIDR      string
	PoolID    pulumi.StringInput
	PoolReady pulumi.Resource
	// VPC is the customer's VPC (nil: the customer only takes an IPAM
	// allocation and is not attached).
	VPC *CustomerVPC
	// Hub is the region's hub; Tier the customer's tier key.
	Hub  *NetworkHub
	Tier string
	// RouteCIDRs are routed from the private subnets to the gateway (the
	// hub's supernet); CentralEgress adds the default route there too.
	RouteCIDRs    []string
	CentralEgress bool
	Tags          map[string]string
	// Provider works in the customer's account; NetworkProvider in the
	// network account, in the customer's region; IPAMProvider in the
	// network account, in IPAM's home region, where pools are allocated
	// from (nil: NetworkProvider).
	Provider        pulumi.ProviderResource
	NetworkProvider pulumi.ProviderResource
	IPAMProvider    pulumi.ProviderResource
}

// CustomerConnection is a customer's place on the network hub: its IPAM
// allocation and, when connected, its Transit Gateway attachment (made in
// its own account, accepted in the network account), the attachment's
// association with its tier's route table, its propagation into that table
// and the shared one, and the private subnets' routes to the gateway.
type CustomerConnection struct {
	pulumi.ResourceState

	Allocation   *ec2.VpcIpamPoolCidrAllocation
	Attachment   *ec2transitgateway.VpcAttachment
	Accepter     *ec2transitgateway.VpcAttachmentAccepter
	Association  *ec2transitgateway.RouteTableAssociation
	Propagations []*ec2transitgateway.RouteTablePropagation
	Routes       []*ec2.Route
}

// NewCustomerConnection registers a customer's connection. The name is the
// customer key.
func NewCustomerConnection(ctx *pulumi.Context, name string, args *CustomerConnectionArgs, opts ...pulumi.ResourceOption) (*CustomerConnection, error) {
	if args == nil || args.CIDR == "" || args.PoolID == nil || args.NetworkProvider == nil {
		return nil, errors.New("tierzone: NewCustomerConnection needs the CIDR, its pool and the network account's provider")
	}
	if args.VPC != nil && (args.Hub == nil || args.Hub.RouteTables[args.Tier] == nil || args.Provider == nil) {
		return nil, errors.New("tierzone: NewCustomerConnection of a VPC needs the hub with the tier's route table and the customer's provider")
	}
	c := &CustomerConnection{}
	if err := ctx.RegisterComponentResource(CustomerConnectionType, name, c, opts...); err != nil {
		return nil, err
	}
	network, customer := childOptions(c, args.NetworkProvider), childOptions(c, args.Provider)
	var err error
	allocOpts := network
	if args.IPAMProvider != nil {
		allocOpts = childOptions(c, args.IPAMProvider)
	}
	if args.PoolReady != nil {
		allocOpts = append(allocOpts, pulumi.DependsOn([]pulumi.Resource{args.PoolReady}))
	}
	if c.Allocation, err = ec2.NewVpcIpamPoolCidrAllocation(ctx, name+"-ipam", &ec2.VpcIpamPoolCidrAllocationArgs{
		IpamPoolId: args.PoolID, Cidr: pulumi.String(args.CIDR), Description: pulumi.String("Tierzone customer " + name),
	}, allocOpts...); err != nil {
		return nil, err
	}
	if args.VPC != nil {
		if err := c.attach(ctx, name, args, network, customer); err != nil {
			return nil, err
		}
	}
	if err := ctx.RegisterResourceOutputs(c, c.Outputs()); err != nil {
		return nil, err
	}
	return c, nil
}

// Outputs are the component's registered outputs.
func (c *CustomerConnection) Outputs() pulumi.Map {
	out := pulumi.Map{"ipamAllocationId": c.Allocation.ID()}
	if c.Attachment != nil {
		out["transitGatewayAttachmentId"] = c.Attachment.ID()
	}
	return out
}

func (c *CustomerConnection) attach(ctx *pulumi.Context, name string, args *CustomerConnectionArgs, network, customer []pulumi.ResourceOption) error {
	hub, vpc := args.Hub, args.VPC
	tag := nameTags(args.Tags, name)
	var err error
	// The attachment is the customer's; the gateway's owner accepts it
	// and alone decides its route tables (a shared gateway's default
	// association cannot be set from the attaching account).
	if c.Attachment, err = ec2transitgateway.NewVpcAttachment(ctx, name+"-tgw-attachment", &ec2transitgateway.VpcAttachmentArgs{
		TransitGatewayId: hub.TransitGatewayID, VpcId: vpc.VPCID, SubnetIds: vpc.PrivateSubnetIDs,
		Tags: tag("tgw-attachment"),
	}, append(customer, pulumi.DependsOn(hub.ShareReady))...); err != nil {
		return err
	}
	if c.Accepter, err = ec2transitgateway.NewVpcAttachmentAccepter(ctx, name+"-tgw-accepter", &ec2transitgateway.VpcAttachmentAccepterArgs{
		TransitGatewayAttachmentId:                 c.Attachment.ID(),
		TransitGatewayDefaultRouteTableAssociation: pulumi.Bool(false),
		TransitGatewayDefaultRouteTablePropagation: pulumi.Bool(false),
		Tags: tag("tgw-attachment"),
	}, network...); err != nil {
		return err
	}
	tierRT := hub.RouteTables[args.Tier]
	if c.Association, err = ec2transitgateway.NewRouteTableAssociation(ctx, name+"-tgw-assoc", &ec2transitgateway.RouteTableAssociationArgs{
		TransitGatewayAttachmentId: c.Accepter.TransitGatewayAttachmentId, TransitGatewayRouteTableId: tierRT.ID(),
	}, network...); err != nil {
		return err
	}
	for _, p := range []struct {
		suffix string
		rt     *ec2transitgateway.RouteTable
	}{{"tier", tierRT}, {"shared", hub.Shared}} {
		prop, err := ec2transitgateway.NewRouteTablePropagation(ctx, name+"-tgw-prop-"+p.suffix, &ec2transitgateway.RouteTablePropagationArgs{
			TransitGatewayAttachmentId: c.Accepter.TransitGatewayAttachmentId, TransitGatewayRouteTableId: p.rt.ID(),
		}, network...)
		if err != nil {
			return err
		}
		c.Propagations = append(c.Propagations, prop)
	}
	dests := args.RouteCIDRs
	if args.CentralEgress {
		dests = append(dests[:len(dests):len(dests)], "0.0.0.0/0")
	}
	for _, d := range dests {
		suffix := "tgw-" + cidrSuffix(d)
		r, err := ec2.NewRoute(ctx, name+"-route-private-"+suffix, &ec2.RouteArgs{
			RouteTableId: vpc.PrivateRouteTable.ID(), DestinationCidrBlock: pulumi.String(d), TransitGatewayId: hub.TransitGatewayID,
		}, append(customer, pulumi.DependsOn([]pulumi.Resource{c.Accepter}))...)
		if err != nil {
			return err
		}
		c.Routes = append(c.Routes, r)
	}
	return nil
}

// cidrSuffix names a route by its destination: "10.128.0.0/9" gives
// "10-128-0-0-9", "0.0.0.0/0" gives "default".
func cidrSuffix(cidr string) string {
	if cidr == "0.0.0.0/0" {
		return "default"
	}
	b := []byte(cidr)
	for i, ch := range b {
		if ch == '.' || ch == '/' {
			b[i] = '-'
		}
	}
	return string(b)
}
