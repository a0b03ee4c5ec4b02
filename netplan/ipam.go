package netplan

import (
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
)

// Block returns the index-th /bits block of parent: the pools of the
// network hub's address plan (tiers/network.go).
func Block(parent netip.Prefix, bits, index int) (netip.Prefix, error) {
	if bits < parent.Bits() || bits > 32 {
		return netip.Prefix{}, fmt.Errorf("a /%d block does not fit in %s", bits, parent)
	}
	n := 1 << (bits - parent.Bits())
	if index < 0 || index >= n {
		return netip.Prefix{}, fmt.Errorf("block %d of /%d is outside %s (it has %d)", index, bits, parent, n)
	}
	a := parent.Masked().Addr().As4()
	base := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v := base + uint32(index)<<(32-bits)
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), bits), nil
}

// Allocate gives each key a /bits block of pool, deterministically:
//   - a key in pinned keeps its block (what an earlier run allocated; the
//     caller has checked that it lies in pool);
//   - every other key, in key order, takes the first free block from its
//     home block (a hash of the key) onwards, wrapping around.
//
// A block is free when it overlaps neither taken (explicit CIDRs in the
// pool) nor a block already given. The result depends on the set of keys,
// never on their order; with the previous result pinned, adding or
// removing a key never moves another key's block.
func Allocate(pool netip.Prefix, bits int, keys []string, pinned map[string]netip.Prefix, taken []netip.Prefix) (map[string]netip.Prefix, error) {
	if bits < pool.Bits() || bits > 32 {
		return nil, fmt.Errorf("a /%d block does not fit in pool %s", bits, pool)
	}
	n := 1 << (bits - pool.Bits())
	used := slices.Clone(taken)
	out := map[string]netip.Prefix{}
	var fresh []string
	for _, k := range keys {
		if p, ok := pinned[k]; ok {
			out[k] = p
			used = append(used, p)
		} else {
			fresh = append(fresh, k)
		}
	}
	slices.Sort(fresh)
	for _, k := range fresh {
		home := int(HomeBlock(k) % uint32(n))
		found := false
		for i := range n {
			b, _ := Block(pool, bits, (home+i)%n)
			if !slices.ContainsFunc(used, b.Overlaps) {
				out[k], found = b, true
				used = append(used, b)
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("pool %s is full: its %d blocks of /%d are all allocated or overlap explicit CIDRs", pool, n, bits)
		}
	}
	return out, nil
}

// HomeBlock is the hash a key's search for a free block starts from
// (FNV-1a of the key).
func HomeBlock(key string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(key))
	return h.Sum32()
}
