package manifests

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/plan"
	"github.com/tierzone/tierzone/validation"
)

// projectDir is the repository root: Pulumi.yaml and the stack files.
const projectDir = ".."

// stackSettings are a stack's settings from its Pulumi.<stack>.yaml.
func stackSettings(t *testing.T, stack string) landingzone.Settings {
	t.Helper()
	cfg, err := plan.LoadStack(projectDir, stack)
	require.NoError(t, err)
	s, err := automation.SettingsFromConfigMap(cfg)
	require.NoError(t, err)
	return s
}

func newFleet(t *testing.T, stack string, catalog []customers.Customer, s landingzone.Settings) *Fleet {
	t.Helper()
	f, err := New(stack, catalog, s)
	require.NoError(t, err)
	return f
}

// outputsFor are the "customers" outputs an organization stack of f would
// export: an account id per customer, and the archive destination.
func outputsFor(f *Fleet) map[string]automation.CustomerOutputs {
	out := map[string]automation.CustomerOutputs{}
	for i, cs := range f.Plan.Customers {
		id := fmt.Sprintf("%012d", 100000000000+i)
		if cs.Customer.Adopted() {
			id = cs.Customer.ExistingAccountID
		}
		out[cs.Customer.Key] = automation.CustomerOutputs{AccountID: id, Tier: cs.Tier.Key, ArchiveDestination: f.ArchiveDestination(cs)}
	}
	return out
}

// documents parses multi-document YAML.
func documents(t *testing.T, raw []byte) []map[string]any {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	var out []map[string]any
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, doc)
	}
}

// dig follows keys through nested maps.
func dig(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		require.True(t, ok, "%v is not a map at %q", v, k)
		v = m[k]
	}
	return v
}

// problems are a *validation.Error's problems.
func problems(t *testing.T, err error) []validation.Problem {
	t.Helper()
	var ve *validation.Error
	require.ErrorAs(t, err, &ve)
	return ve.Problems
}

// hasProblem: a problem with subject and field whose message holds text.
func hasProblem(ps []validation.Problem, subject, field, text string) bool {
	for _, p := range ps {
		if p.Subject == subject && p.Field == field && bytes.Contains([]byte(p.Message), []byte(text)) {
			return true
		}
	}
	return false
}
