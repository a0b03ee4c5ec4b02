package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/accessanalyzer"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/guardduty"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/securityhub"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SecurityToolingType is the SecurityTooling type token.
const SecurityToolingType = "tierzone:detect:SecurityTooling"

// Service principals the security tooling account is delegated
// administrator for.
const (
	GuardDutyService      = "guardduty.amazonaws.com"
	SecurityHubService    = "securityhub.amazonaws.com"
	ConfigService         = "config.amazonaws.com"
	AccessAnalyzerService = "access-analyzer.amazonaws.com"
)

// ConfigOrganizationsPolicyARN is the AWS managed policy an organization
// aggregator's role needs (AWS Config developer guide, "Setting up an
// aggregator using the AWS CLI": AWSConfigRoleForOrganizations).
const ConfigOrganizationsPolicyARN = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"

// SecurityHubPolicyArgs is one tier's Security Hub configuration policy,
// associated with the tier's OU.
type SecurityHubPolicyArgs struct {
	// Key names the policy's resources (the tier key).
	Key         string
	Name        string
	Description string
	// StandardARNs are the standards the policy enables.
	StandardARNs []string
	// TargetID is the tier OU.
	TargetID pulumi.StringInput
}

// GuardDutyFeatureArgs is a GuardDuty protection plan in the organization
// configuration: AutoEnable "ALL" (every account, new ones included) or
// "NONE" (left to the member features below).
type GuardDutyFeatureArgs struct {
	Name       string
	AutoEnable string
}

// GuardDutyMemberFeatureArgs enables a feature in one member account: a
// feature only some tiers need.
type GuardDutyMemberFeatureArgs struct {
	// Key names the resource ("<key>-guardduty-<feature>"), the customer key.
	Key       string
	AccountID pulumi.StringInput
	Feature   string
	// After are resources it waits for (the member's account).
	After []pulumi.Resource
	// Protect and Retain follow the customer's protection: a protected
	// customer's feature is protected, and in a protecting stack retained
	// when the stack lets go of a decommissioned customer (AWS keeps it).
	Protect, Retain bool
}

// SecurityToolingArgs configures SecurityTooling.
type SecurityToolingArgs struct {
	// SecurityAccountID is the delegated administrator.
	SecurityAccountID string
	// AggregatorRegions are the regions the Security Hub finding
	// aggregator links to the home region (the provider's region); empty:
	// none.
	AggregatorRegions []string
	// NamePrefix prefixes organization-wide names.
	NamePrefix string
	Policies   []SecurityHubPolicyArgs
	Features   []GuardDutyFeatureArgs
	Members    []GuardDutyMemberFeatureArgs
	// FindingsDestination is the S3 ARN ("arn:aws:s3:::<bucket>/<prefix>")
	// GuardDuty exports findings to, encrypted with FindingsKeyARN; it
	// resolves once the bucket policy allows GuardDuty.
	FindingsDestination pulumi.StringInput
	FindingsKeyARN      pulumi.StringInput
	Tags                map[string]string
	// Management is the management account's provider (delegations);
	// Provider works in the security account.
	Management pulumi.ProviderResource
	Provider   pulumi.ProviderResource
}

// SecurityTooling is the organization's detection: GuardDuty and Security
// Hub administered from the security tooling account, with Security Hub's
// central configuration (one policy per tier OU), and the organization's
// AWS Config aggregator.
type SecurityTooling struct {
	pulumi.ResourceState

	Detector            *guardduty.Detector
	GuardDutyOrg        *guardduty.OrganizationConfiguration
	Features            []*guardduty.OrganizationConfigurationFeature
	MemberFeatures      []*guardduty.MemberDetectorFeature
	Publishing          *guardduty.PublishingDestination
	SecurityHubOrg      *securityhub.OrganizationConfiguration
	Aggregator          *securityhub.FindingAggregator
	Policies            map[string]*securityhub.ConfigurationPolicy
	Associations        map[string]*securityhub.ConfigurationPolicyAssociation
	ConfigAggregator    *cfg.ConfigurationAggregator
	ConfigAggregatorRol *iam.Role
	// OrganizationAnalyzer is IAM Access Analyzer with the organization as
	// its zone of trust: it reports what any account shares outside it.
	OrganizationAnalyzer *accessanalyzer.Analyzer
}

