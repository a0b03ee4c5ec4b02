// Package recorder runs a Pulumi program against the SDK's mock monitor and
// keeps every resource it registers: type, name, parent, dependencies,
// provider, options and inputs. The unit tests and the offline plan share it.
package recorder

import (
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Resource is one registered resource.
type Resource struct {
	URN  string
	Type string
	Name string
	// ID is the mock physical id (the import id for imported resources).
	ID           string
	Parent       string
	Dependencies []string
	// PropertyDependencies maps an input name to the URNs it depends on.
	PropertyDependencies map[string][]string
	// Provider is the provider reference "urn::id"; ProviderURN its URN.
	Provider    string
	ProviderURN string
	// Providers are a component's providers for its children ("urn::id"
	// by package), as a remote component such as awsx's VPC takes them.
	Providers      map[string]string
	Protect        bool
	RetainOnDelete bool
	Custom         bool
	ImportID       string
	IgnoreChanges  []string
	Aliases        []string
	Inputs         resource.PropertyMap
}

// IsProvider reports whether the resource is a provider instance.
func (r Resource) IsProvider() bool { return strings.HasPrefix(r.Type, "pulumi:providers:") }

// Recorder is a pulumi.MockResourceMonitor that records registrations.
type Recorder struct {
	mu        sync.Mutex
	resources []Resource
	project   string
	stack     string
}

// New returns an empty recorder for a project and stack; pass the same
// names to pulumi.WithMocks (Run does).
func New(project, stack string) *Recorder { return &Recorder{project: project, stack: stack} }

// NewResource records a registration and returns a deterministic mock id and
// state (the inputs plus the computed outputs the program reads).
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	res := Resource{
		Type:     args.TypeToken,
		Name:     args.Name,
		Custom:   args.Custom,
		ImportID: args.ID,
		Inputs:   args.Inputs,
		Provider: args.Provider,
	}
	if rpc != nil {
		res.Parent = rpc.GetParent()
		res.Dependencies = append([]string(nil), rpc.GetDependencies()...)
		res.Protect = rpc.GetProtect()
		res.RetainOnDelete = rpc.GetRetainOnDelete()
		res.IgnoreChanges = append([]string(nil), rpc.GetIgnoreChanges()...)
		res.Aliases = append([]string(nil), rpc.GetAliasURNs()...)
		if ps := rpc.GetProviders(); len(ps) > 0 {
			// A component's providers for its children, by package.
			res.Providers = maps.Clone(ps)
		}
		if pd := rpc.GetPropertyDependencies(); len(pd) > 0 {
			res.PropertyDependencies = map[string][]string{}
			for k, v := range pd {
				res.PropertyDependencies[k] = append([]string(nil), v.GetUrns()...)
			}
		}
	}
	if read := args.ReadRPC; read != nil {
		// Read resources (stack references) have a parent too.
		res.Parent = read.GetParent()
		res.Dependencies = append([]string(nil), read.GetDependencies()...)
	}
	// A provider reference is "urn::id"; URNs contain "::" themselves.
	if i := strings.LastIndex(res.Provider, "::"); i >= 0 {
		res.ProviderURN = res.Provider[:i]
	}
	id := args.ID
	if id == "" {
		id = MockID(args.TypeToken, args.Name)
	}
	res.ID = id
	res.URN = r.urn(res.Parent, args.TypeToken, args.Name)
	state := args.Inputs.Copy()
	for k, v := range computedOutputs(args.TypeToken, args.Name, id, args.Inputs) {
		if _, set := state[resource.PropertyKey(k)]; !set {
			state[resource.PropertyKey(k)] = resource.NewProperty(v)
		}
	}
	if args.TypeToken == awsxVPCToken {
		for k, v := range awsxVPCOutputs(args.Name, args.Inputs) {
			state[resource.PropertyKey(k)] = v
		}
	}
	r.mu.Lock()
	r.resources = append(r.resources, res)
	r.mu.Unlock()
	return id, state, nil
}

// Mock Identity Center instance the offline plan looks up: real ids are
// known only at deploy time (ssoadmin ListInstances).
const (
	MockSSOInstanceARN  = "arn:aws:sso:::instance/ssoins-0000000000000000"
	MockIdentityStoreID = "d-0000000000"
	getInstancesToken   = "aws:ssoadmin/getInstances:getInstances"
	getRouteTableToken  = "aws:ec2/getRouteTable:getRouteTable"
)

// awsxVPCToken is the awsx VPC, a remote component: the mock monitor never
// runs the awsx provider, so its children are not registered; the outputs
// the program reads (the VPC's and its subnets' ids) are made up here,
// a public and a private subnet per zone, as awsx builds them.
const awsxVPCToken = "awsx:ec2:Vpc"

func awsxVPCOutputs(name string, in resource.PropertyMap) map[string]resource.PropertyValue {
	var public, private []resource.PropertyValue
	if zones := in["availabilityZoneNames"]; zones.IsArray() {
		for _, z := range zones.ArrayValue() {
			public = append(public, resource.NewProperty("subnet-"+mockHex("public", name+"/"+z.StringValue())[:8]))
			private = append(private, resource.NewProperty("subnet-"+mockHex("private", name+"/"+z.StringValue())[:8]))
		}
	}
	return map[string]resource.PropertyValue{
		"vpcId":            resource.NewProperty("vpc-" + mockHex(awsxVPCToken, name)[:8]),
		"publicSubnetIds":  resource.NewProperty(public),
		"privateSubnetIds": resource.NewProperty(private),
	}
}

