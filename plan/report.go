package plan

import (
	"fmt"
	"slices"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/netplan"
	"github.com/tierzone/tierzone/recorder"
)

// Type tokens the report reads from the recorded resources.
const (
	typeOU               = "aws:organizations/organizationalUnit:OrganizationalUnit"
	typeAccount          = "aws:organizations/account:Account"
	typePolicy           = "aws:organizations/policy:Policy"
	typePolicyAttachment = "aws:organizations/policyAttachment:PolicyAttachment"
	typeVPC              = "aws:ec2/vpc:Vpc"
	typeSubnet           = "aws:ec2/subnet:Subnet"
	typeNATGateway       = "aws:ec2/natGateway:NatGateway"
	typeVPNGateway       = "aws:ec2/vpnGateway:VpnGateway"
	typeLogGroup         = "aws:cloudwatch/logGroup:LogGroup"
)

// scpPolicyType is an SCP's Organizations policy type.
const scpPolicyType = "SERVICE_CONTROL_POLICY"

// FullAWSAccess is the AWS-managed SCP that Organizations attaches to every
// root, OU and account; it counts toward the per-OU attachment quota.
const FullAWSAccess = "FullAWSAccess"

// Report is the offline plan. Its JSON form is the machine contract:
// {"customers": [...], "resources": [...], "summary": {...}}.
type Report struct {
	Customers []Customer `json:"customers"`
	// Resources are every registered resource, sorted by URN.
	Resources []Resource `json:"resources"`
	Summary   Summary    `json:"summary"`
	// Controls is the control report per customer (Options.Controls):
	// every control in place with its own frameworks' requirement ids.
	Controls []landingzone.CustomerControls `json:"controls,omitempty"`
	// Dashboards are the CloudWatch dashboards and their widgets.
	Dashboards []Dashboard `json:"dashboards"`
	// Access is IAM Identity Center: permission sets, customer groups,
	// assignments and login links (absent with Identity Center off).
	Access *Access `json:"access,omitempty"`
	// Shield is Shield Advanced: required, subscribed, protected (absent
	// when no deployed tier requires it).
	Shield *Shield `json:"shield,omitempty"`
	// Hub is the network hub: route tables, pools, allocations (absent
	// without tierzone:networkAccountId).
	Hub *Hub `json:"hub,omitempty"`
	// Business holds the optional cost, deployment-time and projection
	// sections (Options).
	Business
}

// Customer is one planned customer, as registered.
type Customer struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Tier       string   `json:"tier"`
	Frameworks []string `json:"frameworks"`
	// OU is the tier OU's name; AccountEmail the account's root e-mail.
	OU           string `json:"ou"`
	AccountEmail string `json:"accountEmail"`
	// ExistingAccountID is set when the account is adopted (imported).
	ExistingAccountID string   `json:"existingAccountId,omitempty"`
	Region            string   `json:"region"`
	VPCCIDR           string   `json:"vpcCidr"`
	Subnets           []Subnet `json:"subnets"`
	NATGateway        bool     `json:"natGateway"`
	VPNGateway        bool     `json:"vpnGateway"`
	FlowLogs          FlowLogs `json:"flowLogs"`
	MonthlyPriceUSD   int      `json:"monthlyPriceUSD"`
	// Resources counts the customer's resources (its account and VPC
	// components and everything under them); ResourcesByType splits it.
	Resources       int            `json:"resources"`
	ResourcesByType map[string]int `json:"resourcesByType"`
	// Baseline is the account's baseline (EBS, S3, password policy, Access
	// Analyzer, backup vault and policy, default VPCs to delete).
	Baseline AccountBaseline `json:"baseline"`
}

// Subnet is one registered subnet.
type Subnet struct {
	Name             string `json:"name"`
	Role             string `json:"role"`
	CIDR             string `json:"cidr"`
	AvailabilityZone string `json:"availabilityZone"`
}

// FlowLogs is a customer's flow-log retention: HotDays as registered on the
// CloudWatch log group; ArchiveDays (the tier's promise for the stack) and
// FloorDays (the framework's minimum) from the resolved plan.
type FlowLogs struct {
	LogGroup    string `json:"logGroup"`
	HotDays     int    `json:"hotDays"`
	ArchiveDays int    `json:"archiveDays"`
	FloorDays   int    `json:"floorDays"`
}

