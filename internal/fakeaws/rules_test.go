package fakeaws

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// failsCheck asserts that Check rejects the inputs on prop.
func failsCheck(t *testing.T, s *Server, typ string, in map[string]any, prop, fragment string) {
	t.Helper()
	_, fails := check(t, s, typ, "x", nil, in)
	for _, f := range fails {
		if f.Property == prop && strings.Contains(f.Reason, fragment) {
			return
		}
	}
	t.Errorf("Check %s %v: want a failure on %s mentioning %q, got %v", typ, in, prop, fragment, fails)
}

func TestEC2Rules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	_, s := newMember(t, o, m, "acme")
	n := newNetwork(t, s)

	failsCheck(t, s, tVpc, map[string]any{"cidrBlock": "10.0.0.0/8"}, "cidrBlock", "InvalidVpc.Range")
	failsCheck(t, s, tVpc, map[string]any{"cidrBlock": "10.0.0.1/16"}, "cidrBlock", "not a valid CIDR")
	failsCheck(t, s, tSubnet, map[string]any{"vpcId": n.vpc, "cidrBlock": "10.1.0.0/29x"}, "cidrBlock", "not a valid CIDR")

	_, _, err := create(t, s, tSubnet, "s", map[string]any{"vpcId": "vpc-00000000000000000", "cidrBlock": "10.1.1.0/24"})
	wantErr(t, err, "creating EC2 Subnet (s)", "InvalidVpcID.NotFound")
	_, _, err = create(t, s, tSubnet, "s", map[string]any{"vpcId": n.vpc, "cidrBlock": "10.2.0.0/24"})
	wantErr(t, err, "InvalidSubnet.Range")
	_, _, err = create(t, s, tSubnet, "s", map[string]any{"vpcId": n.vpc, "cidrBlock": "10.1.0.128/25"})
	wantErr(t, err, "InvalidSubnet.Conflict", n.subnet)
	_, _, err = create(t, s, tSubnet, "s", map[string]any{"vpcId": n.vpc, "cidrBlock": "10.1.1.0/24", "availabilityZone": "us-west-2a"})
	wantErr(t, err, "InvalidParameterValue", "us-east-1a")
	_, _, err = create(t, s, tSubnet, "s", map[string]any{"vpcId": n.vpc, "cidrBlock": "10.1.1.0/24", "availabilityZone": "us-east-1g"})
	wantErr(t, err, "InvalidParameterValue")
	private, _ := mustCreate(t, s, tSubnet, "private", map[string]any{"vpcId": n.vpc, "cidrBlock": "10.1.1.0/24", "availabilityZone": "us-east-1b"})

	// A second internet gateway on the VPC.
	_, _, err = create(t, s, tIgw, "igw2", map[string]any{"vpcId": n.vpc})
	wantErr(t, err, "Resource.AlreadyAssociated")

	// Routes.
	_, _, err = create(t, s, tRoute, "r", map[string]any{"routeTableId": "rtb-00000000000000000", "destinationCidrBlock": "0.0.0.0/0", "gatewayId": n.igw})
	wantErr(t, err, "InvalidRouteTableID.NotFound")
	_, _, err = create(t, s, tRoute, "r", map[string]any{"routeTableId": n.rtb, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-00000000000000000"})
	wantErr(t, err, "InvalidGatewayID.NotFound")
	_, _, err = create(t, s, tRoute, "r", map[string]any{"routeTableId": n.rtb, "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": "nat-00000000000000000"})
	wantErr(t, err, "InvalidNatGatewayID.NotFound")
	mustCreate(t, s, tRoute, "r", map[string]any{"routeTableId": n.rtb, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": n.igw})
	_, _, err = create(t, s, tRoute, "r2", map[string]any{"routeTableId": n.rtb, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": n.igw})
	wantErr(t, err, "RouteAlreadyExists")

	// Associations: one per subnet, existing table and subnet.
	_, _, err = create(t, s, tRTAssoc, "a", map[string]any{"routeTableId": n.rtb, "subnetId": "subnet-00000000000000000"})
	wantErr(t, err, "InvalidSubnetID.NotFound")
	_, _, err = create(t, s, tRTAssoc, "a", map[string]any{"routeTableId": "rtb-00000000000000000", "subnetId": n.subnet})
	wantErr(t, err, "InvalidRouteTableID.NotFound")
	mustCreate(t, s, tRTAssoc, "a", map[string]any{"routeTableId": n.rtb, "subnetId": n.subnet})
	_, _, err = create(t, s, tRTAssoc, "a2", map[string]any{"routeTableId": n.rtb, "subnetId": n.subnet})
	wantErr(t, err, "Resource.AlreadyAssociated")

	// NAT gateway: subnet and allocation must exist.
	eip, _ := mustCreate(t, s, tEip, "eip", map[string]any{"domain": "vpc"})
	_, _, err = create(t, s, tNat, "nat", map[string]any{"allocationId": "eipalloc-00000000000000000", "subnetId": n.subnet})
	wantErr(t, err, "InvalidAllocationID.NotFound")
	_, _, err = create(t, s, tNat, "nat", map[string]any{"allocationId": eip, "subnetId": "subnet-00000000000000000"})
	wantErr(t, err, "InvalidSubnetID.NotFound")
	nat, _ := mustCreate(t, s, tNat, "nat", map[string]any{"allocationId": eip, "subnetId": n.subnet})
	rtPrivate, _ := mustCreate(t, s, tRouteTable, "rt-private", map[string]any{"vpcId": n.vpc})
	mustCreate(t, s, tRoute, "rp", map[string]any{"routeTableId": rtPrivate, "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": nat})

	// VPN gateway propagation.
	_, _, err = create(t, s, tVgwProp, "p", map[string]any{"vpnGatewayId": "vgw-00000000000000000", "routeTableId": rtPrivate})
	wantErr(t, err, "InvalidVpnGatewayID.NotFound")
	_, _, err = create(t, s, tVgw, "vgw", map[string]any{"vpcId": n.vpc, "availabilityZone": "eu-west-1a"})
	wantErr(t, err, "InvalidParameterValue")
	vgw, _ := mustCreate(t, s, tVgw, "vgw", map[string]any{"vpcId": n.vpc})
	mustCreate(t, s, tVgwProp, "p", map[string]any{"vpnGatewayId": vgw, "routeTableId": rtPrivate})

	// Deleting in the wrong order fails like EC2.
	wantErr(t, del(t, s, tVpc, n.vpc), "DependencyViolation", n.subnet, n.igw, vgw, n.rtb)
	wantErr(t, del(t, s, tIgw, n.igw), "DependencyViolation", "mapped public address")
	wantErr(t, del(t, s, tSubnet, n.subnet), "DependencyViolation", nat)
	wantErr(t, del(t, s, tRouteTable, n.rtb), "DependencyViolation")
	wantErr(t, del(t, s, tEip, eip), "InvalidIPAddress.InUse")
	wantErr(t, del(t, s, tVgw, vgw), "IncorrectState")
	_ = private
}

func TestNatNeedsInternetGateway(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	vpc, _ := mustCreate(t, s, tVpc, "vpc", map[string]any{"cidrBlock": "10.0.0.0/16"})
	sub, _ := mustCreate(t, s, tSubnet, "s", map[string]any{"vpcId": vpc, "cidrBlock": "10.0.0.0/24"})
	eip, _ := mustCreate(t, s, tEip, "eip", map[string]any{"domain": "vpc"})
	_, _, err := create(t, s, tNat, "nat", map[string]any{"allocationId": eip, "subnetId": sub})
	wantErr(t, err, "Gateway.NotAttached", vpc)
}

func TestVpcInOtherAccountIsNotFound(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	_, a := newMember(t, o, m, "a")
	_, b := newMember(t, o, m, "b")
	vpc, _ := mustCreate(t, a, tVpc, "vpc", map[string]any{"cidrBlock": "10.1.0.0/16"})
	// The same CIDR in another account is fine.
	mustCreate(t, b, tVpc, "vpc", map[string]any{"cidrBlock": "10.1.0.0/16"})
	_, _, err := create(t, b, tSubnet, "s", map[string]any{"vpcId": vpc, "cidrBlock": "10.1.0.0/24"})
	wantErr(t, err, "InvalidVpcID.NotFound")
}

func TestFlowLogRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	_, s := newMember(t, o, m, "acme")
	n := newNetwork(t, s)
	roleArn := "arn:aws:iam::123456789012:role/flow"

	failsCheck(t, s, tFlowLog, map[string]any{"vpcId": n.vpc, "trafficType": "SOME"}, "trafficType", "ACCEPT, REJECT or ALL")
	failsCheck(t, s, tFlowLog, map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "logDestinationType": "kafka"}, "logDestinationType", "cloud-watch-logs")
	failsCheck(t, s, tFlowLog, map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "maxAggregationInterval": 300}, "maxAggregationInterval", "60 or 600")
	failsCheck(t, s, tFlowLog, map[string]any{"trafficType": "ALL"}, "vpcId", "exactly one")

	_, _, err := create(t, s, tFlowLog, "f", map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "logDestinationType": "cloud-watch-logs",
		"logDestination": "arn:aws:logs:us-east-1:1:log-group:nope"})
	wantErr(t, err, "DeliverLogsPermissionArn is required")
	_, _, err = create(t, s, tFlowLog, "f", map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "logDestinationType": "cloud-watch-logs",
		"logDestination": "arn:aws:logs:us-east-1:1:log-group:nope", "iamRoleArn": roleArn})
	wantErr(t, err, "log group", "does not exist")
	_, lg := mustCreate(t, s, tLogGroup, "lg", map[string]any{"name": "/tierzone/x", "retentionInDays": 90})
	mustCreate(t, s, tFlowLog, "f", map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "logDestinationType": "cloud-watch-logs",
		"logDestination": lg["arn"], "iamRoleArn": roleArn})
	_, _, err = create(t, s, tFlowLog, "f2", map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "logDestinationType": "cloud-watch-logs",
		"logDestination": lg["arn"], "iamRoleArn": roleArn})
	wantErr(t, err, "FlowLogAlreadyExists")

	// S3: the bucket may be in another account (the log archive), but must exist.
	_, _, err = create(t, s, tFlowLog, "s3", map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "logDestinationType": "s3",
		"logDestination": "arn:aws:s3:::tz-archive/fintech/acme/"})
	wantErr(t, err, "LogDestination: tz-archive does not exist")
	mustCreate(t, m, tBucket, "archive", map[string]any{"bucket": "tz-archive"})
	_, _, err = create(t, s, tFlowLog, "s3", map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "logDestinationType": "s3",
		"logDestination": "arn:aws:s3:::tz-archive/fintech/acme/", "iamRoleArn": roleArn})
	wantErr(t, err, "not applicable for s3")
	mustCreate(t, s, tFlowLog, "s3", map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "logDestinationType": "s3",
		"logDestination": "arn:aws:s3:::tz-archive/fintech/acme/", "maxAggregationInterval": 60})
	_, _, err = create(t, s, tFlowLog, "s3b", map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "logDestinationType": "s3",
		"logDestination": "bucket-name"})
	wantErr(t, err, "not an S3 bucket ARN")
}

