package plan

import (
	"fmt"
	"io"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/internal/gencatalog"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
)

func TestGeneratedCatalogPlans(t *testing.T) {
	cfg := UseCatalogFile(stackConfig(t, "prod"))
	rep, err := Build("prod", cfg, gencatalog.Customers(40))
	require.NoError(t, err)
	assert.Len(t, rep.Customers, 40)
	for _, ou := range rep.Summary.OUs {
		assert.Len(t, ou.Customers, 10, ou.Name)
	}
}

// benchSizes are the catalog sizes the benchmarks plan.
func benchSizes() []int { return []int{10, 100, 1000} }

// BenchmarkPlan is `tierzone plan` without the file I/O: run the program
// under the mock recorder, build the report, render the text.
func BenchmarkPlan(b *testing.B) {
	cfg := UseCatalogFile(stackConfig(b, "prod"))
	for _, n := range benchSizes() {
		catalog := gencatalog.Customers(n)
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			resources := 0
			for b.Loop() {
				rep, err := Build("prod", cfg, catalog)
				if err != nil {
					b.Fatal(err)
				}
				if err := rep.WriteText(io.Discard); err != nil {
					b.Fatal(err)
				}
				resources = rep.Summary.Resources
			}
			b.ReportMetric(float64(resources), "resources/op")
		})
	}
}

// BenchmarkSDKRegister is the SDK's own cost of registering as many
// resources as BenchmarkPlan's program does for the same customers: a
// trivial program registering plain custom resources of a dummy type under
// pulumi.WithMocks with a monitor that does nothing.
func BenchmarkSDKRegister(b *testing.B) {
	cfg := UseCatalogFile(stackConfig(b, "prod"))
	for _, n := range benchSizes() {
		rep, err := Build("prod", cfg, gencatalog.Customers(n))
		if err != nil {
			b.Fatal(err)
		}
		count := rep.Summary.Resources
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := pulumi.RunErr(func(ctx *pulumi.Context) error {
					for i := range count {
						var r dummy
						if err := ctx.RegisterResource("bench:index:Dummy", fmt.Sprintf("r%d", i), nil, &r); err != nil {
							return err
						}
					}
					return nil
				}, pulumi.WithMocks(recorder.Project, "bench", noopMonitor{}))
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(count), "resources/op")
		})
	}
}

type dummy struct{ pulumi.CustomResourceState }

type noopMonitor struct{}

func (noopMonitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return args.Name + "-id", args.Inputs, nil
}

func (noopMonitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return args.Args, nil
}

// BenchmarkReport is the plan package's own share of BenchmarkPlan: the
// report built from already recorded resources, and the text rendered.
func BenchmarkReport(b *testing.B) {
	cfg := UseCatalogFile(stackConfig(b, "prod"))
	for _, n := range benchSizes() {
		catalog := gencatalog.Customers(n)
		p, err := Validate(cfg, catalog)
		if err != nil {
			b.Fatal(err)
		}
		rec, err := recorder.Run("prod", cfg, landingzone.Program(catalog))
		if err != nil {
			b.Fatal(err)
		}
		res := rec.Resources()
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep, err := newReport("prod", p, res)
				if err != nil {
					b.Fatal(err)
				}
				if err := rep.WriteText(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(res)), "resources/op")
		})
	}
}
