package tiers

import "slices"

// CloudWatchRetentionDays returns the exact list of values CloudWatch Logs accepts
// for retentionInDays (botocore logs shape "Days", Aug 2026; the Rust and Ruby
// SDKs agree). Any other value is rejected by PutRetentionPolicy.
func CloudWatchRetentionDays() []int {
	return []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
}

// ValidCloudWatchRetention reports whether CloudWatch Logs accepts days.
func ValidCloudWatchRetention(days int) bool { return slices.Contains(CloudWatchRetentionDays(), days) }

// Retention is a tier's log retention.
type Retention struct {
	// HotDays is how long flow logs stay searchable in CloudWatch Logs (the
	// seeds' 90-day hot tier; PCI DSS 10.5.1 wants the last 3 months
	// immediately available).
	HotDays int
	// ArchiveDays is the product's promise: how long the archive keeps logs.
	ArchiveDays int
	// FloorDays is the framework's regulatory minimum; no stack may configure
	// the archive below it.
	FloorDays int
	// FloorSource cites where the floor comes from.
	FloorSource string
	// PromiseSource cites where the promise comes from.
	PromiseSource string
}

// years returns n years in days as the CloudWatch Logs retention values
// count them, leap days included (5 years = 1827, 10 years = 3653).
func years(n int) int {
	switch n {
	case 1:
		return 365
	case 6:
		return 2192
	case 7:
		return 2557
	case 10:
		return 3653
	}
	panic("tiers: add the CloudWatch retention value for that many years")
}
