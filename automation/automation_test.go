package automation

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/stackconfig"
	"github.com/tierzone/tierzone/validation"
)

func validSettings() landingzone.Settings {
	s := landingzone.Defaults()
	s.OrganizationRootID = "r-abcd"
	s.OrganizationID = "o-abcdefghij"
	s.SecurityAccountID = "999999999999"
	s.AccountEmailMailbox = "aws@example.com"
	s.Customers = []string{"acme-finance", "techgov-federal"}
	s.Protect = false
	return s
}

func validOptions(t *testing.T, cli *fakeCLI) Options {
	return Options{
		Stack:    "test",
		WorkDir:  t.TempDir(),
		Settings: validSettings(),
		EnvVars:  map[string]string{"PULUMI_CONFIG_PASSPHRASE": "test"},
		Command:  cli,
	}
}

func TestParseOp(t *testing.T) {
	for _, op := range Ops() {
		got, err := ParseOp(string(op))
		require.NoError(t, err)
		assert.Equal(t, op, got)
	}
	_, err := ParseOp("import")
	assert.ErrorIs(t, err, ErrUnknownOp)
	assert.Contains(t, err.Error(), `"import"`)
}

func TestOptionErrorsComeBeforeAnyEngineWork(t *testing.T) {
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "")
	os.Unsetenv("PULUMI_CONFIG_PASSPHRASE")
	t.Setenv("PULUMI_CONFIG_PASSPHRASE_FILE", "")
	os.Unsetenv("PULUMI_CONFIG_PASSPHRASE_FILE")

	t.Setenv("PATH", t.TempDir()) // no pulumi on it

	file := filepath.Join(t.TempDir(), "state")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	repo := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module x\n"), 0o600))

	cases := []struct {
		name  string
		edit  func(*Options)
		want  error
		words string
	}{
		{"no stack", func(o *Options) { o.Stack = " " }, ErrNoStack, "stack"},
		{"no work dir", func(o *Options) { o.WorkDir = "" }, ErrWorkDir, "not set"},
		{"missing work dir", func(o *Options) { o.WorkDir = filepath.Join(file, "nope") }, ErrWorkDir, "nope"},
		{"work dir is a file", func(o *Options) { o.WorkDir = file }, ErrWorkDir, "not a directory"},
		{"work dir is a Go module", func(o *Options) { o.WorkDir = repo }, ErrWorkDir, "go.mod"},
		{"no passphrase", func(o *Options) { o.EnvVars = nil }, ErrNoPassphrase, "PULUMI_CONFIG_PASSPHRASE"},
		{"no pulumi CLI", func(o *Options) { o.Command = nil }, ErrNoCLI, "install"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cli := newFakeCLI()
			o := validOptions(t, cli)
			c.edit(&o)
			_, err := New(context.Background(), o)
			require.ErrorIs(t, err, c.want)
			assert.Contains(t, err.Error(), c.words)
			assert.Empty(t, cli.commands(), "nothing may reach the CLI")
		})
	}

	t.Run("every problem at once", func(t *testing.T) {
		cli := newFakeCLI()
		o := validOptions(t, cli)
		o.Stack, o.WorkDir, o.EnvVars = "", "", nil
		_, err := New(context.Background(), o)
		assert.ErrorIs(t, err, ErrNoStack)
		assert.ErrorIs(t, err, ErrWorkDir)
		assert.ErrorIs(t, err, ErrNoPassphrase)
	})

	t.Run("other secrets providers need no passphrase", func(t *testing.T) {
		cli := newFakeCLI()
		o := validOptions(t, cli)
		o.EnvVars = nil
		o.SecretsProvider = "awskms://alias/tierzone"
		_, err := New(context.Background(), o)
		require.NoError(t, err)
		assert.Contains(t, cli.commands(), "stack init test --secrets-provider awskms://alias/tierzone")
	})
}

func TestValidationErrorsSurfaceBeforeTheStackExists(t *testing.T) {
	cli := newFakeCLI()
	o := validOptions(t, cli)
	o.Settings.Customers = []string{"acme-finance", "no-such-customer"}
	o.Settings.OrganizationRootID = ""
	_, err := New(context.Background(), o)
	var ve *validation.Error
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 2)
	assert.Contains(t, err.Error(), `"no-such-customer" is not a customer`)
	assert.Contains(t, err.Error(), "organizationRootId")
	assert.Empty(t, cli.commands(), "no stack may be created for an invalid catalog")
}

func TestRunRejectsUnknownOpBeforeAnything(t *testing.T) {
	cli := newFakeCLI()
	_, err := Run(context.Background(), Op("deploy"), validOptions(t, cli))
	assert.ErrorIs(t, err, ErrUnknownOp)
	assert.Empty(t, cli.commands())
}

