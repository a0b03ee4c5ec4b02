package landingzone

import "slices"

// CustomerStackSettings are the settings of one customer's stack in the
// sharded layout: the organization stack's, narrowed to what that stack
// deploys (the customer alone, its own decommissioning, its tier's
// retention override) and made a customer stack by ref. Every writer of a
// customer stack's config (the fleet, the operator's manifests, the
// fingerprints) uses it, so they write the same config, and a customer
// joining or leaving the fleet changes no other customer stack's config.
func CustomerStackSettings(org Settings, tierKey string, ref CustomerStackRef) Settings {
	s := org
	s.Customers = []string{ref.Customer}
	s.Decommission = nil
	if slices.Contains(org.Decommission, ref.Customer) {
		s.Decommission = []string{ref.Customer}
	}
	s.Retention = nil
	if r, ok := org.Retention[tierKey]; ok {
		s.Retention = map[string]RetentionOverride{tierKey: r}
	}
	// The operators' subscriptions live in the organization stack.
	s.OperatorEmails = nil
	s.CustomerStack = &ref
	return s
}
