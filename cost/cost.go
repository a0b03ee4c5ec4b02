// Package cost computes what the landing zone costs and earns per month,
// from the resources the program actually registers (recorder.Resource):
// each NAT gateway, public IPv4 address, flow log, KMS key and the
// organization-wide Shield Advanced subscription is priced from the dated
// table in prices.go; revenue comes from the tier prices; people and
// operations costs are parameters. Project scales the catalog to any
// customer count and runs the real program to price it.
package cost

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/tiers"
)

// Resource types the cost model prices.
const (
	typeAccount  = "aws:organizations/account:Account"
	typeNAT      = "aws:ec2/natGateway:NatGateway"
	typeEIP      = "aws:ec2/eip:Eip"
	typeVGW      = "aws:ec2/vpnGateway:VpnGateway"
	typeFlowLog  = "aws:ec2/flowLog:FlowLog"
	typeLogGroup = "aws:cloudwatch/logGroup:LogGroup"
	typeKMSKey   = "aws:kms/key:Key"

	typeMemberFeature   = "aws:guardduty/memberDetectorFeature:MemberDetectorFeature"
	typeRecorder        = "aws:cfg/recorder:Recorder"
	typeConformancePack = "aws:cfg/conformancePack:ConformancePack"
	typeMetricAlarm     = "aws:cloudwatch/metricAlarm:MetricAlarm"
	typeDashboard       = "aws:cloudwatch/dashboard:Dashboard"
	typeMetricFilter    = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	typeBucketLogging   = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	typeBackupVault     = "aws:backup/vault:Vault"

	typeTGWAttachment = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
	typeTGWPeering    = "aws:ec2transitgateway/peeringAttachment:PeeringAttachment"
	typeIPAM          = "aws:ec2/vpcIpam:VpcIpam"
	typeVPC           = "aws:ec2/vpc:Vpc"
	typeRoute         = "aws:ec2/route:Route"
	// typeAwsxVPC is the hub's egress VPC, a remote component whose
	// children the plan does not see: priced from its inputs.
	typeAwsxVPC = "awsx:ec2:Vpc"
)

