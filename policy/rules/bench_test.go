package rules

import "testing"

// BenchmarkCheckProdPlan is what the policy pack adds to a prod preview:
// building the view and running every rule over the recorded prod plan.
func BenchmarkCheckProdPlan(b *testing.B) {
	rs := record(b, "prod")
	b.ResetTimer()
	for b.Loop() {
		if vs := Check(FromRecorder(rs)); len(vs) != 0 {
			b.Fatalf("seed plan violates: %v", vs)
		}
	}
	b.ReportMetric(float64(len(rs)), "resources")
}
