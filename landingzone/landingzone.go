// Package landingzone composes Tierzone's components into the whole landing
// zone: the tier OUs with their SCPs, then each customer's account and VPC.
// main.go, the offline plan and the Automation API all run this same code.
package landingzone

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// LandingZoneType is the LandingZone type token.
const LandingZoneType = "tierzone:landingzone:LandingZone"

// Args configures a LandingZone.
type Args struct {
	// Catalog is the whole customer catalog; it is validated in full even
	// when the stack deploys only some customers.
	Catalog  []customers.Customer
	Settings Settings
	// ManagementProvider is the AWS provider for the organization's
	// management account. Nil: one is created in Settings.ManagementRegion
	// with the ambient credentials.
	ManagementProvider pulumi.ProviderResource
}

// Customer is one deployed customer's components.
type Customer struct {
	Spec    CustomerSpec
	Account *components.CustomerAccount
	VPC     *components.CustomerVPC
	// Config is AWS Config in the customer's account (nil in an
	// organization stack of the sharded layout).
	Config *components.AccountConfig
	// Hardening is the account baseline in the customer's account (nil
	// in an organization stack of the sharded layout).
	Hardening *components.AccountBaseline
	// Protected is whether the customer's account and keys are protected
	// (the stack protects and the customer is not being decommissioned).
	Protected bool
	// ArchiveDestination is where the customer's archive flow log writes;
	// an organization stack of the sharded layout exports it for the
	// customer's own stack. Nil elsewhere.
	ArchiveDestination pulumi.StringInput
	// Observe is the customer's OAM link, alarms and own dashboard.
	Observe *components.CustomerObservability
	// Shield is the account's Shield Advanced subscription and protections
	// (nil unless Settings.Shielded).
	Shield *components.ShieldAdvanced
	// Budget is the customer account's monthly AWS Budget (nil in a
	// customer stack of the sharded layout).
	Budget *components.CustomerBudget
	// Access is the customer's Identity Center groups, users and
	// assignments (nil without Settings.IdentityCenter, and in a customer
	// stack of the sharded layout).
	Access *components.CustomerAccess
	// Connection is the customer's IPAM allocation and Transit Gateway
	// attachment (nil off the hub).
	Connection *components.CustomerConnection
}

// LandingZone is the composed landing zone.
type LandingZone struct {
	pulumi.ResourceState

	Plan     *Plan
	Baseline *organizations.Policy
	// TierOUs by tier key; Customers in catalog order.
	TierOUs map[string]*components.TierOU
	// SegmentOUs are the tiers' segment OUs, by SegmentName.
	SegmentOUs map[string]*components.SegmentOU
	// TierPolicies are each tier OU's tag and backup policies, by tier key
	// (none in a customer stack).
	TierPolicies map[string]*components.TierManagementPolicies
	Customers    []Customer
	// Archive is the log archive and organization trail.
	Archive *components.LogArchive
	// Security is GuardDuty, Security Hub and the Config aggregator,
	// administered from the security tooling account (nil in a customer
	// stack).
	Security *components.SecurityTooling
	// Monitoring is the CIS monitoring on the organization trail.
	Monitoring *components.TrailMonitoring
	// Observability is the OAM sink and the organization and tier
	// dashboards in the monitoring account (observability.go).
	Observability *components.MonitoringHub
	// Findings counts GuardDuty and Security Hub findings in the security
	// account for the organization dashboard (nil in a customer stack).
	Findings *components.FindingCounts
	// IdentityCenter is the instance customer sign-in goes through, and
	// Access each tier's permission sets and operators group (both empty
	// without Settings.IdentityCenter and in a customer stack).
	IdentityCenter *IdentityCenterInstance
	Access         map[string]*components.TierAccess
	// CostAllocation is the cost allocation tags, cost categories and
	// anomaly monitors (nil in a customer stack).
	CostAllocation *components.CostAllocation
	// Hub is the network hub (nil without Settings.NetworkAccountID).
	Hub *Hub

	// securityProvider works in the security tooling account.
	securityProvider pulumi.ProviderResource
	// outputs is Outputs' map, built once: New registers it and Export
	// exports it, and building it walks every customer and control.
	outputs pulumi.Map
}

