package tiers

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Segment is a child OU of a tier OU that groups the tier's customers (the
// seeds' phase 3-4 hierarchy: Fintech by segment, Healthcare by region).
// The tier's guardrails stay attached at the tier OU and are inherited; a
// segment may add its own guardrails, rendered into its own SCP attached to
// the segment OU.
type Segment struct {
	// Key is what a catalog entry's `segment` names.
	Key string
	// OUName is the segment OU's name under the tier OU.
	OUName      string
	Description string
	// Source says where the segment comes from.
	Source string
	// Regions, when set, narrow the tier's regions for the segment's
	// customers (and its region guardrail); a subset of the tier's.
	Regions []string
	// Guardrails are added to the segment's own SCP.
	Guardrails []Guardrail
}

// MaxOUDepth is how deep OUs may nest below the root ("Quotas for AWS
// Organizations": OU nesting depth 5).
const MaxOUDepth = 5

// MaxOUNameLength is CreateOrganizationalUnit Name's limit (botocore
// organizations OrganizationalUnitName: 1-128 characters), for tier and
// segment OUs alike.
const MaxOUNameLength = 128

// segmentKey is a segment key: lowercase letters, digits and hyphens.
var segmentKey = regexp.MustCompile(`^[a-z][a-z0-9-]{0,23}$`)

// ouNamePattern is CreateOrganizationalUnit Name's pattern (printable
// characters, 1-128).
var ouNamePattern = regexp.MustCompile(`^[\x{0020}-\x{007E}]{1,128}$`)

// segmentData are the seeds' segments, by tier key.
func segmentData() map[string][]Segment {
	const seeds = "seeds (scaling, 50 customers): 3-level OU hierarchy"
	return map[string][]Segment{
		Fintech: {
			{Key: "large-banks", OUName: "Fintech-Large-Banks", Description: "Large banks", Source: seeds + ", Fintech by segment"},
			{Key: "fintechs", OUName: "Fintech-Fintechs", Description: "Fintech companies", Source: seeds + ", Fintech by segment"},
			{Key: "payment-processors", OUName: "Fintech-Payment-Processors", Description: "Payment processors (PCI DSS service providers)",
				Source: seeds + ", Fintech by segment"},
		},
		// The seeds' third Healthcare region, EMEA, needs EU regions the
		// Healthcare tier does not allow (its regions are US only); add them
		// to the tier before adding an EMEA segment.
		Healthcare: {
			{Key: "east", OUName: "Healthcare-East", Description: "Healthcare customers in the US East regions",
				Source: seeds + ", Healthcare by region", Regions: []string{"us-east-1", "us-east-2"}, Guardrails: []Guardrail{DenyOutsideAllowedRegions}},
			{Key: "west", OUName: "Healthcare-West", Description: "Healthcare customers in the US West region",
				Source: seeds + ", Healthcare by region", Regions: []string{"us-west-2"}, Guardrails: []Guardrail{DenyOutsideAllowedRegions}},
		},
	}
}

// Segment returns the tier's segment with key.
func (t Tier) Segment(key string) (Segment, bool) {
	i := slices.IndexFunc(t.Segments, func(s Segment) bool { return s.Key == key })
	if i < 0 {
		return Segment{}, false
	}
	return t.Segments[i], true
}

// SegmentKeys are the keys of the tier's segments.
func (t Tier) SegmentKeys() []string {
	var out []string
	for _, s := range t.Segments {
		out = append(out, s.Key)
	}
	return out
}

// SCP is the segment's own policy, false when it adds no guardrail.
func (s Segment) SCP(namePrefix string, t Tier, p PolicyParams) (SCP, bool) {
	if len(s.Guardrails) == 0 {
		return SCP{}, false
	}
	p.AllowedRegions = t.AllowedRegions
	if len(s.Regions) > 0 {
		p.AllowedRegions = s.Regions
	}
	gs := slices.Clone(s.Guardrails)
	return SCP{
		Name:        namePrefix + "-" + t.Key + "-" + s.Key,
		Description: fmt.Sprintf("Tierzone %s segment %s guardrails (inherits the %s tier's)", t.DisplayName, s.OUName, t.DisplayName),
		Guardrails:  gs,
		Document:    Document(gs, p),
	}, true
}

// Regions are where a segment's customers may be: its own, else the tier's.
func (s Segment) AllowedRegions(t Tier) []string {
	if len(s.Regions) > 0 {
		return s.Regions
	}
	return t.AllowedRegions
}

// CheckSegments reports every problem with a tier's segments: keys and OU
// names valid and unique under the tier OU (and not the tier OU's own
// name), regions within the tier's, guardrails known.
func CheckSegments(t Tier) []string {
	var probs []string
	keys, names := map[string]bool{}, map[string]bool{}
	for _, s := range t.Segments {
		where := t.Key + "/" + s.Key
		if !segmentKey.MatchString(s.Key) {
			probs = append(probs, fmt.Sprintf("%s: segment key %q must be 1-24 lowercase letters, digits and hyphens, starting with a letter", where, s.Key))
		}
		if keys[s.Key] {
			probs = append(probs, where+": segment defined twice")
		}
		keys[s.Key] = true
		switch {
		case !ouNamePattern.MatchString(s.OUName):
			probs = append(probs, fmt.Sprintf("%s: OU name %q must be 1-%d printable characters", where, s.OUName, MaxOUNameLength))
		case names[strings.ToLower(s.OUName)]:
			probs = append(probs, fmt.Sprintf("%s: OU name %q is used twice under %s; OU names are unique under their parent", where, s.OUName, t.OUName))
		}
		names[strings.ToLower(s.OUName)] = true
		for _, r := range s.Regions {
			if !t.AllowsRegion(r) {
				probs = append(probs, fmt.Sprintf("%s: region %s is not one of the tier's (%s)", where, r, strings.Join(t.AllowedRegions, ", ")))
			}
		}
		if s.Source == "" {
			probs = append(probs, where+": no source")
		}
	}
	return probs
}
