package fleet

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
)

func acmeOutputs() automation.CustomerOutputs {
	return automation.CustomerOutputs{AccountID: "111111111111", ArchiveDestination: "arn:aws:s3:::archive/fintech/acme-finance/"}
}

// inputsOf is acme-finance's inputs hash in a fleet of o.
func inputsOf(t *testing.T, o Options, out automation.CustomerOutputs) string {
	t.Helper()
	f, err := newFleet(automation.OpPreview, o)
	require.NoError(t, err)
	h, err := f.customerInputs("acme-finance", f.customerSettings("acme-finance", out))
	require.NoError(t, err)
	return h
}

// TestCustomerInputs: a customer stack's inputs change with its own config,
// the organization's outputs for it and the environment given to the CLI,
// and not with another customer joining or a secret's value.
func TestCustomerInputs(t *testing.T) {
	base := Options{Stack: "prod", WorkDir: t.TempDir(), Settings: sharded(), EnvVars: map[string]string{"AWS_PROFILE": "mgmt", "PULUMI_CONFIG_PASSPHRASE": "one"}}
	h := inputsOf(t, base, acmeOutputs())
	assert.Equal(t, h, inputsOf(t, base, acmeOutputs()), "the same fleet hashes the same")

	joined := base
	joined.Settings.Customers = append([]string{"medicorp-health"}, base.Settings.Customers...)
	assert.Equal(t, h, inputsOf(t, joined, acmeOutputs()), "another customer joining changes nothing of acme-finance's")

	secret := base
	secret.EnvVars = map[string]string{"AWS_PROFILE": "mgmt", "PULUMI_CONFIG_PASSPHRASE": "two"}
	assert.Equal(t, h, inputsOf(t, secret, acmeOutputs()), "a secret's value is not an input")

	for name, o := range map[string]Options{
		"profile":     {Stack: "prod", WorkDir: base.WorkDir, Settings: sharded(), EnvVars: map[string]string{"AWS_PROFILE": "other"}},
		"protect":     func() Options { o := base; o.Settings.Protect = !o.Settings.Protect; return o }(),
		"stack":       func() Options { o := base; o.Stack = "stage"; return o }(),
		"policy pack": func() Options { o := base; o.PolicyPacks = []string{t.TempDir()}; return o }(),
		"backend":     func() Options { o := base; o.BackendURL = "s3://state-bucket"; return o }(),
		"connectivity": func() Options {
			o := base
			o.Settings.CustomerConnectivity = !o.Settings.CustomerConnectivity
			return o
		}(),
	} {
		assert.NotEqual(t, h, inputsOf(t, o, acmeOutputs()), name)
	}
	other := acmeOutputs()
	other.AccountID = "222222222222"
	assert.NotEqual(t, h, inputsOf(t, base, other), "the organization's account id for it")
}

// TestCleanRunRecord: a clean preview or up is recorded with the state's
// digest; it holds while inputs and state do; a run with changes, a
// refresh, or a preview that saw the state change records nothing.
func TestCleanRunRecord(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f, err := newFleet(automation.OpPreview, Options{Stack: "prod", WorkDir: dir, Settings: sharded(), SkipUnchanged: true})
	require.NoError(t, err)
	s := f.customerSettings("acme-finance", acmeOutputs())
	statePath := filepath.Join(dir, ".pulumi", "stacks", automation.ProjectName, "prod.acme-finance.json")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "customers", "acme-finance"), 0o700))
	require.NoError(t, os.MkdirAll(filepath.Dir(statePath), 0o700))

	none, err := f.stateDigest(ctx, "acme-finance", s)
	require.NoError(t, err)
	assert.Empty(t, none, "no state yet")
	require.NoError(t, os.WriteFile(statePath, []byte(`{"version":3,"checkpoint":{}}`), 0o600))
	st, err := f.stateDigest(ctx, "acme-finance", s)
	require.NoError(t, err)
	require.NotEmpty(t, st)

	inputs := "sha256:inputs"
	cleanPreview := Result{Op: automation.OpPreview, Changes: map[string]int{"same": 12}}
	require.NoError(t, f.recordCleanRun(ctx, "acme-finance", inputs, st, s, cleanPreview))
	rec := f.lastCleanRun("acme-finance", inputs, st)
	require.NotNil(t, rec)
	assert.Equal(t, automation.OpPreview, rec.Op)
	assert.Equal(t, 12, rec.Changes["same"])
	assert.Nil(t, f.lastCleanRun("acme-finance", "sha256:other", st), "other inputs")

	require.NoError(t, os.WriteFile(statePath, []byte(`{"version":3,"checkpoint":{"latest":{}}}`), 0o600))
	changed, err := f.stateDigest(ctx, "acme-finance", s)
	require.NoError(t, err)
	assert.NotEqual(t, st, changed)
	assert.Nil(t, f.lastCleanRun("acme-finance", inputs, changed), "the state changed")

	require.NoError(t, f.recordCleanRun(ctx, "acme-finance", inputs, changed, s, cleanPreview))
	require.NotNil(t, f.lastCleanRun("acme-finance", inputs, changed))
	for name, res := range map[string]Result{
		"changes":        {Op: automation.OpUp, Changes: map[string]int{"same": 11, "update": 1}},
		"refresh":        {Op: automation.OpRefresh, Changes: map[string]int{"same": 1}},
		"nothing at all": {Op: automation.OpPreview, Changes: map[string]int{}},
	} {
		require.NoError(t, f.recordCleanRun(ctx, "acme-finance", "sha256:"+name, changed, s, res))
		assert.Nil(t, f.lastCleanRun("acme-finance", "sha256:"+name, changed), "%s is not a clean run", name)
		assert.Equal(t, 12, f.lastCleanRun("acme-finance", inputs, changed).Changes["same"], "%s leaves the earlier record", name)
	}
	require.NoError(t, f.recordCleanRun(ctx, "acme-finance", "sha256:moved", st, s, cleanPreview))
	assert.Nil(t, f.lastCleanRun("acme-finance", "sha256:moved", changed), "a preview whose state changed under it")
	require.NoError(t, f.recordCleanRun(ctx, "acme-finance", "sha256:up", "", s, Result{Op: automation.OpUp, Changes: map[string]int{"same": 12}}))
	assert.NotNil(t, f.lastCleanRun("acme-finance", "sha256:up", changed), "an up records the state it leaves")
	assert.Nil(t, f.lastCleanRun("acme-finance", inputs, changed), "a clean run replaces the earlier record")
}

func TestUnchangedInTheTable(t *testing.T) {
	rec := &CleanRun{Op: automation.OpPreview, Changes: map[string]int{"same": 30}}
	rep := &Report{Customers: []Result{{Stack: "prod.acme-finance", Customer: "acme-finance", Changes: rec.Changes, Unchanged: rec}}}
	assert.True(t, rep.Customers[0].OK())
	var b strings.Builder
	rep.WriteTable(&b)
	assert.Contains(t, b.String(), "unchanged")
	assert.Contains(t, b.String(), "clean preview")
	assert.Contains(t, b.String(), "same 30")
}