// New validates the catalog and settings and, only when they are valid,
// registers the landing zone. A validation failure returns a
// *validation.Error listing every problem, and nothing is registered.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*LandingZone, error) {
	lz, err := Build(ctx, name, args, opts...)
	if err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(lz, lz.componentOutputs()); err != nil {
		return nil, err
	}
	return lz, nil
}

// componentOutputs are the outputs New registers for the component: all of
// Outputs but the control report, which Export makes a stack output. It is
// the largest output by far (19 MB at 1,000 customers), and registering it
// twice would keep it twice in the stack's state and marshal it twice on
// every run. The component provider's LandingZone, which has no stack of its
// own, keeps it as an output property.
func (lz *LandingZone) componentOutputs() pulumi.Map {
	all := lz.Outputs()
	out := make(pulumi.Map, len(all))
	for k, v := range all {
		if k != "controls" {
			out[k] = v
		}
	}
	return out
}

// Build is New without registering the outputs, for a host that registers
// them itself (the component provider; see components.BuildTierOU).
func Build(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*LandingZone, error) {
	plan, err := Resolve(args.Catalog, args.Settings)
	if err != nil {
		return nil, err
	}
	buckets, err := archiveBuckets(plan)
	if err != nil {
		return nil, err
	}
	if err := CheckObservability(plan); err != nil {
		return nil, err
	}
	lz := &LandingZone{Plan: plan, TierOUs: map[string]*components.TierOU{}, TierPolicies: map[string]*components.TierManagementPolicies{},
		Access: map[string]*components.TierAccess{}, SegmentOUs: map[string]*components.SegmentOU{}}
	if err := ctx.RegisterComponentResource(LandingZoneType, name, lz, opts...); err != nil {
		return nil, err
	}
	s := plan.Settings
	if s.CustomerStack != nil {
		// A customer stack of the sharded layout: only what lives inside
		// the customer's account. The orchestrator keeps removals safe.
		if err := lz.customerStack(ctx, plan); err != nil {
			return nil, err
		}
		return lz, nil
	}
	// Before anything that could change: a protected customer must not
	// disappear by accident.
	prev, err := checkRemovals(ctx, lz, plan)
	if err != nil {
		return nil, err
	}
	if pins := PreviousAllocations(prev); plan.Hub != nil && len(pins) > 0 {
		// Keep what earlier runs allocated from IPAM, so that onboarding
		// or removing a customer never moves another's VPC.
		if plan, err = ResolveKeeping(args.Catalog, args.Settings, pins); err != nil {
			return nil, err
		}
		lz.Plan = plan
	}
	s = plan.Settings
	mgmt := args.ManagementProvider
	if mgmt == nil {
		p, err := aws.NewProvider(ctx, "management", &aws.ProviderArgs{
			Region: pulumi.String(s.ManagementRegion),
		}, pulumi.Parent(lz))
		if err != nil {
			return nil, err
		}
		mgmt = p
	}
	if s.IdentityCenter {
		// Before anything changes: without an instance nothing can sign in.
		ic, err := lookupIdentityCenter(ctx, mgmt)
		if err != nil {
			return nil, err
		}
		lz.IdentityCenter = &ic
	}
	orgTags := map[string]string{"managed-by": ManagedBy}

	baseline, err := organizations.NewPolicy(ctx, plan.Baseline.Name, &organizations.PolicyArgs{
		Name:        pulumi.String(plan.Baseline.Name),
		Description: pulumi.String(plan.Baseline.Description),
		Type:        pulumi.String("SERVICE_CONTROL_POLICY"),
		Content:     pulumi.String(plan.BaselineJSON),
		Tags:        pulumi.ToStringMap(orgTags),
	}, pulumi.Parent(lz), pulumi.Provider(mgmt))
	if err != nil {
		return nil, err
	}
	lz.Baseline = baseline

	for _, ts := range plan.Tiers {
		tierArgs := TierOUArgs(ts, pulumi.String(s.OrganizationRootID),
			[]components.AttachedPolicy{{Name: "baseline", ID: baseline.ID().ToStringOutput()}}, mgmt)
		ou, err := components.NewTierOU(ctx, ts.Tier.Key, tierArgs, pulumi.Parent(lz))
		if err != nil {
			return nil, err
		}
		lz.TierOUs[ts.Tier.Key] = ou
		if err := newSegmentOUs(ctx, lz, ts, ou, mgmt); err != nil {
			return nil, err
		}
		if lz.TierPolicies[ts.Tier.Key], err = newTierManagementPolicies(ctx, lz, plan, ts, ou, mgmt); err != nil {
			return nil, err
		}
		if lz.IdentityCenter != nil {
			if lz.Access[ts.Tier.Key], err = newTierAccess(ctx, lz, ts, mgmt); err != nil {
				return nil, err
			}
		}
	}

	if plan.Hub != nil {
		if lz.Hub, err = newHub(ctx, lz, mgmt); err != nil {
			return nil, err
		}
	}

	archive, err := newArchive(ctx, lz, plan, buckets, mgmt)
	if err != nil {
		return nil, err
	}
	lz.Archive = archive

	// created are the accounts this program creates, in catalog order; each
	// waits for the one AccountCreationConcurrency places before it.
	var created []pulumi.Resource
	scope := components.AccountAndProvider
	if s.Sharded() {
		// The organization stack: accounts here, the rest in each
		// customer's own stack.
		scope = components.AccountOnly
	}
	for _, cs := range plan.Customers {
		key := cs.Customer.Key
		protect, custOpts := customerProtection(s, key)
		destination, err := archive.Destination(cs.Tier.ArchiveBoundary, CustomerArchivePrefix(cs))
		if err != nil {
			return nil, err
		}
		acctArgs := AccountArgs(cs, s, lz.accountParent(cs), protect, mgmt)
		acctArgs.Scope, acctArgs.CreateAfter = scope, creationSlot(created, cs.Customer.Adopted())
		acct, err := components.NewCustomerAccount(ctx, key, acctArgs, append(custOpts, pulumi.Parent(lz))...)
		if err != nil {
			return nil, err
		}
		if !cs.Customer.Adopted() {
			created = append(created, acct.Account)
		}
		c := Customer{Spec: cs, Account: acct, Protected: protect}
		if c.Budget, err = newCustomerBudget(ctx, lz, cs, acct, mgmt, custOpts); err != nil {
			return nil, err
		}
		if lz.IdentityCenter != nil {
			if c.Access, err = newCustomerAccess(ctx, lz, cs, acct, mgmt, custOpts); err != nil {
				return nil, err
			}
		}
		if s.Sharded() {
			c.ArchiveDestination = destination
		} else {
			if c.VPC, err = newVPC(ctx, lz, cs, acct, destination, protect, custOpts); err != nil {
				return nil, err
			}
			if c.Shield, err = newShieldAdvanced(ctx, lz, cs, acct, c.VPC, custOpts); err != nil {
				return nil, err
			}
			if c.Connection, err = newCustomerConnection(ctx, lz, cs, acct, c.VPC, custOpts); err != nil {
				return nil, err
			}
			after := []pulumi.Resource{archive.BucketPolicies[cs.Tier.ArchiveBoundary]}
			if c.Config, err = newAccountConfig(ctx, lz, plan, cs, acct, after, custOpts); err != nil {
				return nil, err
			}
			if c.Hardening, err = newAccountBaseline(ctx, lz, cs, acct, protect, custOpts); err != nil {
				return nil, err
			}
		}
		lz.Customers = append(lz.Customers, c)
	}
	if lz.CostAllocation, err = newCostAllocation(ctx, lz, mgmt); err != nil {
		return nil, err
	}
	if lz.Security, err = newSecurityTooling(ctx, lz, plan, mgmt); err != nil {
		return nil, err
	}
	if err := newObservability(ctx, lz); err != nil {
		return nil, err
	}
	return lz, nil
}

