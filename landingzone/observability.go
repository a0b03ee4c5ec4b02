package landingzone

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/dashboard"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// MonitoringAccount is where the OAM sink and the organization and tier
// dashboards live: tierzone:monitoringAccountId, else the security
// tooling account.
func (s Settings) MonitoringAccount() string {
	if s.MonitoringAccountID != "" {
		return s.MonitoringAccountID
	}
	return s.SecurityAccountID
}

// Observability names (stable: from the prefix, tier and customer keys).
func (s Settings) SinkName() string                     { return s.NamePrefix + "-observability" }
func (s Settings) OrganizationDashboard() string        { return s.NamePrefix + "-organization" }
func (s Settings) OperatorsTopic(tier string) string    { return s.NamePrefix + "-" + tier + "-operators" }
func (s Settings) OperatorsBus(tier string) string      { return s.NamePrefix + "-" + tier + "-operators" }
func (s Settings) CustomerDashboard(key string) string  { return s.NamePrefix + "-" + key }
func (s Settings) CustomerAlarmTopic(key string) string { return s.NamePrefix + "-" + key + "-alarms" }

// OperatorsBusARN is the ARN of a tier's operators' event bus in the
// monitoring account (in the management region), known before it exists.
func (s Settings) OperatorsBusARN(tier string) string {
	return fmt.Sprintf("arn:aws:events:%s:%s:event-bus/%s", s.ManagementRegion, s.MonitoringAccount(), s.OperatorsBus(tier))
}

// CustomerAlarmPrefix starts the name of every alarm of a customer.
func (s Settings) CustomerAlarmPrefix(key string) string { return s.NamePrefix + "-" + key + "-" }

// TierDashboard is a tier's dashboard; pages after the first get -2, -3...
func (s Settings) TierDashboard(tier string, page int) string {
	if page == 0 {
		return s.NamePrefix + "-tier-" + tier
	}
	return fmt.Sprintf("%s-tier-%s-%d", s.NamePrefix, tier, page+1)
}

// Alarm keys per customer.
const (
	AlarmNATPortAllocation = "nat-port-allocation"
	AlarmNATPacketsDropped = "nat-packets-dropped"
	AlarmFlowLogsStopped   = "flow-logs-stopped"
	AlarmVPNTunnelDown     = "vpn-tunnel-down"
)

// VPNTunnelQuery is the Metrics Insights query behind the VPN tunnel
// alarm: the lowest TunnelState of any Site-to-Site VPN connection in the
// account and region. Per connection AWS/VPN reports 1 with every tunnel
// up, 0 with none and a fraction with some, so below 1 means a tunnel of
// some connection is down. The query needs no connection id, so the alarm
// exists before the customer's first connection does.
const VPNTunnelQuery = `SELECT MIN(TunnelState) FROM SCHEMA("AWS/VPN", VpnId)`

