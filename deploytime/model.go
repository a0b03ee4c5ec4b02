// Package deploytime estimates how long `pulumi up` takes to create a
// recorded plan: a per-resource-type duration model, the AWS Organizations
// limit of 5 account creations in progress at once, and the critical path
// through the recorded dependency graph.
package deploytime

import (
	"encoding/json"
	"strings"
	"time"
)

// Duration is how long one resource operation takes, with where the figure
// comes from.
type Duration struct {
	Time   time.Duration `json:"-"`
	Source string        `json:"source"`
}

// MarshalJSON writes the duration as whole seconds beside its source.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Seconds int    `json:"seconds"`
		Source  string `json:"source"`
	}{int(d.Time / time.Second), d.Source})
}

// Model is the duration model. Every figure is either sourced or marked as
// an assumption in its Source.
type Model struct {
	// Create is the create time by resource type token.
	Create map[string]Duration
	// Import is the time to adopt an existing resource (a read, no create).
	Import Duration
	// Component is the time of a component resource itself (it only groups
	// its children, which carry the real durations).
	Component Duration
	// Provider is the time to configure a provider instance.
	Provider Duration
	// Default is the time of a custom resource type not in Create.
	Default Duration
	// AccountConcurrency is how many account creations AWS Organizations
	// lets run at once; further CreateAccount calls wait for a slot.
	AccountConcurrency int
	// Parallelism caps all resource operations in flight (pulumi up
	// --parallel, long-running creates included); 0 is unbounded.
	Parallelism int
}

// RunnerCPUs is the CPU count assumed for the machine that runs `pulumi
// up` (a GitHub-hosted ubuntu-latest runner has 4 vCPUs), so the estimate
// does not depend on the machine that computes it.
const RunnerCPUs = 4

// DefaultParallelism is `pulumi up --parallel`'s default on a machine with
// cpus CPUs: 4 × the CPU count since v3.104 (pulumi/pulumi PR #15016;
// unbounded before).
func DefaultParallelism(cpus int) int { return 4 * cpus }

// AccountType is the type token whose creation Organizations limits.
const AccountType = "aws:organizations/account:Account"

const assumption = "assumption: "