// customerProtection is whether a customer's resources are protected, and
// the options its components take: a customer being decommissioned from a
// protected stack is unprotected, so that a later removal can succeed, but
// still retained, so AWS keeps everything.
func customerProtection(s Settings, key string) (bool, []pulumi.ResourceOption) {
	protect := s.Protect && !slices.Contains(s.Decommission, key)
	if s.Protect && !protect {
		return false, []pulumi.ResourceOption{pulumi.Transformations([]pulumi.ResourceTransformation{retainOnDelete})}
	}
	return protect, nil
}

// newVPC registers a customer's VPC through the provider into its account.
func newVPC(ctx *pulumi.Context, lz *LandingZone, cs CustomerSpec, acct *components.CustomerAccount, destination pulumi.StringInput,
	protect bool, custOpts []pulumi.ResourceOption) (*components.CustomerVPC, error) {
	return components.NewCustomerVPC(ctx, cs.Customer.Key, VPCArgs(cs, acct.AccountID, destination, protect, acct.Provider),
		append(custOpts, pulumi.Parent(lz))...)
}

// customerStack registers a sharded layout's customer stack: the provider
// into the account the organization stack manages, and the VPC with its
// flow logs, under the same component names as the single layout, so the
// cloud resources and their inputs are the same.
func (lz *LandingZone) customerStack(ctx *pulumi.Context, plan *Plan) error {
	s, ref := plan.Settings, plan.Settings.CustomerStack
	cs := plan.Customers[0]
	protect, custOpts := customerProtection(s, ref.Customer)
	acct, err := components.NewCustomerAccount(ctx, ref.Customer, &components.CustomerAccountArgs{
		Scope:            components.ProviderOnly,
		ManagedAccountID: ref.AccountID,
		RoleName:         s.OrgAccessRoleName,
		Region:           cs.Region,
		Tags:             cs.Tags,
	}, append(custOpts, pulumi.Parent(lz))...)
	if err != nil {
		return err
	}
	vpc, err := newVPC(ctx, lz, cs, acct, pulumi.String(ref.ArchiveDestination), protect, custOpts)
	if err != nil {
		return err
	}
	config, err := newAccountConfig(ctx, lz, plan, cs, acct, nil, custOpts)
	if err != nil {
		return err
	}
	hardening, err := newAccountBaseline(ctx, lz, cs, acct, protect, custOpts)
	if err != nil {
		return err
	}
	c := Customer{Spec: cs, Account: acct, VPC: vpc, Config: config, Hardening: hardening, Protected: protect}
	if c.Shield, err = newShieldAdvanced(ctx, lz, cs, acct, vpc, custOpts); err != nil {
		return err
	}
	var sink pulumi.StringInput
	if ref.SinkARN != "" {
		sink = pulumi.String(ref.SinkARN)
	}
	if c.Observe, err = newCustomerObservability(ctx, lz, c, sink); err != nil {
		return err
	}
	lz.Customers = append(lz.Customers, c)
	return nil
}

