package fakeaws

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// unknown stands for a value the engine does not know yet (a computed
// value at preview) in a plain map.
type unknown struct{}

func marshalOptions(label string) plugin.MarshalOptions {
	return plugin.MarshalOptions{Label: label, KeepUnknowns: true, KeepSecrets: true, SkipNulls: false}
}

func unmarshal(label string, s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	pm, err := plugin.UnmarshalProperties(s, marshalOptions(label))
	if err != nil {
		return nil, fmt.Errorf("fakeaws: unmarshal %s: %w", label, err)
	}
	return pm, nil
}

func marshal(label string, pm resource.PropertyMap) (*structpb.Struct, error) {
	s, err := plugin.MarshalProperties(pm, marshalOptions(label))
	if err != nil {
		return nil, fmt.Errorf("fakeaws: marshal %s: %w", label, err)
	}
	return s, nil
}

// toPlain turns properties into JSON-like values: secrets are unwrapped,
// unknowns become unknown{}.
func toPlain(pm resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(pm))
	for k, v := range pm {
		out[string(k)] = plainValue(v)
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsComputed():
		return unknown{}
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return unknown{}
		}
		return plainValue(o.Element)
	case v.IsSecret():
		return plainValue(v.SecretValue().Element)
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		if id := plainValue(ref.ID); id != nil && id != "" {
			return id
		}
		return string(ref.URN)
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return toPlain(v.ObjectValue())
	default:
		return nil
	}
}

// hasUnknown reports whether a plain value contains an unknown.
func hasUnknown(v any) bool {
	switch t := v.(type) {
	case unknown:
		return true
	case []any:
		for _, e := range t {
			if hasUnknown(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range t {
			if hasUnknown(e) {
				return true
			}
		}
	}
	return false
}

// fromPlain turns a plain map back into properties; unknown{} becomes a
// computed value.
func fromPlain(m map[string]any) resource.PropertyMap {
	return resource.NewPropertyMapFromMapRepl(m, nil, func(v any) (resource.PropertyValue, bool) {
		if _, ok := v.(unknown); ok {
			return resource.MakeComputed(resource.NewProperty("")), true
		}
		return resource.PropertyValue{}, false
	})
}

// isZero reports values Terraform state does not tell apart from absent:
// null, false, "", 0 and empty collections.
func isZero(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case bool:
		return !t
	case string:
		return t == ""
	case float64:
		return t == 0
	case []any:
		return len(t) == 0
	case map[string]any:
		return len(t) == 0
	}
	return false
}

// normalize makes a plain value comparable: zero values inside objects are
// dropped, JSON documents compare by content.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range t {
			if n := normalize(e); !isZero(n) {
				out[k] = n
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}

// sameValue compares two plain values the way the provider's diff does.
// An unknown is never the same as anything.
func sameValue(a, b any) bool {
	if hasUnknown(a) || hasUnknown(b) {
		return false
	}
	a, b = normalize(a), normalize(b)
	if isZero(a) && isZero(b) {
		return true
	}
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok && sa != sb {
			return sameJSONDocument(sa, sb)
		}
	}
	return reflect.DeepEqual(a, b)
}

// sameJSONDocument reports two strings that are the same JSON object
// (pulumi-aws suppresses diffs of equivalent policy documents).
func sameJSONDocument(a, b string) bool {
	var va, vb map[string]any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// Typed accessors for plain input maps. They report false for absent,
// unknown and mistyped values, so validators skip what is not known yet.

func str(in map[string]any, key string) (string, bool) {
	s, ok := in[key].(string)
	return s, ok && s != ""
}

func num(in map[string]any, key string) (float64, bool) {
	f, ok := in[key].(float64)
	return f, ok
}

func boolean(in map[string]any, key string) bool {
	b, _ := in[key].(bool)
	return b
}

func known(in map[string]any, key string) bool {
	_, present := in[key]
	return present && !hasUnknown(in[key])
}

// stringMap returns a map of strings (tags); unknown entries are skipped.
func stringMap(v any) map[string]string {
	m, _ := v.(map[string]any)
	out := map[string]string{}
	for k, e := range m {
		if s, ok := e.(string); ok {
			out[k] = s
		}
	}
	return out
}

func stringList(v any) []string {
	arr, _ := v.([]any)
	var out []string
	for _, e := range arr {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// merged returns a copy of base with over applied on top.
func merged(base, over map[string]any) map[string]any {
	out := maps.Clone(base)
	if out == nil {
		out = map[string]any{}
	}
	maps.Copy(out, over)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validJSON reports whether s is a JSON document.
func validJSON(s string) bool {
	var v any
	return json.Unmarshal([]byte(s), &v) == nil
}
