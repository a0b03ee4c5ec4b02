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
	Dashboards     []DashboardSpec
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
	c := &MonitoringHub{Topics: map[string]*sns.Topic{}}
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
