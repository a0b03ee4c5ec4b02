package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
)

const (
	tShieldSub = "aws:shield/subscription:Subscription"
	tShieldPro = "aws:shield/protection:Protection"
)

// TestShieldOnlyWhenOptedIn: without tierzone:shieldAdvanced nothing of
// Shield is registered; with it, each Gov-Federal account (and only those)
// is subscribed through its own provider, never cancelled by a delete, and
// its NAT Elastic IP protected.
func TestShieldOnlyWhenOptedIn(t *testing.T) {
	cfg := catalogConfig(t, "prod")
	off := run(t, "prod", cfg, customers.Catalog())
	assert.Empty(t, off.ofType(tShieldSub))
	assert.Empty(t, off.ofType(tShieldPro))

	cfg["tierzone:shieldAdvanced"] = "true"
	on := run(t, "prod", cfg, customers.Catalog())
	subs := on.ofType(tShieldSub)
	require.Len(t, subs, 2)
	var keys []string
	for _, s := range subs {
		key := on.customerOf(s)
		keys = append(keys, key)
		assert.Equal(t, key+"-aws", on.byURN[s.ProviderURN].Name, "subscribed in the customer's own account")
		skip, _ := boolean(s, "skipDestroy")
		assert.True(t, skip, "a delete must not try to cancel a 1-year commitment")
		assert.Equal(t, "ENABLED", str(s, "autoRenew"))
		p := on.one(t, key, tShieldPro)
		eip := on.oneInVPC(t, key, tEIP)
		acct := on.one(t, key, tAccount)
		assert.Equal(t, "arn:aws:ec2:us-east-1:"+acct.ID+":eip-allocation/"+eip.ID, str(p, "resourceArn"), key)
	}
	assert.ElementsMatch(t, []string{"techgov-federal", "statecorp-govfed"}, keys)
	// Opting in changes no other resource.
	for _, r := range off.all {
		a, ok := on.byURN[r.URN]
		require.True(t, ok, r.URN)
		assert.True(t, a.Inputs.DeepEquals(r.Inputs), "%s changed when Shield was switched on", r.URN)
	}
}
