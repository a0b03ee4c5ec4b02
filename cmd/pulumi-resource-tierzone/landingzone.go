package main

import (
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
)

// LandingZone serves the whole landing zone, landingzone.LandingZone, from
// a catalog and the stack settings: what the Go program builds, as one
// component.
type LandingZone struct{}

// LandingZoneArgs are LandingZone's inputs.
type LandingZoneArgs struct {
	Customers []Customer        `pulumi:"customers"`
	Settings  map[string]string `pulumi:"settings"`
}

// LandingZoneState is the component with its outputs, the Go program's
// stack outputs.
type LandingZoneState struct {
	// ComponentResource is the Go component (landingzone.LandingZone) itself.
	pulumi.ComponentResource
	Tiers          pulumi.MapOutput `pulumi:"tiers"`
	CustomerIds    pulumi.MapOutput `pulumi:"customers"`
	Controls       pulumi.MapOutput `pulumi:"controls"`
	ArchiveBuckets pulumi.MapOutput `pulumi:"archiveBuckets"`
}

// Annotate sets the Go library's type token and documents the component.
func (c *LandingZone) Annotate(a infer.Annotator) {
	a.SetToken("landingzone", "LandingZone")
	a.Describe(c, "The whole Tierzone landing zone from a customer catalog: every tier's OU and SCPs, the log archive and organization trail, the security tooling, each customer's account, VPC, baseline and observability, the dashboards. The same program `pulumi up` runs for the Go project, as one component; the aws provider it creates works in the management account with the ambient credentials.")
}

// Annotate documents the inputs.
func (a *LandingZoneArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Customers, "The catalog, validated in full before anything is registered.")
	an.Describe(&a.Settings, "The stack settings by key, as the tierzone: keys of Pulumi.<stack>.yaml without the namespace (organizationRootId, organizationId, securityAccountId, accountEmailMailbox, protect, ...); values other than strings as JSON (\"false\", '[\"acme-finance\"]').")
}

// Annotate documents the outputs.
func (s *LandingZoneState) Annotate(a infer.Annotator) {
	a.Describe(&s.Tiers, "Per tier key, its OU id.")
	a.Describe(&s.CustomerIds, "Per customer key: account, OU, VPC and subnet ids, as the Go program's customers output.")
	a.Describe(&s.Controls, "Per customer key, the control report: every control in place with its frameworks' requirement ids.")
	a.Describe(&s.ArchiveBuckets, "Per archive bucket key, the bucket's name.")
}

// Construct reads the settings and the catalog as the program does and
// builds the Go component; any problem is reported with the program's
// messages, every one at once, before anything is registered.
func (*LandingZone) Construct(ctx *pulumi.Context, name, typ string, args LandingZoneArgs, opts pulumi.ResourceOption) (*LandingZoneState, error) {
	s, err := landingzone.FromConfig(func(key string) (string, bool) {
		v, ok := args.Settings[key]
		return v, ok
	})
	if err != nil {
		return nil, err
	}
	catalog := make([]customers.Customer, 0, len(args.Customers))
	for _, c := range args.Customers {
		catalog = append(catalog, c.catalogEntry())
	}
	lz, err := landingzone.Build(ctx, name, &landingzone.Args{Catalog: catalog, Settings: s}, opts)
	if err != nil {
		return nil, err
	}
	out := lz.Outputs()
	st := &LandingZoneState{ComponentResource: lz}
	for key, field := range map[string]*pulumi.MapOutput{"tiers": &st.Tiers, "customers": &st.CustomerIds, "controls": &st.Controls, "archiveBuckets": &st.ArchiveBuckets} {
		m := pulumi.Map{}
		if v, ok := out[key].(pulumi.Map); ok {
			m = v
		}
		*field = m.ToMapOutput()
	}
	return st, nil
}
