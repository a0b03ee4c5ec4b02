package netplan

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBlock(t *testing.T) {
	super := netip.MustParsePrefix("10.128.0.0/9")
	b, err := Block(super, 12, 3)
	require.NoError(t, err)
	assert.Equal(t, "10.176.0.0/12", b.String())
	b, err = Block(b, 15, 7)
	require.NoError(t, err)
	assert.Equal(t, "10.190.0.0/15", b.String())
	_, err = Block(super, 12, 8)
	assert.ErrorContains(t, err, "outside 10.128.0.0/9")
	_, err = Block(super, 8, 0)
	assert.Error(t, err)
}

// TestAllocate: blocks are unique, inside the pool, clear of taken CIDRs,
// independent of key order, and pinned keys keep theirs.
func TestAllocate(t *testing.T) {
	pool := netip.MustParsePrefix("10.136.0.0/15")
	taken := []netip.Prefix{netip.MustParsePrefix("10.136.0.0/20")}
	keys := []string{"c", "a", "b", "d", "e"}
	got, err := Allocate(pool, 21, keys, nil, taken)
	require.NoError(t, err)
	require.Len(t, got, 5)
	seen := map[netip.Prefix]bool{}
	for k, p := range got {
		assert.True(t, pool.Contains(p.Addr()) && p.Bits() == 21, k)
		assert.False(t, p.Overlaps(taken[0]), k)
		assert.False(t, seen[p], k)
		seen[p] = true
	}
	again, err := Allocate(pool, 21, []string{"e", "d", "c", "b", "a"}, nil, taken)
	require.NoError(t, err)
	assert.Equal(t, got, again)
	pinned := map[string]netip.Prefix{"a": netip.MustParsePrefix("10.137.248.0/21")}
	kept, err := Allocate(pool, 21, keys, pinned, taken)
	require.NoError(t, err)
	assert.Equal(t, pinned["a"], kept["a"])

	_, err = Allocate(netip.MustParsePrefix("10.0.0.0/20"), 21, []string{"x", "y", "z"}, nil, nil)
	assert.ErrorContains(t, err, "is full")
}
