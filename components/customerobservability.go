package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
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
	// OperatorsBus is the ARN of the tier operators' event bus in the
	// monitoring account; when set, an EventBridge rule forwards the state
	// changes of the alarms named AlarmPrefix... to it.
	OperatorsBus pulumi.StringInput
	AlarmPrefix  string
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
	// Forward is the rule forwarding alarm state changes to the operators.
	Forward *cloudwatch.EventRule
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
	if args.OperatorsBus != nil {
		if args.AlarmPrefix == "" {
			return nil, errors.New("tierzone: NewCustomerObservability needs AlarmPrefix with OperatorsBus")
		}
		if c.Forward, err = newAlarmForwarding(ctx, name, account, args.OperatorsBus, args.AlarmPrefix, tags, in); err != nil {
			return nil, err
		}
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

// newAlarmForwarding registers the rule on the account's default bus that
// sends its alarms' state changes to the operators' bus, and the role the
// rule sends with: a bus in another account that admits an organization
// path, not this account by id, takes events only from a target with a
// role (PutTargets RoleArn).
func newAlarmForwarding(ctx *pulumi.Context, name string, account pulumi.StringOutput, bus pulumi.StringInput, prefix string, tags pulumi.StringMap, in []pulumi.ResourceOption) (*cloudwatch.EventRule, error) {
	trust := account.ApplyT(func(a string) (string, error) {
		return jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
			"Effect": "Allow", "Principal": map[string]any{"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole",
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": a}},
		}}})
	}).(pulumi.StringOutput)
	role, err := iam.NewRole(ctx, name+"-alarm-forward-role", &iam.RoleArgs{
		Description: pulumi.String("EventBridge forwards this account's Tierzone alarm state changes to the operators"), AssumeRolePolicy: trust, Tags: tags,
	}, in...)
	if err != nil {
		return nil, err
	}
	put := bus.ToStringOutput().ApplyT(func(arn string) (string, error) {
		return jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
			"Effect": "Allow", "Action": "events:PutEvents", "Resource": arn,
		}}})
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, name+"-alarm-forward-policy", &iam.RolePolicyArgs{Role: role.Name, Policy: put}, in...); err != nil {
		return nil, err
	}
	pattern, err := AlarmStateChangePattern(prefix)
	if err != nil {
		return nil, err
	}
	rule, err := cloudwatch.NewEventRule(ctx, name+"-alarm-forward", &cloudwatch.EventRuleArgs{
		Description: pulumi.String("Tierzone alarm state changes to the operators' bus"), EventPattern: pulumi.String(pattern), Tags: tags,
	}, in...)
	if err != nil {
		return nil, err
	}
	if _, err := cloudwatch.NewEventTarget(ctx, name+"-alarm-forward-target", &cloudwatch.EventTargetArgs{
		Rule: rule.Name, TargetId: pulumi.String("operators-bus"), Arn: bus, RoleArn: role.Arn,
	}, in...); err != nil {
		return nil, err
	}
	return rule, nil
}