// isFree reports whether a resource type costs nothing by itself: what it
// carries (flow-log bytes, archived objects) is priced through the flow
// logs. Organizations, IAM, VPCs and their routing have no charge; the first
// copy of management events in an organization trail is free; S3 bucket
// settings cost nothing beyond the storage priced through the flow logs.
func isFree(typ string) bool {
	switch typ {
	case "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/internetGateway:InternetGateway",
		"aws:ec2/routeTable:RouteTable", typeRoute, "aws:ec2/routeTableAssociation:RouteTableAssociation",
		"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
		"aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", typeLogGroup, typeAccount,
		"aws:organizations/organizationalUnit:OrganizationalUnit", "aws:organizations/policy:Policy",
		"aws:organizations/policyAttachment:PolicyAttachment", "aws:cloudtrail/trail:Trail",
		// Detection: the services bill by what they analyze, check and
		// record, which is priced on the accounts, recorders, packs,
		// member features, alarms and metric filters below; their
		// organization setup, aggregators, delivery channels and roles
		// cost nothing themselves (an SNS topic bills only deliveries
		// beyond the free tier).
		"aws:guardduty/detector:Detector", "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
		"aws:guardduty/organizationConfiguration:OrganizationConfiguration",
		"aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature",
		"aws:guardduty/publishingDestination:PublishingDestination",
		"aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
		"aws:securityhub/organizationConfiguration:OrganizationConfiguration",
		"aws:securityhub/findingAggregator:FindingAggregator", "aws:securityhub/configurationPolicy:ConfigurationPolicy",
		"aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation",
		"aws:organizations/delegatedAdministrator:DelegatedAdministrator",
		"aws:cfg/deliveryChannel:DeliveryChannel", "aws:cfg/recorderStatus:RecorderStatus",
		"aws:cfg/configurationAggregator:ConfigurationAggregator",
		"aws:iam/serviceLinkedRole:ServiceLinkedRole", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
		"aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topicSubscription:TopicSubscription",
		// The account baseline: account settings have no charge;
		// Access Analyzer's external-access analyzers are free (only
		// unused-access analysis bills, and Tierzone creates none); a
		// vault lock costs nothing beyond the vault's storage, priced on
		// the vault; the keys are priced as keys.
		"aws:ebs/encryptionByDefault:EncryptionByDefault", "aws:ebs/defaultKmsKey:DefaultKmsKey",
		"aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "aws:accessanalyzer/analyzer:Analyzer",
		"aws:backup/vaultLockConfiguration:VaultLockConfiguration",
		// CloudWatch cross-account observability: "no extra cost for
		// cross-account observability for logs and metrics" (CloudWatch
		// user guide, "CloudWatch cross-account observability").
		"aws:oam/sink:Sink", "aws:oam/sinkPolicy:SinkPolicy", "aws:oam/link:Link",
		// EventBridge: AWS service events (alarm state changes, findings)
		// on the default bus are free; the alarm changes forwarded to the
		// operators' buses are cross-account events at $1.00 per million
		// and findings written to CloudWatch Logs are ingested at the logs
		// price, both too few to price (aws.amazon.com/eventbridge/pricing).
		"aws:cloudwatch/eventBus:EventBus", "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
		"aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget",
		"aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
		// Access: "IAM Identity Center is offered at no additional charge"
		// (aws.amazon.com/iam/identity-center); the roles it provisions are
		// IAM roles, also free.
		"aws:ssoadmin/permissionSet:PermissionSet", "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
		"aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "aws:ssoadmin/accountAssignment:AccountAssignment",
		"aws:identitystore/group:Group", "aws:identitystore/user:User", "aws:identitystore/groupMembership:GroupMembership",
		// Billing: "There is no additional charge for AWS Budgets" beyond
		// action-enabled budgets (the first two free, then $0.10/day) and
		// budget reports ($0.01 each), and Tierzone's budgets have neither
		// (aws.amazon.com/aws-cost-management/aws-budgets/pricing); Cost
		// Anomaly Detection, cost categories and cost allocation tags have
		// no charge (aws.amazon.com/aws-cost-management/pricing).
		"aws:budgets/budget:Budget", "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
		"aws:costexplorer/anomalySubscription:AnomalySubscription", "aws:costexplorer/costAllocationTag:CostAllocationTag",
		"aws:costexplorer/costCategory:CostCategory",
		// Shield Advanced: the subscription's fee is the organization's
		// (priced once below); a protection has no charge of its own, and
		// a NAT address's data transfer is priced with the NAT gateway.
		"aws:shield/subscription:Subscription", "aws:shield/protection:Protection",
		// The network hub: a gateway, its route tables, routes,
		// associations and propagations have no charge of their own (the
		// attachments bill, priced below, once each: an accepter is the
		// same attachment); RAM shares are free; IPAM bills active IPs,
		// priced on the VPCs it monitors, not its pools or allocations.
		"aws:ec2transitgateway/transitGateway:TransitGateway", "aws:ec2transitgateway/routeTable:RouteTable",
		"aws:ec2transitgateway/route:Route", "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
		"aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
		"aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter",
		"aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter",
		"aws:ram/resourceShare:ResourceShare", "aws:ram/resourceAssociation:ResourceAssociation",
		"aws:ram/principalAssociation:PrincipalAssociation", "aws:ram/sharingWithOrganization:SharingWithOrganization",
		typeIPAM, "aws:ec2/vpcIpamPool:VpcIpamPool", "aws:ec2/vpcIpamPoolCidr:VpcIpamPoolCidr",
		"aws:ec2/vpcIpamPoolCidrAllocation:VpcIpamPoolCidrAllocation",
		"aws:ec2/vpcIpamOrganizationAdminAccount:VpcIpamOrganizationAdminAccount":
		return true
	}
	return strings.HasPrefix(typ, "aws:s3/")
}

// LineItem is one priced quantity.
type LineItem struct {
	Item         string  `json:"item"`
	Quantity     float64 `json:"quantity"`
	Unit         string  `json:"unit"`
	UnitPriceUSD float64 `json:"unitPriceUSD"`
	MonthlyUSD   float64 `json:"monthlyUSD"`
	Source       string  `json:"source"`
}

// CustomerCost is one customer's revenue and infrastructure.
type CustomerCost struct {
	Key               string  `json:"key"`
	Tier              string  `json:"tier"`
	RevenueUSD        float64 `json:"revenueUSD"`
	InfrastructureUSD float64 `json:"infrastructureUSD"`
	GrossMarginPct    float64 `json:"grossMarginPct"`
	// BudgetUSD is the account's monthly AWS Budget (its name BudgetName),
	// and CostExplorerFilter the Cost Explorer filter that reads its
	// actual spend (the customer cost category): the figures an invoice
	// can be checked against.
	BudgetUSD          float64    `json:"budgetUSD,omitempty"`
	BudgetName         string     `json:"budgetName,omitempty"`
	CostExplorerFilter string     `json:"costExplorerFilter,omitempty"`
	Items              []LineItem `json:"items"`
	// Resources counts the customer's recorded resources by type.
	Resources map[string]int `json:"resources"`
}

