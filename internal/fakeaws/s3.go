package fakeaws

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// bucketNamePattern: S3 general purpose bucket naming rules (3-63
// characters, lowercase letters, digits, dots and hyphens, beginning and
// ending with a letter or digit).
var bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

func s3Kinds() []*kind {
	bucketSub := func(token, label string, static func(map[string]any) []failure, validate func(*opCtx, map[string]any, *Record) error) *kind {
		return &kind{
			token: token, label: label,
			replaces: []string{"bucket", "expectedBucketOwner"},
			static:   static,
			validate: func(c *opCtx, in map[string]any, _ string) error {
				b, err := ownBucket(c, in)
				if err != nil || validate == nil {
					return err
				}
				return validate(c, in, b)
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				// The configuration resources' id is the bucket name.
				b, _ := str(in, "bucket")
				return b, nil, nil
			},
		}
	}
	return []*kind{
		{
			token: tBucket, label: "S3 Bucket", tagsAll: true, autoName: "bucket", lowerName: true,
			replaces: []string{"bucket", "bucketPrefix", "objectLockEnabled"},
			outputs:  []string{"arn", "bucketDomainName", "bucketRegionalDomainName", "hostedZoneId", "region"},
			static: func(in map[string]any) []failure {
				if b, ok := str(in, "bucket"); ok {
					if why := bucketNameProblem(b); why != "" {
						// CreateBucket: InvalidBucketName.
						return []failure{failf("bucket", "InvalidBucketName: %q: %s", b, why)}
					}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				b, _ := str(in, "bucket")
				owner, err := bucketOwner(c, b)
				if err != nil || owner == nil || owner.ID == selfID && owner.Account == c.account {
					return err
				}
				if owner.Account == c.account {
					// CreateBucket: BucketAlreadyOwnedByYou.
					return awsErr("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it. (%s)", b)
				}
				// CreateBucket: BucketAlreadyExists (names are global).
				return awsErr("BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again. (%s)", b)
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				b, _ := str(in, "bucket")
				return b, map[string]any{
					"arn": "arn:aws:s3:::" + b, "bucketDomainName": b + ".s3.amazonaws.com",
					"bucketRegionalDomainName": b + ".s3." + c.region + ".amazonaws.com",
					"hostedZoneId":             s3HostedZone(c.region), "region": c.region,
					"objectLockEnabled": boolean(in, "objectLockEnabled"), "forceDestroy": boolean(in, "forceDestroy"),
				}, nil
			},
		},
		bucketSub(tBucketPAB, "S3 Bucket Public Access Block", nil, nil),
		bucketSub(tBucketVer, "S3 Bucket Versioning", func(in map[string]any) []failure {
			vc, _ := in["versioningConfiguration"].(map[string]any)
			if st, ok := str(vc, "status"); ok && !slices.Contains([]string{"Enabled", "Suspended", "Disabled"}, st) {
				// PutBucketVersioning Status: Enabled | Suspended.
				return []failure{failf("versioningConfiguration.status", "must be Enabled, Suspended or Disabled, got %q", st)}
			}
			return nil
		}, func(c *opCtx, in map[string]any, b *Record) error {
			vc, _ := in["versioningConfiguration"].(map[string]any)
			if st, _ := str(vc, "status"); st == "Enabled" {
				return nil
			}
			locked, err := objectLocked(c, b)
			if err != nil {
				return err
			}
			if locked {
				// PutBucketVersioning: versioning cannot be suspended on an
				// Object Lock bucket (S3 User Guide, "Configuring S3 Object
				// Lock": "After you enable Object Lock on a bucket, you can't
				// disable Object Lock or suspend versioning for that bucket";
				// InvalidBucketState).
				return awsErr("InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")
			}
			return nil
		}),
		bucketSub(tBucketSSE, "S3 Bucket Server-side Encryption Configuration", func(in map[string]any) []failure {
			var fs []failure
			rules, _ := in["rules"].([]any)
			for i, r := range rules {
				m, _ := r.(map[string]any)
				def, _ := m["applyServerSideEncryptionByDefault"].(map[string]any)
				if a, ok := str(def, "sseAlgorithm"); ok && !slices.Contains([]string{"AES256", "aws:kms", "aws:kms:dsse"}, a) {
					// PutBucketEncryption SSEAlgorithm: AES256 | aws:kms | aws:kms:dsse.
					fs = append(fs, failf(fmt.Sprintf("rules[%d].applyServerSideEncryptionByDefault.sseAlgorithm", i), "must be AES256, aws:kms or aws:kms:dsse, got %q", a))
				}
			}
			return fs
		}, nil),
		bucketSub(tBucketLife, "S3 Bucket Lifecycle Configuration", lifecycleStatic, nil),
		bucketSub(tBucketPolicy, "S3 Bucket Policy", func(in map[string]any) []failure {
			if p, ok := str(in, "policy"); ok && !strings.HasPrefix(strings.TrimSpace(p), "{") || ok && !validJSON(p) {
				// PutBucketPolicy: MalformedPolicy.
				return []failure{failf("policy", "MalformedPolicy: Policies must be valid JSON and the first byte must be '{'")}
			}
			return nil
		}, nil),
		bucketSub(tBucketLock, "S3 Bucket Object Lock Configuration", objectLockStatic, func(c *opCtx, in map[string]any, b *Record) error {
			if boolean(b.Outputs, "objectLockEnabled") {
				// A bucket created with Object Lock has versioning enabled
				// (S3 User Guide, "Configuring S3 Object Lock": creating a
				// bucket with Object Lock "activates versioning
				// automatically").
				return nil
			}
			ver, err := c.find(tBucketVer, b.ID)
			if err != nil {
				return err
			}
			vc, _ := ver.inputs()["versioningConfiguration"].(map[string]any)
			if st, _ := str(vc, "status"); st == "Enabled" {
				// Object Lock can be enabled on an existing bucket whose
				// versioning is Enabled (S3 User Guide, "Enable Object Lock
				// on an existing S3 bucket"; pulumi-aws 6.x
				// BucketObjectLockConfigurationV2: "This resource can be used
				// enable Object Lock for new and existing buckets", its
				// example enabling versioning first).
				return nil
			}
			// PutObjectLockConfiguration on a bucket without versioning
			// Enabled: 409 InvalidBucketState, "Versioning must be 'Enabled'
			// on the bucket to apply a Object Lock configuration" (the text
			// S3 returns, as S3 emulators reproduce it).
			return awsErr("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration (fakeaws: bucket %s was created without objectLockEnabled and has no BucketVersioningV2 with status Enabled)", b.ID)
		}),
	}
}

// objectLocked reports whether Object Lock is enabled on a bucket: it was
// created with objectLockEnabled, or an Object Lock configuration was
// applied to it since.
func objectLocked(c *opCtx, b *Record) (bool, error) {
	if boolean(b.Outputs, "objectLockEnabled") {
		return true, nil
	}
	lock, err := c.find(tBucketLock, b.ID)
	return lock != nil, err
}

// bucketNameProblem explains why a name breaks the S3 bucket naming rules
// ("" when it does not).
func bucketNameProblem(b string) string {
	switch {
	case len(b) < 3 || len(b) > 63:
		return "bucket names must be between 3 and 63 characters long"
	case !bucketNamePattern.MatchString(b):
		return "bucket names can consist only of lowercase letters, numbers, dots and hyphens, and must begin and end with a letter or number"
	case strings.Contains(b, ".."):
		return "bucket names must not contain two adjacent periods"
	case strings.HasPrefix(b, "xn--") || strings.HasPrefix(b, "sthree-"):
		return "bucket names must not start with xn-- or sthree-"
	case strings.HasSuffix(b, "-s3alias") || strings.HasSuffix(b, "--ol-s3"):
		return "bucket names must not end with -s3alias or --ol-s3"
	}
	if _, err := netip.ParseAddr(b); err == nil {
		return "bucket names must not be formatted as an IP address"
	}
	return ""
}

func s3HostedZone(region string) string {
	// S3 website endpoints' hosted zone ids (AWS General Reference).
	switch region {
	case "us-east-1":
		return "Z3AQBSTGFYJSTF"
	case "us-west-2":
		return "Z3BJ6K6RIION7M"
	case "eu-west-1":
		return "Z1BKCTXD74EZPE"
	}
	return "Z3AQBSTGFYJSTF"
}

// bucketOwner finds a bucket by name in any account (names are global).
func bucketOwner(c *opCtx, name string) (*Record, error) {
	accts, err := c.tx.accountDirs()
	if err != nil {
		return nil, err
	}
	for _, a := range accts {
		r, err := c.tx.get(a, "", tBucket, name)
		if err != nil || r != nil {
			return r, err
		}
	}
	return nil, nil
}

// ownBucket returns the bucket in["bucket"], which must exist and belong
// to the operation's account.
func ownBucket(c *opCtx, in map[string]any) (*Record, error) {
	name, _ := str(in, "bucket")
	b, err := bucketOwner(c, name)
	if err != nil {
		return nil, err
	}
	if b == nil {
		// S3: NoSuchBucket.
		return nil, awsErr("NoSuchBucket", "The specified bucket does not exist (%s)", name)
	}
	if b.Account != c.account {
		// S3: AccessDenied for another account's bucket.
		return nil, awsErr("AccessDenied", "Access Denied (bucket %s belongs to another account)", name)
	}
	return b, nil
}

func lifecycleStatic(in map[string]any) []failure {
	var fs []failure
	rules, _ := in["rules"].([]any)
	ids := map[string]bool{}
	for i, r := range rules {
		m, _ := r.(map[string]any)
		prop := fmt.Sprintf("rules[%d]", i)
		if id, ok := str(m, "id"); ok {
			if ids[id] {
				// PutBucketLifecycleConfiguration: rule ids are unique
				// (InvalidArgument).
				fs = append(fs, failf(prop+".id", "InvalidArgument: Rule ID must be unique. Found same ID for more than one rule: %s", id))
			}
			ids[id] = true
		}
		if st, ok := str(m, "status"); ok && st != "Enabled" && st != "Disabled" {
			fs = append(fs, failf(prop+".status", "must be Enabled or Disabled, got %q", st))
		}
		exp, _ := m["expiration"].(map[string]any)
		expDays, hasExp := num(exp, "days")
		trs, _ := m["transitions"].([]any)
		for _, t := range trs {
			tm, _ := t.(map[string]any)
			if d, ok := num(tm, "days"); ok && hasExp && expDays <= d {
				// PutBucketLifecycleConfiguration: InvalidArgument, "'Days' in
				// the Expiration action ... must be greater than 'Days' in the
				// Transition action".
				fs = append(fs, failf(prop+".expiration.days", "InvalidArgument: 'Days' in the Expiration action (%v) must be greater than 'Days' in the Transition action (%v)", expDays, d))
			}
		}
	}
	return fs
}

func objectLockStatic(in map[string]any) []failure {
	rule, _ := in["rule"].(map[string]any)
	ret, _ := rule["defaultRetention"].(map[string]any)
	if ret == nil {
		return nil
	}
	var fs []failure
	if m, ok := str(ret, "mode"); ok && m != "GOVERNANCE" && m != "COMPLIANCE" {
		// PutObjectLockConfiguration Mode: GOVERNANCE | COMPLIANCE.
		fs = append(fs, failf("rule.defaultRetention.mode", "must be GOVERNANCE or COMPLIANCE, got %q", m))
	}
	_, days := num(ret, "days")
	_, years := num(ret, "years")
	if days && years {
		// PutObjectLockConfiguration DefaultRetention: Days or Years, not both
		// (MalformedXML).
		fs = append(fs, failf("rule.defaultRetention", "MalformedXML: specify days or years, not both"))
	}
	if d, ok := num(ret, "days"); ok && d <= 0 {
		fs = append(fs, failf("rule.defaultRetention.days", "InvalidArgument: Default retention period must be a positive integer value"))
	}
	return fs
}
