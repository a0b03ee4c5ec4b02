package tests

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/dashboard"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/tiers"
)

const (
	tDashboard  = "aws:cloudwatch/dashboard:Dashboard"
	tAlarm      = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tSink       = "aws:oam/sink:Sink"
	tSinkPolicy = "aws:oam/sinkPolicy:SinkPolicy"
	tLink       = "aws:oam/link:Link"
	tTopic      = "aws:sns/topic:Topic"
	tSub        = "aws:sns/topicSubscription:TopicSubscription"
)

var accountRef = regexp.MustCompile(`accountId\\?":\\?"(\d{12})|:aws\.AccountId=\\?"(\d{12})`)

// bodyAccounts are the account ids a registered dashboard body names.
func bodyAccounts(body string) []string {
	var out []string
	for _, m := range accountRef.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+m[2])
	}
	return out
}

// accountsByCustomer maps each customer key to its mock account id.
func accountsByCustomer(g *graph) map[string]string {
	out := map[string]string{}
	for _, r := range g.ofType(tAccount) {
		out[strings.TrimSuffix(r.Name, "-account")] = recorder.MockID(tAccount, r.Name)
	}
	return out
}

// TestObservabilityDashboardSet pins the dashboards: one organization
// dashboard and one per tier in the monitoring account, one per customer
// in the customer's own account; a sink, its policy, a link and an
// encrypted topic per customer; the alarms per customer.
func TestObservabilityDashboardSet(t *testing.T) {
	g := runStack(t, "prod")
	cat := deployed(g)
	names := map[string]bool{}
	for _, d := range g.ofType(tDashboard) {
		names[str(d, "dashboardName")] = true
		assert.True(t, dashboard.ValidName(str(d, "dashboardName")))
		assert.True(t, json.Valid([]byte(str(d, "dashboardBody"))), d.Name)
	}
	assert.True(t, names["tierzone-organization"])
	for _, tr := range tiers.All() {
		assert.True(t, names["tierzone-tier-"+tr.Key], tr.Key)
	}
	for _, c := range cat {
		assert.True(t, names["tierzone-"+c.Key], c.Key)
	}
	assert.Equal(t, 1+len(tiers.All())+len(cat), g.count(tDashboard))
	assert.Equal(t, 1, g.count(tSink))
	assert.Equal(t, 1, g.count(tSinkPolicy))
	assert.Equal(t, len(cat), g.count(tLink))
	for _, l := range g.ofType(tLink) {
		types := fmt.Sprint(l.Inputs["resourceTypes"])
		tier := customerTier(cat, strings.TrimSuffix(l.Name, "-oam-link"))
		assert.Equal(t, tiers.MonitoringOf(tier).ShareLogs, strings.Contains(types, "AWS::Logs::LogGroup"), l.Name)
	}
	for _, tp := range g.ofType(tTopic) {
		assert.NotEmpty(t, str(tp, "kmsMasterKeyId"), tp.Name)
	}
	emails := 0
	for _, s := range g.ofType(tSub) {
		assert.Equal(t, "email", str(s, "protocol"))
		emails++
	}
	assert.Equal(t, len(cat), emails)
	// Every customer with a NAT gateway: 2 NAT alarms + flow logs, each in
	// its account and copied for the operators.
	alarms := map[string]bool{}
	for _, a := range g.ofType(tAlarm) {
		alarms[str(a, "name")] = true
	}
	for _, c := range cat {
		for _, k := range []string{landingzone.AlarmNATPortAllocation, landingzone.AlarmNATPacketsDropped, landingzone.AlarmFlowLogsStopped} {
			assert.True(t, alarms["tierzone-"+c.Key+"-"+k], c.Key+" "+k)
		}
		// A VPN tunnel alarm exactly where the customer has a VPN gateway:
		// a Metrics Insights query, so no connection id is needed.
		vpn := len(g.forCustomer(c.Key, "aws:ec2/vpnGateway:VpnGateway")) > 0
		name := "tierzone-" + c.Key + "-" + landingzone.AlarmVPNTunnelDown
		assert.Equal(t, vpn, alarms[name], name)
		if vpn {
			a := g.named(t, tAlarm, c.Key+"-alarm-"+landingzone.AlarmVPNTunnelDown)
			qs := a.Inputs["metricQueries"].ArrayValue()
			require.Len(t, qs, 1, name)
			q := qs[0].Mappable().(map[string]any)
			assert.Equal(t, landingzone.VPNTunnelQuery, q["expression"], name)
			assert.EqualValues(t, 300, q["period"], name)
			assert.Equal(t, "LessThanThreshold", str(a, "comparisonOperator"))
			assert.Empty(t, str(a, "metricName"), "a query alarm names no metric")
		}
	}
	assert.True(t, slices.ContainsFunc(cat, func(c customers.Customer) bool { return c.Tier == tiers.Healthcare }), "the seed catalog has a VPN tier customer")
}

