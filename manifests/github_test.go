package manifests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
)

// step finds a job's step by name.
func step(t *testing.T, job any, name string) map[string]any {
	t.Helper()
	for _, s := range dig(t, job, "steps").([]any) {
		if m := s.(map[string]any); m["name"] == name {
			return m
		}
	}
	t.Fatalf("no step %q", name)
	return nil
}

// TestWorkflow parses the workflow back: on pull requests, a job selecting
// the changed stacks, the organization preview when anything changed, and
// a matrix of customer previews fed by the selection, bounded and not
// failing fast.
func TestWorkflow(t *testing.T) {
	f := newFleet(t, "prod", customers.Catalog(), stackSettings(t, "prod"))
	m, err := Workflow(f, WorkflowOptions{MaxParallel: 4, MaxJobs: 100, Backend: "s3://state/tierzone"})
	require.NoError(t, err)
	docs := documents(t, m.YAML)
	require.Len(t, docs, 1)
	wf := docs[0]
	assert.Contains(t, wf["on"], "pull_request")
	assert.Equal(t, "write", dig(t, wf, "permissions", "id-token"), "AWS credentials through OIDC")
	assert.Equal(t, "prod", dig(t, wf, "env", "TIERZONE_STACK"))
	assert.Equal(t, "s3://state/tierzone", dig(t, wf, "env", "PULUMI_BACKEND_URL"))
	assert.NotContains(t, wf["env"], "PULUMI_ACCESS_TOKEN")

	jobs := wf["jobs"].(map[string]any)
	require.Len(t, jobs, 3)
	changes := jobs["changes"]
	assert.Equal(t, "${{ steps.changed.outputs.matrix }}", dig(t, changes, "outputs", "matrix"))
	assert.Equal(t, "${{ github.event.pull_request.base.sha }}", dig(t, step(t, changes, "Check out its base"), "with", "ref"))
	assert.Contains(t, step(t, changes, "Fingerprint the base's stacks")["run"], "manifests --kind fingerprints")
	sel := step(t, changes, "Select the changed stacks")
	assert.Equal(t, "changed", sel["id"])
	assert.Contains(t, sel["run"], "tierzone changed --base")
	assert.Contains(t, sel["run"], "--max-jobs 100 --format github >> \"$GITHUB_OUTPUT\"")

	org := jobs["organization"]
	assert.Equal(t, "changes", dig(t, org, "needs"))
	assert.Equal(t, "needs.changes.outputs.any == 'true'", dig(t, org, "if"))
	assert.Contains(t, step(t, org, "Preview the organization stack")["run"], `tierzone preview --stack "$TIERZONE_STACK" --backend "$PULUMI_BACKEND_URL" --stacks organization`)

	cust := jobs["customers"]
	assert.Equal(t, "needs.changes.outputs.customers != '[]'", dig(t, cust, "if"))
	assert.Equal(t, false, dig(t, cust, "strategy", "fail-fast"))
	assert.Equal(t, 4, dig(t, cust, "strategy", "max-parallel"))
	assert.Equal(t, "${{ fromJSON(needs.changes.outputs.matrix) }}", dig(t, cust, "strategy", "matrix"))
	pv := step(t, cust, "Preview the customer stacks")
	assert.Equal(t, "${{ matrix.customers }}", dig(t, pv, "env", "CUSTOMERS"))
	run := pv["run"].(string)
	assert.Contains(t, run, `tierzone preview --stack "$TIERZONE_STACK" --backend "$PULUMI_BACKEND_URL" --stacks customers --customers "$CUSTOMERS"`)
	assert.NotContains(t, run, "${{", "no expression is expanded into the script")
	for _, name := range []string{"organization", "customers"} {
		var uses []string
		for _, s := range dig(t, jobs[name], "steps").([]any) {
			if u, ok := s.(map[string]any)["uses"].(string); ok {
				uses = append(uses, u)
			}
		}
		assert.Contains(t, strings.Join(uses, " "), "pulumi/actions@", name)
		assert.Contains(t, strings.Join(uses, " "), "aws-actions/configure-aws-credentials@", name)
	}
	assert.Contains(t, string(m.YAML), "# NOTE: stack prod is of the single layout")
}

func TestWorkflowDefaults(t *testing.T) {
	f := newFleet(t, "dev", customers.Catalog(), stackSettings(t, "dev"))
	m, err := Workflow(f, WorkflowOptions{RepoDir: "infra", ParallelStacks: 3})
	require.NoError(t, err)
	wf := documents(t, m.YAML)[0]
	assert.Equal(t, DefaultBackend, dig(t, wf, "env", "PULUMI_BACKEND_URL"))
	assert.Equal(t, "${{ secrets.PULUMI_ACCESS_TOKEN }}", dig(t, wf, "env", "PULUMI_ACCESS_TOKEN"))
	jobs := wf["jobs"].(map[string]any)
	assert.Equal(t, DefaultMaxParallel, dig(t, jobs["customers"], "strategy", "max-parallel"))
	assert.Contains(t, step(t, jobs["changes"], "Select the changed stacks")["run"], "--max-jobs 256")
	assert.Equal(t, "head/infra", step(t, jobs["changes"], "Fingerprint the pull request's stacks")["working-directory"])
	pv := step(t, jobs["customers"], "Preview the customer stacks")
	assert.Equal(t, "infra", pv["working-directory"])
	assert.Contains(t, pv["run"], "--parallel-stacks 3")
}