// CustomerAlarms are a customer's alarms. NAT gateway: ErrorPortAllocation
// and PacketsDropCount (AWS/NATGateway). Flow logs: AWS publishes no
// delivery-failure metric for VPC flow logs (DeliverLogsStatus is only in
// DescribeFlowLogs), so the alarm is on AWS/Logs IncomingLogEvents of the
// flow-log group: nothing delivered for 3 hours. VPN (where the customer
// has a VPN gateway): a Metrics Insights alarm over every connection's
// TunnelState (VPNTunnelQuery), down for 15 minutes; with no connection
// there is no data and the alarm stays OK.
func CustomerAlarms(s Settings, cs CustomerSpec, natID pulumi.StringInput) []components.AlarmSpec {
	name := func(k string) string { return s.CustomerAlarmPrefix(cs.Customer.Key) + k }
	var out []components.AlarmSpec
	if cs.NATGateway {
		out = append(out,
			components.AlarmSpec{Key: AlarmNATPortAllocation, Name: name(AlarmNATPortAllocation), Description: "NAT gateway could not allocate a source port (ErrorPortAllocation > 0)",
				Namespace: "AWS/NATGateway", Metric: "ErrorPortAllocation", Dimensions: map[string]pulumi.StringInput{"NatGatewayId": natID},
				Statistic: "Sum", Period: 300, Evaluations: 1, Threshold: 0, Comparison: "GreaterThanThreshold", TreatMissingData: "notBreaching"},
			components.AlarmSpec{Key: AlarmNATPacketsDropped, Name: name(AlarmNATPacketsDropped), Description: "NAT gateway dropped packets (PacketsDropCount > 0 for 15 minutes)",
				Namespace: "AWS/NATGateway", Metric: "PacketsDropCount", Dimensions: map[string]pulumi.StringInput{"NatGatewayId": natID},
				Statistic: "Sum", Period: 300, Evaluations: 3, Threshold: 0, Comparison: "GreaterThanThreshold", TreatMissingData: "notBreaching"})
	}
	if cs.VPNGateway {
		out = append(out, components.AlarmSpec{Key: AlarmVPNTunnelDown, Name: name(AlarmVPNTunnelDown), Description: "A Site-to-Site VPN tunnel is down (lowest TunnelState below 1 for 15 minutes)",
			Query: VPNTunnelQuery, Period: 300, Evaluations: 3, Threshold: 1, Comparison: "LessThanThreshold", TreatMissingData: "notBreaching"})
	}
	out = append(out, components.AlarmSpec{Key: AlarmFlowLogsStopped, Name: name(AlarmFlowLogsStopped), Description: "No VPC flow-log events delivered to " + FlowLogGroupName(cs.Customer.Key) + " for 3 hours",
		Namespace: "AWS/Logs", Metric: "IncomingLogEvents", Dimensions: map[string]pulumi.StringInput{"LogGroupName": pulumi.String(FlowLogGroupName(cs.Customer.Key))},
		Statistic: "Sum", Period: 3600, Evaluations: 3, Threshold: 1, Comparison: "LessThanThreshold", TreatMissingData: "breaching"})
	return out
}

