//go:build integration

// Integration tests against the real pulumi CLI (see docs/embedding.md):
//
//	go test -tags integration ./automation/
//
// The stack tests need only the CLI on PATH; they use a local file backend
// in a temporary directory and a throwaway passphrase. The preview test also
// needs the aws resource plugin, the Go language host (for the policy pack)
// and AWS credentials for a management account, and runs only when
// TIERZONE_IT_PREVIEW=1.
package automation

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func integrationOptions(t *testing.T) Options {
	t.Helper()
	if _, err := exec.LookPath("pulumi"); err != nil {
		t.Skip("no pulumi CLI on PATH")
	}
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "tierzone-integration")
	t.Setenv("PULUMI_SKIP_UPDATE_CHECK", "true")
	t.Setenv("PULUMI_HOME", t.TempDir())
	s := validSettings()
	return Options{Stack: "it", WorkDir: t.TempDir(), Settings: s}
}

func TestIntegrationStackOnFileBackend(t *testing.T) {
	o := integrationOptions(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	r, err := New(ctx, o)
	require.NoError(t, err)

	// The state lives in WorkDir/.pulumi (file://WorkDir).
	_, err = os.Stat(filepath.Join(o.WorkDir, ".pulumi", "stacks"))
	require.NoError(t, err, "file backend state in the work dir")

	got, err := r.Stack().GetAllConfig(ctx)
	require.NoError(t, err)
	want, err := ConfigMap(o.Settings)
	require.NoError(t, err)
	for k, v := range want {
		assert.Equal(t, v, got[k].Value, k)
	}

	// Selecting the stack again with fewer settings drops the stale keys.
	o.Settings.Customers = nil
	r, err = New(ctx, o)
	require.NoError(t, err)
	got, err = r.Stack().GetAllConfig(ctx)
	require.NoError(t, err)
	assert.NotContains(t, got, "tierzone:customers")

	// A stack that was never deployed has no customer outputs.
	outs, err := r.Stack().Outputs(ctx)
	require.NoError(t, err)
	custs, err := ParseCustomers(outs)
	require.NoError(t, err)
	assert.Empty(t, custs)
}

func TestIntegrationPreview(t *testing.T) {
	if os.Getenv("TIERZONE_IT_PREVIEW") != "1" {
		t.Skip("set TIERZONE_IT_PREVIEW=1 (needs AWS credentials, the aws plugin and the Go language host)")
	}
	o := integrationOptions(t)
	var progress bytes.Buffer
	evs := make(chan events.EngineEvent, 1024)
	o.Progress, o.Events = &progress, evs
	pack, err := filepath.Abs("../policy")
	require.NoError(t, err)
	o.PolicyPacks = []string{pack}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	res, err := Run(ctx, OpPreview, o)
	require.NoError(t, err, progress.String())
	assert.Positive(t, res.Changes["create"])
	assert.NotEmpty(t, evs, "engine events reach the caller's channel")
	assert.Contains(t, progress.String(), "tierzone-compliance")
}
