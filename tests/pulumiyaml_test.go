package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/stackconfig"
)

type projectConfigKey struct {
	Type    string `yaml:"type"`
	Default any    `yaml:"default"`
}

func projectConfig(t *testing.T) map[string]projectConfigKey {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Name   string                      `yaml:"name"`
		Config map[string]projectConfigKey `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	if p.Name != "tierzone" {
		t.Fatalf("project name %q", p.Name)
	}
	return p.Config
}

// TestPulumiYAMLDeclaresEveryKey: Pulumi rejects a stack that sets an
// undeclared project key and requires every declared key without a default,
// so the schema must list exactly the keys the program reads, and only the
// truly required ones may lack a default.
func TestPulumiYAMLDeclaresEveryKey(t *testing.T) {
	schema := projectConfig(t)
	var declared []string
	required := map[string]bool{}
	for k, v := range schema {
		declared = append(declared, k)
		if v.Type == "" {
			t.Errorf("%s has no type", k)
		}
		if v.Default == nil {
			required[k] = true
		}
	}
	read := append(landingzone.ConfigKeys(), cost.ConfigKeys()...)
	sort.Strings(declared)
	sort.Strings(read)
	if !slices.Equal(declared, read) {
		t.Errorf("Pulumi.yaml declares %v\nthe program reads %v", declared, read)
	}
	if want := []string{"customers", "organizationId", "organizationRootId", "securityAccountId"}; !slices.Equal(keys(required), want) {
		t.Errorf("required keys (no default) %v, want %v", keys(required), want)
	}
	for _, stack := range []string{"dev", "prod"} {
		cfg, err := stackconfig.Load(stackconfig.File(repoRoot(t), stack), "tierzone")
		if err != nil {
			t.Fatal(err)
		}
		for k := range required {
			if _, ok := cfg["tierzone:"+k]; !ok {
				t.Errorf("stack %s does not set required key %s", stack, k)
			}
		}
		if unknown := stackconfig.UnknownKeys(cfg, "tierzone", read); len(unknown) > 0 {
			t.Errorf("stack %s sets undeclared keys %v", stack, unknown)
		}
	}
}

// TestSchemaDefaultsAreTheProgramDefaults: a stack that leaves an optional
// key out gets Pulumi.yaml's default from the engine; the program must then
// behave exactly as when the key is absent (the offline plan).
func TestSchemaDefaultsAreTheProgramDefaults(t *testing.T) {
	cfg := map[string]string{}
	for k, v := range projectConfig(t) {
		if v.Default == nil {
			continue
		}
		switch d := v.Default.(type) {
		case string:
			cfg["tierzone:"+k] = d
		default:
			b, err := yamlToJSON(d)
			if err != nil {
				t.Fatal(err)
			}
			cfg["tierzone:"+k] = b
		}
	}
	withDefaults, err := landingzone.FromConfig(func(k string) (string, bool) { v, ok := cfg["tierzone:"+k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	absent, err := landingzone.FromConfig(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if withDefaults.String() != absent.String() || withDefaults.NamePrefix != absent.NamePrefix ||
		withDefaults.OrgAccessRoleName != absent.OrgAccessRoleName || withDefaults.ManagementRegion != absent.ManagementRegion ||
		withDefaults.SCPMaxChars != absent.SCPMaxChars || withDefaults.SCPMaxAttachments != absent.SCPMaxAttachments ||
		withDefaults.Protect != absent.Protect || withDefaults.CustomerConnectivity != absent.CustomerConnectivity ||
		len(withDefaults.Retention) != 0 || len(withDefaults.Decommission) != 0 || withDefaults.LogArchiveAccountID != "" {
		t.Errorf("schema defaults give %+v\nabsent keys give %+v", withDefaults, absent)
	}
	params, err := cost.ParamsFromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if def := cost.DefaultParams(); params.PeopleMonthly.Value != def.PeopleMonthly.Value || params.OperationsMonthly.Value != def.OperationsMonthly.Value {
		t.Errorf("schema cost defaults %v/%v, program defaults %v/%v", params.PeopleMonthly.Value, params.OperationsMonthly.Value, def.PeopleMonthly.Value, def.OperationsMonthly.Value)
	}
}

// yamlToJSON renders a YAML default the way the engine passes structured
// config to the program: as JSON.
func yamlToJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
