package dashboard

import (
	"strings"
	"testing"
)

// TestMetricRows: a metric renders as [namespace, name, dim, value,
// {options}], an expression as [{expression, id}].
func TestMetricRows(t *testing.T) {
	b := Body{Widgets: Layout(Section{Title: "t", Widgets: []Widget{Graph("g", "us-east-1",
		Metric{Namespace: "AWS/NATGateway", Name: "ErrorPortAllocation", Dimensions: []Dimension{{"NatGatewayId", "nat-1"}}, Options: MetricOptions{AccountID: "111122223333", Stat: "Sum"}},
		Metric{Expression: "SEARCH('{AWS/VPN,VpnId} MetricName=\"TunnelState\"', 'Maximum', 300)", Options: MetricOptions{ID: "q"}})}})}
	body, err := Check("ok-name_1", b)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`["AWS/NATGateway","ErrorPortAllocation","NatGatewayId","nat-1",{"accountId":"111122223333","stat":"Sum"}]`,
		`[{"id":"q","expression":"SEARCH(`,
		`"x":0,"y":1,"width":8,"height":6`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %s: %s", want, body)
		}
	}
	if got := b.Accounts(); len(got) != 1 || got[0] != "111122223333" {
		t.Errorf("accounts %v", got)
	}
}

// TestLimits: every limit is named when exceeded.
func TestLimits(t *testing.T) {
	var ms []Metric
	for range MaxMetricsPerWidget + 1 {
		ms = append(ms, Metric{Namespace: "N", Name: "M"})
	}
	var ws []Widget
	for range 5 {
		ws = append(ws, Graph("big", "us-east-1", ms...))
	}
	_, err := Check("x", Body{Widgets: Layout(Section{Widgets: ws})})
	for _, want := range []string{"501 metrics; CloudWatch allows 500 per widget", "2505 metrics; CloudWatch allows 2500 per dashboard"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
	if ValidName("a.b") || ValidName(strings.Repeat("a", 256)) || !ValidName("Tier-zone_1") {
		t.Error("dashboard name rules")
	}
}
