package fakeaws

import (
	"cmp"
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

func TestPluginInfoAndSchema(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	info, err := s.GetPluginInfo(context.Background(), &emptypb.Empty{})
	if err != nil || info.Version != "6.83.4" {
		t.Fatalf("GetPluginInfo = %v, %v", info, err)
	}
	sch, err := s.GetSchema(context.Background(), &pulumirpc.GetSchemaRequest{})
	if err != nil {
		t.Fatalf("GetSchema: %v", err)
	}
	var schema struct {
		Name     string `json:"name"`
		Version  string `json:"version"`
		Provider struct {
			InputProperties map[string]json.RawMessage `json:"inputProperties"`
		} `json:"provider"`
		Types map[string]json.RawMessage `json:"types"`
	}
	if err := json.Unmarshal([]byte(sch.Schema), &schema); err != nil {
		t.Fatalf("GetSchema is not JSON: %v\n%s", err, sch.Schema)
	}
	if schema.Name != "aws" || schema.Version != "6.83.4" {
		t.Errorf("schema is %s %s, want aws 6.83.4", schema.Name, schema.Version)
	}
	for _, k := range []string{"region", "assumeRole", "allowedAccountIds", "defaultTags"} {
		if _, ok := schema.Provider.InputProperties[k]; !ok {
			t.Errorf("the provider's schema has no %s: a YAML program could not configure it", k)
		}
	}
	if len(schema.Types) != 2 {
		t.Errorf("schema has %d types, want the assumeRole and defaultTags objects", len(schema.Types))
	}
}

func TestNewServerNeedsDir(t *testing.T) {
	t.Setenv("FAKEAWS_DIR", "")
	_, err := NewServerFromEnv()
	wantErr(t, err, "FAKEAWS_DIR is not set")
}

func TestConfigureAnswer(t *testing.T) {
	s, err := NewServer(testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: toStruct(t, map[string]any{"region": "eu-west-1"})})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.AcceptSecrets || !resp.SupportsPreview || !resp.AcceptResources || resp.AcceptOutputs {
		t.Fatalf("Configure response %v", resp)
	}
	// Variables (the older protocol) work too.
	s2, _ := NewServer(testOptions(t))
	if _, err := s2.Configure(context.Background(), &pulumirpc.ConfigureRequest{Variables: map[string]string{"aws:config:region": "us-west-2"}}); err != nil {
		t.Fatal(err)
	}
	if tgt, err := s2.target(); err != nil || tgt.region != "us-west-2" || tgt.account != mgmt {
		t.Fatalf("target = %+v, %v", tgt, err)
	}
}

func TestCheckConfigRegion(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	resp, err := s.CheckConfig(context.Background(), &pulumirpc.CheckRequest{News: toStruct(t, map[string]any{"region": "us-nowhere-9"})})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Failures) != 1 || resp.Failures[0].Property != "region" {
		t.Fatalf("failures %v", resp.Failures)
	}
	resp, _ = s.CheckConfig(context.Background(), &pulumirpc.CheckRequest{News: toStruct(t, map[string]any{"region": "us-east-1", "assumeRole": map[string]any{"roleArn": unknown{}}})})
	if len(resp.Failures) != 0 || !hasUnknown(fromStruct(t, resp.Inputs)["assumeRole"]) {
		t.Fatalf("unknown config: failures %v inputs %v", resp.Failures, resp.Inputs)
	}
}

func TestDiffConfigNeverReplaces(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	resp, err := s.DiffConfig(context.Background(), &pulumirpc.DiffRequest{
		Olds: toStruct(t, map[string]any{"region": "us-east-1"}), News: toStruct(t, map[string]any{"region": "us-west-2"})})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Changes != pulumirpc.DiffResponse_DIFF_SOME || !slices.Equal(resp.Diffs, []string{"region"}) || len(resp.Replaces) != 0 {
		t.Fatalf("DiffConfig %v", resp)
	}
}

