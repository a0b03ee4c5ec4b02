package components

import (
	"errors"
	"fmt"
	"maps"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudtrail"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LogArchiveType is the LogArchive type token.
const LogArchiveType = "tierzone:logging:LogArchive"

// Service principals that deliver logs into the archive.
const (
	// LogDeliveryService delivers VPC flow logs to S3.
	LogDeliveryService = "delivery.logs.amazonaws.com"
	// CloudTrailService delivers trail files.
	CloudTrailService = "cloudtrail.amazonaws.com"
)

// AbortMultipartDays is when the archive drops incomplete multipart uploads:
// a delivery that has not completed in a week never will, and its parts
// would otherwise be billed forever.
const AbortMultipartDays = 7

// KMSDeletionWindowDays is the longest waiting period KMS allows before it
// deletes a scheduled key (ScheduleKeyDeletion PendingWindowInDays 7-30).
const KMSDeletionWindowDays = 30

// ArchivePrefix is one writer's part of an archive bucket with its own
// lifecycle: a tier's flow logs or the organization trail.
type ArchivePrefix struct {
	// Prefix is the key prefix without the trailing slash (a tier key, or
	// "cloudtrail").
	Prefix string
	// TransitionDays is the object age at which objects move to StorageClass.
	TransitionDays int
	StorageClass   string
	// ExpirationDays is when objects expire (the archive retention).
	ExpirationDays int
	// Service is the service principal allowed to write under Prefix.
	Service string
	// SourceOUID, when set, allows deliveries only from accounts under that
	// OU (aws:SourceOrgPaths); the organization scope applies always.
	SourceOUID pulumi.StringInput
	// SourceArn, when set, allows deliveries only for that source
	// (aws:SourceArn), e.g. the organization trail's ARN.
	SourceArn pulumi.StringInput
	// ConfigDelivery lets AWS Config's delivery channels of the same
	// accounts write under the prefix too (<prefix>/<customer>/AWSLogs/...).
	ConfigDelivery bool
	// SourceAccount, for GuardDutyService, is the only account (the
	// GuardDuty administrator) whose findings may be written.
	SourceAccount string
}

// ArchiveBucketArgs is one archive bucket: a compliance boundary.
type ArchiveBucketArgs struct {
	// Key names the bucket's resources ("<archive>-<key>-bucket", ...).
	Key string
	// BucketName is the globally unique S3 bucket name.
	BucketName string
	Prefixes   []ArchivePrefix
	// ObjectLockMode and ObjectLockDays are the bucket's default retention
	// ("" for no object lock). Object lock can only be enabled when the
	// bucket is created.
	ObjectLockMode string
	ObjectLockDays int
}

// OrganizationTrailArgs configures the organization trail.
type OrganizationTrailArgs struct {
	// Name is the trail name.
	Name string
	// BucketKey is the archive bucket (ArchiveBucketArgs.Key) it writes to,
	// under Prefix.
	BucketKey string
	Prefix    string
	// Provider is the management account's provider: an organization trail
	// can only be created there.
	Provider pulumi.ProviderResource
	// CloudWatchLogsGroupARN and CloudWatchLogsRoleARN, when set, deliver
	// the trail to a CloudWatch Logs group as well (CIS monitoring).
	CloudWatchLogsGroupARN pulumi.StringInput
	CloudWatchLogsRoleARN  pulumi.StringInput
}

// LogArchiveArgs configures a LogArchive.
type LogArchiveArgs struct {
	// OrganizationID (o-xxxxxxxxxx) scopes every delivery permission.
	OrganizationID string
	// AccountID is the account the archive lives in (the log-archive or the
	// management account); only it administers the archive's keys.
	AccountID pulumi.StringInput
	Buckets   []ArchiveBucketArgs
	// Trail, when set, is the organization trail delivering into the archive.
	Trail *OrganizationTrailArgs
	// Protect protects and retains the keys, buckets and trail. Without it
	// the buckets can be emptied and deleted (object lock then uses
	// GOVERNANCE mode, which a teardown may bypass).
	Protect bool
	Tags    map[string]string
	// Provider works in the log-archive account (or the management account
	// when the organization has no log-archive account).
	Provider pulumi.ProviderResource
	// AccessLogBucketName, when set, is the bucket every archive bucket's
	// S3 server access logs go to (under "<bucket name>/"), kept
	// AccessLogDays.
	AccessLogBucketName string
	AccessLogDays       int
}

// LogArchive is the organization's log archive: one KMS-encrypted,
// versioned, private, TLS-only S3 bucket per compliance boundary, and the
// organization trail.
type LogArchive struct {
	pulumi.ResourceState

	// Buckets, Keys and BucketPolicies by bucket key.
	Buckets        map[string]*s3.BucketV2
	Keys           map[string]*kms.Key
	BucketPolicies map[string]*s3.BucketPolicy
	Trail          *cloudtrail.Trail
	// AccessLogs is the access-log bucket; Logging the archive buckets'
	// server access logging into it, by bucket key.
	AccessLogs *s3.BucketV2
	Logging    map[string]*s3.BucketLoggingV2

	ready map[string]pulumi.StringOutput
}

// NewLogArchive registers the archive. The name prefixes its children.
func NewLogArchive(ctx *pulumi.Context, name string, args *LogArchiveArgs, opts ...pulumi.ResourceOption) (*LogArchive, error) {
	c, err := BuildLogArchive(ctx, name, args, opts...)
	if err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(c, c.Outputs()); err != nil {
		return nil, err
	}
	return c, nil
}

// Outputs are the component's registered outputs: per bucket key, the
// bucket's name, ARN and KMS key ARN.
func (c *LogArchive) Outputs() pulumi.Map { return pulumi.Map{"buckets": c.BucketOutputs()} }

// BucketOutputs are the buckets' names, ARNs and KMS key ARNs by bucket key.
func (c *LogArchive) BucketOutputs() pulumi.Map {
	out := pulumi.Map{}
	for k, b := range c.Buckets {
		out[k] = pulumi.Map{"bucket": b.Bucket, "arn": b.Arn, "kmsKeyArn": c.Keys[k].Arn}
	}
	return out
}

// BuildLogArchive is NewLogArchive without registering the outputs, for a
// host that registers them itself (see BuildTierOU).
func BuildLogArchive(ctx *pulumi.Context, name string, args *LogArchiveArgs, opts ...pulumi.ResourceOption) (*LogArchive, error) {
	if args == nil || args.OrganizationID == "" || args.AccountID == nil || len(args.Buckets) == 0 {
		return nil, errors.New("tierzone: NewLogArchive needs OrganizationID, AccountID and Buckets")
	}
	c := &LogArchive{
		Buckets:        map[string]*s3.BucketV2{},
		Keys:           map[string]*kms.Key{},
		BucketPolicies: map[string]*s3.BucketPolicy{},
		ready:          map[string]pulumi.StringOutput{},
		Logging:        map[string]*s3.BucketLoggingV2{},
	}
	if err := ctx.RegisterComponentResource(LogArchiveType, name, c, opts...); err != nil {
		return nil, err
	}
	in := childOptions(c, args.Provider)
	kept := in
	if args.Protect {
		kept = append(append([]pulumi.ResourceOption(nil), in...), pulumi.Protect(true), pulumi.RetainOnDelete(true))
	}
	for _, b := range args.Buckets {
		if err := c.bucket(ctx, name, b, args, kept); err != nil {
			return nil, err
		}
	}
	if args.AccessLogBucketName != "" {
		if err := c.accessLogs(ctx, name, args, kept); err != nil {
			return nil, err
		}
	}
	if args.Trail != nil {
		if err := c.trail(ctx, name, args); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Destination is the S3 flow-log destination "<bucket arn>/<prefix>/" in a
// bucket. It resolves only once the bucket policy lets the delivery
// service write, so a flow log built on it is created after that.
func (c *LogArchive) Destination(bucketKey, prefix string) (pulumi.StringOutput, error) {
	arn, ok := c.ready[bucketKey]
	if !ok {
		return pulumi.StringOutput{}, fmt.Errorf("tierzone: log archive has no bucket %q", bucketKey)
	}
	return pulumi.Sprintf("%s/%s/", arn, prefix), nil
}

func (c *LogArchive) bucket(ctx *pulumi.Context, name string, b ArchiveBucketArgs, args *LogArchiveArgs, kept []pulumi.ResourceOption) error {
	if b.Key == "" || b.BucketName == "" || len(b.Prefixes) == 0 {
		return errors.New("tierzone: an archive bucket needs Key, BucketName and Prefixes")
	}
	base := name + "-" + b.Key
	tags := maps.Clone(args.Tags)
	if tags == nil {
		tags = map[string]string{}
	}
	tags["archive-boundary"] = b.Key

	ouIDs, srcArns := pulumi.StringArray{}, pulumi.StringArray{}
	for _, p := range b.Prefixes {
		ouIDs = append(ouIDs, orEmpty(p.SourceOUID))
		srcArns = append(srcArns, orEmpty(p.SourceArn))
	}
	keyPolicy := pulumi.All(args.AccountID, srcArns).ApplyT(func(v []any) (string, error) {
		return jsonString(archiveKeyPolicy(v[0].(string), args.OrganizationID, b.Prefixes, v[1].([]string)))
	}).(pulumi.StringOutput)
	key, err := kms.NewKey(ctx, base+"-key", &kms.KeyArgs{
		Description:          pulumi.String("Tierzone log archive " + b.BucketName),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(KMSDeletionWindowDays),
		Policy:               keyPolicy,
		Tags:                 pulumi.ToStringMap(tags),
	}, kept...)
	if err != nil {
		return err
	}
	c.Keys[b.Key] = key

	bucket, err := s3.NewBucketV2(ctx, base+"-bucket", &s3.BucketV2Args{
		Bucket:            pulumi.String(b.BucketName),
		ObjectLockEnabled: pulumi.Bool(b.ObjectLockMode != ""),
		// Only unprotected (dev) stacks may delete a bucket that still holds logs.
		ForceDestroy: pulumi.Bool(!args.Protect),
		Tags:         pulumi.ToStringMap(tags),
	}, kept...)
	if err != nil {
		return err
	}
	c.Buckets[b.Key] = bucket
	// The settings that keep a protected bucket safe (public access block,
	// versioning, encryption, object lock, lifecycle, policy) are protected
	// and retained with it: deleting any of them would leave the logs
	// unencrypted, public-able or unlocked while the bucket itself survives.
	child := append(append([]pulumi.ResourceOption(nil), kept...), pulumi.DependsOn([]pulumi.Resource{bucket}))

	pab, err := s3.NewBucketPublicAccessBlock(ctx, base+"-public-access-block", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, child...)
	if err != nil {
		return err
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, base+"-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  bucket.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, child...)
	if err != nil {
		return err
	}
	sse, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, base+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm:   pulumi.String("aws:kms"),
				KmsMasterKeyId: key.Arn,
			},
			// An S3 bucket key cuts KMS requests (and their cost) by orders of
			// magnitude for the many small flow-log objects.
			BucketKeyEnabled: pulumi.Bool(true),
		}},
	}, child...)
	if err != nil {
		return err
	}
	after := []pulumi.Resource{pab, versioning, sse}
	if b.ObjectLockMode != "" {
		lock, err := s3.NewBucketObjectLockConfigurationV2(ctx, base+"-object-lock", &s3.BucketObjectLockConfigurationV2Args{
			Bucket: bucket.ID(),
			Rule: &s3.BucketObjectLockConfigurationV2RuleArgs{
				DefaultRetention: &s3.BucketObjectLockConfigurationV2RuleDefaultRetentionArgs{
					Mode: pulumi.String(b.ObjectLockMode),
					Days: pulumi.Int(b.ObjectLockDays),
				},
			},
		}, append(child, pulumi.DependsOn([]pulumi.Resource{versioning}))...)
		if err != nil {
			return err
		}
		after = append(after, lock)
	}
	lifecycle, err := s3.NewBucketLifecycleConfigurationV2(ctx, base+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules:  lifecycleRules(b.Prefixes),
	}, append(child, pulumi.DependsOn([]pulumi.Resource{versioning}))...)
	if err != nil {
		return err
	}
	after = append(after, lifecycle)

	policyDoc := pulumi.All(bucket.Arn, ouIDs, srcArns).ApplyT(func(v []any) (string, error) {
		arn, ous, srcs := v[0].(string), v[1].([]string), v[2].([]string)
		return jsonString(archiveBucketPolicy(arn, args.OrganizationID, b.Prefixes, ous, srcs, args.Protect))
	}).(pulumi.StringOutput)
	policy, err := s3.NewBucketPolicy(ctx, base+"-policy", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: policyDoc,
		// A public access block must exist before a policy is put (else a
		// race with BlockPublicPolicy); the rest so deliveries start on a
		// fully configured bucket.
	}, append(child, pulumi.DependsOn(after))...)
	if err != nil {
		return err
	}
	c.BucketPolicies[b.Key] = policy
	c.ready[b.Key] = pulumi.All(bucket.Arn, policy.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
	return nil
}