// TierCost sums a tier's customers and the shared costs the tier causes.
type TierCost struct {
	Tier              string  `json:"tier"`
	Customers         int     `json:"customers"`
	RevenueUSD        float64 `json:"revenueUSD"`
	CustomersInfraUSD float64 `json:"customersInfrastructureUSD"`
	SharedUSD         float64 `json:"sharedUSD"`
	InfrastructureUSD float64 `json:"infrastructureUSD"`
	GrossMarginPct    float64 `json:"grossMarginPct"`
}

// Totals are the business numbers.
type Totals struct {
	RevenueUSD        float64 `json:"revenueUSD"`
	InfrastructureUSD float64 `json:"infrastructureUSD"`
	GrossProfitUSD    float64 `json:"grossProfitUSD"`
	GrossMarginPct    float64 `json:"grossMarginPct"`
	PeopleUSD         float64 `json:"peopleUSD"`
	OperationsUSD     float64 `json:"operationsUSD"`
	NetProfitUSD      float64 `json:"netProfitUSD"`
	NetMarginPct      float64 `json:"netMarginPct"`
}

// Report is the "cost" section of the plan: monthly figures in USD.
type Report struct {
	Region     string         `json:"region"`
	PricesAsOf string         `json:"pricesAsOf"`
	Customers  []CustomerCost `json:"customers"`
	Tiers      []TierCost     `json:"tiers"`
	// Shared are organization-wide costs (Shield Advanced, shared KMS keys).
	Shared []LineItem `json:"shared"`
	Totals Totals     `json:"totals"`
	Prices Prices     `json:"prices"`
	Params Params     `json:"params"`
	// Hub summarises the network hub's costs (nil without one).
	Hub *HubCost `json:"hub,omitempty"`
	// Unpriced lists recorded resource types the table has no price for;
	// they are counted as free and should be added to prices.go.
	Unpriced []string `json:"unpriced,omitempty"`
}

// Options configure Compute.
type Options struct {
	Prices Prices
	Params Params
	// Retention is each tier's effective retention (stack overrides
	// applied, see RetentionOf); nil uses the tiers' defaults.
	Retention map[string]tiers.Retention
}

// DefaultOptions are the us-east-1 prices and default assumptions.
func DefaultOptions() Options { return Options{Prices: USEast1(), Params: DefaultParams()} }

// Margins returns the totals for a revenue, an infrastructure cost and the
// people and operations costs. Margins of zero revenue are 0.
func Margins(revenue, infrastructure, people, operations float64) Totals {
	t := Totals{
		RevenueUSD: round2(revenue), InfrastructureUSD: round2(infrastructure),
		PeopleUSD: round2(people), OperationsUSD: round2(operations),
	}
	t.GrossProfitUSD = round2(t.RevenueUSD - t.InfrastructureUSD)
	t.NetProfitUSD = round2(t.GrossProfitUSD - t.PeopleUSD - t.OperationsUSD)
	t.GrossMarginPct = pct(t.GrossProfitUSD, t.RevenueUSD)
	t.NetMarginPct = pct(t.NetProfitUSD, t.RevenueUSD)
	return t
}

