//go:build engine

package engine

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/fleet"
	"github.com/tierzone/tierzone/internal/fakeaws"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/validation"
)

func (e *env) migrate(s landingzone.Settings, catalog []customers.Customer) (*fleet.Migration, error) {
	e.t.Helper()
	return fleet.Migrate(context.Background(), fleet.Options{
		Stack: "prod", WorkDir: filepath.Join(e.work, "fleet"), Settings: s, Catalog: catalog, EnvVars: maps.Clone(e.vars),
		Command: e.tools.CLI, Progress: testWriter{e.t}, ParallelStacks: 3,
	})
}

// TestMigrateSingleToSharded: prod deployed in the single layout moves to
// the sharded layout without touching the cloud. A migration whose
// settings do not match the state is refused with nothing changed; the
// migration itself creates, updates and deletes nothing in AWS; afterwards
// the organization stack holds no VPC, each customer stack exactly its
// customer's resources, a fleet up changes nothing, onboarding works, and
// migrating again has nothing to do.
func TestMigrateSingleToSharded(t *testing.T) {
	e := newEnv(t, nil)
	s := e.stackSettings("prod")
	// Four customers, one per tier, keep the test short; a fifth onboards.
	s.Customers = []string{"acme-finance", "medicorp-health", "techgov-federal", "startup-standard"}
	catalog := customers.Catalog()
	_, err := e.singleInFleetDir(s, catalog).Up(context.Background())
	require.NoError(t, err)
	stateBefore := state(t, e.singleInFleetDir(s, catalog))
	before := snapshot(t, e.cloud)
	statsBefore := stats(t, e.cloud)

	sharded := s
	sharded.Layout = landingzone.LayoutSharded

	// Settings that add a customer the state does not have: refused.
	var newcomer string
	for _, c := range catalog {
		if !slices.Contains(s.Customers, c.Key) {
			newcomer = c.Key
		}
	}
	require.NotEmpty(t, newcomer)
	more := sharded
	more.Customers = append(slices.Clone(s.Customers), newcomer)
	_, err = e.migrate(more, catalog)
	var ve *validation.Error
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), `customer "`+newcomer+`"`)
	assert.Contains(t, err.Error(), landingzone.NothingChanged)
	assert.Equal(t, stateBefore, state(t, e.singleInFleetDir(s, catalog)), "a refused migration changed the state")
	_, err = os.Stat(filepath.Join(e.work, "fleet", "customers"))
	assert.True(t, os.IsNotExist(err), "a refused migration created customer stacks")

	m, err := e.migrate(sharded, catalog)
	require.NoError(t, err)
	require.NotNil(t, m.Verify)
	assert.FileExists(t, m.Backup)
	assert.Len(t, m.Customers, len(s.Customers))
	total := m.Organization
	for _, r := range append([]fleet.Result{m.Verify.Organization}, m.Verify.Customers...) {
		assert.True(t, r.OK(), "%s: %v %s", r.Stack, r.Err, r.Skipped)
		assert.Zero(t, fleet.Changes(r.Changes), "%s after the migration: %v", r.Stack, r.Changes)
	}
	for _, n := range m.Customers {
		total += n
	}
	// The components and the root stack are in several stacks; every
	// resource of the single stack is in at least one.
	assert.GreaterOrEqual(t, total, len(stateBefore))
	assertUntouched(t, before, snapshot(t, e.cloud), "migration")
	assert.Equal(t, statsBefore, stats(t, e.cloud), "the migration called AWS")

	// Every stack's up after it: nothing to do, and the states match the cloud.
	rep, err := e.fleetRun(automation.OpUp, sharded, catalog)
	require.NoError(t, err)
	assert.Zero(t, fleet.Changes(rep.Organization.Changes), "organization: %v", rep.Organization.Changes)
	for _, r := range rep.Customers {
		assert.True(t, r.OK(), "%s: %v", r.Stack, r.Err)
		assert.Zero(t, fleet.Changes(r.Changes), "%s: %v", r.Stack, r.Changes)
	}
	for _, sr := range e.stateOf("prod", "") {
		assert.NotEqual(t, typeVPC, sr.Type, "the organization stack still holds %s", sr.URN)
	}
	e.assertFleetMatchesCloud(s.Customers)
	assertUntouched(t, before, snapshot(t, e.cloud), "first up after the migration")
	assert.Equal(t, statsBefore, stats(t, e.cloud), "the first up after the migration called AWS")

	// The migrated fleet onboards like any sharded fleet: creates only.
	onboard := sharded
	onboard.Customers = more.Customers
	rep, err = e.fleetRun(automation.OpUp, onboard, catalog)
	require.NoError(t, err)
	createsAndFleetDashboards(t, "organization", rep.Organization.Changes)
	for key, r := range byCustomer(rep) {
		if key == newcomer {
			onlyCreatesIn(t, key, r.Changes)
			assert.Positive(t, r.Changes["create"])
		} else {
			assert.Zero(t, fleet.Changes(r.Changes), "onboarding changed %s: %v", key, r.Changes)
		}
	}
	assertUntouched(t, before, snapshot(t, e.cloud), "onboarding after the migration")

	// Nothing left to migrate.
	again, err := e.migrate(onboard, catalog)
	require.NoError(t, err)
	assert.Empty(t, again.Backup)
}

func stats(t *testing.T, c *fakeaws.Cloud) fakeaws.Stats {
	t.Helper()
	st, err := c.Stats()
	require.NoError(t, err)
	st.CreateCalls = nil
	return st
}
