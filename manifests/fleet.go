// Package manifests renders a stack's sharded layout for engines other than
// the fleet orchestrator: Pulumi Kubernetes Operator Stack resources, one per
// stack (Operator), and a GitHub Actions workflow that previews only the
// stacks a pull request changes (Workflow), with the per-stack fingerprints
// (Fingerprint) and the selection (Changed, Batches) it runs on.
//
// Every stack's config is what the program reads (automation.ConfigMap's
// keys), so a Stack resource runs exactly what `tierzone up` would run.
package manifests

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/fleet"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/validation"
)

// NothingWritten is the outcome of a refused manifest: stdout stays empty.
const NothingWritten = "nothing was written"

// Fleet is one stack's sharded layout: the organization stack and one
// customer stack per customer it deploys.
type Fleet struct {
	// Stack is the organization stack's name.
	Stack   string
	Catalog []customers.Customer
	// Settings are the organization stack's settings: the sharded layout,
	// and the customers listed explicitly (a catalog file selects all of
	// its own, which the stacks' config must then say).
	Settings landingzone.Settings
	Plan     *landingzone.Plan
	// SingleLayout says the stack's own settings are still of the single
	// layout: the manifests show what the sharded layout would be.
	SingleLayout bool
}

// New resolves a stack's settings and catalog as the sharded layout. Bad
// input (catalog, settings, a customer stack's settings) is a
// *validation.Error naming every problem.
func New(stack string, catalog []customers.Customer, s landingzone.Settings) (*Fleet, error) {
	if s.CustomerStack != nil {
		var l validation.List
		l.Add(validation.Stack(landingzone.ConfigNamespace+":"+landingzone.KeyCustomerStack), "",
			"stack %s is a customer stack; generate the manifests from its organization stack", stack)
		return nil, l.ErrWith(NothingWritten)
	}
	f := &Fleet{Stack: stack, Catalog: catalog, SingleLayout: s.Layout == landingzone.LayoutSingle}
	if f.SingleLayout {
		s.Layout = landingzone.LayoutSharded
	}
	p, err := landingzone.Resolve(catalog, s)
	if err != nil {
		return nil, err
	}
	s.Customers = make([]string, 0, len(p.Customers))
	for _, c := range p.Customers {
		s.Customers = append(s.Customers, c.Customer.Key)
	}
	f.Settings, f.Plan = s, p
	return f, nil
}

// CustomerStack is the Pulumi stack name of a customer's stack.
func (f *Fleet) CustomerStack(key string) string { return fleet.CustomerStackName(f.Stack, key) }

// ArchiveDestination is where a customer's archive flow log writes: the
// organization stack exports the same value, derived from the bucket name
// the settings give its tier's boundary.
func (f *Fleet) ArchiveDestination(cs landingzone.CustomerSpec) string {
	return landingzone.ArchiveDestination("arn:aws:s3:::"+f.Settings.ArchiveBucketName(cs.Tier.ArchiveBoundary), cs)
}

// CustomerSettings are a customer stack's settings: the organization
// stack's, with what the customer stack reads from it, and the lists that
// name other customers narrowed to this one (customers, decommission,
// retention of other tiers). A customer stack registers the same resources
// either way (TestNarrowedCustomerConfigRegistersTheSame), and onboarding
// or retuning one customer then leaves every other customer stack's config
// as it was: the operator reruns only the stacks whose Stack changed.
func (f *Fleet) CustomerSettings(cs landingzone.CustomerSpec, accountID string) landingzone.Settings {
	return landingzone.CustomerStackSettings(f.Settings, cs.Tier.Key, landingzone.CustomerStackRef{
		Customer: cs.Customer.Key, AccountID: accountID, ArchiveDestination: f.ArchiveDestination(cs)})
}

