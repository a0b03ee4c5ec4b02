//go:build engine

package engine

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShieldUnderTheEngine: dev with tierzone:shieldAdvanced true
// subscribes its Gov-Federal account and protects its NAT Elastic IP, in
// that account; switching the setting off deletes the protection but only
// lets go of the subscription, which AWS keeps for its commitment.
func TestShieldUnderTheEngine(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.stackSettings("dev")
	s.ShieldAdvanced = true
	up, err := e.runner("dev", s, nil).Up(ctx)
	require.NoError(t, err)
	gov := ""
	for key, c := range up.Customers {
		if c.Tier == "gov-federal" {
			gov = key
		}
	}
	require.NotEmpty(t, gov, "dev deploys a Gov-Federal customer")
	acct := up.Customers[gov].AccountID
	count := func(typ string) map[string]int {
		rs, err := e.cloud.ByType(typ)
		require.NoError(t, err)
		out := map[string]int{}
		for _, r := range rs {
			out[r.Account]++
		}
		return out
	}
	assert.Equal(t, map[string]int{acct: 1}, count("aws:shield/subscription:Subscription"), "only the Gov-Federal account is subscribed")
	assert.Equal(t, map[string]int{acct: 1}, count("aws:shield/protection:Protection"), "its NAT Elastic IP is protected")

	s.ShieldAdvanced = false
	res, err := e.runner("dev", s, nil).Up(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, res.Changes["delete"], "the component, its protection and (from the state only) its subscription: %v", res.Changes)
	assert.Empty(t, count("aws:shield/protection:Protection"))
	assert.Equal(t, map[string]int{acct: 1}, count("aws:shield/subscription:Subscription"), "the subscription outlives the stack's interest in it")
}
