package components

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/tiers"
)

// TierManagementPoliciesType is the TierManagementPolicies type token.
const TierManagementPoliciesType = "tierzone:organization:TierManagementPolicies"

// Organizations management-policy limits (AWS Organizations quotas:
// maximum size of a tag or backup policy document).
const (
	MaxTagPolicyChars    = 10000
	MaxBackupPolicyChars = 10000
)

// tagPolicyEnforcedFor are the resource types whose tagging operations the
// tag policy blocks when a value is not allowed ("ec2:ALL_SUPPORTED":
// every EC2 type that supports enforcement, the VPC and what is in it).
func tagPolicyEnforcedFor() []string { return []string{"ec2:ALL_SUPPORTED"} }

// TierManagementPoliciesArgs configures a TierManagementPolicies.
type TierManagementPoliciesArgs struct {
	Tier tiers.Tier
	// Regions are where the tier's backup plan runs: the tier's regions,
	// one of which is each customer's, where its vault is.
	Regions []string
	// OUID is the tier's OU, which both policies are attached to.
	OUID pulumi.StringInput
	// NamePrefix starts the policies' names.
	NamePrefix string
	Tags       map[string]string
	// Provider is the management account's.
	Provider pulumi.ProviderResource
}

// TierManagementPolicies are a tier OU's Organizations management
// policies: a tag policy fixing the customer, tier and framework tags'
// keys and allowed values, and a backup policy backing up what customers
// tag for backup into each account's vault on the tier's schedule.
type TierManagementPolicies struct {
	pulumi.ResourceState

	TagPolicy, BackupPolicy *organizations.Policy
	Attachments             []*organizations.PolicyAttachment
}

// TagPolicyKeys are the tag keys every tier's tag policy fixes.
func TagPolicyKeys() []string { return []string{"customer", "tier", "framework"} }

// TagPolicyValues are the values the tier's tag policy allows per tag key;
// a key without values takes any. The customer tag's values are not
// listed: the list would change the tier's policy whenever a customer
// joins, and every account's own tags already carry its key.
func TagPolicyValues(t tiers.Tier) map[string][]string {
	return map[string][]string{"tier": {t.Key}, "framework": {t.FrameworkList()}}
}

// TagPolicyDocument is the tier's tag policy: the tag keys with their
// capitalization, and the tier's own values of tier and framework.
func TagPolicyDocument(t tiers.Tier) (string, error) {
	assign := func(v any) map[string]any { return map[string]any{"@@assign": v} }
	tag := func(key string, values []string) map[string]any {
		m := map[string]any{"tag_key": assign(key)}
		if len(values) > 0 {
			m["tag_value"] = assign(values)
			m["enforced_for"] = assign(tagPolicyEnforcedFor())
		}
		return m
	}
	values := TagPolicyValues(t)
	tags := map[string]any{}
	for _, k := range TagPolicyKeys() {
		tags[k] = tag(k, values[k])
	}
	doc := map[string]any{"tags": tags}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("tag policy of %s: %w", t.Key, err)
	}
	return string(b), nil
}

// NewTierManagementPolicies registers both policies and their attachments
// to the tier's OU. The name is the tier key.
func NewTierManagementPolicies(ctx *pulumi.Context, name string, args *TierManagementPoliciesArgs, opts ...pulumi.ResourceOption) (*TierManagementPolicies, error) {
	if args == nil || args.OUID == nil || len(args.Regions) == 0 || args.Provider == nil {
		return nil, errors.New("tierzone: NewTierManagementPolicies needs OUID, Regions and the management Provider")
	}
	tagDoc, err := TagPolicyDocument(args.Tier)
	if err != nil {
		return nil, err
	}
	backupDoc, err := args.Tier.Baseline().Backup.BackupPolicy(args.NamePrefix+"-"+args.Tier.Key, args.Regions, BackupVaultName, BackupRoleName)
	if err != nil {
		return nil, err
	}
	if len(tagDoc) > MaxTagPolicyChars || len(backupDoc) > MaxBackupPolicyChars {
		return nil, fmt.Errorf("tierzone: tier %s: tag policy %d and backup policy %d characters; Organizations allows %d and %d", args.Tier.Key, len(tagDoc), len(backupDoc), MaxTagPolicyChars, MaxBackupPolicyChars)
	}
	c := &TierManagementPolicies{}
	if err := ctx.RegisterComponentResource(TierManagementPoliciesType, name, c, opts...); err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(args.Provider)}
	for _, p := range []struct {
		kind, typ, doc, what string
		out                  **organizations.Policy
	}{
		{"tag-policy", "TAG_POLICY", tagDoc, "customer, tier and framework tags of the " + args.Tier.DisplayName + " tier", &c.TagPolicy},
		{"backup-policy", "BACKUP_POLICY", backupDoc, "backups of the " + args.Tier.DisplayName + " tier's tagged resources", &c.BackupPolicy},
	} {
		pol, err := organizations.NewPolicy(ctx, name+"-"+p.kind, &organizations.PolicyArgs{
			Name:        pulumi.String(args.NamePrefix + "-" + args.Tier.Key + "-" + p.kind),
			Description: pulumi.String("Tierzone: " + p.what),
			Type:        pulumi.String(p.typ),
			Content:     pulumi.String(p.doc),
			Tags:        pulumi.ToStringMap(args.Tags),
		}, child...)
		if err != nil {
			return nil, err
		}
		*p.out = pol
		a, err := organizations.NewPolicyAttachment(ctx, name+"-"+p.kind+"-attachment", &organizations.PolicyAttachmentArgs{
			PolicyId: pol.ID(),
			TargetId: args.OUID,
		}, child...)
		if err != nil {
			return nil, err
		}
		c.Attachments = append(c.Attachments, a)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"tagPolicyId":    c.TagPolicy.ID(),
		"backupPolicyId": c.BackupPolicy.ID(),
	}); err != nil {
		return nil, err
	}
	return c, nil
}
