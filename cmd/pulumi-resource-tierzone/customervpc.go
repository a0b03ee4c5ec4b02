package main

import (
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/landingzone"
)

// CustomerVPC serves components.CustomerVPC: a customer's VPC with the seed
// subnet layout, NAT and VPN as its tier decides, and flow logs to
// CloudWatch (kept the tier's hot days) and to the archive.
type CustomerVPC struct{}

// CustomerVPCArgs are CustomerVPC's inputs. The aws provider into the
// customer's account comes from the resource's providers option.
type CustomerVPCArgs struct {
	Customer           Customer           `pulumi:"customer"`
	AccountId          pulumi.StringInput `pulumi:"accountId"`
	ArchiveDestination pulumi.StringInput `pulumi:"archiveDestination"`
	Protect            *bool              `pulumi:"protect,optional"`
	Settings           *Settings          `pulumi:"settings,optional"`
}

// CustomerVPCState is the component with its outputs.
type CustomerVPCState struct {
	// ComponentResource is the Go component (components.CustomerVPC) itself.
	pulumi.ComponentResource
	VpcId            pulumi.StringOutput      `pulumi:"vpcId"`
	PublicSubnetIds  pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	PrivateSubnetIds pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
}

// Annotate sets the Go library's type token and documents the component.
func (c *CustomerVPC) Annotate(a infer.Annotator) {
	a.SetToken("network", "CustomerVPC")
	a.Describe(c, "A customer's VPC inside its own account: public, private and data subnets in two zones derived from its CIDR, NAT and VPN gateways as its tier decides, and KMS-encrypted flow logs kept as long as the tier demands. Pass the aws provider into the customer's account in the providers option.")
}

// Annotate documents the inputs.
func (a *CustomerVPCArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Customer, "The customer, as the catalog lists it.")
	an.Describe(&a.AccountId, "The customer's account id; it scopes the flow-log role's trust.")
	an.Describe(&a.ArchiveDestination, "S3 destination of the archive flow log: arn:aws:s3:::<bucket>/<tier>/<customer>/.")
	an.Describe(&a.Protect, "Protect the flow-log group and its key and retain them on delete (default true).")
	an.Describe(&a.Settings, "Stack settings (name prefix).")
}

// Annotate documents the outputs.
func (s *CustomerVPCState) Annotate(a infer.Annotator) {
	a.Describe(&s.VpcId, "The VPC's id.")
	a.Describe(&s.PublicSubnetIds, "The public subnets' ids, zone a then b.")
	a.Describe(&s.PrivateSubnetIds, "The private subnets' ids, zone a then b.")
}

// Construct validates the customer and builds the Go component.
func (*CustomerVPC) Construct(ctx *pulumi.Context, name, typ string, args CustomerVPCArgs, opts pulumi.ResourceOption) (*CustomerVPCState, error) {
	cs, err := landingzone.ResolveCustomer(args.Customer.catalogEntry(), args.Settings.resolve())
	if err != nil {
		return nil, err
	}
	c, err := components.BuildCustomerVPC(ctx, name,
		landingzone.VPCArgs(cs, args.AccountId, args.ArchiveDestination, protect(args.Protect), nil), opts)
	if err != nil {
		return nil, err
	}
	return &CustomerVPCState{ComponentResource: c, VpcId: c.VPCID, PublicSubnetIds: c.PublicSubnetIDs, PrivateSubnetIds: c.PrivateSubnetIDs}, nil
}
