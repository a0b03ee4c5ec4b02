package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// prodOutputs are outputs of the prod organization stack, in the shape of
// `pulumi stack output --json`.
const prodOutputs = `{"customers": {
  "acme-finance": {"accountId": "100000000001", "tier": "fintech"},
  "quantumbank-fintech": {"accountId": "100000000002"},
  "metabank-fintech": {"accountId": "100000000003"},
  "crossbank-fintech": {"accountId": "100000000004"},
  "medicorp-health": {"accountId": "100000000005"},
  "guardian-health": {"accountId": "100000000006"},
  "techgov-federal": {"accountId": "100000000007"},
  "statecorp-govfed": {"accountId": "100000000008"},
  "startup-standard": {"accountId": "100000000009"},
  "techstartup-std": {"accountId": "100000000010"}
}, "tiers": {}}`

func yamlDocs(t *testing.T, out string) []map[string]any {
	t.Helper()
	dec := yaml.NewDecoder(strings.NewReader(out))
	var docs []map[string]any
	for {
		var d map[string]any
		if err := dec.Decode(&d); errors.Is(err, io.EOF) {
			return docs
		} else {
			require.NoError(t, err)
		}
		docs = append(docs, d)
	}
}

func TestManifestsOperator(t *testing.T) {
	outs := writeFile(t, "outputs.json", prodOutputs)
	code, out, errOut := tierzone(t, "manifests", "--stack", "prod", "--kind", "operator", "--outputs", outs)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "note: stack prod is of the single layout")
	docs := yamlDocs(t, out)
	require.Len(t, docs, 11)
	for _, d := range docs {
		assert.Equal(t, "pulumi.com/v1", d["apiVersion"])
		assert.Equal(t, "Stack", d["kind"])
		name := d["metadata"].(map[string]any)["name"].(string)
		assert.LessOrEqual(t, len(name), 42)
	}
	assert.Equal(t, "prod--acme-finance", docs[1]["metadata"].(map[string]any)["name"])

	// Without the accounts: every customer named, exit 2, nothing written.
	code, out, errOut = tierzone(t, "manifests", "--kind", "operator")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `customer "acme-finance": accountId: not known`)
	assert.Contains(t, errOut, "--allow-pending")
	code, out, errOut = tierzone(t, "manifests", "--kind", "operator", "--allow-pending")
	require.Equal(t, exitOK, code, errOut)
	assert.Len(t, yamlDocs(t, out), 1, "the organization stack alone")
	assert.Contains(t, errOut, "left out until the organization stack has created their accounts")

	// Outputs that cannot be used.
	bad := writeFile(t, "bad.json", `{"tiers": {}}`)
	code, out, errOut = tierzone(t, "manifests", "--kind", "operator", "--outputs", bad)
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `--outputs: `+bad+`: no "customers" output`)
}

func TestManifestsGitHub(t *testing.T) {
	code, out, errOut := tierzone(t, "manifests", "--stack", "dev", "--kind", "github", "--max-parallel", "3")
	require.Equal(t, exitOK, code, errOut)
	docs := yamlDocs(t, out)
	require.Len(t, docs, 1)
	strategy := docs[0]["jobs"].(map[string]any)["customers"].(map[string]any)["strategy"].(map[string]any)
	assert.Equal(t, 3, strategy["max-parallel"])
	assert.Equal(t, false, strategy["fail-fast"])
}

func TestManifestsBadInput(t *testing.T) {
	for name, args := range map[string][]string{
		"no kind":          {"manifests"},
		"unknown kind":     {"manifests", "--kind", "helm"},
		"misplaced flag":   {"manifests", "--kind", "github", "--outputs", "x.json"},
		"catalog, github":  {"manifests", "--kind", "github", "--catalog", "x.yaml"},
		"branch & commit":  {"manifests", "--kind", "operator", "--branch", "dev", "--commit", "abc"},
		"too many jobs":    {"manifests", "--kind", "github", "--max-jobs", "257"},
		"bad duration":     {"manifests", "--kind", "operator", "--organization-within", "soon"},
		"changed, no head": {"changed"},
		"changed, format":  {"changed", "--head", "h.json", "--format", "yaml"},
	} {
		code, out, errOut := tierzone(t, args...)
		assert.Equal(t, exitInvalid, code, name)
		assert.Empty(t, out, name)
		assert.Contains(t, errOut, "Usage: tierzone "+args[0], name)
	}
	code, _, errOut := tierzone(t, "manifests", "--kind", "helm")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, errOut, `--kind "helm": want operator, github or fingerprints`)
}