// AccountCreationConcurrency is how many CreateAccount requests AWS
// Organizations lets be in progress at once ("Quotas for AWS Organizations":
// "Number of member accounts you can concurrently create: 5"). Pulumi would
// otherwise start every new account at once.
const AccountCreationConcurrency = 5

// creationSlot returns what a new account must wait for so that at most
// AccountCreationConcurrency creations run at once: the account created that
// many places earlier. Waiting changes no input, so onboarding or removing a
// customer never updates another customer's account. Adopted accounts are
// imported, not created, and take no slot.
func creationSlot(created []pulumi.Resource, adopted bool) []pulumi.Resource {
	if adopted || len(created) < AccountCreationConcurrency {
		return nil
	}
	return []pulumi.Resource{created[len(created)-AccountCreationConcurrency]}
}

// CustomerArchivePrefix is where a customer's archive flow log writes in
// its tier's archive bucket: "<tier>/<customer>".
func CustomerArchivePrefix(cs CustomerSpec) string { return cs.Tier.Key + "/" + cs.Customer.Key }

// ArchiveDestination is the S3 destination of a customer's archive flow
// log given its tier's bucket ARN, as the organization stack exports it
// ("arn:aws:s3:::<bucket>/<tier>/<customer>/").
func ArchiveDestination(bucketARN string, cs CustomerSpec) string {
	return bucketARN + "/" + CustomerArchivePrefix(cs) + "/"
}

// FlowLogGroupName is the CloudWatch log group of a customer's flow logs.
func FlowLogGroupName(key string) string { return LogGroupPrefix + "vpc-flow-logs/" + key }

// Outputs are the component's registered outputs, the stack outputs Export
// exports: "tiers", "customers", and "controls" and "archiveBuckets" where
// the stack has them. It builds the map on the first call, once the landing
// zone is built, and returns that same map after; callers must not change it.
func (lz *LandingZone) Outputs() pulumi.Map {
	if lz.outputs == nil {
		lz.outputs = lz.buildOutputs()
	}
	return lz.outputs
}

