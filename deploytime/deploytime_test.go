package deploytime_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/deploytime"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
)

// testConfig is the projection's stack config: enough to run the program.
func testConfig() map[string]string { return cost.DefaultProjectConfig() }

func record(t *testing.T, catalog []customers.Customer) []recorder.Resource {
	t.Helper()
	rec, err := recorder.Run("test", testConfig(), landingzone.Program(catalog))
	require.NoError(t, err)
	return rec.Resources()
}

func estimate(t *testing.T, m deploytime.Model, n int) deploytime.Estimate {
	t.Helper()
	cs, err := cost.ScaleCatalog(customers.Catalog(), n)
	require.NoError(t, err)
	e, err := m.Estimate(record(t, cs))
	require.NoError(t, err)
	return e
}

func TestEstimateIsMonotoneAndStepsEveryFiveAccounts(t *testing.T) {
	m := deploytime.DefaultModel()
	// The account waves alone: no engine worker limit in the way.
	m.Parallelism = 0
	account := m.Create[deploytime.AccountType].Time
	totals := map[int]time.Duration{}
	for n := 1; n <= 16; n++ {
		e := estimate(t, m, n)
		totals[n] = e.Total
		assert.Equal(t, n, e.AccountsCreated)
		assert.Equal(t, (n+4)/5, e.AccountWaves)
		if n > 1 {
			assert.GreaterOrEqual(t, totals[n], totals[n-1], "%d customers take no less than %d", n, n-1)
		}
	}
	for _, n := range []int{1, 6, 11} {
		// Within a wave of 5 the accounts are created side by side: the
		// extra customers cost less than one more account creation.
		assert.Less(t, totals[n+4]-totals[n], account, "%d..%d customers are one wave", n, n+4)
	}
	for _, n := range []int{5, 10, 15} {
		// The 6th, 11th, 16th account waits for a free creation slot: a
		// whole account creation more.
		assert.GreaterOrEqual(t, totals[n+1]-totals[n], account, "customer %d starts a new wave", n+1)
	}
}

func TestCriticalPathIsARealPath(t *testing.T) {
	res := record(t, customers.Catalog())
	g, err := deploytime.NewGraph(res)
	require.NoError(t, err)
	m := deploytime.DefaultModel()
	// The dependency graph alone: waiting for a free engine worker is no edge.
	m.Parallelism = 0
	e, err := m.Estimate(res)
	require.NoError(t, err)
	path := e.CriticalPath
	require.NotEmpty(t, path)

	assert.Empty(t, g.In[path[0].URN], "the path starts at a resource that waits for nothing")
	assert.Zero(t, path[0].Start)
	assert.Equal(t, e.Total, path[len(path)-1].Finish, "the path ends when the deployment ends")
	slots := 0
	for i := 1; i < len(path); i++ {
		prev, next := path[i-1], path[i]
		assert.Equal(t, prev.Finish, next.Start, "%s starts when %s finishes", next.Name, prev.Name)
		if prev.Type == deploytime.AccountType && next.Type == deploytime.AccountType {
			// Waiting for a creation slot: the model's own limit, or the
			// program's dependency on the account five places earlier.
			slots++
		}
		if next.Via == deploytime.EdgeAccountSlot {
			assert.Equal(t, deploytime.AccountType, prev.Type)
			assert.Equal(t, deploytime.AccountType, next.Type)
			continue
		}
		edge, ok := g.Edge(prev.URN, next.URN)
		if assert.True(t, ok, "no edge %s -> %s", prev.URN, next.URN) {
			assert.Equal(t, edge.Kind, next.Via)
		}
	}
	// Ten accounts, five at a time: the path goes through a slot wait.
	assert.Equal(t, 1, slots)
	names := map[string]bool{}
	for _, s := range path {
		names[s.Type] = true
	}
	assert.True(t, names["aws:ec2/natGateway:NatGateway"], "the NAT gateway is the slowest network resource")
}

