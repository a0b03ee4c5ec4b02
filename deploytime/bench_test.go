package deploytime_test

import (
	"fmt"
	"testing"

	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/deploytime"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
)

// BenchmarkEstimate measures the estimate alone (not the program run) for
// 10, 100 and 1,000 customers.
func BenchmarkEstimate(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		cs, err := cost.ScaleCatalog(customers.Catalog(), n)
		if err != nil {
			b.Fatal(err)
		}
		rec, err := recorder.Run("bench", testConfig(), landingzone.Program(cs))
		if err != nil {
			b.Fatal(err)
		}
		res := rec.Resources()
		m := deploytime.DefaultModel()
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Estimate(res); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
