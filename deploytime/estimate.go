package deploytime

import (
	"container/heap"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tierzone/tierzone/recorder"
)

// Phase names, in the order of the seeds' timeline.
const (
	PhaseOrganization = "Organization setup"
	PhaseAccounts     = "Account provisioning"
	PhaseNetwork      = "VPC networking"
	PhaseLogging      = "Flow logs and log archive"
)

// Phases lists the phase names in order.
func Phases() []string {
	return []string{PhaseOrganization, PhaseAccounts, PhaseNetwork, PhaseLogging}
}

// Timing is when one resource starts and finishes, from the start of the
// deployment.
type Timing struct {
	URN    string        `json:"urn"`
	Type   string        `json:"type"`
	Name   string        `json:"name"`
	Start  time.Duration `json:"-"`
	Finish time.Duration `json:"-"`
	// Via is why the resource started when it did: the kind of the edge from
	// the previous critical-path step (empty for the first step).
	Via string `json:"via,omitempty"`
	// Source is where the resource's duration comes from.
	Source string `json:"source"`
	// StartSeconds and FinishSeconds mirror Start and Finish for JSON.
	StartSeconds  int `json:"startSeconds"`
	FinishSeconds int `json:"finishSeconds"`
}

// PhaseTiming is one phase of the timeline. Phases overlap: customers whose
// accounts are ready build their VPCs while later accounts are still
// being created.
type PhaseTiming struct {
	Name         string        `json:"name"`
	Start        time.Duration `json:"-"`
	End          time.Duration `json:"-"`
	StartSeconds int           `json:"startSeconds"`
	EndSeconds   int           `json:"endSeconds"`
	Resources    int           `json:"resources"`
	OnCritical   time.Duration `json:"-"`
	CriticalSecs int           `json:"criticalPathSeconds"`
	Description  string        `json:"description"`
}

// Estimate is the deployment-time estimate of one recorded plan.
type Estimate struct {
	Total        time.Duration `json:"-"`
	TotalSeconds int           `json:"totalSeconds"`
	// Human is Total for people, e.g. "27m05s".
	Human     string `json:"total"`
	Resources int    `json:"resources"`
	// AccountsCreated are new accounts (adopted ones are imports and take
	// no creation slot); AccountWaves is how many rounds of at most
	// AccountConcurrency creations they need.
	AccountsCreated    int           `json:"accountsCreated"`
	AccountsAdopted    int           `json:"accountsAdopted"`
	AccountConcurrency int           `json:"accountConcurrency"`
	AccountWaves       int           `json:"accountWaves"`
	Phases             []PhaseTiming `json:"phases"`
	// CriticalPath is the chain of resources that determines Total, first
	// to last; each step waits for the one before it along Via.
	CriticalPath []Timing `json:"criticalPath"`
	// Timings are every resource's start and finish, by URN.
	Timings map[string]Timing `json:"-"`
	// Assumptions list the model's figures, for the report.
	Assumptions []string `json:"assumptions"`
}

type node struct {
	urn      string
	ready    time.Duration
	pending  int
	critFrom string
	critKind string
}

// readyQueue orders nodes by ready time, then URN, so the simulation is
// deterministic.
type readyQueue []*node

func (q readyQueue) Len() int { return len(q) }
func (q readyQueue) Less(i, j int) bool {
	if q[i].ready != q[j].ready {
		return q[i].ready < q[j].ready
	}
	return q[i].urn < q[j].urn
}
func (q readyQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *readyQueue) Push(x any)   { *q = append(*q, x.(*node)) }
func (q *readyQueue) Pop() any {
	old := *q
	n := old[len(old)-1]
	*q = old[:len(old)-1]
	return n
}

// pool is a limited number of slots (account creations in flight, engine
// workers); each slot remembers when it frees and who holds it.
type pool struct {
	free   []time.Duration
	holder []string
}

func newPool(n int) *pool {
	if n <= 0 {
		return nil
	}
	return &pool{free: make([]time.Duration, n), holder: make([]string, n)}
}