// Summary totals the plan and describes the organization it builds.
type Summary struct {
	Stack              string `json:"stack"`
	OrganizationRootID string `json:"organizationRootId"`
	Customers          int    `json:"customers"`
	// Resources counts everything registered: CustomResources (real cloud
	// resources), Components and Providers.
	Resources       int            `json:"resources"`
	CustomResources int            `json:"customResources"`
	Components      int            `json:"components"`
	Providers       int            `json:"providers"`
	ResourcesByType map[string]int `json:"resourcesByType"`
	// SharedResourcesByType are the resources that belong to no customer:
	// the landing zone, its management provider, tier OUs and policies.
	SharedResourcesByType map[string]int `json:"sharedResourcesByType"`
	MonthlyPriceUSD       int            `json:"monthlyPriceUSD"`
	OUs                   []OU           `json:"ous"`
	// Policies are the SCPs; ManagementPolicies the tag and backup
	// policies, which have quotas of their own.
	Policies           []Policy `json:"policies"`
	ManagementPolicies []Policy `json:"managementPolicies"`
	SCPMaxAttachments  int      `json:"scpMaxAttachments"`
	SCPMaxChars        int      `json:"scpMaxChars"`
}

// OU is a tier OU as registered: its parent, its customers' keys in catalog
// order and the SCPs attached to it (FullAWSAccess first).
type OU struct {
	Tier string `json:"tier"`
	// Segment and ParentOU are set on a segment OU: its key and its tier
	// OU's name.
	Segment   string   `json:"segment,omitempty"`
	ParentOU  string   `json:"parentOu,omitempty"`
	Name      string   `json:"name"`
	URN       string   `json:"urn"`
	ParentID  string   `json:"parentId"`
	Customers []string `json:"customers"`
	// Policies are the SCPs attached; ManagementPolicies the tag and
	// backup policies.
	Policies           []string `json:"policies"`
	ManagementPolicies []string `json:"managementPolicies"`
}

// Policy is an SCP and the OUs it is attached to. AWSManaged policies
// (FullAWSAccess) are not registered by Tierzone; AWS attaches them.
type Policy struct {
	Name string `json:"name"`
	// Type is SERVICE_CONTROL_POLICY, TAG_POLICY or BACKUP_POLICY.
	Type       string   `json:"type"`
	URN        string   `json:"urn,omitempty"`
	AWSManaged bool     `json:"awsManaged"`
	Characters int      `json:"characters,omitempty"`
	AttachedTo []string `json:"attachedTo"`
}

// owner is who a resource belongs to.
type owner struct {
	customer string
	tier     string
	// segment is a segment OU component's name (<tier>-<segment>).
	segment string
}

// index is the recorded resources with lookups by URN and by physical id.
type index struct {
	byURN map[string]int
	byID  map[string]int
	res   []recorder.Resource
	own   map[string]owner
}

func newIndex(res []recorder.Resource) *index {
	ix := &index{byURN: make(map[string]int, len(res)), byID: make(map[string]int, len(res)), res: res, own: make(map[string]owner, len(res))}
	for i, r := range res {
		ix.byURN[r.URN] = i
		if r.Custom && !r.IsProvider() {
			ix.byID[r.ID] = i
		}
	}
	return ix
}

// owner walks up the parent chain to the customer or tier component.
func (ix *index) owner(urn string) owner {
	if o, ok := ix.own[urn]; ok {
		return o
	}
	var o owner
	if i, ok := ix.byURN[urn]; ok {
		r := ix.res[i]
		switch r.Type {
		case components.CustomerAccountType, components.CustomerVPCType, components.AccountConfigType, components.AccountBaselineType,
			components.CustomerAccessType, components.CustomerBudgetType, components.ShieldAdvancedType,
			components.CustomerConnectionType:
			o = owner{customer: r.Name}
		case components.TierOUType:
			o = owner{tier: r.Name}
		case components.SegmentOUType:
			o = owner{segment: r.Name}
		default:
			if r.Parent != "" && r.Parent != urn {
				o = ix.owner(r.Parent)
			}
		}
	}
	ix.own[urn] = o
	return o
}

// ref resolves a string input holding another resource's id.
func (ix *index) ref(r recorder.Resource, input string) (recorder.Resource, bool) {
	if i, ok := ix.byID[str(r.Inputs, input)]; ok {
		return ix.res[i], true
	}
	if urns := r.PropertyDependencies[input]; len(urns) == 1 {
		if i, ok := ix.byURN[urns[0]]; ok {
			return ix.res[i], true
		}
	}
	return recorder.Resource{}, false
}

