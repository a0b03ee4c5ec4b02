package components

import (
	"encoding/json"
	"errors"
	"maps"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/netplan"
)

// CustomerVPCType is the CustomerVPC type token.
const CustomerVPCType = "tierzone:network:CustomerVPC"

// FlowLogAggregationSeconds is the flow-log aggregation interval: 60 s, the
// finer of the two values AWS accepts (60 or 600, CreateFlowLogs
// MaxAggregationInterval), at no extra cost.
const FlowLogAggregationSeconds = 60

// CustomerVPCArgs configures a CustomerVPC.
type CustomerVPCArgs struct {
	// Layout is the VPC CIDR and its subnets (netplan.Derive).
	Layout netplan.Layout
	// AvailabilityZones are the first and second zone of Region.
	AvailabilityZones [2]string
	Region            string
	// AccountID is the customer account; it scopes the flow-log role's trust.
	AccountID pulumi.StringInput
	// NATGateway adds an EIP and NAT gateway in the public subnet and a
	// default route to it from the private subnets.
	NATGateway bool
	// VPNGateway attaches a virtual private gateway that propagates routes
	// into the private route table.
	VPNGateway bool
	// FlowLogGroupName is the CloudWatch log group for the flow logs.
	FlowLogGroupName string
	// FlowLogRetentionDays is the log group's retention (a CloudWatch value).
	FlowLogRetentionDays int
	// ArchiveDestination is the S3 destination of the second flow log:
	// "<archive bucket arn>/<tier>/<customer>/" (LogArchive.Destination).
	ArchiveDestination pulumi.StringInput
	// Protect protects the flow-log group and its KMS key and retains them
	// on delete: deleting the group loses the hot logs, deleting the key
	// makes them unreadable.
	Protect bool
	Tags    map[string]string
	// Provider works inside the customer's account (CustomerAccount.Provider).
	Provider pulumi.ProviderResource
}

// CustomerVPC is a customer's VPC with the seed layout, built inside the
// customer's own account.
type CustomerVPC struct {
	pulumi.ResourceState

	VPC             *ec2.Vpc
	InternetGateway *ec2.InternetGateway
	Subnets         map[string]*ec2.Subnet
	NATGateway      *ec2.NatGateway
	// NATEIP is the NAT gateway's Elastic IP, the VPC's public face.
	NATEIP            *ec2.Eip
	VPNGateway        *ec2.VpnGateway
	PublicRouteTable  *ec2.RouteTable
	PrivateRouteTable *ec2.RouteTable
	FlowLogGroup      *cloudwatch.LogGroup
	FlowLogRole       *iam.Role
	FlowLog           *ec2.FlowLog
	// FlowLogKey encrypts the log group; ArchiveFlowLog is the second flow
	// log, to the tier's S3 archive.
	FlowLogKey     *kms.Key
	ArchiveFlowLog *ec2.FlowLog

	VPCID            pulumi.StringOutput
	PublicSubnetIDs  pulumi.StringArrayOutput
	PrivateSubnetIDs pulumi.StringArrayOutput
}

// NewCustomerVPC registers the VPC and everything in it. The name is the
// customer key; children are named "<name>-...".
func NewCustomerVPC(ctx *pulumi.Context, name string, args *CustomerVPCArgs, opts ...pulumi.ResourceOption) (*CustomerVPC, error) {
	c, err := BuildCustomerVPC(ctx, name, args, opts...)
	if err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(c, c.Outputs()); err != nil {
		return nil, err
	}
	return c, nil
}

// Outputs are the component's registered outputs.
func (c *CustomerVPC) Outputs() pulumi.Map {
	return pulumi.Map{
		"vpcId":            c.VPCID,
		"publicSubnetIds":  c.PublicSubnetIDs,
		"privateSubnetIds": c.PrivateSubnetIDs,
	}
}