// Config keys by the type Pulumi.yaml declares; the others are strings.
// Pulumi checks a stack's values against those types, so a list or an
// object must be given as one, not as a JSON string
// (TestConfigTypesMatchPulumiYAML keeps this in step with Pulumi.yaml).
var (
	structuredKeys = []string{landingzone.KeyCustomers, landingzone.KeyDecommission, landingzone.KeyRetention, landingzone.KeyCustomerStack, landingzone.KeyOperatorEmails}
	booleanKeys    = []string{landingzone.KeyProtect, landingzone.KeyCustomerConnectivity}
	integerKeys    = []string{landingzone.KeySCPMaxChars, landingzone.KeySCPMaxAttachments}
)

// Config is a stack's config with typed values, as they would appear in
// Pulumi.<stack>.yaml: full "tierzone:key" keys, lists and objects as
// YAML, booleans and whole numbers as such, everything else a string.
func Config(s landingzone.Settings) (map[string]any, error) {
	flat, err := automation.ConfigMap(s)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(flat))
	for k, v := range flat {
		short := strings.TrimPrefix(k, landingzone.ConfigNamespace+":")
		switch {
		case slices.Contains(structuredKeys, short):
			var val any
			if err := json.Unmarshal([]byte(v), &val); err != nil {
				return nil, fmt.Errorf("tierzone manifests: config %s: %w", k, err)
			}
			out[k] = val
		case slices.Contains(booleanKeys, short):
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, fmt.Errorf("tierzone manifests: config %s: %w", k, err)
			}
			out[k] = b
		case slices.Contains(integerKeys, short):
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("tierzone manifests: config %s: %w", k, err)
			}
			out[k] = n
		default:
			out[k] = v
		}
	}
	return out, nil
}

// MaxNameLength is the operator's limit on a Stack's metadata.name: the
// CRD's validation rule `size(self.metadata.name) <= 42`
// (pulumi-kubernetes-operator v2.3.0, #1018 for #899), because the
// workspace StatefulSet is "<name>-workspace" and its pods' 10-character
// revision hash must still fit a 63-character label value.
const MaxNameLength = 42

// nameSeparator joins the organization stack's name and a customer key in
// a Stack's name. Keys never hold "--" and readable stack names may not, so
// readable names are unique across fleets sharing a namespace.
const nameSeparator = "--"

// label is a DNS-1035 label (a letter first, then lowercase letters,
// digits and hyphens, no hyphen last): valid for a Stack's name and for
// the Service the operator names after it.
var label = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)

// hashLength is how many hex digits of SHA-256 a shortened name keeps.
const hashLength = 8

// OrganizationName is the organization Stack resource's metadata.name.
func OrganizationName(stack string) string {
	if readable(stack) && len(stack) <= MaxNameLength {
		return stack
	}
	return hashedName(stack)
}

// CustomerName is a customer Stack resource's metadata.name:
// "<stack>--<key>" when that fits the operator's limit, else a shortened
// name ending in a hash of the customer stack's Pulumi name.
func CustomerName(stack, key string) string {
	if n := stack + nameSeparator + key; readable(stack) && label.MatchString(key) && !strings.Contains(key, nameSeparator) && len(n) <= MaxNameLength {
		return n
	}
	return hashedName(fleet.CustomerStackName(stack, key))
}

// readable: a stack name used as-is in Stack names.
func readable(stack string) bool {
	return label.MatchString(stack) && !strings.Contains(stack, nameSeparator)
}

// hashedName is a DNS-1035 label of at most MaxNameLength characters: as
// much of the Pulumi stack name as fits, then a hash of all of it, so two
// names that only differ past the cut stay distinct.
func hashedName(pulumiStack string) string {
	sum := sha256.Sum256([]byte(pulumiStack))
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(pulumiStack) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	base := b.String()
	if base == "" || base[0] < 'a' || base[0] > 'z' {
		base = "s-" + base
	}
	base = strings.TrimRight(base[:min(len(base), MaxNameLength-hashLength-1)], "-")
	return base + "-" + hex.EncodeToString(sum[:])[:hashLength]
}
