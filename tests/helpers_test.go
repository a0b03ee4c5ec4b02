// Package tests holds Tierzone's mock-based unit tests: the real program run
// under the SDK's mock monitor, asserting on the whole recorded graph.
package tests

import (
	"errors"
	"path/filepath"
	"runtime"
	"sort"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/stackconfig"
	"github.com/tierzone/tierzone/validation"
)

// Resource type tokens the tests look for.
const (
	tAccount     = "aws:organizations/account:Account"
	tOU          = "aws:organizations/organizationalUnit:OrganizationalUnit"
	tPolicy      = "aws:organizations/policy:Policy"
	tAttachment  = "aws:organizations/policyAttachment:PolicyAttachment"
	tVPC         = "aws:ec2/vpc:Vpc"
	tSubnet      = "aws:ec2/subnet:Subnet"
	tNAT         = "aws:ec2/natGateway:NatGateway"
	tEIP         = "aws:ec2/eip:Eip"
	tVGW         = "aws:ec2/vpnGateway:VpnGateway"
	tVGWProp     = "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation"
	tRoute       = "aws:ec2/route:Route"
	tRouteTable  = "aws:ec2/routeTable:RouteTable"
	tRTA         = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	tIGW         = "aws:ec2/internetGateway:InternetGateway"
	tFlowLog     = "aws:ec2/flowLog:FlowLog"
	tLogGroup    = "aws:cloudwatch/logGroup:LogGroup"
	tRole        = "aws:iam/role:Role"
	tRolePolicy  = "aws:iam/rolePolicy:RolePolicy"
	tDefaultSG   = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	tAWSProvider = "pulumi:providers:aws"
)

// repoRoot is the repository root (the tests live one level below it).
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate test file")
	}
	return filepath.Dir(filepath.Dir(file))
}

// stackConfig loads Pulumi.<stack>.yaml as the engine would pass it.
func stackConfig(t *testing.T, stack string) map[string]string {
	t.Helper()
	cfg, err := stackconfig.Load(stackconfig.File(repoRoot(t), stack), recorder.Project)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// graph is a recorded plan with lookups.
type graph struct {
	all   []recorder.Resource
	byURN map[string]recorder.Resource
}

func newGraph(rs []recorder.Resource) *graph {
	g := &graph{all: rs, byURN: map[string]recorder.Resource{}}
	for _, r := range rs {
		g.byURN[r.URN] = r
	}
	return g
}

// run executes the real program with the catalog and stack config.
func run(t *testing.T, stack string, cfg map[string]string, catalog []customers.Customer) *graph {
	t.Helper()
	rec, err := recorder.Run(stack, cfg, landingzone.Program(catalog))
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	return newGraph(rec.Resources())
}

// catalogConfig is a stack's config with its customer selection removed, so
// a test catalog is deployed whole.
func catalogConfig(t *testing.T, stack string) map[string]string {
	t.Helper()
	cfg := stackConfig(t, stack)
	delete(cfg, "tierzone:customers")
	return cfg
}

// runStack runs the built-in catalog with a committed stack's settings.
func runStack(t *testing.T, stack string) *graph {
	t.Helper()
	return run(t, stack, stackConfig(t, stack), customers.Catalog())
}

// runInvalid runs a program expected to fail validation; it returns the
// problems and fails the test if anything was registered.
func runInvalid(t *testing.T, cfg map[string]string, catalog []customers.Customer) []validation.Problem {
	t.Helper()
	rec, err := recorder.Run("test", cfg, landingzone.Program(catalog))
	if err == nil {
		t.Fatal("program accepted invalid input")
	}
	if n := len(rec.Resources()); n != 0 {
		t.Fatalf("invalid input registered %d resources; want none", n)
	}
	var ve *validation.Error
	if !errors.As(err, &ve) {
		t.Fatalf("error is %T (%v), want *validation.Error", err, err)
	}
	return ve.Problems
}

func (g *graph) ofType(typ string) []recorder.Resource {
	var out []recorder.Resource
	for _, r := range g.all {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

func (g *graph) count(typ string) int { return len(g.ofType(typ)) }

// customerOf returns the customer key a resource belongs to: the name of the
// nearest CustomerAccount or CustomerVPC component above it ("" if none).
func (g *graph) customerOf(r recorder.Resource) string {
	if customerComponent(r.Type) {
		return r.Name
	}
	for p := r.Parent; p != ""; {
		parent, ok := g.byURN[p]
		if !ok {
			return ""
		}
		if customerComponent(parent.Type) {
			return parent.Name
		}
		p = parent.Parent
	}
	return ""
}

// customerComponent: the components named by a customer key that hold
// what lives in (or is) the customer's account.
func customerComponent(typ string) bool {
	return typ == components.CustomerVPCType || typ == components.CustomerAccountType || typ == components.AccountConfigType ||
		typ == components.AccountBaselineType ||
		typ == components.CustomerObservabilityType || typ == components.CustomerAccessType ||
		typ == components.CustomerBudgetType || typ == components.ShieldAdvancedType || typ == components.CustomerConnectionType
}

// forCustomer returns the customer's resources of a type.
func (g *graph) forCustomer(key, typ string) []recorder.Resource {
	var out []recorder.Resource
	for _, r := range g.ofType(typ) {
		if g.customerOf(r) == key {
			out = append(out, r)
		}
	}
	return out
}

// one returns the single resource of a type for a customer.
func (g *graph) one(t *testing.T, key, typ string) recorder.Resource {
	t.Helper()
	rs := g.forCustomer(key, typ)
	if len(rs) != 1 {
		t.Fatalf("%s: %d resources of type %s, want 1", key, len(rs), typ)
	}
	return rs[0]
}

// oneInVPC returns the single resource of a type in a customer's VPC
// component (its account baseline has keys and roles of its own).
func (g *graph) oneInVPC(t *testing.T, key, typ string) recorder.Resource {
	t.Helper()
	var out []recorder.Resource
	for _, r := range g.forCustomer(key, typ) {
		if parent, ok := g.byURN[r.Parent]; ok && parent.Type == components.CustomerVPCType {
			out = append(out, r)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%s: %d resources of type %s in its VPC component, want 1", key, len(out), typ)
	}
	return out[0]
}

// named returns the resource of a type with a logical name.
func (g *graph) named(t *testing.T, typ, name string) recorder.Resource {
	t.Helper()
	for _, r := range g.ofType(typ) {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no %s named %q", typ, name)
	return recorder.Resource{}
}

// byID finds a resource by its mock physical id.
func (g *graph) byID(id string) (recorder.Resource, bool) {
	for _, r := range g.all {
		if r.ID == id && r.Custom {
			return r, true
		}
	}
	return recorder.Resource{}, false
}

func str(r recorder.Resource, key string) string {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok {
		return ""
	}
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

func num(r recorder.Resource, key string) float64 {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok || !v.IsNumber() {
		return -1
	}
	return v.NumberValue()
}

func boolean(r recorder.Resource, key string) (bool, bool) {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok || !v.IsBool() {
		return false, false
	}
	return v.BoolValue(), true
}

func tags(r recorder.Resource) map[string]string {
	out := map[string]string{}
	v, ok := r.Inputs["tags"]
	if !ok || !v.IsObject() {
		return out
	}
	for k, tv := range v.ObjectValue() {
		if tv.IsString() {
			out[string(k)] = tv.StringValue()
		}
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