// deployed are the catalog's customers the stack deploys.
func deployed(g *graph) []customers.Customer {
	acct := accountsByCustomer(g)
	var out []customers.Customer
	for _, c := range customers.Catalog() {
		if _, ok := acct[c.Key]; ok {
			out = append(out, c)
		}
	}
	return out
}

func customerTier(cat []customers.Customer, key string) string {
	for _, c := range cat {
		if c.Key == key {
			return c.Tier
		}
	}
	return ""
}

// TestDashboardIsolation: a tier dashboard names only its tier's accounts
// (no Healthcare account on a Fintech dashboard); a customer dashboard
// names no account but its own, and lives in the customer's account.
func TestDashboardIsolation(t *testing.T) {
	g := runStack(t, "prod")
	cat := deployed(g)
	acct := accountsByCustomer(g)
	tierAccounts := map[string][]string{}
	for _, c := range cat {
		tierAccounts[c.Tier] = append(tierAccounts[c.Tier], acct[c.Key])
	}
	for _, d := range g.ofType(tDashboard) {
		name, body := str(d, "dashboardName"), str(d, "dashboardBody")
		for _, tr := range tiers.All() {
			if name != "tierzone-tier-"+tr.Key {
				continue
			}
			got := bodyAccounts(body)
			require.NotEmpty(t, got, name)
			for _, a := range got {
				assert.Contains(t, tierAccounts[tr.Key], a, "%s names account %s of another tier", name, a)
			}
			if tr.Key == tiers.Fintech {
				for _, a := range tierAccounts[tiers.Healthcare] {
					assert.NotContains(t, body, a, "Healthcare account on the Fintech dashboard")
				}
			}
		}
		for _, c := range cat {
			if name != "tierzone-"+c.Key {
				continue
			}
			for other, a := range acct {
				if other != c.Key {
					assert.NotContains(t, body, a, "%s's dashboard names %s's account", c.Key, other)
				}
			}
			// Registered through the customer account's provider.
			assert.Contains(t, d.Provider, "::"+c.Key+"-aws::", name)
		}
	}
}

// TestSinkPolicyAdmitsOnlyTheOrganization: the sink's policy allows
// linking only with aws:PrincipalOrgID of the stack's organization.
func TestSinkPolicyAdmitsOnlyTheOrganization(t *testing.T) {
	g := runStack(t, "prod")
	pols := g.ofType(tSinkPolicy)
	require.Len(t, pols, 1)
	var doc struct {
		Statement []struct {
			Effect    string
			Principal any
			Action    []string
			Condition map[string]map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(pols[0], "policy")), &doc))
	require.Len(t, doc.Statement, 1)
	st := doc.Statement[0]
	assert.Equal(t, "Allow", st.Effect)
	assert.Equal(t, stackConfig(t, "prod")["tierzone:organizationId"], st.Condition["StringEquals"]["aws:PrincipalOrgID"])
	assert.ElementsMatch(t, []string{"oam:CreateLink", "oam:UpdateLink"}, st.Action)
	doc2, err := components.SinkPolicy("o-other12345")
	require.NoError(t, err)
	assert.NotContains(t, doc2, stackConfig(t, "prod")["tierzone:organizationId"])
}

