package fakeaws

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// logGroupNamePattern: CreateLogGroup logGroupName, 1-512 characters of
// [\.\-_/#A-Za-z0-9].
var logGroupNamePattern = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]{1,512}$`)

// RetentionDays are the values CloudWatch Logs accepts for a log group's
// retention (PutRetentionPolicy retentionInDays; anything else is an
// InvalidParameterException).
func RetentionDays() []int {
	return []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
}

func logsKinds() []*kind {
	return []*kind{
		{
			token: tLogGroup, label: "CloudWatch Logs Log Group", tagsAll: true, autoName: "name",
			replaces: []string{"name", "namePrefix", "logGroupClass"},
			outputs:  []string{"arn"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if n, ok := str(in, "name"); ok && !logGroupNamePattern.MatchString(n) {
					// CreateLogGroup: InvalidParameterException for a bad name.
					fs = append(fs, failf("name", "InvalidParameterException: %q must be 1 to 512 characters of letters, digits and ._-/#", n))
				}
				if d, ok := num(in, "retentionInDays"); ok && d != 0 && !slices.Contains(RetentionDays(), int(d)) {
					// PutRetentionPolicy: InvalidParameterException for a
					// retention not in the list.
					fs = append(fs, failf("retentionInDays", "InvalidParameterException: %v is not a valid retention; CloudWatch Logs accepts %v", d, RetentionDays()))
				}
				if k, ok := str(in, "kmsKeyId"); ok && !strings.HasPrefix(k, "arn:aws:kms:") {
					// CreateLogGroup kmsKeyId: the key's ARN.
					fs = append(fs, failf("kmsKeyId", "InvalidParameterException: %q is not a KMS key ARN", k))
				}
				if cl, ok := str(in, "logGroupClass"); ok && cl != "STANDARD" && cl != "INFREQUENT_ACCESS" && cl != "DELIVERY" {
					fs = append(fs, failf("logGroupClass", "must be STANDARD, INFREQUENT_ACCESS or DELIVERY, got %q", cl))
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				name, _ := str(in, "name")
				if name != selfID {
					if r, err := c.find(tLogGroup, name); err != nil {
						return err
					} else if r != nil && c.regional(r) {
						// CreateLogGroup: ResourceAlreadyExistsException.
						return awsErr("ResourceAlreadyExistsException", "The specified log group already exists (%s)", name)
					}
				}
				if k, ok := str(in, "kmsKeyId"); ok {
					if err := keyUsable(c, k); err != nil {
						return err
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				out := map[string]any{"arn": fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", c.region, c.account, name)}
				if _, ok := str(in, "logGroupClass"); !ok {
					out["logGroupClass"] = "STANDARD"
				}
				if _, ok := num(in, "retentionInDays"); !ok {
					out["retentionInDays"] = 0.0
				}
				return name, out, nil
			},
		},
	}
}

// keyUsable checks a KMS key ARN of the operation's account and region
// names an existing key (keys of other accounts are not checked).
func keyUsable(c *opCtx, arn string) error {
	parts := strings.Split(arn, ":")
	if len(parts) < 6 || parts[4] != c.account || parts[3] != c.region {
		return nil
	}
	id := strings.TrimPrefix(parts[5], "key/")
	if r, err := c.find(tKey, id); err != nil || r != nil {
		return err
	}
	// CreateLogGroup/AssociateKmsKey: InvalidParameterException when the
	// key does not exist.
	return awsErr("InvalidParameterException", "The specified KMS key does not exist or is not allowed to be used with this log group: %s", arn)
}
