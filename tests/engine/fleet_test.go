//go:build engine

package engine

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/fleet"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/validation"
)

// fleetRun runs op on the sharded fleet of stack prod in the test's world.
func (e *env) fleetRun(op automation.Op, s landingzone.Settings, catalog []customers.Customer, only ...string) (*fleet.Report, error) {
	e.t.Helper()
	return e.fleetRunWith(op, s, catalog, func(o *fleet.Options) { o.Only = only })
}

// fleetRunWith is fleetRun with options edited.
func (e *env) fleetRunWith(op automation.Op, s landingzone.Settings, catalog []customers.Customer, edit func(*fleet.Options)) (*fleet.Report, error) {
	e.t.Helper()
	dir := filepath.Join(e.work, "fleet")
	require.NoError(e.t, os.MkdirAll(dir, 0o755))
	o := fleet.Options{
		Stack: "prod", WorkDir: dir, Catalog: catalog, Settings: s, EnvVars: maps.Clone(e.vars),
		Command: e.tools.CLI, Progress: testWriter{e.t}, ParallelStacks: 3,
	}
	edit(&o)
	return fleet.Run(context.Background(), op, o)
}

// byCustomer indexes a report's customer results.
func byCustomer(rep *fleet.Report) map[string]fleet.Result {
	out := map[string]fleet.Result{}
	for _, r := range rep.Customers {
		out[r.Customer] = r
	}
	return out
}

