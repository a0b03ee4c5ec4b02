package main

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
)

type mocks struct{ registered *[]string }

func (m mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	*m.registered = append(*m.registered, args.TypeToken+" "+args.Name)
	return args.Name + "-id", args.Inputs, nil
}

func (mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) { return args.Args, nil }

// construct runs fn as a component provider's construct would, under mocks,
// and returns what it registered.
func construct(t *testing.T, fn func(ctx *pulumi.Context) error) ([]string, error) {
	t.Helper()
	var registered []string
	err := pulumi.RunErr(fn, pulumi.WithMocks("tierzone", "test", mocks{&registered}))
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
