package tests

import (
	"slices"
	"testing"

	"github.com/tierzone/tierzone/tiers"
)

// TestTierRulesAsPromised pins every tier's commercial and compliance
// figures to the seed reports and the framework floors in DESIGN.md.
func TestTierRulesAsPromised(t *testing.T) {
	want := map[string]struct {
		ou                      string
		frameworks              []string
		price                   int
		hot, archive, floor     int
		natRequired, vpnRequire bool
		regions                 []string
	}{
		"fintech":     {"Customers-Fintech", []string{"SOC2", "PCI-DSS"}, 8000, 90, 2557, 365, true, false, nil},
		"healthcare":  {"Customers-Healthcare", []string{"HIPAA"}, 15000, 90, 3653, 2192, true, true, nil},
		"gov-federal": {"Customers-Government-Federal", []string{"FedRAMP"}, 25000, 90, 3653, 913, true, false, []string{"us-east-1"}},
		"standard":    {"Customers-Standard", []string{"CIS"}, 2000, 90, 365, 365, false, false, nil},
	}
	all := tiers.All()
	if len(all) != len(want) {
		t.Fatalf("%d tiers, want %d", len(all), len(want))
	}
	for _, tr := range all {
		w, ok := want[tr.Key]
		if !ok {
			t.Errorf("unexpected tier %s", tr.Key)
			continue
		}
		if tr.OUName != w.ou || !slices.Equal(tr.Frameworks, w.frameworks) || tr.MonthlyPriceUSD != w.price {
			t.Errorf("%s: OU %s frameworks %v price %d", tr.Key, tr.OUName, tr.Frameworks, tr.MonthlyPriceUSD)
		}
		r := tr.Retention
		if r.HotDays != w.hot || r.ArchiveDays != w.archive || r.FloorDays != w.floor {
			t.Errorf("%s: retention hot %d archive %d floor %d, want %d/%d/%d", tr.Key, r.HotDays, r.ArchiveDays, r.FloorDays, w.hot, w.archive, w.floor)
		}
		if !tiers.ValidCloudWatchRetention(r.HotDays) {
			t.Errorf("%s: hot retention %d is not a CloudWatch value", tr.Key, r.HotDays)
		}
		if r.ArchiveDays < r.FloorDays || r.FloorSource == "" || r.PromiseSource == "" {
			t.Errorf("%s: promise below floor or unsourced", tr.Key)
		}
		if tr.NATGateway.Required != w.natRequired || tr.VPNGateway.Required != w.vpnRequire {
			t.Errorf("%s: NAT required %v VPN required %v", tr.Key, tr.NATGateway.Required, tr.VPNGateway.Required)
		}
		if w.regions != nil && !slices.Equal(tr.AllowedRegions, w.regions) {
			t.Errorf("%s: regions %v, want %v", tr.Key, tr.AllowedRegions, w.regions)
		}
		if tr.DefaultRegion() != "us-east-1" {
			t.Errorf("%s: default region %s; the seeds deploy to us-east-1", tr.Key, tr.DefaultRegion())
		}
	}
}