// Compute prices the recorded resources. Customers are the recorded member
// accounts (their "customer" and "tier" tags); every other resource belongs
// to the customer in its tags, its parent components or its provider, or
// else is shared.
func Compute(resources []recorder.Resource, opts Options) (Report, error) {
	pr, pa := opts.Prices, opts.Params
	retention := opts.Retention
	if retention == nil {
		retention = map[string]tiers.Retention{}
		for _, t := range tiers.All() {
			retention[t.Key] = t.Retention
		}
	}
	archivePrice := pr.S3GlacierFlexiblePerGBMonth
	switch pa.ArchiveClass {
	case ArchiveGlacierFlexible, "":
	case ArchiveDeepArchive:
		archivePrice = pr.S3GlacierDeepArchivePerGBMonth
	default:
		return Report{}, fmt.Errorf("cost: archive class %q: want %s or %s", pa.ArchiveClass, ArchiveGlacierFlexible, ArchiveDeepArchive)
	}

	byURN := map[string]recorder.Resource{}
	for _, r := range resources {
		byURN[r.URN] = r
	}
	own := owners{byURN: byURN, memo: map[string]string{}}

	// Customers are the accounts.
	custs := map[string]*CustomerCost{}
	for _, r := range resources {
		if r.Type != typeAccount {
			continue
		}
		key := own.of(r)
		tierKey := tags(r)["tier"]
		t, err := tiers.Lookup(tierKey)
		if key == "" || err != nil {
			return Report{}, fmt.Errorf("cost: account %s has no customer and tier tags (customer %q, tier %q)", r.Name, key, tierKey)
		}
		custs[key] = &CustomerCost{Key: key, Tier: t.Key, RevenueUSD: float64(t.MonthlyPriceUSD), Resources: map[string]int{}}
	}

	rep := Report{Region: pr.Region, PricesAsOf: pr.AsOf, Prices: pr, Params: pa}
	items := map[string]map[string]*LineItem{} // customer ("" shared) -> item -> line
	add := func(owner, item string, qty float64, unit string, price Price, source string) {
		if items[owner] == nil {
			items[owner] = map[string]*LineItem{}
		}
		li := items[owner][item]
		if li == nil {
			li = &LineItem{Item: item, Unit: unit, UnitPriceUSD: price.USD, Source: source}
			items[owner][item] = li
		}
		li.Quantity += qty
	}
	// Lifecycle configurations by the bucket they configure.
	lifecycles := map[string][]recorder.Resource{}
	for _, r := range resources {
		if strings.HasPrefix(r.Type, "aws:s3/bucketLifecycleConfiguration") {
			b := first(r.PropertyDependencies["bucket"])
			lifecycles[b] = append(lifecycles[b], r)
		}
	}
	hours := pr.HoursPerMonth.USD
	// categoryPrefix names the cost category that inherits the customer
	// tag ("" when the stack has none): a customer's Cost Explorer filter
	// is its value of that category.
	categoryPrefix := ""
	shieldSubscribed := false
	unpriced := map[string]bool{}
	dashboards := map[string]int{}
	hub := hubCosts{}
	for _, r := range resources {
		if r.Type == typeAwsxVPC {
			hub.egress(r, pr, add)
			continue
		}
		if !r.Custom || r.IsProvider() {
			continue
		}
		owner := own.of(r)
		if _, ok := custs[owner]; !ok {
			owner = ""
		} else {
			custs[owner].Resources[r.Type]++
		}
		switch r.Type {
		case "aws:budgets/budget:Budget":
			if c, ok := custs[owner]; ok {
				c.BudgetName = str(r.Inputs, "name")
				c.BudgetUSD, _ = strconv.ParseFloat(str(r.Inputs, "limitAmount"), 64)
			}
		case "aws:costexplorer/costCategory:CostCategory":
			if prefix, ok := strings.CutSuffix(str(r.Inputs, "name"), "-"+components.CustomerTagKey); ok {
				categoryPrefix = prefix
			}
		case "aws:shield/subscription:Subscription":
			shieldSubscribed = true
		case typeTGWAttachment:
			add(owner, "Transit Gateway attachment hours", hours, "hours", pr.TGWAttachmentHour, pr.TGWAttachmentHour.Source)
			add(owner, "Transit Gateway data processed", pa.TGWProcessedGBPerAttachmentMonth.Value, "GB", pr.TGWPerGB,
				pr.TGWPerGB.Source+"; volume "+pa.TGWProcessedGBPerAttachmentMonth.Source)
			if owner != "" {
				hub.connected++
			}
		case typeTGWPeering:
			add(owner, "Transit Gateway peering attachment hours", hours, "hours", pr.TGWAttachmentHour,
				pr.TGWAttachmentHour.Source+"; inter-region data transfer of operator traffic is not priced")
		case typeIPAM:
			hub.ipam = true
			if v := r.Inputs["operatingRegions"]; v.IsArray() {
				for _, o := range v.ArrayValue() {
					if o.IsObject() {
						hub.regions = append(hub.regions, str(o.ObjectValue(), "regionName"))
					}
				}
			}
		case typeVPC:
			region := ""
			if p, ok := byURN[r.ProviderURN]; ok {
				region = str(p.Inputs, "region")
			}
			hub.vpcs = append(hub.vpcs, ownedVPC{owner, region})
		case typeRoute:
			if str(r.Inputs, "destinationCidrBlock") == "0.0.0.0/0" && str(r.Inputs, "transitGatewayId") != "" && owner != "" {
				// Central egress: the customer's internet traffic goes
				// through the hub's NAT gateways, processed there.
				hub.central++
				add(owner, "NAT gateway data processed (hub egress VPC)", pa.NATProcessedGBPerCustomerMonth.Value, "GB", pr.NATGatewayPerGB,
					pr.NATGatewayPerGB.Source+"; volume "+pa.NATProcessedGBPerCustomerMonth.Source)
			}
		case typeNAT:
			add(owner, "NAT gateway hours", hours, "hours", pr.NATGatewayHour, pr.NATGatewayHour.Source)
			add(owner, "NAT gateway data processed", pa.NATProcessedGBPerCustomerMonth.Value, "GB", pr.NATGatewayPerGB,
				pr.NATGatewayPerGB.Source+"; volume "+pa.NATProcessedGBPerCustomerMonth.Source)
		case typeEIP:
			add(owner, "Public IPv4 address hours (NAT EIP)", hours, "IP-hours", pr.PublicIPv4Hour, pr.PublicIPv4Hour.Source)
		case typeVGW:
			add(owner, "VPN gateway (no VPN connection)", 1, "gateways", pr.VPNGateway, pr.VPNGateway.Source)
		case typeKMSKey:
			add(owner, "KMS customer-managed keys", 1, "keys", pr.KMSKeyMonth, pr.KMSKeyMonth.Source)
		case typeAccount:
			c, ok := custs[owner]
			if !ok {
				break
			}
			// GuardDuty analyzes every member account (auto-enable ALL);
			// Security Hub checks it against its tier's standards.
			add(owner, "GuardDuty CloudTrail management event analysis", pa.MgmtEventsMillionsPerAccountMonth.Value, "million events",
				pr.GuardDutyMgmtEventsPerMillion, pr.GuardDutyMgmtEventsPerMillion.Source+"; volume "+pa.MgmtEventsMillionsPerAccountMonth.Source)
			add(owner, "GuardDuty VPC flow log and DNS log analysis", pa.FlowLogGBPerVPCMonth.Value, "GB",
				pr.GuardDutyLogsPerGB, pr.GuardDutyLogsPerGB.Source+"; volume "+pa.FlowLogGBPerVPCMonth.Source)
			t, _ := tiers.Lookup(c.Tier)
			n := float64(len(t.Detection.Standards))
			add(owner, fmt.Sprintf("Security Hub security checks (%d standards)", len(t.Detection.Standards)), n*pa.SecurityChecksPerStandardAccount.Value, "checks",
				pr.SecurityHubCheck, pr.SecurityHubCheck.Source+"; volume "+pa.SecurityChecksPerStandardAccount.Source)
		case typeMemberFeature:
			if acct, ok := byURN[first(r.PropertyDependencies["accountId"])]; ok {
				if k := own.of(acct); custs[k] != nil {
					owner = k
				}
			}
			switch str(r.Inputs, "name") {
			case tiers.GDS3DataEvents:
				add(owner, "GuardDuty S3 Protection (S3 data events)", pa.S3DataEventsMillionsPerAccount.Value, "million events",
					pr.GuardDutyS3EventsPerMillion, pr.GuardDutyS3EventsPerMillion.Source+"; volume "+pa.S3DataEventsMillionsPerAccount.Source)
			case tiers.GDEBSMalware:
				add(owner, "GuardDuty Malware Protection for EC2 (GB scanned)", pa.MalwareScanGBPerAccountMonth.Value, "GB",
					pr.GuardDutyMalwarePerGB, pr.GuardDutyMalwarePerGB.Source+"; volume "+pa.MalwareScanGBPerAccountMonth.Source)
			default:
				unpriced["GuardDuty feature "+str(r.Inputs, "name")] = true
			}
		case typeRecorder:
			add(owner, "AWS Config configuration items", pa.ConfigItemsPerAccountMonth.Value, "items",
				pr.ConfigItem, pr.ConfigItem.Source+"; volume "+pa.ConfigItemsPerAccountMonth.Source)
		case typeConformancePack:
			rules := float64(strings.Count(str(r.Inputs, "templateBody"), "Type: AWS::Config::ConfigRule"))
			add(owner, "AWS Config conformance-pack rule evaluations", rules*pa.EvaluationsPerRuleMonth.Value, "evaluations",
				pr.ConformancePackEvaluation, pr.ConformancePackEvaluation.Source+fmt.Sprintf("; %d rules x ", int(rules))+pa.EvaluationsPerRuleMonth.Source)
		case typeMetricAlarm:
			what := "CloudWatch alarms (CIS monitoring)"
			if !strings.Contains(str(r.Inputs, "name"), "-cis-") {
				what = "CloudWatch alarms (network health)"
			}
			add(owner, what, 1, "alarms", pr.CloudWatchAlarmMonth, pr.CloudWatchAlarmMonth.Source)
		case typeDashboard:
			// Per account: the first FreeDashboardsPerAccount are free.
			dashboards[r.ProviderURN]++
			if dashboards[r.ProviderURN] > FreeDashboardsPerAccount {
				add(owner, "CloudWatch dashboards (beyond 3 free per account)", 1, "dashboards", pr.CloudWatchDashboardMonth, pr.CloudWatchDashboardMonth.Source)
			}
		case typeMetricFilter:
			what := "CloudWatch custom metrics from metric filters (CIS monitoring)"
			if t := r.Inputs["metricTransformation"]; t.IsObject() && str(t.ObjectValue(), "namespace") == "Tierzone/Findings" {
				what = "CloudWatch custom metrics from metric filters (finding counts)"
			}
			add(owner, what, 1, "metrics", pr.CloudWatchCustomMetricMonth, pr.CloudWatchCustomMetricMonth.Source)
		case "aws:cloudtrail/trail:Trail":
			if str(r.Inputs, "cloudWatchLogsGroupArn") == "" {
				break
			}
			// The organization trail's copy into CloudWatch Logs (CIS
			// monitoring): every customer account plus the management and
			// security tooling accounts, kept 365 days.
			gb := pa.TrailGBPerAccountMonth.Value * float64(len(custs)+2)
			add(owner, "Organization trail to CloudWatch Logs (ingestion)", gb, "GB", pr.CloudWatchLogsStandardPerGB,
				pr.CloudWatchLogsStandardPerGB.Source+"; volume "+pa.TrailGBPerAccountMonth.Source+", customer accounts + management + security")
			add(owner, "Organization trail in CloudWatch Logs (365-day storage)", gb*storedMonths(365, 0, pa.ArchiveAgeMonths.Value), "GB-months",
				pr.CloudWatchLogsStoragePerGBMonth, pr.CloudWatchLogsStoragePerGBMonth.Source)
		case typeBackupVault:
			add(owner, "AWS Backup recovery points stored (warm)", pa.BackupGBPerAccountMonth.Value, "GB-months",
				pr.BackupWarmPerGBMonth, pr.BackupWarmPerGBMonth.Source+"; volume "+pa.BackupGBPerAccountMonth.Source)
		case typeBucketLogging:
			add(owner, "S3 server access logs stored (S3 Standard, one year)", pa.AccessLogGBPerBucketMonth.Value*storedMonths(365, 0, pa.ArchiveAgeMonths.Value), "GB-months",
				pr.AccessLogStorageNoteS3Standard, pr.AccessLogStorageNoteS3Standard.Source+"; volume "+pa.AccessLogGBPerBucketMonth.Source)
		case typeFlowLog:
			gb := pa.FlowLogGBPerVPCMonth.Value
			vol := "; volume " + pa.FlowLogGBPerVPCMonth.Source
			ret := retention[tags(r)["tier"]]
			if c, ok := custs[owner]; ok {
				ret = retention[c.Tier]
			}
			if dest := str(r.Inputs, "logDestinationType"); dest == "s3" {
				add(owner, "Flow logs delivered to S3", gb, "GB", pr.S3VendedPerGB, pr.S3VendedPerGB.Source+vol)
				// The bucket's recorded lifecycle rule for the flow log's
				// prefix says when logs go cold and expire; without one, the
				// tier's retention and the ArchiveClass parameter.
				life := lifecycle{transition: ret.HotDays, class: pa.ArchiveClass, expiration: ret.ArchiveDays,
					source: "tier retention and the archiveClass parameter (no lifecycle rule recorded)"}
				if l, ok := archiveLifecycle(r, byURN, lifecycles); ok {
					life = l
				}
				coldPrice, known := storagePrice(pr, life.class)
				if !known {
					unpriced["S3 storage class "+life.class] = true
					coldPrice = archivePrice
				}
				hot := storedMonths(life.transition, 0, pa.ArchiveAgeMonths.Value)
				cold := storedMonths(life.expiration-life.transition, months(life.transition), pa.ArchiveAgeMonths.Value)
				add(owner, fmt.Sprintf("S3 Standard storage (first %d days)", life.transition), gb*hot, "GB-months", pr.S3StandardPerGBMonth,
					pr.S3StandardPerGBMonth.Source+archiveNote(pa)+"; days from "+life.source)
				add(owner, fmt.Sprintf("S3 %s storage (to %d days)", life.class, life.expiration), gb*cold, "GB-months", coldPrice,
					coldPrice.Source+archiveNote(pa)+"; days and class from "+life.source)
			} else {
				days := ret.HotDays
				if g, ok := byURN[first(r.PropertyDependencies["logDestination"])]; ok && g.Type == typeLogGroup {
					if v, ok := g.Inputs["retentionInDays"]; ok && v.IsNumber() {
						days = int(v.NumberValue())
					}
				}
				add(owner, "Flow logs ingested into CloudWatch Logs", gb, "GB", pr.CloudWatchLogsVendedPerGB, pr.CloudWatchLogsVendedPerGB.Source+vol)
				add(owner, fmt.Sprintf("CloudWatch Logs storage (%d-day retention)", days), gb*storedMonths(days, 0, pa.ArchiveAgeMonths.Value), "GB-months",
					pr.CloudWatchLogsStoragePerGBMonth, pr.CloudWatchLogsStoragePerGBMonth.Source+"; stored as ingested (AWS bills compressed bytes, so this is an upper bound)")
			}
		default:
			if !isFree(r.Type) {
				unpriced[r.Type] = true
			}
		}
	}

	for key, c := range custs {
		if c.BudgetName != "" && categoryPrefix != "" {
			c.CostExplorerFilter = components.CostExplorerFilter(categoryPrefix, key)
		}
	}

	// Shield Advanced: once per organization when any deployed customer's
	// tier requires it, allocated to those tiers by customer count.
	shieldTiers := map[string]int{}
	shieldCustomers := 0
	for _, c := range custs {
		if t, _ := tiers.Lookup(c.Tier); t.ShieldAdvanced {
			shieldTiers[c.Tier]++
			shieldCustomers++
		}
	}
	if shieldCustomers > 0 {
		var names []string
		for k := range shieldTiers {
			names = append(names, k)
		}
		sort.Strings(names)
		state := "budgeted, not subscribed until tierzone:shieldAdvanced is true"
		if shieldSubscribed {
			state = "subscribed by this stack"
		}
		add("", "Shield Advanced subscription ("+strings.Join(names, ", ")+")", 1, "organizations", pr.ShieldAdvancedMonth,
			pr.ShieldAdvancedMonth.Source+"; required by tiers.Tier.ShieldAdvanced; "+state)
	}

	hub.activeIPs(pr, pa, add)
	rep.Hub = hub.summary(pr, pa)

	lines := func(owner string) ([]LineItem, float64) {
		var out []LineItem
		var sum float64
		for _, li := range items[owner] {
			li.Quantity = round4(li.Quantity)
			li.MonthlyUSD = round2(li.Quantity * li.UnitPriceUSD)
			sum += li.MonthlyUSD
			out = append(out, *li)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Item < out[j].Item })
		return out, round2(sum)
	}

	keys := make([]string, 0, len(custs))
	for k := range custs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	perTier := map[string]*TierCost{}
	var revenue, infra float64
	for _, k := range keys {
		c := custs[k]
		c.Items, c.InfrastructureUSD = lines(k)
		c.GrossMarginPct = pct(c.RevenueUSD-c.InfrastructureUSD, c.RevenueUSD)
		rep.Customers = append(rep.Customers, *c)
		tc := perTier[c.Tier]
		if tc == nil {
			tc = &TierCost{Tier: c.Tier}
			perTier[c.Tier] = tc
		}
		tc.Customers++
		tc.RevenueUSD += c.RevenueUSD
		tc.CustomersInfraUSD = round2(tc.CustomersInfraUSD + c.InfrastructureUSD)
		revenue += c.RevenueUSD
		infra += c.InfrastructureUSD
	}
	var shared float64
	rep.Shared, shared = lines("")
	infra += shared
	for _, li := range rep.Shared {
		if strings.HasPrefix(li.Item, "Shield Advanced") {
			for k, n := range shieldTiers {
				perTier[k].SharedUSD = round2(perTier[k].SharedUSD + li.MonthlyUSD*float64(n)/float64(shieldCustomers))
			}
		}
	}
	for _, t := range tiers.All() {
		tc := perTier[t.Key]
		if tc == nil {
			continue
		}
		tc.InfrastructureUSD = round2(tc.CustomersInfraUSD + tc.SharedUSD)
		tc.GrossMarginPct = pct(tc.RevenueUSD-tc.InfrastructureUSD, tc.RevenueUSD)
		rep.Tiers = append(rep.Tiers, *tc)
	}
	rep.Totals = Margins(revenue, infra, pa.PeopleMonthly.Value, pa.OperationsMonthly.Value)
	for t := range unpriced {
		rep.Unpriced = append(rep.Unpriced, t)
	}
	sort.Strings(rep.Unpriced)
	return rep, nil
}