func TestNewCreatesStackOnFileBackendAndWritesConfig(t *testing.T) {
	cli := newFakeCLI()
	o := validOptions(t, cli)
	r, err := New(context.Background(), o)
	require.NoError(t, err)
	assert.Len(t, r.Plan().Customers, 2)

	cmds := cli.commands()
	require.Len(t, cmds, 2, "select, init; the config is written to the stack file without the CLI")
	assert.Equal(t, "stack select --stack test", cmds[0])
	assert.Equal(t, "stack init test --secrets-provider passphrase", cmds[1])

	// The workspace's Pulumi.yaml names the project and the file backend in WorkDir.
	proj, err := os.ReadFile(filepath.Join(o.WorkDir, "Pulumi.yaml"))
	require.NoError(t, err)
	abs, _ := filepath.Abs(o.WorkDir)
	assert.Contains(t, string(proj), "name: tierzone")
	assert.Contains(t, string(proj), "url: file://"+filepath.ToSlash(abs))

	// The stack's config is exactly ConfigMap(settings), and reads back to them.
	want, err := ConfigMap(o.Settings)
	require.NoError(t, err)
	written := stackFile(t, o.WorkDir)
	assert.Equal(t, want, written)
	got, err := SettingsFromConfigMap(written)
	require.NoError(t, err)
	assert.Equal(t, o.Settings, got)

	// The passphrase reaches the CLI's environment.
	assert.Contains(t, cli.env[0], "PULUMI_CONFIG_PASSPHRASE=test")
}

func TestNewSelectsExistingStackAndDropsStaleConfig(t *testing.T) {
	cli := newFakeCLI()
	cli.stacks["test"] = map[string]string{}
	o := validOptions(t, cli)
	require.NoError(t, os.WriteFile(stackconfig.File(o.WorkDir, "test"), []byte(`encryptionsalt: v1:abc
config:
  tierzone:customers: '["acme-finance"]'
  tierzone:retention: '{"fintech":{"hotDays":365}}'
  aws:region: us-east-1
`), 0o600))
	o.Settings.Customers = nil // the whole catalog now
	_, err := New(context.Background(), o)
	require.NoError(t, err)
	assert.NotContains(t, strings.Join(cli.commands(), "\n"), "stack init")
	cfg := stackFile(t, o.WorkDir)
	assert.NotContains(t, cfg, "tierzone:customers")
	assert.NotContains(t, cfg, "tierzone:retention")
	assert.Equal(t, "us-east-1", cfg["aws:region"], "other namespaces are left alone")
	raw, err := os.ReadFile(stackconfig.File(o.WorkDir, "test"))
	require.NoError(t, err)
	assert.Contains(t, string(raw), "encryptionsalt: v1:abc", "the passphrase's salt is kept")

	// Unchanged config: the file is not rewritten.
	before, err := os.Stat(stackconfig.File(o.WorkDir, "test"))
	require.NoError(t, err)
	require.NoError(t, os.Chtimes(stackconfig.File(o.WorkDir, "test"), before.ModTime().Add(-time.Hour), before.ModTime().Add(-time.Hour)))
	_, err = New(context.Background(), o)
	require.NoError(t, err)
	after, err := os.Stat(stackconfig.File(o.WorkDir, "test"))
	require.NoError(t, err)
	assert.Equal(t, before.ModTime().Add(-time.Hour), after.ModTime())
}

// stackFile is the config the workspace's Pulumi.test.yaml holds, as the
// engine would pass it to the program.
func stackFile(t *testing.T, dir string) map[string]string {
	t.Helper()
	cfg, err := stackconfig.Load(stackconfig.File(dir, "test"), ProjectName)
	require.NoError(t, err)
	return cfg
}

func TestPreviewStreamsProgressAndEventsAndSummarizes(t *testing.T) {
	cli := newFakeCLI()
	o := validOptions(t, cli)
	var progress bytes.Buffer
	evs := make(chan events.EngineEvent, 16)
	o.Progress = &progress
	o.Events = evs
	o.PolicyPacks = []string{"/repo/policy"}
	r, err := New(context.Background(), o)
	require.NoError(t, err)

	res, err := r.Preview(context.Background())
	require.NoError(t, err)
	assert.Equal(t, OpPreview, res.Op)
	assert.Equal(t, map[string]int{"create": 3, "same": 1}, res.Changes)
	assert.Nil(t, res.Customers)
	assert.Equal(t, "previewing (test)\n", progress.String())
	require.Len(t, evs, 1)
	ev := <-evs
	require.NotNil(t, ev.SummaryEvent)
	assert.True(t, ev.SummaryEvent.IsPreview)

	var preview string
	for _, c := range cli.commands() {
		if strings.HasPrefix(c, "preview") {
			preview = c
		}
	}
	assert.Contains(t, preview, "--policy-pack=/repo/policy")
	assert.Contains(t, preview, "--exec-kind=auto.inline")

	// The caller's channel stays open: a second operation reuses it.
	_, err = r.Preview(context.Background())
	require.NoError(t, err)
	assert.Len(t, evs, 1)
}