// take returns the slot that frees first, its free time and last holder.
func (p *pool) take() (int, time.Duration, string) {
	best := 0
	for i := range p.free {
		if p.free[i] < p.free[best] {
			best = i
		}
	}
	return best, p.free[best], p.holder[best]
}

// Estimate simulates the deployment of the recorded resources under model.
// Operations start as soon as everything they wait for has finished and an
// engine worker is free (at most Parallelism in flight), and at most
// AccountConcurrency account creations run at once, first come first
// served.
func (m Model) Estimate(resources []recorder.Resource) (Estimate, error) {
	g, err := NewGraph(resources)
	if err != nil {
		return Estimate{}, err
	}
	out := make(map[string]*node, len(g.Order))
	succ := map[string][]Edge{}
	for _, urn := range g.Order {
		out[urn] = &node{urn: urn, pending: len(g.In[urn])}
		for _, e := range g.In[urn] {
			succ[e.From] = append(succ[e.From], e)
		}
	}
	accounts, workers := newPool(m.AccountConcurrency), newPool(m.Parallelism)
	timings := map[string]Timing{}
	q := &readyQueue{}
	for _, urn := range g.Order {
		if out[urn].pending == 0 {
			heap.Push(q, out[urn])
		}
	}
	est := Estimate{Resources: len(g.Order), AccountConcurrency: m.AccountConcurrency}
	for q.Len() > 0 {
		n := heap.Pop(q).(*node)
		r := g.Nodes[n.urn]
		imported := r.ImportID != ""
		d := m.DurationOf(r.Type, r.Custom, imported)
		start := n.ready
		wait := func(p *pool, kind string) func(time.Duration) {
			if p == nil {
				return func(time.Duration) {}
			}
			slot, free, holder := p.take()
			if free > start {
				start, n.critFrom, n.critKind = free, holder, kind
			}
			return func(finish time.Duration) { p.free[slot], p.holder[slot] = finish, n.urn }
		}
		var release []func(time.Duration)
		if r.Custom {
			release = append(release, wait(workers, EdgeParallelism))
		}
		if r.Type == AccountType && r.Custom {
			if imported {
				est.AccountsAdopted++
			} else {
				est.AccountsCreated++
				release = append(release, wait(accounts, EdgeAccountSlot))
			}
		}
		finish := start + d.Time
		for _, f := range release {
			f(finish)
		}
		timings[n.urn] = Timing{URN: n.urn, Type: r.Type, Name: r.Name, Start: start, Finish: finish,
			Via: n.critKind, Source: d.Source, StartSeconds: secs(start), FinishSeconds: secs(finish)}
		for _, e := range succ[n.urn] {
			s := out[e.To]
			if finish > s.ready || s.critFrom == "" {
				s.ready, s.critFrom, s.critKind = finish, n.urn, e.Kind
			}
			s.pending--
			if s.pending == 0 {
				heap.Push(q, s)
			}
		}
	}
	if len(timings) != len(g.Order) {
		var stuck []string
		for _, urn := range g.Order {
			if _, ok := timings[urn]; !ok {
				stuck = append(stuck, urn)
			}
		}
		return Estimate{}, fmt.Errorf("deploytime: dependency cycle through %s", strings.Join(stuck, ", "))
	}
	est.Timings = timings

	// The path ends at the custom resource that finishes last (components
	// finish with their last child, so they never finish later).
	last := ""
	for _, urn := range g.Order {
		t := timings[urn]
		if t.Finish > est.Total {
			est.Total = t.Finish
		}
		if g.Nodes[urn].Custom && (last == "" || t.Finish > timings[last].Finish) {
			last = urn
		}
	}
	if last != "" {
		var path []Timing
		for urn := last; urn != ""; urn = out[urn].critFrom {
			path = append(path, timings[urn])
		}
		for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
			path[i], path[j] = path[j], path[i]
		}
		path[0].Via = ""
		est.CriticalPath = path
	}
	est.TotalSeconds, est.Human = secs(est.Total), Human(est.Total)
	if m.AccountConcurrency > 0 {
		est.AccountWaves = (est.AccountsCreated + m.AccountConcurrency - 1) / m.AccountConcurrency
	}
	est.Phases = phases(g, timings, est.CriticalPath)
	est.Assumptions = m.assumptions(g)
	return est, nil
}

