package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2transitgateway"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// HubPeeringType is the HubPeering type token.
const HubPeeringType = "tierzone:network:HubPeering"

// HubPeeringArgs configures a HubPeering.
type HubPeeringArgs struct {
	// Hub requests the peering from its region; Primary accepts it.
	Hub, Primary *NetworkHub
	// PrimaryRegion is the primary hub's region; AccountID the network
	// account both gateways are in.
	PrimaryRegion string
	AccountID     string
	// HubShared and PrimaryShared are the two regions' shared pools, the
	// only destinations routed across: operator traffic between shared
	// services, never a customer VPC.
	HubShared, PrimaryShared string
	Tags                     map[string]string
	// Provider works in the network account in Hub's region;
	// PrimaryProvider in the primary region.
	Provider, PrimaryProvider pulumi.ProviderResource
}

// HubPeering peers a region's hub with the primary one: the peering
// attachment, its acceptance, its association with both shared route
// tables and a static route in each to the other region's shared pool.
// Tier route tables get no route to it.
type HubPeering struct {
	pulumi.ResourceState

	Attachment *ec2transitgateway.PeeringAttachment
	Accepter   *ec2transitgateway.PeeringAttachmentAccepter
}

// NewHubPeering registers the peering. The name is "hub-<region>-peering".
func NewHubPeering(ctx *pulumi.Context, name string, args *HubPeeringArgs, opts ...pulumi.ResourceOption) (*HubPeering, error) {
	if args == nil || args.Hub == nil || args.Primary == nil || args.Provider == nil || args.PrimaryProvider == nil {
		return nil, errors.New("tierzone: NewHubPeering needs both hubs and both providers")
	}
	c := &HubPeering{}
	if err := ctx.RegisterComponentResource(HubPeeringType, name, c, opts...); err != nil {
		return nil, err
	}
	here, primary := childOptions(c, args.Provider), childOptions(c, args.PrimaryProvider)
	var err error
	if c.Attachment, err = ec2transitgateway.NewPeeringAttachment(ctx, name, &ec2transitgateway.PeeringAttachmentArgs{
		TransitGatewayId: args.Hub.TransitGatewayID, PeerTransitGatewayId: args.Primary.TransitGatewayID,
		PeerRegion: pulumi.String(args.PrimaryRegion), PeerAccountId: pulumi.String(args.AccountID),
		Tags: nameTags(args.Tags, name)(""),
	}, here...); err != nil {
		return nil, err
	}
	if c.Accepter, err = ec2transitgateway.NewPeeringAttachmentAccepter(ctx, name+"-accepter", &ec2transitgateway.PeeringAttachmentAccepterArgs{
		TransitGatewayAttachmentId: c.Attachment.ID(), Tags: nameTags(args.Tags, name)(""),
	}, primary...); err != nil {
		return nil, err
	}
	for _, side := range []struct {
		suffix string
		rt     *ec2transitgateway.RouteTable
		dest   string
		opts   []pulumi.ResourceOption
	}{{"here", args.Hub.Shared, args.PrimaryShared, here}, {"primary", args.Primary.Shared, args.HubShared, primary}} {
		after := append(side.opts, pulumi.DependsOn([]pulumi.Resource{c.Accepter}))
		if _, err := ec2transitgateway.NewRouteTableAssociation(ctx, name+"-assoc-"+side.suffix, &ec2transitgateway.RouteTableAssociationArgs{
			TransitGatewayAttachmentId: c.Accepter.TransitGatewayAttachmentId, TransitGatewayRouteTableId: side.rt.ID(),
		}, after...); err != nil {
			return nil, err
		}
		if _, err := ec2transitgateway.NewRoute(ctx, name+"-route-"+side.suffix, &ec2transitgateway.RouteArgs{
			TransitGatewayRouteTableId: side.rt.ID(), DestinationCidrBlock: pulumi.String(side.dest),
			TransitGatewayAttachmentId: c.Accepter.TransitGatewayAttachmentId,
		}, after...); err != nil {
			return nil, err
		}
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"attachmentId": c.Attachment.ID()}); err != nil {
		return nil, err
	}
	return c, nil
}
