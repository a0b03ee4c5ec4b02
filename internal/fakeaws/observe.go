package fakeaws

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Observability kinds (issue 13): CloudWatch dashboards, SNS e-mail
// subscriptions and the Observability Access Manager sink, its policy and
// links, with the constraints the real APIs enforce.
const (
	tDashboard    = "aws:cloudwatch/dashboard:Dashboard"
	tSubscription = "aws:sns/topicSubscription:TopicSubscription"
	tSink         = "aws:oam/sink:Sink"
	tSinkPolicy   = "aws:oam/sinkPolicy:SinkPolicy"
	tLink         = "aws:oam/link:Link"
)

var (
	// PutDashboard DashboardName: alphanumerics, - and _; at most 255.
	dashboardNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
	// CreateSink Name: 1-255 of [a-zA-Z0-9_.-].
	sinkNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,255}$`)
	sinkARNRE  = regexp.MustCompile(`^arn:aws:oam:([a-z0-9-]+):(\d{12}):sink/[a-zA-Z0-9-]+$`)
)

// Dashboard limits: 500 widgets, 500 metrics per widget, 2,500 per
// dashboard ("CloudWatch service quotas").
const (
	fakeMaxWidgets          = 500
	fakeMaxMetricsPerWidget = 500
	fakeMaxMetrics          = 2500
)

// oamResourceTypes are the types a link may share (CreateLink ResourceTypes).
var oamResourceTypes = []string{"AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace",
	"AWS::ApplicationInsights::Application", "AWS::InternetMonitor::Monitor", "AWS::ApplicationSignals::Service", "AWS::ApplicationSignals::ServiceLevelObjective"}

func dashboardBodyFailures(body string) []failure {
	var b struct {
		Widgets []struct {
			Type       string `json:"type"`
			Properties struct {
				Metrics []json.RawMessage `json:"metrics"`
			} `json:"properties"`
		} `json:"widgets"`
	}
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return []failure{failf("dashboardBody", "InvalidParameterInput: The dashboard body is invalid, there are 1 validation errors: %v", err)}
	}
	var out []failure
	if len(b.Widgets) > fakeMaxWidgets {
		out = append(out, failf("dashboardBody", "InvalidParameterInput: %d widgets; at most %d", len(b.Widgets), fakeMaxWidgets))
	}
	total := 0
	for i, w := range b.Widgets {
		if !slices.Contains([]string{"metric", "text", "alarm", "log", "explorer", "custom"}, w.Type) {
			out = append(out, failf("dashboardBody", "InvalidParameterInput: widgets[%d].type %q is not a widget type", i, w.Type))
		}
		n := len(w.Properties.Metrics)
		total += n
		if n > fakeMaxMetricsPerWidget {
			out = append(out, failf("dashboardBody", "InvalidParameterInput: widgets[%d] has %d metrics; at most %d", i, n, fakeMaxMetricsPerWidget))
		}
	}
	if total > fakeMaxMetrics {
		out = append(out, failf("dashboardBody", "InvalidParameterInput: %d metrics; at most %d per dashboard", total, fakeMaxMetrics))
	}
	return out
}

// sinkOf finds the sink an ARN names, in the account and region the ARN
// says (a link's sink lives in another account).
func sinkOf(c *opCtx, arn string) (*Record, error) {
	m := sinkARNRE.FindStringSubmatch(arn)
	if m == nil {
		return nil, awsErr("ValidationException", "%q is not a sink ARN", arn)
	}
	r, err := c.tx.get(m[2], m[1], tSink, arn)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, awsErr("ResourceNotFoundException", "sink %s not found", arn)
	}
	return r, nil
}

func observeKinds() []*kind {
	return []*kind{
		{
			token: tDashboard, label: "CloudWatch Dashboard",
			replaces: []string{"dashboardName"},
			outputs:  []string{"dashboardArn"},
			static: func(in map[string]any) []failure {
				var out []failure
				if n, ok := str(in, "dashboardName"); ok && !dashboardNameRE.MatchString(n) {
					out = append(out, failf("dashboardName", "InvalidParameterInput: The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_)"))
				}
				if b, ok := str(in, "dashboardBody"); ok {
					out = append(out, dashboardBodyFailures(b)...)
				}
				return out
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "dashboardName")
				// Dashboards are global per account: the ARN has no region.
				return name, map[string]any{"dashboardArn": fmt.Sprintf("arn:aws:cloudwatch::%s:dashboard/%s", c.account, name)}, nil
			},
		},
		{
			token: tSubscription, label: "SNS Topic Subscription",
			replaces: []string{"topic", "protocol", "endpoint"},
			outputs:  []string{"arn", "ownerId", "pendingConfirmation", "confirmationWasAuthenticated"},
			static: func(in map[string]any) []failure {
				p, _ := str(in, "protocol")
				if p != "" && !slices.Contains([]string{"http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"}, p) {
					return []failure{failf("protocol", "InvalidParameter: Invalid parameter: Protocol %q", p)}
				}
				if e, ok := str(in, "endpoint"); ok && strings.HasPrefix(p, "email") && !strings.Contains(e, "@") {
					return []failure{failf("endpoint", "InvalidParameter: Invalid parameter: Email address %q", e)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				topic, _ := str(in, "topic")
				r, err := c.find(tTopic, topic)
				if err != nil {
					return err
				}
				if r == nil {
					return awsErr("NotFound", "Topic does not exist: %s", topic)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				topic, _ := str(in, "topic")
				arn := topic + ":" + uuid()
				p, _ := str(in, "protocol")
				// An e-mail subscription stays pending until confirmed.
				return arn, map[string]any{"arn": arn, "ownerId": c.account, "pendingConfirmation": strings.HasPrefix(p, "email"), "confirmationWasAuthenticated": false}, nil
			},
		},
		{
			token: tSink, label: "ObservabilityAccessManager Sink", tagsAll: true,
			replaces: []string{"name"},
			outputs:  []string{"arn", "sinkId"},
			static: func(in map[string]any) []failure {
				if n, ok := str(in, "name"); ok && !sinkNameRE.MatchString(n) {
					return []failure{failf("name", "ValidationException: name must be 1-255 of [a-zA-Z0-9_.-]")}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				// OAM quotas: one sink per account per Region.
				others, err := c.findWhere(tSink, selfID, c.regional)
				if err != nil {
					return err
				}
				if len(others) > 0 {
					return awsErr("ServiceQuotaExceededException", "account %s already has a sink in %s", c.account, c.region)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := uuid()
				arn := fmt.Sprintf("arn:aws:oam:%s:%s:sink/%s", c.region, c.account, id)
				return arn, map[string]any{"arn": arn, "sinkId": id}, nil
			},
		},
		{
			token: tSinkPolicy, label: "ObservabilityAccessManager Sink Policy",
			replaces: []string{"sinkIdentifier"},
			outputs:  []string{"arn", "sinkId"},
			static: func(in map[string]any) []failure {
				if p, ok := str(in, "policy"); ok && !validJSON(p) {
					return []failure{failf("policy", "ValidationException: the sink policy is not valid JSON")}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				sink, _ := str(in, "sinkIdentifier")
				r, err := sinkOf(c, sink)
				if err != nil {
					return err
				}
				if r.Account != c.account {
					return awsErr("AccessDeniedException", "sink %s is not in account %s", sink, c.account)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				sink, _ := str(in, "sinkIdentifier")
				return sink, map[string]any{"arn": sink, "sinkId": sink[strings.LastIndex(sink, "/")+1:]}, nil
			},
		},
		{
			token: tLink, label: "ObservabilityAccessManager Link", tagsAll: true,
			replaces: []string{"sinkIdentifier", "labelTemplate"},
			outputs:  []string{"arn", "label", "linkId", "sinkArn"},
			static: func(in map[string]any) []failure {
				var out []failure
				if l, ok := str(in, "labelTemplate"); ok && (l == "" || len(l) > 64) {
					out = append(out, failf("labelTemplate", "ValidationException: labelTemplate must be 1-64 characters"))
				}
				if ts, ok := in["resourceTypes"].([]any); ok {
					if len(ts) == 0 {
						out = append(out, failf("resourceTypes", "ValidationException: at least one resource type"))
					}
					for _, t := range ts {
						if s, ok := t.(string); ok && !slices.Contains(oamResourceTypes, s) {
							out = append(out, failf("resourceTypes", "ValidationException: %q is not a resource type a link can share", s))
						}
					}
				}
				return out
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				sink, _ := str(in, "sinkIdentifier")
				r, err := sinkOf(c, sink)
				if err != nil {
					return err
				}
				if r.Account == c.account {
					return awsErr("ConflictException", "a monitoring account cannot link to its own sink")
				}
				// CreateLink needs the sink's policy to admit the caller.
				pol, err := c.tx.get(r.Account, r.Region, tSinkPolicy, sink)
				if err != nil {
					return err
				}
				if pol == nil {
					return awsErr("AccessDeniedException", "sink %s has no policy admitting account %s", sink, c.account)
				}
				others, err := c.findWhere(tLink, selfID, func(o *Record) bool { v, _ := str(o.Inputs, "sinkIdentifier"); return v == sink })
				if err != nil {
					return err
				}
				if len(others) > 0 {
					return awsErr("ConflictException", "account %s already links to sink %s", c.account, sink)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				sink, _ := str(in, "sinkIdentifier")
				id := uuid()
				arn := fmt.Sprintf("arn:aws:oam:%s:%s:link/%s", c.region, c.account, id)
				label, _ := str(in, "labelTemplate")
				return arn, map[string]any{"arn": arn, "linkId": id, "sinkArn": sink, "label": strings.ReplaceAll(label, "$AccountName", c.account)}, nil
			},
		},
	}
}

// alarmFailures are PutMetricAlarm's rules on periods and metric queries:
// Period is 10, 20, 30 or a multiple of 60; a metric alarm names either a
// metric or metric queries, exactly one query returns data, and a Metrics
// Insights query has a period.
func alarmFailures(in map[string]any) []failure {
	var out []failure
	validPeriod := func(p float64) bool { return p == 10 || p == 20 || p == 30 || (p >= 60 && int(p)%60 == 0) }
	if p, ok := in["period"].(float64); ok && !validPeriod(p) {
		out = append(out, failf("period", "ValidationError: Period %v must be 10, 20, 30 or a multiple of 60", p))
	}
	qs, hasQueries := in["metricQueries"].([]any)
	if _, named := str(in, "metricName"); named && hasQueries && len(qs) > 0 {
		out = append(out, failf("metricQueries", "ValidationError: specify either MetricName or Metrics, not both"))
	}
	if hasQueries && len(qs) > 0 {
		returning := 0
		for _, q := range qs {
			m, _ := q.(map[string]any)
			if r, _ := m["returnData"].(bool); r {
				returning++
			}
			// A Metrics Insights query carries its own period (the
			// query has no metric stat to take one from).
			if e, _ := m["expression"].(string); strings.HasPrefix(strings.ToUpper(strings.TrimSpace(e)), "SELECT") {
				if p, ok := m["period"].(float64); !ok || !validPeriod(p) {
					out = append(out, failf("metricQueries", "ValidationError: a Metrics Insights query needs a Period of 10, 20, 30 or a multiple of 60"))
				}
			}
			if metric, ok := m["metric"].(map[string]any); ok {
				if p, ok := metric["period"].(float64); ok && !validPeriod(p) {
					out = append(out, failf("metricQueries", "ValidationError: Period %v must be 10, 20, 30 or a multiple of 60", p))
				}
			}
		}
		if returning != 1 {
			out = append(out, failf("metricQueries", "ValidationError: exactly one metric query must return data, %d do", returning))
		}
	}
	return out
}
