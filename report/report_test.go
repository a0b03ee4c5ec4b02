package report

import (
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/plan"
)

// repoDir is the repository root (it holds Pulumi.yaml and the stacks).
func repoDir(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	return filepath.Dir(filepath.Dir(file))
}

// htmlOptions are the plan sections the HTML report shows.
var htmlOptions = plan.Options{Cost: true, Controls: true, Customers: 100}

// buildReport plans catalog (nil: the seed catalog in the prod stack's
// settings) with the sections the page shows.
func buildReport(t testing.TB, catalog []customers.Customer, opts plan.Options) *plan.Report {
	t.Helper()
	cfg, err := plan.LoadStack(repoDir(t), "prod")
	require.NoError(t, err)
	if catalog == nil {
		catalog = customers.Catalog()
	} else {
		cfg = plan.UseCatalogFile(cfg)
	}
	rep, err := plan.BuildWith("prod", cfg, catalog, opts)
	require.NoError(t, err)
	return rep
}

var (
	seedOnce sync.Once
	seedRep  *plan.Report
)

// seedReport is the seed plan with every section, built once per test run.
func seedReport(t testing.TB) *plan.Report {
	seedOnce.Do(func() { seedRep = buildReport(t, nil, htmlOptions) })
	require.NotNil(t, seedRep)
	return seedRep
}