// TestDashboardsAtFleetScale: 1,000 customers in one tier split into
// dashboards that each stay within CloudWatch's limits; onboarding one
// customer changes no other customer's resources.
func TestDashboardsAtFleetScale(t *testing.T) {
	s := landingzone.Settings{NamePrefix: "tierzone", ManagementRegion: "us-east-1"}
	for _, tr := range tiers.All() {
		var ms []landingzone.Member
		for i := range 1000 {
			ms = append(ms, landingzone.Member{Spec: landingzone.CustomerSpec{Customer: customers.Customer{Key: fmt.Sprintf("c%04d", i)}, Tier: tr, NATGateway: true},
				Account: fmt.Sprintf("%012d", 100000000000+i)})
		}
		bodies := landingzone.TierDashboardBodies(s, tr, ms)
		assert.Equal(t, (1000+landingzone.TierPageSize(tr)-1)/landingzone.TierPageSize(tr), len(bodies), tr.Key)
		seen := map[string]bool{}
		for i, b := range bodies {
			body, err := dashboard.Check(s.TierDashboard(tr.Key, i), b)
			require.NoError(t, err, tr.Key)
			assert.LessOrEqual(t, len(body), dashboard.MaxBodyBytes)
			for _, a := range landingzone.DashboardAccounts(b) {
				seen[a] = true
			}
			t.Logf("%s page %d: %d widgets, %d bytes", tr.Key, i+1, len(b.Widgets), len(body))
		}
		assert.Len(t, seen, 1000, tr.Key)
	}
	// Over the limits: refused with the limit named.
	var many []dashboard.Widget
	for range dashboard.MaxWidgets + 1 {
		many = append(many, dashboard.Text("x", 1))
	}
	_, err := dashboard.Check("too-many", dashboard.Body{Widgets: many})
	assert.ErrorContains(t, err, "CloudWatch allows 500 per dashboard")
	_, err = dashboard.Check("bad name!", dashboard.Body{})
	assert.ErrorContains(t, err, "is not a dashboard name")
}

// TestOnboardingTouchesOnlyTheTierDashboards: adding a customer leaves
// every other customer's observability resources' inputs unchanged; only
// the tier and organization dashboards' bodies change.
func TestOnboardingTouchesOnlyTheTierDashboards(t *testing.T) {
	cfg := catalogConfig(t, "prod")
	cat := customers.Catalog()
	before := run(t, "prod", cfg, cat)
	extra := customers.Customer{Key: "newbank-fintech", Name: "New Bank", Tier: tiers.Fintech, ContactEmail: "ops@newbank.example", VPCCIDR: "10.9.0.0/16"}
	after := run(t, "prod", cfg, append([]customers.Customer{extra}, cat...))
	changed := map[string]bool{}
	for _, r := range before.all {
		if r.Type != tDashboard && r.Type != tAlarm && r.Type != tLink && r.Type != tTopic {
			continue
		}
		a, ok := after.byURN[r.URN]
		require.True(t, ok, r.URN)
		if fmt.Sprint(a.Inputs) != fmt.Sprint(r.Inputs) {
			changed[r.Name] = true
		}
	}
	assert.ElementsMatch(t, []string{"observability-dashboard-organization", "observability-dashboard-tier-fintech"}, keys(changed))
}

// TestThousandCustomerPlanFitsCloudWatch: the whole 1,000-customer plan's
// dashboards pass the check New runs before registering anything.
func TestThousandCustomerPlanFitsCloudWatch(t *testing.T) {
	cat, err := cost.ScaleCatalog(customers.Catalog(), 1000)
	require.NoError(t, err)
	s, err := landingzone.FromConfig(func(k string) (string, bool) { v, ok := catalogConfig(t, "prod")["tierzone:"+k]; return v, ok })
	require.NoError(t, err)
	plan, err := landingzone.Resolve(cat, s)
	require.NoError(t, err)
	require.Len(t, plan.Customers, 1000)
	assert.NoError(t, landingzone.CheckObservability(plan))
}

const (
	tEventBus       = "aws:cloudwatch/eventBus:EventBus"
	tEventBusPolicy = "aws:cloudwatch/eventBusPolicy:EventBusPolicy"
	tEventRule      = "aws:cloudwatch/eventRule:EventRule"
	tEventTarget    = "aws:cloudwatch/eventTarget:EventTarget"
)

