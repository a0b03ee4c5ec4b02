package tests

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/recorder"
)

// seedNetworks is the seed reports' table: customer, tier OU, VPC and the
// three subnets (public in AZ a, private in a and b). Written out by hand
// from the reports, not computed, so a change to any CIDR fails a test.
var seedNetworks = []struct {
	key, ou, vpc, public, private1, private2 string
}{
	{"acme-finance", "Customers-Fintech", "10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"},
	{"quantumbank-fintech", "Customers-Fintech", "10.1.0.0/16", "10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24"},
	{"metabank-fintech", "Customers-Fintech", "10.2.0.0/16", "10.2.0.0/24", "10.2.1.0/24", "10.2.2.0/24"},
	{"crossbank-fintech", "Customers-Fintech", "10.5.0.0/16", "10.5.0.0/24", "10.5.1.0/24", "10.5.2.0/24"},
	{"medicorp-health", "Customers-Healthcare", "10.1.0.0/16", "10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24"},
	{"guardian-health", "Customers-Healthcare", "10.3.0.0/16", "10.3.0.0/24", "10.3.1.0/24", "10.3.2.0/24"},
	{"techgov-federal", "Customers-Government-Federal", "10.4.0.0/16", "10.4.0.0/24", "10.4.1.0/24", "10.4.2.0/24"},
	{"statecorp-govfed", "Customers-Government-Federal", "10.4.0.0/16", "10.4.0.0/24", "10.4.1.0/24", "10.4.2.0/24"},
	{"startup-standard", "Customers-Standard", "10.1.0.0/16", "10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24"},
	{"techstartup-std", "Customers-Standard", "10.6.0.0/16", "10.6.0.0/24", "10.6.1.0/24", "10.6.2.0/24"},
}

func TestSeedCatalogResourceCounts(t *testing.T) {
	g := runStack(t, "prod")
	// The seed table: 4 OUs, 10 accounts, 10 VPCs, 30 subnets, 10 NAT gateways,
	// 20 route tables, 10 internet gateways, 10 CloudWatch flow logs.
	want := map[string]int{tOU: 4, tAccount: 10, tVPC: 10, tSubnet: 30, tNAT: 10, tRouteTable: 20, tIGW: 10, tDefaultSG: 10}
	for typ, n := range want {
		if got := g.count(typ); got != n {
			t.Errorf("%s: %d, want %d", typ, got, n)
		}
	}
	cwFlowLogs := 0
	for _, fl := range g.ofType(tFlowLog) {
		if str(fl, "logDestinationType") == "cloud-watch-logs" {
			cwFlowLogs++
		}
	}
	if cwFlowLogs != 10 {
		t.Errorf("CloudWatch flow logs: %d, want 10", cwFlowLogs)
	}
}

func TestVPCAndSubnetCIDRsMatchSeeds(t *testing.T) {
	g := runStack(t, "prod")
	for _, s := range seedNetworks {
		vpc := g.one(t, s.key, tVPC)
		if got := str(vpc, "cidrBlock"); got != s.vpc {
			t.Errorf("%s: VPC %s, want %s", s.key, got, s.vpc)
		}
		for _, flag := range []string{"enableDnsHostnames", "enableDnsSupport"} {
			if v, ok := boolean(vpc, flag); !ok || !v {
				t.Errorf("%s: %s not on", s.key, flag)
			}
		}
		want := map[string]string{
			s.key + "-subnet-public":    s.public + " us-east-1a",
			s.key + "-subnet-private-1": s.private1 + " us-east-1a",
			s.key + "-subnet-private-2": s.private2 + " us-east-1b",
		}
		subnets := g.forCustomer(s.key, tSubnet)
		if len(subnets) != 3 {
			t.Fatalf("%s: %d subnets, want 3", s.key, len(subnets))
		}
		for _, sn := range subnets {
			got := str(sn, "cidrBlock") + " " + str(sn, "availabilityZone")
			if want[sn.Name] != got {
				t.Errorf("%s: subnet %s = %s, want %s", s.key, sn.Name, got, want[sn.Name])
			}
			if v, _ := boolean(sn, "mapPublicIpOnLaunch"); v {
				t.Errorf("%s: %s assigns public IPs on launch", s.key, sn.Name)
			}
			if str(sn, "vpcId") != vpc.ID {
				t.Errorf("%s: %s is not in the customer's VPC", s.key, sn.Name)
			}
		}
	}
}