// owners finds the customer a resource belongs to.
type owners struct {
	byURN map[string]recorder.Resource
	memo  map[string]string
}

// of returns the customer key of r: its "customer" tag (or its provider's
// default tag), else its nearest customer component's name, else its
// provider's customer; "" for shared resources.
func (o owners) of(r recorder.Resource) string {
	if k, ok := o.memo[r.URN]; ok {
		return k
	}
	o.memo[r.URN] = ""
	k := tags(r)["customer"]
	if k == "" && (r.Type == "tierzone:org:CustomerAccount" || r.Type == "tierzone:network:CustomerVPC") {
		k = r.Name
	}
	if k == "" {
		if p, ok := o.byURN[r.Parent]; ok {
			k = o.of(p)
		}
	}
	if k == "" {
		if p, ok := o.byURN[r.ProviderURN]; ok {
			k = o.of(p)
		}
	}
	o.memo[r.URN] = k
	return k
}

// tags returns a resource's tags, or a provider's default tags.
func tags(r recorder.Resource) map[string]string {
	out := map[string]string{}
	m := r.Inputs
	if v, ok := m["defaultTags"]; ok && v.IsObject() {
		m = v.ObjectValue()
	}
	if v, ok := m["tags"]; ok && v.IsObject() {
		for k, tv := range v.ObjectValue() {
			if tv.IsString() {
				out[string(k)] = tv.StringValue()
			}
		}
	}
	return out
}