func TestLogsKMSAndIAMRules(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	failsCheck(t, s, tLogGroup, map[string]any{"name": "/x", "retentionInDays": 2555}, "retentionInDays", "InvalidParameterException")
	for _, d := range RetentionDays() {
		if _, fails := check(t, s, tLogGroup, "x", nil, map[string]any{"name": "/x", "retentionInDays": d}); len(fails) > 0 {
			t.Errorf("retention %d rejected: %v", d, fails)
		}
	}
	failsCheck(t, s, tLogGroup, map[string]any{"name": "bad name!"}, "name", "InvalidParameterException")
	mustCreate(t, s, tLogGroup, "lg", map[string]any{"name": "/tierzone/a"})
	_, _, err := create(t, s, tLogGroup, "lg2", map[string]any{"name": "/tierzone/a"})
	wantErr(t, err, "ResourceAlreadyExistsException")
	_, _, err = create(t, s, tLogGroup, "lg3", map[string]any{"name": "/tierzone/b", "kmsKeyId": "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-4000-a000-000000000000"})
	wantErr(t, err, "KMS key does not exist")

	failsCheck(t, s, tKey, map[string]any{"deletionWindowInDays": 31}, "deletionWindowInDays", "between 7 and 30")
	failsCheck(t, s, tKey, map[string]any{"deletionWindowInDays": 6}, "deletionWindowInDays", "between 7 and 30")
	failsCheck(t, s, tKey, map[string]any{"policy": "{not json"}, "policy", "MalformedPolicyDocumentException")

	failsCheck(t, s, tRole, map[string]any{"name": "r", "assumeRolePolicy": "nope"}, "assumeRolePolicy", "MalformedPolicyDocument")
	failsCheck(t, s, tRole, map[string]any{"name": strings.Repeat("r", 65), "assumeRolePolicy": "{}"}, "name", "1 to 64")
	failsCheck(t, s, tRolePolicy, map[string]any{"role": "r", "policy": "["}, "policy", "MalformedPolicyDocument")
	mustCreate(t, s, tRole, "r", map[string]any{"name": "flow", "assumeRolePolicy": "{}"})
	_, _, err = create(t, s, tRole, "r2", map[string]any{"name": "flow", "assumeRolePolicy": "{}"})
	wantErr(t, err, "EntityAlreadyExists")
	_, _, err = create(t, s, tRolePolicy, "p", map[string]any{"role": "missing", "policy": "{}"})
	wantErr(t, err, "NoSuchEntity", "missing")
	mustCreate(t, s, tRolePolicy, "p", map[string]any{"role": "flow", "policy": "{}"})
}