// BuildCustomerVPC is NewCustomerVPC without registering the outputs, for a
// host that registers them itself (see BuildTierOU).
func BuildCustomerVPC(ctx *pulumi.Context, name string, args *CustomerVPCArgs, opts ...pulumi.ResourceOption) (*CustomerVPC, error) {
	if args == nil || args.AccountID == nil || len(args.Layout.Subnets) == 0 || args.FlowLogGroupName == "" || args.ArchiveDestination == nil {
		return nil, errors.New("tierzone: NewCustomerVPC needs Layout, AccountID, FlowLogGroupName, and ArchiveDestination")
	}
	c := &CustomerVPC{Subnets: map[string]*ec2.Subnet{}}
	if err := ctx.RegisterComponentResource(CustomerVPCType, name, c, opts...); err != nil {
		return nil, err
	}
	in := childOptions(c, args.Provider)
	tags := nameTags(args.Tags, name)

	vpc, err := ec2.NewVpc(ctx, name+"-vpc", &ec2.VpcArgs{
		CidrBlock:          pulumi.String(args.Layout.VPC.String()),
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
		Tags:               tags("vpc"),
	}, in...)
	if err != nil {
		return nil, err
	}
	c.VPC, c.VPCID = vpc, vpc.ID().ToStringOutput()

	// CIS 5.4 / Security Hub EC2.2: the default security group allows nothing.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  tags("default-sg"),
	}, in...); err != nil {
		return nil, err
	}

	igw, err := ec2.NewInternetGateway(ctx, name+"-igw", &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  tags("igw"),
	}, in...)
	if err != nil {
		return nil, err
	}
	c.InternetGateway = igw

	var public, private pulumi.StringArray
	for _, s := range args.Layout.Subnets {
		sn, err := ec2.NewSubnet(ctx, name+"-subnet-"+s.Name, &ec2.SubnetArgs{
			VpcId:            vpc.ID(),
			CidrBlock:        pulumi.String(s.CIDR.String()),
			AvailabilityZone: pulumi.String(args.AvailabilityZones[s.AZIndex]),
			// Config SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED (HIPAA, CIS packs).
			MapPublicIpOnLaunch: pulumi.Bool(false),
			Tags:                tags("subnet-" + s.Name),
		}, in...)
		if err != nil {
			return nil, err
		}
		c.Subnets[s.Name] = sn
		if s.Role == netplan.Public {
			public = append(public, sn.ID().ToStringOutput())
		} else {
			private = append(private, sn.ID().ToStringOutput())
		}
	}
	c.PublicSubnetIDs = public.ToStringArrayOutput()
	c.PrivateSubnetIDs = private.ToStringArrayOutput()

	publicRT, err := c.routeTable(ctx, name, "public", vpc, args.Layout.Public(), tags, in)
	if err != nil {
		return nil, err
	}
	c.PublicRouteTable = publicRT
	if _, err := ec2.NewRoute(ctx, name+"-route-public-default", &ec2.RouteArgs{
		RouteTableId:         publicRT.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, in...); err != nil {
		return nil, err
	}

	privateRT, err := c.routeTable(ctx, name, "private", vpc, args.Layout.Private(), tags, in)
	if err != nil {
		return nil, err
	}
	c.PrivateRouteTable = privateRT

	if args.NATGateway {
		eip, err := ec2.NewEip(ctx, name+"-nat-eip", &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   tags("nat-eip"),
		}, in...)
		if err != nil {
			return nil, err
		}
		c.NATEIP = eip
		// A public NAT gateway needs the internet gateway attached first.
		nat, err := ec2.NewNatGateway(ctx, name+"-nat", &ec2.NatGatewayArgs{
			AllocationId: eip.ID(),
			SubnetId:     c.Subnets[args.Layout.Public()[0].Name].ID(),
			Tags:         tags("nat"),
		}, append(in, pulumi.DependsOn([]pulumi.Resource{igw}))...)
		if err != nil {
			return nil, err
		}
		c.NATGateway = nat
		if _, err := ec2.NewRoute(ctx, name+"-route-private-default", &ec2.RouteArgs{
			RouteTableId:         privateRT.ID(),
			DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
			NatGatewayId:         nat.ID(),
		}, in...); err != nil {
			return nil, err
		}
	}

	if args.VPNGateway {
		vgw, err := ec2.NewVpnGateway(ctx, name+"-vgw", &ec2.VpnGatewayArgs{
			VpcId: vpc.ID(),
			Tags:  tags("vgw"),
		}, in...)
		if err != nil {
			return nil, err
		}
		c.VPNGateway = vgw
		if _, err := ec2.NewVpnGatewayRoutePropagation(ctx, name+"-vgw-propagation-private", &ec2.VpnGatewayRoutePropagationArgs{
			VpnGatewayId: vgw.ID(),
			RouteTableId: privateRT.ID(),
		}, in...); err != nil {
			return nil, err
		}
	}

	if err := c.flowLogs(ctx, name, args, tags, in); err != nil {
		return nil, err
	}

	return c, nil
}

