package plan

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/internal/gencatalog"
)

// referenceJSON is the report as encoding/json writes it in one piece: the
// contract WriteJSON streams.
func referenceJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	return encoded(t, r, "")
}

// encoded is v as the plan's encoder writes it: no HTML escaping, two
// spaces an indent after prefix.
func encoded(t *testing.T, v any, prefix string) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	require.NoError(t, enc.Encode(v))
	return b.Bytes()
}

// TestWriteJSONIsTheEncodersBytes: streaming the resources changes no byte
// of the plan JSON, on the seed catalog and on a generated one, with and
// without the optional sections, and for a report with no resources.
func TestWriteJSONIsTheEncodersBytes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     map[string]string
		catalog []customers.Customer
		opts    Options
	}{
		{"seed", stackConfig(t, "prod"), customers.Catalog(), Options{}},
		{"seed with cost and controls", stackConfig(t, "prod"), customers.Catalog(), Options{Cost: true, Controls: true, Customers: 40}},
		{"generated", UseCatalogFile(stackConfig(t, "prod")), gencatalog.Customers(60), Options{Cost: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := BuildWith("prod", tc.cfg, tc.catalog, tc.opts)
			require.NoError(t, err)
			var got bytes.Buffer
			require.NoError(t, rep.WriteJSON(&got))
			want := referenceJSON(t, rep)
			if !bytes.Equal(got.Bytes(), want) {
				i := 0
				for i < min(got.Len(), len(want)) && got.Bytes()[i] == want[i] {
					i++
				}
				lo := max(0, i-80)
				t.Fatalf("WriteJSON differs from encoding/json at byte %d of %d:\nwant …%s\ngot  …%s", i, len(want),
					want[lo:min(len(want), i+80)], got.Bytes()[lo:min(got.Len(), i+80)])
			}
			// Same catalog, same bytes.
			again, err := BuildWith("prod", tc.cfg, tc.catalog, tc.opts)
			require.NoError(t, err)
			var second bytes.Buffer
			require.NoError(t, again.WriteJSON(&second))
			require.Equal(t, got.Bytes(), second.Bytes(), "two plans of the same catalog")
		})
	}
	for _, rs := range [][]Resource{nil, {}} {
		rep := &Report{Resources: rs}
		var got bytes.Buffer
		require.NoError(t, rep.WriteJSON(&got))
		require.Equal(t, string(referenceJSON(t, rep)), got.String())
	}
}