func TestS3Rules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	_, s := newMember(t, o, m, "acme")
	for _, bad := range []string{"ab", "Upper", "a..b", "192.168.1.1", "-start", strings.Repeat("a", 64), "xn--x"} {
		failsCheck(t, s, tBucket, map[string]any{"bucket": bad}, "bucket", "InvalidBucketName")
	}
	mustCreate(t, m, tBucket, "b", map[string]any{"bucket": "tz-plain"})
	_, _, err := create(t, s, tBucket, "b", map[string]any{"bucket": "tz-plain"})
	wantErr(t, err, "BucketAlreadyExists")
	_, _, err = create(t, m, tBucket, "b2", map[string]any{"bucket": "tz-plain"})
	wantErr(t, err, "BucketAlreadyOwnedByYou")

	for _, typ := range []string{tBucketPAB, tBucketVer, tBucketSSE, tBucketLife, tBucketPolicy, tBucketLock} {
		_, _, err := create(t, m, typ, "sub", map[string]any{"bucket": "tz-missing", "policy": "{}"})
		wantErr(t, err, "NoSuchBucket")
	}
	_, _, err = create(t, s, tBucketPAB, "pab", map[string]any{"bucket": "tz-plain"})
	wantErr(t, err, "AccessDenied")

	lock := map[string]any{"bucket": "tz-plain", "rule": map[string]any{"defaultRetention": map[string]any{"mode": "GOVERNANCE", "days": 365}}}
	_, _, err = create(t, m, tBucketLock, "lock", lock)
	wantErr(t, err, "InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration")
	// Object Lock on an existing bucket needs versioning Enabled first
	// (Suspended is not enough); then versioning can no longer be
	// suspended.
	mustCreate(t, m, tBucket, "existing", map[string]any{"bucket": "tz-existing"})
	_, verOut := mustCreate(t, m, tBucketVer, "ev", map[string]any{"bucket": "tz-existing", "versioningConfiguration": map[string]any{"status": "Suspended"}})
	_, _, err = create(t, m, tBucketLock, "elock", merged(lock, map[string]any{"bucket": "tz-existing"}))
	wantErr(t, err, "InvalidBucketState", "Versioning must be 'Enabled'")
	enabled := map[string]any{"bucket": "tz-existing", "versioningConfiguration": map[string]any{"status": "Enabled"}}
	if _, err := m.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: urnOf(tBucketVer, "ev"), Id: "tz-existing",
		Olds: toStruct(t, verOut), News: toStruct(t, enabled)}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, m, tBucketLock, "elock", merged(lock, map[string]any{"bucket": "tz-existing"}))
	_, err = m.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: urnOf(tBucketVer, "ev"), Id: "tz-existing",
		Olds: toStruct(t, enabled), News: toStruct(t, merged(enabled, map[string]any{"versioningConfiguration": map[string]any{"status": "Suspended"}}))})
	wantErr(t, err, "InvalidBucketState", "versioning state cannot be changed")
	mustCreate(t, m, tBucket, "locked", map[string]any{"bucket": "tz-locked", "objectLockEnabled": true})
	id, _ := mustCreate(t, m, tBucketLock, "lock", merged(lock, map[string]any{"bucket": "tz-locked"}))
	if id != "tz-locked" {
		t.Errorf("object lock id %q", id)
	}
	failsCheck(t, m, tBucketLock, map[string]any{"bucket": "b", "rule": map[string]any{"defaultRetention": map[string]any{"mode": "STRICT", "days": 1}}}, "rule.defaultRetention.mode", "GOVERNANCE")
	failsCheck(t, m, tBucketPolicy, map[string]any{"bucket": "b", "policy": "not json"}, "policy", "MalformedPolicy")
	failsCheck(t, m, tBucketLife, map[string]any{"bucket": "b", "rules": []any{map[string]any{"id": "r", "status": "Enabled",
		"transitions": []any{map[string]any{"days": 90, "storageClass": "GLACIER"}}, "expiration": map[string]any{"days": 90}}}}, "rules[0].expiration.days", "InvalidArgument")
	// Deleting a bucket that still has configuration resources is fine.
	mustCreate(t, m, tBucketVer, "v", map[string]any{"bucket": "tz-locked", "versioningConfiguration": map[string]any{"status": "Enabled"}})
	if err := del(t, m, tBucket, "tz-locked"); err != nil {
		t.Fatal(err)
	}
}

func TestCloudTrailRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	_, s := newMember(t, o, m, "acme")
	_, _, err := create(t, m, tTrail, "t", map[string]any{"name": "org-trail", "s3BucketName": "tz-nope"})
	wantErr(t, err, "S3BucketDoesNotExistException")
	mustCreate(t, m, tBucket, "b", map[string]any{"bucket": "tz-trail"})
	mustCreate(t, m, tTrail, "t", map[string]any{"name": "org-trail", "s3BucketName": "tz-trail", "isOrganizationTrail": true})
	_, _, err = create(t, m, tTrail, "t2", map[string]any{"name": "org-trail", "s3BucketName": "tz-trail"})
	wantErr(t, err, "TrailAlreadyExistsException")
	_, _, err = create(t, s, tTrail, "t3", map[string]any{"name": "member-trail", "s3BucketName": "tz-trail", "isOrganizationTrail": true})
	wantErr(t, err, "NotOrganizationMasterAccountException")
}

// TestRegionalNamesArePerRegion: log group and trail names are unique per
// account and region (CreateLogGroup ResourceAlreadyExistsException and
// CreateTrail TrailAlreadyExistsException are regional), so the same name
// in two regions is two resources, kept apart on disk; IAM names stay
// global to the account.
func TestRegionalNamesArePerRegion(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	east := m
	west := newServer(t, o, map[string]any{"region": "eu-west-1"})
	mustCreate(t, m, tBucket, "b", map[string]any{"bucket": "tz-trail"})
	for _, s := range []*Server{east, west} {
		mustCreate(t, s, tLogGroup, "lg", map[string]any{"name": "/tierzone/flow", "retentionInDays": 90})
		mustCreate(t, s, tTrail, "t", map[string]any{"name": "tz-trail", "s3BucketName": "tz-trail"})
	}
	_, _, err := create(t, west, tLogGroup, "lg2", map[string]any{"name": "/tierzone/flow"})
	wantErr(t, err, "ResourceAlreadyExistsException")
	_, _, err = create(t, west, tTrail, "t2", map[string]any{"name": "tz-trail", "s3BucketName": "tz-trail"})
	wantErr(t, err, "TrailAlreadyExistsException")
	c := Open(o.Dir)
	groups, _ := c.ByType(tLogGroup)
	if len(groups) != 2 || groups[0].Region == groups[1].Region || groups[0].ID != "/tierzone/flow" || groups[1].ID != "/tierzone/flow" {
		t.Fatalf("log groups %+v", groups)
	}
	for _, g := range groups {
		if want := "arn:aws:logs:" + g.Region + ":" + mgmt + ":log-group:/tierzone/flow"; g.Outputs["arn"] != want {
			t.Errorf("arn %v, want %s", g.Outputs["arn"], want)
		}
	}
	// On disk: accounts/<account>/<type>/<region>/<id>.json.
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		p := filepath.Join(o.Dir, "accounts", mgmt, fileName(tLogGroup), region, fileName("/tierzone/flow")+".json")
		if _, err := os.Stat(p); err != nil {
			t.Errorf("log group file: %v", err)
		}
	}
	if trails, _ := c.ByType(tTrail); len(trails) != 2 {
		t.Fatalf("trails %+v", trails)
	}
	// Deleting one region's log group leaves the other's.
	if err := del(t, west, tLogGroup, "/tierzone/flow"); err != nil {
		t.Fatal(err)
	}
	if groups, _ := c.ByType(tLogGroup); len(groups) != 1 || groups[0].Region != "us-east-1" {
		t.Fatalf("after deleting eu-west-1's: %+v", groups)
	}
	// A provider sees only its region's regional resources.
	if _, _, err := create(t, west, tLogGroup, "lg", map[string]any{"name": "/tierzone/flow"}); err != nil {
		t.Fatalf("recreate in eu-west-1: %v", err)
	}
	// IAM role names are global: the same name in another region clashes.
	trust := `{"Version":"2012-10-17","Statement":[]}`
	mustCreate(t, east, tRole, "r", map[string]any{"name": "tz-role", "assumeRolePolicy": trust})
	_, _, err = create(t, west, tRole, "r2", map[string]any{"name": "tz-role", "assumeRolePolicy": trust})
	wantErr(t, err, "EntityAlreadyExists")
	if _, err := os.Stat(filepath.Join(o.Dir, "accounts", mgmt, fileName(tRole), "tz-role.json")); err != nil {
		t.Errorf("role file: %v", err)
	}
}
