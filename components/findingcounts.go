package components

import (
	"errors"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/oam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// FindingCountsType is the type token of FindingCounts.
const FindingCountsType = "tierzone:observe:FindingCounts"

// FindingsNamespace is the CloudWatch namespace of the finding counts.
const FindingsNamespace = "Tierzone/Findings"

// FindingMetric is one count: a metric filter on the findings log group.
type FindingMetric struct {
	// Key names the resource; Name is the metric's name.
	Key, Name string
	// Pattern is the CloudWatch Logs filter pattern over the events.
	Pattern string
}

// FindingSource is the EventBridge pattern of one service's findings.
type FindingSource struct {
	Key     string
	Pattern string
}

// FindingCountsArgs configures FindingCounts.
type FindingCountsArgs struct {
	// AccountID and Region are the security tooling account's (the
	// delegated administrator, whose EventBridge receives every member's
	// findings) and its home region.
	AccountID, Region string
	// LogGroup receives the findings events; RetentionDays keeps them.
	LogGroup      string
	RetentionDays int
	Sources       []FindingSource
	Metrics       []FindingMetric
	// SinkARN, when set, links the security account to the monitoring
	// account's sink (metrics only), for a monitoring account of its own.
	SinkARN pulumi.StringInput
	// Protect protects and retains the log group (findings are evidence).
	Protect  bool
	Tags     map[string]string
	Provider pulumi.ProviderResource
}

// FindingCounts turns GuardDuty and Security Hub findings into CloudWatch
// metrics, which neither service publishes: EventBridge rules in the
// security account send the findings events to a log group, and metric
// filters count them.
type FindingCounts struct {
	pulumi.ResourceState

	LogGroup *cloudwatch.LogGroup
	Rules    []*cloudwatch.EventRule
	Filters  []*cloudwatch.LogMetricFilter
	Link     *oam.Link
}

// NewFindingCounts registers the log group, its resource policy, a rule
// and target per source and a metric filter per count.
func NewFindingCounts(ctx *pulumi.Context, name string, args *FindingCountsArgs, opts ...pulumi.ResourceOption) (*FindingCounts, error) {
	if args == nil || args.Provider == nil || args.AccountID == "" || args.Region == "" || args.LogGroup == "" {
		return nil, errors.New("tierzone: NewFindingCounts needs AccountID, Region, LogGroup and Provider")
	}
	c := &FindingCounts{}
	if err := ctx.RegisterComponentResource(FindingCountsType, name, c, opts...); err != nil {
		return nil, err
	}
	in := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(args.Provider)}
	tags := pulumi.ToStringMap(args.Tags)
	lg, err := cloudwatch.NewLogGroup(ctx, name+"-log-group", &cloudwatch.LogGroupArgs{
		Name: pulumi.String(args.LogGroup), RetentionInDays: pulumi.Int(args.RetentionDays), Tags: tags,
	}, keyOpts(in, args.Protect)...)
	if err != nil {
		return nil, err
	}
	c.LogGroup = lg
	// A CloudWatch Logs target created through the API needs the group's
	// resource policy to let EventBridge write (the console adds it).
	groupARN := "arn:aws:logs:" + args.Region + ":" + args.AccountID + ":log-group:" + args.LogGroup + ":*"
	doc, err := jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
		"Sid": "EventBridgeWritesFindings", "Effect": "Allow",
		"Principal": map[string]any{"Service": []string{"events.amazonaws.com", "delivery.logs.amazonaws.com"}},
		"Action":    []string{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": groupARN,
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": args.AccountID}},
	}}})
	if err != nil {
		return nil, err
	}
	pol, err := cloudwatch.NewLogResourcePolicy(ctx, name+"-log-policy", &cloudwatch.LogResourcePolicyArgs{
		PolicyName: pulumi.String(strings.ReplaceAll(strings.TrimPrefix(args.LogGroup, "/"), "/", "-")), PolicyDocument: pulumi.String(doc),
	}, in...)
	if err != nil {
		return nil, err
	}
	for _, src := range args.Sources {
		rule, err := cloudwatch.NewEventRule(ctx, name+"-"+src.Key, &cloudwatch.EventRuleArgs{
			Description: pulumi.String("Tierzone: " + src.Key + " findings to " + args.LogGroup), EventPattern: pulumi.String(src.Pattern), Tags: tags,
		}, in...)
		if err != nil {
			return nil, err
		}
		if _, err := cloudwatch.NewEventTarget(ctx, name+"-"+src.Key+"-target", &cloudwatch.EventTargetArgs{
			Rule: rule.Name, TargetId: pulumi.String("findings-log-group"), Arn: lg.Arn,
		}, append(in, pulumi.DependsOn([]pulumi.Resource{pol}))...); err != nil {
			return nil, err
		}
		c.Rules = append(c.Rules, rule)
	}
	for _, m := range args.Metrics {
		f, err := cloudwatch.NewLogMetricFilter(ctx, name+"-"+m.Key, &cloudwatch.LogMetricFilterArgs{
			Name: pulumi.String(m.Name), LogGroupName: lg.Name, Pattern: pulumi.String(m.Pattern),
			MetricTransformation: cloudwatch.LogMetricFilterMetricTransformationArgs{
				Name: pulumi.String(m.Name), Namespace: pulumi.String(FindingsNamespace), Value: pulumi.String("1"), DefaultValue: pulumi.String("0"),
			},
		}, in...)
		if err != nil {
			return nil, err
		}
		c.Filters = append(c.Filters, f)
	}
	if args.SinkARN != nil {
		if c.Link, err = oam.NewLink(ctx, name+"-oam-link", &oam.LinkArgs{
			SinkIdentifier: args.SinkARN, LabelTemplate: pulumi.String("security ($AccountName)"),
			ResourceTypes: pulumi.ToStringArray(OAMResourceTypes(false)), Tags: tags,
		}, in...); err != nil {
			return nil, err
		}
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"logGroup": lg.Name}); err != nil {
		return nil, err
	}
	return c, nil
}
