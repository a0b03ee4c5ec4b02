package tiers

// Monitoring is what a tier's accounts share with the monitoring account
// and how closely its dashboards look at each VPC (issue 13).
type Monitoring struct {
	// ShareLogs: the account's OAM link shares CloudWatch Logs (the
	// flow-log groups) with the monitoring account as well as metrics.
	ShareLogs       bool
	ShareLogsSource string
	// VPCDetail: the tier dashboard shows each VPC on its own (NAT bytes,
	// flow-log volume, drops per customer), not only the tier's totals.
	VPCDetail       bool
	VPCDetailSource string
}

// MonitoringOf is a tier's monitoring data, by tier key.
func MonitoringOf(key string) Monitoring {
	return map[string]Monitoring{
		Fintech: {ShareLogs: true, ShareLogsSource: "PCI DSS 10.4.1: audit logs reviewed centrally by the provider's operators",
			VPCDetail: true, VPCDetailSource: "PCI DSS 10.4.1.1: automated review of each cardholder-data network's logs"},
		Healthcare: {ShareLogs: false, ShareLogsSource: "HIPAA 164.502(b) minimum necessary: flow logs stay in the customer's account; metrics only",
			VPCDetail: true, VPCDetailSource: "HIPAA 164.312(b) audit controls: activity of each ePHI network examined"},
		GovFederal: {ShareLogs: false, ShareLogsSource: "FedRAMP boundary (AC-4): log data does not leave the authorized boundary; metrics only",
			VPCDetail: true, VPCDetailSource: "FedRAMP SI-4: each system's network monitored"},
		Standard: {ShareLogs: true, ShareLogsSource: "CIS: no restriction; the provider's operators read flow logs centrally",
			VPCDetail: false, VPCDetailSource: "seeds: VPC-level views optional; Standard gets the tier's totals"},
	}[key]
}
