package components

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TrailMonitoringType is the TrailMonitoring type token.
const TrailMonitoringType = "tierzone:detect:TrailMonitoring"

// MetricAlarmSpec is one CIS metric filter and its alarm.
type MetricAlarmSpec struct {
	// Key names the filter, metric and alarm.
	Key         string
	Description string
	Pattern     string
}

// TrailMonitoringArgs configures TrailMonitoring.
type TrailMonitoringArgs struct {
	// AccountID and Region are the management account's, where the
	// organization trail lives.
	AccountID pulumi.StringInput
	Region    string
	// TrailName is the organization trail that delivers into the group.
	TrailName string
	// LogGroupName and RetentionDays are the trail's CloudWatch log group.
	LogGroupName  string
	RetentionDays int
	// NamePrefix prefixes the role, topic, filters and alarms.
	NamePrefix string
	Namespace  string
	Alarms     []MetricAlarmSpec
	// Protect protects and retains the log group and its key.
	Protect bool
	Tags    map[string]string
	// Provider is the management account's provider.
	Provider pulumi.ProviderResource
}

// TrailMonitoring is the CIS "Monitoring" section on the organization
// trail: a KMS-encrypted log group the trail also delivers to, with the
// role CloudTrail writes with, a metric filter and alarm per
// recommendation, and a KMS-encrypted SNS topic the alarms notify.
type TrailMonitoring struct {
	pulumi.ResourceState

	Key        *kms.Key
	LogGroup   *cloudwatch.LogGroup
	Role       *iam.Role
	RolePolicy *iam.RolePolicy
	Topic      *sns.Topic
	Filters    []*cloudwatch.LogMetricFilter
	Alarms     []*cloudwatch.MetricAlarm
	// LogGroupARN is what the trail's cloudWatchLogsGroupArn takes
	// ("arn:aws:logs:<region>:<account>:log-group:<name>:*"); RoleARN its
	// cloudWatchLogsRoleArn. Both resolve once the role may write.
	LogGroupARN pulumi.StringOutput
	RoleARN     pulumi.StringOutput
}

