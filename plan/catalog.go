package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/validation"
)

// ReadCatalog reads a catalog file (see DecodeCatalog). A file that cannot be
// read is an ordinary error; a file whose content is wrong is a
// *validation.Error naming the file, the customer and the field.
func ReadCatalog(path string) ([]customers.Customer, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		// A catalog that cannot be read is bad input, like one that cannot
		// be parsed: reported as a problem naming the file.
		return nil, &validation.Error{Problems: []validation.Problem{{Subject: fmt.Sprintf("catalog file %s", path), Message: fmt.Sprintf("read catalog: %v", err)}}}
	}
	return DecodeCatalog(raw, path)
}

// DecodeCatalog decodes a catalog file's content: {"customers": [...]} in
// JSON or YAML, each entry using customers.Customer's JSON field names.
// Unknown fields are rejected. With problems it returns them as a
// *validation.Error together with the entries it could still read (unknown
// fields dropped; entries with wrongly typed values left out), so the caller
// can validate those too and report everything at once. In YAML, unquoted numbers are taken as the
// text they are written as (an existingAccountId of 012345678901 keeps its
// leading zero); JSON is typed strictly. name labels problems (the path).
func DecodeCatalog(raw []byte, name string) ([]customers.Customer, error) {
	subject := fmt.Sprintf("catalog file %s", name)
	tree, err := parseTree(raw)
	if err != nil {
		return nil, &validation.Error{Problems: []validation.Problem{{Subject: subject, Message: err.Error()}}}
	}
	var l validation.List
	doc, ok := tree.(map[string]any)
	if !ok {
		l.Add(subject, "", `want an object {"customers": [...]}, got %s`, kind(tree))
		return nil, l.Err()
	}
	for _, k := range sortedKeys(doc) {
		if k != "customers" {
			l.Add(subject, k, `unknown field; the file has one field, "customers"`)
		}
	}
	list, ok := doc["customers"].([]any)
	if !ok {
		l.Add(subject, "customers", "want a list of customers, got %s", kind(doc["customers"]))
		return nil, l.Err()
	}
	known := customerFields()
	out := make([]customers.Customer, 0, len(list))
	for i, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			l.Add(fmt.Sprintf("customer #%d", i+1), "", "want an object, got %s", kind(item))
			continue
		}
		key, _ := obj["key"].(string)
		subj := validation.CustomerAt(i, key)
		for _, f := range sortedKeys(obj) {
			if !known[f] {
				l.Add(subj, f, "unknown field%s; known fields: %s", suggest(f, known), strings.Join(sortedKeys(known), ", "))
			}
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return nil, fmt.Errorf("catalog %s: customer #%d: %w", name, i+1, err)
		}
		var c customers.Customer
		if err := json.Unmarshal(b, &c); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				l.Add(subj, te.Field, "want %s, got %s", goTypeName(te.Type.String()), te.Value)
			} else {
				l.Add(subj, "", "%v", err)
			}
			// A wrongly typed field would also read as missing; leave the
			// entry out of further checks rather than report it twice.
			continue
		}
		out = append(out, c)
	}
	return out, l.Err()
}

// parseTree parses JSON (when the document starts with "{") or YAML into
// plain Go values: map[string]any, []any, string, bool, nil, and for JSON
// json.Number.
func parseTree(raw []byte) (any, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return nil, errors.New(`empty; want {"customers": [...]}`)
	}
	if trimmed[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("invalid JSON%s: %w", jsonPosition(trimmed, err), err)
		}
		if dec.More() {
			return nil, errors.New("invalid JSON: data after the top-level object")
		}
		return v, nil
	}
	var node yaml.Node
	if err := yaml.Unmarshal(raw, &node); err != nil {
		return nil, fmt.Errorf("invalid YAML: %w", err)
	}
	return fromYAML(&node)
}

// jsonPosition renders the line and column of a JSON syntax error.
func jsonPosition(doc []byte, err error) string {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return ""
	}
	off := int(se.Offset)
	if off > len(doc) {
		off = len(doc)
	}
	line := 1 + bytes.Count(doc[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(doc[:off], '\n')
	return fmt.Sprintf(" at line %d, column %d", line, col)
}

// fromYAML converts a YAML node to plain values. Scalars tagged int or float
// become strings with their literal text: no customer field is numeric, and
// account ids must keep leading zeros.
func fromYAML(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return fromYAML(n.Content[0])
	case yaml.AliasNode:
		return fromYAML(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: mapping keys must be plain strings", k.Line)
			}
			if _, dup := m[k.Value]; dup {
				return nil, fmt.Errorf("line %d: key %q appears twice", k.Line, k.Value)
			}
			v, err := fromYAML(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromYAML(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				return nil, fmt.Errorf("line %d: %w", n.Line, err)
			}
			return b, nil
		default:
			return n.Value, nil
		}
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

// customerFields are the JSON field names of customers.Customer.
func customerFields() map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeFor[customers.Customer]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

// suggest returns ` (did you mean "x"?)` when field is a plausible typo of
// a known field.
func suggest(field string, known map[string]bool) string {
	if c := closest(field, sortedKeys(known)); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// goTypeName names a Go type the way a catalog author thinks of it.
func goTypeName(t string) string {
	switch t {
	case "string":
		return "text"
	case "bool", "*bool":
		return "true or false"
	case "map[string]string":
		return "a map of text to text"
	}
	return t
}
