package components

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2transitgateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ram"
	awsxec2 "github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NetworkHubType is the NetworkHub type token.
const NetworkHubType = "tierzone:network:NetworkHub"

// HubTierArgs is a tier's route table on a hub.
type HubTierArgs struct {
	Key string
	// CentralEgress adds a default route to the egress VPC (needs Egress).
	CentralEgress bool
}

// HubEgressArgs is a hub's egress VPC.
type HubEgressArgs struct {
	// CIDR is the egress VPC's block (the region's shared pool).
	CIDR string
	// AvailabilityZones each get a public and a private subnet and a NAT
	// gateway.
	AvailabilityZones []string
	// ReturnCIDRs are routed back to the Transit Gateway from the public
	// subnets (where the NAT gateways answer): the hub's supernet.
	ReturnCIDRs []string
}

// NetworkHubArgs configures a NetworkHub.
type NetworkHubArgs struct {
	// Region is the hub's region; AmazonSideASN the gateway's BGP ASN
	// (one per region, 64512-65534).
	Region        string
	AmazonSideASN int
	// Tiers get a route table each, in order.
	Tiers []HubTierArgs
	// BlackholeCIDRs are dropped in every tier route table, so only a more
	// specific route leads to another VPC.
	BlackholeCIDRs []string
	// SharePrincipals are the ARNs the gateway is shared with through RAM
	// (the tier OUs of the region's connected customers).
	SharePrincipals []pulumi.StringInput
	// Egress is the egress VPC (nil: none).
	Egress *HubEgressArgs
	Tags   map[string]string
	// Provider works in the network account, in Region.
	Provider pulumi.ProviderResource
}

// NetworkHub is one region's Transit Gateway in the network account, with
// no default route table association or propagation, a route table per
// tier and a shared one, its RAM share, and the egress VPC.
type NetworkHub struct {
	pulumi.ResourceState

	TransitGateway *ec2transitgateway.TransitGateway
	// RouteTables by tier key; Shared is the shared-services table.
	RouteTables map[string]*ec2transitgateway.RouteTable
	Shared      *ec2transitgateway.RouteTable
	Share       *ram.ResourceShare
	// ShareReady is what a customer's attachment must wait for: the
	// gateway in the share, and the share's principals.
	ShareReady []pulumi.Resource
	// EgressVPC is the awsx VPC (nil without Egress); EgressAttachment its
	// attachment.
	EgressVPC        *awsxec2.Vpc
	EgressAttachment *ec2transitgateway.VpcAttachment

	TransitGatewayID pulumi.StringOutput
}

