package netplan

import (
	"net/netip"
	"testing"
)

func TestDeriveSeedLayout(t *testing.T) {
	l, err := Derive("10.4.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name, cidr string
		role       Role
		az         int
	}{
		{"public", "10.4.0.0/24", Public, 0},
		{"private-1", "10.4.1.0/24", Private, 0},
		{"private-2", "10.4.2.0/24", Private, 1},
	}
	if len(l.Subnets) != len(want) {
		t.Fatalf("got %d subnets, want %d", len(l.Subnets), len(want))
	}
	for i, w := range want {
		s := l.Subnets[i]
		if s.Name != w.name || s.CIDR.String() != w.cidr || s.Role != w.role || s.AZIndex != w.az {
			t.Errorf("subnet %d = %+v, want %+v", i, s, w)
		}
	}
	if got := l.Subnets[0].Usable(); got != 251 {
		t.Errorf("usable addresses in a /24 = %d, want 251", got)
	}
}

func TestDeriveSmallVPCs(t *testing.T) {
	cases := map[string][]string{
		"10.9.0.0/20":     {"10.9.0.0/24", "10.9.1.0/24", "10.9.2.0/24"},
		"172.16.4.0/22":   {"172.16.4.0/24", "172.16.5.0/24", "172.16.6.0/24"},
		"192.168.10.0/23": {"192.168.10.0/25", "192.168.10.128/25", "192.168.11.0/25"},
		"10.0.0.0/24":     {"10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26"},
	}
	for cidr, want := range cases {
		l, err := Derive(cidr)
		if err != nil {
			t.Fatalf("%s: %v", cidr, err)
		}
		for i, w := range want {
			if got := l.Subnets[i].CIDR.String(); got != w {
				t.Errorf("%s subnet %d = %s, want %s", cidr, i, got, w)
			}
		}
	}
}

func TestParseVPCRejects(t *testing.T) {
	for _, bad := range []string{"", "10.0.0.0", "10.0.0.1/16", "10.0.0.0/8", "10.0.0.0/15", "10.0.0.0/25", "8.8.0.0/16", "fd00::/48", "172.32.0.0/16", "10.0.0.0/33"} {
		if _, err := ParseVPC(bad); err == nil {
			t.Errorf("ParseVPC(%q) accepted a bad CIDR", bad)
		}
	}
}

// FuzzDerive checks that no input makes Derive panic, and that every layout
// it returns has its subnets inside the VPC, non-overlapping, and of a size
// AWS accepts.
func FuzzDerive(f *testing.F) {
	for _, s := range []string{"10.0.0.0/16", "10.1.0.0/16", "172.16.0.0/24", "192.168.0.0/23", "10.255.255.0/24", "10.0.0.1/16", "::/0", "garbage"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cidr string) {
		l, err := Derive(cidr)
		if err != nil {
			return
		}
		checkLayout(t, l)
	})
}

// FuzzDeriveBytes drives Derive with well-formed CIDRs built from raw
// numbers, so the fuzzer spends its time on valid layouts.
func FuzzDeriveBytes(f *testing.F) {
	f.Add(uint32(0x0a000000), uint8(16))
	f.Add(uint32(0xc0a8ff00), uint8(24))
	f.Fuzz(func(t *testing.T, addr uint32, bits uint8) {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(addr >> 24), byte(addr >> 16), byte(addr >> 8), byte(addr)}), int(bits%33)).Masked()
		l, err := Derive(p.String())
		if err != nil {
			return
		}
		checkLayout(t, l)
	})
}

func checkLayout(t *testing.T, l Layout) {
	t.Helper()
	if len(l.Subnets) != 3 {
		t.Fatalf("%s: %d subnets, want 3", l.VPC, len(l.Subnets))
	}
	for i, s := range l.Subnets {
		if !l.VPC.Contains(s.CIDR.Addr()) || s.CIDR.Bits() < l.VPC.Bits() {
			t.Fatalf("%s: subnet %s lies outside the VPC", l.VPC, s.CIDR)
		}
		if s.CIDR.Bits() > MaxSubnetPrefix || s.CIDR.Bits() < MinPrefix {
			t.Fatalf("%s: subnet %s has a size AWS rejects", l.VPC, s.CIDR)
		}
		if s.CIDR.Masked() != s.CIDR {
			t.Fatalf("%s: subnet %s has host bits", l.VPC, s.CIDR)
		}
		for _, o := range l.Subnets[i+1:] {
			if s.CIDR.Overlaps(o.CIDR) {
				t.Fatalf("%s: subnets %s and %s overlap", l.VPC, s.CIDR, o.CIDR)
			}
		}
	}
}