// Call answers the provider functions the program calls: the Identity
// Center instance lookup gets the mock instance; any other call is echoed,
// so an unexpected one shows up in tests.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if args.Token == getRouteTableToken {
		// The route table of a subnet (the egress VPC's public ones).
		subnet := ""
		if v := args.Args["subnetId"]; v.IsString() {
			subnet = v.StringValue()
		}
		id := "rtb-" + mockHex(getRouteTableToken, subnet)[:8]
		return resource.NewPropertyMapFromMap(map[string]any{"id": id, "routeTableId": id, "subnetId": subnet}), nil
	}
	if args.Token == getInstancesToken {
		return resource.NewPropertyMapFromMap(map[string]any{
			"arns":             []any{MockSSOInstanceARN},
			"identityStoreIds": []any{MockIdentityStoreID},
			"id":               "mock-instances",
		}), nil
	}
	return args.Args, nil
}

// Resources returns the recorded resources sorted by URN.
func (r *Recorder) Resources() []Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Sort positions, not the resources: a Resource is large to swap.
	order := make([]int32, len(r.resources))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(r.resources[a].URN, r.resources[b].URN) })
	out := make([]Resource, len(order))
	for i, at := range order {
		out[i] = r.resources[at]
	}
	return out
}

// urn mirrors how the mock monitor names resources, so recorded parents,
// dependencies and providers can be matched against recorded URNs.
func (r *Recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.stack), tokens.PackageName(r.project), parentType, tokens.Type(typ), name))
}

// idPrefix gives mock ids the shape AWS uses, so plans read naturally.
func idPrefix(typ string) (string, bool) {
	switch typ {
	case "aws:ec2/vpc:Vpc":
		return "vpc-", true
	case "aws:ec2/subnet:Subnet":
		return "subnet-", true
	case "aws:ec2/internetGateway:InternetGateway":
		return "igw-", true
	case "aws:ec2/natGateway:NatGateway":
		return "nat-", true
	case "aws:ec2/eip:Eip":
		return "eipalloc-", true
	case "aws:ec2/routeTable:RouteTable":
		return "rtb-", true
	case "aws:ec2/routeTableAssociation:RouteTableAssociation":
		return "rtbassoc-", true
	case "aws:ec2/vpnGateway:VpnGateway":
		return "vgw-", true
	case "aws:ec2/flowLog:FlowLog":
		return "fl-", true
	case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
		return "sg-", true
	}
	return "", false
}

// mockHex is 16 hex digits derived from a resource's type and name.
func mockHex(typ, name string) string { return hex16(mockSum(typ, name)) }

// hex16 is sum as 16 hex digits, zero-padded.
func hex16(sum uint64) string {
	var b [16]byte
	const digits = "0123456789abcdef"
	for i := 15; i >= 0; i-- {
		b[i] = digits[sum&0xf]
		sum >>= 4
	}
	return string(b[:])
}

// mockSum is the FNV-1a hash of a resource's type and name.
func mockSum(typ, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(typ))
	h.Write([]byte{'/'})
	h.Write([]byte(name))
	return h.Sum64()
}

// MockID returns a deterministic, realistic-looking physical id.
func MockID(typ, name string) string {
	sum := mockSum(typ, name)
	hex := hex16(sum)
	switch typ {
	case "aws:organizations/account:Account":
		return fmt.Sprintf("%012d", sum%1_000_000_000_000)
	case "aws:organizations/organizationalUnit:OrganizationalUnit":
		return "ou-" + hex[:4] + "-" + hex[4:12]
	case "aws:organizations/policy:Policy":
		return "p-" + hex[:8]
	}
	if p, ok := idPrefix(typ); ok {
		return p + hex[:8]
	}
	return name + "-id"
}

// Computed are the mock outputs the recorder gave a resource beyond its
// inputs (an ARN, a group id), as the program read them.
func (r Resource) Computed() map[string]string {
	return computedOutputs(r.Type, r.Name, r.ID, r.Inputs)
}

// computedOutputs are the outputs AWS computes that the program reads.
func computedOutputs(typ, name, id string, in resource.PropertyMap) map[string]string {
	out := map[string]string{"arn": "arn:aws:mock::123456789012:" + name}
	str := func(k string) string {
		if v, ok := in[resource.PropertyKey(k)]; ok && v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	switch typ {
	case "aws:cloudwatch/logGroup:LogGroup":
		out["arn"] = "arn:aws:logs:us-east-1:123456789012:log-group:" + str("name")
	case "aws:iam/role:Role":
		out["arn"] = "arn:aws:iam::123456789012:role/" + name
		if str("name") == "" {
			out["name"] = name
		}
	case "aws:organizations/account:Account":
		out["arn"] = "arn:aws:organizations::123456789012:account/o-mock/" + id
	case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket":
		b := str("bucket")
		if b == "" {
			b = name
		}
		out["arn"] = "arn:aws:s3:::" + b
		out["bucket"] = b
	case "aws:kms/key:Key":
		out["arn"] = "arn:aws:kms:us-east-1:123456789012:key/" + id
	case "aws:ec2/eip:Eip":
		out["allocationId"] = id
	case "aws:ssoadmin/permissionSet:PermissionSet":
		out["arn"] = "arn:aws:sso:::permissionSet/" + strings.TrimPrefix(MockSSOInstanceARN, "arn:aws:sso:::instance/") + "/ps-" + mockHex(typ, name)
	case "aws:identitystore/group:Group":
		delete(out, "arn")
		out["groupId"] = "mock-group-" + mockHex(typ, name)
	case "aws:identitystore/user:User":
		delete(out, "arn")
		out["userId"] = "mock-user-" + mockHex(typ, name)
	}
	return out
}
