package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// resourceJSON appends a resource to b exactly as encoding/json's Encoder
// writes it with SetEscapeHTML(false) and SetIndent("    ", "  ") (less
// the trailing newline), without reflection or a second indenting pass: it
// is most of the plan's bytes. TestResourceJSONIsTheEncodersBytes holds it
// to the encoder's bytes.
func resourceJSON(b []byte, r *Resource) ([]byte, error) {
	const depth = 1
	b = append(b, '{')
	field := func(key string) {
		b = indentLine(b, depth)
		b = appendJSONString(b, key)
		b = append(b, ':', ' ')
	}
	for _, f := range [...]struct{ key, value string }{
		{"urn", r.URN}, {"type", r.Type}, {"name", r.Name}, {"id", r.ID}, {"parent", r.Parent},
	} {
		field(f.key)
		b = appendJSONString(b, f.value)
		b = append(b, ',')
	}
	field("dependencies")
	if r.Dependencies == nil {
		b = append(b, "null"...)
	} else {
		b = appendStrings(b, r.Dependencies, depth)
	}
	b = append(b, ',')
	field("provider")
	b = appendJSONString(b, r.Provider)
	b = append(b, ',')
	field("protect")
	b = strconv.AppendBool(b, r.Protect)
	b = append(b, ',')
	field("custom")
	b = strconv.AppendBool(b, r.Custom)
	b = append(b, ',')
	field("inputs")
	var err error
	if r.Inputs == nil {
		b = append(b, "null"...)
	} else if b, err = appendJSONMap(b, r.Inputs, depth); err != nil {
		return nil, fmt.Errorf("resource %s: inputs: %w", r.URN, err)
	}
	if r.RetainOnDelete {
		b = append(b, ',')
		field("retainOnDelete")
		b = append(b, "true"...)
	}
	if r.ImportID != "" {
		b = append(b, ',')
		field("importId")
		b = appendJSONString(b, r.ImportID)
	}
	b = indentLine(b, depth-1)
	return append(b, '}'), nil
}

// indentLine starts a new line at depth levels within a resource: the
// resources' four-space prefix, then two spaces a level.
func indentLine(b []byte, depth int) []byte {
	b = append(b, '\n', ' ', ' ', ' ', ' ')
	for range depth {
		b = append(b, ' ', ' ')
	}
	return b
}

func appendStrings(b []byte, ss []string, depth int) []byte {
	if len(ss) == 0 {
		return append(b, '[', ']')
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = indentLine(b, depth+1)
		b = appendJSONString(b, s)
	}
	b = indentLine(b, depth)
	return append(b, ']')
}

func appendJSONMap(b []byte, m map[string]any, depth int) ([]byte, error) {
	if len(m) == 0 {
		return append(b, '{', '}'), nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	var err error
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = indentLine(b, depth+1)
		b = appendJSONString(b, k)
		b = append(b, ':', ' ')
		if b, err = appendJSONValue(b, m[k], depth+1); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
	}
	b = indentLine(b, depth)
	return append(b, '}'), nil
}

// appendJSONValue appends a plain value (PlainValue's kinds, and what
// decoding JSON gives); any other kind goes through encoding/json.
func appendJSONValue(b []byte, v any, depth int) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case float64:
		return appendJSONFloat(b, v)
	case map[string]any:
		if v == nil {
			return append(b, "null"...), nil
		}
		return appendJSONMap(b, v, depth)
	case []any:
		if v == nil {
			return append(b, "null"...), nil
		}
		if len(v) == 0 {
			return append(b, '[', ']'), nil
		}
		b = append(b, '[')
		var err error
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = indentLine(b, depth+1)
			if b, err = appendJSONValue(b, e, depth+1); err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
		}
		b = indentLine(b, depth)
		return append(b, ']'), nil
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent(string(indentLine(nil, depth)[1:]), "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return append(b, bytes.TrimSuffix(out.Bytes(), []byte("\n"))...), nil
}

// appendJSONFloat formats a number as encoding/json does: %f between 1e-6
// and 1e21, %e outside with a one-digit exponent kept short.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, 64))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 becomes 1e-7.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendJSONString quotes s as encoding/json does without HTML escaping:
// quote, backslash and control characters escaped, invalid UTF-8 as
// U+FFFD, and U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
