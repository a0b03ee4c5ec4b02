package manifests

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/plan"
	"github.com/tierzone/tierzone/recorder"
)

// FingerprintVersion is the format of Fingerprints; a base of another
// version selects every stack.
const FingerprintVersion = 1

// Fingerprints say what each stack of a fleet would be, as hashes: a
// stack's fingerprint changes exactly when its config or anything it
// registers (type, name, parent, dependencies, provider, options, inputs)
// changes, as the offline plan records it.
type Fingerprints struct {
	Version int    `json:"version"`
	Stack   string `json:"stack"`
	// Program covers what changes every stack without showing in what it
	// registers: the modules the program is built with, the policy pack and
	// Pulumi.yaml.
	Program      string            `json:"program"`
	Organization string            `json:"organization"`
	Customers    map[string]string `json:"customers"`
}

// placeholderAccountID stands for a created account's id, which AWS
// assigns: fingerprints compare stacks offline, where no id is known.
const placeholderAccountID = "000000000000"

// Fingerprint records the organization stack and every customer stack
// under the mock monitor (package recorder) and hashes each with its
// config. program is ProgramFingerprint's.
func Fingerprint(f *Fleet, program string) (*Fingerprints, error) {
	out := &Fingerprints{Version: FingerprintVersion, Stack: f.Stack, Program: program, Customers: map[string]string{}}
	var err error
	if out.Organization, err = f.stackFingerprint(f.Stack, f.Settings); err != nil {
		return nil, err
	}
	for _, cs := range f.Plan.Customers {
		id := placeholderAccountID
		if cs.Customer.Adopted() {
			id = cs.Customer.ExistingAccountID
		}
		key := cs.Customer.Key
		if out.Customers[key], err = f.stackFingerprint(f.CustomerStack(key), f.CustomerSettings(cs, id)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recordedResource is what a fingerprint hashes of one resource.
type recordedResource struct {
	URN                  string              `json:"urn"`
	Parent               string              `json:"parent,omitempty"`
	Dependencies         []string            `json:"dependencies,omitempty"`
	PropertyDependencies map[string][]string `json:"propertyDependencies,omitempty"`
	Provider             string              `json:"provider,omitempty"`
	Protect              bool                `json:"protect,omitempty"`
	RetainOnDelete       bool                `json:"retainOnDelete,omitempty"`
	ImportID             string              `json:"importId,omitempty"`
	IgnoreChanges        []string            `json:"ignoreChanges,omitempty"`
	Aliases              []string            `json:"aliases,omitempty"`
	Inputs               map[string]any      `json:"inputs,omitempty"`
}

// Record runs the program for one stack of the fleet under the mock
// monitor and returns what it registered, sorted by URN.
func (f *Fleet) Record(stack string, s landingzone.Settings) ([]recorder.Resource, error) {
	flat, err := automation.ConfigMap(s)
	if err != nil {
		return nil, err
	}
	rec, err := recorder.Run(stack, flat, landingzone.Program(f.Catalog))
	if err != nil {
		return nil, fmt.Errorf("tierzone manifests: record stack %s: %w", stack, err)
	}
	return rec.Resources(), nil
}

func (f *Fleet) stackFingerprint(stack string, s landingzone.Settings) (string, error) {
	rs, err := f.Record(stack, s)
	if err != nil {
		return "", err
	}
	cfg, err := Config(s)
	if err != nil {
		return "", err
	}
	doc := struct {
		Config    map[string]any     `json:"config"`
		Resources []recordedResource `json:"resources"`
	}{Config: cfg}
	for _, r := range rs {
		deps := slices.Sorted(slices.Values(r.Dependencies))
		doc.Resources = append(doc.Resources, recordedResource{
			URN: r.URN, Parent: r.Parent, Dependencies: deps, PropertyDependencies: sortedDeps(r.PropertyDependencies),
			Provider: r.ProviderURN, Protect: r.Protect, RetainOnDelete: r.RetainOnDelete, ImportID: r.ImportID,
			IgnoreChanges: r.IgnoreChanges, Aliases: r.Aliases, Inputs: plan.PlainMap(r.Inputs),
		})
	}
	// encoding/json writes map keys sorted: the same stack hashes the same.
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("tierzone manifests: fingerprint stack %s: %w", stack, err)
	}
	return hash(b), nil
}

func sortedDeps(m map[string][]string) map[string][]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = slices.Sorted(slices.Values(v))
	}
	return out
}

func hash(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ProgramFingerprint hashes what changes every stack at once without
// showing in the recorded resources: the module versions the running
// binary was built with (a provider or SDK upgrade), the policy pack's
// files and Pulumi.yaml in projectDir.
func ProgramFingerprint(projectDir string) (string, error) {
	var b strings.Builder
	if info, ok := debug.ReadBuildInfo(); ok {
		deps := make([]string, 0, len(info.Deps))
		for _, d := range info.Deps {
			v := d.Path + "@" + d.Version
			if d.Replace != nil {
				v += "=>" + d.Replace.Path + "@" + d.Replace.Version
			}
			deps = append(deps, v)
		}
		slices.Sort(deps)
		fmt.Fprintf(&b, "modules %s\n", strings.Join(deps, " "))
	}
	files := []string{plan.ProjectFile}
	policy := filepath.Join(projectDir, "policy")
	err := filepath.WalkDir(policy, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(projectDir, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("tierzone manifests: read the policy pack: %w", err)
	}
	slices.Sort(files)
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(projectDir, filepath.FromSlash(f)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("tierzone manifests: %w", err)
		}
		fmt.Fprintf(&b, "file %s %s\n", f, hash(raw))
	}
	return hash([]byte(b.String())), nil
}
