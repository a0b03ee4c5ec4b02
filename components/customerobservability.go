package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/oam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CustomerObservabilityArgs configures what lives in one customer account,
// plus the operators' copies of its alarms in the monitoring account.
type CustomerObservabilityArgs struct {
	AccountID pulumi.StringInput
	Region    string
	// SinkARN is the monitoring account's sink; ShareLogs adds logs to
	// the link.
	SinkARN   pulumi.StringInput
	ShareLogs bool
	Label     string
	Topic     TopicSpec
	Alarms    []AlarmSpec
	Dashboard DashboardSpec
	// Protect protects and retains the topic's key.
	Protect  bool
	Tags     map[string]string
	Provider pulumi.ProviderResource
}

// CustomerObservability is a customer account's OAM link, alarm topic,
// alarms and own dashboard.
type CustomerObservability struct {
	pulumi.ResourceState

	Link      *oam.Link
	Topic     *sns.Topic
	Alarms    []*cloudwatch.MetricAlarm
	Dashboard *cloudwatch.Dashboard
}

// NewCustomerObservability registers the customer account's link, topic,
// alarms and dashboard, and the operators' alarms.
func NewCustomerObservability(ctx *pulumi.Context, name string, args *CustomerObservabilityArgs, opts ...pulumi.ResourceOption) (*CustomerObservability, error) {
	if args == nil || args.Provider == nil || args.AccountID == nil || args.Region == "" || args.Topic.Name == "" {
		return nil, errors.New("tierzone: NewCustomerObservability needs AccountID, Region, Topic and Provider")
	}
	c := &CustomerObservability{}
	if err := ctx.RegisterComponentResource(CustomerObservabilityType, name, c, opts...); err != nil {
		return nil, err
	}
	in := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(args.Provider)}
	tags := pulumi.ToStringMap(args.Tags)
	if args.SinkARN != nil {
		link, err := oam.NewLink(ctx, name+"-oam-link", &oam.LinkArgs{
			SinkIdentifier: args.SinkARN,
			LabelTemplate:  pulumi.String(args.Label),
			ResourceTypes:  pulumi.ToStringArray(OAMResourceTypes(args.ShareLogs)),
			Tags:           tags,
		}, in...)
		if err != nil {
			return nil, err
		}
		c.Link = link
	}
	account := args.AccountID.ToStringOutput()
	t, err := newEncryptedTopic(ctx, name+"-alarms", account, args.Region, args.Topic, tags, in, args.Protect)
	if err != nil {
		return nil, err
	}
	c.Topic = t
	for _, a := range args.Alarms {
		al, err := cloudwatch.NewMetricAlarm(ctx, name+"-alarm-"+a.Key, alarmArgs(a, t.Arn, nil, tags), in...)
		if err != nil {
			return nil, err
		}
		c.Alarms = append(c.Alarms, al)
	}
	if args.Dashboard.Name != "" {
		ds, err := newDashboards(ctx, name, []DashboardSpec{args.Dashboard}, append(in, pulumi.DependsOn(alarmDeps(c.Alarms))))
		if err != nil {
			return nil, err
		}
		c.Dashboard = ds[0]
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"topic": t.Arn}); err != nil {
		return nil, err
	}
	return c, nil
}
