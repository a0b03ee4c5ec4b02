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
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/internal/enginetest"
	"github.com/tierzone/tierzone/internal/fakeaws"
	"github.com/tierzone/tierzone/landingzone"
)

// The fake organization.
const (
	fakeRoot       = enginetest.FakeRoot
	fakeManagement = enginetest.FakeManagement
	fakeSecurity   = enginetest.FakeSecurity
)

// buildOnce builds the fake provider and the policy pack once per test
// binary; the result never changes afterwards.
var buildOnce = sync.OnceValues(func() (*enginetest.Tools, error) {
	dir, err := os.MkdirTemp("", "tierzone-engine-tools-")
	if err != nil {
		return nil, err
	}
	return enginetest.Build(dir)
})

// env is one test's world: a fake cloud, a workspace and the tools.
type env struct {
	t     *testing.T
	tools *enginetest.Tools
	cloud *fakeaws.Cloud
	// dir is the fake cloud's folder (for seeding accounts).
	dir  string
	work string
	// vars are the engine's and its plugins' environment; a test may add
	// fault injection before making a runner.
	vars map[string]string
}

// newEnv starts an empty fake cloud for a test. extra are environment
// variables for the engine and its plugins (fault injection). Without the
// CLI the test is skipped, saying how to get it.
func newEnv(t *testing.T, extra map[string]string) *env {
	t.Helper()
	ts, err := buildOnce()
	if errors.Is(err, enginetest.ErrNoCLI) {
		t.Skip(err.Error())
	}
	require.NoError(t, err)
	base := t.TempDir()
	dir := filepath.Join(base, "cloud")
	e := &env{t: t, tools: ts, dir: dir, work: filepath.Join(base, "work")}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.MkdirAll(e.work, 0o755))
	require.NoError(t, enginetest.SeedSecurityAccount(dir))
	e.cloud = fakeaws.Open(dir)
	e.vars = ts.Env(dir, filepath.Join(base, "pulumi-home"))
	maps.Copy(e.vars, extra)
	return e
}

// stackSettings are a stack file's settings pointed at the fake
// organization.
func (e *env) stackSettings(stack string) landingzone.Settings {
	e.t.Helper()
	s, err := enginetest.Settings(e.tools.Root, stack)
	require.NoError(e.t, err)
	return s
}

// runner creates or selects stack in the test's workspace with the
// settings and catalog (nil: the built-in catalog).
func (e *env) runner(stack string, s landingzone.Settings, catalog []customers.Customer, opt ...func(*automation.Options)) *automation.Runner {
	e.t.Helper()
	o := automation.Options{
		Stack:    stack,
		WorkDir:  e.work,
		Catalog:  catalog,
		Settings: s,
		EnvVars:  maps.Clone(e.vars),
		Command:  e.tools.CLI,
		Progress: testWriter{e.t},
	}
	for _, f := range opt {
		f(&o)
	}
	r, err := automation.New(context.Background(), o)
	require.NoError(e.t, err)
	return r
}

// testWriter sends the engine's progress to the test log (shown with -v or
// on failure).
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// noChange are the step kinds that change nothing: the resource is the
// same, or read (the stack reference to itself is read on every run).
func noChange(kind string) bool { return kind == "same" || kind == "read" }

// changed is the number of resources a result changes.
func changed(res *automation.Result) int {
	n := 0
	for k, v := range res.Changes {
		if !noChange(k) {
			n += v
		}
	}
	return n
}

// onlyCreates fails unless every change in a result is a create.
func onlyCreates(t *testing.T, res *automation.Result) {
	t.Helper()
	for k, v := range res.Changes {
		if !noChange(k) && k != "create" && v > 0 {
			t.Errorf("%s of %s: %d %s, want only creates (%v)", res.Op, res.Stack, v, k, res.Changes)
		}
	}
}

// createsAndFleetDashboards fails for anything but creates and at most
// five in-place updates: customers joining (or leaving) update their
// tiers' dashboards (4 tiers) and the organization dashboard, which list
// the customers.
func createsAndFleetDashboards(t *testing.T, what string, changes map[string]int) {
	t.Helper()
	for k, v := range changes {
		if noChange(k) || k == "create" || v == 0 || (k == "update" && v <= 5) {
			continue
		}
		t.Errorf("%s: %d %s, want creates and the fleet dashboards' updates (%v)", what, v, k, changes)
	}
}

// fleetDashboard: a snapshot key of the organization or a tier dashboard.
func fleetDashboard(key string) bool {
	if !strings.HasPrefix(key, "aws:cloudwatch/dashboard:Dashboard ") {
		return false
	}
	return strings.Contains(key, "-organization@") || strings.Contains(key, "-tier-")
}

// stateResource is one resource of a stack's state.
type stateResource struct {
	URN, Type, ID, Parent string
	Protect, Retain       bool
	Outputs               map[string]any
}