func TestAdoptedAccountsTakeNoCreationSlot(t *testing.T) {
	cs, err := cost.ScaleCatalog(customers.Catalog(), 12)
	require.NoError(t, err)
	for i := range cs {
		cs[i].ExistingAccountID = fmt.Sprintf("%012d", 100000000000+i)
		cs[i].Email = fmt.Sprintf("root+%d@adopted.example", i)
	}
	m := deploytime.DefaultModel()
	e, err := m.Estimate(record(t, cs))
	require.NoError(t, err)
	assert.Equal(t, 0, e.AccountsCreated)
	assert.Equal(t, 12, e.AccountsAdopted)
	assert.Zero(t, e.AccountWaves)
	// A created account's customer waits 10 minutes and then its NAT
	// gateway's 5; imports skip the first (the rest is the engine's
	// parallelism working through every customer's resources).
	assert.Less(t, e.Total, m.Create[deploytime.AccountType].Time+m.Create["aws:ec2/natGateway:NatGateway"].Time, "imports do not wait for account creation")
}

func TestSerialEngineSumsEveryDuration(t *testing.T) {
	m := deploytime.DefaultModel()
	m.Parallelism = 1
	res := record(t, customers.Catalog()[:2])
	e, err := m.Estimate(res)
	require.NoError(t, err)
	var sum time.Duration
	for _, r := range res {
		sum += m.DurationOf(r.Type, r.Custom, r.ImportID != "").Time
	}
	assert.Equal(t, sum, e.Total, "one operation at a time: the total is the sum")
}

func TestComponentsFinishAfterTheirChildren(t *testing.T) {
	res := record(t, customers.Catalog()[:1])
	e, err := deploytime.DefaultModel().Estimate(res)
	require.NoError(t, err)
	for _, r := range res {
		if parent, ok := e.Timings[r.Parent]; ok {
			assert.GreaterOrEqual(t, parent.Finish, e.Timings[r.URN].Finish, "%s finishes after its child %s", parent.Name, r.Name)
		}
		for _, d := range r.Dependencies {
			assert.GreaterOrEqual(t, e.Timings[r.URN].Start, e.Timings[d].Finish, "%s waits for %s", r.Name, d)
		}
		if r.ProviderURN != "" {
			assert.GreaterOrEqual(t, e.Timings[r.URN].Start, e.Timings[r.ProviderURN].Finish, "%s waits for its provider", r.Name)
		}
	}
}

func TestCycleIsAnError(t *testing.T) {
	_, err := deploytime.DefaultModel().Estimate([]recorder.Resource{
		{URN: "urn:a", Type: "aws:ec2/vpc:Vpc", Name: "a", Custom: true, Dependencies: []string{"urn:b"}},
		{URN: "urn:b", Type: "aws:ec2/vpc:Vpc", Name: "b", Custom: true, Dependencies: []string{"urn:a"}},
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cycle")
}

func TestPhasesAndRendering(t *testing.T) {
	e := estimate(t, deploytime.DefaultModel(), 10)
	var names []string
	for _, p := range e.Phases {
		names = append(names, p.Name)
		assert.LessOrEqual(t, p.End, e.Total)
	}
	assert.Equal(t, deploytime.Phases(), names)
	var buf bytes.Buffer
	require.NoError(t, deploytime.WriteText(&buf, e))
	assert.Contains(t, buf.String(), "Critical path")
	assert.Contains(t, buf.String(), deploytime.PhaseAccounts)
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"totalSeconds":`)
}

// TestDefaultParallelismIsTheCLIs: pulumi up --parallel defaults to 4 x
// CPUs (v3.104, PR #15016), so the default model caps operations in flight
// at 16 for its assumed 4-CPU runner; a cap never makes a deployment faster.
func TestDefaultParallelismIsTheCLIs(t *testing.T) {
	m := deploytime.DefaultModel()
	assert.Equal(t, 16, m.Parallelism)
	assert.Equal(t, 8, deploytime.DefaultParallelism(2))
	unbounded := m
	unbounded.Parallelism = 0
	for _, n := range []int{10, 40} {
		capped, free := estimate(t, m, n), estimate(t, unbounded, n)
		assert.GreaterOrEqual(t, capped.Total, free.Total, "%d customers", n)
	}
	assert.Greater(t, estimate(t, m, 40).Total, estimate(t, unbounded, 40).Total, "40 customers' NAT gateways queue for workers")
	e := estimate(t, m, 1)
	assert.Contains(t, strings.Join(e.Assumptions, "\n"), "4 x CPUs since v3.104")
}
