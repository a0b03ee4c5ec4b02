package fakeaws

import (
	"fmt"
	"regexp"
)

// trailNamePattern: CreateTrail Name, 3-128 characters of letters,
// digits, periods, underscores and dashes, starting and ending with a
// letter or digit (InvalidTrailNameException).
var trailNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$`)

func cloudtrailKinds() []*kind {
	return []*kind{
		{
			token: tTrail, label: "CloudTrail Trail", tagsAll: true,
			replaces: []string{"name"},
			outputs:  []string{"arn", "homeRegion"},
			static: func(in map[string]any) []failure {
				if n, ok := str(in, "name"); ok && !trailNamePattern.MatchString(n) {
					return []failure{failf("name", "InvalidTrailNameException: %q must be 3 to 128 letters, digits, periods, underscores or dashes", n)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				name, _ := str(in, "name")
				dup, err := c.findWhere(tTrail, selfID, func(r *Record) bool { return r.Inputs["name"] == name && c.regional(r) })
				if err != nil {
					return err
				}
				if len(dup) > 0 {
					// CreateTrail: TrailAlreadyExistsException.
					return awsErr("TrailAlreadyExistsException", "Trail %s already exists for customer: %s", name, c.account)
				}
				bucket, _ := str(in, "s3BucketName")
				owner, err := bucketOwner(c, bucket)
				if err != nil {
					return err
				}
				if owner == nil {
					// CreateTrail: S3BucketDoesNotExistException.
					return awsErr("S3BucketDoesNotExistException", "S3 bucket %s does not exist.", bucket)
				}
				if boolean(in, "isOrganizationTrail") && c.account != c.mgmt() {
					// CreateTrail: an organization trail is created in the
					// management account (NotOrganizationMasterAccountException).
					return awsErr("NotOrganizationMasterAccountException", "Account %s is not the management account of the organization", c.account)
				}
				if k, ok := str(in, "kmsKeyId"); ok {
					return keyUsable(c, k)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				arn := fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", c.region, c.account, name)
				// pulumi-aws v6 Trail id is the ARN (terraform-provider-aws v5).
				return arn, map[string]any{"arn": arn, "homeRegion": c.region}, nil
			},
		},
	}
}