func TestUnknownConfigResolvesLazily(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	s, _ := NewServer(o)
	// At preview the role ARN is unknown (the account does not exist yet).
	if _, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: toStruct(t, map[string]any{
		"region": "us-east-1", "assumeRole": map[string]any{"roleArn": unknown{}}})}); err != nil {
		t.Fatalf("Configure with unknowns: %v", err)
	}
	// A preview Create works without an account.
	resp, err := s.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urnOf(tVpc, "v"), Preview: true,
		Properties: toStruct(t, map[string]any{"cidrBlock": "10.0.0.0/16"})})
	if err != nil || !isComputed(t, resp.Properties, "arn") {
		t.Fatalf("preview create: %v %v", resp, err)
	}
	// A real Create cannot act while the configuration is unknown.
	_, _, err = create(t, s, tVpc, "v", map[string]any{"cidrBlock": "10.0.0.0/16"})
	wantErr(t, err, "not known")
	// Once known, Configure resolves it.
	id, _ := newMember(t, o, m, "acme")
	mem := memberServer(t, o, id)
	vpc, _ := mustCreate(t, mem, tVpc, "v", map[string]any{"cidrBlock": "10.0.0.0/16"})
	recs, err := Open(o.Dir).InAccount(id)
	if err != nil || len(recs) != 1 || recs[0].ID != vpc {
		t.Fatalf("records in %s: %v %v", id, recs, err)
	}
}

func TestAssumeRoleRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	id, _ := newMember(t, o, m, "acme")
	configure := func(cfg map[string]any) error {
		s, _ := NewServer(o)
		_, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: toStruct(t, cfg)})
		return err
	}
	// An account outside the organization: STS AccessDenied.
	wantErr(t, configure(map[string]any{"region": "us-east-1", "assumeRole": map[string]any{"roleArn": "arn:aws:iam::999999999999:role/" + DefaultAccessRole}}),
		"AccessDenied", "999999999999")
	// Another role than the one the account was created with.
	wantErr(t, configure(map[string]any{"region": "us-east-1", "assumeRole": map[string]any{"roleArn": "arn:aws:iam::" + id + ":role/Other"}}),
		"AccessDenied", "Other")
	// allowedAccountIds.
	wantErr(t, configure(map[string]any{"region": "us-east-1", "assumeRole": map[string]any{"roleArn": "arn:aws:iam::" + id + ":role/" + DefaultAccessRole},
		"allowedAccountIds": []any{"222222222222"}}), "AWS account ID not allowed: "+id)
	// A JSON-encoded assumeRole (older SDKs) is understood.
	if err := configure(map[string]any{"region": "us-east-1", "assumeRole": `{"roleArn":"arn:aws:iam::` + id + `:role/` + DefaultAccessRole + `"}`,
		"allowedAccountIds": `["` + id + `"]`}); err != nil {
		t.Fatal(err)
	}
	// An unknown region.
	wantErr(t, configure(map[string]any{"region": "mars-1"}), "invalid AWS Region")
	// A member provider cannot create Organizations resources.
	mem := memberServer(t, o, id)
	_, _, err := create(t, mem, tOU, "ou", map[string]any{"name": "x", "parentId": DefaultRootID})
	wantErr(t, err, "AccessDeniedException")
}