func str(m resource.PropertyMap, key string) string {
	if v, ok := m[resource.PropertyKey(key)]; ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// months converts days to months (365 days = 12 months).
func months(days int) float64 { return float64(days) * 12 / 365 }

// storedMonths is how many months of logs a storage stage holds: the
// stage keeps logs from month `from` for `days`; an archive that has been
// filling for age months (0: forever, steady state) holds only what it has
// received so far.
func storedMonths(days int, from, age float64) float64 {
	if days <= 0 {
		return 0
	}
	span := months(days)
	if age <= 0 {
		return span
	}
	return math.Max(0, math.Min(span, age-from))
}

func archiveNote(p Params) string {
	return fmt.Sprintf("; volume %s; archive age %s", p.FlowLogGBPerVPCMonth.Source, p.ArchiveAgeMonths.Source)
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

func pct(part, whole float64) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(part/whole*10000) / 100
}

// lifecycle is how an archive keeps one prefix: S3 Standard until
// transition days, then class until expiration days.
type lifecycle struct {
	transition, expiration int
	class, source          string
}

// archiveLifecycle finds the recorded lifecycle rule that governs an S3
// flow log's destination: the lifecycle configuration of the bucket the
// flow log depends on, rule with the longest prefix of the destination key.
func archiveLifecycle(fl recorder.Resource, byURN map[string]recorder.Resource, lifecycles map[string][]recorder.Resource) (lifecycle, bool) {
	dest := str(fl.Inputs, "logDestination")
	_, path, ok := strings.Cut(dest, ":::")
	if !ok {
		return lifecycle{}, false
	}
	_, key, _ := strings.Cut(path, "/")
	var configs []recorder.Resource
	for _, u := range fl.PropertyDependencies["logDestination"] {
		if strings.HasPrefix(byURN[u].Type, "aws:s3/bucket") {
			configs = append(configs, lifecycles[u]...)
		}
	}
	var best lifecycle
	bestLen := -1
	for _, r := range configs {
		rules, ok := r.Inputs["rules"]
		if !ok || !rules.IsArray() {
			continue
		}
		for _, rule := range rules.ArrayValue() {
			if !rule.IsObject() {
				continue
			}
			m := rule.ObjectValue()
			prefix := ""
			if f, ok := m["filter"]; ok && f.IsObject() {
				prefix = str(f.ObjectValue(), "prefix")
			}
			tr, ok := m["transitions"]
			if !ok || !tr.IsArray() || len(tr.ArrayValue()) == 0 || !tr.ArrayValue()[0].IsObject() || !strings.HasPrefix(key, prefix) || len(prefix) <= bestLen {
				continue
			}
			t := tr.ArrayValue()[0].ObjectValue()
			exp := 0
			if e, ok := m["expiration"]; ok && e.IsObject() {
				exp = intInput(e.ObjectValue(), "days")
			}
			best = lifecycle{transition: intInput(t, "days"), class: str(t, "storageClass"), expiration: exp,
				source: fmt.Sprintf("the recorded lifecycle rule %q of %s", str(m, "id"), r.Name)}
			bestLen = len(prefix)
		}
	}
	return best, bestLen >= 0 && best.class != ""
}

// storagePrice returns the table's price of an S3 storage class.
func storagePrice(pr Prices, class string) (Price, bool) {
	switch class {
	case "STANDARD":
		return pr.S3StandardPerGBMonth, true
	case ArchiveGlacierFlexible:
		return pr.S3GlacierFlexiblePerGBMonth, true
	case ArchiveDeepArchive:
		return pr.S3GlacierDeepArchivePerGBMonth, true
	}
	return Price{}, false
}

func intInput(m resource.PropertyMap, key string) int {
	if v, ok := m[resource.PropertyKey(key)]; ok && v.IsNumber() {
		return int(v.NumberValue())
	}
	return 0
}
