// Package rules holds Tierzone's compliance invariants as plain functions
// over a simple view of a stack's resources. The policy pack (package main
// next to PulumiPolicy.yaml) runs them at `pulumi preview` and `pulumi up`;
// the tests run them on the plan the mock recorder records, so both see the
// same rules.
package rules

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/tierzone/tierzone/recorder"
)

// Resource is what a rule sees of one resource.
type Resource struct {
	URN    string
	Type   string
	Name   string
	Parent string
	// Props are the resource's properties (inputs at preview).
	Props property.Map
	// ProviderProps are the properties of the provider the resource is
	// created with (region, defaultTags); empty for providers and
	// components.
	ProviderProps property.Map
	// Deps maps a property name to the URNs of the resources its value
	// comes from. Rules follow references through it, since ids are unknown
	// at preview.
	Deps map[string][]string
	// Unknown is set when none of the resource's properties are known yet:
	// at preview, a resource whose provider cannot be configured until an
	// earlier resource exists (a new customer's account, whose id is in
	// its provider's role ARN) reaches a stack policy with no properties
	// at all. Rules judge its place in the graph (Deps) but not its
	// properties: an unknown value is not a violation.
	Unknown bool
}

// Plan is a stack's resources, indexed.
type Plan struct {
	Resources []Resource
	byURN     map[string]int
}

// NewPlan indexes resources.
func NewPlan(rs []Resource) *Plan {
	p := &Plan{Resources: rs, byURN: make(map[string]int, len(rs))}
	for i, r := range rs {
		p.byURN[r.URN] = i
	}
	return p
}

// FromRecorder builds the view of a plan the mock recorder recorded.
func FromRecorder(rs []recorder.Resource) *Plan {
	inputs := make(map[string]resource.PropertyMap, len(rs))
	for _, r := range rs {
		inputs[r.URN] = r.Inputs
	}
	out := make([]Resource, 0, len(rs))
	for _, r := range rs {
		v := Resource{
			URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent,
			Props: resource.FromResourcePropertyMap(r.Inputs),
			Deps:  r.PropertyDependencies,
		}
		if p, ok := inputs[r.ProviderURN]; ok && r.ProviderURN != "" {
			v.ProviderProps = resource.FromResourcePropertyMap(p)
		}
		out = append(out, v)
	}
	return NewPlan(out)
}

// FromAnalyzer builds the view of the resources the engine hands a stack
// validation policy. A stack policy sees each resource's outputs; at a
// preview (dryRun) a resource created through a provider whose
// configuration is not known yet has none, so it is marked Unknown rather
// than read as a resource with every property missing.
func FromAnalyzer(rs []policyx.AnalyzerResource, dryRun bool) *Plan {
	out := make([]Resource, 0, len(rs))
	for _, r := range rs {
		out = append(out, Resource{
			URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent,
			Props:         r.Properties,
			ProviderProps: r.Provider.Properties,
			Deps:          r.PropertyDependencies,
			Unknown:       dryRun && r.Provider.URN != "" && r.Properties.Len() == 0,
		})
	}
	return NewPlan(out)
}

// FromAnalyzerResource builds the view of the one resource the engine hands
// a resource validation policy: before the resource's step runs, with its
// checked inputs (known at preview for every literal, even when its provider
// cannot be configured yet) and its provider's inputs. The engine sends no
// property dependencies to a resource policy, so the view has no Deps.
func FromAnalyzerResource(r policyx.AnalyzerResource) Resource {
	return Resource{
		URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent,
		Props:         r.Properties,
		ProviderProps: r.Provider.Properties,
	}
}

// Get returns the resource with a URN.
func (p *Plan) Get(urn string) (Resource, bool) {
	i, ok := p.byURN[urn]
	if !ok {
		return Resource{}, false
	}
	return p.Resources[i], true
}

// OfType returns the resources of any of the types, in plan order.
func (p *Plan) OfType(types ...string) []Resource {
	var out []Resource
	for _, r := range p.Resources {
		for _, t := range types {
			if r.Type == t {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// Referencing returns the resources of type typ whose property prop comes
// from the resource urn (e.g. the flow logs whose vpcId is a VPC's id).
func (p *Plan) Referencing(typ, prop, urn string) []Resource {
	var out []Resource
	for _, r := range p.OfType(typ) {
		if r.DependsOn(prop, urn) {
			out = append(out, r)
		}
	}
	return out
}

// DependsOn reports whether property prop's value comes from urn.
func (r Resource) DependsOn(prop, urn string) bool {
	for _, d := range r.Deps[prop] {
		if d == urn {
			return true
		}
	}
	return false
}

// Get returns the value at a path of property names (a missing step gives
// a null value, a step not known yet a computed one).
func (r Resource) Get(path ...string) property.Value {
	return get(r.Props, path...)
}

func get(m property.Map, path ...string) property.Value {
	var v property.Value
	for i, k := range path {
		v = m.Get(k)
		if i == len(path)-1 {
			break
		}
		if !v.IsMap() {
			if v.IsComputed() {
				return v
			}
			return property.Value{}
		}
		m = v.AsMap()
	}
	return v
}

// String returns a known string property, and false if it is unset or not
// yet known.
func (r Resource) String(path ...string) (string, bool) {
	v := r.Get(path...)
	if !v.IsString() {
		return "", false
	}
	return v.AsString(), true
}

// Tags returns the known string tags at path (e.g. "tags", or
// "defaultTags", "tags" on a provider).
func tags(m property.Map, path ...string) map[string]string {
	v := get(m, path...)
	out := map[string]string{}
	if !v.IsMap() {
		return out
	}
	for k, t := range v.AsMap().All {
		if t.IsString() {
			out[k] = t.AsString()
		}
	}
	return out
}

// parentOf splits a parent URN into its type and name: the last type in
// the URN's type chain and the name after "::".
func parentOf(urn string) (typ, name string) {
	i := strings.LastIndex(urn, "::")
	if i < 0 {
		return "", ""
	}
	name = urn[i+2:]
	rest := urn[:i]
	j := strings.LastIndex(rest, "::")
	if j < 0 {
		return "", name
	}
	chain := rest[j+2:]
	if k := strings.LastIndex(chain, "$"); k >= 0 {
		chain = chain[k+1:]
	}
	return chain, name
}

// arr returns a known array's elements (none for anything else).
func arr(v property.Value) []property.Value {
	if !v.IsArray() {
		return nil
	}
	return v.AsArray().AsSlice()
}
