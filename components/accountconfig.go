package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AccountConfigType is the AccountConfig type token.
const AccountConfigType = "tierzone:detect:AccountConfig"

// ConfigRecorderName is the recorder and delivery channel name in every
// customer account (an account has one recorder per region).
const ConfigRecorderName = "tierzone"

// AccountConfigArgs configures AccountConfig.
type AccountConfigArgs struct {
	// IncludeGlobalResourceTypes records IAM and other global resources:
	// true in the one region that records them for the account, so they
	// are not recorded (and billed) once per region.
	IncludeGlobalResourceTypes bool
	// Bucket and Prefix are where the delivery channel writes (the tier's
	// archive bucket, "<tier>/<customer>").
	Bucket string
	Prefix string
	// PackName and PackTemplate are the tier's conformance pack.
	PackName     string
	PackTemplate string
	// DeliveryAfter are resources the delivery channel waits for (the
	// archive bucket policy that lets Config write), when in this stack.
	DeliveryAfter []pulumi.Resource
	// Provider works inside the customer's account.
	Provider pulumi.ProviderResource
}

// AccountConfig is AWS Config in one customer account: the recorder of
// every supported resource type, the delivery channel to the log archive,
// the recorder turned on, and the tier's conformance pack.
type AccountConfig struct {
	pulumi.ResourceState

	Role            *iam.ServiceLinkedRole
	Recorder        *cfg.Recorder
	DeliveryChannel *cfg.DeliveryChannel
	Status          *cfg.RecorderStatus
	ConformancePack *cfg.ConformancePack
}

// NewAccountConfig registers AWS Config in the account of Provider. The
// name is the customer key; children are named "<name>-config-...".
func NewAccountConfig(ctx *pulumi.Context, name string, args *AccountConfigArgs, opts ...pulumi.ResourceOption) (*AccountConfig, error) {
	if args == nil || args.Provider == nil || args.Bucket == "" || args.PackName == "" || args.PackTemplate == "" {
		return nil, errors.New("tierzone: NewAccountConfig needs Bucket, PackName, PackTemplate and the customer's Provider")
	}
	c := &AccountConfig{}
	if err := ctx.RegisterComponentResource(AccountConfigType, name, c, opts...); err != nil {
		return nil, err
	}
	in := func(after ...pulumi.Resource) []pulumi.ResourceOption {
		o := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(args.Provider)}
		if len(after) > 0 {
			o = append(o, pulumi.DependsOn(after))
		}
		return o
	}
	// The service-linked role AWS recommends for the recorder (Config
	// developer guide, "Using Service-Linked Roles for AWS Config"); with
	// it, deliveries to another account's bucket come from the Config
	// service principal, which the archive's bucket and key policies allow.
	role, err := iam.NewServiceLinkedRole(ctx, name+"-config-role", &iam.ServiceLinkedRoleArgs{
		AwsServiceName: pulumi.String(ConfigService),
	}, in()...)
	if err != nil {
		return nil, err
	}
	c.Role = role
	rec, err := cfg.NewRecorder(ctx, name+"-config-recorder", &cfg.RecorderArgs{
		Name:    pulumi.String(ConfigRecorderName),
		RoleArn: role.Arn,
		RecordingGroup: &cfg.RecorderRecordingGroupArgs{
			AllSupported:               pulumi.Bool(true),
			IncludeGlobalResourceTypes: pulumi.Bool(args.IncludeGlobalResourceTypes),
		},
	}, in()...)
	if err != nil {
		return nil, err
	}
	c.Recorder = rec
	ch, err := cfg.NewDeliveryChannel(ctx, name+"-config-delivery", &cfg.DeliveryChannelArgs{
		Name:         pulumi.String(ConfigRecorderName),
		S3BucketName: pulumi.String(args.Bucket),
		S3KeyPrefix:  pulumi.String(args.Prefix),
		SnapshotDeliveryProperties: &cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs{
			DeliveryFrequency: pulumi.String("TwentyFour_Hours"),
		},
	}, in(append([]pulumi.Resource{rec}, args.DeliveryAfter...)...)...)
	if err != nil {
		return nil, err
	}
	c.DeliveryChannel = ch
	st, err := cfg.NewRecorderStatus(ctx, name+"-config-recorder-status", &cfg.RecorderStatusArgs{
		Name:      rec.Name,
		IsEnabled: pulumi.Bool(true),
	}, in(ch)...)
	if err != nil {
		return nil, err
	}
	c.Status = st
	pack, err := cfg.NewConformancePack(ctx, name+"-conformance-pack", &cfg.ConformancePackArgs{
		Name:         pulumi.String(args.PackName),
		TemplateBody: pulumi.String(args.PackTemplate),
	}, in(st)...)
	if err != nil {
		return nil, err
	}
	c.ConformancePack = pack
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"recorder": rec.Name, "conformancePack": pack.Arn}); err != nil {
		return nil, err
	}
	return c, nil
}
