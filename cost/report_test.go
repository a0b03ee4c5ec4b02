package cost_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/deploytime"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/stackconfig"
)

// TestPrintSeedReport prints the tables of docs/cost.md for the seed
// catalog and the prod stack:
//
//	TIERZONE_COST_REPORT=1 go test ./cost -run TestPrintSeedReport -v
func TestPrintSeedReport(t *testing.T) {
	if os.Getenv("TIERZONE_COST_REPORT") == "" {
		t.Skip("set TIERZONE_COST_REPORT=1 to print the report")
	}
	cfg, err := stackconfig.Load("../Pulumi.prod.yaml", landingzone.ConfigNamespace)
	require.NoError(t, err)
	cat := customers.Catalog()
	rec, err := recorder.Run("prod", cfg, landingzone.Program(cat))
	require.NoError(t, err)
	rep, err := cost.ForStack(rec.Resources(), cat, cfg)
	require.NoError(t, err)
	require.NoError(t, cost.WriteText(os.Stdout, rep))
	est, err := deploytime.DefaultModel().Estimate(rec.Resources())
	require.NoError(t, err)
	os.Stdout.WriteString("\n")
	require.NoError(t, deploytime.WriteText(os.Stdout, est))
	opts := cost.Options{Prices: rep.Prices, Params: rep.Params}
	rows, err := cost.Progression(cat, nil, cost.ProjectOptions{Cost: &opts, Config: cfg})
	require.NoError(t, err)
	os.Stdout.WriteString("\n")
	require.NoError(t, cost.WriteProgression(os.Stdout, rows))
}
