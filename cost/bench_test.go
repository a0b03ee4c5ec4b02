package cost_test

import (
	"fmt"
	"testing"

	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
)

// BenchmarkProject measures a whole projection: scale the catalog, run the
// program under the recorder, price it and estimate its deployment.
func BenchmarkProject(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cost.Project(customers.Catalog(), n, cost.ProjectOptions{Config: testConfig()}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