func TestUpReturnsCustomerOutputs(t *testing.T) {
	cli := newFakeCLI()
	cli.outputs = `{"customers":{"acme-finance":{"accountId":"123456789012","ouId":"ou-ab12-cdef3456","tier":"fintech",
		"vpcId":"vpc-0abc","vpcCidr":"10.1.0.0/16","publicSubnetIds":["subnet-a"],"privateSubnetIds":["subnet-b","subnet-c"]}}}`
	cli.changes = map[string]int{"create": 40}
	o := validOptions(t, cli)
	res, err := Run(context.Background(), OpUp, o)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"create": 40}, res.Changes)
	require.Contains(t, res.Customers, "acme-finance")
	c := res.Customers["acme-finance"]
	assert.Equal(t, "123456789012", c.AccountID)
	assert.Equal(t, "ou-ab12-cdef3456", c.OUID)
	assert.Equal(t, "vpc-0abc", c.VPCID)
	assert.Equal(t, []string{"subnet-a"}, c.PublicSubnetIDs)
	assert.Equal(t, []string{"subnet-b", "subnet-c"}, c.PrivateSubnetIDs)
}

func TestOperationFailureNamesOpAndStack(t *testing.T) {
	cli := newFakeCLI()
	cli.failOp = "preview"
	o := validOptions(t, cli)
	o.Events = make(chan events.EngineEvent, 16)
	_, err := Run(context.Background(), OpPreview, o)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `preview of stack "test"`)
	assert.Contains(t, err.Error(), "policy violations")
}

func TestParseCustomers(t *testing.T) {
	got, err := ParseCustomers(auto.OutputMap{})
	require.NoError(t, err)
	assert.Empty(t, got, "a stack never deployed has no customers")

	_, err = ParseCustomers(auto.OutputMap{"customers": {Value: []any{"x"}}})
	assert.ErrorContains(t, err, `stack output "customers"`)

	_, err = ParseCustomers(auto.OutputMap{"customers": {Value: map[string]any{"acme-finance": map[string]any{"publicSubnetIds": "subnet-a"}}}})
	assert.ErrorContains(t, err, `customer "acme-finance"`)
}

func TestErrorsAreDistinct(t *testing.T) {
	all := []error{ErrUnknownOp, ErrNoStack, ErrWorkDir, ErrNoPassphrase, ErrNoCLI}
	for i, a := range all {
		for j, b := range all {
			assert.Equal(t, i == j, errors.Is(a, b))
		}
	}
}

func TestDestroyAndRefreshThroughRun(t *testing.T) {
	cli := newFakeCLI()
	cli.outputs = `{"customers":{"techgov-federal":{"accountId":"210987654321","tier":"gov-federal","vpcId":"vpc-0def",
		"publicSubnetIds":["subnet-p"],"privateSubnetIds":["subnet-1","subnet-2"]}}}`
	o := validOptions(t, cli)
	evs := make(chan events.EngineEvent, 16)
	o.Events = evs

	cli.changes = map[string]int{"same": 41}
	res, err := Run(context.Background(), OpRefresh, o)
	require.NoError(t, err)
	assert.Equal(t, OpRefresh, res.Op)
	assert.Equal(t, map[string]int{"same": 41}, res.Changes)
	assert.Equal(t, "vpc-0def", res.Customers["techgov-federal"].VPCID)
	assert.Len(t, evs, 1, "refresh streams its events")

	cli.changes = map[string]int{"delete": 41}
	res, err = Run(context.Background(), OpDestroy, o)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"delete": 41}, res.Changes)
	assert.Nil(t, res.Customers)
	assert.Len(t, evs, 2, "destroy streams into the same, still open channel")

	var ran []string
	for _, c := range cli.commands() {
		if f := strings.Fields(c); f[0] == "refresh" || f[0] == "destroy" {
			ran = append(ran, f[0])
		}
	}
	assert.Equal(t, []string{"refresh", "destroy"}, ran)
}