func str(m resource.PropertyMap, key string) string {
	v, ok := m[resource.PropertyKey(key)]
	for ok && v.IsSecret() {
		v = v.SecretValue().Element
	}
	if ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

func num(m resource.PropertyMap, key string) int {
	v, ok := m[resource.PropertyKey(key)]
	for ok && v.IsSecret() {
		v = v.SecretValue().Element
	}
	if ok && v.IsNumber() {
		return int(v.NumberValue())
	}
	return 0
}

func newReport(stack string, p *landingzone.Plan, res []recorder.Resource) (*Report, error) {
	ix := newIndex(res)
	rep := &Report{}
	s := &rep.Summary
	s.Stack = stack
	s.OrganizationRootID = p.Settings.OrganizationRootID
	s.SCPMaxAttachments = p.Settings.SCPMaxAttachments
	s.SCPMaxChars = p.Settings.SCPMaxChars
	s.ResourcesByType = map[string]int{}
	s.SharedResourcesByType = map[string]int{}

	type found struct {
		vpc, logGroup    recorder.Resource
		subnets          []recorder.Resource
		nat, vpn         bool
		count            int
		byType           map[string]int
		hasVPC, hasGroup bool
		all              []recorder.Resource
	}
	perCustomer := map[string]*found{}
	for _, cs := range p.Customers {
		perCustomer[cs.Customer.Key] = &found{byType: map[string]int{}}
	}
	ous := map[string]recorder.Resource{}        // tier key -> OU
	segmentOUs := map[string]recorder.Resource{} // <tier>-<segment> -> OU
	var policies, attachments, accounts []recorder.Resource

	rep.Resources = toResources(res)
	for _, r := range res {
		s.Resources++
		s.ResourcesByType[r.Type]++
		switch {
		case r.IsProvider():
			s.Providers++
		case r.Custom:
			s.CustomResources++
		default:
			s.Components++
		}
		o := ix.owner(r.URN)
		f := perCustomer[o.customer]
		if f == nil {
			s.SharedResourcesByType[r.Type]++
		} else {
			f.count++
			f.byType[r.Type]++
			f.all = append(f.all, r)
		}
		switch r.Type {
		case typeOU:
			if o.tier != "" {
				ous[o.tier] = r
			} else if o.segment != "" {
				segmentOUs[o.segment] = r
			}
		case typePolicy:
			policies = append(policies, r)
		case typePolicyAttachment:
			attachments = append(attachments, r)
		case typeAccount:
			accounts = append(accounts, r)
		}
		if f == nil {
			continue
		}
		switch r.Type {
		case typeVPC:
			f.vpc, f.hasVPC = r, true
		case typeSubnet:
			f.subnets = append(f.subnets, r)
		case typeNATGateway:
			f.nat = true
		case typeVPNGateway:
			f.vpn = true
		case typeLogGroup:
			if !f.hasGroup || str(r.Inputs, "name") == landingzone.FlowLogGroupName(o.customer) {
				f.logGroup, f.hasGroup = r, true
			}
		}
	}

	for _, cs := range p.Customers {
		key := cs.Customer.Key
		f := perCustomer[key]
		if !f.hasVPC {
			return nil, fmt.Errorf("customer %q: the program registered no VPC", key)
		}
		c := Customer{
			Key:               key,
			Name:              cs.Customer.Name,
			Tier:              cs.Tier.Key,
			Frameworks:        slices.Clone(cs.Tier.Frameworks),
			OU:                cs.Tier.OUName,
			AccountEmail:      cs.Email,
			ExistingAccountID: cs.Customer.ExistingAccountID,
			Region:            cs.Region,
			VPCCIDR:           str(f.vpc.Inputs, "cidrBlock"),
			NATGateway:        f.nat,
			VPNGateway:        f.vpn,
			FlowLogs: FlowLogs{
				LogGroup:    str(f.logGroup.Inputs, "name"),
				HotDays:     num(f.logGroup.Inputs, "retentionInDays"),
				ArchiveDays: cs.Retention.ArchiveDays,
				FloorDays:   cs.Retention.FloorDays,
			},
			MonthlyPriceUSD: cs.Tier.MonthlyPriceUSD,
			Resources:       f.count,
			ResourcesByType: f.byType,
			Subnets:         subnets(f.subnets, cs.Layout),
			Baseline:        accountBaseline(cs, f.all),
		}
		rep.Customers = append(rep.Customers, c)
		s.MonthlyPriceUSD += c.MonthlyPriceUSD
	}
	s.Customers = len(rep.Customers)

	s.OUs, s.Policies, s.ManagementPolicies = organization(ix, p, ous, segmentOUs, accounts, policies, attachments)
	rep.Dashboards = dashboardsOf(res)
	rep.Access = accessOf(ix, p)
	rep.Shield = shieldOf(ix, p)
	rep.Hub = hubOf(ix, p)
	return rep, nil
}

// subnets lists the recorded subnets in layout order, with the layout's role.
func subnets(recorded []recorder.Resource, layout netplan.Layout) []Subnet {
	role := map[string]string{}
	order := map[string]int{}
	for i, s := range layout.Subnets {
		role[s.CIDR.String()] = string(s.Role)
		order[s.CIDR.String()] = i
	}
	out := make([]Subnet, 0, len(recorded))
	for _, r := range recorded {
		cidr := str(r.Inputs, "cidrBlock")
		out = append(out, Subnet{Name: r.Name, Role: role[cidr], CIDR: cidr, AvailabilityZone: str(r.Inputs, "availabilityZone")})
	}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].CIDR] < order[out[j].CIDR] })
	return out
}