// DefaultModel returns the model with its sourced and assumed durations.
// Each call returns fresh values.
func DefaultModel() Model {
	sec := func(n int, src string) Duration { return Duration{time.Duration(n) * time.Second, src} }
	orgCall := assumption + "one AWS Organizations API call (CreateOrganizationalUnit 1 rps, CreatePolicy/AttachPolicy 2 rps)"
	ec2Call := assumption + "one EC2 API call plus the provider's read-back"
	return Model{
		Create: map[string]Duration{
			AccountType: {10 * time.Minute, "aws-limits reference 1a: CreateAccount is asynchronous; budget about 10 minutes per account " +
				"(terraform-provider-aws raised its create timeout from 5 to 10 min, PR #41059; VPC and IAM calls fail for ~7 min after creation, issue #15654)"},
			"aws:organizations/organizationalUnit:OrganizationalUnit": sec(5, orgCall),
			"aws:organizations/policy:Policy":                         sec(5, orgCall),
			"aws:organizations/policyAttachment:PolicyAttachment":     sec(5, orgCall),
			"aws:ec2/vpc:Vpc":                                     sec(15, assumption+"CreateVpc, wait available, two DNS attribute calls"),
			"aws:ec2/subnet:Subnet":                               sec(10, ec2Call+" (wait available)"),
			"aws:ec2/internetGateway:InternetGateway":             sec(10, assumption+"create and attach to the VPC"),
			"aws:ec2/routeTable:RouteTable":                       sec(5, ec2Call),
			"aws:ec2/route:Route":                                 sec(5, ec2Call),
			"aws:ec2/routeTableAssociation:RouteTableAssociation": sec(5, ec2Call),
			"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":   sec(5, ec2Call+" (revoke default rules)"),
			"aws:ec2/eip:Eip":                                     sec(5, ec2Call),
			"aws:ec2/natGateway:NatGateway": {5 * time.Minute, "kubernetes/kops PR #944 and #995: a NAT gateway takes " +
				"'up to 5 min' (reported up to 10) from pending to available; the provider waits for available"},
			"aws:ec2/vpnGateway:VpnGateway": {2 * time.Minute, assumption + "create and wait for the VPC attachment to reach attached"},
			// The network hub: the provider waits for each gateway and
			// attachment to leave pending.
			"aws:ec2transitgateway/transitGateway:TransitGateway":                       {3 * time.Minute, assumption + "CreateTransitGateway, wait from pending to available (a few minutes; the provider's create timeout is 10 min)"},
			"aws:ec2transitgateway/vpcAttachment:VpcAttachment":                         {90 * time.Second, assumption + "CreateTransitGatewayVpcAttachment, wait for pendingAcceptance or available (an ENI per subnet)"},
			"aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter":         {time.Minute, assumption + "AcceptTransitGatewayVpcAttachment, wait for available"},
			"aws:ec2transitgateway/peeringAttachment:PeeringAttachment":                 {2 * time.Minute, assumption + "CreateTransitGatewayPeeringAttachment across regions, wait for pendingAcceptance"},
			"aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter": {2 * time.Minute, assumption + "AcceptTransitGatewayPeeringAttachment, wait for available"},
			"awsx:ec2:Vpc": {5 * time.Minute, assumption + "the egress VPC's children in parallel, its NAT gateways the slowest (as aws:ec2/natGateway:NatGateway)"},
			"aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": sec(5, ec2Call),
			"aws:ec2/flowLog:FlowLog":          sec(10, ec2Call),
			"aws:cloudwatch/logGroup:LogGroup": sec(3, assumption+"CreateLogGroup and PutRetentionPolicy"),
			"aws:iam/role:Role":                sec(10, assumption+"CreateRole plus the provider's wait for IAM propagation"),
			"aws:iam/rolePolicy:RolePolicy":    sec(5, assumption+"PutRolePolicy"),
			"aws:kms/key:Key":                  sec(10, assumption+"CreateKey and key policy"),
			"aws:cloudtrail/trail:Trail":       sec(10, assumption+"CreateTrail and StartLogging"),
			// Observability (issue 13): single synchronous API calls.
			"aws:cloudwatch/dashboard:Dashboard":          sec(2, assumption+"PutDashboard, one call"),
			"aws:cloudwatch/metricAlarm:MetricAlarm":      sec(2, assumption+"PutMetricAlarm, one call"),
			"aws:sns/topic:Topic":                         sec(3, assumption+"CreateTopic with its attributes"),
			"aws:sns/topicSubscription:TopicSubscription": sec(2, assumption+"Subscribe (e-mail confirmation is asynchronous and not awaited)"),
			"aws:oam/sink:Sink":                           sec(3, assumption+"CreateSink"),
			"aws:oam/sinkPolicy:SinkPolicy":               sec(2, assumption+"PutSinkPolicy"),
			"aws:oam/link:Link":                           sec(3, assumption+"CreateLink"),
			// Access (issue 14): Identity Center calls in the management account.
			"aws:ssoadmin/permissionSet:PermissionSet":                         sec(3, assumption+"CreatePermissionSet, one call"),
			"aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment":     sec(3, assumption+"AttachManagedPolicyToPermissionSet, one call"),
			"aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": sec(3, assumption+"PutInlinePolicyToPermissionSet, one call"),
			"aws:identitystore/group:Group":                                    sec(1, assumption+"CreateGroup, one call"),
			"aws:identitystore/user:User":                                      sec(1, assumption+"CreateUser, one call"),
			"aws:identitystore/groupMembership:GroupMembership":                sec(1, assumption+"CreateGroupMembership, one call"),
			"aws:ssoadmin/accountAssignment:AccountAssignment": sec(20, assumption+"CreateAccountAssignment is asynchronous: the provider polls "+
				"DescribeAccountAssignmentCreationStatus until SUCCEEDED, which provisions the permission set's role in the account"),
		},
		Import:             sec(5, assumption+"an import reads the existing resource, one API call"),
		Component:          sec(0, "a component registers no cloud resource"),
		Provider:           sec(2, assumption+"configure the provider (assume the access role)"),
		Default:            sec(10, assumption+"any other resource type: one API call and a read-back"),
		AccountConcurrency: 5,
		Parallelism:        DefaultParallelism(RunnerCPUs),
	}
}

// AccountConcurrencySource cites the account-creation limit.
const AccountConcurrencySource = "AWS Organizations quotas: member accounts created concurrently, 5 in progress at a time (aws-limits reference 1a)"

// DurationOf returns the modelled duration of one operation.
func (m Model) DurationOf(typ string, custom bool, imported bool) Duration {
	switch {
	case !custom:
		if d, ok := m.Create[typ]; ok {
			// A remote component whose children the plan does not see
			// (the awsx egress VPC).
			return d
		}
		return m.Component
	case strings.HasPrefix(typ, "pulumi:providers:"):
		return m.Provider
	case imported:
		return m.Import
	}
	if d, ok := m.Create[typ]; ok {
		return d
	}
	return m.Default
}