// TestDestroyOfProtectedStackIsRefusedBeforeTheEngine: the engine would
// delete everything unprotected before stopping at the first protected
// resource; the runner looks at the state and refuses first.
func TestDestroyOfProtectedStackIsRefusedBeforeTheEngine(t *testing.T) {
	cli := newFakeCLI()
	cli.deployment = `{"version": 3, "deployment": {"resources": [
		{"urn": "urn:pulumi:test::tierzone::pulumi:pulumi:Stack::tierzone-test", "type": "pulumi:pulumi:Stack"},
		{"urn": "urn:a", "type": "aws:organizations/account:Account", "custom": true, "protect": true},
		{"urn": "urn:b", "type": "aws:organizations/account:Account", "custom": true, "protect": true},
		{"urn": "urn:c", "type": "aws:s3/bucketV2:BucketV2", "custom": true, "protect": true},
		{"urn": "urn:d", "type": "aws:ec2/vpc:Vpc", "custom": true}]}}`
	o := validOptions(t, cli)
	_, err := Run(context.Background(), OpDestroy, o)
	var ve *validation.Error
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), "nothing was deleted")
	assert.Contains(t, err.Error(), "3 resources are protected (2 aws:organizations/account:Account, 1 aws:s3/bucketV2:BucketV2)")
	assert.Contains(t, err.Error(), "tierzone:protect")
	for _, c := range cli.commands() {
		assert.NotEqual(t, "destroy", strings.Fields(c)[0], "the engine must not run: %s", c)
	}

	// Without protected resources the destroy runs.
	cli.deployment = `{"version": 3, "deployment": {"resources": [{"urn": "urn:d", "type": "aws:ec2/vpc:Vpc", "custom": true}]}}`
	_, err = Run(context.Background(), OpDestroy, o)
	require.NoError(t, err)
}

// TestRemovingProtectedCustomerIsInvalidInputBeforeTheEngine: the stack's
// last outputs say acme-finance was protected; a settings change that drops
// it fails preview and up as a validation error, with no engine run.
func TestRemovingProtectedCustomerIsInvalidInputBeforeTheEngine(t *testing.T) {
	cli := newFakeCLI()
	cli.outputs = `{"customers":{"acme-finance":{"accountId":"123456789012","tier":"fintech","protected":true},
		"techgov-federal":{"accountId":"210987654321","tier":"gov-federal","protected":true}}}`
	o := validOptions(t, cli)
	o.Settings.Protect = true
	o.Settings.Customers = []string{"techgov-federal"}
	for _, op := range []Op{OpPreview, OpUp} {
		_, err := Run(context.Background(), op, o)
		var ve *validation.Error
		require.ErrorAs(t, err, &ve, op)
		assert.Contains(t, err.Error(), `customer "acme-finance"`)
		assert.Contains(t, err.Error(), "nothing was changed")
		assert.NotContains(t, err.Error(), "nothing was registered")
	}
	for _, c := range cli.commands() {
		f := strings.Fields(c)[0]
		assert.True(t, f != "preview" && f != "up", "the engine must not run: %s", c)
	}
}

// TestRemovalGuardReadsTheState: a first up that failed before writing
// outputs leaves protected accounts in the state and no customers output;
// dropping one of those customers is refused all the same.
func TestRemovalGuardReadsTheState(t *testing.T) {
	cli := newFakeCLI()
	cli.outputs = `{}`
	cli.deployment = `{"version": 3, "deployment": {"resources": [
		{"urn": "urn:pulumi:test::tierzone::tierzone:landingzone:LandingZone$tierzone:org:CustomerAccount$aws:organizations/account:Account::acme-finance-account",
		 "type": "aws:organizations/account:Account", "id": "123456789012", "custom": true, "protect": true,
		 "parent": "urn:pulumi:test::tierzone::tierzone:landingzone:LandingZone$tierzone:org:CustomerAccount::acme-finance"},
		{"urn": "urn:pulumi:test::tierzone::tierzone:landingzone:LandingZone$tierzone:org:CustomerAccount$aws:organizations/account:Account::techgov-federal-account",
		 "type": "aws:organizations/account:Account", "id": "210987654321", "custom": true, "protect": false,
		 "parent": "urn:pulumi:test::tierzone::tierzone:landingzone:LandingZone$tierzone:org:CustomerAccount::techgov-federal"}]}}`
	o := validOptions(t, cli)
	o.Settings.Protect = true
	o.Settings.Customers = []string{"techgov-federal"}
	_, err := Run(context.Background(), OpUp, o)
	var ve *validation.Error
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 1, "%v", err)
	assert.Contains(t, err.Error(), `customer "acme-finance"`)
	assert.Contains(t, err.Error(), "account 123456789012")

	// An unprotected account in the state (dev, or decommissioned) may go.
	o.Settings.Customers = []string{"acme-finance"}
	_, err = Run(context.Background(), OpUp, o)
	require.NoError(t, err)
}
