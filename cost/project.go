package cost

import (
	"fmt"
	"maps"
	"sort"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/deploytime"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/tiers"
)

// TierCount is how many customers of a tier a projection has.
type TierCount struct {
	Tier  string `json:"tier"`
	Count int    `json:"count"`
}

// Apportion scales the catalog's tier mix to n customers with the
// largest-remainder method: each tier gets the whole part of its exact
// share, and the customers left over go to the largest remainders (ties:
// the tier with more catalog customers, then tiers.All order). The result
// is deterministic and sums to n; tiers absent from the catalog get none.
func Apportion(catalog []customers.Customer, n int) ([]TierCount, error) {
	if n < 1 {
		return nil, fmt.Errorf("cost: projection needs at least 1 customer, got %d", n)
	}
	if len(catalog) == 0 {
		return nil, fmt.Errorf("cost: cannot project an empty catalog")
	}
	have := map[string]int{}
	for _, c := range catalog {
		have[c.Tier]++
	}
	type share struct {
		order, have, count int
		rem                int // remainder numerator, over len(catalog)
		tier               string
	}
	var shares []*share
	total := 0
	for i, t := range tiers.All() {
		if have[t.Key] == 0 {
			continue
		}
		s := &share{order: i, have: have[t.Key], tier: t.Key}
		s.count = n * s.have / len(catalog)
		s.rem = n * s.have % len(catalog)
		total += s.count
		shares = append(shares, s)
	}
	if len(shares) == 0 {
		return nil, fmt.Errorf("cost: the catalog has no customer in a known tier")
	}
	byRem := append([]*share(nil), shares...)
	sort.SliceStable(byRem, func(i, j int) bool {
		a, b := byRem[i], byRem[j]
		if a.rem != b.rem {
			return a.rem > b.rem
		}
		if a.have != b.have {
			return a.have > b.have
		}
		return a.order < b.order
	})
	for i := 0; total < n; i++ {
		byRem[i%len(byRem)].count++
		total++
	}
	var out []TierCount
	for _, s := range shares {
		out = append(out, TierCount{Tier: s.tier, Count: s.count})
	}
	return out, nil
}

