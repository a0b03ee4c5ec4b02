//go:build engine

package engine

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/validation"
)

// accountIDs are the ids of the Account resources in a state, and of the
// account records in the cloud.
func stateAccounts(t *testing.T, r *automation.Runner) []string {
	var out []string
	for _, sr := range state(t, r) {
		if sr.Type == typeAccount {
			out = append(out, sr.ID)
		}
	}
	slices.Sort(out)
	return out
}

func cloudAccounts(t *testing.T, e *env) ([]string, map[string]int) {
	var ids []string
	emails := map[string]int{}
	for _, rec := range recordsByKey(t, e.cloud) {
		if rec.Type == typeAccount {
			ids = append(ids, rec.ID)
			emails[fmt.Sprint(rec.Outputs["email"])]++
		}
	}
	slices.Sort(ids)
	return ids, emails
}

// TestAccountCreationFailureConverges: the 7th account creation fails, so
// up fails; every account AWS created is in the state (none orphaned); a
// rerun without the fault creates the rest, with no duplicate and none
// missing.
func TestAccountCreationFailureConverges(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, map[string]string{"FAKEAWS_FAIL_CREATE": typeAccount + "#7"})
	s := e.stackSettings("prod")
	require.Len(t, s.Customers, 10)
	_, err := e.runner("prod", s, nil).Up(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fakeaws: injected failure")

	r := e.runner("prod", s, nil)
	inCloud, _ := cloudAccounts(t, e)
	assert.Equal(t, inCloud, stateAccounts(t, r), "after the failure, the state knows exactly the accounts AWS created")
	assert.GreaterOrEqual(t, len(inCloud), 6, "the six accounts before the failed one were created")
	assert.Less(t, len(inCloud), 10)

	// The failed update wrote no customers output, but its accounts are
	// protected in the state: dropping one of those customers is refused.
	before := snapshot(t, e.cloud)
	dropped := s
	dropped.Customers = slices.Clone(s.Customers[1:])
	_, err = e.runner("prod", dropped, nil).Up(ctx)
	var ve *validation.Error
	require.ErrorAs(t, err, &ve, "removing %s after a failed first up", s.Customers[0])
	assert.Contains(t, err.Error(), fmt.Sprintf("customer %q", s.Customers[0]))
	assertUntouched(t, before, snapshot(t, e.cloud), "refused removal after a failed up")

	delete(e.vars, "FAKEAWS_FAIL_CREATE")
	r = e.runner("prod", s, nil)
	up, err := r.Up(ctx)
	require.NoError(t, err)
	onlyCreates(t, up)
	inCloud, emails := cloudAccounts(t, e)
	assert.Len(t, inCloud, 10)
	assert.Equal(t, inCloud, stateAccounts(t, r))
	for email, n := range emails {
		assert.Equal(t, 1, n, "e-mail %s used by %d accounts", email, n)
	}
	assert.Len(t, up.Customers, 10)
	e.assertCloudMatchesState(r, up)
	again, err := r.Preview(ctx)
	require.NoError(t, err)
	assert.Zero(t, changed(again), "%v", again.Changes)
}

// TestAccountCreationsStayWithinTheQuota: the fake fails a 6th concurrent
// CreateAccount as Organizations does; at the engine's default
// parallelism and at --parallel 64, for 10 and 25 customers, the creation
// chain keeps at most 5 in flight, and does reach 5. Each creation takes
// 3 s so that creations really overlap, and the engine skips its
// intermediate checkpoints: they only slow every step down (and with it
// the pressure on the quota), and this test reads no intermediate state.
func TestAccountCreationsStayWithinTheQuota(t *testing.T) {
	for _, n := range []int{10, 25} {
		for _, parallel := range []int{0, 64} {
			t.Run(fmt.Sprintf("%d-customers-parallel-%d", n, parallel), func(t *testing.T) {
				ctx := context.Background()
				e := newEnv(t, map[string]string{"FAKEAWS_ACCOUNT_CREATE_SECONDS": "3", "PULUMI_SKIP_CHECKPOINTS": "true"})
				catalog, err := cost.ScaleCatalog(customers.Catalog(), n)
				require.NoError(t, err)
				s := e.stackSettings("dev")
				s.Customers = nil
				for _, c := range catalog {
					s.Customers = append(s.Customers, c.Key)
				}
				r := e.runner("dev", s, catalog, func(o *automation.Options) { o.Parallel = parallel })
				up, err := r.Up(ctx)
				require.NoError(t, err)
				assert.Len(t, up.Customers, n)
				st, err := e.cloud.Stats()
				require.NoError(t, err)
				assert.Equal(t, 5, st.MaxAccountCreationsInFlight, "account creations in flight at once")
				assert.Equal(t, n, st.Creates[typeAccount], "accounts created: %v", slices.Sorted(maps.Keys(st.Creates)))
			})
		}
	}
}
