package manifests

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
)

// fingerprints of the prod stack with a changed catalog and settings.
func fingerprintsOf(t *testing.T, catalog []customers.Customer, s landingzone.Settings) *Fingerprints {
	t.Helper()
	fp, err := Fingerprint(newFleet(t, "prod", catalog, s), "program-1")
	require.NoError(t, err)
	return fp
}

func TestFingerprintsAreDeterministic(t *testing.T) {
	s := stackSettings(t, "prod")
	a := fingerprintsOf(t, customers.Catalog(), s)
	b := fingerprintsOf(t, customers.Catalog(), s)
	assert.Equal(t, a, b)
	assert.Len(t, a.Customers, 10)
	distinct := map[string]bool{a.Organization: true}
	for _, v := range a.Customers {
		distinct[v] = true
	}
	assert.Len(t, distinct, 11, "every stack has its own fingerprint")
	// Single and sharded settings describe the same sharded fleet.
	s.Layout = landingzone.LayoutSharded
	assert.Equal(t, a, fingerprintsOf(t, customers.Catalog(), s))
}

// TestChangedSelectsTheChangedCustomers: a pull request that adds one
// customer, removes one and changes a third selects those (the removed one
// is not previewed: the organization stack shows its account leaving), and
// the organization stack; no other customer.
func TestChangedSelectsTheChangedCustomers(t *testing.T) {
	s := stackSettings(t, "prod")
	base := fingerprintsOf(t, customers.Catalog(), s)

	catalog := customers.Catalog()
	catalog[2].VPCCIDR = "10.12.0.0/16" // metabank-fintech: modified
	catalog = append(catalog, customers.Customer{Key: "newco-health", Name: "NewCo Health", Tier: "healthcare", VPCCIDR: "10.30.0.0/16"})
	head := s
	head.Customers = slices.DeleteFunc(append(slices.Clone(s.Customers), "newco-health"), func(k string) bool { return k == "techstartup-std" })
	c := Changed(base, fingerprintsOf(t, catalog, head))
	assert.Empty(t, c.Everything)
	assert.True(t, c.Organization, "an account is added and one removed")
	assert.Equal(t, []string{"newco-health"}, c.Added)
	assert.Equal(t, []string{"metabank-fintech"}, c.Modified)
	assert.Equal(t, []string{"techstartup-std"}, c.Removed)
	assert.Equal(t, []string{"metabank-fintech", "newco-health"}, c.Selected())
	assert.True(t, c.Any())
	assert.Contains(t, c.Summary(), "added: newco-health; modified: metabank-fintech; removed: techstartup-std")

	// Nothing changed: nothing selected.
	c = Changed(base, fingerprintsOf(t, customers.Catalog(), s))
	assert.False(t, c.Any())
	assert.Empty(t, c.Selected())
	assert.False(t, c.Organization)

	// A catalog entry no stack deploys changes nothing.
	catalog = customers.Catalog()
	catalog = append(catalog, customers.Customer{Key: "later-corp", Name: "Later Corp", Tier: "standard", VPCCIDR: "10.31.0.0/16"})
	assert.False(t, Changed(base, fingerprintsOf(t, catalog, s)).Any())
}

// TestChangedSettings: a setting every customer stack uses selects them
// all; one that only some tiers use selects only those customers.
func TestChangedSettings(t *testing.T) {
	s := stackSettings(t, "prod")
	base := fingerprintsOf(t, customers.Catalog(), s)

	role := s
	role.OrgAccessRoleName = "TierzoneAccessRole"
	c := Changed(base, fingerprintsOf(t, customers.Catalog(), role))
	assert.Len(t, c.Modified, 10, "the role every customer provider assumes")
	assert.True(t, c.Organization)

	retention := s
	retention.Retention = map[string]landingzone.RetentionOverride{"healthcare": {HotDays: 180}}
	c = Changed(base, fingerprintsOf(t, customers.Catalog(), retention))
	assert.Equal(t, []string{"guardian-health", "medicorp-health"}, c.Modified, "only the healthcare customers' stacks change")

	decommission := s
	decommission.Decommission = []string{"startup-standard"}
	c = Changed(base, fingerprintsOf(t, customers.Catalog(), decommission))
	assert.Equal(t, []string{"startup-standard"}, c.Modified)
	assert.True(t, c.Organization, "its account loses protection too")
}

func TestChangedEverything(t *testing.T) {
	s := stackSettings(t, "prod")
	head := fingerprintsOf(t, customers.Catalog(), s)
	all := slices.Sorted(func(yield func(string) bool) {
		for k := range head.Customers {
			if !yield(k) {
				return
			}
		}
	})
	other := *head
	other.Program = "program-2"
	otherStack := *head
	otherStack.Stack = "dev"
	for name, base := range map[string]*Fingerprints{"no base": nil, "empty base": {}, "program": &other, "another stack": &otherStack} {
		c := Changed(base, head)
		assert.NotEmpty(t, c.Everything, name)
		assert.True(t, c.Organization, name)
		assert.Equal(t, all, c.Selected(), name)
	}
}

func TestBatches(t *testing.T) {
	keys := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("c%04d", i)
		}
		return out
	}
	assert.Nil(t, Batches(nil, 256))
	assert.Len(t, Batches(keys(10), 256), 10, "one customer per job while they fit")
	assert.Len(t, Batches(keys(256), 256), 256)
	for _, tc := range []struct{ n, max, jobs, small, large int }{
		{257, 256, 256, 1, 2},
		{300, 256, 256, 1, 2},
		{1000, 256, 256, 3, 4},
		{10, 3, 3, 3, 4},
		{10000, 0, 256, 39, 40}, // 0: GitHub's limit
		{600, 1000, 256, 2, 3},  // never above GitHub's limit
		{7, -1, 7, 1, 1},
	} {
		b := Batches(keys(tc.n), tc.max)
		assert.Len(t, b, tc.jobs, "%+v", tc)
		var flat []string
		for _, batch := range b {
			assert.GreaterOrEqual(t, len(batch), tc.small, "%+v", tc)
			assert.LessOrEqual(t, len(batch), tc.large, "%+v", tc)
			flat = append(flat, batch...)
		}
		assert.Equal(t, keys(tc.n), flat, "every key once, in order: %+v", tc)
	}
}

func TestSelectMatrix(t *testing.T) {
	head := &Fingerprints{Version: FingerprintVersion, Stack: "prod", Customers: map[string]string{}}
	for i := range 300 {
		head.Customers[fmt.Sprintf("c%03d", i)] = "x"
	}
	sel := Select(Changed(nil, head), MaxMatrixJobs)
	assert.Len(t, sel.Customers, 300)
	require.Len(t, sel.Matrix.Include, MaxMatrixJobs)
	assert.Equal(t, "c000,c001", sel.Matrix.Include[0].Customers)
	out, err := sel.GitHubOutput()
	require.NoError(t, err)
	assert.Contains(t, out, "any=true\norganization=true\ncustomers=[\"c000\",")
	assert.Contains(t, out, "\nmatrix={\"include\":[{\"customers\":\"c000,c001\"}")

	none := Select(Changed(head, head), MaxMatrixJobs)
	out, err = none.GitHubOutput()
	require.NoError(t, err)
	assert.Equal(t, "any=false\norganization=false\ncustomers=[]\nmatrix={\"include\":[]}\n", out)
}