func TestIDFormats(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	match := func(what, pattern, got string) {
		t.Helper()
		if !regexp.MustCompile("^" + pattern + "$").MatchString(got) {
			t.Errorf("%s = %q, want %s", what, got, pattern)
		}
	}
	hex17 := "[0-9a-f]{17}"
	pol, polOut := mustCreate(t, m, tPolicy, "baseline", map[string]any{"name": "baseline", "type": "SERVICE_CONTROL_POLICY", "content": `{"Version":"2012-10-17","Statement":[]}`})
	match("policy id", "p-[0-9a-z]{8,}", pol)
	match("policy arn", "arn:aws:organizations::111111111111:policy/o-tzfake0001/service_control_policy/"+pol, polOut["arn"].(string))
	ou, ouOut := mustCreate(t, m, tOU, "fintech-ou", map[string]any{"name": "Customers-Fintech", "parentId": DefaultRootID})
	match("ou id", "ou-tz01-[0-9a-z]{8}", ou)
	match("ou arn", "arn:aws:organizations::111111111111:ou/o-tzfake0001/"+ou, ouOut["arn"].(string))
	att, _ := mustCreate(t, m, tAttachment, "att", map[string]any{"policyId": pol, "targetId": ou})
	match("attachment id", ou+":"+pol, att)
	acct, acctOut := mustCreate(t, m, tAccount, "acme", map[string]any{"name": "Acme", "email": "aws+acme@example.com", "parentId": ou, "roleName": DefaultAccessRole})
	match("account id", "[0-9]{12}", acct)
	match("account arn", "arn:aws:organizations::111111111111:account/o-tzfake0001/"+acct, acctOut["arn"].(string))
	if acctOut["status"] != "ACTIVE" || acctOut["joinedMethod"] != "CREATED" {
		t.Errorf("account outputs %v", acctOut)
	}

	s := memberServer(t, o, acct)
	n := newNetwork(t, s)
	match("vpc", "vpc-"+hex17, n.vpc)
	match("subnet", "subnet-"+hex17, n.subnet)
	match("igw", "igw-"+hex17, n.igw)
	match("rtb", "rtb-"+hex17, n.rtb)
	assoc, _ := mustCreate(t, s, tRTAssoc, "a", map[string]any{"routeTableId": n.rtb, "subnetId": n.subnet})
	match("assoc", "rtbassoc-"+hex17, assoc)
	route, _ := mustCreate(t, s, tRoute, "r", map[string]any{"routeTableId": n.rtb, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": n.igw})
	match("route", "r-"+n.rtb+"[0-9]+", route)
	eip, eipOut := mustCreate(t, s, tEip, "eip", map[string]any{"domain": "vpc"})
	match("eip", "eipalloc-"+hex17, eip)
	if eipOut["allocationId"] != eip || eipOut["publicIp"] == "" {
		t.Errorf("eip outputs %v", eipOut)
	}
	nat, _ := mustCreate(t, s, tNat, "nat", map[string]any{"allocationId": eip, "subnetId": n.subnet})
	match("nat", "nat-"+hex17, nat)
	vgw, _ := mustCreate(t, s, tVgw, "vgw", map[string]any{"vpcId": n.vpc})
	match("vgw", "vgw-"+hex17, vgw)
	prop, _ := mustCreate(t, s, tVgwProp, "p", map[string]any{"vpnGatewayId": vgw, "routeTableId": n.rtb})
	match("propagation", vgw+"_"+n.rtb, prop)
	sg, _ := mustCreate(t, s, tDefaultSG, "sg", map[string]any{"vpcId": n.vpc})
	match("sg", "sg-"+hex17, sg)
	key, keyOut := mustCreate(t, s, tKey, "key", map[string]any{"policy": "{}", "deletionWindowInDays": 30})
	match("key", "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", key)
	match("key arn", "arn:aws:kms:us-east-1:"+acct+":key/"+key, keyOut["arn"].(string))
	lg, lgOut := mustCreate(t, s, tLogGroup, "lg", map[string]any{"name": "/tierzone/vpc-flow-logs/acme", "retentionInDays": 90, "kmsKeyId": keyOut["arn"]})
	match("log group arn", "arn:aws:logs:us-east-1:"+acct+":log-group:/tierzone/vpc-flow-logs/acme", lgOut["arn"].(string))
	role, roleOut := mustCreate(t, s, tRole, "flow-role", map[string]any{"assumeRolePolicy": "{}"})
	match("role", "flow-role-[0-9a-f]{7}", role)
	match("role arn", "arn:aws:iam::"+acct+":role/"+role, roleOut["arn"].(string))
	match("role uniqueId", "AROA[A-Z0-9]{17}", roleOut["uniqueId"].(string))
	rp, _ := mustCreate(t, s, tRolePolicy, "rp", map[string]any{"role": role, "policy": "{}"})
	match("role policy", role+":rp-[0-9a-f]{7}", rp)
	fl, flOut := mustCreate(t, s, tFlowLog, "fl", map[string]any{"vpcId": n.vpc, "trafficType": "ALL", "logDestinationType": "cloud-watch-logs",
		"logDestination": lgOut["arn"], "iamRoleArn": roleOut["arn"], "maxAggregationInterval": 60})
	match("flow log", "fl-"+hex17, fl)
	match("flow log arn", "arn:aws:ec2:us-east-1:"+acct+":vpc-flow-log/"+fl, flOut["arn"].(string))
	if lg != "/tierzone/vpc-flow-logs/acme" {
		t.Errorf("log group id %q", lg)
	}

	b, bOut := mustCreate(t, m, tBucket, "archive", map[string]any{"bucket": "tz-archive-commercial", "objectLockEnabled": true})
	match("bucket arn", "arn:aws:s3:::tz-archive-commercial", bOut["arn"].(string))
	if b != "tz-archive-commercial" || bOut["bucket"] != b {
		t.Errorf("bucket %q %v", b, bOut)
	}
	trail, trailOut := mustCreate(t, m, tTrail, "trail", map[string]any{"name": "tz-organization-trail", "s3BucketName": b, "isOrganizationTrail": true})
	match("trail", "arn:aws:cloudtrail:us-east-1:111111111111:trail/tz-organization-trail", trail)
	if trailOut["arn"] != trail {
		t.Errorf("trail arn %v", trailOut["arn"])
	}
	// tagsAll merges the provider's default tags with the resource's.
	_, vOut := mustCreate(t, s, tVpc, "tagged", map[string]any{"cidrBlock": "10.9.0.0/16", "tags": map[string]any{"Name": "v"}})
	if tags := vOut["tagsAll"].(map[string]any); tags["customer"] != "acme" || tags["Name"] != "v" {
		t.Errorf("tagsAll = %v", tags)
	}
}

func TestAutonamingIsStable(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	first, _ := check(t, s, tRole, "flow-logs-role", nil, map[string]any{"assumeRolePolicy": "{}"})
	name := first["name"].(string)
	if !regexp.MustCompile(`^flow-logs-role-[0-9a-f]{7}$`).MatchString(name) {
		t.Fatalf("autoname %q", name)
	}
	again, _ := check(t, s, tRole, "flow-logs-role", first, map[string]any{"assumeRolePolicy": "{}"})
	if again["name"] != name {
		t.Fatalf("second Check renamed %q to %q", name, again["name"])
	}
	given, _ := check(t, s, tRole, "flow-logs-role", first, map[string]any{"name": "explicit", "assumeRolePolicy": "{}"})
	if given["name"] != "explicit" {
		t.Fatalf("explicit name replaced: %v", given["name"])
	}
	b, _ := check(t, s, tBucket, "Archive-Bucket", nil, map[string]any{})
	if !regexp.MustCompile(`^archive-bucket-[0-9a-f]{7}$`).MatchString(b["bucket"].(string)) {
		t.Fatalf("bucket autoname %q", b["bucket"])
	}
	lg, _ := check(t, s, tLogGroup, "lg", nil, map[string]any{})
	rp, _ := check(t, s, tRolePolicy, "rp", nil, map[string]any{"role": "r"})
	if lg["name"] == nil || rp["name"] == nil {
		t.Fatalf("log group / role policy not autonamed: %v %v", lg, rp)
	}
	// A key has no name to generate.
	k, _ := check(t, s, tKey, "k", nil, map[string]any{})
	if _, ok := k["name"]; ok {
		t.Fatalf("key got a name: %v", k)
	}
	// Unknowns and secrets pass through Check.
	resp, err := s.Check(context.Background(), &pulumirpc.CheckRequest{Urn: urnOf(tRolePolicy, "rp"), News: toStruct(t, map[string]any{"role": unknown{}, "policy": unknown{}})})
	if err != nil || len(resp.Failures) > 0 || !isComputed(t, resp.Inputs, "role") {
		t.Fatalf("Check with unknowns: %v %v", resp, err)
	}
}

func TestDiff(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	base := map[string]any{"vpcId": "vpc-1", "cidrBlock": "10.0.0.0/24", "availabilityZone": "us-east-1a", "tags": map[string]any{"a": "1"}}
	same := diff(t, s, tSubnet, base, base)
	if same.Changes != pulumirpc.DiffResponse_DIFF_NONE || len(same.Diffs) != 0 {
		t.Fatalf("no change: %v", same)
	}
	changed := merged(base, map[string]any{"cidrBlock": "10.0.1.0/24", "tags": map[string]any{"a": "2"}})
	d := diff(t, s, tSubnet, base, changed)
	if d.Changes != pulumirpc.DiffResponse_DIFF_SOME || !slices.Equal(d.Diffs, []string{"cidrBlock", "tags"}) || !slices.Equal(d.Replaces, []string{"cidrBlock"}) || d.DeleteBeforeReplace {
		t.Fatalf("diff %v", d)
	}
	if d.DetailedDiff["cidrBlock"].Kind != pulumirpc.PropertyDiff_UPDATE_REPLACE || d.DetailedDiff["tags"].Kind != pulumirpc.PropertyDiff_UPDATE {
		t.Fatalf("detailed diff %v", d.DetailedDiff)
	}
	// ignoreChanges drops keys.
	d = diff(t, s, tSubnet, base, changed, "cidrBlock", "tags")
	if d.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("ignored: %v", d)
	}
	// An unknown replacing property plans a replacement.
	d = diff(t, s, tSubnet, base, merged(base, map[string]any{"vpcId": unknown{}}))
	if !slices.Equal(d.Replaces, []string{"vpcId"}) {
		t.Fatalf("unknown vpcId: %v", d)
	}
	// Equivalent JSON documents and zero values are no change.
	d = diff(t, s, tRole, map[string]any{"name": "r", "assumeRolePolicy": `{"a": 1}`, "path": ""},
		map[string]any{"name": "r", "assumeRolePolicy": `{"a":1}`})
	if d.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("equivalent: %v", d)
	}
	// The diff compares OldInputs, not the old state's outputs.
	resp, err := s.Diff(context.Background(), &pulumirpc.DiffRequest{Urn: urnOf(tVpc, "v"), Id: "vpc-1",
		Olds:      toStruct(t, map[string]any{"cidrBlock": "10.0.0.0/16", "arn": "arn:x", "enableDnsSupport": true, "tagsAll": map[string]any{"x": "y"}}),
		OldInputs: toStruct(t, map[string]any{"cidrBlock": "10.0.0.0/16"}),
		News:      toStruct(t, map[string]any{"cidrBlock": "10.0.0.0/16"})})
	if err != nil || resp.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("outputs diffed: %v %v", resp, err)
	}
	// Replacement properties of other types.
	for typ, prop := range map[string]string{tVpc: "cidrBlock", tLogGroup: "name", tRole: "path", tRolePolicy: "role", tBucket: "objectLockEnabled",
		tBucketPolicy: "bucket", tTrail: "name", tAccount: "email", tOU: "parentId", tPolicy: "type", tAttachment: "targetId", tKey: "keyUsage",
		tNat: "allocationId", tEip: "domain", tFlowLog: "logDestination", tVgw: "amazonSideAsn", tDefaultSG: "vpcId", tRTAssoc: "subnetId", tRoute: "destinationCidrBlock"} {
		d := diff(t, s, typ, map[string]any{prop: "a"}, map[string]any{prop: "b"})
		if !slices.Equal(d.Replaces, []string{prop}) {
			t.Errorf("%s %s: replaces %v", typ, prop, d.Replaces)
		}
	}
	// Optional+computed inputs are compared once the program sets them
	// (old or new inputs): a flow log's logFormat and a NAT gateway's
	// privateIp force a replacement; left unset on both sides they are
	// computed outputs and not diffed.
	fl := map[string]any{"vpcId": "vpc-1", "trafficType": "ALL", "logDestination": "arn:aws:s3:::tz-archive/"}
	d = diff(t, s, tFlowLog, merged(fl, map[string]any{"logFormat": "${version} ${srcaddr}"}), merged(fl, map[string]any{"logFormat": "${version} ${dstaddr}"}))
	if !slices.Equal(d.Replaces, []string{"logFormat"}) || d.DetailedDiff["logFormat"].GetKind() != pulumirpc.PropertyDiff_UPDATE_REPLACE {
		t.Errorf("changing logFormat: %v", d)
	}
	d = diff(t, s, tFlowLog, fl, merged(fl, map[string]any{"logFormat": "${version} ${dstaddr}"}))
	if !slices.Equal(d.Replaces, []string{"logFormat"}) {
		t.Errorf("setting logFormat: %v", d)
	}
	nat := map[string]any{"subnetId": "subnet-1", "allocationId": "eipalloc-1"}
	d = diff(t, s, tNat, merged(nat, map[string]any{"privateIp": "10.0.0.10"}), merged(nat, map[string]any{"privateIp": "10.0.0.11"}))
	if !slices.Equal(d.Replaces, []string{"privateIp"}) {
		t.Errorf("changing privateIp: %v", d)
	}
	resp, err = s.Diff(context.Background(), &pulumirpc.DiffRequest{Urn: urnOf(tFlowLog, "f"), Id: "fl-1",
		Olds:      toStruct(t, merged(fl, map[string]any{"logFormat": "${version}", "arn": "arn:x"})),
		OldInputs: toStruct(t, fl), News: toStruct(t, fl)})
	if err != nil || resp.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("computed logFormat diffed: %v %v", resp, err)
	}
	if d := diff(t, s, tAccount, map[string]any{"parentId": "a"}, map[string]any{"parentId": "b"}); len(d.Replaces) != 0 {
		t.Errorf("moving an account replaced it: %v", d)
	}
}

