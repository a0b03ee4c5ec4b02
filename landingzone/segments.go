package landingzone

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// segmentSpecs checks a tier's segments and renders their SCPs: names and
// keys valid and unique under the tier OU, OU depth within the quota, the
// segment OU's direct SCP attachments within the quota, each SCP within
// the size quota.
func segmentSpecs(s Settings, t tiers.Tier, params tiers.PolicyParams, l *validation.List) []SegmentSpec {
	for _, p := range tiers.CheckSegments(t) {
		l.Add(validation.Tier(t.Key), "segments", "%s", p)
	}
	// The tier OU is one level below the parent the stack names (the root,
	// or an OU at least one level down); a segment one more.
	depth := 2
	if strings.HasPrefix(s.OrganizationRootID, "ou-") {
		depth++
	}
	var out []SegmentSpec
	for _, seg := range t.Segments {
		if depth > tiers.MaxOUDepth {
			l.Add(validation.Tier(t.Key), "segments", "segment %s would nest %d levels below the root; AWS Organizations allows %d", seg.Key, depth, tiers.MaxOUDepth)
		}
		if strings.EqualFold(seg.OUName, t.OUName) {
			l.Add(validation.Tier(t.Key), "segments", "segment %s: OU name %q is the tier OU's own", seg.Key, seg.OUName)
		}
		ss := SegmentSpec{Segment: seg}
		ss.SCP, ss.HasSCP = seg.SCP(s.NamePrefix, t, params)
		n := 1 // FullAWSAccess, attached to every OU.
		if ss.HasSCP {
			ss.SCPJSON = checkSCP(l, t.Key+"/"+seg.Key, ss.SCP, s)
			n++
		}
		if n > s.SCPMaxAttachments {
			l.Add(validation.Tier(t.Key), "segments", "segment %s: %d SCPs attached directly (FullAWSAccess included); AWS allows %d per OU", seg.Key, n, s.SCPMaxAttachments)
		}
		out = append(out, ss)
	}
	return out
}

// segmentOf is a validated customer's segment (nil: none).
func segmentOf(c customers.Customer, t tiers.Tier) *tiers.Segment {
	if c.Segment == "" {
		return nil
	}
	seg, ok := t.Segment(c.Segment)
	if !ok {
		return nil
	}
	return &seg
}

// SegmentName is a segment OU component's name: <tier>-<segment>.
func SegmentName(tierKey, segment string) string { return tierKey + "-" + segment }

// newSegmentOUs registers, under a tier's OU, the segment OUs that a
// customer of the stack is placed in: an OU exists while it has customers
// (an empty one is deleted with the last customer that leaves it).
func newSegmentOUs(ctx *pulumi.Context, lz *LandingZone, ts TierSpec, ou *components.TierOU, mgmt pulumi.ProviderResource) error {
	used := map[string]bool{}
	for _, cs := range lz.Plan.Customers {
		if cs.Segment != nil && cs.Tier.Key == ts.Tier.Key {
			used[cs.Segment.Key] = true
		}
	}
	for _, ss := range ts.Segments {
		if !used[ss.Segment.Key] {
			continue
		}
		args := &components.SegmentOUArgs{
			OUName:   ss.Segment.OUName,
			TierOUID: ou.OUID,
			Tags:     map[string]string{"managed-by": ManagedBy, "tier": ts.Tier.Key, "framework": ts.Tier.FrameworkList(), "segment": ss.Segment.Key},
			Provider: mgmt,
		}
		if ss.HasSCP {
			args.Policies = []components.PolicySpec{{Name: ss.SCP.Name, Description: ss.SCP.Description, Document: ss.SCPJSON}}
		}
		seg, err := components.NewSegmentOU(ctx, SegmentName(ts.Tier.Key, ss.Segment.Key), args, pulumi.Parent(lz))
		if err != nil {
			return err
		}
		lz.SegmentOUs[SegmentName(ts.Tier.Key, ss.Segment.Key)] = seg
	}
	return nil
}

// accountParent is the OU a customer's account sits in: its segment's, or
// its tier's.
func (lz *LandingZone) accountParent(cs CustomerSpec) pulumi.StringOutput {
	if cs.Segment != nil {
		return lz.SegmentOUs[SegmentName(cs.Tier.Key, cs.Segment.Key)].OUID
	}
	return lz.TierOUs[cs.Tier.Key].OUID
}