// ScaleCatalog returns n customers in the catalog's tier mix: each tier's
// catalog customers first, in catalog order, then generated ones named
// "<tier>-<i>" with a 10.x.0.0/16 VPC from the tier's quarter of 10/8
// (CIDRs may repeat across customers: each VPC lives in its own account),
// each like the tier's catalog customers in turn (region, NAT choice, and
// connectivity, then with a CIDR IPAM allocates).
// A customer's key and CIDR depend on its tier and index only, so two
// projections never disagree about a customer they share.
func ScaleCatalog(catalog []customers.Customer, n int) ([]customers.Customer, error) {
	mix, err := Apportion(catalog, n)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, c := range catalog {
		used[c.Key] = true
	}
	var out []customers.Customer
	for _, tc := range mix {
		var own []customers.Customer
		for _, c := range catalog {
			if c.Tier == tc.Tier {
				own = append(own, c)
			}
		}
		t, _ := tiers.Lookup(tc.Tier)
		for i := 0; i < tc.Count; i++ {
			if i < len(own) {
				c := own[i]
				c.Tags = maps.Clone(c.Tags)
				out = append(out, c)
				continue
			}
			key := fmt.Sprintf("%s-%d", tc.Tier, i+1)
			for used[key] {
				key += "-p"
			}
			used[key] = true
			c := customers.Customer{
				Key:     key,
				Name:    fmt.Sprintf("Projected %s %d", t.DisplayName, i+1),
				Tier:    tc.Tier,
				VPCCIDR: generatedCIDR(tc.Tier, i),
			}
			if len(own) > 0 {
				// Like the tier's catalog customers, in turn: connected
				// ones are connected too, in the same region, with a CIDR
				// IPAM allocates (a generated one would overlap).
				like := own[i%len(own)]
				c.Region, c.NATGateway = like.Region, like.NATGateway
				if like.Connectivity {
					c.Connectivity, c.VPCCIDR = true, ""
				}
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// generatedCIDR gives the i-th customer of a tier a /16 from its tier's
// quarter of 10.0.0.0/8, so it depends on the tier and index only, never on
// the other tiers' counts.
func generatedCIDR(tier string, i int) string {
	q := 0
	for n, t := range tiers.All() {
		if t.Key == tier {
			q = n
		}
	}
	return fmt.Sprintf("10.%d.0.0/16", (q*64+i)%256)
}

// Projection is the plan, cost and deployment time of n customers.
type Projection struct {
	Customers int                 `json:"customers"`
	Mix       []TierCount         `json:"mix"`
	Resources int                 `json:"resources"`
	Cost      Report              `json:"cost"`
	Deploy    deploytime.Estimate `json:"deploy"`
}

// ProjectOptions configure Project. The zero value uses DefaultOptions,
// deploytime.DefaultModel and DefaultProjectConfig.
type ProjectOptions struct {
	Cost *Options
	// Model is the deployment-time model; nil: deploytime.DefaultModel().
	Model *deploytime.Model
	// Config is the stack config the program runs with (full keys, e.g.
	// "tierzone:organizationRootId"); its customer selection is dropped,
	// since the projection deploys every generated customer. Nil:
	// DefaultProjectConfig.
	Config map[string]string
}

// DefaultProjectConfig is a stack config good enough to run the program.
func DefaultProjectConfig() map[string]string {
	ns := landingzone.ConfigNamespace + ":"
	return map[string]string{
		// The organization id the log archive restricts deliveries to.
		ns + "organizationId":                   "o-tzproject1",
		ns + landingzone.KeyOrganizationRootID:  "r-proj",
		ns + landingzone.KeySecurityAccountID:   "999999999999",
		ns + landingzone.KeyAccountEmailMailbox: "aws-accounts@tierzone.example",
		ns + landingzone.KeyProtect:             "true",
	}
}

// Project scales the catalog's tier mix to n customers, runs the real
// program on them under the recorder and prices and times the result.
func Project(catalog []customers.Customer, n int, opts ProjectOptions) (Projection, error) {
	cs, err := ScaleCatalog(catalog, n)
	if err != nil {
		return Projection{}, err
	}
	cfg := DefaultProjectConfig()
	if opts.Config != nil {
		cfg = maps.Clone(opts.Config)
	}
	delete(cfg, landingzone.ConfigNamespace+":"+landingzone.KeyCustomers)
	co := DefaultOptions()
	if opts.Cost != nil {
		co = *opts.Cost
	}
	if co.Retention == nil {
		if co.Retention, err = RetentionFromConfig(cs, cfg); err != nil {
			return Projection{}, fmt.Errorf("cost: projection of %d customers: %w", n, err)
		}
	}
	model := deploytime.DefaultModel()
	if opts.Model != nil {
		model = *opts.Model
	}
	rec, err := recorder.Run("projection", cfg, landingzone.Program(cs))
	if err != nil {
		return Projection{}, fmt.Errorf("cost: projection of %d customers: %w", n, err)
	}
	res := rec.Resources()
	rep, err := Compute(res, co)
	if err != nil {
		return Projection{}, err
	}
	est, err := model.Estimate(res)
	if err != nil {
		return Projection{}, err
	}
	mix, _ := Apportion(catalog, n)
	return Projection{Customers: n, Mix: mix, Resources: len(res), Cost: rep, Deploy: est}, nil
}

// RetentionFromConfig returns each tier's effective retention for a
// catalog and stack config: the tier's promise with the stack's
// tierzone:retention overrides applied, exactly as the program resolves it.
func RetentionFromConfig(catalog []customers.Customer, cfg map[string]string) (map[string]tiers.Retention, error) {
	s, err := landingzone.FromConfig(func(key string) (string, bool) {
		v, ok := cfg[landingzone.ConfigNamespace+":"+key]
		return v, ok
	})
	if err != nil {
		return nil, err
	}
	plan, err := landingzone.Resolve(catalog, s)
	if err != nil {
		return nil, err
	}
	return RetentionOf(plan), nil
}

// RetentionOf returns the effective retention of every tier of a plan.
func RetentionOf(plan *landingzone.Plan) map[string]tiers.Retention {
	out := map[string]tiers.Retention{}
	for _, t := range plan.Tiers {
		out[t.Tier.Key] = t.Retention
	}
	return out
}

// ForStack prices a recorded plan with a stack's settings: people and
// operations costs from its config (ParamsFromConfig), each tier's
// retention with the stack's overrides (RetentionFromConfig), us-east-1
// prices. catalog is the catalog the plan was built from.
func ForStack(resources []recorder.Resource, catalog []customers.Customer, cfg map[string]string) (Report, error) {
	params, err := ParamsFromConfig(cfg)
	if err != nil {
		return Report{}, err
	}
	retention, err := RetentionFromConfig(catalog, cfg)
	if err != nil {
		return Report{}, fmt.Errorf("cost: %w", err)
	}
	return Compute(resources, Options{Prices: USEast1(), Params: params, Retention: retention})
}
