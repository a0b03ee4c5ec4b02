package plan

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// encoderResource is a resource as encoding/json writes it inside the
// plan's resources array: four spaces in, no trailing newline.
func encoderResource(t *testing.T, r *Resource) []byte {
	t.Helper()
	return bytes.TrimSuffix(encoded(t, r, "    "), []byte("\n"))
}

// Every ASCII byte, HTML characters, invalid UTF-8, the line and paragraph
// separators, other runes, numbers at the format boundaries, nested and
// empty arrays and maps, null fields and kinds only encoding/json knows.
func TestResourceJSONIsTheEncodersBytes(t *testing.T) {
	var ascii strings.Builder
	for c := range 0x80 {
		ascii.WriteByte(byte(c))
	}
	odd := ascii.String() + "<a href=\"x\">&amp;</a> \xff\xfe ok \u2028\u2029 é 日本 🚀 \u00ad\ufeff"
	numbers := []any{0.0, math.Copysign(0, -1), 1.0, -1.5, 3.14159, 1e20, 1e21, 1.5e300, 1e-6, 1e-7, 1.234e-9,
		-1e-7, 123456789012345678.0, float64(math.MaxInt64), math.SmallestNonzeroFloat64, math.MaxFloat64}
	cases := []Resource{
		{},
		{URN: odd, Type: "t", Name: odd, ID: "id", Parent: "p", Dependencies: []string{}, Provider: "pr", Inputs: map[string]any{}},
		{URN: "u", Dependencies: []string{"a", odd}, Protect: true, Custom: true, RetainOnDelete: true, ImportID: odd,
			Inputs: map[string]any{
				odd: odd, "numbers": numbers, "empty": []any{}, "nilList": []any(nil), "nilMap": map[string]any(nil),
				"emptyMap": map[string]any{}, "null": nil, "yes": true, "no": false,
				"nested": map[string]any{"z": []any{map[string]any{"a": []any{[]any{}, map[string]any{}, 1.0}}}, "a": "b"},
				"int":    42, "strings": []string{"x", "y"}, "struct": struct {
					A string `json:"a"`
					B []int
				}{"<&>", []int{1, 2}},
				"raw": json.RawMessage(`{"k": [1, 2]}`),
			}},
	}
	for i := range cases {
		got, err := resourceJSON(nil, &cases[i])
		require.NoError(t, err)
		require.Equal(t, string(encoderResource(t, &cases[i])), string(got), "case %d", i)
	}
}

func TestResourceJSONRejectsWhatTheEncoderRejects(t *testing.T) {
	for _, v := range []any{math.NaN(), math.Inf(1), []any{math.Inf(-1)}, map[string]any{"c": make(chan int)}} {
		r := &Resource{URN: "urn:x", Inputs: map[string]any{"bad": v}}
		_, err := resourceJSON(nil, r)
		require.Error(t, err, "%v", v)
		require.Contains(t, err.Error(), "urn:x")
		_, encErr := json.Marshal(r)
		require.Error(t, encErr)
	}
}