// TestShardedFleet: prod in the sharded layout under the engine. The
// organization stack and ten customer stacks deploy every resource into
// the right account; a second up changes nothing anywhere; onboarding a
// customer touches only the organization stack (creates) and the new
// customer's stack; one customer stack failing leaves the others done and
// a rerun finishes it; decommissioning takes two ups and AWS keeps
// everything.
func TestShardedFleet(t *testing.T) {
	e := newEnv(t, nil)
	catalog, err := cost.ScaleCatalog(customers.Catalog(), 11)
	require.NoError(t, err)
	s := e.stackSettings("prod")
	s.Layout = landingzone.LayoutSharded
	var newcomer string
	for _, c := range catalog {
		if !slices.Contains(s.Customers, c.Key) {
			newcomer = c.Key
		}
	}
	require.NotEmpty(t, newcomer, "the scaled catalog has a customer prod does not deploy")

	rep, err := e.fleetRun(automation.OpUp, s, catalog)
	require.NoError(t, err)
	require.True(t, rep.Organization.OK())
	require.Len(t, rep.Customers, 10)
	for _, r := range rep.Customers {
		assert.True(t, r.OK(), "%s: %v %s", r.Stack, r.Err, r.Skipped)
		assert.Positive(t, r.Changes["create"], r.Stack)
	}
	e.assertFleetMatchesCloud(s.Customers)

	again, err := e.fleetRun(automation.OpUp, s, catalog)
	require.NoError(t, err)
	assert.Zero(t, fleet.Changes(again.Organization.Changes), "organization: %v", again.Organization.Changes)
	for _, r := range again.Customers {
		assert.Zero(t, fleet.Changes(r.Changes), "%s: %v", r.Stack, r.Changes)
	}

	// What a pull request's jobs run: the organization stack alone, then
	// two customer stacks alone with its outputs.
	orgOnly, err := e.fleetRunWith(automation.OpPreview, s, catalog, func(o *fleet.Options) { o.Stacks = fleet.StacksOrganization })
	require.NoError(t, err)
	assert.True(t, orgOnly.Organization.OK())
	assert.Empty(t, orgOnly.Customers)
	two := s.Customers[:2]
	custOnly, err := e.fleetRunWith(automation.OpPreview, s, catalog, func(o *fleet.Options) { o.Stacks = fleet.StacksCustomers; o.Only = two })
	require.NoError(t, err)
	assert.NotEmpty(t, custOnly.Organization.Skipped, "the organization stack is not previewed")
	require.Len(t, custOnly.Customers, 2)
	for _, r := range custOnly.Customers {
		assert.True(t, r.OK(), "%s: %v %s", r.Stack, r.Err, r.Skipped)
		assert.Contains(t, two, r.Customer)
		assert.Positive(t, r.Changes["same"], r.Stack)
		assert.Zero(t, fleet.Changes(r.Changes), "%s: %v", r.Stack, r.Changes)
	}

	// A preview of the onboarding: the organization stack plans creates,
	// the newcomer's stack waits for its account, the others are unchanged.
	before := snapshot(t, e.cloud)
	s.Customers = append(slices.Clone(s.Customers), newcomer)
	pre, err := e.fleetRun(automation.OpPreview, s, catalog)
	require.NoError(t, err)
	createsAndFleetDashboards(t, "organization preview", pre.Organization.Changes)
	assert.Positive(t, pre.Organization.Changes["create"])
	for key, r := range byCustomer(pre) {
		if key == newcomer {
			assert.Contains(t, r.Skipped, "account does not exist yet")
			continue
		}
		assert.True(t, r.OK(), "%s: %v", key, r.Err)
		assert.Zero(t, fleet.Changes(r.Changes), "preview of %s: %v", key, r.Changes)
	}
	assertUntouched(t, before, snapshot(t, e.cloud), "preview")

	// Onboarding, with the newcomer's NAT gateway failing: the 11th NAT
	// gateway this cloud creates.
	e.vars["FAKEAWS_FAIL_CREATE"] = "aws:ec2/natGateway:NatGateway#11"
	rep, err = e.fleetRun(automation.OpUp, s, catalog)
	require.ErrorIs(t, err, fleet.ErrFailed)
	assert.Contains(t, err.Error(), fleet.CustomerStackName("prod", newcomer))
	createsAndFleetDashboards(t, "organization", rep.Organization.Changes)
	assert.Positive(t, rep.Organization.Changes["create"])
	res := byCustomer(rep)
	require.Error(t, res[newcomer].Err)
	assert.Contains(t, res[newcomer].Err.Error(), "fakeaws: injected failure")
	for key, r := range res {
		if key != newcomer {
			assert.True(t, r.OK(), "%s: %v", key, r.Err)
			assert.Zero(t, fleet.Changes(r.Changes), "onboarding changed %s: %v", key, r.Changes)
		}
	}
	assertUntouched(t, before, snapshot(t, e.cloud), "onboarding")

	delete(e.vars, "FAKEAWS_FAIL_CREATE")
	rep, err = e.fleetRun(automation.OpUp, s, catalog)
	require.NoError(t, err)
	onlyCreatesIn(t, newcomer, byCustomer(rep)[newcomer].Changes)
	assert.Positive(t, byCustomer(rep)[newcomer].Changes["create"], "the rerun finishes the newcomer")
	e.assertFleetMatchesCloud(s.Customers)

	// Removing a protected customer: refused before any stack runs.
	before = snapshot(t, e.cloud)
	dropped := s
	dropped.Customers = s.Customers[:len(s.Customers)-1]
	_, err = e.fleetRun(automation.OpUp, dropped, catalog)
	var ve *validation.Error
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), `customer "`+newcomer+`"`)

	// Decommissioning: lift protection, then remove.
	s.Decommission = []string{newcomer}
	_, err = e.fleetRun(automation.OpUp, s, catalog)
	require.NoError(t, err)
	s.Decommission = nil
	rep, err = e.fleetRun(automation.OpUp, dropped, catalog)
	require.NoError(t, err)
	assert.Positive(t, byCustomer(rep)[newcomer].Changes["delete"], "the newcomer's stack lets go of its resources")
	assertUntouched(t, before, snapshot(t, e.cloud), "decommissioning")

	// Bad input: nothing runs.
	_, err = e.fleetRun(automation.OpUp, dropped, catalog, "no-such-customer")
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), `"no-such-customer" is not a customer of stack prod`)
	single := dropped
	single.Layout = landingzone.LayoutSingle
	_, err = e.fleetRun(automation.OpUp, single, catalog)
	require.ErrorAs(t, err, &ve)
	assert.False(t, errors.Is(err, fleet.ErrFailed))
}

