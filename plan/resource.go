package plan

import (
	"runtime"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/tierzone/tierzone/recorder"
)

// Resource is one registered resource in the JSON contract. Provider is the
// URN of the provider instance the resource is created with ("" for
// components and providers). Inputs are plain JSON values: secrets
// unwrapped, unknown values null, resource references their URN.
type Resource struct {
	URN          string         `json:"urn"`
	Type         string         `json:"type"`
	Name         string         `json:"name"`
	ID           string         `json:"id"`
	Parent       string         `json:"parent"`
	Dependencies []string       `json:"dependencies"`
	Provider     string         `json:"provider"`
	Protect      bool           `json:"protect"`
	Custom       bool           `json:"custom"`
	Inputs       map[string]any `json:"inputs"`
	// RetainOnDelete and ImportID (an adopted resource's existing id) are
	// set only when they apply.
	RetainOnDelete bool   `json:"retainOnDelete,omitempty"`
	ImportID       string `json:"importId,omitempty"`
}

// toResources converts the recorded resources in order, split across the
// processors in a few large parts (the inputs' conversion is most of the
// report's work, and nothing else runs once the program is done).
func toResources(res []recorder.Resource) []Resource {
	out := make([]Resource, len(res))
	parts := min(runtime.GOMAXPROCS(0), max(1, len(res)/2048))
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*len(res)/parts, (p+1)*len(res)/parts
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				out[i] = toResource(res[i])
			}
		})
	}
	wg.Wait()
	return out
}

func toResource(r recorder.Resource) Resource {
	deps := make([]string, 0, len(r.Dependencies))
	seen := map[string]bool{}
	for _, d := range r.Dependencies {
		if !seen[d] {
			seen[d] = true
			deps = append(deps, d)
		}
	}
	sort.Strings(deps)
	out := Resource{
		URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent,
		Dependencies: deps, Provider: r.ProviderURN, Protect: r.Protect, Custom: r.Custom,
		Inputs: PlainMap(r.Inputs), RetainOnDelete: r.RetainOnDelete, ImportID: r.ImportID,
	}
	// Components have no physical id; the mock gives them one anyway.
	if r.Custom {
		out.ID = r.ID
	}
	return out
}

// PlainMap converts a property map to plain JSON values (see PlainValue).
// It never returns nil, so an empty map encodes as {}.
func PlainMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = PlainValue(v)
	}
	return out
}

// PlainValue converts a property value to a plain JSON value: secrets are
// unwrapped, unknown (computed) values and unknown outputs become nil,
// resource references become their URN, assets and archives their path,
// URI or text.
func PlainValue(v resource.PropertyValue) any {
	switch {
	case v.IsNull(), v.IsComputed():
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
			out[i] = PlainValue(e)
		}
		return out
	case v.IsObject():
		return PlainMap(v.ObjectValue())
	case v.IsSecret():
		return PlainValue(v.SecretValue().Element)
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return nil
		}
		return PlainValue(o.Element)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset():
		a := v.AssetValue()
		switch {
		case a.Path != "":
			return a.Path
		case a.URI != "":
			return a.URI
		}
		return a.Text
	case v.IsArchive():
		a := v.ArchiveValue()
		if a.Path != "" {
			return a.Path
		}
		return a.URI
	}
	return nil
}