func (lz *LandingZone) buildOutputs() pulumi.Map {
	tiers := pulumi.Map{}
	for k, ou := range lz.TierOUs {
		tiers[k] = pulumi.Map{"ouId": ou.OUID}
	}
	custs := pulumi.Map{}
	for _, c := range lz.Customers {
		m := pulumi.Map{
			"accountId": c.Account.AccountID,
			"tier":      pulumi.String(c.Spec.Tier.Key),
			"vpcCidr":   pulumi.String(c.Spec.Layout.VPC.String()),
			// Read back by the next run (checkRemovals).
			"protected": pulumi.Bool(c.Protected),
		}
		if c.Spec.Allocated {
			// Read back by the next run (PreviousAllocations).
			m["vpcCidrAllocated"] = pulumi.Bool(true)
		}
		if _, ok := lz.TierOUs[c.Spec.Tier.Key]; ok {
			m["ouId"] = lz.accountParent(c.Spec)
		}
		if c.VPC != nil {
			m["vpcId"] = c.VPC.VPCID
			m["publicSubnetIds"] = c.VPC.PublicSubnetIDs
			m["privateSubnetIds"] = c.VPC.PrivateSubnetIDs
		}
		if c.Access != nil {
			m["loginLinks"] = c.Access.LoginLinks
		}
		if c.Budget != nil && lz.Plan != nil {
			m["budget"] = pulumi.Map{
				"name": c.Budget.Budget.Name, "monthlyUsd": pulumi.Int(c.Spec.MonthlyBudgetUSD()),
				"costExplorerFilter": pulumi.String(components.CostExplorerFilter(lz.Plan.Settings.NamePrefix, c.Spec.Customer.Key)),
			}
		}
		if c.ArchiveDestination != nil {
			m["archiveDestination"] = c.ArchiveDestination
			if lz.Observability != nil {
				// The customer stack links its account to the sink.
				m["sinkArn"] = lz.Observability.SinkARN
			}
		}
		custs[c.Spec.Customer.Key] = m
	}
	out := pulumi.Map{"tiers": tiers, "customers": custs}
	if ic := lz.IdentityCenter; ic != nil {
		out["identityCenter"] = pulumi.Map{"instanceArn": pulumi.String(ic.InstanceARN),
			"identityStoreId": pulumi.String(ic.IdentityStoreID), "portalUrl": pulumi.String(ic.PortalURL())}
	}
	if lz.Plan != nil && lz.Plan.Settings.CustomerStack == nil {
		out["directory"] = lz.directoryOutput()
	}
	if lz.Plan != nil {
		out["controls"] = controlsOutput(lz.Plan.Controls())
	}
	if lz.Archive != nil {
		archive := pulumi.Map{}
		for k, b := range lz.Archive.Buckets {
			archive[k] = b.Bucket
		}
		out["archiveBuckets"] = archive
	}
	return out
}

// Export exports the stack outputs: per-customer account, OU, VPC and
// subnet ids under "customers", and per-tier OU ids under "tiers".
func (lz *LandingZone) Export(ctx *pulumi.Context) {
	out := lz.Outputs()
	ctx.Export("customers", out["customers"])
	ctx.Export("tiers", out["tiers"])
	if v, ok := out["archiveBuckets"]; ok {
		ctx.Export("archiveBuckets", v)
	}
	for _, k := range []string{"controls", "identityCenter", "directory"} {
		if v, ok := out[k]; ok {
			ctx.Export(k, v)
		}
	}
}

// SettingsFromContext reads the stack's settings from Pulumi config.
func SettingsFromContext(ctx *pulumi.Context) (Settings, error) {
	return FromConfig(func(key string) (string, bool) {
		return ctx.GetConfig(ConfigNamespace + ":" + key)
	})
}

// Program is the Pulumi program: read the stack's settings, build the
// landing zone from catalog, export its outputs. main.go runs it with the
// built-in catalog; the offline plan and the Automation API run it too.
func Program(catalog []customers.Customer) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		settings, err := SettingsFromContext(ctx)
		if err != nil {
			// Report every problem at once: the unreadable values (left at
			// their defaults) and everything the catalog and the rest of
			// the settings get wrong.
			return Check(catalog, settings, err)
		}
		lz, err := New(ctx, "tierzone", &Args{Catalog: catalog, Settings: settings})
		if err != nil {
			return err
		}
		lz.Export(ctx)
		return nil
	}
}