// trail registers the organization trail in the management account,
// delivering into its archive bucket with its bucket's key.
func (c *LogArchive) trail(ctx *pulumi.Context, name string, args *LogArchiveArgs) error {
	t := args.Trail
	bucket, ok := c.Buckets[t.BucketKey]
	if !ok || t.Provider == nil || t.Name == "" {
		return fmt.Errorf("tierzone: the organization trail needs Name, Provider and an archive bucket (got %q)", t.BucketKey)
	}
	opts := []pulumi.ResourceOption{
		pulumi.Parent(c),
		pulumi.Provider(t.Provider),
		// CloudTrail checks the bucket policy and key policy at creation.
		pulumi.DependsOn([]pulumi.Resource{c.BucketPolicies[t.BucketKey], c.Keys[t.BucketKey]}),
	}
	if args.Protect {
		opts = append(opts, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	}
	// A raw aws.cloudtrail.Trail, not awsx's cloudtrail.Trail: awsx always
	// writes its own default policy on the bucket (awsx/cloudtrail/trail.ts
	// createBucketCloudtrailPolicy), and a bucket has one policy, so it would
	// replace the archive's TLS-only, organization-scoped policy.
	trail, err := cloudtrail.NewTrail(ctx, name+"-org-trail", &cloudtrail.TrailArgs{
		Name:                       pulumi.String(t.Name),
		IsOrganizationTrail:        pulumi.Bool(true),
		IsMultiRegionTrail:         pulumi.Bool(true),
		IncludeGlobalServiceEvents: pulumi.Bool(true),
		EnableLogFileValidation:    pulumi.Bool(true),
		EnableLogging:              pulumi.Bool(true),
		KmsKeyId:                   c.Keys[t.BucketKey].Arn,
		S3BucketName:               bucket.Bucket,
		S3KeyPrefix:                pulumi.String(t.Prefix),
		// The archive is the system of record; the CloudWatch copy feeds
		// the CIS metric filters and alarms (CloudTrail.5, CIS 4.x).
		CloudWatchLogsGroupArn: t.CloudWatchLogsGroupARN,
		CloudWatchLogsRoleArn:  t.CloudWatchLogsRoleARN,
		Tags:                   pulumi.ToStringMap(args.Tags),
	}, opts...)
	if err != nil {
		return err
	}
	c.Trail = trail
	return nil
}

// lifecycleRules expire each prefix at its own retention, so tiers sharing
// a bucket keep their own promises, and drop incomplete uploads everywhere.
func lifecycleRules(prefixes []ArchivePrefix) s3.BucketLifecycleConfigurationV2RuleArray {
	var rules s3.BucketLifecycleConfigurationV2RuleArray
	for _, p := range prefixes {
		rules = append(rules, &s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:     pulumi.String(p.Prefix + "-retention"),
			Status: pulumi.String("Enabled"),
			Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String(p.Prefix + "/")},
			Transitions: s3.BucketLifecycleConfigurationV2RuleTransitionArray{&s3.BucketLifecycleConfigurationV2RuleTransitionArgs{
				Days:         pulumi.Int(p.TransitionDays),
				StorageClass: pulumi.String(p.StorageClass),
			}},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(p.ExpirationDays)},
			// Expiring a current version in a versioned bucket only adds a
			// delete marker; the version itself goes NoncurrentGraceDays
			// later (object lock keeps it until its retention ends anyway).
			NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
				NoncurrentDays: pulumi.Int(NoncurrentGraceDays),
			},
		})
	}
	rules = append(rules, &s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:     pulumi.String("abort-incomplete-multipart-uploads"),
		Status: pulumi.String("Enabled"),
		Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{},
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
			DaysAfterInitiation: pulumi.Int(AbortMultipartDays),
		},
	})
	return rules
}

