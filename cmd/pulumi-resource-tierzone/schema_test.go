package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/landingzone"
)

// servedSchema is the schema the provider serves, as `pulumi package
// get-schema` prints it, indented.
func servedSchema(t *testing.T) []byte {
	t.Helper()
	prov, err := Provider()
	if err != nil {
		t.Fatal(err)
	}
	server, err := integration.NewServer(context.Background(), Name, semver.MustParse(Version), integration.WithProvider(prov))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetSchema(p.GetSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(resp.Schema), "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// TestSchemaIsPinned: a change to a component's inputs or outputs changes
// the schema users' SDKs are generated from; it must show up here, in
// schema.json, reviewed. TIERZONE_UPDATE_SCHEMA=1 rewrites the file.
func TestSchemaIsPinned(t *testing.T) {
	got := servedSchema(t)
	if os.Getenv("TIERZONE_UPDATE_SCHEMA") == "1" {
		if err := os.WriteFile("schema.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the served schema differs from schema.json; review the change and run TIERZONE_UPDATE_SCHEMA=1 go test ./... in cmd/pulumi-resource-tierzone\n%s", firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return "line " + strconv.Itoa(i+1) + ":\n- " + w[i] + "\n+ " + g[i]
		}
	}
	return "lengths differ"
}

// TestSchemaUsesTheGoTypeTokens: the package's resources are the Go
// library's components under their own type tokens, so a stack can move
// between the Go program and a YAML one without replacing anything.
func TestSchemaUsesTheGoTypeTokens(t *testing.T) {
	var s struct {
		Name      string `json:"name"`
		Resources map[string]struct {
			IsComponent     bool                       `json:"isComponent"`
			InputProperties map[string]json.RawMessage `json:"inputProperties"`
			RequiredInputs  []string                   `json:"requiredInputs"`
			Properties      map[string]json.RawMessage `json:"properties"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(servedSchema(t), &s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "tierzone" {
		t.Errorf("package name %q, want tierzone", s.Name)
	}
	want := map[string]struct{ required, outputs []string }{
		components.TierOUType:          {[]string{"parentId", "tier"}, []string{"ouId"}},
		components.CustomerAccountType: {[]string{"customer", "parentId"}, []string{"accountId", "roleArn"}},
		components.CustomerVPCType:     {[]string{"accountId", "archiveDestination", "customer"}, []string{"privateSubnetIds", "publicSubnetIds", "vpcId"}},
		landingzone.LandingZoneType:    {[]string{"customers", "settings"}, []string{"archiveBuckets", "controls", "customers", "tiers"}},
		components.LogArchiveType:      {[]string{"accountId", "managementAccountId", "organizationId", "securityAccountId", "tierOuIds"}, []string{"buckets"}},
	}
	for token, w := range want {
		r, ok := s.Resources[token]
		if !ok {
			t.Errorf("schema has no %s", token)
			continue
		}
		if !r.IsComponent {
			t.Errorf("%s is not a component", token)
		}
		req := slices.Sorted(slices.Values(r.RequiredInputs))
		if !slices.Equal(req, w.required) {
			t.Errorf("%s requires %v, want %v", token, req, w.required)
		}
		var outs []string
		for k := range r.Properties {
			outs = append(outs, k)
		}
		slices.Sort(outs)
		if !slices.Equal(outs, w.outputs) {
			t.Errorf("%s outputs %v, want %v", token, outs, w.outputs)
		}
		// Tier-driven: no retention, SCP or subnet numbers as inputs.
		for in := range r.InputProperties {
			for _, banned := range []string{"retention", "Days", "policies", "subnets", "layout"} {
				if strings.Contains(in, banned) {
					t.Errorf("%s takes %q: tier rules must come from the tier key", token, in)
				}
			}
		}
	}
	if len(s.Resources) != len(want) {
		t.Errorf("schema has %d resources, want %d", len(s.Resources), len(want))
	}
}
