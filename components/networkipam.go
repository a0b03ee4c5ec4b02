package components

import (
	"errors"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ram"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NetworkIPAMType is the NetworkIPAM type token.
const NetworkIPAMType = "tierzone:network:NetworkIPAM"

// IPAMPoolArgs is one pool: a key for names and its CIDR.
type IPAMPoolArgs struct {
	Key  string
	CIDR string
}

// IPAMRegionArgs is one region's pools.
type IPAMRegionArgs struct {
	Region string
	// CIDR is the region's block of the supernet; Shared its shared pool
	// (with the egress VPC's allocation when EgressCIDR is set); Tiers
	// the tier pools, by tier key.
	CIDR       string
	Shared     string
	EgressCIDR string
	Tiers      []IPAMPoolArgs
}

// NetworkIPAMArgs configures a NetworkIPAM.
type NetworkIPAMArgs struct {
	// NetworkAccountID becomes IPAM's delegated administrator.
	NetworkAccountID string
	// Supernet is the top pool's CIDR.
	Supernet string
	Regions  []IPAMRegionArgs
	Tags     map[string]string
	// ManagementProvider delegates IPAM and turns on RAM sharing in the
	// organization; Provider works in the network account, in the
	// primary region (IPAM is managed from one region).
	ManagementProvider pulumi.ProviderResource
	Provider           pulumi.ProviderResource
}

// NetworkIPAM is the organization's IPAM in the network account: the
// delegation from the management account, RAM sharing within the
// organization (the hubs share their gateways through it), the top pool,
// a pool per region and a pool per tier and region.
type NetworkIPAM struct {
	pulumi.ResourceState

	IPAM *ec2.VpcIpam
	// Pools by "<region>/<tier key>" (and "<region>/shared").
	Pools map[string]*ec2.VpcIpamPool
	// Provisioned is each pool's provisioned CIDR, by the same key: an
	// allocation or child pool waits for its pool's.
	Provisioned map[string]*ec2.VpcIpamPoolCidr
	// SharingWithOrganization must exist before an OU can be a RAM
	// principal.
	SharingWithOrganization *ram.SharingWithOrganization
}

// PoolKey is the key of a region's pool in NetworkIPAM.Pools.
func PoolKey(region, key string) string { return region + "/" + key }

// NewNetworkIPAM registers the IPAM. The name is "ipam".
func NewNetworkIPAM(ctx *pulumi.Context, name string, args *NetworkIPAMArgs, opts ...pulumi.ResourceOption) (*NetworkIPAM, error) {
	if args == nil || args.NetworkAccountID == "" || args.Supernet == "" || args.ManagementProvider == nil || args.Provider == nil {
		return nil, errors.New("tierzone: NewNetworkIPAM needs the network account, the supernet and both providers")
	}
	c := &NetworkIPAM{Pools: map[string]*ec2.VpcIpamPool{}, Provisioned: map[string]*ec2.VpcIpamPoolCidr{}}
	if err := ctx.RegisterComponentResource(NetworkIPAMType, name, c, opts...); err != nil {
		return nil, err
	}
	mgmt, child := childOptions(c, args.ManagementProvider), childOptions(c, args.Provider)
	tag := nameTags(args.Tags, name)
	sharing, err := ram.NewSharingWithOrganization(ctx, name+"-ram-sharing", &ram.SharingWithOrganizationArgs{}, mgmt...)
	if err != nil {
		return nil, err
	}
	c.SharingWithOrganization = sharing
	admin, err := ec2.NewVpcIpamOrganizationAdminAccount(ctx, name+"-admin", &ec2.VpcIpamOrganizationAdminAccountArgs{
		DelegatedAdminAccountId: pulumi.String(args.NetworkAccountID),
	}, mgmt...)
	if err != nil {
		return nil, err
	}
	var regions ec2.VpcIpamOperatingRegionArray
	for _, r := range args.Regions {
		regions = append(regions, ec2.VpcIpamOperatingRegionArgs{RegionName: pulumi.String(r.Region)})
	}
	ipam, err := ec2.NewVpcIpam(ctx, name, &ec2.VpcIpamArgs{
		Description:      pulumi.String("Tierzone organization IPAM"),
		OperatingRegions: regions,
		// Pools shared across accounts and allocations need the Advanced
		// tier.
		Tier: pulumi.String("advanced"),
		Tags: tag(""),
	}, append(child, pulumi.DependsOn([]pulumi.Resource{admin}))...)
	if err != nil {
		return nil, err
	}
	c.IPAM = ipam
	if err := c.pool(ctx, name, "top", ipam, "", "", args.Supernet, tag, child); err != nil {
		return nil, err
	}
	for _, r := range args.Regions {
		if err := c.pool(ctx, name, r.Region, ipam, "top", r.Region, r.CIDR, tag, child); err != nil {
			return nil, err
		}
		pools := append([]IPAMPoolArgs{{Key: "shared", CIDR: r.Shared}}, r.Tiers...)
		for _, p := range pools {
			if err := c.pool(ctx, name, PoolKey(r.Region, p.Key), ipam, r.Region, r.Region, p.CIDR, tag, child); err != nil {
				return nil, err
			}
		}
		if r.EgressCIDR != "" {
			shared := PoolKey(r.Region, "shared")
			if _, err := ec2.NewVpcIpamPoolCidrAllocation(ctx, name+"-"+r.Region+"-egress", &ec2.VpcIpamPoolCidrAllocationArgs{
				IpamPoolId: c.Pools[shared].ID(), Cidr: pulumi.String(r.EgressCIDR),
				Description: pulumi.String("Tierzone egress VPC, " + r.Region),
			}, append(child, pulumi.DependsOn([]pulumi.Resource{c.Provisioned[shared]}))...); err != nil {
				return nil, err
			}
		}
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"ipamId": ipam.ID()}); err != nil {
		return nil, err
	}
	return c, nil
}

// pool registers the private IPv4 pool key (under the pool source, ""
// for the top pool; in locale, "" for none) and provisions its CIDR.
func (c *NetworkIPAM) pool(ctx *pulumi.Context, name, key string, ipam *ec2.VpcIpam, source, locale, cidr string,
	tag func(string) pulumi.StringMap, child []pulumi.ResourceOption) error {
	res := name + "-pool-" + strings.ReplaceAll(key, "/", "-")
	args := &ec2.VpcIpamPoolArgs{
		AddressFamily: pulumi.String("ipv4"),
		IpamScopeId:   ipam.PrivateDefaultScopeId,
		Description:   pulumi.String("Tierzone " + key + " " + cidr),
		Tags:          tag("pool-" + strings.ReplaceAll(key, "/", "-")),
	}
	opts := child
	if source != "" {
		args.SourceIpamPoolId = c.Pools[source].ID()
		opts = append(opts, pulumi.DependsOn([]pulumi.Resource{c.Provisioned[source]}))
	}
	if locale != "" {
		args.Locale = pulumi.String(locale)
	}
	p, err := ec2.NewVpcIpamPool(ctx, res, args, opts...)
	if err != nil {
		return err
	}
	pc, err := ec2.NewVpcIpamPoolCidr(ctx, res+"-cidr", &ec2.VpcIpamPoolCidrArgs{IpamPoolId: p.ID(), Cidr: pulumi.String(cidr)}, child...)
	if err != nil {
		return err
	}
	c.Pools[key], c.Provisioned[key] = p, pc
	return nil
}