// CustomerDashboardBody is a customer's own dashboard (in its account, so
// every metric is the account's own and none names another account).
func CustomerDashboardBody(s Settings, cs CustomerSpec, account, natID string) dashboard.Body {
	r := cs.Region
	var net []dashboard.Widget
	if cs.NATGateway {
		nat := func(metric, stat string) dashboard.Metric {
			return dashboard.Metric{Namespace: "AWS/NATGateway", Name: metric, Dimensions: []dashboard.Dimension{{Name: "NatGatewayId", Value: natID}}, Options: dashboard.MetricOptions{Stat: stat}}
		}
		net = append(net,
			dashboard.Graph("NAT gateway errors", r, nat("ErrorPortAllocation", "Sum"), nat("PacketsDropCount", "Sum")),
			dashboard.Graph("NAT gateway bytes", r, nat("BytesOutToDestination", "Sum"), nat("BytesInFromDestination", "Sum")),
			dashboard.Graph("NAT gateway connections", r, nat("ActiveConnectionCount", "Maximum"), nat("ConnectionAttemptCount", "Sum")))
	}
	if cs.VPNGateway {
		net = append(net, dashboard.Graph("VPN tunnel state (1 up, 0 down)", r, dashboard.Metric{Expression: `SEARCH('{AWS/VPN,VpnId,TunnelIpAddress} MetricName="TunnelState"', 'Maximum', 300)`, Options: dashboard.MetricOptions{ID: "tunnels"}}))
	}
	group := FlowLogGroupName(cs.Customer.Key)
	net = append(net, dashboard.Graph("Flow-log volume", r,
		dashboard.Metric{Namespace: "AWS/Logs", Name: "IncomingBytes", Dimensions: []dashboard.Dimension{{Name: "LogGroupName", Value: group}}, Options: dashboard.MetricOptions{Stat: "Sum"}},
		dashboard.Metric{Namespace: "AWS/Logs", Name: "IncomingLogEvents", Dimensions: []dashboard.Dimension{{Name: "LogGroupName", Value: group}}, Options: dashboard.MetricOptions{Stat: "Sum"}}))
	var arns []string
	for _, a := range CustomerAlarms(s, cs, pulumi.String(natID)) {
		arns = append(arns, fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", r, account, a.Name))
	}
	return dashboard.Body{Start: "-PT3H", Widgets: dashboard.Layout(
		dashboard.Section{Title: cs.Customer.Name + " (" + cs.Tier.DisplayName + ", " + cs.Tier.FrameworkList() + ")", Widgets: []dashboard.Widget{dashboard.AlarmStatus("Alarms", arns)}},
		dashboard.Section{Title: "Network", Widgets: net})}
}

// Member is one customer on a tier or organization dashboard.
type Member struct {
	Spec    CustomerSpec
	Account string
}

// tierMetrics are one customer's lines on its tier's dashboard, each
// scoped to the customer's account (:aws.AccountId in the SEARCH, accountId
// on the metric).
func tierMetrics(m Member) []dashboard.Metric {
	a, key := m.Account, m.Spec.Customer.Key
	search := func(id, metric, stat string) dashboard.Metric {
		return dashboard.Metric{Expression: fmt.Sprintf(`SEARCH('{AWS/NATGateway,NatGatewayId} MetricName="%s" :aws.AccountId="%s"', '%s', 300)`, metric, a, stat),
			Options: dashboard.MetricOptions{ID: id, Label: key + " " + metric}}
	}
	return []dashboard.Metric{
		search("e"+a, "ErrorPortAllocation", "Sum"),
		search("d"+a, "PacketsDropCount", "Sum"),
		search("b"+a, "BytesOutToDestination", "Sum"),
		{Namespace: "AWS/Logs", Name: "IncomingBytes", Dimensions: []dashboard.Dimension{{Name: "LogGroupName", Value: FlowLogGroupName(key)}},
			Options: dashboard.MetricOptions{AccountID: a, Stat: "Sum", Label: key + " flow logs"}},
	}
}

// metricsPerMember is len(tierMetrics(m)).
const metricsPerMember = 4

// TierPageSize is how many customers one tier dashboard holds: within the
// metrics per dashboard and, with VPC detail (one widget per customer),
// the widgets per dashboard (a few are headers).
func TierPageSize(t tiers.Tier) int {
	n := min(dashboard.MaxMetricsPerDashboard/metricsPerMember, dashboard.MaxMetricsPerWidget)
	if tiers.MonitoringOf(t.Key).VPCDetail {
		n = min(n, dashboard.MaxWidgets-4)
	}
	return n
}

// TierDashboardBodies are a tier's dashboards: its customers only, in
// catalog order, TierPageSize per dashboard.
func TierDashboardBodies(s Settings, t tiers.Tier, members []Member) []dashboard.Body {
	var pages [][]Member
	size := TierPageSize(t)
	for len(members) > size {
		pages, members = append(pages, members[:size]), members[size:]
	}
	pages = append(pages, members)
	var out []dashboard.Body
	for i, page := range pages {
		var all []dashboard.Metric
		var detail []dashboard.Widget
		for _, m := range page {
			ms := tierMetrics(m)
			all = append(all, ms...)
			if tiers.MonitoringOf(t.Key).VPCDetail {
				detail = append(detail, dashboard.Graph(m.Spec.Customer.Key+" VPC "+m.Spec.Layout.VPC.String(), s.ManagementRegion, ms...))
			}
		}
		byKind := func(k int, title string) dashboard.Widget {
			var ms []dashboard.Metric
			for j := k; j < len(all); j += metricsPerMember {
				ms = append(ms, all[j])
			}
			w := dashboard.Graph(title, s.ManagementRegion, ms...)
			w.Width = 12
			return w
		}
		head := fmt.Sprintf("%s (%s): %d customers", t.DisplayName, t.FrameworkList(), len(page))
		if len(pages) > 1 {
			head += fmt.Sprintf(", page %d of %d", i+1, len(pages))
		}
		var totals []dashboard.Widget
		if tiers.MonitoringOf(t.Key).VPCDetail {
			totals = []dashboard.Widget{dashboard.Text("Each VPC below: NAT port-allocation errors, drops, bytes out and flow-log bytes.", 2)}
		} else {
			totals = []dashboard.Widget{byKind(0, "NAT port-allocation errors"), byKind(1, "NAT packets dropped"), byKind(2, "NAT bytes out"), byKind(3, "Flow-log bytes")}
		}
		out = append(out, dashboard.Body{Start: "-PT3H", Widgets: dashboard.Layout(
			dashboard.Section{Title: head, Widgets: totals},
			dashboard.Section{Widgets: detail})})
	}
	return out
}

// FindingsLogGroup receives the findings events in the security account
// (EventBridge's console names its log targets /aws/events/...).
func (s Settings) FindingsLogGroup() string { return "/aws/events/" + s.NamePrefix + "-findings" }

// FindingsRetentionDays keeps the findings events a year, beside the
// trail's CloudWatch copy; the findings themselves are also exported to
// the log archive (GuardDuty) and kept by Security Hub.
const FindingsRetentionDays = 365

// Finding count metrics (components.FindingsNamespace).
const (
	MetricGuardDutyFindings     = "GuardDutyFindings"
	MetricGuardDutyHighFindings = "GuardDutyHighSeverityFindings"
	MetricSecurityHubFindings   = "SecurityHubHighCriticalFindings"
)

// FindingSources are the findings events the delegated administrator
// receives for every member: each GuardDuty finding (new, and again as
// it recurs), and each Security Hub finding imported or updated with
// severity HIGH or CRITICAL, still active and not yet triaged.
func FindingSources() []components.FindingSource {
	return []components.FindingSource{
		{Key: "guardduty", Pattern: `{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"]}`},
		{Key: "securityhub", Pattern: `{"source":["aws.securityhub"],"detail-type":["Security Hub Findings - Imported"],` +
			`"detail":{"findings":{"Severity":{"Label":["HIGH","CRITICAL"]},"RecordState":["ACTIVE"],"Workflow":{"Status":["NEW"]}}}}`},
	}
}

// FindingMetrics count the events in the findings log group. GuardDuty
// rates severity 7.0-8.9 high and 9.0-10.0 critical.
func FindingMetrics() []components.FindingMetric {
	return []components.FindingMetric{
		{Key: "guardduty-count", Name: MetricGuardDutyFindings, Pattern: `{ $.source = "aws.guardduty" }`},
		{Key: "guardduty-high-count", Name: MetricGuardDutyHighFindings, Pattern: `{ ($.source = "aws.guardduty") && ($.detail.severity >= 7) }`},
		{Key: "securityhub-count", Name: MetricSecurityHubFindings, Pattern: `{ $.source = "aws.securityhub" }`},
	}
}

// OrganizationDashboardBody is the fleet's health across every linked
// account (SEARCH over all the sink's sources), the finding counts from
// the security account (GuardDuty and Security Hub publish none to
// CloudWatch: FindingCounts makes them), and a link per tier.
func OrganizationDashboardBody(s Settings, perTier map[string]int) dashboard.Body {
	r := s.ManagementRegion
	finding := func(name string) dashboard.Metric {
		m := dashboard.Metric{Namespace: components.FindingsNamespace, Name: name, Options: dashboard.MetricOptions{Stat: "Sum"}}
		if s.SecurityAccountID != s.MonitoringAccount() {
			// Over the security account's link.
			m.Options.AccountID = s.SecurityAccountID
		}
		return m
	}
	search := func(title, query, stat string) dashboard.Widget {
		return dashboard.Graph(title, r, dashboard.Metric{Expression: fmt.Sprintf("SEARCH('%s', '%s', 300)", query, stat), Options: dashboard.MetricOptions{ID: "q"}})
	}
	links := "| tier | customers | dashboard |\n|---|---|---|\n"
	for _, t := range tiers.All() {
		links += fmt.Sprintf("| %s (%s) | %d | [%s](#dashboards/dashboard/%s) |\n", t.DisplayName, t.FrameworkList(), perTier[t.Key], s.TierDashboard(t.Key, 0), s.TierDashboard(t.Key, 0))
	}
	return dashboard.Body{Start: "-PT3H", Widgets: dashboard.Layout(
		dashboard.Section{Title: "Tierzone fleet", Widgets: []dashboard.Widget{
			search("NAT port-allocation errors (all accounts)", `{AWS/NATGateway,NatGatewayId} MetricName="ErrorPortAllocation"`, "Sum"),
			search("NAT packets dropped (all accounts)", `{AWS/NATGateway,NatGatewayId} MetricName="PacketsDropCount"`, "Sum"),
			search("NAT bytes out (all accounts)", `{AWS/NATGateway,NatGatewayId} MetricName="BytesOutToDestination"`, "Sum"),
			search("VPN tunnel state (all accounts)", `{AWS/VPN,VpnId,TunnelIpAddress} MetricName="TunnelState"`, "Minimum"),
			search("Flow-log bytes (all accounts)", `{AWS/Logs,LogGroupName} LogGroupName="`+LogGroupPrefix+`vpc-flow-logs/"`, "Sum"),
		}},
		dashboard.Section{Title: "Findings (security tooling account, " + r + ")", Widgets: []dashboard.Widget{
			dashboard.Graph("GuardDuty findings (all, and severity 7+)", r, finding(MetricGuardDutyFindings), finding(MetricGuardDutyHighFindings)),
			dashboard.Graph("Security Hub HIGH and CRITICAL findings, new and active (imported or updated)", r, finding(MetricSecurityHubFindings)),
		}},
		dashboard.Section{Title: "Tiers", Widgets: []dashboard.Widget{dashboard.Text(links, 6)}})}
}

var searchAccount = regexp.MustCompile(`:aws\.AccountId="(\d{12})"`)

// DashboardAccounts are the accounts a body's metrics name (accountId
// options and :aws.AccountId in SEARCH expressions).
func DashboardAccounts(b dashboard.Body) []string {
	out := b.Accounts()
	for _, w := range b.Widgets {
		if p, ok := w.Properties.(*dashboard.MetricProps); ok {
			for _, m := range p.Metrics {
				for _, sm := range searchAccount.FindAllStringSubmatch(m.Expression, -1) {
					out = append(out, sm[1])
				}
			}
		}
	}
	return out
}

// placeholderAccount and placeholderNAT stand for ids not known before
// the run; as long as real ones, so the limits checked hold.
const (
	placeholderAccount = "000000000000"
	placeholderNAT     = "nat-00000000000000000"
)

// CheckObservability validates every dashboard of the plan against
// CloudWatch's limits (New calls it before anything is registered); every
// problem is reported, each naming its customer or tier.
func CheckObservability(plan *Plan) error {
	s := plan.Settings
	var l validation.List
	byTier := map[string][]Member{}
	for _, cs := range plan.Customers {
		if _, err := dashboard.Check(s.CustomerDashboard(cs.Customer.Key), CustomerDashboardBody(s, cs, placeholderAccount, placeholderNAT)); err != nil {
			l.Add(validation.Customer(cs.Customer.Key), "dashboard", "%v", err)
		}
		byTier[cs.Tier.Key] = append(byTier[cs.Tier.Key], Member{Spec: cs, Account: placeholderAccount})
	}
	counts := map[string]int{}
	for _, ts := range plan.Tiers {
		counts[ts.Tier.Key] = len(byTier[ts.Tier.Key])
		for i, b := range TierDashboardBodies(s, ts.Tier, byTier[ts.Tier.Key]) {
			if _, err := dashboard.Check(s.TierDashboard(ts.Tier.Key, i), b); err != nil {
				l.Add(validation.Tier(ts.Tier.Key), "dashboard", "%v", err)
			}
		}
	}
	if _, err := dashboard.Check(s.OrganizationDashboard(), OrganizationDashboardBody(s, counts)); err != nil {
		l.Add(validation.Stack(ConfigNamespace+":"+KeyNamePrefix), "dashboard", "%v", err)
	}
	return l.Err()
}

// monitoringProvider is the provider into the monitoring account.
func monitoringProvider(ctx *pulumi.Context, lz *LandingZone, account string, s Settings) (pulumi.ProviderResource, error) {
	return memberProvider(ctx, lz, "monitoring", account, s.ManagementRegion, s)
}

// memberProvider is a provider named name that assumes the organization
// access role in a member account, in region, and may act nowhere else.
func memberProvider(ctx *pulumi.Context, lz *LandingZone, name, account, region string, s Settings) (pulumi.ProviderResource, error) {
	session := name
	if i := strings.IndexByte(session, '-'); i > 0 {
		session = session[:i]
	}
	return aws.NewProvider(ctx, name, &aws.ProviderArgs{
		Region: pulumi.String(region),
		AssumeRole: &aws.ProviderAssumeRoleArgs{
			RoleArn:     pulumi.String("arn:aws:iam::" + account + ":role/" + s.OrgAccessRoleName),
			SessionName: pulumi.String("tierzone-" + session),
		},
		AllowedAccountIds: pulumi.StringArray{pulumi.String(account)},
		DefaultTags:       &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{"managed-by": pulumi.String(ManagedBy)}},
	}, pulumi.Parent(lz))
}

