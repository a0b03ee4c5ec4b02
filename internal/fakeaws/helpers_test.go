package fakeaws

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

const mgmt = DefaultManagementAccount

// testOptions is a fresh cloud with fast account creation.
func testOptions(t *testing.T) Options {
	t.Helper()
	return Options{Dir: t.TempDir(), AccountCreateDelay: 10 * time.Millisecond}
}

func toStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := marshal("test", fromPlain(m))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fromStruct(t *testing.T, s *structpb.Struct) map[string]any {
	t.Helper()
	pm, err := unmarshal("test", s)
	if err != nil {
		t.Fatal(err)
	}
	return toPlain(pm)
}

// newServer is a configured provider: cfg are the provider's inputs.
func newServer(t *testing.T, o Options, cfg map[string]any) *Server {
	t.Helper()
	s, err := NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	if cfg == nil {
		cfg = map[string]any{"region": "us-east-1"}
	}
	if _, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: toStruct(t, cfg)}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return s
}

// memberServer is a provider assuming the access role in account.
func memberServer(t *testing.T, o Options, account string) *Server {
	t.Helper()
	return newServer(t, o, map[string]any{
		"region":            "us-east-1",
		"assumeRole":        map[string]any{"roleArn": "arn:aws:iam::" + account + ":role/" + DefaultAccessRole, "sessionName": "test"},
		"allowedAccountIds": []any{account},
		"defaultTags":       map[string]any{"tags": map[string]any{"customer": "acme"}},
	})
}

func urnOf(typ, name string) string {
	return "urn:pulumi:test::tierzone::" + typ + "::" + name
}

// check runs Check and returns the checked inputs and failures.
func check(t *testing.T, s *Server, typ, name string, olds, news map[string]any) (map[string]any, []*pulumirpc.CheckFailure) {
	t.Helper()
	resp, err := s.Check(context.Background(), &pulumirpc.CheckRequest{Urn: urnOf(typ, name), Olds: toStruct(t, olds), News: toStruct(t, news)})
	if err != nil {
		t.Fatalf("Check %s: %v", typ, err)
	}
	return fromStruct(t, resp.Inputs), resp.Failures
}

// create runs Check (which must pass) and a real Create.
func create(t *testing.T, s *Server, typ, name string, in map[string]any) (string, map[string]any, error) {
	t.Helper()
	checked, fails := check(t, s, typ, name, nil, in)
	if len(fails) > 0 {
		t.Fatalf("Check %s %s: %v", typ, name, fails)
	}
	resp, err := s.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urnOf(typ, name), Properties: toStruct(t, checked)})
	if err != nil {
		return "", nil, err
	}
	return resp.Id, fromStruct(t, resp.Properties), nil
}

// mustCreate is create that must succeed.
func mustCreate(t *testing.T, s *Server, typ, name string, in map[string]any) (string, map[string]any) {
	t.Helper()
	id, out, err := create(t, s, typ, name, in)
	if err != nil {
		t.Fatalf("Create %s %s: %v", typ, name, err)
	}
	return id, out
}

// wantErr checks that err mentions every fragment.
func wantErr(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error with %q, got none", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Fatalf("error %q does not mention %q", err, f)
		}
	}
}

func del(t *testing.T, s *Server, typ, id string) error {
	t.Helper()
	_, err := s.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: urnOf(typ, "x"), Id: id})
	return err
}

func diff(t *testing.T, s *Server, typ string, olds, news map[string]any, ignore ...string) *pulumirpc.DiffResponse {
	t.Helper()
	resp, err := s.Diff(context.Background(), &pulumirpc.DiffRequest{Urn: urnOf(typ, "x"), Id: "id", Olds: toStruct(t, olds),
		OldInputs: toStruct(t, olds), News: toStruct(t, news), IgnoreChanges: ignore})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// newMember creates a member account through the management provider and
// returns its id and a provider working in it.
func newMember(t *testing.T, o Options, mgmtSrv *Server, name string) (string, *Server) {
	t.Helper()
	id, _ := mustCreate(t, mgmtSrv, tAccount, name, map[string]any{"name": name, "email": "aws+" + name + "@example.com",
		"roleName": DefaultAccessRole, "closeOnDeletion": false})
	return id, memberServer(t, o, id)
}

// network builds a VPC with one subnet in a member account.
type network struct {
	vpc, subnet, igw, rtb string
}

func newNetwork(t *testing.T, s *Server) network {
	t.Helper()
	var n network
	n.vpc, _ = mustCreate(t, s, tVpc, "vpc", map[string]any{"cidrBlock": "10.1.0.0/16"})
	n.subnet, _ = mustCreate(t, s, tSubnet, "public", map[string]any{"vpcId": n.vpc, "cidrBlock": "10.1.0.0/24", "availabilityZone": "us-east-1a"})
	n.igw, _ = mustCreate(t, s, tIgw, "igw", map[string]any{"vpcId": n.vpc})
	n.rtb, _ = mustCreate(t, s, tRouteTable, "rt", map[string]any{"vpcId": n.vpc})
	return n
}

func isComputed(t *testing.T, s *structpb.Struct, key string) bool {
	t.Helper()
	pm, err := unmarshal("test", s)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := pm[resource.PropertyKey(key)]
	return ok && v.IsComputed()
}
