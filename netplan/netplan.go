// Package netplan derives a customer VPC's subnet layout from its CIDR.
//
// The seed layout for a 10.X.0.0/16 VPC is one public subnet 10.X.0.0/24 in
// the first availability zone and two private subnets 10.X.1.0/24 and
// 10.X.2.0/24 in the first and second zones. The layout here generalises that
// rule to any VPC from /16 to /24: subnets are /24 when the VPC has room for
// at least four of them (VPC /16 to /22), otherwise each subnet is a quarter of
// the VPC (/23 gives /25, /24 gives /26). Subnet i is always the i-th block of
// that size, so the layout depends only on the VPC CIDR and never shifts when
// other customers change.
package netplan

import (
	"fmt"
	"net/netip"
)

// VPC prefix lengths the layout supports. AWS accepts /16 to /28 for a VPC
// (CreateVpc: "The allowed block size is between a /16 netmask (65,536 IP
// addresses) and /28 netmask (16 IP addresses)"), but three subnets of at
// least /26 need a /24 or larger.
const (
	MinPrefix = 16
	MaxPrefix = 24
	// MaxSubnetPrefix is the smallest subnet AWS allows (/28, CreateSubnet docs).
	MaxSubnetPrefix = 28
	// ReservedPerSubnet is the number of addresses AWS reserves in every
	// subnet: the first four and the last (VPC user guide, "Subnet CIDR blocks").
	ReservedPerSubnet = 5
)

// Role is what a subnet is for.
type Role string

const (
	Public  Role = "public"
	Private Role = "private"
)

// Subnet is one subnet of the layout.
type Subnet struct {
	// Name is the stable suffix used in resource names: public, private-1, private-2.
	Name string
	Role Role
	CIDR netip.Prefix
	// AZIndex is 0 for the first availability zone, 1 for the second.
	AZIndex int
}

// Usable is the number of addresses EC2 can assign in the subnet.
func (s Subnet) Usable() int { return 1<<(32-s.CIDR.Bits()) - ReservedPerSubnet }

// Layout is the derived network plan of one VPC.
type Layout struct {
	VPC     netip.Prefix
	Subnets []Subnet
}

// Public returns the public subnets.
func (l Layout) Public() []Subnet { return l.byRole(Public) }

// Private returns the private subnets.
func (l Layout) Private() []Subnet { return l.byRole(Private) }

func (l Layout) byRole(r Role) []Subnet {
	var out []Subnet
	for _, s := range l.Subnets {
		if s.Role == r {
			out = append(out, s)
		}
	}
	return out
}

// slot is one subnet of the seed layout: its name, role and zone; its block
// index is its position.
type slot struct {
	name string
	role Role
	az   int
}

// seedLayout is the seed layout: 1 public + 2 private subnets over 2 zones.
func seedLayout() []slot {
	return []slot{
		{"public", Public, 0},
		{"private-1", Private, 0},
		{"private-2", Private, 1},
	}
}

// ParseVPC parses and checks a VPC CIDR: IPv4, no host bits set, a prefix
// length the layout supports, inside RFC 1918 private space.
func ParseVPC(cidr string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR block (want e.g. 10.0.0.0/16): %w", cidr, err)
	}
	if !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("%q is not IPv4; VPC primary CIDR blocks are IPv4", cidr)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("%q has host bits set; did you mean %s?", cidr, p.Masked())
	}
	if p.Bits() < MinPrefix || p.Bits() > MaxPrefix {
		return netip.Prefix{}, fmt.Errorf("%q is a /%d; the VPC must be /%d to /%d (AWS allows /16 at most, and three subnets need at least a /%d)", cidr, p.Bits(), MinPrefix, MaxPrefix, MaxPrefix)
	}
	if !isRFC1918(p) {
		return netip.Prefix{}, fmt.Errorf("%q is not in private address space (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)", cidr)
	}
	return p, nil
}

func isRFC1918(p netip.Prefix) bool {
	for _, r := range []netip.Prefix{
		netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, 0}), 8),
		netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 16, 0, 0}), 12),
		netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 168, 0, 0}), 16),
	} {
		if r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// SubnetBits is the prefix length of the subnets of a VPC with the given
// prefix length: /24 where at least four fit, else a quarter of the VPC.
func SubnetBits(vpcBits int) int {
	if vpcBits <= 22 {
		return 24
	}
	return vpcBits + 2
}

// Derive returns the layout of a VPC CIDR, or an error naming what is wrong.
func Derive(cidr string) (Layout, error) {
	vpc, err := ParseVPC(cidr)
	if err != nil {
		return Layout{}, err
	}
	bits := SubnetBits(vpc.Bits())
	l := Layout{VPC: vpc}
	for i, p := range seedLayout() {
		sub, err := nthSubnet(vpc, bits, i)
		if err != nil {
			return Layout{}, err
		}
		l.Subnets = append(l.Subnets, Subnet{Name: p.name, Role: p.role, CIDR: sub, AZIndex: p.az})
	}
	return l, nil
}

// nthSubnet returns block n of size /bits inside vpc.
func nthSubnet(vpc netip.Prefix, bits, n int) (netip.Prefix, error) {
	if bits < vpc.Bits() || bits > MaxSubnetPrefix {
		return netip.Prefix{}, fmt.Errorf("cannot cut /%d subnets from %s", bits, vpc)
	}
	if n < 0 || n >= 1<<(bits-vpc.Bits()) {
		return netip.Prefix{}, fmt.Errorf("%s has no subnet #%d of size /%d", vpc, n, bits)
	}
	a := vpc.Addr().As4()
	base := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	base += uint32(n) << (32 - bits)
	addr := netip.AddrFrom4([4]byte{byte(base >> 24), byte(base >> 16), byte(base >> 8), byte(base)})
	return netip.PrefixFrom(addr, bits), nil
}