// state exports a stack's state.
func state(t *testing.T, r *automation.Runner) []stateResource {
	t.Helper()
	dep, err := r.Stack().Export(context.Background())
	require.NoError(t, err)
	return parseState(t, dep.Deployment)
}

// parseState reads a deployment (apitype.DeploymentV3).
func parseState(t *testing.T, raw json.RawMessage) []stateResource {
	t.Helper()
	var d apitype.DeploymentV3
	require.NoError(t, json.Unmarshal(raw, &d))
	var out []stateResource
	for _, res := range d.Resources {
		out = append(out, stateResource{URN: string(res.URN), Type: string(res.Type), ID: string(res.ID), Parent: string(res.Parent),
			Protect: res.Protect, Retain: res.RetainOnDelete, Outputs: res.Outputs})
	}
	return out
}

// cloudResources are the state's AWS resources (not providers, components
// or the stack reference).
func cloudResources(rs []stateResource) []stateResource {
	var out []stateResource
	for _, r := range rs {
		if strings.HasPrefix(r.Type, "aws:") {
			out = append(out, r)
		}
	}
	return out
}

// customerOf is the customer a state resource belongs to: the name of its
// parent when that is one of the components holding what lives in its
// account (CustomerAccount, CustomerVPC, AccountConfig, AccountBaseline).
func customerOf(r stateResource) (string, bool) {
	i := strings.LastIndex(r.Parent, "::")
	if i < 0 {
		return "", false
	}
	chain := r.Parent[:i]
	if strings.HasSuffix(chain, "tierzone:network:CustomerVPC") || strings.HasSuffix(chain, "tierzone:org:CustomerAccount") ||
		strings.HasSuffix(chain, "tierzone:detect:AccountConfig") || strings.HasSuffix(chain, "tierzone:account:AccountBaseline") ||
		strings.HasSuffix(chain, "tierzone:observe:CustomerObservability") || strings.HasSuffix(chain, "tierzone:access:CustomerAccess") ||
		strings.HasSuffix(chain, "tierzone:billing:CustomerBudget") || strings.HasSuffix(chain, "tierzone:protect:ShieldAdvanced") {
		return r.Parent[i+2:], true
	}
	return "", false
}

// accountOf is the account a state resource must be in: its customer's
// (customerAccount) but for its Identity Center access (the management
// account's instance), the security tooling account for the detection
// services it administers, else the management account (which also makes
// the delegations).
func accountOf(r stateResource, customerAccount func(key string) string) string {
	if i := strings.LastIndex(r.Parent, "::"); i >= 0 && (strings.HasSuffix(r.Parent[:i], "tierzone:access:CustomerAccess") ||
		strings.HasSuffix(r.Parent[:i], "tierzone:billing:CustomerBudget")) {
		// A customer's Identity Center groups, users and assignments
		// (administered in the organization's instance) and its budget
		// (the payer's).
		return fakeManagement
	}
	if c, ok := customerOf(r); ok && r.Type != typeAccount {
		return customerAccount(c)
	}
	if i := strings.LastIndex(r.Parent, "::"); i >= 0 && strings.HasSuffix(r.Parent[:i], "tierzone:detect:SecurityTooling") &&
		!strings.HasSuffix(r.Type, ":OrganizationAdminAccount") && r.Type != "aws:organizations/delegatedAdministrator:DelegatedAdministrator" {
		return fakeSecurity
	}
	if strings.HasSuffix(r.Parent, "tierzone:observe:FindingCounts::findings") {
		// The finding counts live with the findings, in the security account.
		return fakeSecurity
	}
	if strings.HasSuffix(r.Parent, "tierzone:observe:MonitoringHub::observability") {
		// The monitoring account defaults to the security tooling account.
		return fakeSecurity
	}
	return fakeManagement
}

// recordsByKey indexes the fake cloud's records by "type id", leaving out
// the security tooling account, which exists before any stack. Ids AWS
// makes unique only per account (a Config recorder's id is its name,
// "tierzone" in every customer account) are keyed "type id@account".
func recordsByKey(t *testing.T, c *fakeaws.Cloud) map[string]fakeaws.Record {
	t.Helper()
	rs, err := c.Resources()
	require.NoError(t, err)
	n := map[string]int{}
	for _, r := range rs {
		n[r.Type+" "+r.ID]++
	}
	out := map[string]fakeaws.Record{}
	for _, r := range rs {
		if r.Type == typeAccount && r.ID == fakeSecurity {
			continue
		}
		key := r.Type + " " + r.ID
		if n[key] > 1 {
			key += "@" + r.Account
		}
		out[key] = r
	}
	return out
}

// lookupRecord finds a state resource's record, in account when its id is
// unique only per account; it returns the record's key.
func lookupRecord(recs map[string]fakeaws.Record, typ, id, account string) (fakeaws.Record, string, bool) {
	key := typ + " " + id
	if rec, ok := recs[key]; ok {
		return rec, key, true
	}
	key += "@" + account
	rec, ok := recs[key]
	return rec, key, ok
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
