package deploytime

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tierzone/tierzone/recorder"
)

// Edge kinds: why one resource waits for another.
const (
	// EdgeDependsOn is an explicit dependency (pulumi.DependsOn).
	EdgeDependsOn = "dependsOn"
	// EdgeInput is an input that takes another resource's output.
	EdgeInput = "input"
	// EdgeProvider is a resource waiting for its provider, which waits for
	// whatever its own inputs depend on.
	EdgeProvider = "provider"
	// EdgeChild is a component completing after its child; a child waits
	// for nothing from its component.
	EdgeChild = "child"
	// EdgeAccountSlot is an account creation waiting for an earlier one to
	// free one of the Organizations concurrency slots (not a graph edge).
	EdgeAccountSlot = "account-slot"
	// EdgeParallelism is an operation waiting for a free engine worker
	// (pulumi up --parallel; not a graph edge).
	EdgeParallelism = "parallelism"
)

// Edge says that To cannot finish (components) or start (everything else)
// before From has finished.
type Edge struct {
	From string `json:"from"`
	To   string `json:"to"`
	Kind string `json:"kind"`
	// Property is the input that carries the dependency (EdgeInput).
	Property string `json:"property,omitempty"`
}

// Graph is the recorded dependency graph.
type Graph struct {
	Nodes map[string]recorder.Resource
	// In are the edges into each node, sorted by From.
	In map[string][]Edge
	// Order is every URN, sorted.
	Order []string
}

// NewGraph builds the graph from recorded resources. References to URNs
// that were not recorded (none in a complete recording) are ignored.
func NewGraph(resources []recorder.Resource) (*Graph, error) {
	g := &Graph{Nodes: map[string]recorder.Resource{}, In: map[string][]Edge{}}
	for _, r := range resources {
		if _, dup := g.Nodes[r.URN]; dup {
			return nil, fmt.Errorf("deploytime: resource %s recorded twice", r.URN)
		}
		g.Nodes[r.URN] = r
		g.Order = append(g.Order, r.URN)
	}
	sort.Strings(g.Order)
	for _, urn := range g.Order {
		r := g.Nodes[urn]
		seen := map[string]bool{}
		add := func(e Edge) {
			if _, ok := g.Nodes[e.From]; !ok || e.From == e.To || seen[e.From+"|"+e.To] {
				return
			}
			seen[e.From+"|"+e.To] = true
			g.In[e.To] = append(g.In[e.To], e)
		}
		props := make([]string, 0, len(r.PropertyDependencies))
		for p := range r.PropertyDependencies {
			props = append(props, p)
		}
		sort.Strings(props)
		for _, p := range props {
			for _, d := range r.PropertyDependencies[p] {
				add(Edge{From: d, To: urn, Kind: EdgeInput, Property: p})
			}
		}
		for _, d := range r.Dependencies {
			add(Edge{From: d, To: urn, Kind: EdgeDependsOn})
		}
		if r.ProviderURN != "" {
			add(Edge{From: r.ProviderURN, To: urn, Kind: EdgeProvider})
		}
		if p, ok := g.Nodes[r.Parent]; ok && !p.Custom {
			add(Edge{From: urn, To: r.Parent, Kind: EdgeChild})
		}
	}
	for _, urn := range g.Order {
		sort.SliceStable(g.In[urn], func(i, j int) bool { return g.In[urn][i].From < g.In[urn][j].From })
	}
	return g, nil
}

// Edge returns the graph edge from one URN to another, if there is one.
func (g *Graph) Edge(from, to string) (Edge, bool) {
	for _, e := range g.In[to] {
		if e.From == from {
			return e, true
		}
	}
	return Edge{}, false
}

// ShortName is the type's last segment and the resource name, for tables.
func ShortName(r recorder.Resource) string {
	t := r.Type
	if i := strings.LastIndex(t, ":"); i >= 0 {
		t = t[i+1:]
	}
	return t + " " + r.Name
}