// NewNetworkHub registers a region's hub. The name is "hub-<region>".
func NewNetworkHub(ctx *pulumi.Context, name string, args *NetworkHubArgs, opts ...pulumi.ResourceOption) (*NetworkHub, error) {
	if args == nil || args.Region == "" || args.Provider == nil {
		return nil, errors.New("tierzone: NewNetworkHub needs a Region and the network account's Provider")
	}
	c := &NetworkHub{RouteTables: map[string]*ec2transitgateway.RouteTable{}}
	if err := ctx.RegisterComponentResource(NetworkHubType, name, c, opts...); err != nil {
		return nil, err
	}
	child := childOptions(c, args.Provider)
	tag := nameTags(args.Tags, name)
	tgw, err := ec2transitgateway.NewTransitGateway(ctx, name+"-tgw", &ec2transitgateway.TransitGatewayArgs{
		Description:   pulumi.String("Tierzone network hub, " + args.Region),
		AmazonSideAsn: pulumi.Int(args.AmazonSideASN),
		// Isolation is the route tables' job: nothing joins a default.
		DefaultRouteTableAssociation: pulumi.String("disable"),
		DefaultRouteTablePropagation: pulumi.String("disable"),
		// Every attachment from a customer account is accepted by the
		// stack (VpcAttachmentAccepter), never automatically.
		AutoAcceptSharedAttachments: pulumi.String("disable"),
		DnsSupport:                  pulumi.String("enable"),
		VpnEcmpSupport:              pulumi.String("enable"),
		Tags:                        tag("tgw"),
	}, child...)
	if err != nil {
		return nil, err
	}
	c.TransitGateway, c.TransitGatewayID = tgw, tgw.ID().ToStringOutput()
	table := func(suffix string) (*ec2transitgateway.RouteTable, error) {
		return ec2transitgateway.NewRouteTable(ctx, name+"-rt-"+suffix, &ec2transitgateway.RouteTableArgs{
			TransitGatewayId: tgw.ID(), Tags: tag("rt-" + suffix),
		}, child...)
	}
	if c.Shared, err = table("shared"); err != nil {
		return nil, err
	}
	for _, t := range args.Tiers {
		rt, err := table(t.Key)
		if err != nil {
			return nil, err
		}
		c.RouteTables[t.Key] = rt
		for i, cidr := range args.BlackholeCIDRs {
			if _, err := ec2transitgateway.NewRoute(ctx, fmt.Sprintf("%s-rt-%s-blackhole-%d", name, t.Key, i), &ec2transitgateway.RouteArgs{
				TransitGatewayRouteTableId: rt.ID(), DestinationCidrBlock: pulumi.String(cidr), Blackhole: pulumi.Bool(true),
			}, child...); err != nil {
				return nil, err
			}
		}
	}
	if err := c.share(ctx, name, args, child); err != nil {
		return nil, err
	}
	if args.Egress != nil {
		if err := c.egress(ctx, name, args, child); err != nil {
			return nil, err
		}
	}
	if err := ctx.RegisterResourceOutputs(c, c.Outputs()); err != nil {
		return nil, err
	}
	return c, nil
}

// Outputs are the component's registered outputs.
func (c *NetworkHub) Outputs() pulumi.Map {
	rts := pulumi.Map{"shared": c.Shared.ID()}
	for k, rt := range c.RouteTables {
		rts[k] = rt.ID()
	}
	return pulumi.Map{"transitGatewayId": c.TransitGatewayID, "routeTableIds": rts}
}

// share shares the gateway with the principals through RAM (inside the
// organization only).
func (c *NetworkHub) share(ctx *pulumi.Context, name string, args *NetworkHubArgs, child []pulumi.ResourceOption) error {
	share, err := ram.NewResourceShare(ctx, name+"-share", &ram.ResourceShareArgs{
		Name:                    pulumi.String("tierzone-" + name),
		AllowExternalPrincipals: pulumi.Bool(false),
		Tags:                    nameTags(args.Tags, name)("share"),
	}, child...)
	if err != nil {
		return err
	}
	c.Share = share
	assoc, err := ram.NewResourceAssociation(ctx, name+"-share-tgw", &ram.ResourceAssociationArgs{
		ResourceShareArn: share.Arn, ResourceArn: c.TransitGateway.Arn,
	}, child...)
	if err != nil {
		return err
	}
	c.ShareReady = append(c.ShareReady, assoc)
	for i, p := range args.SharePrincipals {
		pa, err := ram.NewPrincipalAssociation(ctx, fmt.Sprintf("%s-share-principal-%d", name, i), &ram.PrincipalAssociationArgs{
			ResourceShareArn: share.Arn, Principal: p,
		}, child...)
		if err != nil {
			return err
		}
		c.ShareReady = append(c.ShareReady, pa)
	}
	return nil
}