// attachedPolicies maps OU name -> names of the policies attached to it.
func attachedPolicies(t *testing.T, g *graph) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, a := range g.ofType(tAttachment) {
		ou, ok := g.byID(str(a, "targetId"))
		if !ok || ou.Type != tOU {
			t.Fatalf("attachment %s targets %q, not a recorded OU", a.Name, str(a, "targetId"))
		}
		pol, ok := g.byID(str(a, "policyId"))
		if !ok || pol.Type != tPolicy {
			t.Fatalf("attachment %s attaches %q, not a recorded policy", a.Name, str(a, "policyId"))
		}
		out[str(ou, "name")] = append(out[str(ou, "name")], str(pol, "name"))
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

func TestSCPAttachmentsPerOU(t *testing.T) {
	g := runStack(t, "prod")
	want := map[string][]string{
		// SCPs, then each tier's own tag and backup policy.
		"Customers-Fintech":            {"tierzone-baseline", "tierzone-fintech", "tierzone-fintech-backup-policy", "tierzone-fintech-tag-policy"},
		"Customers-Healthcare":         {"tierzone-baseline", "tierzone-healthcare", "tierzone-healthcare-backup-policy", "tierzone-healthcare-tag-policy"},
		"Customers-Government-Federal": {"tierzone-baseline", "tierzone-gov-federal", "tierzone-gov-federal-backup-policy", "tierzone-gov-federal-tag-policy"},
		"Customers-Standard":           {"tierzone-baseline", "tierzone-standard-backup-policy", "tierzone-standard-tag-policy"},
	}
	got := attachedPolicies(t, g)
	if len(got) != len(want) {
		t.Errorf("policies attached to %d OUs, want %d: %v", len(got), len(want), got)
	}
	for ou, w := range want {
		if !slices.Equal(got[ou], w) {
			t.Errorf("OU %s: attached %v, want %v", ou, got[ou], w)
		}
	}
	for _, ou := range g.ofType(tOU) {
		if str(ou, "parentId") != "r-prod" {
			t.Errorf("OU %s sits under %q, want the organization root r-prod", str(ou, "name"), str(ou, "parentId"))
		}
		if !slices.Contains(got[str(ou, "name")], "tierzone-baseline") {
			t.Errorf("customer OU %s lacks the baseline SCP", str(ou, "name"))
		}
	}
}

// policyDoc returns a policy's parsed statements by Sid.
func policyDoc(t *testing.T, g *graph, name string) map[string]map[string]any {
	t.Helper()
	p := g.named(t, tPolicy, name)
	if str(p, "type") != "SERVICE_CONTROL_POLICY" {
		t.Fatalf("%s is %q, want SERVICE_CONTROL_POLICY", name, str(p, "type"))
	}
	var doc struct {
		Version   string
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(str(p, "content")), &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if doc.Version != "2012-10-17" {
		t.Fatalf("%s: Version %q", name, doc.Version)
	}
	out := map[string]map[string]any{}
	for _, s := range doc.Statement {
		if s["Effect"] != "Deny" {
			t.Errorf("%s: statement %v is not a Deny", name, s["Sid"])
		}
		out[s["Sid"].(string)] = s
	}
	return out
}

func list(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestGuardrailContent(t *testing.T) {
	g := runStack(t, "prod")
	base := policyDoc(t, g, "tierzone-baseline")
	wantActions := map[string][]string{
		"DenyLeaveOrganization":             {"organizations:LeaveOrganization"},
		"DenyRootUser":                      {"*"},
		"ProtectSecurityServices":           {"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "config:StopConfigurationRecorder", "guardduty:DeleteDetector", "securityhub:DisableSecurityHub"},
		"ProtectFlowLogs":                   {"ec2:DeleteFlowLogs"},
		"ProtectPlatformLogGroups":          {"logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"},
		"ProtectS3AccountPublicAccessBlock": {"s3:PutAccountPublicAccessBlock"},
	}
	for sid, actions := range wantActions {
		s, ok := base[sid]
		if !ok {
			t.Errorf("baseline lacks %s", sid)
			continue
		}
		for _, a := range actions {
			if !slices.Contains(list(s["Action"]), a) {
				t.Errorf("baseline %s does not deny %s", sid, a)
			}
		}
	}
	// The platform role is exempt where it must manage flow logs and log
	// groups, and nowhere else in the baseline.
	exempt := `{"ArnNotLike":{"aws:PrincipalARN":["arn:aws:iam::*:role/OrganizationAccountAccessRole"]}}`
	for sid, s := range base {
		cond, _ := json.Marshal(s["Condition"])
		isExempt := string(cond) == exempt
		wantExempt := sid == "ProtectFlowLogs" || sid == "ProtectPlatformLogGroups" || sid == "ProtectS3AccountPublicAccessBlock"
		if isExempt != wantExempt {
			t.Errorf("baseline %s: platform exemption %v, want %v", sid, isExempt, wantExempt)
		}
	}
	if r := list(base["ProtectPlatformLogGroups"]["Resource"]); !slices.Equal(r, []string{"arn:aws:logs:*:*:log-group:/tierzone/*"}) {
		t.Errorf("log-group protection covers %v", r)
	}

	gov := policyDoc(t, g, "tierzone-gov-federal")
	region := gov["DenyOutsideAllowedRegions"]
	if region == nil {
		t.Fatal("gov-federal SCP lacks the region guardrail")
	}
	cond, _ := json.Marshal(region["Condition"])
	if string(cond) != `{"StringNotEquals":{"aws:RequestedRegion":["us-east-1"]}}` {
		t.Errorf("gov-federal region condition = %s", cond)
	}
	for _, global := range []string{"iam:*", "organizations:*", "sts:*", "route53:*", "cloudfront:*", "support:*"} {
		if !slices.Contains(list(region["NotAction"]), global) {
			t.Errorf("gov-federal region guardrail does not exempt global service %s", global)
		}
	}

	for _, tier := range []string{"tierzone-fintech", "tierzone-healthcare"} {
		doc := policyDoc(t, g, tier)
		for _, sid := range []string{"DenyNonKMSS3Put", "DenyUnencryptedEBS", "DenyUnencryptedRDS", "DenyUnencryptedEFS"} {
			if doc[sid] == nil {
				t.Errorf("%s lacks %s", tier, sid)
			}
		}
		// The S3 statement applies only when the encryption header is sent:
		// UploadPart (authorized as s3:PutObject, no header) and puts relying
		// on bucket default encryption stay allowed.
		cond, _ := json.Marshal(doc["DenyNonKMSS3Put"]["Condition"])
		if string(cond) != `{"Null":{"s3:x-amz-server-side-encryption":["false"]},"StringNotEquals":{"s3:x-amz-server-side-encryption":["aws:kms","aws:kms:dsse"]}}` {
			t.Errorf("%s S3 encryption condition = %s", tier, cond)
		}
		_, keys := doc["DenyIAMUserAccessKeys"]
		if keys != (tier == "tierzone-fintech") {
			t.Errorf("%s: deny IAM user access keys = %v", tier, keys)
		}
	}
	if s := policyDoc(t, g, "tierzone-fintech")["DenyIAMUserAccessKeys"]; !slices.Equal(list(s["Action"]), []string{"iam:CreateAccessKey"}) {
		t.Errorf("fintech access-key guardrail denies %v", s["Action"])
	}
	for _, p := range g.ofType(tPolicy) {
		if n := len(str(p, "content")); n > 10240 {
			t.Errorf("%s is %d characters, over the SCP quota", str(p, "name"), n)
		}
	}
}

func TestFlowLogsPerTier(t *testing.T) {
	g := runStack(t, "prod")
	hotDays := map[string]float64{"fintech": 90, "healthcare": 90, "gov-federal": 90, "standard": 90}
	for _, s := range seedNetworks {
		vpc := g.one(t, s.key, tVPC)
		group := g.one(t, s.key, tLogGroup)
		tier := tags(vpc)["tier"]
		if got := num(group, "retentionInDays"); got != hotDays[tier] {
			t.Errorf("%s (%s): log group retention %v, want %v", s.key, tier, got, hotDays[tier])
		}
		if got := str(group, "name"); got != "/tierzone/vpc-flow-logs/"+s.key {
			t.Errorf("%s: log group %q", s.key, got)
		}
		var cw []recorder.Resource
		for _, fl := range g.forCustomer(s.key, tFlowLog) {
			if str(fl, "logDestinationType") == "cloud-watch-logs" {
				cw = append(cw, fl)
			}
		}
		if len(cw) != 1 {
			t.Fatalf("%s: %d CloudWatch flow logs, want 1", s.key, len(cw))
		}
		fl := cw[0]
		if str(fl, "trafficType") != "ALL" || str(fl, "vpcId") != vpc.ID {
			t.Errorf("%s: flow log traffic %q on %q, want ALL on %s", s.key, str(fl, "trafficType"), str(fl, "vpcId"), vpc.ID)
		}
		if !strings.HasSuffix(str(fl, "logDestination"), ":log-group:/tierzone/vpc-flow-logs/"+s.key) {
			t.Errorf("%s: flow log goes to %q", s.key, str(fl, "logDestination"))
		}
		role := g.oneInVPC(t, s.key, tRole)
		if str(fl, "iamRoleArn") != "arn:aws:iam::123456789012:role/"+role.Name {
			t.Errorf("%s: flow log delivers through %q, not its own role", s.key, str(fl, "iamRoleArn"))
		}
		account := g.one(t, s.key, tAccount)
		trust := str(role, "assumeRolePolicy")
		for _, want := range []string{`"Service":"vpc-flow-logs.amazonaws.com"`, `"aws:SourceAccount":"` + account.ID + `"`, `arn:aws:ec2:us-east-1:` + account.ID + `:vpc-flow-log/*`} {
			if !strings.Contains(trust, want) {
				t.Errorf("%s: flow-log role trust lacks %s: %s", s.key, want, trust)
			}
		}
		policy := str(g.oneInVPC(t, s.key, tRolePolicy), "policy")
		if strings.Contains(policy, `"Resource":"*"`) || !strings.Contains(policy, "log-group:/tierzone/vpc-flow-logs/"+s.key) || strings.Contains(policy, "logs:CreateLogGroup") {
			t.Errorf("%s: flow-log role policy is not least-privilege: %s", s.key, policy)
		}
	}
}

func TestNATAndVPNFollowTierRules(t *testing.T) {
	g := runStack(t, "prod")
	wantVPN := map[string]bool{"medicorp-health": true, "guardian-health": true}
	for _, s := range seedNetworks {
		// Every seed customer has a NAT gateway: required for Fintech,
		// Healthcare and Gov-Federal, the default for Standard.
		nat := g.one(t, s.key, tNAT)
		public := g.named(t, tSubnet, s.key+"-subnet-public")
		if str(nat, "subnetId") != public.ID {
			t.Errorf("%s: NAT gateway not in the public subnet", s.key)
		}
		eip := g.one(t, s.key, tEIP)
		if str(nat, "allocationId") != eip.ID || str(eip, "domain") != "vpc" {
			t.Errorf("%s: NAT gateway does not use its VPC EIP", s.key)
		}
		igw := g.one(t, s.key, tIGW)
		if !slices.Contains(nat.Dependencies, igw.URN) {
			t.Errorf("%s: NAT gateway does not wait for the internet gateway", s.key)
		}
		routes := map[string]string{}
		for _, r := range g.forCustomer(s.key, tRoute) {
			target := str(r, "gatewayId") + str(r, "natGatewayId")
			routes[r.Name] = str(r, "destinationCidrBlock") + " -> " + target
		}
		if routes[s.key+"-route-public-default"] != "0.0.0.0/0 -> "+igw.ID || routes[s.key+"-route-private-default"] != "0.0.0.0/0 -> "+nat.ID {
			t.Errorf("%s: default routes %v", s.key, routes)
		}
		vgws := g.forCustomer(s.key, tVGW)
		if (len(vgws) == 1) != wantVPN[s.key] || len(vgws) > 1 {
			t.Errorf("%s: %d VPN gateways, want VPN=%v", s.key, len(vgws), wantVPN[s.key])
		}
		if wantVPN[s.key] {
			prop := g.one(t, s.key, tVGWProp)
			private := g.named(t, tRouteTable, s.key+"-rt-private")
			if str(prop, "routeTableId") != private.ID || str(prop, "vpnGatewayId") != vgws[0].ID || str(vgws[0], "vpcId") != g.one(t, s.key, tVPC).ID {
				t.Errorf("%s: VPN gateway not attached with propagation into the private route table", s.key)
			}
		}
		assoc := map[string]string{}
		for _, a := range g.forCustomer(s.key, tRTA) {
			assoc[a.Name] = str(a, "routeTableId")
		}
		pubRT, privRT := g.named(t, tRouteTable, s.key+"-rt-public").ID, g.named(t, tRouteTable, s.key+"-rt-private").ID
		if assoc[s.key+"-rta-public"] != pubRT || assoc[s.key+"-rta-private-1"] != privRT || assoc[s.key+"-rta-private-2"] != privRT {
			t.Errorf("%s: route table associations %v", s.key, assoc)
		}
		sg := g.one(t, s.key, tDefaultSG)
		if _, in := sg.Inputs["ingress"]; in {
			t.Errorf("%s: default security group has ingress rules", s.key)
		}
		if _, eg := sg.Inputs["egress"]; eg {
			t.Errorf("%s: default security group has egress rules", s.key)
		}
	}
}

func TestStandardCustomerMayDropNAT(t *testing.T) {
	no, yes := false, true
	catalog := []customers.Customer{
		{Key: "lean-std", Name: "Lean Std", Tier: "standard", VPCCIDR: "10.8.0.0/16", NATGateway: &no},
		{Key: "vpn-std", Name: "VPN Std", Tier: "standard", VPCCIDR: "10.9.0.0/16", VPNGateway: &yes},
	}
	g := run(t, "test", catalogConfig(t, "dev"), catalog)
	for _, typ := range []string{tNAT, tEIP} {
		if n := len(g.forCustomer("lean-std", typ)); n != 0 {
			t.Errorf("lean-std opted out of NAT but has %d %s", n, typ)
		}
	}
	for _, r := range g.forCustomer("lean-std", tRoute) {
		if r.Name == "lean-std-route-private-default" {
			t.Error("lean-std has a private default route without a NAT gateway")
		}
	}
	if len(g.forCustomer("vpn-std", tVGW)) != 1 || len(g.forCustomer("vpn-std", tNAT)) != 1 {
		t.Error("vpn-std opted into a VPN gateway and keeps the default NAT gateway")
	}
}

func TestCustomerResourcesUseTheirOwnAccountProvider(t *testing.T) {
	g := runStack(t, "prod")
	providers := map[string]recorder.Resource{}
	for _, p := range g.ofType(tAWSProvider) {
		providers[p.URN] = p
	}
	for _, r := range g.all {
		if !r.Custom || r.IsProvider() {
			continue
		}
		key := g.customerOf(r)
		prov, ok := providers[r.ProviderURN]
		if !ok {
			t.Errorf("%s uses %q, not an explicit recorded aws provider", r.Name, r.ProviderURN)
			continue
		}
		if parent, ok := g.byURN[r.Parent]; ok && parent.Type == components.SecurityToolingType {
			// Detection: delegations from the management account, the
			// rest in the security tooling account.
			want := "security"
			if strings.Contains(r.Type, "organizationAdminAccount:") || r.Type == "aws:organizations/delegatedAdministrator:DelegatedAdministrator" {
				want = "management"
			}
			if prov.Name != want {
				t.Errorf("%s (%s) uses provider %s, want %s", r.Name, r.Type, prov.Name, want)
			}
			continue
		}
		if parent, ok := g.byURN[r.Parent]; ok && parent.Type == components.FindingCountsType {
			if prov.Name != "security" {
				t.Errorf("%s (%s) uses provider %s, want security", r.Name, r.Type, prov.Name)
			}
			continue
		}
		if parent, ok := g.byURN[r.Parent]; ok && parent.Type == components.MonitoringHubType {
			if prov.Name != "monitoring" {
				t.Errorf("%s (%s) uses provider %s, want monitoring", r.Name, r.Type, prov.Name)
			}
			continue
		}
		if parent, ok := g.byURN[r.Parent]; r.Type == tAccount || key == "" || (ok && (parent.Type == components.CustomerAccessType || parent.Type == components.CustomerBudgetType)) {
			// Organization resources, a customer's Identity Center
			// groups, users and assignments (administered in the
			// organization's instance) and its budget (the payer's): the
			// management account provider.
			if prov.Name != "management" {
				t.Errorf("%s (%s) uses provider %s, want management", r.Name, r.Type, prov.Name)
			}
			continue
		}
		if prov.Name != key+"-aws" {
			t.Errorf("%s of %s is created through provider %s, not the customer's own", r.Name, key, prov.Name)
		}
	}
	sec := g.named(t, tAWSProvider, "security")
	secID := stackConfig(t, "prod")["tierzone:securityAccountId"]
	if got := sec.Inputs["assumeRole"].ObjectValue()["roleArn"].StringValue(); got != "arn:aws:iam::"+secID+":role/OrganizationAccountAccessRole" {
		t.Errorf("security provider assumes %q", got)
	}
	if allowed := sec.Inputs["allowedAccountIds"].ArrayValue(); len(allowed) != 1 || allowed[0].StringValue() != secID {
		t.Errorf("security provider may act in %v, want only %s", allowed, secID)
	}
	for _, s := range seedNetworks {
		acct := g.one(t, s.key, tAccount)
		prov := g.named(t, tAWSProvider, s.key+"-aws")
		role := prov.Inputs["assumeRole"].ObjectValue()
		if got := role["roleArn"].StringValue(); got != "arn:aws:iam::"+acct.ID+":role/OrganizationAccountAccessRole" {
			t.Errorf("%s: provider assumes %q, not the org access role in account %s", s.key, got, acct.ID)
		}
		if str(prov, "region") != "us-east-1" {
			t.Errorf("%s: provider region %q", s.key, str(prov, "region"))
		}
		allowed := prov.Inputs["allowedAccountIds"].ArrayValue()
		if len(allowed) != 1 || allowed[0].StringValue() != acct.ID {
			t.Errorf("%s: provider may act in %v, want only %s", s.key, allowed, acct.ID)
		}
		dt := prov.Inputs["defaultTags"].ObjectValue()["tags"].ObjectValue()
		if dt["customer"].StringValue() != s.key || dt["managed-by"].StringValue() != "tierzone" {
			t.Errorf("%s: provider default tags %v", s.key, dt)
		}
	}
}

func TestAccountsSitInTheirTierOU(t *testing.T) {
	prod := runStack(t, "prod")
	for _, s := range seedNetworks {
		acct := prod.one(t, s.key, tAccount)
		ou, ok := prod.byID(str(acct, "parentId"))
		if !ok || str(ou, "name") != s.ou {
			t.Errorf("%s: account in %q, want OU %s", s.key, str(ou, "name"), s.ou)
		}
		if got := str(acct, "email"); got != "aws-accounts+"+s.key+"@tierzone.example" {
			t.Errorf("%s: e-mail %q", s.key, got)
		}
		if str(acct, "roleName") != "OrganizationAccountAccessRole" || acct.ImportID != "" {
			t.Errorf("%s: role %q import %q", s.key, str(acct, "roleName"), acct.ImportID)
		}
		if v, ok := boolean(acct, "closeOnDeletion"); !ok || v {
			t.Errorf("%s: closeOnDeletion must be explicitly false", s.key)
		}
		tg := tags(acct)
		if tg["customer"] != s.key || tg["tier"] == "" || tg["framework"] == "" || tg["managed-by"] != "tierzone" {
			t.Errorf("%s: account tags %v", s.key, tg)
		}
		if !acct.Protect || !acct.RetainOnDelete {
			t.Errorf("%s: prod account protect=%v retain=%v, want both", s.key, acct.Protect, acct.RetainOnDelete)
		}
		// The seed report's account numbers never reach a resource input.
		in := fmt.Sprint(acct.Inputs)
		for _, seedID := range []string{"222233334444", "555566667777", "333344445555", "444455556666", "666677778888"} {
			if strings.Contains(in, seedID) {
				t.Errorf("%s: seed account number %s reached the account inputs", s.key, seedID)
			}
		}
	}
	dev := runStack(t, "dev")
	got := map[string]bool{}
	for _, acct := range dev.ofType(tAccount) {
		got[dev.customerOf(acct)] = true
		if acct.Protect || acct.RetainOnDelete {
			t.Errorf("dev account %s is protected; dev stacks must be able to tear down", acct.Name)
		}
	}
	if want := []string{"acme-finance", "medicorp-health", "startup-standard", "techgov-federal"}; !slices.Equal(keys(got), want) {
		t.Errorf("dev deploys %v, want one customer per tier %v", keys(got), want)
	}
	if dev.count(tOU) != 4 {
		t.Errorf("dev has %d tier OUs, want 4", dev.count(tOU))
	}
}

func TestAdoptedAccountIsImported(t *testing.T) {
	catalog := customers.Catalog()
	catalog[0].ExistingAccountID = "210987654321"
	catalog[0].Email = "aws-root@acmefinance.com"
	g := run(t, "test", stackConfig(t, "prod"), catalog)
	acct := g.one(t, "acme-finance", tAccount)
	// email and name force a new account in the provider: an import must
	// never plan a replacement of the customer's existing account.
	for _, ignored := range []string{"roleName", "email", "name"} {
		if !slices.Contains(acct.IgnoreChanges, ignored) {
			t.Errorf("adopted account does not ignore %s: %v", ignored, acct.IgnoreChanges)
		}
	}
	if str(acct, "email") != "aws-root@acmefinance.com" {
		t.Errorf("adopted account e-mail %q", str(acct, "email"))
	}
	if acct.ImportID != "210987654321" || acct.ID != "210987654321" {
		t.Errorf("adopted account import id %q id %q", acct.ImportID, acct.ID)
	}
	if _, set := acct.Inputs["roleName"]; set {
		t.Error("adopted account sets roleName, which Organizations cannot read back on import")
	}
	if !slices.Contains(acct.IgnoreChanges, "roleName") {
		t.Errorf("adopted account ignores %v", acct.IgnoreChanges)
	}
	other := g.one(t, "quantumbank-fintech", tAccount)
	if other.ImportID != "" {
		t.Error("a new account was imported")
	}
}

// TestOnboardingDoesNotTouchOtherCustomers: adding, removing and reordering
// customers leaves every other customer's resources byte-for-byte the same.
func TestOnboardingDoesNotTouchOtherCustomers(t *testing.T) {
	cfg := catalogConfig(t, "prod")
	base := customers.Catalog()
	before := run(t, "prod", cfg, base)

	changed := slices.Clone(base)
	slices.Reverse(changed)
	changed = changed[1:] // drop techstartup-std (last in the catalog)
	changed = append([]customers.Customer{{Key: "newco-health", Name: "NewCo Health", Tier: "healthcare", VPCCIDR: "10.0.0.0/16"}}, changed...)
	after := run(t, "prod", cfg, changed)

	for _, r := range before.all {
		key := before.customerOf(r)
		if key == "techstartup-std" || strings.HasPrefix(r.Name, "observability-techstartup-std-operators-") {
			if _, still := after.byURN[r.URN]; still {
				t.Errorf("removed customer's %s is still registered", r.Name)
			}
			continue
		}
		a, ok := after.byURN[r.URN]
		if !ok {
			t.Errorf("%s vanished after onboarding another customer", r.URN)
			continue
		}
		if r.Type == tDashboard && key == "" {
			// A tier's and the organization's dashboards list their
			// customers: an in-place update of those bodies only.
			continue
		}
		if !r.Inputs.DeepEquals(a.Inputs) {
			t.Errorf("%s changed inputs after onboarding another customer", r.URN)
		}
	}
	if n := len(after.forCustomer("newco-health", tVPC)); n != 1 {
		t.Errorf("new customer has %d VPCs", n)
	}
}

func TestAnyCIDRFrom16To24Works(t *testing.T) {
	catalog := []customers.Customer{
		{Key: "tiny", Name: "Tiny", Tier: "standard", VPCCIDR: "192.168.7.0/24"},
		{Key: "mid", Name: "Mid", Tier: "fintech", VPCCIDR: "172.20.16.0/20"},
	}
	g := run(t, "test", catalogConfig(t, "dev"), catalog)
	want := map[string]string{
		"tiny-subnet-public": "192.168.7.0/26", "tiny-subnet-private-1": "192.168.7.64/26", "tiny-subnet-private-2": "192.168.7.128/26",
		"mid-subnet-public": "172.20.16.0/24", "mid-subnet-private-1": "172.20.17.0/24", "mid-subnet-private-2": "172.20.18.0/24",
	}
	for name, cidr := range want {
		if got := str(g.named(t, tSubnet, name), "cidrBlock"); got != cidr {
			t.Errorf("%s = %s, want %s", name, got, cidr)
		}
	}
}

func TestComponentsParentTheirChildren(t *testing.T) {
	g := runStack(t, "prod")
	for _, r := range g.all {
		if r.Parent == "" {
			t.Errorf("%s has no parent", r.URN)
			continue
		}
		if _, ok := g.byURN[r.Parent]; !ok && r.Type != "tierzone:landingzone:LandingZone" {
			t.Errorf("%s: parent %s was not registered", r.Name, r.Parent)
		}
	}
	for _, typ := range []string{"tierzone:org:TierOU", "tierzone:org:CustomerAccount", "tierzone:network:CustomerVPC", "tierzone:landingzone:LandingZone"} {
		if g.count(typ) == 0 {
			t.Errorf("no %s component registered", typ)
		}
	}
}

// TestAtMostFiveAccountCreationsAtOnce: Organizations allows 5 account
// creations in progress; each new account waits for the one created five
// places before it, adopted (imported) accounts take no slot, and the wait
// changes no input.
func TestAtMostFiveAccountCreationsAtOnce(t *testing.T) {
	catalog := customers.Catalog()
	catalog[2].ExistingAccountID = "210987654321" // metabank-fintech is adopted
	catalog[2].Email = "root@metabank.example"
	g := run(t, "prod", stackConfig(t, "prod"), catalog)
	accountURN := map[string]string{}
	for _, a := range g.ofType(tAccount) {
		accountURN[g.customerOf(a)] = a.URN
	}
	var created []string
	for _, c := range catalog {
		if c.ExistingAccountID == "" {
			created = append(created, c.Key)
		}
	}
	for _, c := range catalog {
		acct := g.one(t, c.Key, tAccount)
		var waitsFor []string
		for _, d := range acct.Dependencies {
			if r, ok := g.byURN[d]; ok && r.Type == tAccount {
				waitsFor = append(waitsFor, g.customerOf(r))
			}
		}
		var want []string
		if i := slices.Index(created, c.Key); i >= 5 {
			want = []string{created[i-5]}
		}
		if !slices.Equal(waitsFor, want) {
			t.Errorf("%s waits for accounts %v, want %v", c.Key, waitsFor, want)
		}
	}
	// Ten seed accounts minus one adopted: nine created, in two waves.
	if len(created) != 9 {
		t.Fatalf("%d created accounts", len(created))
	}
}

// TestTierzoneTagsAreReserved: every tag Tierzone puts on a customer's
// resources is one the catalog reserves, so a customer's own tags can
// neither collide with them nor push a resource past AWS's 50 tags.
func TestTierzoneTagsAreReserved(t *testing.T) {
	g := runStack(t, "prod")
	reserved := customers.ReservedTagKeys()
	for _, r := range g.all {
		if g.customerOf(r) == "" {
			continue
		}
		for k := range tags(r) {
			if !slices.Contains(reserved, k) {
				t.Errorf("%s carries tag %q, which the catalog does not reserve", r.Name, k)
			}
		}
	}
}
