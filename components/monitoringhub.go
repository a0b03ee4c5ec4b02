package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/oam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DashboardSpec is one dashboard: its name and its (checked) body.
type DashboardSpec struct {
	// Key names the Pulumi resource; stable per dashboard.
	Key  string
	Name string
	Body pulumi.StringInput
}

// AlarmSpec is one CloudWatch metric alarm on an AWS metric, or, with
// Query, on a Metrics Insights query (one aggregated series over every
// matching metric, so it needs no resource id).
type AlarmSpec struct {
	// Key names the Pulumi resource.
	Key, Name, Description string
	Namespace, Metric      string
	Dimensions             map[string]pulumi.StringInput
	// Query is a Metrics Insights query (SELECT ... FROM SCHEMA(...));
	// Namespace, Metric, Dimensions and Statistic are then unused.
	Query               string
	Statistic           string
	Period, Evaluations int
	Threshold           float64
	Comparison          string
	TreatMissingData    string
}

// TopicSpec is one KMS-encrypted SNS topic and its e-mail subscribers.
type TopicSpec struct {
	Key, Name string
	Emails    []string
	// Events lets the account's EventBridge rules publish too.
	Events bool
}

// OperatorAlarmSpec is an alarm in the monitoring account over a source
// account's metric (MetricDataQuery AccountId).
type OperatorAlarmSpec struct {
	AlarmSpec
	SourceAccount pulumi.StringInput
	// Topic is the key of the topic it notifies.
	Topic string
	// Retain keeps the alarm in AWS when the stack deletes it (its
	// customer is being decommissioned from a protected stack).
	Retain bool
}

// OperatorBusSpec is an EventBridge bus in the monitoring account that
// receives the alarm state changes of one tier's customer accounts and
// passes each to the tier's operators' topic: the operators hear every
// customer alarm without a copy of it, and an account outside the tier
// cannot put events on the bus.
type OperatorBusSpec struct {
	Key, Name string
	// Topic is the key of the topic it notifies.
	Topic string
	// OrgPath is the aws:PrincipalOrgPaths pattern of the accounts that
	// may put events on it ("o-.../*/ou-.../*": the tier OU's subtree).
	OrgPath pulumi.StringInput
}

// MonitoringHubArgs configures the monitoring account's side.
type MonitoringHubArgs struct {
	// AccountID and Region are the monitoring account's.
	AccountID, Region string
	// OrganizationID is the only organization whose accounts may link.
	OrganizationID string
	SinkName       string
	// Topics are the tier operators' topics.
	Topics []TopicSpec
	// OperatorAlarms are cross-account alarms in the monitoring account
	// over metrics the links share, each notifying one of Topics.
	OperatorAlarms []OperatorAlarmSpec
	// OperatorBuses forward the tiers' customer alarms to Topics.
	OperatorBuses []OperatorBusSpec
	Dashboards    []DashboardSpec
	// Protect protects and retains the topics' keys.
	Protect  bool
	Tags     map[string]string
	Provider pulumi.ProviderResource
}

// MonitoringHub is the CloudWatch Observability Access Manager sink in the
// monitoring account, its policy, the operators' topics and the
// organization and tier dashboards.
type MonitoringHub struct {
	pulumi.ResourceState

	Sink       *oam.Sink
	SinkPolicy *oam.SinkPolicy
	Topics     map[string]*sns.Topic
	Dashboards []*cloudwatch.Dashboard
	// Buses are the operators' event buses by OperatorBusSpec key.
	Buses map[string]*cloudwatch.EventBus
	// SinkARN is what each customer account's link names; it resolves once
	// the policy admits the organization.
	SinkARN pulumi.StringOutput
}

