package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/internal/enginetest"
	"github.com/tierzone/tierzone/internal/gencatalog"
	"github.com/tierzone/tierzone/plan"
)

// plansOfEveryStack builds the plan of every stack in the repo with the seed
// catalog, and the prod and hub stacks with generated catalogs, so the
// floors see every type the product registers.
func plansOfEveryStack(t *testing.T) map[string]*plan.Report {
	t.Helper()
	root, err := enginetest.RepoRoot()
	require.NoError(t, err)
	out := map[string]*plan.Report{}
	for _, stack := range plan.Stacks(root) {
		cfg, err := plan.LoadStack(root, stack)
		require.NoError(t, err)
		rep, err := plan.Build(stack, cfg, customers.Catalog())
		require.NoError(t, err, stack)
		out[stack] = rep
	}
	gen := map[string][]customers.Customer{"prod": gencatalog.Customers(24), "hub": gencatalog.Connected(24)}
	for stack, catalog := range gen {
		cfg, err := plan.LoadStack(root, stack)
		require.NoError(t, err)
		rep, err := plan.Build(stack, plan.UseCatalogFile(cfg), catalog)
		require.NoError(t, err, stack)
		out[stack+"-generated"] = rep
	}
	return out
}

// The typed floor must register every aws resource as its pulumi-aws
// struct; a type the product starts registering without an entry in
// types.go would make the floor fail, so this catches it first.
func TestFloorTypesCoverThePlans(t *testing.T) {
	typed := typedResources()
	missing := map[string]bool{}
	for _, rep := range plansOfEveryStack(t) {
		for _, r := range rep.Resources {
			if r.Custom && needsType(r.Type) && typed[r.Type] == nil {
				missing[r.Type] = true
			}
		}
	}
	var list []string
	for typ := range missing {
		list = append(list, typ)
	}
	sort.Strings(list)
	require.Empty(t, list, "add these types to typedResources in types.go")
}

// Both floors register exactly the plan's resources (all but the stack).
func TestFloorsRegisterThePlansResources(t *testing.T) {
	rep := plansOfEveryStack(t)["prod"]
	var buf bytes.Buffer
	require.NoError(t, rep.WriteJSON(&buf))
	planFile := filepath.Join(t.TempDir(), "plan.json")
	require.NoError(t, os.WriteFile(planFile, buf.Bytes(), 0o644))
	want := 0
	for _, r := range rep.Resources {
		if r.Type != "pulumi:pulumi:Stack" {
			want++
		}
	}
	for _, mode := range []string{floorBare, floorTyped} {
		var out bytes.Buffer
		require.NoError(t, floor(mode, planFile, &out), mode)
		var got struct {
			Nanos     int64 `json:"nanos"`
			Resources int   `json:"resources"`
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &got))
		require.Equal(t, want, got.Resources, mode)
		require.Positive(t, got.Nanos, mode)
	}
	require.Error(t, floor("fancy", planFile, &bytes.Buffer{}))
}