// organization derives the OU tree and the SCP attachment matrix from the
// recorded OUs, accounts, policies and attachments.
func organization(ix *index, p *landingzone.Plan, ous, segmentOUs map[string]recorder.Resource, accounts, policies, attachments []recorder.Resource) ([]OU, []Policy, []Policy) {
	ouByURN := map[string]int{}
	var out []OU
	add := func(r recorder.Resource, tier, segment, parent string) {
		ouByURN[r.URN] = len(out)
		out = append(out, OU{
			Tier: tier, Segment: segment, ParentOU: parent, Name: str(r.Inputs, "name"), URN: r.URN, ParentID: str(r.Inputs, "parentId"),
			Customers: []string{}, Policies: []string{FullAWSAccess}, ManagementPolicies: []string{},
		})
	}
	for _, ts := range p.Tiers {
		r, ok := ous[ts.Tier.Key]
		if !ok {
			continue
		}
		add(r, ts.Tier.Key, "", "")
		for _, ss := range ts.Segments {
			if sr, ok := segmentOUs[landingzone.SegmentName(ts.Tier.Key, ss.Segment.Key)]; ok {
				add(sr, ts.Tier.Key, ss.Segment.Key, ts.Tier.OUName)
			}
		}
	}
	customerOU := map[string]int{}
	for _, a := range accounts {
		if ou, ok := ix.ref(a, "parentId"); ok {
			if i, ok := ouByURN[ou.URN]; ok {
				customerOU[ix.owner(a.URN).customer] = i
			}
		}
	}
	for _, cs := range p.Customers {
		if i, ok := customerOU[cs.Customer.Key]; ok {
			out[i].Customers = append(out[i].Customers, cs.Customer.Key)
		}
	}

	full := Policy{Name: FullAWSAccess, Type: scpPolicyType, AWSManaged: true}
	for _, o := range out {
		full.AttachedTo = append(full.AttachedTo, o.Name)
	}
	pols := []Policy{full}
	var mgmt []Policy
	polByURN := map[string]int{}
	mgmtByURN := map[string]int{}
	for _, r := range policies {
		pol := Policy{Name: str(r.Inputs, "name"), Type: str(r.Inputs, "type"), URN: r.URN, Characters: len(str(r.Inputs, "content")), AttachedTo: []string{}}
		if pol.Type == scpPolicyType {
			polByURN[r.URN] = len(pols)
			pols = append(pols, pol)
		} else {
			mgmtByURN[r.URN] = len(mgmt)
			mgmt = append(mgmt, pol)
		}
	}
	for _, a := range attachments {
		pol, ok1 := ix.ref(a, "policyId")
		ou, ok2 := ix.ref(a, "targetId")
		if !ok1 || !ok2 {
			continue
		}
		oi, ok := ouByURN[ou.URN]
		if !ok {
			continue
		}
		if mi, ok := mgmtByURN[pol.URN]; ok {
			mgmt[mi].AttachedTo = append(mgmt[mi].AttachedTo, out[oi].Name)
			out[oi].ManagementPolicies = append(out[oi].ManagementPolicies, mgmt[mi].Name)
			continue
		}
		pi, ok := polByURN[pol.URN]
		if !ok {
			continue
		}
		pols[pi].AttachedTo = append(pols[pi].AttachedTo, out[oi].Name)
		out[oi].Policies = append(out[oi].Policies, pols[pi].Name)
	}
	// Matrix order: FullAWSAccess, then by how widely attached, then name.
	sort.SliceStable(pols[1:], func(i, j int) bool {
		a, b := pols[1+i], pols[1+j]
		if len(a.AttachedTo) != len(b.AttachedTo) {
			return len(a.AttachedTo) > len(b.AttachedTo)
		}
		return a.Name < b.Name
	})
	ouOrder := map[string]int{}
	for i, o := range out {
		ouOrder[o.Name] = i
	}
	for i := range pols {
		sort.SliceStable(pols[i].AttachedTo, func(a, b int) bool {
			return ouOrder[pols[i].AttachedTo[a]] < ouOrder[pols[i].AttachedTo[b]]
		})
	}
	return out, pols, mgmt
}