// egress builds the egress VPC with awsx (symmetric: a public and a private
// subnet and a NAT gateway per zone), attaches its private subnets, puts
// the attachment in the shared table, propagates its CIDR into every tier
// table (shared services), gives central-egress tiers a default route to
// it, and routes the return traffic from its public subnets back to the
// gateway.
func (c *NetworkHub) egress(ctx *pulumi.Context, name string, args *NetworkHubArgs, child []pulumi.ResourceOption) error {
	e := args.Egress
	cidr, zones := e.CIDR, len(e.AvailabilityZones)
	public, private := 24, 24
	strategy := awsxec2.SubnetAllocationStrategyAuto
	vpc, err := awsxec2.NewVpc(ctx, name+"-egress", &awsxec2.VpcArgs{
		CidrBlock:             &cidr,
		AvailabilityZoneNames: e.AvailabilityZones,
		SubnetStrategy:        &strategy,
		SubnetSpecs: []awsxec2.SubnetSpecArgs{
			{Type: awsxec2.SubnetTypePublic, CidrMask: &public},
			{Type: awsxec2.SubnetTypePrivate, CidrMask: &private},
		},
		NatGateways:        &awsxec2.NatGatewayConfigurationArgs{Strategy: awsxec2.NatGatewayStrategyOnePerAz},
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
		Tags:               nameTags(args.Tags, name)("egress"),
		// A remote component takes the aws provider its children use
		// through Providers: the VPC is built in the network account.
	}, pulumi.Parent(c), pulumi.Providers(args.Provider))
	if err != nil {
		return err
	}
	c.EgressVPC = vpc
	att, err := ec2transitgateway.NewVpcAttachment(ctx, name+"-egress-attachment", &ec2transitgateway.VpcAttachmentArgs{
		TransitGatewayId: c.TransitGateway.ID(), VpcId: vpc.VpcId, SubnetIds: vpc.PrivateSubnetIds,
		TransitGatewayDefaultRouteTableAssociation: pulumi.Bool(false),
		TransitGatewayDefaultRouteTablePropagation: pulumi.Bool(false),
		// Traffic between customers' zones and the NAT gateways stays in
		// its zone.
		ApplianceModeSupport: pulumi.String("enable"),
		Tags:                 nameTags(args.Tags, name)("egress-attachment"),
	}, child...)
	if err != nil {
		return err
	}
	c.EgressAttachment = att
	if _, err := ec2transitgateway.NewRouteTableAssociation(ctx, name+"-egress-assoc", &ec2transitgateway.RouteTableAssociationArgs{
		TransitGatewayAttachmentId: att.ID(), TransitGatewayRouteTableId: c.Shared.ID(),
	}, child...); err != nil {
		return err
	}
	for _, t := range args.Tiers {
		rt := c.RouteTables[t.Key]
		if _, err := ec2transitgateway.NewRouteTablePropagation(ctx, name+"-egress-prop-"+t.Key, &ec2transitgateway.RouteTablePropagationArgs{
			TransitGatewayAttachmentId: att.ID(), TransitGatewayRouteTableId: rt.ID(),
		}, child...); err != nil {
			return err
		}
		if t.CentralEgress {
			if _, err := ec2transitgateway.NewRoute(ctx, name+"-rt-"+t.Key+"-default", &ec2transitgateway.RouteArgs{
				TransitGatewayRouteTableId: rt.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
				TransitGatewayAttachmentId: att.ID(),
			}, child...); err != nil {
				return err
			}
		}
	}
	for i := range zones {
		// awsx makes a route table per public subnet; find it by subnet.
		rt := ec2.LookupRouteTableOutput(ctx, ec2.LookupRouteTableOutputArgs{
			SubnetId: vpc.PublicSubnetIds.Index(pulumi.Int(i)),
		}, pulumi.Provider(args.Provider), pulumi.Parent(c))
		for j, dest := range e.ReturnCIDRs {
			if _, err := ec2.NewRoute(ctx, fmt.Sprintf("%s-egress-return-%d-%d", name, i, j), &ec2.RouteArgs{
				RouteTableId: rt.RouteTableId(), DestinationCidrBlock: pulumi.String(dest), TransitGatewayId: c.TransitGateway.ID(),
			}, append(child, pulumi.DependsOn([]pulumi.Resource{att}))...); err != nil {
				return err
			}
		}
	}
	return nil
}