// routeTable registers a route table and associates the subnets with it.
func (c *CustomerVPC) routeTable(ctx *pulumi.Context, name, role string, vpc *ec2.Vpc, subnets []netplan.Subnet,
	tags func(string) pulumi.StringMap, in []pulumi.ResourceOption) (*ec2.RouteTable, error) {
	rt, err := ec2.NewRouteTable(ctx, name+"-rt-"+role, &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  tags("rt-" + role),
	}, in...)
	if err != nil {
		return nil, err
	}
	for _, s := range subnets {
		if _, err := ec2.NewRouteTableAssociation(ctx, name+"-rta-"+s.Name, &ec2.RouteTableAssociationArgs{
			RouteTableId: rt.ID(),
			SubnetId:     c.Subnets[s.Name].ID(),
		}, in...); err != nil {
			return nil, err
		}
	}
	return rt, nil
}

// flowLogs registers the KMS-encrypted CloudWatch log group, the delivery
// role and two flow logs of ALL traffic: one to the log group (hot), one to
// the tier's S3 archive (cold, kept for the tier's retention).
func (c *CustomerVPC) flowLogs(ctx *pulumi.Context, name string, args *CustomerVPCArgs,
	tags func(string) pulumi.StringMap, in []pulumi.ResourceOption) error {
	// CloudWatch Logs uses the key only for this log group (encryption
	// context condition, CloudWatch Logs user guide "Encrypt log data").
	groupArn := pulumi.Sprintf("arn:aws:logs:%s:%s:log-group:%s", args.Region, args.AccountID, args.FlowLogGroupName)
	keyPolicy := pulumi.All(args.AccountID, groupArn).ApplyT(func(v []any) (string, error) {
		account, arn := v[0].(string), v[1].(string)
		return jsonString(map[string]any{
			"Version": "2012-10-17",
			"Statement": []map[string]any{
				accountAdministers(account),
				{
					"Sid":       "CloudWatchLogsEncryptsThisGroup",
					"Effect":    "Allow",
					"Principal": map[string]any{"Service": "logs." + args.Region + ".amazonaws.com"},
					"Action":    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
					"Resource":  "*",
					"Condition": map[string]any{"ArnEquals": map[string]any{"kms:EncryptionContext:aws:logs:arn": arn}},
				},
			},
		})
	}).(pulumi.StringOutput)
	keyOpts := in
	if args.Protect {
		keyOpts = append(append([]pulumi.ResourceOption(nil), in...), pulumi.Protect(true), pulumi.RetainOnDelete(true))
	}
	key, err := kms.NewKey(ctx, name+"-flow-logs-key", &kms.KeyArgs{
		Description:          pulumi.String("Encrypts the VPC flow-log group " + args.FlowLogGroupName),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(KMSDeletionWindowDays),
		Policy:               keyPolicy,
		Tags:                 tags("flow-logs-key"),
	}, keyOpts...)
	if err != nil {
		return err
	}
	c.FlowLogKey = key

	group, err := cloudwatch.NewLogGroup(ctx, name+"-flow-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(args.FlowLogGroupName),
		RetentionInDays: pulumi.Int(args.FlowLogRetentionDays),
		KmsKeyId:        key.Arn,
		Tags:            tags("flow-logs"),
	}, keyOpts...)
	if err != nil {
		return err
	}
	c.FlowLogGroup = group

	// Trust only the flow-logs service acting for this account (confused
	// deputy protection, VPC user guide "IAM role for publishing flow logs").
	trust := pulumi.All(args.AccountID).ApplyT(func(v []any) (string, error) {
		account := v[0].(string)
		return jsonString(map[string]any{
			"Version": "2012-10-17",
			"Statement": []map[string]any{{
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "vpc-flow-logs.amazonaws.com"},
				"Action":    "sts:AssumeRole",
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:SourceAccount": account},
					"ArnLike":      map[string]any{"aws:SourceArn": "arn:aws:ec2:" + args.Region + ":" + account + ":vpc-flow-log/*"},
				},
			}},
		})
	}).(pulumi.StringOutput)
	role, err := iam.NewRole(ctx, name+"-flow-logs-role", &iam.RoleArgs{
		AssumeRolePolicy: trust,
		Description:      pulumi.String("Delivers VPC flow logs of " + name + " to CloudWatch Logs"),
		Tags:             tags("flow-logs-role"),
	}, in...)
	if err != nil {
		return err
	}
	c.FlowLogRole = role

	// Least privilege: write to this one log group only. DescribeLogGroups
	// has no resource-level scoping beyond the account's log groups.
	policy := pulumi.All(group.Arn, args.AccountID).ApplyT(func(v []any) (string, error) {
		arn, account := v[0].(string), v[1].(string)
		return jsonString(map[string]any{
			"Version": "2012-10-17",
			"Statement": []map[string]any{
				{
					"Sid":      "WriteFlowLogs",
					"Effect":   "Allow",
					"Action":   []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
					"Resource": []string{arn, arn + ":*"},
				},
				{
					"Sid":      "FindLogGroup",
					"Effect":   "Allow",
					"Action":   []string{"logs:DescribeLogGroups"},
					"Resource": "arn:aws:logs:" + args.Region + ":" + account + ":log-group:*",
				},
			},
		})
	}).(pulumi.StringOutput)
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-flow-logs-policy", &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: policy,
	}, in...)
	if err != nil {
		return err
	}

	fl, err := ec2.NewFlowLog(ctx, name+"-flow-log", &ec2.FlowLogArgs{
		VpcId:                  c.VPC.ID(),
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         group.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(FlowLogAggregationSeconds),
		Tags:                   tags("flow-log"),
		// Delivery fails until the role may write to the group.
	}, append(in, pulumi.DependsOn([]pulumi.Resource{rolePolicy}))...)
	if err != nil {
		return err
	}
	c.FlowLog = fl

	// The archive copy. S3 delivery needs no role: the log delivery service
	// writes under the bucket policy of the archive, which admits only this
	// tier's OU, and encrypts with the archive's key.
	archive, err := ec2.NewFlowLog(ctx, name+"-flow-log-archive", &ec2.FlowLogArgs{
		VpcId:                  c.VPC.ID(),
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("s3"),
		LogDestination:         args.ArchiveDestination,
		MaxAggregationInterval: pulumi.Int(FlowLogAggregationSeconds),
		Tags:                   tags("flow-log-archive"),
	}, in...)
	if err != nil {
		return err
	}
	c.ArchiveFlowLog = archive
	return nil
}

// nameTags returns a customer's tags plus Name "<name>-<suffix>", for
// each child of a component named name.
func nameTags(base map[string]string, name string) func(suffix string) pulumi.StringMap {
	return func(suffix string) pulumi.StringMap {
		t := maps.Clone(base)
		if t == nil {
			t = map[string]string{}
		}
		t["Name"] = name + "-" + suffix
		return pulumi.ToStringMap(t)
	}
}

// accountAdministers is the key-policy statement that leaves a key to the
// account's IAM policies (KMS developer guide, "Default key policy").
func accountAdministers(account string) map[string]any {
	return map[string]any{
		"Sid":       "AccountAdministers",
		"Effect":    "Allow",
		"Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"},
		"Action":    "kms:*",
		"Resource":  "*",
	}
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
