package plan

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/internal/gencatalog"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/plan.sha256 with the plans' current digests")

// goldenFile holds the SHA-256 of the JSON plans below, so a change made for
// speed that moves a single byte of any of them fails here. A change that
// means to change the plan updates it: review the difference (tierzone plan
// --format json --cost --controls on main and on the branch), then run
// go test ./plan -run TestPlanBytesAreGolden -update.
const goldenFile = "testdata/plan.sha256"

func TestPlanBytesAreGolden(t *testing.T) {
	cases := []struct {
		name    string
		stack   string
		cfg     map[string]string
		catalog []customers.Customer
	}{
		{"prod-seed", "prod", stackConfig(t, "prod"), customers.Catalog()},
		{"dev-seed", "dev", stackConfig(t, "dev"), customers.Catalog()},
		{"hub-seed", "hub", stackConfig(t, "hub"), customers.Catalog()},
		{"prod-generated-120", "prod", UseCatalogFile(stackConfig(t, "prod")), gencatalog.Customers(120)},
		{"hub-generated-60", "hub", UseCatalogFile(stackConfig(t, "hub")), gencatalog.Connected(60)},
	}
	got := map[string]string{}
	var lines []string
	for _, tc := range cases {
		rep, err := BuildWith(tc.stack, tc.cfg, tc.catalog, Options{Cost: true, Controls: true, Customers: 100})
		require.NoError(t, err, tc.name)
		var buf bytes.Buffer
		require.NoError(t, rep.WriteJSON(&buf))
		sum := sha256.Sum256(buf.Bytes())
		got[tc.name] = fmt.Sprintf("%s %d", hex.EncodeToString(sum[:]), buf.Len())
		lines = append(lines, got[tc.name]+" "+tc.name)
	}
	if *updateGolden {
		require.NoError(t, os.MkdirAll(filepath.Dir(goldenFile), 0o755))
		require.NoError(t, os.WriteFile(goldenFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
		return
	}
	f, err := os.Open(goldenFile)
	require.NoError(t, err, "no golden digests; run go test ./plan -run TestPlanBytesAreGolden -update")
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		require.Len(t, fields, 3, "%s: want lines of digest, bytes, case", goldenFile)
		want[fields[2]] = fields[0] + " " + fields[1]
	}
	require.NoError(t, sc.Err())
	for _, tc := range cases {
		require.Equal(t, want[tc.name], got[tc.name],
			"%s: the JSON plan changed (digest and length); if that is meant, review the difference and run go test ./plan -run TestPlanBytesAreGolden -update", tc.name)
	}
}
