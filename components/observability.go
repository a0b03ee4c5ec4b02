package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type tokens of the observability components.
const (
	MonitoringHubType         = "tierzone:observe:MonitoringHub"
	CustomerObservabilityType = "tierzone:observe:CustomerObservability"
)

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
			{"Sid": "AllowCloudWatchAlarmsToPublish", "Effect": "Allow", "Principal": map[string]any{"Service": servicePrincipal(publishers(t.Events))},
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
	topicPolicy := alarmTopicPolicy(account, arn, publishers(t.Events)...)
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
	if a.Query != "" {
		// PutMetricAlarm: a Metrics Insights query is a metric query's
		// expression, with the period on the query.
		args.MetricQueries = cloudwatch.MetricAlarmMetricQueryArray{cloudwatch.MetricAlarmMetricQueryArgs{
			Id: pulumi.String("q1"), Expression: pulumi.String(a.Query), Period: pulumi.Int(a.Period), ReturnData: pulumi.Bool(true),
		}}
		return args
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

// publishers are the services that publish to an alarm topic: CloudWatch
// alarms, and with events EventBridge rules (the operators' topics).
func publishers(events bool) []string {
	if events {
		return []string{"cloudwatch.amazonaws.com", "events.amazonaws.com"}
	}
	return []string{"cloudwatch.amazonaws.com"}
}

// servicePrincipal is a policy's Service principal: one service as a
// string (the form policies had before there could be two), else a list.
func servicePrincipal(services []string) any {
	if len(services) == 1 {
		return services[0]
	}
	return services
}

// alarmTopicPolicy is an alarm topic's policy: only CloudWatch alarms (and
// any other services given) of account may publish to the topic, and only
// over TLS.
func alarmTopicPolicy(account, topicARN pulumi.Input, services ...string) pulumi.StringOutput {
	if len(services) == 0 {
		services = publishers(false)
	}
	principal := servicePrincipal(services)
	return pulumi.All(account, topicARN).ApplyT(func(v []any) (string, error) {
		return jsonString(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
			{"Sid": "CloudWatchAlarmsPublish", "Effect": "Allow", "Principal": map[string]any{"Service": principal},
				"Action": "sns:Publish", "Resource": v[1], "Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": v[0]}}},
			{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Resource": v[1],
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}},
		}})
	}).(pulumi.StringOutput)
}
