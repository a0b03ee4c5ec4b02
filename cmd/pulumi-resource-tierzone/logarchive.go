package main

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/tiers"
)

// LogArchive serves components.LogArchive: the organization's log archive,
// one bucket per archive boundary plus the trail bucket, each KMS-encrypted
// with the tiers' retention, object lock and storage classes. The
// organization trail itself is left to the program (the Go program's
// LandingZone creates it with its CIS monitoring).
type LogArchive struct{}

// LogArchiveArgs are LogArchive's inputs.
type LogArchiveArgs struct {
	OrganizationId      string                `pulumi:"organizationId"`
	SecurityAccountId   string                `pulumi:"securityAccountId"`
	AccountId           pulumi.StringInput    `pulumi:"accountId"`
	ManagementAccountId pulumi.StringInput    `pulumi:"managementAccountId"`
	TierOuIds           pulumi.StringMapInput `pulumi:"tierOuIds"`
	Protect             *bool                 `pulumi:"protect,optional"`
	Settings            *Settings             `pulumi:"settings,optional"`
}

// LogArchiveState is the component with its outputs.
type LogArchiveState struct {
	// ComponentResource is the Go component (components.LogArchive) itself.
	pulumi.ComponentResource
	Buckets pulumi.MapOutput `pulumi:"buckets"`
}

// Annotate sets the Go library's type token and documents the component.
func (c *LogArchive) Annotate(a infer.Annotator) {
	a.SetToken("logging", "LogArchive")
	a.Describe(c, "The organization's log archive: a KMS-encrypted, versioned bucket per archive boundary (Gov-Federal apart) and one for the organization trail and GuardDuty findings, with each tier's retention, object lock and storage class, delivery admitted only from the organization's tier OUs. Protected and retained on delete unless protect is false.")
}

// Annotate documents the inputs.
func (a *LogArchiveArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.OrganizationId, "The organization id (o-...); deliveries are admitted only from it.")
	an.Describe(&a.SecurityAccountId, "The security tooling account, whose GuardDuty exports findings to the archive.")
	an.Describe(&a.AccountId, "The account the archive lives in (the provider's).")
	an.Describe(&a.ManagementAccountId, "The management account, which owns the organization trail.")
	an.Describe(&a.TierOuIds, "Every tier's OU id by tier key (TierOU's ouId); the tier's flow logs and AWS Config deliver from it.")
	an.Describe(&a.Protect, "Protect the buckets and keys, retain them on delete and lock objects in Compliance mode where a tier demands it (default true).")
	an.Describe(&a.Settings, "Stack settings (name prefix, which names the buckets).")
}

// Annotate documents the outputs.
func (s *LogArchiveState) Annotate(a infer.Annotator) {
	a.Describe(&s.Buckets, "By bucket key (a boundary or trail): the bucket's name, ARN and KMS key ARN.")
}

// Construct validates the settings and builds the Go component.
func (*LogArchive) Construct(ctx *pulumi.Context, name, typ string, args LogArchiveArgs, opts pulumi.ResourceOption) (*LogArchiveState, error) {
	s := args.Settings.resolve()
	s.OrganizationID, s.SecurityAccountID, s.Protect = args.OrganizationId, args.SecurityAccountId, protect(args.Protect)
	// Every tier's flow logs deliver from its OU: a missing one would admit
	// no one (or, empty, the wrong principals), so it fails the update.
	ous := args.TierOuIds.ToStringMapOutput().ApplyT(func(m map[string]string) (map[string]string, error) {
		var missing []string
		for _, k := range tiers.Keys() {
			if m[k] == "" {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("tierzone:logging:LogArchive %s: tierOuIds lacks tiers %s (want the OU id of every tier: %s)",
				name, strings.Join(missing, ", "), strings.Join(tiers.Keys(), ", "))
		}
		return m, nil
	}).(pulumi.StringMapOutput)
	tierOU := func(tier string) pulumi.StringInput { return ous.MapIndex(pulumi.String(tier)) }
	trailArn := s.TrailARN(args.ManagementAccountId)
	la, err := landingzone.ArchiveArgs(s, args.AccountId, tierOU, trailArn, nil)
	if err != nil {
		return nil, err
	}
	c, err := components.BuildLogArchive(ctx, name, la, opts)
	if err != nil {
		return nil, err
	}
	return &LogArchiveState{ComponentResource: c, Buckets: c.BucketOutputs().ToMapOutput()}, nil
}
