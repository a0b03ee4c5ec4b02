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

// BenchmarkCheckResourcesProdPlan is the per-resource rules over every
// resource of the prod plan (the engine calls them one resource at a time).
func BenchmarkCheckResourcesProdPlan(b *testing.B) {
	p := FromRecorder(record(b, "prod"))
	b.ResetTimer()
	for b.Loop() {
		if vs := CheckResources(p); len(vs) != 0 {
			b.Fatalf("seed plan violates: %v", vs)
		}
	}
}
