package tiers_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/tierzone/tierzone/tiers"
)

// TestPackTemplates: every pack's template is valid YAML that AWS Config
// would take (within its size and rule quotas), holds exactly the managed
// rules mapped to its framework with that framework's requirement ids,
// and is the same bytes every time.
func TestPackTemplates(t *testing.T) {
	prefix := map[string]string{tiers.PackPCIDSS: "PCI DSS ", tiers.PackHIPAA: "HIPAA 164.3", tiers.PackFedRAMP: "NIST 800-53 ", tiers.PackCIS: "CIS "}
	ident := regexp.MustCompile(`^[A-Z0-9_]+$`)
	name := regexp.MustCompile(`^[a-z0-9-]+$`)
	ids, names := map[string]bool{}, map[string]bool{}
	for _, r := range tiers.PackRules() {
		assert.Regexp(t, ident, r.Identifier)
		assert.Regexp(t, name, r.Name)
		assert.False(t, ids[r.Identifier], "%s twice", r.Identifier)
		assert.False(t, names[r.Name], "%s twice", r.Name)
		ids[r.Identifier], names[r.Name] = true, true
		assert.NotEmpty(t, r.Controls, "%s maps to no framework", r.Identifier)
		for pack, c := range r.Controls {
			assert.True(t, strings.HasPrefix(c, prefix[pack]), "%s in %s: %q", r.Identifier, pack, c)
		}
	}
	for _, p := range tiers.ConformancePacks() {
		body, err := p.Template()
		require.NoError(t, err, p.Key)
		again, _ := p.Template()
		assert.Equal(t, body, again, "%s is deterministic", p.Key)
		assert.LessOrEqual(t, len(body), tiers.MaxConformancePackTemplateBytes, p.Key)
		var doc struct {
			Resources map[string]struct {
				Type       string `yaml:"Type"`
				Properties struct {
					ConfigRuleName  string            `yaml:"ConfigRuleName"`
					InputParameters map[string]string `yaml:"InputParameters"`
					Source          struct {
						Owner            string `yaml:"Owner"`
						SourceIdentifier string `yaml:"SourceIdentifier"`
					} `yaml:"Source"`
				} `yaml:"Properties"`
			} `yaml:"Resources"`
		}
		require.NoError(t, yaml.Unmarshal([]byte(body), &doc), p.Key)
		n, err := p.Rules()
		require.NoError(t, err)
		assert.Len(t, doc.Resources, n, p.Key)
		assert.LessOrEqual(t, n, tiers.MaxRulesPerConformancePack)
		assert.GreaterOrEqual(t, n, 20, "%s checks too little to stand for its framework", p.Key)
		for _, r := range tiers.PackRules() {
			_, in := r.Controls[p.Key]
			found := false
			for _, res := range doc.Resources {
				if res.Properties.Source.SourceIdentifier == r.Identifier {
					found = true
					assert.Equal(t, "AWS::Config::ConfigRule", res.Type)
					assert.Equal(t, "AWS", res.Properties.Source.Owner)
					assert.Equal(t, r.Name, res.Properties.ConfigRuleName)
					for k, v := range r.Params {
						assert.Equal(t, v, res.Properties.InputParameters[k], "%s %s", r.Identifier, k)
					}
				}
			}
			assert.Equal(t, in, found, "%s in %s", r.Identifier, p.Key)
		}
	}
	// The flow-log rule checks ALL traffic, what every VPC's flow logs capture.
	body, _ := tiers.ConformancePacks()[0].Template()
	assert.Contains(t, body, "trafficType: 'ALL'")
}
