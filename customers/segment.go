package customers

import (
	"slices"
	"strings"

	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// validateSegment checks a customer's segment against its tier's segments,
// and its region against the segment's.
func validateSegment(l *validation.List, subj string, c Customer, tier tiers.Tier) {
	if c.Segment == "" {
		return
	}
	seg, ok := tier.Segment(c.Segment)
	if !ok {
		known := "none"
		if keys := tier.SegmentKeys(); len(keys) > 0 {
			known = strings.Join(keys, ", ")
		}
		l.Add(subj, "segment", "%q is not a segment of tier %s (segments: %s)", c.Segment, tier.Key, known)
		return
	}
	region := c.Region
	if region == "" {
		region = tier.DefaultRegion()
	}
	if allowed := seg.AllowedRegions(tier); !slices.Contains(allowed, region) {
		l.Add(subj, "segment", "segment %s (%s) allows regions %s; the customer's region is %s", seg.Key, seg.OUName, strings.Join(allowed, ", "), region)
	}
}
