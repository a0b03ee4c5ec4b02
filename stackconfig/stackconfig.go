// Package stackconfig reads a Pulumi.<stack>.yaml file into the config map a
// Pulumi program receives from the engine, so the offline plan and the tests
// run the program with exactly the stack's settings.
package stackconfig

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// File is the path of a stack's settings file in dir.
func File(dir, stack string) string { return filepath.Join(dir, "Pulumi."+stack+".yaml") }

// Load reads a stack settings file. Keys without a namespace are put in
// project's, as Pulumi does. Values are what the engine hands the program:
// strings as-is, everything else as JSON.
func Load(path, project string) (map[string]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read stack settings: %w", err)
	}
	return Parse(raw, project)
}

// Parse is Load on the file's contents.
func Parse(raw []byte, project string) (map[string]string, error) {
	var doc struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("parse stack settings: %w", err)
	}
	out := make(map[string]string, len(doc.Config))
	for k, v := range doc.Config {
		if !strings.Contains(k, ":") {
			k = project + ":" + k
		}
		if m, ok := v.(map[string]any); ok {
			if _, secret := m["secure"]; secret && len(m) == 1 {
				return nil, fmt.Errorf("config %s is a secret; the offline plan cannot decrypt it", k)
			}
		}
		switch val := v.(type) {
		case string:
			out[k] = val
		default:
			b, err := json.Marshal(val)
			if err != nil {
				return nil, fmt.Errorf("config %s: %w", k, err)
			}
			out[k] = string(b)
		}
	}
	return out, nil
}

// UnknownKeys returns the keys in namespace that are not in known, sorted:
// most likely typos that the program would silently ignore.
func UnknownKeys(cfg map[string]string, namespace string, known []string) []string {
	ok := map[string]bool{}
	for _, k := range known {
		ok[namespace+":"+k] = true
	}
	var out []string
	for k := range cfg {
		if strings.HasPrefix(k, namespace+":") && !ok[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