// NoncurrentGraceDays is how long a replaced or expired object version is
// kept before the lifecycle removes it.
const NoncurrentGraceDays = 30

func services(prefixes []ArchivePrefix) []string {
	var out []string
	seen := map[string]bool{}
	add := func(svc string) {
		if !seen[svc] {
			seen[svc] = true
			out = append(out, svc)
		}
	}
	for _, p := range prefixes {
		add(p.Service)
		if p.ConfigDelivery {
			add(ConfigService)
		}
	}
	return out
}

// orgServices are the services whose deliveries carry aws:SourceOrgID and
// are refused from outside the organization. GuardDuty's findings export
// is allowed from the administrator account only (aws:SourceAccount), the
// condition its documented bucket policy uses.
func orgServices(prefixes []ArchivePrefix) []string {
	var out []string
	for _, svc := range services(prefixes) {
		if svc != GuardDutyService {
			out = append(out, svc)
		}
	}
	return out
}

// sourceAccount is the GuardDuty administrator of the prefixes, if any.
func sourceAccount(prefixes []ArchivePrefix, svc string) string {
	for _, p := range prefixes {
		if p.Service == svc && p.SourceAccount != "" {
			return p.SourceAccount
		}
	}
	return ""
}

// archiveKeyPolicy lets the key's own account administer the key (so it is
// never unmanageable) and the delivery services use it, only on behalf of
// the organization's accounts.
func archiveKeyPolicy(account, orgID string, prefixes []ArchivePrefix, srcArns []string) map[string]any {
	stmts := []map[string]any{{
		"Sid":       "KeyAccountAdministers",
		"Effect":    "Allow",
		"Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"},
		"Action":    "kms:*",
		"Resource":  "*",
	}}
	for _, svc := range services(prefixes) {
		cond := map[string]any{"StringEquals": map[string]any{"aws:SourceOrgID": orgID}}
		actions := []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}
		if svc == GuardDutyService {
			// GuardDuty encrypts exported findings with GenerateDataKey
			// (GuardDuty user guide, "Exporting findings": key policy).
			actions = []string{"kms:GenerateDataKey"}
			cond = map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": sourceAccount(prefixes, svc)}}
		}
		if svc == CloudTrailService {
			// CloudTrail encrypts with GenerateDataKey under its trail's
			// encryption context, and describes the key (a request without
			// encryption context) when the trail is created or updated.
			actions = []string{"kms:GenerateDataKey*"}
			describe := map[string]any{"StringEquals": map[string]any{"aws:SourceOrgID": orgID}}
			for i, p := range prefixes {
				if p.Service == svc && srcArns[i] != "" {
					cond["StringEquals"].(map[string]any)["aws:SourceArn"] = srcArns[i]
					cond["StringLike"] = map[string]any{"kms:EncryptionContext:aws:cloudtrail:arn": srcArns[i]}
					describe["StringEquals"].(map[string]any)["aws:SourceArn"] = srcArns[i]
				}
			}
			stmts = append(stmts, map[string]any{
				"Sid":       "AllowCloudTrailDescribeKey",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": svc},
				"Action":    "kms:DescribeKey",
				"Resource":  "*",
				"Condition": describe,
			})
		}
		stmts = append(stmts, map[string]any{
			"Sid":       "Allow" + sidName(svc),
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": svc},
			"Action":    actions,
			"Resource":  "*",
			"Condition": cond,
		})
	}
	return map[string]any{"Version": "2012-10-17", "Statement": stmts}
}