func TestPreviewCreateReturnsUnknowns(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	resp, err := s.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urnOf(tOU, "ou"), Preview: true,
		Properties: toStruct(t, map[string]any{"name": "x", "parentId": DefaultRootID})})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"arn", "tagsAll", "accounts"} {
		if !isComputed(t, resp.Properties, k) {
			t.Errorf("%s not unknown at preview", k)
		}
	}
	if fromStruct(t, resp.Properties)["name"] != "x" {
		t.Errorf("inputs lost at preview")
	}
	if recs, _ := Open(s.opts.Dir).Resources(); len(recs) != 0 {
		t.Errorf("preview wrote %v", recs)
	}
}

func TestReadRefreshAndImport(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	read := func(s *Server, typ, id string, props map[string]any) *pulumirpc.ReadResponse {
		t.Helper()
		resp, err := s.Read(context.Background(), &pulumirpc.ReadRequest{Urn: urnOf(typ, "x"), Id: id, Properties: toStruct(t, props)})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	pol, out := mustCreate(t, m, tPolicy, "p", map[string]any{"name": "p", "content": "{}", "type": "SERVICE_CONTROL_POLICY"})
	if r := read(m, tPolicy, pol, out); r.Id != pol || fromStruct(t, r.Properties)["arn"] != out["arn"] || fromStruct(t, r.Inputs)["name"] != "p" {
		t.Fatalf("refresh %v", r)
	}
	if err := del(t, m, tPolicy, pol); err != nil {
		t.Fatal(err)
	}
	if r := read(m, tPolicy, pol, out); r.Id != "" {
		t.Fatalf("refresh of a deleted policy: %v", r)
	}
	// Import an existing account with only its id.
	if err := SeedAccount(o.Dir, "123456789012", "Legacy", "legacy@example.com"); err != nil {
		t.Fatal(err)
	}
	r := read(m, tAccount, "123456789012", nil)
	in := fromStruct(t, r.Inputs)
	if r.Id != "123456789012" || in["email"] != "legacy@example.com" || in["parentId"] != DefaultRootID || fromStruct(t, r.Properties)["status"] != "ACTIVE" {
		t.Fatalf("import %v", r)
	}
	// The seeded account can be assumed into.
	s := memberServer(t, o, "123456789012")
	if _, _, err := create(t, s, tVpc, "v", map[string]any{"cidrBlock": "10.0.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if err := SeedAccount(o.Dir, "123456789012", "Again", "x@example.com"); err == nil {
		t.Fatal("seeded the same account twice")
	}
}

func TestUpdate(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	ou1, _ := mustCreate(t, m, tOU, "a", map[string]any{"name": "A", "parentId": DefaultRootID})
	acct, out := mustCreate(t, m, tAccount, "acme", map[string]any{"name": "Acme", "email": "a@example.com", "parentId": DefaultRootID})
	update := func(news map[string]any) (map[string]any, error) {
		resp, err := m.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: urnOf(tAccount, "acme"), Id: acct,
			Olds: toStruct(t, out), OldInputs: toStruct(t, map[string]any{"name": "Acme", "email": "a@example.com", "parentId": DefaultRootID}), News: toStruct(t, news)})
		if err != nil {
			return nil, err
		}
		return fromStruct(t, resp.Properties), nil
	}
	got, err := update(map[string]any{"name": "Acme", "email": "a@example.com", "parentId": ou1, "tags": map[string]any{"t": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	if got["parentId"] != ou1 || got["arn"] != out["arn"] || got["tagsAll"].(map[string]any)["t"] != "1" {
		t.Fatalf("update %v", got)
	}
	_, err = update(map[string]any{"name": "Acme", "email": "a@example.com", "parentId": "ou-tz01-missing0"})
	wantErr(t, err, "DestinationParentNotFoundException")
	recs, _ := Open(o.Dir).Accounts()
	if len(recs) != 1 || recs[0].Outputs["parentId"] != ou1 {
		t.Fatalf("stored %v", recs)
	}
}

func TestInvoke(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	id, s := newMember(t, o, m, "acme")
	resp, err := s.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: "aws:index/getCallerIdentity:getCallerIdentity"})
	if err != nil {
		t.Fatal(err)
	}
	ret := resp.Return.AsMap()
	if ret["accountId"] != id || ret["arn"] != "arn:aws:sts::"+id+":assumed-role/"+DefaultAccessRole+"/test" || ret["userId"] == "" {
		t.Fatalf("caller identity %v", ret)
	}
	resp, err = m.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: "aws:index/getRegion:getRegion"})
	if err != nil || resp.Return.AsMap()["name"] != "us-east-1" {
		t.Fatalf("region %v %v", resp, err)
	}
	_, err = m.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: "aws:ec2/getAmi:getAmi"})
	wantErr(t, err, "aws:ec2/getAmi:getAmi")
}