// SinkPolicy is the sink's policy: any account of the organization may
// link metrics and logs, nothing else may.
func SinkPolicy(organizationID string) (string, error) {
	return jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
		"Effect": "Allow", "Principal": "*",
		"Action":    []string{"oam:CreateLink", "oam:UpdateLink"},
		"Resource":  "*",
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": organizationID}, "ForAllValues:StringEquals": map[string]any{"oam:ResourceTypes": OAMResourceTypes(true)}},
	}}})
}

// OAMResourceTypes are what a link shares: metrics, and logs when allowed.
func OAMResourceTypes(logs bool) []string {
	if logs {
		return []string{"AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"}
	}
	return []string{"AWS::CloudWatch::Metric"}
}

// NewMonitoringHub registers the sink, its policy, the operators' topics
// and the dashboards in the monitoring account.
func NewMonitoringHub(ctx *pulumi.Context, name string, args *MonitoringHubArgs, opts ...pulumi.ResourceOption) (*MonitoringHub, error) {
	if args == nil || args.Provider == nil || args.AccountID == "" || args.OrganizationID == "" || args.SinkName == "" {
		return nil, errors.New("tierzone: NewMonitoringHub needs AccountID, OrganizationID, SinkName and Provider")
	}
	c := &MonitoringHub{Topics: map[string]*sns.Topic{}, Buses: map[string]*cloudwatch.EventBus{}}
	if err := ctx.RegisterComponentResource(MonitoringHubType, name, c, opts...); err != nil {
		return nil, err
	}
	in := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(args.Provider)}
	tags := pulumi.ToStringMap(args.Tags)
	sink, err := oam.NewSink(ctx, name+"-sink", &oam.SinkArgs{Name: pulumi.String(args.SinkName), Tags: tags}, in...)
	if err != nil {
		return nil, err
	}
	c.Sink = sink
	doc, err := SinkPolicy(args.OrganizationID)
	if err != nil {
		return nil, err
	}
	pol, err := oam.NewSinkPolicy(ctx, name+"-sink-policy", &oam.SinkPolicyArgs{SinkIdentifier: sink.Arn, Policy: pulumi.String(doc)}, in...)
	if err != nil {
		return nil, err
	}
	c.SinkPolicy = pol
	c.SinkARN = pulumi.All(sink.Arn, pol.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
	for _, t := range args.Topics {
		topic, err := newEncryptedTopic(ctx, name+"-"+t.Key, pulumi.String(args.AccountID).ToStringOutput(), args.Region, t, tags, in, args.Protect)
		if err != nil {
			return nil, err
		}
		c.Topics[t.Key] = topic
	}
	for _, a := range args.OperatorAlarms {
		topic, ok := c.Topics[a.Topic]
		if !ok {
			return nil, errors.New("tierzone: operator alarm " + a.Name + " names no topic " + a.Topic)
		}
		// After the sink admits links: the metric arrives through one.
		opts := append(append([]pulumi.ResourceOption(nil), in...), pulumi.DependsOn([]pulumi.Resource{pol}))
		if a.Retain {
			opts = append(opts, pulumi.RetainOnDelete(true))
		}
		if _, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+a.Key, alarmArgs(a.AlarmSpec, topic.Arn, a.SourceAccount, tags), opts...); err != nil {
			return nil, err
		}
	}
	for _, b := range args.OperatorBuses {
		topic, ok := c.Topics[b.Topic]
		if !ok {
			return nil, errors.New("tierzone: operator bus " + b.Name + " names no topic " + b.Topic)
		}
		bus, err := newOperatorBus(ctx, name+"-"+b.Key, b, args.OrganizationID, topic, tags, in)
		if err != nil {
			return nil, err
		}
		c.Buses[b.Key] = bus
	}
	if c.Dashboards, err = newDashboards(ctx, name, args.Dashboards, in); err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"sinkArn": c.SinkARN}); err != nil {
		return nil, err
	}
	return c, nil
}