func sidName(svc string) string {
	switch svc {
	case CloudTrailService:
		return "CloudTrail"
	case GuardDutyService:
		return "GuardDuty"
	case ConfigService:
		return "Config"
	}
	return "LogDelivery"
}

// archiveBucketPolicy is the bucket policy: TLS only; each writer may put
// objects only under its prefix, only from the organization (and, for flow
// logs, only from accounts under the prefix's tier OU); any delivery from
// outside the organization is denied outright; in protected stacks nobody
// may delete an object version.
func archiveBucketPolicy(bucketArn, orgID string, prefixes []ArchivePrefix, ouIDs, srcArns []string, protect bool) map[string]any {
	stmts := []map[string]any{{
		"Sid":       "DenyInsecureTransport",
		"Effect":    "Deny",
		"Principal": "*",
		"Action":    "s3:*",
		"Resource":  []string{bucketArn, bucketArn + "/*"},
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	}, {
		"Sid":       "DenyDeliveriesFromOutsideOrganization",
		"Effect":    "Deny",
		"Principal": map[string]any{"Service": orgServices(prefixes)},
		"Action":    "s3:PutObject",
		"Resource":  bucketArn + "/*",
		"Condition": map[string]any{"StringNotEquals": map[string]any{"aws:SourceOrgID": orgID}},
	}}
	for _, svc := range services(prefixes) {
		if svc == GuardDutyService {
			// GuardDuty user guide, "Exporting findings": GetBucketLocation
			// and PutObject, from the administrator account.
			stmts = append(stmts, map[string]any{
				"Sid":       "GuardDutyGetBucketLocation",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": svc},
				"Action":    "s3:GetBucketLocation",
				"Resource":  bucketArn,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": sourceAccount(prefixes, svc)}},
			})
			continue
		}
		stmts = append(stmts, map[string]any{
			"Sid":       sidName(svc) + "AclCheck",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": svc},
			"Action":    []string{"s3:GetBucketAcl", "s3:ListBucket"},
			"Resource":  bucketArn,
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceOrgID": orgID}},
		})
	}
	for i, p := range prefixes {
		if p.Service == GuardDutyService {
			stmts = append(stmts, map[string]any{
				"Sid":       "GuardDutyWrite" + sidSuffix(p.Prefix),
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": p.Service},
				"Action":    "s3:PutObject",
				"Resource":  bucketArn + "/" + p.Prefix + "/*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": p.SourceAccount}},
			})
			continue
		}
		cond := map[string]any{"StringEquals": map[string]any{
			"aws:SourceOrgID": orgID,
			"s3:x-amz-acl":    "bucket-owner-full-control",
		}}
		if ou := ouIDs[i]; ou != "" {
			// aws:SourceOrgPaths is o-xxx/r-xxx/ou-.../ for the source account.
			cond["ForAnyValue:StringLike"] = map[string]any{"aws:SourceOrgPaths": orgID + "/*/" + ou + "/*"}
		}
		if srcArns[i] != "" {
			cond["StringEquals"].(map[string]any)["aws:SourceArn"] = srcArns[i]
		}
		var principal any = p.Service
		if p.ConfigDelivery {
			// AWS Config writes <prefix>/<customer>/AWSLogs/<account>/Config/...
			// with the same ACL and from the same accounts (Config developer
			// guide, "Permissions for the Amazon S3 Bucket").
			principal = []string{p.Service, ConfigService}
		}
		stmts = append(stmts, map[string]any{
			"Sid":       sidName(p.Service) + "Write" + sidSuffix(p.Prefix),
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": principal},
			"Action":    "s3:PutObject",
			"Resource":  bucketArn + "/" + p.Prefix + deliveryPath(p.Service),
			"Condition": cond,
		})
	}
	if protect {
		stmts = append(stmts, map[string]any{
			"Sid":       "DenyLogDeletion",
			"Effect":    "Deny",
			"Principal": "*",
			"Action":    []string{"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"},
			"Resource":  bucketArn + "/*",
		})
	}
	return map[string]any{"Version": "2012-10-17", "Statement": stmts}
}