// NewSecurityTooling registers the organization's detection services. The
// name prefixes every child.
func NewSecurityTooling(ctx *pulumi.Context, name string, args *SecurityToolingArgs, opts ...pulumi.ResourceOption) (*SecurityTooling, error) {
	if args == nil || args.SecurityAccountID == "" || args.Management == nil || args.Provider == nil || args.FindingsDestination == nil || args.FindingsKeyARN == nil {
		return nil, errors.New("tierzone: NewSecurityTooling needs SecurityAccountID, FindingsDestination, FindingsKeyARN, Management and Provider")
	}
	c := &SecurityTooling{Policies: map[string]*securityhub.ConfigurationPolicy{}, Associations: map[string]*securityhub.ConfigurationPolicyAssociation{}}
	if err := ctx.RegisterComponentResource(SecurityToolingType, name, c, opts...); err != nil {
		return nil, err
	}
	mgmt := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(args.Management)}
	in := func(after ...pulumi.Resource) []pulumi.ResourceOption {
		o := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(args.Provider)}
		if len(after) > 0 {
			o = append(o, pulumi.DependsOn(after))
		}
		return o
	}
	account := pulumi.String(args.SecurityAccountID)
	tags := pulumi.ToStringMap(args.Tags)

	// Delegations, from the management account.
	gdAdmin, err := guardduty.NewOrganizationAdminAccount(ctx, name+"-guardduty-admin", &guardduty.OrganizationAdminAccountArgs{AdminAccountId: account}, mgmt...)
	if err != nil {
		return nil, err
	}
	shAdmin, err := securityhub.NewOrganizationAdminAccount(ctx, name+"-securityhub-admin", &securityhub.OrganizationAdminAccountArgs{AdminAccountId: account}, mgmt...)
	if err != nil {
		return nil, err
	}
	cfgAdmin, err := organizations.NewDelegatedAdministrator(ctx, name+"-config-admin", &organizations.DelegatedAdministratorArgs{
		AccountId: account, ServicePrincipal: pulumi.String(ConfigService),
	}, mgmt...)
	if err != nil {
		return nil, err
	}

	aaAdmin, err := organizations.NewDelegatedAdministrator(ctx, name+"-access-analyzer-admin", &organizations.DelegatedAdministratorArgs{
		AccountId: account, ServicePrincipal: pulumi.String(AccessAnalyzerService),
	}, mgmt...)
	if err != nil {
		return nil, err
	}
	// An analyzer of type ORGANIZATION can only be created in the
	// management account or its delegated administrator.
	if c.OrganizationAnalyzer, err = accessanalyzer.NewAnalyzer(ctx, name+"-access-analyzer", &accessanalyzer.AnalyzerArgs{
		AnalyzerName: pulumi.String(args.NamePrefix + "-organization"),
		Type:         pulumi.String("ORGANIZATION"),
		Tags:         tags,
	}, in(aaAdmin)...); err != nil {
		return nil, err
	}

	// GuardDuty: the administrator's detector, every member auto-enabled
	// (ALL: existing accounts and every new customer account), features.
	det, err := guardduty.NewDetector(ctx, name+"-guardduty-detector", &guardduty.DetectorArgs{
		Enable:                     pulumi.Bool(true),
		FindingPublishingFrequency: pulumi.String("FIFTEEN_MINUTES"),
		Tags:                       tags,
	}, in(gdAdmin)...)
	if err != nil {
		return nil, err
	}
	c.Detector = det
	gdOrg, err := guardduty.NewOrganizationConfiguration(ctx, name+"-guardduty-organization", &guardduty.OrganizationConfigurationArgs{
		DetectorId:                    det.ID(),
		AutoEnableOrganizationMembers: pulumi.String("ALL"),
	}, in(gdAdmin)...)
	if err != nil {
		return nil, err
	}
	c.GuardDutyOrg = gdOrg
	for _, f := range args.Features {
		feat, err := guardduty.NewOrganizationConfigurationFeature(ctx, name+"-guardduty-"+f.Name, &guardduty.OrganizationConfigurationFeatureArgs{
			DetectorId: det.ID(),
			Name:       pulumi.String(f.Name),
			AutoEnable: pulumi.String(f.AutoEnable),
		}, in(gdOrg)...)
		if err != nil {
			return nil, err
		}
		c.Features = append(c.Features, feat)
	}
	for _, m := range args.Members {
		mf, err := guardduty.NewMemberDetectorFeature(ctx, m.Key+"-guardduty-"+m.Feature, &guardduty.MemberDetectorFeatureArgs{
			DetectorId: det.ID(),
			AccountId:  m.AccountID,
			Name:       pulumi.String(m.Feature),
			Status:     pulumi.String("ENABLED"),
		}, append(in(append([]pulumi.Resource{gdOrg}, m.After...)...), pulumi.Protect(m.Protect), pulumi.RetainOnDelete(m.Retain))...)
		if err != nil {
			return nil, err
		}
		c.MemberFeatures = append(c.MemberFeatures, mf)
	}
	pub, err := guardduty.NewPublishingDestination(ctx, name+"-guardduty-findings", &guardduty.PublishingDestinationArgs{
		DetectorId:      det.ID(),
		DestinationArn:  args.FindingsDestination,
		DestinationType: pulumi.String("S3"),
		KmsKeyArn:       args.FindingsKeyARN,
	}, in()...)
	if err != nil {
		return nil, err
	}
	c.Publishing = pub

	// Security Hub central configuration: the aggregator (home region)
	// first, then CENTRAL, then one policy per tier on its OU.
	aggArgs := &securityhub.FindingAggregatorArgs{LinkingMode: pulumi.String("NO_REGIONS")}
	if len(args.AggregatorRegions) > 0 {
		aggArgs = &securityhub.FindingAggregatorArgs{LinkingMode: pulumi.String("SPECIFIED_REGIONS"), SpecifiedRegions: pulumi.ToStringArray(args.AggregatorRegions)}
	}
	agg, err := securityhub.NewFindingAggregator(ctx, name+"-securityhub-aggregator", aggArgs, in(shAdmin)...)
	if err != nil {
		return nil, err
	}
	c.Aggregator = agg
	shOrg, err := securityhub.NewOrganizationConfiguration(ctx, name+"-securityhub-organization", &securityhub.OrganizationConfigurationArgs{
		// Central configuration: policies decide; local auto-enable is off.
		AutoEnable:                pulumi.Bool(false),
		AutoEnableStandards:       pulumi.String("NONE"),
		OrganizationConfiguration: &securityhub.OrganizationConfigurationOrganizationConfigurationArgs{ConfigurationType: pulumi.String("CENTRAL")},
	}, in(agg)...)
	if err != nil {
		return nil, err
	}
	c.SecurityHubOrg = shOrg
	for _, p := range args.Policies {
		pol, err := securityhub.NewConfigurationPolicy(ctx, name+"-securityhub-"+p.Key, &securityhub.ConfigurationPolicyArgs{
			Name:        pulumi.String(p.Name),
			Description: pulumi.String(p.Description),
			ConfigurationPolicy: &securityhub.ConfigurationPolicyConfigurationPolicyArgs{
				ServiceEnabled:      pulumi.Bool(true),
				EnabledStandardArns: pulumi.ToStringArray(p.StandardARNs),
				// Every control of the enabled standards, new ones included.
				SecurityControlsConfiguration: &securityhub.ConfigurationPolicyConfigurationPolicySecurityControlsConfigurationArgs{
					DisabledControlIdentifiers: pulumi.StringArray{},
				},
			},
		}, in(shOrg)...)
		if err != nil {
			return nil, err
		}
		c.Policies[p.Key] = pol
		assoc, err := securityhub.NewConfigurationPolicyAssociation(ctx, name+"-securityhub-"+p.Key+"-association", &securityhub.ConfigurationPolicyAssociationArgs{
			PolicyId: pol.ID(),
			TargetId: p.TargetID,
		}, in()...)
		if err != nil {
			return nil, err
		}
		c.Associations[p.Key] = assoc
	}

	// AWS Config: an organization aggregator in the security account.
	role, err := iam.NewRole(ctx, name+"-config-aggregator-role", &iam.RoleArgs{
		Name: pulumi.String(args.NamePrefix + "-config-aggregator"),
		AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + ConfigService +
			`"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"` + args.SecurityAccountID + `"}}}]}`),
		Tags: tags,
	}, in()...)
	if err != nil {
		return nil, err
	}
	c.ConfigAggregatorRol = role
	attach, err := iam.NewRolePolicyAttachment(ctx, name+"-config-aggregator-policy", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(ConfigOrganizationsPolicyARN),
	}, in()...)
	if err != nil {
		return nil, err
	}
	aggregator, err := cfg.NewConfigurationAggregator(ctx, name+"-config-aggregator", &cfg.ConfigurationAggregatorArgs{
		Name: pulumi.String(args.NamePrefix + "-organization"),
		OrganizationAggregationSource: &cfg.ConfigurationAggregatorOrganizationAggregationSourceArgs{
			AllRegions: pulumi.Bool(true),
			RoleArn:    role.Arn,
		},
		Tags: tags,
	}, in(cfgAdmin, attach)...)
	if err != nil {
		return nil, err
	}
	c.ConfigAggregator = aggregator

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"guardDutyDetectorId": det.ID(),
		"configAggregator":    aggregator.Arn,
		"accessAnalyzer":      c.OrganizationAnalyzer.Arn,
	}); err != nil {
		return nil, err
	}
	return c, nil
}
