package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The deploy commands need the pulumi CLI to do anything; these check what
// they refuse before reaching it.

func TestDeployCommandsNeedAStack(t *testing.T) {
	for _, cmd := range []string{"preview", "up", "destroy", "refresh", "migrate"} {
		code, out, errOut := tierzone(t, cmd)
		assert.Equal(t, exitInvalid, code, cmd)
		assert.Empty(t, out)
		assert.Contains(t, errOut, "--stack is required", cmd)
		assert.Contains(t, errOut, "Usage: tierzone "+cmd+" --stack NAME")
	}
}

func TestDeployUnknownStackIsInvalidInput(t *testing.T) {
	code, _, errOut := tierzone(t, "up", "--stack", "staging", "--work-dir", t.TempDir())
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, errOut, "no Pulumi.staging.yaml")
}

func TestDeployWithoutPassphraseOrCLIFailsBeforeTheEngine(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "")
	code, out, errOut := tierzone(t, "preview", "--stack", "dev", "--work-dir", t.TempDir(), "--policy-pack", "none")
	assert.Equal(t, exitFailure, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "no pulumi CLI on PATH")
}

func TestUsageListsDeployCommands(t *testing.T) {
	code, out, _ := tierzone(t, "help")
	assert.Equal(t, exitOK, code)
	for _, cmd := range []string{"preview", "up", "destroy", "refresh"} {
		assert.Contains(t, out, "\n  "+cmd+" ")
	}
}

// A migration needs the stack file to say sharded already; it is refused
// before any workspace or CLI is touched.
func TestMigrateNeedsTheShardedLayout(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	code, out, errOut := tierzone(t, "migrate", "--stack", "prod", "--work-dir", t.TempDir())
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `stack prod uses the "single" layout`)
	assert.Contains(t, errOut, "tierzone:layout")
}

func TestFleetFlagsNeedTheShardedLayout(t *testing.T) {
	code, out, errOut := tierzone(t, "preview", "--stack", "dev", "--work-dir", t.TempDir(), "--stacks", "organization")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "--customers, --stacks, --parallel-stacks and --skip-unchanged need a stack of the sharded layout; dev is single")
}