func onlyCreatesIn(t *testing.T, what string, changes map[string]int) {
	t.Helper()
	for k, v := range changes {
		if !noChange(k) && k != "create" && v > 0 {
			t.Errorf("%s: %d %s, want only creates (%v)", what, v, k, changes)
		}
	}
}

// assertFleetMatchesCloud: every AWS resource of every stack of the fleet
// is in the cloud, customer resources in the customer's account, and the
// cloud holds nothing the states do not.
func (e *env) assertFleetMatchesCloud(keys []string) {
	t := e.t
	t.Helper()
	org := e.stateOf("prod", "")
	accounts := map[string]string{}
	for _, sr := range org {
		if c, ok := customerOf(sr); ok && sr.Type == typeAccount {
			accounts[c] = sr.ID
		}
	}
	all := cloudResources(org)
	for _, key := range keys {
		st := cloudResources(e.stateOf(fleet.CustomerStackName("prod", key), ""))
		require.NotEmpty(t, st, key)
		for _, sr := range st {
			if c, _ := customerOf(sr); c != key {
				t.Errorf("stack of %s holds %s", key, sr.URN)
			}
		}
		all = append(all, st...)
	}
	recs := recordsByKey(t, e.cloud)
	seen := map[string]bool{}
	for _, sr := range all {
		want := accountOf(sr, func(c string) string { return accounts[c] })
		rec, k, ok := lookupRecord(recs, sr.Type, sr.ID, want)
		if !ok {
			t.Errorf("%s is in a state but not in the cloud (account %s)", sr.URN, want)
			continue
		}
		seen[k] = true
		assert.Equal(t, want, rec.Account, sr.URN)
	}
	for k := range recs {
		if !seen[k] {
			t.Errorf("the cloud has %s that no stack knows", k)
		}
	}
}

// stateOf reads one stack of the fleet from the file backend (without a
// workspace, so nothing of the stack's config is touched).
func (e *env) stateOf(stack, _ string) []stateResource {
	e.t.Helper()
	raw, err := os.ReadFile(filepath.Join(e.work, "fleet", ".pulumi", "stacks", automation.ProjectName, stack+".json"))
	require.NoError(e.t, err)
	var cp struct {
		Checkpoint struct {
			Latest json.RawMessage `json:"latest"`
		} `json:"checkpoint"`
	}
	require.NoError(e.t, json.Unmarshal(raw, &cp))
	return parseState(e.t, cp.Checkpoint.Latest)
}

// TestFleetRefusesASingleLayoutState: a stack deployed in the single layout
// and then switched to sharded is refused before anything runs (its
// organization scope would delete every customer VPC), the cloud untouched.
func TestFleetRefusesASingleLayoutState(t *testing.T) {
	e := newEnv(t, nil)
	s := e.stackSettings("prod")
	s.Customers = s.Customers[:2]
	s.Protect = false
	_, err := e.singleInFleetDir(s, nil).Up(context.Background())
	require.NoError(t, err)
	before := snapshot(t, e.cloud)
	s.Layout = landingzone.LayoutSharded
	_, err = e.fleetRun(automation.OpUp, s, nil)
	var ve *validation.Error
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), "customer VPCs")
	assertUntouched(t, before, snapshot(t, e.cloud), "refused layout switch")
}

// singleInFleetDir is a single-layout stack prod where the CLI keeps it
// for the same --work-dir: its workspace and file backend in the
// directory the fleet uses.
func (e *env) singleInFleetDir(s landingzone.Settings, catalog []customers.Customer) *automation.Runner {
	e.t.Helper()
	dir := filepath.Join(e.work, "fleet")
	require.NoError(e.t, os.MkdirAll(dir, 0o755))
	return e.runner("prod", s, catalog, func(o *automation.Options) { o.WorkDir = dir })
}

