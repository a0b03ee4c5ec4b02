package fakeaws

import (
	"regexp"
	"strings"
	"time"
)

var (
	// iamNamePattern: IAM role and policy names, [\w+=,.@-]
	// (IAM API reference, CreateRole RoleName; PutRolePolicy PolicyName).
	iamNamePattern = regexp.MustCompile(`^[\w+=,.@-]+$`)
	// iamPathPattern: IAM paths begin and end with "/" (CreateRole Path).
	iamPathPattern = regexp.MustCompile(`^/([\x21-\x7e]*/)?$`)
)

func iamKinds() []*kind {
	return []*kind{
		{
			token: tRole, label: "IAM Role", tagsAll: true, autoName: "name",
			replaces: []string{"name", "namePrefix", "path"},
			outputs:  []string{"arn", "uniqueId", "createDate"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if n, ok := str(in, "name"); ok && (len(n) > 64 || !iamNamePattern.MatchString(n)) {
					// CreateRole RoleName: 1-64 characters of [\w+=,.@-].
					fs = append(fs, failf("name", "ValidationError: %q must be 1 to 64 characters of letters, digits and +=,.@_-", n))
				}
				if p, ok := str(in, "path"); ok && (len(p) > 512 || !iamPathPattern.MatchString(p)) {
					fs = append(fs, failf("path", "ValidationError: %q must begin and end with /", p))
				}
				if p, ok := str(in, "assumeRolePolicy"); ok && !validJSON(p) {
					// CreateRole: MalformedPolicyDocument.
					fs = append(fs, failf("assumeRolePolicy", "MalformedPolicyDocument: the trust policy is not valid JSON"))
				} else if !ok && known(in, "assumeRolePolicy") {
					fs = append(fs, failf("assumeRolePolicy", "is required"))
				}
				if d, ok := num(in, "maxSessionDuration"); ok && (d < 3600 || d > 43200) {
					// CreateRole MaxSessionDuration: 3600-43200 seconds.
					fs = append(fs, failf("maxSessionDuration", "must be between 3600 and 43200, got %v", d))
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				name, _ := str(in, "name")
				if name != selfID {
					if r, err := c.find(tRole, name); err != nil || r != nil {
						if err != nil {
							return err
						}
						// CreateRole: EntityAlreadyExists (names are unique
						// per account).
						return awsErr("EntityAlreadyExists", "Role with name %s already exists.", name)
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				path, _ := str(in, "path")
				if path == "" {
					path = "/"
				}
				return name, map[string]any{
					"arn":      "arn:aws:iam::" + c.account + ":role" + path + name,
					"uniqueId": roleUniqueID(), "createDate": time.Now().UTC().Format(time.RFC3339),
					"path": path, "maxSessionDuration": 3600.0,
				}, nil
			},
		},
		{
			token: tRolePolicy, label: "IAM Role Policy", autoName: "name",
			replaces: []string{"name", "namePrefix", "role"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if n, ok := str(in, "name"); ok && (len(n) > 128 || !iamNamePattern.MatchString(n)) {
					// PutRolePolicy PolicyName: 1-128 characters of [\w+=,.@-].
					fs = append(fs, failf("name", "ValidationError: %q must be 1 to 128 characters of letters, digits and +=,.@_-", n))
				}
				if p, ok := str(in, "policy"); ok && !validJSON(p) {
					// PutRolePolicy: MalformedPolicyDocument.
					fs = append(fs, failf("policy", "MalformedPolicyDocument: the policy is not valid JSON"))
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				role := roleName(in)
				// PutRolePolicy: NoSuchEntity when the role does not exist.
				_, err := mustFind(c, tRole, role, "NoSuchEntity", "The role with name %s cannot be found.")
				return err
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				// pulumi-aws RolePolicy id: "<role>:<name>".
				return roleName(in) + ":" + name, nil, nil
			},
		},
	}
}

// roleName is the role of a RolePolicy, given by name or ARN.
func roleName(in map[string]any) string {
	r, _ := str(in, "role")
	if m := roleArnPattern.FindStringSubmatch(r); m != nil {
		return m[2]
	}
	return strings.TrimPrefix(r, "/")
}
