package rules

import (
	"fmt"
	"strings"
)

// Types of the account baseline (components.AccountBaseline).
const (
	baselineType       = "tierzone:account:AccountBaseline"
	ebsDefaultType     = "aws:ebs/encryptionByDefault:EncryptionByDefault"
	accountPABType     = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
	passwordPolicyType = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy"
)

// AccountBaseline is the rule's name.
const AccountBaseline = "account-baseline"

// accountBaseline: every customer whose account's resources are in the
// plan (its VPC component is) has, under its AccountBaseline, EBS
// encryption by default on, the S3 account public access block with all
// four settings, and a password policy at least as strict as its tier's.
func accountBaseline(p *Plan) []Violation {
	var out []Violation
	for _, cv := range p.customerVPCs() {
		vpc, key, t, ok := cv.vpc, cv.key, cv.tier, cv.tierKnown
		var ebs, pab, pw bool
		var weak []string
		for _, r := range p.childrenOf(baselineType, key) {
			switch r.Type {
			case ebsDefaultType:
				v := r.Get("enabled")
				ebs = r.Unknown || v.IsComputed() || !v.IsBool() || v.AsBool()
			case accountPABType:
				pab = r.Unknown || len(publicAccessOff(r)) == 0
			case passwordPolicyType:
				pw = true
				if r.Unknown || !ok {
					continue
				}
				want := t.Baseline().Password
				for _, f := range []struct {
					key  string
					want int
				}{{"minimumPasswordLength", want.MinimumLength}, {"passwordReusePrevention", want.ReusePrevention}} {
					if v := r.Get(f.key); v.IsNumber() && int(v.AsNumber()) < f.want {
						weak = append(weak, fmt.Sprintf("%s %d below the tier's %d", f.key, int(v.AsNumber()), f.want))
					}
				}
			}
		}
		var missing []string
		if !ebs {
			missing = append(missing, "EBS encryption by default")
		}
		if !pab {
			missing = append(missing, "an S3 account public access block with all four settings")
		}
		if !pw {
			missing = append(missing, "its tier's password policy")
		}
		if len(weak) > 0 {
			missing = append(missing, "a password policy as strict as its tier's ("+strings.Join(weak, ", ")+")")
		}
		if len(missing) > 0 {
			out = append(out, Violation{AccountBaseline, vpc.URN, fmt.Sprintf("customer %s's account lacks %s", key, strings.Join(missing, ", "))})
		}
	}
	return out
}