// TestFleetSkipsUnchangedStacks: with SkipUnchanged (the CLI's default) a
// customer stack whose inputs and state are those of its last clean run is
// not run again; a change to one customer's catalog entry runs that
// customer's stack alone, and a change to a stack's state behind the
// fleet's back (`pulumi state delete`) runs that stack and plans the
// re-create. The organization stack always runs.
func TestFleetSkipsUnchangedStacks(t *testing.T) {
	e := newEnv(t, nil)
	s := e.stackSettings("prod")
	s.Layout = landingzone.LayoutSharded
	s.Customers = s.Customers[:3]
	catalog := customers.Catalog()
	skip := func(o *fleet.Options) { o.SkipUnchanged = true }
	run := func(op automation.Op, catalog []customers.Customer) map[string]fleet.Result {
		t.Helper()
		rep, err := e.fleetRunWith(op, s, catalog, skip)
		require.NoError(t, err)
		require.True(t, rep.Organization.OK(), "%v", rep.Organization.Err)
		assert.Nil(t, rep.Organization.Unchanged, "the organization stack always runs")
		require.Len(t, rep.Customers, 3)
		return byCustomer(rep)
	}

	for key, r := range run(automation.OpUp, catalog) {
		assert.Nil(t, r.Unchanged, key)
		assert.Positive(t, r.Changes["create"], key)
	}
	// No stack has found nothing to change yet: the first preview runs them
	// all, the second none.
	first := run(automation.OpPreview, catalog)
	for key, r := range first {
		assert.Nil(t, r.Unchanged, key)
		assert.Zero(t, fleet.Changes(r.Changes), "%s: %v", key, r.Changes)
	}
	for key, r := range run(automation.OpPreview, catalog) {
		require.NotNil(t, r.Unchanged, "%s was previewed again", key)
		assert.Equal(t, automation.OpPreview, r.Unchanged.Op)
		assert.Equal(t, first[key].Changes, r.Changes, key)
	}
	for key, r := range run(automation.OpUp, catalog) {
		assert.NotNil(t, r.Unchanged, "%s was run again", key)
	}

	// One customer's catalog entry changes: its stack runs, and only its.
	tagged := slices.Clone(catalog)
	changedKey := s.Customers[1]
	i := slices.IndexFunc(tagged, func(c customers.Customer) bool { return c.Key == changedKey })
	tagged[i].Tags = map[string]string{"cost-center": "cc-42"}
	for key, r := range run(automation.OpPreview, tagged) {
		if key == changedKey {
			assert.Nil(t, r.Unchanged, key)
			assert.Positive(t, r.Changes["update"], "%s: %v", key, r.Changes)
			continue
		}
		assert.NotNil(t, r.Unchanged, "%s ran for another customer's change", key)
	}

	// Behind the fleet's back: a flow log leaves one customer stack's state.
	gone := s.Customers[2]
	stack := fleet.CustomerStackName("prod", gone)
	var flowLog string
	for _, r := range e.stateOf(stack, "") {
		if r.Type == "aws:ec2/flowLog:FlowLog" {
			flowLog = r.URN
			break
		}
	}
	require.NotEmpty(t, flowLog)
	var env []string
	for k, v := range e.vars {
		env = append(env, k+"="+v)
	}
	_, stderr, code, err := e.tools.CLI.Run(context.Background(), filepath.Join(e.work, "fleet", "customers", gone), nil, nil, nil, env,
		"state", "delete", flowLog, "--stack", stack, "--yes", "--force", "--non-interactive")
	require.NoError(t, err, "exit %d: %s", code, stderr)
	for key, r := range run(automation.OpPreview, catalog) {
		if key == gone {
			assert.Nil(t, r.Unchanged, "%s: its state changed", key)
			assert.Equal(t, 1, r.Changes["create"], "%s plans the flow log again: %v", key, r.Changes)
			continue
		}
		assert.NotNil(t, r.Unchanged, key)
	}

	// Without SkipUnchanged every stack runs.
	rep, err := e.fleetRun(automation.OpPreview, s, catalog)
	require.NoError(t, err)
	for _, r := range rep.Customers {
		assert.Nil(t, r.Unchanged, r.Stack)
		assert.Positive(t, r.Changes["same"], r.Stack)
	}
}