func TestUnmodeledType(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	_, err := s.Check(context.Background(), &pulumirpc.CheckRequest{Urn: urnOf("aws:sqs/queue:Queue", "q")})
	wantErr(t, err, "aws:sqs/queue:Queue", "not modeled")
}

func TestCloudReadAPI(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	id, s := newMember(t, o, m, "acme")
	newNetwork(t, s)
	c := Open(o.Dir)
	all, err := c.Resources()
	if err != nil || len(all) != 5 {
		t.Fatalf("Resources = %d, %v", len(all), err)
	}
	if !slices.IsSortedFunc(all, func(a, b Record) int {
		return cmp.Or(strings.Compare(a.Account, b.Account), strings.Compare(a.Type, b.Type), strings.Compare(a.ID, b.ID))
	}) {
		t.Errorf("not sorted: %v", all)
	}
	if vpcs, _ := c.ByType(tVpc); len(vpcs) != 1 || vpcs[0].Account != id || vpcs[0].Region != "us-east-1" || vpcs[0].URN != urnOf(tVpc, "vpc") {
		t.Errorf("ByType %v", vpcs)
	}
	if in, _ := c.InAccount(id); len(in) != 4 {
		t.Errorf("InAccount %d", len(in))
	}
	if accts, _ := c.Accounts(); len(accts) != 1 || accts[0].Account != mgmt || accts[0].ID != id {
		t.Errorf("Accounts %v", accts)
	}
	st, err := c.Stats()
	if err != nil || st.Creates[tVpc] != 1 || st.Creates[tAccount] != 1 || st.MaxAccountCreationsInFlight != 1 {
		t.Errorf("Stats %+v %v", st, err)
	}
}