// TestOperatorsHearEveryCustomerAlarm: each customer account forwards its
// own alarms' state changes, through a role only EventBridge of that
// account may assume, to its tier's operators' bus and to no other; each
// tier's bus admits only principals under the tier's OU and passes the
// changes to the tier's operators' topic, which the operators' addresses
// subscribe.
func TestOperatorsHearEveryCustomerAlarm(t *testing.T) {
	cfg := stackConfig(t, "prod")
	cfg["tierzone:operatorEmails"] = `{"all": ["noc@msp.example"], "gov-federal": ["fedramp-ops@msp.example"]}`
	g := run(t, "prod", cfg, customers.Catalog())
	cat := deployed(g)
	acct := accountsByCustomer(g)
	const monitoring, region = "444455556666", "us-east-1"
	require.Equal(t, monitoring, cfg["tierzone:securityAccountId"], "prod's monitoring account is its security account")

	byName := func(typ, name string) recorder.Resource { return g.named(t, typ, name) }
	for _, c := range cat {
		rule := g.one(t, c.Key, tEventRule)
		assert.Empty(t, str(rule, "eventBusName"), "%s: the rule is on the account's default bus", c.Key)
		assert.Contains(t, rule.Provider, "::"+c.Key+"-aws::", "%s: the rule is in the customer's account", c.Key)
		var pattern struct {
			Source     []string `json:"source"`
			DetailType []string `json:"detail-type"`
			Detail     struct {
				AlarmName []map[string]string `json:"alarmName"`
			} `json:"detail"`
		}
		require.NoError(t, json.Unmarshal([]byte(str(rule, "eventPattern")), &pattern))
		assert.Equal(t, []string{"aws.cloudwatch"}, pattern.Source)
		assert.Equal(t, []string{"CloudWatch Alarm State Change"}, pattern.DetailType)
		assert.Equal(t, []map[string]string{{"prefix": "tierzone-" + c.Key + "-"}}, pattern.Detail.AlarmName, c.Key)

		target := g.one(t, c.Key, tEventTarget)
		wantBus := fmt.Sprintf("arn:aws:events:%s:%s:event-bus/tierzone-%s-operators", region, monitoring, c.Tier)
		assert.Equal(t, wantBus, str(target, "arn"), "%s forwards to its own tier's bus", c.Key)
		role := byName(tRole, c.Key+"-alarm-forward-role")
		assert.Equal(t, "arn:aws:iam::123456789012:role/"+role.Name, str(target, "roleArn"), c.Key)
		trust := str(role, "assumeRolePolicy")
		assert.Contains(t, trust, `"Service":"events.amazonaws.com"`)
		assert.Contains(t, trust, `"aws:SourceAccount":"`+acct[c.Key]+`"`)
		put := str(byName(tRolePolicy, c.Key+"-alarm-forward-policy"), "policy")
		assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"events:PutEvents","Resource":"`+wantBus+`"}]}`, put, c.Key)
	}

	ous := map[string]string{}
	for _, ou := range g.ofType(tOU) {
		ous[str(ou, "name")] = ou.ID
	}
	require.Len(t, g.ofType(tEventBus), len(tiers.All()))
	for _, tr := range tiers.All() {
		k := "observability-" + tr.Key + "-operators"
		bus := byName(tEventBus, k+"-bus")
		assert.Equal(t, "tierzone-"+tr.Key+"-operators", str(bus, "name"))
		assert.Contains(t, bus.Provider, "::monitoring::")
		var doc struct {
			Statement []struct {
				Action    string
				Condition map[string]map[string]any
			}
		}
		require.NoError(t, json.Unmarshal([]byte(str(byName(tEventBusPolicy, k+"-bus-policy"), "policy")), &doc))
		require.Len(t, doc.Statement, 1)
		st := doc.Statement[0]
		assert.Equal(t, "events:PutEvents", st.Action)
		assert.Equal(t, "o-tzprod0001", st.Condition["StringEquals"]["aws:PrincipalOrgID"])
		require.NotEmpty(t, ous[tr.OUName], tr.OUName)
		assert.Equal(t, []any{"o-tzprod0001/*/" + ous[tr.OUName] + "/*"}, st.Condition["ForAnyValue:StringLike"]["aws:PrincipalOrgPaths"], "%s's bus admits only its OU", tr.Key)

		rule := byName(tEventRule, k+"-rule")
		assert.Equal(t, "tierzone-"+tr.Key+"-operators", str(rule, "eventBusName"))
		target := byName(tEventTarget, k+"-target")
		topic := byName(tTopic, k+"-topic")
		assert.Equal(t, "arn:aws:mock::123456789012:"+topic.Name, str(target, "arn"), "%s's bus notifies its own operators' topic", tr.Key)
		assert.Equal(t, str(topic, "name"), "tierzone-"+tr.Key+"-operators")
		assert.Contains(t, str(topic, "policy"), "events.amazonaws.com", "%s: EventBridge may publish to the operators' topic", tr.Key)
		var emails []string
		for _, s := range g.ofType(tSub) {
			if strings.HasPrefix(s.Name, k+"-email-") {
				emails = append(emails, str(s, "endpoint"))
			}
		}
		want := []string{"noc@msp.example"}
		if tr.Key == tiers.GovFederal {
			want = []string{"fedramp-ops@msp.example", "noc@msp.example"}
		}
		assert.Equal(t, want, emails, "%s operators' subscribers", tr.Key)
	}
	// The customers' topics still take only CloudWatch alarms.
	for _, c := range cat {
		assert.NotContains(t, str(byName(tTopic, c.Key+"-alarms-topic"), "policy"), "events.amazonaws.com", c.Key)
	}
}

// TestFindingCountsOnTheOrganizationDashboard: GuardDuty and Security Hub
// findings reach a log group in the security account through EventBridge
// rules (the group's resource policy lets EventBridge write), metric
// filters count them, and the organization dashboard graphs the counts;
// with a monitoring account of its own, the security account links its
// metrics to the sink and the widgets name it.
func TestFindingCountsOnTheOrganizationDashboard(t *testing.T) {
	for _, separate := range []bool{false, true} {
		cfg := stackConfig(t, "prod")
		security := cfg["tierzone:securityAccountId"]
		if separate {
			cfg["tierzone:monitoringAccountId"] = "777788889999"
		}
		g := run(t, "prod", cfg, customers.Catalog())
		group := g.named(t, "aws:cloudwatch/logGroup:LogGroup", "findings-log-group")
		assert.Equal(t, "/aws/events/tierzone-findings", str(group, "name"))
		assert.Contains(t, group.Provider, "::security::")
		pol := str(g.named(t, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "findings-log-policy"), "policyDocument")
		assert.Contains(t, pol, `"events.amazonaws.com"`)
		assert.Contains(t, pol, `arn:aws:logs:us-east-1:`+security+`:log-group:/aws/events/tierzone-findings:*`)
		for _, src := range []string{"guardduty", "securityhub"} {
			rule := g.named(t, tEventRule, "findings-"+src)
			assert.Contains(t, str(rule, "eventPattern"), `"source":["aws.`+src+`"]`)
			target := g.named(t, tEventTarget, "findings-"+src+"-target")
			assert.Equal(t, "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/tierzone-findings", str(target, "arn"), src)
		}
		var names []string
		for _, f := range g.ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter") {
			if strings.HasPrefix(f.Name, "findings-") {
				names = append(names, str(f, "name"))
				assert.Equal(t, "/aws/events/tierzone-findings", str(f, "logGroupName"))
			}
		}
		assert.ElementsMatch(t, []string{landingzone.MetricGuardDutyFindings, landingzone.MetricGuardDutyHighFindings, landingzone.MetricSecurityHubFindings}, names)

		org := str(g.named(t, tDashboard, "observability-dashboard-organization"), "dashboardBody")
		for _, m := range names {
			assert.Contains(t, org, `"`+components.FindingsNamespace+`","`+m+`"`, "the organization dashboard graphs %s", m)
		}
		links := 0
		for _, l := range g.ofType(tLink) {
			if l.Name == "findings-oam-link" {
				links++
				assert.Contains(t, l.Provider, "::security::")
			}
		}
		if separate {
			assert.Equal(t, 1, links, "the security account links to the monitoring account's sink")
			assert.Contains(t, org, `"accountId":"`+security+`"`)
		} else {
			assert.Zero(t, links, "a monitoring account cannot link to its own sink")
			assert.NotContains(t, org, `"accountId":"`+security+`"`)
		}
	}
}
