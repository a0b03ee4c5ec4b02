package stackconfig

import (
	"slices"
	"strings"
	"testing"
)

func TestParseAsTheEnginePassesConfig(t *testing.T) {
	cfg, err := Parse([]byte(`
config:
  tierzone:protect: true
  organizationRootId: r-abcd
  tierzone:customers: [a, b]
  tierzone:retention: {fintech: {archiveDays: 3653}}
  aws:region: us-east-1
`), "tierzone")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"tierzone:protect":            "true",
		"tierzone:organizationRootId": "r-abcd",
		"tierzone:customers":          `["a","b"]`,
		"tierzone:retention":          `{"fintech":{"archiveDays":3653}}`,
		"aws:region":                  "us-east-1",
	}
	if len(cfg) != len(want) {
		t.Errorf("got %v", cfg)
	}
	for k, v := range want {
		if cfg[k] != v {
			t.Errorf("%s = %q, want %q", k, cfg[k], v)
		}
	}
	if got := UnknownKeys(cfg, "tierzone", []string{"protect", "customers", "retention"}); !slices.Equal(got, []string{"tierzone:organizationRootId"}) {
		t.Errorf("unknown keys %v", got)
	}
}

func TestParseRejectsSecretsAndBadYAML(t *testing.T) {
	if _, err := Parse([]byte("config:\n  tierzone:mailbox:\n    secure: AAABAG==\n"), "tierzone"); err == nil || !strings.Contains(err.Error(), "secret") {
		t.Errorf("secret accepted: %v", err)
	}
	if _, err := Parse([]byte("config: [unclosed"), "tierzone"); err == nil {
		t.Error("malformed YAML accepted")
	}
}