// PhaseOf assigns a resource to a phase of the timeline; components and
// unknown types return "".
func PhaseOf(g *Graph, r recorder.Resource) string {
	if !r.Custom {
		return ""
	}
	switch {
	case strings.HasPrefix(r.Type, "pulumi:providers:"):
		for _, e := range g.In[r.URN] {
			if g.Nodes[e.From].Type == AccountType {
				return PhaseAccounts
			}
		}
		return PhaseOrganization
	case r.Type == AccountType:
		return PhaseAccounts
	case strings.HasPrefix(r.Type, "aws:organizations/"):
		return PhaseOrganization
	case r.Type == "aws:ec2/flowLog:FlowLog":
		return PhaseLogging
	case strings.HasPrefix(r.Type, "aws:ec2/"):
		return PhaseNetwork
	}
	return PhaseLogging
}

func phaseDescription(name string) string {
	switch name {
	case PhaseOrganization:
		return "tier OUs, SCPs and their attachments in the management account"
	case PhaseAccounts:
		return "member accounts (at most 5 creations in progress) and the providers that assume a role in them"
	case PhaseNetwork:
		return "VPCs, subnets, gateways, route tables and routes inside each account"
	case PhaseLogging:
		return "flow-log groups, delivery roles, flow logs and any log-archive resources"
	}
	return ""
}

func phases(g *Graph, timings map[string]Timing, critical []Timing) []PhaseTiming {
	byName := map[string]*PhaseTiming{}
	var out []PhaseTiming
	for _, name := range Phases() {
		byName[name] = &PhaseTiming{Name: name, Description: phaseDescription(name)}
	}
	for _, urn := range g.Order {
		p := byName[PhaseOf(g, g.Nodes[urn])]
		if p == nil {
			continue
		}
		t := timings[urn]
		if p.Resources == 0 || t.Start < p.Start {
			p.Start = t.Start
		}
		if t.Finish > p.End {
			p.End = t.Finish
		}
		p.Resources++
	}
	for _, t := range critical {
		if p := byName[PhaseOf(g, g.Nodes[t.URN])]; p != nil {
			p.OnCritical += t.Finish - t.Start
		}
	}
	for _, name := range Phases() {
		p := byName[name]
		if p.Resources == 0 {
			continue
		}
		p.StartSeconds, p.EndSeconds, p.CriticalSecs = secs(p.Start), secs(p.End), secs(p.OnCritical)
		out = append(out, *p)
	}
	return out
}

// assumptions lists the durations of the types present in the graph.
func (m Model) assumptions(g *Graph) []string {
	seen := map[string]bool{}
	var out []string
	for _, urn := range g.Order {
		r := g.Nodes[urn]
		if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") || seen[r.Type] {
			continue
		}
		seen[r.Type] = true
		d := m.DurationOf(r.Type, true, false)
		out = append(out, fmt.Sprintf("%s: %s (%s)", r.Type, Human(d.Time), d.Source))
	}
	sort.Strings(out)
	out = append(out, fmt.Sprintf("providers: %s (%s)", Human(m.Provider.Time), m.Provider.Source))
	out = append(out, fmt.Sprintf("account creations in progress at once: %d (%s)", m.AccountConcurrency, AccountConcurrencySource))
	switch {
	case m.Parallelism == DefaultParallelism(RunnerCPUs):
		out = append(out, fmt.Sprintf("engine parallelism: %d operations (pulumi up --parallel default: 4 x CPUs since v3.104, PR #15016; %d CPUs assumed)", m.Parallelism, RunnerCPUs))
	case m.Parallelism > 0:
		out = append(out, fmt.Sprintf("engine parallelism: %d operations (pulumi up --parallel)", m.Parallelism))
	default:
		out = append(out, "engine parallelism: unbounded")
	}
	return out
}

func secs(d time.Duration) int { return int(d / time.Second) }

// Human formats a duration as minutes and seconds, e.g. "27m05s".
func Human(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
}
