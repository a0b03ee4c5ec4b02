package cost

// This file is the one place prices live. Every figure is a us-east-1 list
// price with its source, as compiled in the shared reference
// "aws-limits-guardrails-costs.md", section 5 (dated 2026-11; the
// aws.amazon.com pricing pages are JavaScript-rendered, so the figures come
// from consistent secondary sources: check them against the AWS Price List
// API before quoting them to a customer).

// Price is one list price.
type Price struct {
	USD    float64 `json:"usd"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
}

// Prices is a dated price table for one region.
type Prices struct {
	Region string `json:"region"`
	AsOf   string `json:"asOf"`
	// HoursPerMonth converts hourly prices to monthly ones.
	HoursPerMonth Price `json:"hoursPerMonth"`
	// NATGatewayHour and NATGatewayPerGB: a NAT gateway bills by the hour
	// and by the GB it processes.
	NATGatewayHour  Price `json:"natGatewayHour"`
	NATGatewayPerGB Price `json:"natGatewayPerGB"`
	// PublicIPv4Hour bills every public IPv4 address since 1 Feb 2024,
	// including the NAT gateway's Elastic IP.
	PublicIPv4Hour Price `json:"publicIPv4Hour"`
	// VPNGateway: a virtual private gateway is free; only VPN connections
	// bill ($0.05/h), and Tierzone creates none.
	VPNGateway Price `json:"vpnGateway"`
	// CloudWatchLogsVendedPerGB is flow-log (vended log) ingestion into
	// CloudWatch Logs, first 10 TB.
	CloudWatchLogsVendedPerGB Price `json:"cloudWatchLogsVendedPerGB"`
	// CloudWatchLogsStoragePerGBMonth is log storage (archival) in CloudWatch Logs.
	CloudWatchLogsStoragePerGBMonth Price `json:"cloudWatchLogsStoragePerGBMonth"`
	// S3VendedPerGB is flow-log delivery to S3, first 10 TB.
	S3VendedPerGB Price `json:"s3VendedPerGB"`
	// S3StandardPerGBMonth, S3GlacierFlexiblePerGBMonth and
	// S3GlacierDeepArchivePerGBMonth are S3 storage classes.
	S3StandardPerGBMonth           Price `json:"s3StandardPerGBMonth"`
	S3GlacierFlexiblePerGBMonth    Price `json:"s3GlacierFlexiblePerGBMonth"`
	S3GlacierDeepArchivePerGBMonth Price `json:"s3GlacierDeepArchivePerGBMonth"`
	// KMSKeyMonth is one customer-managed KMS key.
	KMSKeyMonth Price `json:"kmsKeyMonth"`
	// TGWAttachmentHour and TGWPerGB: a Transit Gateway attachment (VPC or
	// peering) bills by the hour, and every GB a VPC sends into the
	// gateway is processed.
	TGWAttachmentHour Price `json:"tgwAttachmentHour"`
	TGWPerGB          Price `json:"tgwPerGB"`
	// IPAMActiveIPHour: IPAM's Advanced tier bills each active IP address
	// in the VPCs it monitors (the operating regions) by the hour.
	IPAMActiveIPHour Price `json:"ipamActiveIPHour"`
	// ShieldAdvancedMonth is billed once per organization (1-year
	// commitment) when any tier requires Shield Advanced.
	ShieldAdvancedMonth Price `json:"shieldAdvancedMonth"`

	// Detection (issue 12). GuardDuty bills per account by what it
	// analyzes; Security Hub per security check; AWS Config per
	// configuration item recorded and per conformance-pack rule
	// evaluation; CloudWatch per alarm and per custom metric (what a metric
	// filter publishes); the trail's copy into CloudWatch Logs as standard
	// log ingestion.
	GuardDutyMgmtEventsPerMillion Price `json:"guardDutyMgmtEventsPerMillion"`
	GuardDutyLogsPerGB            Price `json:"guardDutyLogsPerGB"`
	GuardDutyS3EventsPerMillion   Price `json:"guardDutyS3EventsPerMillion"`
	GuardDutyMalwarePerGB         Price `json:"guardDutyMalwarePerGB"`
	SecurityHubCheck              Price `json:"securityHubCheck"`
	ConfigItem                    Price `json:"configItem"`
	ConformancePackEvaluation     Price `json:"conformancePackEvaluation"`
	CloudWatchAlarmMonth          Price `json:"cloudWatchAlarmMonth"`
	// CloudWatchDashboardMonth is one dashboard beyond the free ones.
	CloudWatchDashboardMonth       Price `json:"cloudWatchDashboardMonth"`
	CloudWatchCustomMetricMonth    Price `json:"cloudWatchCustomMetricMonth"`
	CloudWatchLogsStandardPerGB    Price `json:"cloudWatchLogsStandardPerGB"`
	SNSNotificationsPerHundredK    Price `json:"snsNotificationsPerHundredK"`
	AccessLogStorageNoteS3Standard Price `json:"accessLogStorage"`
	// BackupWarmPerGBMonth is AWS Backup's warm storage of recovery points
	// (the account baseline's vault).
	BackupWarmPerGBMonth Price `json:"backupWarmPerGBMonth"`
}

// USEast1 returns the us-east-1 price table of November 2026.
func USEast1() Prices {
	const ref = "aws-limits-guardrails-costs.md §5"
	// The detection prices are not in the shared reference; they are the
	// services' published us-east-1 list prices as recalled on 2 Dec 2026
	// (the pricing pages are JavaScript-rendered and could not be
	// retrieved here): verify against the AWS Price List API.
	const det = "us-east-1 list price, 2026-12-02 [unverified here]: "
	return Prices{
		Region: "us-east-1",
		AsOf:   "2026-11",
		HoursPerMonth: Price{730, "hours/month",
			ref + ": use 730 hours per month (8,760 h / 12)"},
		NATGatewayHour: Price{0.045, "USD/NAT gateway-hour",
			ref + ": NAT gateway $0.045/hour (basavytix.com, cloudburn.io, cloudpipelines)"},
		NATGatewayPerGB: Price{0.045, "USD/GB processed",
			ref + ": NAT gateway $0.045/GB processed; internet egress and cross-AZ $0.01/GB are extra"},
		PublicIPv4Hour: Price{0.005, "USD/IP-hour",
			ref + ": public IPv4 $0.005 per IP-hour since 1 Feb 2024, EIPs and NAT included (doit.com, techpartner.news)"},
		VPNGateway: Price{0, "USD/month",
			ref + ": the VGW itself is free; a Site-to-Site VPN connection is $0.05/hour and Tierzone creates none (factualminds.com, Jun 2026)"},
		CloudWatchLogsVendedPerGB: Price{0.50, "USD/GB ingested",
			ref + ": flow logs to CloudWatch Logs (vended logs) $0.50/GB first 10 TB (aws-samples/sample-cfm-tips-mcp pricing constants)"},
		CloudWatchLogsStoragePerGBMonth: Price{0.03, "USD/GB-month",
			ref + ": CloudWatch Logs storage $0.03/GB-month (hykell.com, cloud-horizons)"},
		S3VendedPerGB: Price{0.25, "USD/GB delivered",
			ref + ": flow logs to S3 $0.25/GB first 10 TB, plus storage (aws-samples/sample-cfm-tips-mcp)"},
		S3StandardPerGBMonth: Price{0.023, "USD/GB-month",
			ref + ": S3 Standard $0.023/GB-month first 50 TB (go-cloud.io; sample-cfm constants)"},
		S3GlacierFlexiblePerGBMonth: Price{0.0036, "USD/GB-month",
			ref + ": S3 Glacier Flexible Retrieval $0.0036/GB-month, 90-day minimum [unverified in the reference]"},
		S3GlacierDeepArchivePerGBMonth: Price{0.00099, "USD/GB-month",
			ref + ": S3 Glacier Deep Archive $0.00099/GB-month, 180-day minimum (go-cloud.io)"},
		KMSKeyMonth: Price{1, "USD/key-month",
			ref + ": KMS customer-managed key $1 per key-month, prorated; requests extra"},
		TGWAttachmentHour: Price{0.05, "USD/attachment-hour",
			ref + ": Transit Gateway attachment $0.05/hour per attachment (awsnegotiations.com, factualminds)"},
		TGWPerGB: Price{0.02, "USD/GB processed",
			ref + ": Transit Gateway $0.02/GB processed (awsnegotiations.com, factualminds)"},
		IPAMActiveIPHour: Price{0.00027, "USD/active IP-hour",
			det + "VPC IP Address Manager, Advanced tier: $0.00027 per active IP address per hour in monitored VPCs; the Free tier has no pools (aws.amazon.com/vpc/pricing)"},
		ShieldAdvancedMonth: Price{3000, "USD/organization-month",
			ref + ": Shield Advanced $3,000/month per organization, 1-year commitment, plus data-transfer fees (techtarget; awsnegotiations)"},
		GuardDutyMgmtEventsPerMillion: Price{4.00, "USD/million CloudTrail management events",
			det + "GuardDuty foundational: CloudTrail management event analysis $4.00 per 1M events, first 500M/month (aws.amazon.com/guardduty/pricing)"},
		GuardDutyLogsPerGB: Price{1.00, "USD/GB",
			det + "GuardDuty foundational: VPC flow log and DNS query log analysis $1.00/GB, first 500 GB/month (aws.amazon.com/guardduty/pricing)"},
		GuardDutyS3EventsPerMillion: Price{0.80, "USD/million S3 data events",
			det + "GuardDuty S3 Protection: $0.80 per 1M S3 data events, first 500M/month (aws.amazon.com/guardduty/pricing)"},
		GuardDutyMalwarePerGB: Price{0.03, "USD/GB scanned",
			det + "GuardDuty Malware Protection for EC2: $0.03 per GB of EBS data scanned (aws.amazon.com/guardduty/pricing)"},
		SecurityHubCheck: Price{0.0010, "USD/security check",
			det + "Security Hub CSPM: $0.0010 per security check, first 100,000 checks/account/region/month; finding ingestion free for the first 10,000 (aws.amazon.com/security-hub/pricing)"},
		ConfigItem: Price{0.003, "USD/configuration item",
			det + "AWS Config: $0.003 per configuration item recorded, continuous recording (aws.amazon.com/config/pricing)"},
		ConformancePackEvaluation: Price{0.001, "USD/rule evaluation",
			det + "AWS Config conformance packs: $0.001 per conformance-pack rule evaluation, first 100,000/account/region/month (aws.amazon.com/config/pricing)"},
		CloudWatchAlarmMonth: Price{0.10, "USD/alarm-month",
			det + "CloudWatch standard-resolution metric alarm $0.10 per alarm-month; the free tier's 10 alarms are not counted (aws.amazon.com/cloudwatch/pricing)"},
		CloudWatchDashboardMonth: Price{3.00, "USD/dashboard-month",
			det + "CloudWatch dashboards $3.00 per dashboard per month; 3 dashboards (up to 50 metrics each) free per account (aws.amazon.com/cloudwatch/pricing)"},
		CloudWatchCustomMetricMonth: Price{0.30, "USD/metric-month",
			det + "CloudWatch custom metric $0.30 per metric-month, first 10,000 metrics; a metric filter publishes one (aws.amazon.com/cloudwatch/pricing)"},
		CloudWatchLogsStandardPerGB: Price{0.50, "USD/GB ingested",
			ref + ": CloudWatch Logs standard ingestion $0.50/GB (hykell.com, cloud-horizons)"},
		SNSNotificationsPerHundredK: Price{2.00, "USD/100,000 e-mail notifications",
			det + "SNS: first 1,000 e-mail notifications and 1M publishes free per month, then $2.00 per 100,000 e-mails; an encrypted topic adds only KMS requests (aws.amazon.com/sns/pricing)"},
		AccessLogStorageNoteS3Standard: Price{0.023, "USD/GB-month",
			ref + ": S3 server access logs are delivered free; stored in S3 Standard at $0.023/GB-month"},
		BackupWarmPerGBMonth: Price{0.05, "USD/GB-month",
			det + "AWS Backup warm storage of EBS snapshot recovery points $0.05/GB-month; EFS, RDS and S3 recovery points price differently (aws.amazon.com/backup/pricing)"},
	}
}

// Assumption is a usage figure the price table multiplies; it is a named
// parameter because no recorded resource can say how much traffic a
// customer will have.
type Assumption struct {
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
}

// Archive storage classes an archive bucket's lifecycle can move logs to.
const (
	ArchiveGlacierFlexible = "GLACIER"
	ArchiveDeepArchive     = "DEEP_ARCHIVE"
)

// Params are the usage assumptions and the business costs.
type Params struct {
	// NATProcessedGBPerCustomerMonth is traffic through each NAT gateway.
	NATProcessedGBPerCustomerMonth Assumption `json:"natProcessedGBPerCustomerMonth"`
	// TGWProcessedGBPerAttachmentMonth is what each connected VPC sends
	// into the Transit Gateway.
	TGWProcessedGBPerAttachmentMonth Assumption `json:"tgwProcessedGBPerAttachmentMonth"`
	// IPAMActiveIPsPerVPC is how many addresses are in use in each VPC
	// IPAM monitors.
	IPAMActiveIPsPerVPC Assumption `json:"ipamActiveIPsPerVPC"`
	// FlowLogGBPerVPCMonth is the flow-log volume of one VPC, per flow log.
	FlowLogGBPerVPCMonth Assumption `json:"flowLogGBPerVPCMonth"`
	// ArchiveAgeMonths is how long the archive has been filling; archive
	// storage grows every month until it holds the tier's whole retention
	// period. 0 means steady state (full retention), the upper bound.
	ArchiveAgeMonths Assumption `json:"archiveAgeMonths"`
	// ArchiveClass is the storage class archived logs move to after the hot
	// period (ArchiveGlacierFlexible or ArchiveDeepArchive) when the plan
	// records no lifecycle rule for them; a recorded rule wins.
	ArchiveClass string `json:"archiveClass"`
	// Detection usage, per customer account and month.
	MgmtEventsMillionsPerAccountMonth Assumption `json:"mgmtEventsMillionsPerAccountMonth"`
	S3DataEventsMillionsPerAccount    Assumption `json:"s3DataEventsMillionsPerAccountMonth"`
	MalwareScanGBPerAccountMonth      Assumption `json:"malwareScanGBPerAccountMonth"`
	SecurityChecksPerStandardAccount  Assumption `json:"securityChecksPerStandardAccountMonth"`
	ConfigItemsPerAccountMonth        Assumption `json:"configItemsPerAccountMonth"`
	EvaluationsPerRuleMonth           Assumption `json:"evaluationsPerRuleMonth"`
	TrailGBPerAccountMonth            Assumption `json:"trailGBPerAccountMonth"`
	AccessLogGBPerBucketMonth         Assumption `json:"accessLogGBPerBucketMonth"`
	BackupGBPerAccountMonth           Assumption `json:"backupGBPerAccountMonth"`
	// PeopleMonthly and OperationsMonthly are the business's own costs.
	PeopleMonthly     Assumption `json:"peopleMonthly"`
	OperationsMonthly Assumption `json:"operationsMonthly"`
}

// DefaultParams returns the default assumptions.
func DefaultParams() Params {
	return Params{
		NATProcessedGBPerCustomerMonth: Assumption{100, "GB/customer-month",
			"assumption: no seed figure; 100 GB of egress (patches, API calls) per customer VPC"},
		TGWProcessedGBPerAttachmentMonth: Assumption{100, "GB/attachment-month",
			"assumption: no seed figure; the NAT volume again (a central-egress customer's internet traffic crosses the gateway first; others send hub traffic of the same order)"},
		IPAMActiveIPsPerVPC: Assumption{50, "active IPs/VPC",
			"assumption: 50 addresses in use per VPC (NAT, endpoints, a few dozen instances and interfaces)"},
		FlowLogGBPerVPCMonth: Assumption{10, "GB/VPC-month",
			"seeds (10-customer report): '10 VPCs × Flow Logs = 100+ GB/month', i.e. 10 GB per VPC"},
		ArchiveAgeMonths: Assumption{0, "months (0 = steady state)",
			"assumption: steady state, the archive holds the tier's full retention (upper bound)"},
		ArchiveClass: ArchiveGlacierFlexible,
		MgmtEventsMillionsPerAccountMonth: Assumption{1, "million events/account-month",
			"assumption: 1M CloudTrail management events per customer account per month (a busy account with automation; idle ones log far fewer)"},
		S3DataEventsMillionsPerAccount: Assumption{1, "million S3 data events/account-month",
			"assumption: 1M S3 data events per regulated customer account per month"},
		MalwareScanGBPerAccountMonth: Assumption{20, "GB scanned/account-month",
			"assumption: GuardDuty-initiated scans of 20 GB of EBS per regulated account per month (scans run only on suspicious findings)"},
		SecurityChecksPerStandardAccount: Assumption{2000, "checks/standard/account-month",
			"assumption: 2,000 security checks per enabled standard per account per month (about 200 resources x 10 applicable controls, consolidated control findings)"},
		ConfigItemsPerAccountMonth: Assumption{1000, "configuration items/account-month",
			"assumption: 1,000 configuration items per customer account per month (the VPC's resources, IAM and their changes)"},
		EvaluationsPerRuleMonth: Assumption{30, "evaluations/rule-month",
			"assumption: each conformance-pack rule evaluated 30 times a month (daily periodic rules; change-triggered rules on few resources)"},
		TrailGBPerAccountMonth: Assumption{1, "GB/account-month",
			"assumption: 1 GB of organization-trail events per account per month copied to CloudWatch Logs (1M events of ~1 KB)"},
		AccessLogGBPerBucketMonth: Assumption{1, "GB/bucket-month",
			"assumption: 1 GB of S3 server access logs per archive bucket per month (log deliveries are many small PUTs)"},
		BackupGBPerAccountMonth: Assumption{50, "GB-months/account",
			"assumption: 50 GB of recovery points kept per customer account (what customers tag tierzone-backup=true; incremental snapshots over the tier's retention)"},
		PeopleMonthly: Assumption{11000, "USD/month",
			"seeds (10-customer report): 1 full-time engineer ~$8,000 + 1 part-time support ~$3,000"},
		OperationsMonthly: Assumption{500, "USD/month",
			"seeds (10-customer report): deployment automation ~$500/month (Lambda, CI/CD)"},
	}
}

// FreeDashboardsPerAccount is CloudWatch's free tier: 3 dashboards per
// account per month (up to 50 metrics each; Tierzone's customer dashboards
// stay under that, the monitoring account's tier dashboards may not, so the
// free ones there are an optimistic bound of at most $9/month).
const FreeDashboardsPerAccount = 3
