// Package gencatalog generates valid customer catalogs of any size, the
// same for every test and benchmark that plans a fleet: n customers spread
// over the four tiers in turn, keys cust-00000..., CIDRs 10.<i mod 256>.0.0/16
// (repeating every 256 customers, which is allowed: every VPC has its own
// account). The product never imports it.
package gencatalog

import (
	"fmt"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
)

// Customers returns n generated customers.
func Customers(n int) []customers.Customer {
	all := tiers.All()
	out := make([]customers.Customer, n)
	for i := range out {
		out[i] = customers.Customer{
			Key:     fmt.Sprintf("cust-%05d", i),
			Name:    fmt.Sprintf("Generated Customer %d", i),
			Tier:    all[i%len(all)].Key,
			VPCCIDR: fmt.Sprintf("10.%d.0.0/16", i%256),
		}
	}
	return out
}

// Connected returns n generated customers for a stack with a network hub:
// keys net-00000..., over the four tiers in turn and each tier's allowed
// regions in turn, every one connected, with no vpcCidr (IPAM allocates).
func Connected(n int) []customers.Customer {
	all := tiers.All()
	out := make([]customers.Customer, n)
	for i := range out {
		t := all[i%len(all)]
		out[i] = customers.Customer{
			Key:          fmt.Sprintf("net-%05d", i),
			Name:         fmt.Sprintf("Connected Customer %d", i),
			Tier:         t.Key,
			Region:       t.AllowedRegions[(i/len(all))%len(t.AllowedRegions)],
			Connectivity: true,
		}
	}
	return out
}
