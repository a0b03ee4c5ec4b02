package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDirectoryCommand(t *testing.T) {
	code, out, errOut := tierzone(t, "directory")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "StartupCorp Inc")
	assert.Contains(t, out, "Root/Customers-Standard")
	assert.True(t, strings.HasSuffix(out, "10 customers\n"))

	// A deployed stack's outputs give the account ids; search finds one.
	outputs := writeFile(t, "outputs.json", `{"customers": {"acme-finance": {"accountId": "222233334444", "tier": "fintech",
		"loginLinks": {"customer-admin": "https://d-1234567890.awsapps.com/start/#/console?account_id=222233334444&role_name=tz-fintech-customer-admin"}}}, "tiers": {}}`)
	code, out, errOut = tierzone(t, "directory", "--outputs", outputs, "--search", "222233334444", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	var rows []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.Len(t, rows, 1)
	assert.Equal(t, "acme-finance", rows[0]["key"])
	assert.Equal(t, "222233334444", rows[0]["accountId"])
	assert.Equal(t, map[string]any{"customer-admin": "https://d-1234567890.awsapps.com/start/#/console?account_id=222233334444&role_name=tz-fintech-customer-admin"},
		rows[0]["loginLinks"], "the login links come from the stack's outputs")

	code, out, errOut = tierzone(t, "directory", "--tier", "gov-federal", "--format", "csv")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, 3, strings.Count(out, "\n"), "a header and the two Gov-Federal customers:\n%s", out)
}

func TestDirectoryBadInput(t *testing.T) {
	code, out, errOut := tierzone(t, "directory", "--tier", "platinum", "--format", "xml")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `--tier "platinum"`)
	assert.Contains(t, errOut, `--format "xml"`, "every problem at once")

	bad := writeFile(t, "outputs.json", `{"customers": {"acme-finance": "not an object"}}`)
	code, out, errOut = tierzone(t, "directory", "--outputs", bad)
	assert.NotEqual(t, exitOK, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "acme-finance")

	catalog := writeFile(t, "catalog.yaml", "customers:\n  - {key: Bad_Key, name: X, tier: fintech, vpcCidr: 10.0.0.0/16}\n")
	code, out, errOut = tierzone(t, "directory", "--catalog", catalog)
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "Bad_Key")
}
