package fakeaws

import (
	"strings"
	"testing"
)

// TestObservabilityRules: dashboard names and bodies, subscriptions, the
// sink (one per account), its policy and links from other accounts only,
// alarm periods and metric queries.
func TestObservabilityRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	_, s := newMember(t, o, m, "acme")

	failsCheck(t, s, tDashboard, map[string]any{"dashboardName": "bad name", "dashboardBody": `{"widgets":[]}`}, "dashboardName", "invalid characters")
	failsCheck(t, s, tDashboard, map[string]any{"dashboardName": "ok", "dashboardBody": `{"widgets":[`}, "dashboardBody", "body is invalid")
	many := `{"widgets":[` + strings.TrimSuffix(strings.Repeat(`{"type":"text","properties":{"markdown":"x"}},`, 501), ",") + `]}`
	failsCheck(t, s, tDashboard, map[string]any{"dashboardName": "ok", "dashboardBody": many}, "dashboardBody", "501 widgets")
	mustCreate(t, s, tDashboard, "d", map[string]any{"dashboardName": "ok-1", "dashboardBody": `{"widgets":[{"type":"text","properties":{"markdown":"x"}}]}`})

	failsCheck(t, s, tSubscription, map[string]any{"topic": "arn:aws:sns:us-east-1:1:t", "protocol": "email", "endpoint": "nobody"}, "endpoint", "Email address")
	_, _, err := create(t, s, tSubscription, "sub", map[string]any{"topic": "arn:aws:sns:us-east-1:111122223333:none", "protocol": "email", "endpoint": "a@b.example"})
	wantErr(t, err, "NotFound")

	failsCheck(t, s, tMetricAlarm, map[string]any{"name": "a", "comparisonOperator": "GreaterThanThreshold", "period": 45.0}, "period", "multiple of 60")
	failsCheck(t, s, tMetricAlarm, map[string]any{"name": "a", "comparisonOperator": "GreaterThanThreshold",
		"metricQueries": []any{map[string]any{"id": "m1", "returnData": false}}}, "metricQueries", "exactly one")
	failsCheck(t, s, tMetricAlarm, map[string]any{"name": "a", "comparisonOperator": "LessThanThreshold",
		"metricQueries": []any{map[string]any{"id": "q1", "returnData": true, "expression": `SELECT MIN(TunnelState) FROM SCHEMA("AWS/VPN", VpnId)`}}}, "metricQueries", "Metrics Insights query needs a Period")

	// The sink lives in the management account here; links come from acme.
	sink, _ := mustCreate(t, m, tSink, "sink", map[string]any{"name": "tierzone-observability"})
	_, _, err = create(t, m, tSink, "sink2", map[string]any{"name": "second"})
	wantErr(t, err, "ServiceQuotaExceededException")
	_, _, err = create(t, s, tLink, "link", map[string]any{"sinkIdentifier": sink, "labelTemplate": "$AccountName", "resourceTypes": []any{"AWS::CloudWatch::Metric"}})
	wantErr(t, err, "AccessDeniedException")
	mustCreate(t, m, tSinkPolicy, "policy", map[string]any{"sinkIdentifier": sink, "policy": `{"Version":"2012-10-17","Statement":[]}`})
	_, _, err = create(t, m, tLink, "self", map[string]any{"sinkIdentifier": sink, "labelTemplate": "$AccountName", "resourceTypes": []any{"AWS::CloudWatch::Metric"}})
	wantErr(t, err, "own sink")
	failsCheck(t, s, tLink, map[string]any{"sinkIdentifier": sink, "labelTemplate": "$AccountName", "resourceTypes": []any{"AWS::S3::Bucket"}}, "resourceTypes", "not a resource type")
	mustCreate(t, s, tLink, "link", map[string]any{"sinkIdentifier": sink, "labelTemplate": "$AccountName", "resourceTypes": []any{"AWS::CloudWatch::Metric"}})
	_, _, err = create(t, s, tLink, "link2", map[string]any{"sinkIdentifier": sink, "labelTemplate": "$AccountName", "resourceTypes": []any{"AWS::CloudWatch::Metric"}})
	wantErr(t, err, "already links")
}