// newObservability registers the monitoring hub (sink, operators' topics,
// organization and tier dashboards) and each customer's observability
// (organization scope; in the sharded layout's organization stack the
// customers' side is registered by their own stacks).
func newObservability(ctx *pulumi.Context, lz *LandingZone) error {
	plan, s := lz.Plan, lz.Plan.Settings
	prov, err := monitoringProvider(ctx, lz, s.MonitoringAccount(), s)
	if err != nil {
		return err
	}
	var topics []components.TopicSpec
	var buses []components.OperatorBusSpec
	for _, ts := range plan.Tiers {
		k := ts.Tier.Key + "-operators"
		topics = append(topics, components.TopicSpec{Key: k, Name: s.OperatorsTopic(ts.Tier.Key), Emails: s.OperatorsEmails(ts.Tier.Key), Events: true})
		// Only accounts under the tier's OU may put events on its bus.
		buses = append(buses, components.OperatorBusSpec{Key: k, Name: s.OperatorsBus(ts.Tier.Key), Topic: k,
			OrgPath: pulumi.Sprintf("%s/*/%s/*", s.OrganizationID, lz.TierOUs[ts.Tier.Key].OUID)})
	}
	var dashboards []components.DashboardSpec
	counts := map[string]int{}
	for _, ts := range plan.Tiers {
		t := ts.Tier
		// The tier's customers by key, so reordering the catalog changes
		// no body; each body waits only for its own tier's account ids, so
		// a preview shows only the joining customer's tier as changing.
		var members []Customer
		var accounts []any
		for _, c := range lz.Customers {
			if c.Spec.Tier.Key == t.Key {
				members = append(members, c)
			}
		}
		slices.SortFunc(members, func(a, b Customer) int { return strings.Compare(a.Spec.Customer.Key, b.Spec.Customer.Key) })
		for _, c := range members {
			accounts = append(accounts, c.Account.AccountID)
		}
		ids := pulumi.All(accounts...)
		counts[t.Key] = len(members)
		pages := (len(members) + TierPageSize(t) - 1) / TierPageSize(t)
		for p := 0; p < max(pages, 1); p++ {
			name := s.TierDashboard(t.Key, p)
			body := ids.ApplyT(func(v []any) (string, error) {
				var ms []Member
				for i, c := range members {
					ms = append(ms, Member{Spec: c.Spec, Account: v[i].(string)})
				}
				return dashboard.Check(name, TierDashboardBodies(s, t, ms)[p])
			}).(pulumi.StringOutput)
			key := "tier-" + t.Key
			if p > 0 {
				key = fmt.Sprintf("%s-%d", key, p+1)
			}
			dashboards = append(dashboards, components.DashboardSpec{Key: key, Name: name, Body: body})
		}
	}
	org, err := dashboard.Check(s.OrganizationDashboard(), OrganizationDashboardBody(s, counts))
	if err != nil {
		return err
	}
	dashboards = append([]components.DashboardSpec{{Key: "organization", Name: s.OrganizationDashboard(), Body: pulumi.String(org)}}, dashboards...)
	// The operators' alarm per customer: its flow logs stopped (the only
	// customer alarm whose metric the organization scope can name without
	// the customer's NAT gateway id; NAT errors are on the tier dashboard).
	var opAlarms []components.OperatorAlarmSpec
	for _, c := range lz.Customers {
		for _, a := range CustomerAlarms(s, c.Spec, pulumi.String("")) {
			if a.Key != AlarmFlowLogsStopped {
				continue
			}
			a.Key = c.Spec.Customer.Key + "-operators-" + a.Key
			a.Name = s.NamePrefix + "-operators-" + c.Spec.Customer.Key + "-" + AlarmFlowLogsStopped
			// A customer being decommissioned: AWS keeps its alarm too.
			_, custOpts := customerProtection(s, c.Spec.Customer.Key)
			opAlarms = append(opAlarms, components.OperatorAlarmSpec{AlarmSpec: a, SourceAccount: c.Account.AccountID,
				Topic: c.Spec.Tier.Key + "-operators", Retain: len(custOpts) > 0})
		}
	}
	hub, err := components.NewMonitoringHub(ctx, "observability", &components.MonitoringHubArgs{
		AccountID: s.MonitoringAccount(), Region: s.ManagementRegion, OrganizationID: s.OrganizationID,
		SinkName: s.SinkName(), Topics: topics, OperatorAlarms: opAlarms, OperatorBuses: buses, Dashboards: dashboards, Protect: s.Protect,
		Tags: map[string]string{"managed-by": ManagedBy}, Provider: prov,
	}, pulumi.Parent(lz))
	if err != nil {
		return err
	}
	lz.Observability = hub
	if lz.securityProvider != nil {
		args := &components.FindingCountsArgs{
			AccountID: s.SecurityAccountID, Region: s.ManagementRegion,
			LogGroup: s.FindingsLogGroup(), RetentionDays: FindingsRetentionDays,
			Sources: FindingSources(), Metrics: FindingMetrics(), Protect: s.Protect,
			Tags: map[string]string{"managed-by": ManagedBy}, Provider: lz.securityProvider,
		}
		if s.SecurityAccountID != s.MonitoringAccount() {
			args.SinkARN = hub.SinkARN
		}
		if lz.Findings, err = components.NewFindingCounts(ctx, "findings", args, pulumi.Parent(lz)); err != nil {
			return err
		}
	}
	if s.Sharded() {
		return nil
	}
	for i := range lz.Customers {
		c := &lz.Customers[i]
		if c.Observe, err = newCustomerObservability(ctx, lz, *c, hub.SinkARN); err != nil {
			return err
		}
	}
	return nil
}

