package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
)

// construct runs fn as a component provider's construct would, under the
// recorder (the offline plan's mock monitor), and returns what it
// registered as "type name".
func construct(t *testing.T, fn func(ctx *pulumi.Context) error) ([]string, error) {
	t.Helper()
	rec := recorder.New(recorder.Project, "test")
	err := pulumi.RunErr(fn, pulumi.WithMocks(recorder.Project, "test", rec))
	var registered []string
	for _, r := range rec.Resources() {
		registered = append(registered, r.Type+" "+r.Name)
	}
	return registered, err
}

// TestConstructReportsTheProgramsValidationErrors: a YAML user's bad
// customer gets the Go program's own messages, every problem at once, and
// nothing is registered.
func TestConstructReportsTheProgramsValidationErrors(t *testing.T) {
	bad := Customer{Key: "Bad_Key", Name: "", Tier: "fintech", VpcCidr: "10.0.0.0/8"}
	region := "eu-west-1"
	bad.Region = &region
	_, goErr := landingzone.ResolveCustomer(bad.catalogEntry(), landingzone.Defaults())
	if goErr == nil {
		t.Fatal("the Go resolver accepts the bad customer")
	}
	if err := customers.Validate([]customers.Customer{bad.catalogEntry()}, customers.Options{}); err == nil || !strings.Contains(goErr.Error(), err.Error()) {
		t.Fatalf("ResolveCustomer's error %q does not carry the catalog validation's %v", goErr, err)
	}
	for _, tc := range []struct {
		name string
		fn   func(ctx *pulumi.Context) error
	}{
		{"CustomerVPC", func(ctx *pulumi.Context) error {
			_, err := (&CustomerVPC{}).Construct(ctx, "bad", "tierzone:network:CustomerVPC", CustomerVPCArgs{
				Customer: bad, AccountId: pulumi.String("123456789012"), ArchiveDestination: pulumi.String("arn:aws:s3:::b/fintech/bad/"),
			}, nil)
			return err
		}},
		{"CustomerAccount", func(ctx *pulumi.Context) error {
			_, err := (&CustomerAccount{}).Construct(ctx, "bad", "tierzone:org:CustomerAccount", CustomerAccountArgs{
				Customer: bad, ParentId: pulumi.String("ou-abcd-12345678"),
			}, nil)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			registered, err := construct(t, tc.fn)
			if err == nil {
				t.Fatal("construct accepted the bad customer")
			}
			for _, line := range strings.Split(goErr.Error(), "\n") {
				if !strings.Contains(err.Error(), line) {
					t.Errorf("construct's error lacks the program's %q:\n%v", line, err)
				}
			}
			for _, field := range []string{"key", "name", "vpcCidr", "region"} {
				if !strings.Contains(err.Error(), field) {
					t.Errorf("construct's error does not name field %s:\n%v", field, err)
				}
			}
			if len(registered) > 0 {
				t.Errorf("construct registered %v before failing", registered)
			}
		})
	}
	_, err := construct(t, func(ctx *pulumi.Context) error {
		_, err := (&TierOU{}).Construct(ctx, "x", "tierzone:org:TierOU", TierOUArgs{Tier: "platinum", ParentId: pulumi.String("r-ab12")}, nil)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `"platinum" is not a tier`) {
		t.Errorf("TierOU with an unknown tier: %v", err)
	}
}

// TestConstructBuildsTheTiersRules: the tier key alone decides the OU's
// name and SCP, and a Gov-Federal customer's VPC gets its tier's NAT
// gateway and flow logs with nothing but the catalog entry passed in.
func TestConstructBuildsTheTiersRules(t *testing.T) {
	registered, err := construct(t, func(ctx *pulumi.Context) error {
		ou, err := (&TierOU{}).Construct(ctx, "gov-federal", "tierzone:org:TierOU", TierOUArgs{Tier: "gov-federal", ParentId: pulumi.String("r-ab12")}, nil)
		if err != nil {
			return err
		}
		_, err = (&CustomerVPC{}).Construct(ctx, "techgov-federal", "tierzone:network:CustomerVPC", CustomerVPCArgs{
			Customer:           Customer{Key: "techgov-federal", Name: "TechGov", Tier: "gov-federal", VpcCidr: "10.4.0.0/16"},
			AccountId:          pulumi.String("444455556666"),
			ArchiveDestination: pulumi.String("arn:aws:s3:::archive/gov-federal/techgov-federal/"),
		}, pulumi.Parent(ou))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"aws:organizations/organizationalUnit:OrganizationalUnit gov-federal-ou",
		"aws:organizations/policy:Policy tierzone-gov-federal",
		"aws:ec2/vpc:Vpc techgov-federal-vpc",
		"aws:ec2/natGateway:NatGateway techgov-federal-nat",
		"aws:cloudwatch/logGroup:LogGroup techgov-federal-flow-logs",
	} {
		found := false
		for _, r := range registered {
			found = found || r == want
		}
		if !found {
			t.Errorf("registered no %s; got %v", want, registered)
		}
	}
}

// TestConstructLandingZone: the whole landing zone from a catalog and the
// stack settings by key registers what the Go program registers, and bad
// settings fail with the program's messages.
func TestConstructLandingZone(t *testing.T) {
	settings := map[string]string{
		"organizationRootId": "r-ab12", "organizationId": "o-abcdefghij", "securityAccountId": "444455556666",
		"accountEmailMailbox": "aws-accounts@example.com", "protect": "false",
	}
	acme := Customer{Key: "acme-finance", Name: "ACME Finance Inc", Tier: "fintech", VpcCidr: "10.0.0.0/16"}
	registered, err := construct(t, func(ctx *pulumi.Context) error {
		_, err := (&LandingZone{}).Construct(ctx, "tierzone", landingzone.LandingZoneType, LandingZoneArgs{Customers: []Customer{acme}, Settings: settings}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goRegistered, err := construct(t, func(ctx *pulumi.Context) error {
		s, err := landingzone.FromConfig(func(k string) (string, bool) { v, ok := settings[k]; return v, ok })
		if err != nil {
			return err
		}
		_, err = landingzone.New(ctx, "tierzone", &landingzone.Args{Catalog: []customers.Customer{acme.catalogEntry()}, Settings: s})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(registered)
	slices.Sort(goRegistered)
	if len(registered) < 100 || !slices.Equal(registered, goRegistered) {
		t.Errorf("the package's landing zone registered %d resources, the Go program %d; they differ", len(registered), len(goRegistered))
	}

	// As in the program: settings that do not parse are reported first;
	// once they parse, every missing or invalid one at once.
	for _, tc := range []struct {
		settings map[string]string
		want     []string
	}{
		{map[string]string{"protect": "maybe"}, []string{`"tierzone:protect": "maybe" is not true or false`}},
		{map[string]string{"namePrefix": "Bad Prefix"}, []string{"organizationRootId", "organizationId", "securityAccountId", "namePrefix"}},
	} {
		registered, err := construct(t, func(ctx *pulumi.Context) error {
			_, err := (&LandingZone{}).Construct(ctx, "tierzone", landingzone.LandingZoneType,
				LandingZoneArgs{Customers: []Customer{acme}, Settings: tc.settings}, nil)
			return err
		})
		for _, want := range tc.want {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("settings %v: the error does not name %s: %v", tc.settings, want, err)
			}
		}
		if len(registered) > 0 {
			t.Errorf("settings %v: registered %v before failing", tc.settings, registered)
		}
	}
}
