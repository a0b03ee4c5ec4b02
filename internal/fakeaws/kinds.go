package fakeaws

import (
	"fmt"
	"slices"
)

// kind is what the fake knows about one resource type.
type kind struct {
	token string
	// label names the resource in error messages, as pulumi-aws does
	// ("creating EC2 Subnet: ...").
	label string
	// autoName is the input the provider names automatically when the
	// program gives none; lowerName lowercases the generated name.
	autoName  string
	lowerName bool
	// replaces are the inputs whose change forces a new resource.
	replaces []string
	// outputs are computed outputs: unknown at preview.
	outputs []string
	// tagsAll: the resource has tags and tagsAll.
	tagsAll bool
	// org: an Organizations resource, kept in the management account
	// and only creatable from it.
	org bool
	// static validates inputs without looking at the cloud (Check, and
	// again at Create/Update). Unknown values are skipped.
	static func(in map[string]any) []failure
	// validate checks the inputs against the cloud, on create (selfID
	// "") and update.
	validate func(c *opCtx, in map[string]any, selfID string) error
	// build makes the id and computed outputs of a new resource.
	build func(c *opCtx, in map[string]any) (id string, out map[string]any, err error)
	// remove checks that the resource may be deleted.
	remove func(c *opCtx, rec *Record) error
}

// failure is a Check failure.
type failure struct{ prop, reason string }

func failf(prop, format string, args ...any) failure {
	return failure{prop: prop, reason: fmt.Sprintf(format, args...)}
}

// apiError is an AWS API error: "<Code>: <message>".
type apiError struct {
	code, msg string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

func awsErr(code, format string, args ...any) error {
	return &apiError{code: code, msg: fmt.Sprintf(format, args...)}
}

// opCtx is one operation against the cloud, under the store's lock.
type opCtx struct {
	tx      *tx
	srv     *Server
	account string
	region  string
}

func (c *opCtx) mgmt() string { return c.srv.opts.ManagementAccount }

// find returns the record of a type with the given id in the operation's
// account (and, for a regional type, its region), or nil.
func (c *opCtx) find(typ, id string) (*Record, error) {
	return c.tx.get(c.account, c.region, typ, id)
}

// findWhere returns the records of a type in the operation's account (and,
// for a regional type, its region) for which match holds, leaving out
// selfID.
func (c *opCtx) findWhere(typ, selfID string, match func(*Record) bool) ([]*Record, error) {
	rs, err := c.tx.listIn(c.account, c.region, typ)
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, r := range rs {
		if r.ID != selfID && (match == nil || match(r)) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (c *opCtx) regional(r *Record) bool { return r.Region == c.region }

// kindTable builds the table of modeled types.
func kindTable() map[string]*kind {
	var all []*kind
	all = append(all, organizationsKinds()...)
	all = append(all, ec2Kinds()...)
	all = append(all, s3Kinds()...)
	all = append(all, iamKinds()...)
	all = append(all, logsKinds()...)
	all = append(all, kmsKinds()...)
	all = append(all, cloudtrailKinds()...)
	all = append(all, detectKinds()...)
	all = append(all, baselineKinds()...)
	all = append(all, observeKinds()...)
	all = append(all, eventsKinds()...)
	all = append(all, identityCenterKinds()...)
	all = append(all, billingKinds()...)
	all = append(all, shieldKinds()...)
	all = append(all, hubKinds()...)
	out := map[string]*kind{}
	for _, k := range all {
		if k.static == nil {
			k.static = func(map[string]any) []failure { return nil }
		}
		if k.validate == nil {
			k.validate = func(*opCtx, map[string]any, string) error { return nil }
		}
		if k.remove == nil {
			k.remove = func(*opCtx, *Record) error { return nil }
		}
		if k.tagsAll && !slices.Contains(k.outputs, "tagsAll") {
			k.outputs = append(k.outputs, "tagsAll")
		}
		out[k.token] = k
	}
	return out
}

// Type tokens used across files.
const (
	tAccount      = "aws:organizations/account:Account"
	tOU           = "aws:organizations/organizationalUnit:OrganizationalUnit"
	tPolicy       = "aws:organizations/policy:Policy"
	tAttachment   = "aws:organizations/policyAttachment:PolicyAttachment"
	tVpc          = "aws:ec2/vpc:Vpc"
	tSubnet       = "aws:ec2/subnet:Subnet"
	tIgw          = "aws:ec2/internetGateway:InternetGateway"
	tRouteTable   = "aws:ec2/routeTable:RouteTable"
	tRTAssoc      = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	tRoute        = "aws:ec2/route:Route"
	tEip          = "aws:ec2/eip:Eip"
	tNat          = "aws:ec2/natGateway:NatGateway"
	tVgw          = "aws:ec2/vpnGateway:VpnGateway"
	tVgwProp      = "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation"
	tFlowLog      = "aws:ec2/flowLog:FlowLog"
	tDefaultSG    = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	tBucket       = "aws:s3/bucketV2:BucketV2"
	tBucketPAB    = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tBucketVer    = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	tBucketSSE    = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tBucketLife   = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	tBucketPolicy = "aws:s3/bucketPolicy:BucketPolicy"
	tBucketLock   = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
	tLogGroup     = "aws:cloudwatch/logGroup:LogGroup"
	tRole         = "aws:iam/role:Role"
	tRolePolicy   = "aws:iam/rolePolicy:RolePolicy"
	tKey          = "aws:kms/key:Key"
	tTrail        = "aws:cloudtrail/trail:Trail"
)