// newCustomerObservability registers a customer's link (to sinkARN; nil:
// none), topic, alarms and own dashboard.
func newCustomerObservability(ctx *pulumi.Context, lz *LandingZone, c Customer, sinkARN pulumi.StringInput) (*components.CustomerObservability, error) {
	s, cs := lz.Plan.Settings, c.Spec
	natID := pulumi.String("").ToStringOutput()
	if c.VPC.NATGateway != nil {
		natID = c.VPC.NATGateway.ID().ToStringOutput()
	}
	name := s.CustomerDashboard(cs.Customer.Key)
	body := pulumi.All(c.Account.AccountID, natID).ApplyT(func(v []any) (string, error) {
		return dashboard.Check(name, CustomerDashboardBody(s, cs, v[0].(string), v[1].(string)))
	}).(pulumi.StringOutput)
	args := &components.CustomerObservabilityArgs{
		AccountID: c.Account.AccountID, Region: cs.Region,
		ShareLogs: tiers.MonitoringOf(cs.Tier.Key).ShareLogs,
		Label:     cs.Customer.Key + " ($AccountName)",
		Topic:     components.TopicSpec{Key: "alarms", Name: s.CustomerAlarmTopic(cs.Customer.Key)},
		Alarms:    CustomerAlarms(s, cs, natID),
		Dashboard: components.DashboardSpec{Key: "customer", Name: name, Body: body},
		// Every alarm's state changes also reach the tier's operators.
		OperatorsBus: pulumi.String(s.OperatorsBusARN(cs.Tier.Key)),
		AlarmPrefix:  s.CustomerAlarmPrefix(cs.Customer.Key),
		Protect:      c.Protected,
		Tags:         cs.Tags,
		Provider:     c.Account.Provider,
	}
	// The customer's contact; a catalog entry without one falls back to
	// the account's own e-mail (the provider's mailbox for it).
	args.Topic.Emails = []string{cs.Email}
	if cs.Customer.ContactEmail != "" {
		args.Topic.Emails = []string{cs.Customer.ContactEmail}
	}
	if sinkARN != nil {
		args.SinkARN = sinkARN
	}
	_, custOpts := customerProtection(s, cs.Customer.Key)
	return components.NewCustomerObservability(ctx, cs.Customer.Key, args, append(custOpts, pulumi.Parent(lz))...)
}