// Check merges earlier problems (from reading the settings) with every
// problem Resolve finds, and returns them as one *validation.Error (nil when
// there are none).
func Check(catalog []customers.Customer, s Settings, earlier error) error {
	var l validation.List
	l.Merge(earlier)
	_, err := Resolve(catalog, s)
	l.Merge(err)
	return l.Err()
}

// TrailPrefix is the key prefix of the organization trail in its bucket.
const TrailPrefix = "cloudtrail"

// TrailName is the organization trail's name.
func (s Settings) TrailName() string { return s.NamePrefix + "-organization-trail" }

// TrailARN is the organization trail's ARN, in the management region of
// the management account.
func (s Settings) TrailARN(managementAccount pulumi.StringInput) pulumi.StringOutput {
	return pulumi.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", s.ManagementRegion, managementAccount, s.TrailName())
}

// archiveBucket is one archive bucket before its OUs and ARNs are known.
type archiveBucket struct {
	key, name string
	lockMode  tiers.ObjectLockMode
	lockDays  int
	prefixes  []archivePrefix
	forTrail  bool
}

type archivePrefix struct {
	prefix              string
	tier                string
	guardDuty           bool
	transition, expires int
	storageClass        string
}

// archiveBuckets plans one bucket per archive boundary plus the trail's
// own bucket, and checks that every prefix's lifecycle is one S3 accepts.
//
// The organization trail gets a bucket of its own: an organization trail
// has a single destination and records every account, Gov-Federal ones
// included, so it can go neither to the commercial bucket (Gov-Federal data
// would land outside its boundary) nor to the Gov-Federal bucket (other
// tiers would write into it). Its bucket takes the strictest tier's
// controls and the longest retention.
func archiveBuckets(plan *Plan) ([]archiveBucket, error) {
	s := plan.Settings
	var l validation.List
	subj := validation.Stack(ConfigNamespace + ":" + KeyRetention)
	var out []archiveBucket
	for _, boundary := range tiers.Boundaries() {
		b := archiveBucket{key: boundary, name: s.ArchiveBucketName(boundary)}
		minArchive := 0
		for _, ts := range plan.Tiers {
			t := ts.Tier
			if t.ArchiveBoundary != boundary {
				continue
			}
			b.prefixes = append(b.prefixes, archivePrefix{prefix: t.Key, tier: t.Key,
				transition: t.Archive.TransitionDays, expires: ts.Retention.ArchiveDays, storageClass: t.Archive.StorageClass})
			if minArchive == 0 || ts.Retention.ArchiveDays < minArchive {
				minArchive = ts.Retention.ArchiveDays
			}
			if t.Archive.ObjectLock.Strictness() > b.lockMode.Strictness() {
				b.lockMode = t.Archive.ObjectLock
			}
			if t.Archive.ObjectLock != tiers.NoObjectLock && (b.lockDays == 0 || t.Archive.ObjectLockDays < b.lockDays) {
				b.lockDays = t.Archive.ObjectLockDays
			}
		}
		// Object lock's default retention is per bucket: it may not outlast
		// the shortest retention of a tier sharing the bucket, or that
		// tier's logs could not expire on time.
		b.lockDays = min(b.lockDays, minArchive)
		out = append(out, b)
	}
	var all []tiers.Tier
	var rs []tiers.Retention
	for _, ts := range plan.Tiers {
		all = append(all, ts.Tier)
		rs = append(rs, ts.Retention)
	}
	ta := tiers.TrailArchive(all)
	out = append(out, archiveBucket{key: TrailArchiveKey, name: s.ArchiveBucketName(TrailArchiveKey), forTrail: true,
		lockMode: ta.ObjectLock, lockDays: ta.ObjectLockDays,
		prefixes: []archivePrefix{
			{prefix: TrailPrefix, transition: ta.TransitionDays, expires: tiers.TrailArchiveDays(rs), storageClass: ta.StorageClass},
			// GuardDuty findings of every account, Gov-Federal ones
			// included: the trail bucket's boundary and controls.
			{prefix: GuardDutyPrefix, guardDuty: true, transition: ta.TransitionDays, expires: tiers.TrailArchiveDays(rs), storageClass: ta.StorageClass},
		}})

	for _, b := range out {
		for _, p := range b.prefixes {
			// S3 rejects a lifecycle rule whose expiration is not later than
			// its transition.
			if p.expires <= p.transition {
				l.Add(subj, p.prefix+".archiveDays", "%d days does not outlast the %d days after which %s logs move to %s", p.expires, p.transition, p.prefix, p.storageClass)
			}
		}
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// archiveSpecs are the archive component's buckets: each bucket's object
// lock (Governance in an unprotected stack, which must be able to delete
// its logs) and its prefixes with the service that delivers to each.
func archiveSpecs(s Settings, buckets []archiveBucket, tierOU func(tier string) pulumi.StringInput, trailArn pulumi.StringInput) []components.ArchiveBucketArgs {
	var specs []components.ArchiveBucketArgs
	for _, b := range buckets {
		spec := components.ArchiveBucketArgs{Key: b.key, BucketName: b.name, ObjectLockMode: string(b.lockMode), ObjectLockDays: b.lockDays}
		if b.lockMode != tiers.NoObjectLock && !s.Protect {
			// Unprotected stacks must be able to delete their logs.
			spec.ObjectLockMode = string(tiers.Governance)
		}
		for _, p := range b.prefixes {
			ap := components.ArchivePrefix{Prefix: p.prefix, TransitionDays: p.transition, StorageClass: p.storageClass, ExpirationDays: p.expires}
			switch {
			case p.guardDuty:
				ap.Service, ap.SourceAccount = components.GuardDutyService, s.SecurityAccountID
			case b.forTrail:
				ap.Service, ap.SourceArn = components.CloudTrailService, trailArn
			default:
				// Flow logs and the customer accounts' AWS Config delivery.
				ap.Service, ap.SourceOUID, ap.ConfigDelivery = components.LogDeliveryService, tierOU(p.tier), true
			}
			spec.Prefixes = append(spec.Prefixes, ap)
		}
		specs = append(specs, spec)
	}
	return specs
}

// newArchive registers the log archive in the log-archive account (or the
// management account) and the organization trail in the management account.
func newArchive(ctx *pulumi.Context, lz *LandingZone, plan *Plan, buckets []archiveBucket, mgmt pulumi.ProviderResource) (*components.LogArchive, error) {
	s := plan.Settings
	// The management account's id is in every OU's ARN
	// (arn:aws:organizations::<management account>:ou/o-.../ou-...).
	mgmtAccount := lz.TierOUs[plan.Tiers[0].Tier.Key].OU.Arn.ApplyT(func(arn string) (string, error) {
		parts := strings.Split(arn, ":")
		if len(parts) < 6 || parts[4] == "" {
			return "", fmt.Errorf("tierzone: cannot read the management account from OU ARN %q", arn)
		}
		return parts[4], nil
	}).(pulumi.StringOutput)

	provider, account := mgmt, pulumi.StringInput(mgmtAccount)
	if s.LogArchiveAccountID != "" {
		p, err := aws.NewProvider(ctx, "log-archive", &aws.ProviderArgs{
			Region: pulumi.String(s.ManagementRegion),
			AssumeRole: &aws.ProviderAssumeRoleArgs{
				RoleArn:     pulumi.String("arn:aws:iam::" + s.LogArchiveAccountID + ":role/" + s.OrgAccessRoleName),
				SessionName: pulumi.String("tierzone-log-archive"),
			},
			AllowedAccountIds: pulumi.StringArray{pulumi.String(s.LogArchiveAccountID)},
			DefaultTags:       &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{"managed-by": pulumi.String(ManagedBy)}},
		}, pulumi.Parent(lz))
		if err != nil {
			return nil, err
		}
		provider, account = p, pulumi.String(s.LogArchiveAccountID)
	}
	trailArn := s.TrailARN(mgmtAccount)
	args := archiveArgs(plan, buckets, account, func(tier string) pulumi.StringInput { return lz.TierOUs[tier].OUID }, trailArn, provider)
	monitoring, err := newTrailMonitoring(ctx, lz, plan, mgmtAccount, mgmt)
	if err != nil {
		return nil, err
	}
	lz.Monitoring = monitoring
	args.Trail = &components.OrganizationTrailArgs{Name: s.TrailName(), BucketKey: TrailArchiveKey, Prefix: TrailPrefix, Provider: mgmt,
		CloudWatchLogsGroupARN: monitoring.LogGroupARN, CloudWatchLogsRoleARN: monitoring.RoleARN}
	return components.NewLogArchive(ctx, "log-archive", args, pulumi.Parent(lz))
}

// archiveArgs are the log archive's arguments but the trail.
func archiveArgs(plan *Plan, buckets []archiveBucket, account pulumi.StringInput, tierOU func(tier string) pulumi.StringInput,
	trailArn pulumi.StringInput, provider pulumi.ProviderResource) *components.LogArchiveArgs {
	s := plan.Settings
	return &components.LogArchiveArgs{
		OrganizationID:      s.OrganizationID,
		AccountID:           account,
		Buckets:             archiveSpecs(s, buckets, tierOU, trailArn),
		Protect:             s.Protect,
		Tags:                map[string]string{"managed-by": ManagedBy},
		Provider:            provider,
		AccessLogBucketName: s.AccessLogBucketName(),
		AccessLogDays:       AccessLogDays(plan),
	}
}

// retainOnDelete keeps a resource in AWS when the stack deletes it.
func retainOnDelete(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
	return &pulumi.ResourceTransformationResult{Props: args.Props, Opts: append(args.Opts, pulumi.RetainOnDelete(true))}
}

// checkRemovals fails, before anything changes, when a customer that the
// stack's previous update left protected is no longer deployed. Pulumi's
// own protect check only fires when the engine reaches the delete, after
// other changes of the same update have been applied. The previous state
// comes from the stack's own outputs through a StackReference to itself.
func checkRemovals(ctx *pulumi.Context, lz *LandingZone, plan *Plan) (any, error) {
	org := ctx.Organization()
	if org == "" {
		org = "organization"
	}
	self := fmt.Sprintf("%s/%s/%s", org, ctx.Project(), ctx.Stack())
	ref, err := pulumi.NewStackReference(ctx, "previous-"+ctx.Stack(), &pulumi.StackReferenceArgs{Name: pulumi.String(self)}, pulumi.Parent(lz))
	if err != nil {
		return nil, err
	}
	// A new stack has no outputs yet; in a preview of one, they are unknown.
	prev, err := internals.UnsafeAwaitOutput(ctx.Context(), ref.Outputs.MapIndex(pulumi.String("customers")))
	if err != nil {
		return nil, fmt.Errorf("tierzone: read the previous customers of stack %s: %w", self, err)
	}
	return prev.Value, RemovalProblems(ctx.Stack(), prev.Value, plan)
}

// NothingChanged is the outcome a refused update reports: the program may
// have registered its components, but no cloud resource was changed.
const NothingChanged = "nothing was changed"

// RemovalProblems compares the previous "customers" output of a stack with
// the plan: every customer that was protected and is no longer deployed is
// a problem naming what is protected and how to decommission it.
func RemovalProblems(stack string, previous any, plan *Plan) error {
	prev, _ := previous.(map[string]any)
	deployed := map[string]bool{}
	for _, c := range plan.Customers {
		deployed[c.Customer.Key] = true
	}
	var l validation.List
	for key, v := range prev {
		if deployed[key] {
			continue
		}
		out, _ := v.(map[string]any)
		protected, known := out["protected"].(bool)
		if !known {
			// Outputs from before the flag existed: assume the stack's setting.
			protected = plan.Settings.Protect
		}
		if !protected {
			continue
		}
		account, _ := out["accountId"].(string)
		l.Add(validation.Customer(key), "", "removed from stack %s, but its account %s, its flow-log group and its KMS key are protected (retain on delete); "+
			"nothing was changed. To decommission it on purpose: keep it in %s:%s, add it to %s:%s and run `pulumi up` (this only lifts protection); "+
			"then remove it and run `pulumi up` again: the stack lets go of its resources, AWS keeps them, and the account stays in the organization until you close it yourself",
			stack, account, ConfigNamespace, KeyCustomers, ConfigNamespace, KeyDecommission)
	}
	return l.ErrWith(NothingChanged)
}