// deliveryPath is where a service writes below its prefix: flow logs go to
// <prefix>/<customer>/AWSLogs/<account>/vpcflowlogs/..., CloudTrail to
// <prefix>/AWSLogs/<account or org id>/....
func deliveryPath(service string) string {
	if service == LogDeliveryService {
		return "/*/AWSLogs/*"
	}
	return "/AWSLogs/*"
}

// sidSuffix turns a prefix into Sid characters ([A-Za-z0-9]).
func sidSuffix(prefix string) string {
	out := make([]byte, 0, len(prefix))
	upper := true
	for i := 0; i < len(prefix); i++ {
		ch := prefix[i]
		switch {
		case ch >= 'a' && ch <= 'z':
			if upper {
				ch -= 'a' - 'A'
			}
			out = append(out, ch)
			upper = false
		case ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9':
			out = append(out, ch)
			upper = false
		default:
			upper = true
		}
	}
	return string(out)
}

func orEmpty(s pulumi.StringInput) pulumi.StringInput {
	if s == nil {
		return pulumi.String("")
	}
	return s
}

// S3LoggingService delivers S3 server access logs.
const S3LoggingService = "logging.s3.amazonaws.com"

// accessLogs registers the access-log bucket and turns on server access
// logging for every archive bucket into it. The bucket is locked down like
// the archive (public access blocked, versioned, TLS only, writable only by
// S3's logging service for the archive's buckets, no deletes when
// protected) but encrypted with SSE-S3: a server access log target may not
// use SSE-KMS default encryption (S3 user guide, "Enabling Amazon S3
// server access logging": "the destination bucket ... SSE-S3 only").
func (c *LogArchive) accessLogs(ctx *pulumi.Context, name string, args *LogArchiveArgs, kept []pulumi.ResourceOption) error {
	base := name + "-access-logs"
	tags := maps.Clone(args.Tags)
	if tags == nil {
		tags = map[string]string{}
	}
	tags["archive-boundary"] = AccessLogsBoundary
	bucket, err := s3.NewBucketV2(ctx, base+"-bucket", &s3.BucketV2Args{
		Bucket:       pulumi.String(args.AccessLogBucketName),
		ForceDestroy: pulumi.Bool(!args.Protect),
		Tags:         pulumi.ToStringMap(tags),
	}, kept...)
	if err != nil {
		return err
	}
	c.AccessLogs = bucket
	child := append(append([]pulumi.ResourceOption(nil), kept...), pulumi.DependsOn([]pulumi.Resource{bucket}))
	pab, err := s3.NewBucketPublicAccessBlock(ctx, base+"-public-access-block", &s3.BucketPublicAccessBlockArgs{
		Bucket: bucket.ID(), BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
		IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
	}, child...)
	if err != nil {
		return err
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, base+"-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  bucket.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, child...)
	if err != nil {
		return err
	}
	sse, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, base+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, child...)
	if err != nil {
		return err
	}
	lifecycle, err := s3.NewBucketLifecycleConfigurationV2(ctx, base+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{
			&s3.BucketLifecycleConfigurationV2RuleArgs{
				Id: pulumi.String("access-logs-retention"), Status: pulumi.String("Enabled"),
				Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{},
				Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(args.AccessLogDays)},
				NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
					NoncurrentDays: pulumi.Int(NoncurrentGraceDays),
				},
				AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
					DaysAfterInitiation: pulumi.Int(AbortMultipartDays),
				},
			},
		},
	}, append(child, pulumi.DependsOn([]pulumi.Resource{versioning}))...)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(args.Buckets))
	sources := pulumi.StringArray{}
	for _, b := range args.Buckets {
		keys = append(keys, b.Key)
		sources = append(sources, c.Buckets[b.Key].Arn)
	}
	policyDoc := pulumi.All(bucket.Arn, args.AccountID, sources).ApplyT(func(v []any) (string, error) {
		arn, account, srcs := v[0].(string), v[1].(string), v[2].([]string)
		stmts := []map[string]any{{
			"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
			"Resource": []string{arn, arn + "/*"}, "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
		}, {
			// S3 user guide, "Permissions for log delivery": the logging
			// service writes for the archive's buckets in this account only.
			"Sid": "S3ServerAccessLogsPolicy", "Effect": "Allow", "Principal": map[string]any{"Service": S3LoggingService},
			"Action": "s3:PutObject", "Resource": arn + "/*",
			"Condition": map[string]any{"ArnLike": map[string]any{"aws:SourceArn": srcs}, "StringEquals": map[string]any{"aws:SourceAccount": account}},
		}}
		if args.Protect {
			stmts = append(stmts, map[string]any{
				"Sid": "DenyLogDeletion", "Effect": "Deny", "Principal": "*",
				"Action": []string{"s3:DeleteObject", "s3:DeleteObjectVersion"}, "Resource": arn + "/*",
			})
		}
		return jsonString(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	}).(pulumi.StringOutput)
	policy, err := s3.NewBucketPolicy(ctx, base+"-policy", &s3.BucketPolicyArgs{Bucket: bucket.ID(), Policy: policyDoc},
		append(child, pulumi.DependsOn([]pulumi.Resource{pab, versioning, sse, lifecycle}))...)
	if err != nil {
		return err
	}
	for _, k := range keys {
		src := c.Buckets[k]
		lg, err := s3.NewBucketLoggingV2(ctx, name+"-"+k+"-access-logging", &s3.BucketLoggingV2Args{
			Bucket:       src.ID(),
			TargetBucket: bucket.ID(),
			TargetPrefix: pulumi.Sprintf("%s/", src.Bucket),
		}, append(append([]pulumi.ResourceOption(nil), kept...), pulumi.DependsOn([]pulumi.Resource{policy}))...)
		if err != nil {
			return err
		}
		c.Logging[k] = lg
	}
	return nil
}

// AccessLogsBoundary is the archive-boundary tag of the access-log bucket.
const AccessLogsBoundary = "access-logs"
