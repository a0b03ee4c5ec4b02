package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/oam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type tokens of the observability components.
const (
	MonitoringHubType         = "tierzone:observe:MonitoringHub"
	CustomerObservabilityType = "tierzone:observe:CustomerObservability"
)

// DashboardSpec is one dashboard: its name and its (checked) body.
type DashboardSpec struct {
	// Key names the Pulumi resource; stable per dashboard.
	Key  string
	Name string
	Body pulumi.StringInput
}

// AlarmSpec is one CloudWatch metric alarm on an AWS metric.
type AlarmSpec struct {
	// Key names the Pulumi resource.
	Key, Name, Description string
	Namespace, Metric      string
	Dimensions             map[string]pulumi.StringInput
	Statistic              string
	Period, Evaluations    int
	Threshold              float64
	Comparison             string
	TreatMissingData       string
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

func alarmDeps(as []*cloudwatch.MetricAlarm) []pulumi.Resource {
	var out []pulumi.Resource
	for _, a := range as {
		out = append(out, a)
	}
	return out
}

// newEncryptedTopic registers a KMS key (CloudWatch alarms may use it), a
// topic encrypted with it that only the account's alarms may publish to,
// over TLS, and an e-mail subscription per address.
func newEncryptedTopic(ctx *pulumi.Context, name string, account pulumi.StringOutput, region string, t TopicSpec, tags pulumi.StringMap, in []pulumi.ResourceOption, protect bool) (*sns.Topic, error) {
	arn := pulumi.Sprintf("arn:aws:sns:%s:%s:%s", region, account, t.Name)
	keyPolicy := account.ApplyT(func(a string) (string, error) {
		return jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
			accountAdministers(a),
			{"Sid": "AllowCloudWatchAlarmsToPublish", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
				"Action": []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": a}}},
		}})
	}).(pulumi.StringOutput)
	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.String("Tierzone alarm topic " + t.Name),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(KMSDeletionWindowDays),
		Policy:               keyPolicy,
		Tags:                 tags,
	}, keyOpts(in, protect)...)
	if err != nil {
		return nil, err
	}
	topicPolicy := pulumi.All(account, arn).ApplyT(func(v []any) (string, error) {
		return jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
			{"Sid": "CloudWatchAlarmsPublish", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
				"Action": "sns:Publish", "Resource": v[1], "Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": v[0]}}},
			{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Resource": v[1],
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}},
		}})
	}).(pulumi.StringOutput)
	topic, err := sns.NewTopic(ctx, name+"-topic", &sns.TopicArgs{
		Name: pulumi.String(t.Name), KmsMasterKeyId: key.Arn, Policy: topicPolicy, Tags: tags,
	}, in...)
	if err != nil {
		return nil, err
	}
	for _, e := range t.Emails {
		if _, err := sns.NewTopicSubscription(ctx, name+"-email-"+e, &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(e),
		}, in...); err != nil {
			return nil, err
		}
	}
	return topic, nil
}

// alarmArgs renders an AlarmSpec; with sourceAccount it is a cross-account
// alarm over the source account's metric (one metric query).
func alarmArgs(a AlarmSpec, topic pulumi.StringInput, sourceAccount pulumi.StringInput, tags pulumi.StringMap) *cloudwatch.MetricAlarmArgs {
	dims := pulumi.StringMap{}
	for k, v := range a.Dimensions {
		dims[k] = v
	}
	args := &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(a.Name),
		AlarmDescription:   pulumi.String(a.Description),
		EvaluationPeriods:  pulumi.Int(a.Evaluations),
		Threshold:          pulumi.Float64(a.Threshold),
		ComparisonOperator: pulumi.String(a.Comparison),
		TreatMissingData:   pulumi.String(a.TreatMissingData),
		AlarmActions:       pulumi.Array{topic},
		OkActions:          pulumi.Array{topic},
		Tags:               tags,
	}
	if sourceAccount == nil {
		args.Namespace, args.MetricName = pulumi.String(a.Namespace), pulumi.String(a.Metric)
		args.Statistic, args.Period, args.Dimensions = pulumi.String(a.Statistic), pulumi.Int(a.Period), dims
		return args
	}
	args.MetricQueries = cloudwatch.MetricAlarmMetricQueryArray{cloudwatch.MetricAlarmMetricQueryArgs{
		Id: pulumi.String("m1"), AccountId: sourceAccount, ReturnData: pulumi.Bool(true),
		Metric: cloudwatch.MetricAlarmMetricQueryMetricArgs{
			Namespace: pulumi.String(a.Namespace), MetricName: pulumi.String(a.Metric),
			Stat: pulumi.String(a.Statistic), Period: pulumi.Int(a.Period), Dimensions: dims,
		},
	}}
	return args
}

// keyOpts protects and retains a key when asked.
func keyOpts(in []pulumi.ResourceOption, protect bool) []pulumi.ResourceOption {
	if !protect {
		return in
	}
	return append(append([]pulumi.ResourceOption(nil), in...), pulumi.Protect(true), pulumi.RetainOnDelete(true))
}