// NewTrailMonitoring registers the trail's log group, role, topic,
// filters and alarms. The name prefixes its children.
func NewTrailMonitoring(ctx *pulumi.Context, name string, args *TrailMonitoringArgs, opts ...pulumi.ResourceOption) (*TrailMonitoring, error) {
	if args == nil || args.Provider == nil || args.AccountID == nil || args.LogGroupName == "" || args.TrailName == "" || args.Region == "" {
		return nil, errors.New("tierzone: NewTrailMonitoring needs AccountID, Region, TrailName, LogGroupName and Provider")
	}
	c := &TrailMonitoring{}
	if err := ctx.RegisterComponentResource(TrailMonitoringType, name, c, opts...); err != nil {
		return nil, err
	}
	in := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(args.Provider)}
	kept := in
	if args.Protect {
		kept = append(append([]pulumi.ResourceOption(nil), in...), pulumi.Protect(true), pulumi.RetainOnDelete(true))
	}
	tags := pulumi.ToStringMap(args.Tags)
	groupARN := pulumi.Sprintf("arn:aws:logs:%s:%s:log-group:%s", args.Region, args.AccountID, args.LogGroupName)
	topicName := args.NamePrefix + "-cis-alarms"
	topicARN := pulumi.Sprintf("arn:aws:sns:%s:%s:%s", args.Region, args.AccountID, topicName)

	keyPolicy := pulumi.All(args.AccountID, groupARN).ApplyT(func(v []any) (string, error) {
		account, group := v[0].(string), v[1].(string)
		return jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
			{"Sid": "KeyAccountAdministers", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"}, "Action": "kms:*", "Resource": "*"},
			// CloudWatch Logs encrypts the trail's group only (CloudWatch
			// Logs user guide, "Encrypt log data using AWS KMS").
			{"Sid": "AllowLogsForTheTrailGroup", "Effect": "Allow", "Principal": map[string]any{"Service": "logs." + args.Region + ".amazonaws.com"},
				"Action": []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"}, "Resource": "*",
				"Condition": map[string]any{"ArnEquals": map[string]any{"kms:EncryptionContext:aws:logs:arn": group}}},
			// CloudWatch alarms publish to the encrypted topic (SNS
			// developer guide, "Enable compatibility between event sources
			// and encrypted topics").
			{"Sid": "AllowCloudWatchAlarmsToPublish", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
				"Action": []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}}},
		}})
	}).(pulumi.StringOutput)
	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.String("Tierzone CIS monitoring: organization trail log group and alarm topic"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(KMSDeletionWindowDays),
		Policy:               keyPolicy,
		Tags:                 tags,
	}, kept...)
	if err != nil {
		return nil, err
	}
	c.Key = key
	group, err := cloudwatch.NewLogGroup(ctx, name+"-log-group", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(args.LogGroupName),
		RetentionInDays: pulumi.Int(args.RetentionDays),
		KmsKeyId:        key.Arn,
		Tags:            tags,
	}, kept...)
	if err != nil {
		return nil, err
	}
	c.LogGroup = group

	trailARN := pulumi.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", args.Region, args.AccountID, args.TrailName)
	trust := pulumi.All(args.AccountID, trailARN).ApplyT(func(v []any) (string, error) {
		return jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
			"Effect": "Allow", "Principal": map[string]any{"Service": CloudTrailService}, "Action": "sts:AssumeRole",
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": v[0], "aws:SourceArn": v[1]}},
		}}})
	}).(pulumi.StringOutput)
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(args.NamePrefix + "-trail-to-cloudwatch"),
		AssumeRolePolicy: trust,
		Tags:             tags,
	}, in...)
	if err != nil {
		return nil, err
	}
	c.Role = role
	// CloudTrail user guide, "Role policy document for CloudTrail to use
	// CloudWatch Logs": CreateLogStream and PutLogEvents on the group's
	// streams, organization trail streams included.
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-role-policy", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: groupARN.ApplyT(func(g string) (string, error) {
			return jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
				"Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"},
				"Resource": g + ":log-stream:*",
			}}})
		}).(pulumi.StringOutput),
	}, in...)
	if err != nil {
		return nil, err
	}
	c.RolePolicy = rolePolicy

	topicPolicy := alarmTopicPolicy(args.AccountID, topicARN)
	topic, err := sns.NewTopic(ctx, name+"-topic", &sns.TopicArgs{
		Name:           pulumi.String(topicName),
		KmsMasterKeyId: key.Arn,
		Policy:         topicPolicy,
		Tags:           tags,
	}, in...)
	if err != nil {
		return nil, err
	}
	c.Topic = topic

	for _, a := range args.Alarms {
		metric := args.NamePrefix + "-cis-" + a.Key
		f, err := cloudwatch.NewLogMetricFilter(ctx, name+"-cis-"+a.Key, &cloudwatch.LogMetricFilterArgs{
			Name:         pulumi.String(metric),
			LogGroupName: group.Name,
			Pattern:      pulumi.String(a.Pattern),
			MetricTransformation: &cloudwatch.LogMetricFilterMetricTransformationArgs{
				Name: pulumi.String(metric), Namespace: pulumi.String(args.Namespace), Value: pulumi.String("1"),
			},
		}, in...)
		if err != nil {
			return nil, err
		}
		c.Filters = append(c.Filters, f)
		al, err := cloudwatch.NewMetricAlarm(ctx, name+"-cis-"+a.Key+"-alarm", &cloudwatch.MetricAlarmArgs{
			Name:               pulumi.String(metric),
			AlarmDescription:   pulumi.String(a.Description),
			MetricName:         pulumi.String(metric),
			Namespace:          pulumi.String(args.Namespace),
			Statistic:          pulumi.String("Sum"),
			Period:             pulumi.Int(300),
			EvaluationPeriods:  pulumi.Int(1),
			Threshold:          pulumi.Float64(1),
			ComparisonOperator: pulumi.String("GreaterThanOrEqualToThreshold"),
			TreatMissingData:   pulumi.String("notBreaching"),
			AlarmActions:       pulumi.Array{topic.Arn},
			Tags:               tags,
		}, append(in, pulumi.DependsOn([]pulumi.Resource{f}))...)
		if err != nil {
			return nil, err
		}
		c.Alarms = append(c.Alarms, al)
	}
	// The trail may only name the group once its role can write to it.
	c.LogGroupARN = pulumi.All(group.Arn, rolePolicy.ID()).ApplyT(func(v []any) string { return fmt.Sprintf("%s:*", v[0]) }).(pulumi.StringOutput)
	c.RoleARN = pulumi.All(role.Arn, rolePolicy.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"logGroup": group.Name, "topic": topic.Arn}); err != nil {
		return nil, err
	}
	return c, nil
}