// TestManifestsInvalidCatalogAndSettings: problems name customer and
// field, exit 2, nothing on stdout.
func TestManifestsInvalidCatalogAndSettings(t *testing.T) {
	invalid := writeFile(t, "invalid.json", `{"customers": [
	  {"key": "acme-finance", "name": "ACME Finance Inc", "tier": "crypto", "vpcCidr": "10.0.0.0/16"}]}`)
	for _, kind := range []string{"operator", "fingerprints"} {
		code, out, errOut := tierzone(t, "manifests", "--kind", kind, "--catalog", invalid)
		assert.Equal(t, exitInvalid, code, kind)
		assert.Empty(t, out, kind)
		assert.Contains(t, errOut, `customer "acme-finance": tier: "crypto" is not a tier`, kind)
	}
	// A valid catalog file with a customer the program does not compile.
	code, out, errOut := tierzone(t, "manifests", "--kind", "operator", "--allow-pending", "--catalog", writeFile(t, "c.yaml", yamlCatalog))
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `customer "northwind-pay": key: not in the built-in catalog`)
	// A selection of the built-in catalog is fine.
	code, out, errOut = tierzone(t, "manifests", "--kind", "operator", "--allow-pending", "--catalog", writeFile(t, "c.json",
		`{"customers": [{"key": "acme-finance", "name": "ACME Finance Inc", "tier": "fintech", "contactEmail": "john@acmefinance.com", "vpcCidr": "10.0.0.0/16"}]}`))
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "tierzone:customers:\n      - acme-finance\n")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: tierzone\nruntime: go\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.qa.yaml"), []byte(`config:
  tierzone:organizationRootId: root
  tierzone:organizationId: o-tzqa000001
  tierzone:accountEmailMailbox: qa@tierzone.example
  tierzone:customers: [acme-finance, nobody]
`), 0o600))
	code, out, errOut = tierzone(t, "manifests", "--kind", "github", "--dir", dir, "--stack", "qa")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `stack config "tierzone:organizationRootId": "root" is not a root id`)
	assert.Contains(t, errOut, `stack config "tierzone:customers": "nobody" is not a customer in the catalog`)
}

// project writes a project directory with the repository's Pulumi.yaml and
// a prod stack file changed by edit.
func project(t *testing.T, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.prod.yaml"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", f))
		require.NoError(t, err)
		if f != "Pulumi.yaml" {
			raw = []byte(edit(string(raw)))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), raw, 0o600))
	}
	return dir
}

func fingerprintFile(t *testing.T, dir string) string {
	t.Helper()
	code, out, errOut := tierzone(t, "manifests", "--kind", "fingerprints", "--dir", dir)
	require.Equal(t, exitOK, code, errOut)
	return writeFile(t, "fp.json", out)
}

// TestFingerprintsAndChanged: fingerprints of a base and a head, then the
// selection, as the workflow's first job runs them.
func TestFingerprintsAndChanged(t *testing.T) {
	same := func(s string) string { return s }
	base := fingerprintFile(t, project(t, same))
	head := fingerprintFile(t, project(t, func(s string) string {
		return strings.Replace(s, "    - techstartup-std\n", "", 1) + "  tierzone:retention: {healthcare: {hotDays: 180}}\n"
	}))
	code, out, errOut := tierzone(t, "changed", "--base", base, "--head", head)
	require.Equal(t, exitOK, code, errOut)
	var sel struct {
		Any, Organization  bool
		Customers, Removed []string
		Matrix             struct{ Include []map[string]string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sel))
	assert.True(t, sel.Any)
	assert.True(t, sel.Organization)
	assert.Equal(t, []string{"guardian-health", "medicorp-health"}, sel.Customers)
	assert.Equal(t, []string{"techstartup-std"}, sel.Removed)
	assert.Equal(t, []map[string]string{{"customers": "guardian-health"}, {"customers": "medicorp-health"}}, sel.Matrix.Include)
	assert.Contains(t, errOut, "removed: techstartup-std")

	code, out, errOut = tierzone(t, "changed", "--base", base, "--head", base, "--format", "github")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "any=false\norganization=false\ncustomers=[]\nmatrix={\"include\":[]}\n", out)

	// The workflow writes {} for a base that cannot fingerprint itself.
	code, out, _ = tierzone(t, "changed", "--base", writeFile(t, "empty.json", "{}"), "--head", head, "--max-jobs", "2", "--format", "github")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "organization=true\n")
	assert.Contains(t, out, `matrix={"include":[{"customers":"acme-finance,crossbank-fintech,guardian-health,medicorp-health,metabank-fintech"},{"customers":"quantumbank-fintech,startup-standard,statecorp-govfed,techgov-federal"}]}`)

	code, out, errOut = tierzone(t, "changed", "--head", writeFile(t, "bad.json", "{}"))
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "--head: ")
}

func TestUsageListsManifests(t *testing.T) {
	var b bytes.Buffer
	usage(&b)
	assert.Contains(t, b.String(), "manifests")
	assert.Contains(t, b.String(), "changed")
}