func TestSecretsStaySecret(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	props := fromPlain(map[string]any{"name": "r", "assumeRolePolicy": "{}"})
	props["assumeRolePolicy"] = resource.MakeSecret(props["assumeRolePolicy"])
	st, err := marshal("test", props)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urnOf(tRole, "r"), Properties: st})
	if err != nil {
		t.Fatal(err)
	}
	out, err := unmarshal("test", resp.Properties)
	if err != nil {
		t.Fatal(err)
	}
	if !out["assumeRolePolicy"].IsSecret() || out["name"].IsSecret() {
		t.Fatalf("secretness lost: %v", out)
	}
	// On disk the value is plain (the fake cloud is no secret store).
	recs, _ := Open(s.opts.Dir).ByType(tRole)
	if len(recs) != 1 || recs[0].Inputs["assumeRolePolicy"] != "{}" {
		t.Fatalf("record %v", recs)
	}
}

func TestUpdatePreviewKeepsOutputs(t *testing.T) {
	s := newServer(t, testOptions(t), nil)
	id, out := mustCreate(t, s, tVpc, "v", map[string]any{"cidrBlock": "10.0.0.0/16"})
	resp, err := s.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: urnOf(tVpc, "v"), Id: id, Preview: true,
		Olds: toStruct(t, out), OldInputs: toStruct(t, map[string]any{"cidrBlock": "10.0.0.0/16"}),
		News: toStruct(t, map[string]any{"cidrBlock": "10.0.0.0/16", "tags": map[string]any{"a": "b"}})})
	if err != nil {
		t.Fatal(err)
	}
	got := fromStruct(t, resp.Properties)
	if got["arn"] != out["arn"] || got["tags"].(map[string]any)["a"] != "b" {
		t.Fatalf("preview update %v", got)
	}
	if recs, _ := Open(s.opts.Dir).ByType(tVpc); recs[0].Inputs["tags"] != nil {
		t.Fatalf("preview wrote %v", recs[0].Inputs)
	}
}