func newDashboards(ctx *pulumi.Context, name string, specs []DashboardSpec, in []pulumi.ResourceOption) ([]*cloudwatch.Dashboard, error) {
	var out []*cloudwatch.Dashboard
	for _, d := range specs {
		db, err := cloudwatch.NewDashboard(ctx, name+"-dashboard-"+d.Key, &cloudwatch.DashboardArgs{
			DashboardName: pulumi.String(d.Name), DashboardBody: d.Body,
		}, in...)
		if err != nil {
			return nil, err
		}
		out = append(out, db)
	}
	return out, nil
}

// AlarmStateChangePattern is the EventBridge pattern of CloudWatch alarm
// state changes; with prefix, only alarms whose name starts with it.
func AlarmStateChangePattern(prefix string) (string, error) {
	p := map[string]any{"source": []string{"aws.cloudwatch"}, "detail-type": []string{"CloudWatch Alarm State Change"}}
	if prefix != "" {
		p["detail"] = map[string]any{"alarmName": []any{map[string]string{"prefix": prefix}}}
	}
	return jsonString(p)
}

// OperatorBusPolicy is an operators' bus policy: PutEvents only from
// principals of the organization under orgPath.
func OperatorBusPolicy(busARN, organizationID, orgPath string) (string, error) {
	return jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
		"Sid": "TierAccountsForwardAlarms", "Effect": "Allow", "Principal": "*",
		"Action": "events:PutEvents", "Resource": busARN,
		"Condition": map[string]any{
			"StringEquals":           map[string]any{"aws:PrincipalOrgID": organizationID},
			"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": []string{orgPath}},
		},
	}}})
}

// newOperatorBus registers an operators' bus, its policy and the rule
// that turns each forwarded alarm state change into one line on topic.
func newOperatorBus(ctx *pulumi.Context, name string, b OperatorBusSpec, organizationID string, topic *sns.Topic, tags pulumi.StringMap, in []pulumi.ResourceOption) (*cloudwatch.EventBus, error) {
	bus, err := cloudwatch.NewEventBus(ctx, name+"-bus", &cloudwatch.EventBusArgs{Name: pulumi.String(b.Name), Tags: tags}, in...)
	if err != nil {
		return nil, err
	}
	doc := pulumi.All(bus.Arn, b.OrgPath).ApplyT(func(v []any) (string, error) {
		return OperatorBusPolicy(v[0].(string), organizationID, v[1].(string))
	}).(pulumi.StringOutput)
	if _, err := cloudwatch.NewEventBusPolicy(ctx, name+"-bus-policy", &cloudwatch.EventBusPolicyArgs{EventBusName: bus.Name, Policy: doc}, in...); err != nil {
		return nil, err
	}
	pattern, err := AlarmStateChangePattern("")
	if err != nil {
		return nil, err
	}
	rule, err := cloudwatch.NewEventRule(ctx, name+"-rule", &cloudwatch.EventRuleArgs{
		Name: pulumi.String(b.Name + "-alarms"), EventBusName: bus.Name, EventPattern: pulumi.String(pattern),
		Description: pulumi.String("Customer alarm state changes to the operators' topic"), Tags: tags,
	}, in...)
	if err != nil {
		return nil, err
	}
	_, err = cloudwatch.NewEventTarget(ctx, name+"-target", &cloudwatch.EventTargetArgs{
		Rule: rule.Name, EventBusName: bus.Name, TargetId: pulumi.String("operators-topic"), Arn: topic.Arn,
		InputTransformer: cloudwatch.EventTargetInputTransformerArgs{
			InputPaths: pulumi.StringMap{
				"account": pulumi.String("$.account"), "alarm": pulumi.String("$.detail.alarmName"),
				"state": pulumi.String("$.detail.state.value"), "reason": pulumi.String("$.detail.state.reason"),
			},
			InputTemplate: pulumi.String(`"Alarm <alarm> in account <account> is <state>: <reason>"`),
		},
	}, in...)
	if err != nil {
		return nil, err
	}
	return bus, nil
}
