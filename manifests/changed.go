package manifests

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// MaxMatrixJobs is GitHub Actions' limit: "A matrix will generate a
// maximum of 256 jobs per workflow run" (workflow syntax,
// jobs.<job_id>.strategy.matrix).
const MaxMatrixJobs = 256

// Changes are the stacks a pull request changes: its head's fingerprints
// against its base's.
type Changes struct {
	Stack string `json:"stack"`
	// Everything, when set, says why every stack is selected: no usable
	// base, or a change to the program that every stack is built with.
	Everything string `json:"everything,omitempty"`
	// Organization: the organization stack changed.
	Organization bool `json:"organization"`
	// Added, Modified and Removed customers, sorted. A removed customer's
	// stack is not previewed (the fleet no longer knows it); the
	// organization stack's preview shows its account leaving.
	Added    []string `json:"added"`
	Modified []string `json:"modified"`
	Removed  []string `json:"removed"`
	// all are the head's customers, for Everything.
	all []string
}

// Changed compares a pull request's head with its base. A nil base (none,
// unreadable, another format or another stack) selects every stack.
func Changed(base, head *Fingerprints) Changes {
	c := Changes{Stack: head.Stack, Added: []string{}, Modified: []string{}, Removed: []string{}}
	for k := range head.Customers {
		c.all = append(c.all, k)
	}
	slices.Sort(c.all)
	switch {
	case base == nil || base.Version != head.Version:
		c.Everything = "the base has no fingerprints to compare with"
	case base.Stack != head.Stack:
		c.Everything = fmt.Sprintf("the base's fingerprints are of stack %s, not %s", base.Stack, head.Stack)
	case base.Program != head.Program:
		c.Everything = "the program changed (its modules, the policy pack or Pulumi.yaml)"
	}
	if c.Everything != "" {
		c.Organization = true
		return c
	}
	c.Organization = base.Organization != head.Organization
	for _, k := range c.all {
		switch old, ok := base.Customers[k]; {
		case !ok:
			c.Added = append(c.Added, k)
		case old != head.Customers[k]:
			c.Modified = append(c.Modified, k)
		}
	}
	for k := range base.Customers {
		if _, ok := head.Customers[k]; !ok {
			c.Removed = append(c.Removed, k)
		}
	}
	slices.Sort(c.Removed)
	return c
}

// Selected are the customers whose stacks to preview, sorted.
func (c Changes) Selected() []string {
	if c.Everything != "" {
		return slices.Clone(c.all)
	}
	return slices.Sorted(slices.Values(append(slices.Clone(c.Added), c.Modified...)))
}

// Any reports whether any stack changed.
func (c Changes) Any() bool {
	return c.Organization || len(c.Selected()) > 0 || len(c.Removed) > 0
}

// Summary is one line for people.
func (c Changes) Summary() string {
	if c.Everything != "" {
		return fmt.Sprintf("stack %s: every stack selected: %s (%d customers)", c.Stack, c.Everything, len(c.all))
	}
	if !c.Any() {
		return fmt.Sprintf("stack %s: no stack changed", c.Stack)
	}
	parts := []string{}
	if c.Organization {
		parts = append(parts, "organization stack changed")
	}
	for _, p := range []struct {
		what string
		keys []string
	}{{"added", c.Added}, {"modified", c.Modified}, {"removed", c.Removed}} {
		if len(p.keys) > 0 {
			parts = append(parts, fmt.Sprintf("%s: %s", p.what, strings.Join(p.keys, ", ")))
		}
	}
	return fmt.Sprintf("stack %s: %s", c.Stack, strings.Join(parts, "; "))
}

// Batches splits keys, in order, into at most maxJobs contiguous batches
// of sizes differing by at most one: one key per job while they fit, else
// as few per job as the limit allows. maxJobs < 1 means MaxMatrixJobs, and
// it is never more.
func Batches(keys []string, maxJobs int) [][]string {
	if maxJobs < 1 || maxJobs > MaxMatrixJobs {
		maxJobs = MaxMatrixJobs
	}
	if len(keys) == 0 {
		return nil
	}
	jobs := min(len(keys), maxJobs)
	size, extra := len(keys)/jobs, len(keys)%jobs
	out := make([][]string, 0, jobs)
	for i := 0; i < len(keys); {
		n := size
		if len(out) < extra {
			n++
		}
		out = append(out, slices.Clone(keys[i:i+n]))
		i += n
	}
	return out
}

// Matrix is a GitHub Actions matrix with one entry per batch: customers
// is the batch as `tierzone preview --customers` takes it.
type Matrix struct {
	Include []MatrixEntry `json:"include"`
}

// MatrixEntry is one job of the matrix.
type MatrixEntry struct {
	Customers string `json:"customers"`
}

// NewMatrix is the matrix of the batches.
func NewMatrix(batches [][]string) Matrix {
	m := Matrix{Include: []MatrixEntry{}}
	for _, b := range batches {
		m.Include = append(m.Include, MatrixEntry{Customers: strings.Join(b, ",")})
	}
	return m
}

// Selection is what `tierzone changed` prints: the changes, the customers
// to preview and the matrix of their jobs.
type Selection struct {
	Changes
	Any       bool     `json:"any"`
	Customers []string `json:"customers"`
	Matrix    Matrix   `json:"matrix"`
}

// Select is the selection of changes in at most maxJobs jobs.
func Select(c Changes, maxJobs int) Selection {
	keys := c.Selected()
	if keys == nil {
		keys = []string{}
	}
	return Selection{Changes: c, Any: c.Any(), Customers: keys, Matrix: NewMatrix(Batches(keys, maxJobs))}
}

// GitHubOutput renders the selection as `name=value` lines for
// $GITHUB_OUTPUT: any, organization, customers (JSON list) and matrix
// (JSON, for fromJSON).
func (s Selection) GitHubOutput() (string, error) {
	customers, err := json.Marshal(s.Customers)
	if err != nil {
		return "", err
	}
	matrix, err := json.Marshal(s.Matrix)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("any=%t\norganization=%t\ncustomers=%s\nmatrix=%s\n", s.Any, s.Organization, customers, matrix), nil
}
