package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/accessanalyzer"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/budgets"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudtrail"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/costexplorer"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ebs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2transitgateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/guardduty"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/identitystore"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/oam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ram"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/securityhub"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssoadmin"
)

// typedResources makes the Go value the pulumi-aws SDK registers for a
// type token (its struct with every output field), by token.
func typedResources() map[string]func() pulumi.CustomResource {
	return map[string]func() pulumi.CustomResource{
		"pulumi:providers:aws":                                                                       func() pulumi.CustomResource { return &aws.Provider{} },
		"aws:accessanalyzer/analyzer:Analyzer":                                                       func() pulumi.CustomResource { return &accessanalyzer.Analyzer{} },
		"aws:backup/vault:Vault":                                                                     func() pulumi.CustomResource { return &backup.Vault{} },
		"aws:backup/vaultLockConfiguration:VaultLockConfiguration":                                   func() pulumi.CustomResource { return &backup.VaultLockConfiguration{} },
		"aws:budgets/budget:Budget":                                                                  func() pulumi.CustomResource { return &budgets.Budget{} },
		"aws:cfg/configurationAggregator:ConfigurationAggregator":                                    func() pulumi.CustomResource { return &cfg.ConfigurationAggregator{} },
		"aws:cfg/conformancePack:ConformancePack":                                                    func() pulumi.CustomResource { return &cfg.ConformancePack{} },
		"aws:cfg/deliveryChannel:DeliveryChannel":                                                    func() pulumi.CustomResource { return &cfg.DeliveryChannel{} },
		"aws:cfg/recorder:Recorder":                                                                  func() pulumi.CustomResource { return &cfg.Recorder{} },
		"aws:cfg/recorderStatus:RecorderStatus":                                                      func() pulumi.CustomResource { return &cfg.RecorderStatus{} },
		"aws:cloudtrail/trail:Trail":                                                                 func() pulumi.CustomResource { return &cloudtrail.Trail{} },
		"aws:cloudwatch/dashboard:Dashboard":                                                         func() pulumi.CustomResource { return &cloudwatch.Dashboard{} },
		"aws:cloudwatch/eventBus:EventBus":                                                           func() pulumi.CustomResource { return &cloudwatch.EventBus{} },
		"aws:cloudwatch/eventBusPolicy:EventBusPolicy":                                               func() pulumi.CustomResource { return &cloudwatch.EventBusPolicy{} },
		"aws:cloudwatch/eventRule:EventRule":                                                         func() pulumi.CustomResource { return &cloudwatch.EventRule{} },
		"aws:cloudwatch/eventTarget:EventTarget":                                                     func() pulumi.CustomResource { return &cloudwatch.EventTarget{} },
		"aws:cloudwatch/logGroup:LogGroup":                                                           func() pulumi.CustomResource { return &cloudwatch.LogGroup{} },
		"aws:cloudwatch/logMetricFilter:LogMetricFilter":                                             func() pulumi.CustomResource { return &cloudwatch.LogMetricFilter{} },
		"aws:cloudwatch/logResourcePolicy:LogResourcePolicy":                                         func() pulumi.CustomResource { return &cloudwatch.LogResourcePolicy{} },
		"aws:cloudwatch/metricAlarm:MetricAlarm":                                                     func() pulumi.CustomResource { return &cloudwatch.MetricAlarm{} },
		"aws:costexplorer/anomalyMonitor:AnomalyMonitor":                                             func() pulumi.CustomResource { return &costexplorer.AnomalyMonitor{} },
		"aws:costexplorer/costAllocationTag:CostAllocationTag":                                       func() pulumi.CustomResource { return &costexplorer.CostAllocationTag{} },
		"aws:costexplorer/costCategory:CostCategory":                                                 func() pulumi.CustomResource { return &costexplorer.CostCategory{} },
		"aws:ebs/defaultKmsKey:DefaultKmsKey":                                                        func() pulumi.CustomResource { return &ebs.DefaultKmsKey{} },
		"aws:ebs/encryptionByDefault:EncryptionByDefault":                                            func() pulumi.CustomResource { return &ebs.EncryptionByDefault{} },
		"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                                          func() pulumi.CustomResource { return &ec2.DefaultSecurityGroup{} },
		"aws:ec2/eip:Eip":                                                                            func() pulumi.CustomResource { return &ec2.Eip{} },
		"aws:ec2/flowLog:FlowLog":                                                                    func() pulumi.CustomResource { return &ec2.FlowLog{} },
		"aws:ec2/internetGateway:InternetGateway":                                                    func() pulumi.CustomResource { return &ec2.InternetGateway{} },
		"aws:ec2/natGateway:NatGateway":                                                              func() pulumi.CustomResource { return &ec2.NatGateway{} },
		"aws:ec2/route:Route":                                                                        func() pulumi.CustomResource { return &ec2.Route{} },
		"aws:ec2/routeTable:RouteTable":                                                              func() pulumi.CustomResource { return &ec2.RouteTable{} },
		"aws:ec2/routeTableAssociation:RouteTableAssociation":                                        func() pulumi.CustomResource { return &ec2.RouteTableAssociation{} },
		"aws:ec2/subnet:Subnet":                                                                      func() pulumi.CustomResource { return &ec2.Subnet{} },
		"aws:ec2/vpc:Vpc":                                                                            func() pulumi.CustomResource { return &ec2.Vpc{} },
		"aws:ec2/vpcIpam:VpcIpam":                                                                    func() pulumi.CustomResource { return &ec2.VpcIpam{} },
		"aws:ec2/vpcIpamOrganizationAdminAccount:VpcIpamOrganizationAdminAccount":                    func() pulumi.CustomResource { return &ec2.VpcIpamOrganizationAdminAccount{} },
		"aws:ec2/vpcIpamPool:VpcIpamPool":                                                            func() pulumi.CustomResource { return &ec2.VpcIpamPool{} },
		"aws:ec2/vpcIpamPoolCidr:VpcIpamPoolCidr":                                                    func() pulumi.CustomResource { return &ec2.VpcIpamPoolCidr{} },
		"aws:ec2/vpcIpamPoolCidrAllocation:VpcIpamPoolCidrAllocation":                                func() pulumi.CustomResource { return &ec2.VpcIpamPoolCidrAllocation{} },
		"aws:ec2/vpnGateway:VpnGateway":                                                              func() pulumi.CustomResource { return &ec2.VpnGateway{} },
		"aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation":                              func() pulumi.CustomResource { return &ec2.VpnGatewayRoutePropagation{} },
		"aws:ec2transitgateway/peeringAttachment:PeeringAttachment":                                  func() pulumi.CustomResource { return &ec2transitgateway.PeeringAttachment{} },
		"aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter":                  func() pulumi.CustomResource { return &ec2transitgateway.PeeringAttachmentAccepter{} },
		"aws:ec2transitgateway/route:Route":                                                          func() pulumi.CustomResource { return &ec2transitgateway.Route{} },
		"aws:ec2transitgateway/routeTable:RouteTable":                                                func() pulumi.CustomResource { return &ec2transitgateway.RouteTable{} },
		"aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation":                          func() pulumi.CustomResource { return &ec2transitgateway.RouteTableAssociation{} },
		"aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation":                          func() pulumi.CustomResource { return &ec2transitgateway.RouteTablePropagation{} },
		"aws:ec2transitgateway/transitGateway:TransitGateway":                                        func() pulumi.CustomResource { return &ec2transitgateway.TransitGateway{} },
		"aws:ec2transitgateway/vpcAttachment:VpcAttachment":                                          func() pulumi.CustomResource { return &ec2transitgateway.VpcAttachment{} },
		"aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter":                          func() pulumi.CustomResource { return &ec2transitgateway.VpcAttachmentAccepter{} },
		"aws:guardduty/detector:Detector":                                                            func() pulumi.CustomResource { return &guardduty.Detector{} },
		"aws:guardduty/memberDetectorFeature:MemberDetectorFeature":                                  func() pulumi.CustomResource { return &guardduty.MemberDetectorFeature{} },
		"aws:guardduty/organizationAdminAccount:OrganizationAdminAccount":                            func() pulumi.CustomResource { return &guardduty.OrganizationAdminAccount{} },
		"aws:guardduty/organizationConfiguration:OrganizationConfiguration":                          func() pulumi.CustomResource { return &guardduty.OrganizationConfiguration{} },
		"aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature":            func() pulumi.CustomResource { return &guardduty.OrganizationConfigurationFeature{} },
		"aws:guardduty/publishingDestination:PublishingDestination":                                  func() pulumi.CustomResource { return &guardduty.PublishingDestination{} },
		"aws:iam/accountPasswordPolicy:AccountPasswordPolicy":                                        func() pulumi.CustomResource { return &iam.AccountPasswordPolicy{} },
		"aws:iam/role:Role":                                                                          func() pulumi.CustomResource { return &iam.Role{} },
		"aws:iam/rolePolicy:RolePolicy":                                                              func() pulumi.CustomResource { return &iam.RolePolicy{} },
		"aws:iam/rolePolicyAttachment:RolePolicyAttachment":                                          func() pulumi.CustomResource { return &iam.RolePolicyAttachment{} },
		"aws:iam/serviceLinkedRole:ServiceLinkedRole":                                                func() pulumi.CustomResource { return &iam.ServiceLinkedRole{} },
		"aws:identitystore/group:Group":                                                              func() pulumi.CustomResource { return &identitystore.Group{} },
		"aws:kms/key:Key":                                                                            func() pulumi.CustomResource { return &kms.Key{} },
		"aws:oam/link:Link":                                                                          func() pulumi.CustomResource { return &oam.Link{} },
		"aws:oam/sink:Sink":                                                                          func() pulumi.CustomResource { return &oam.Sink{} },
		"aws:oam/sinkPolicy:SinkPolicy":                                                              func() pulumi.CustomResource { return &oam.SinkPolicy{} },
		"aws:organizations/account:Account":                                                          func() pulumi.CustomResource { return &organizations.Account{} },
		"aws:organizations/delegatedAdministrator:DelegatedAdministrator":                            func() pulumi.CustomResource { return &organizations.DelegatedAdministrator{} },
		"aws:organizations/organizationalUnit:OrganizationalUnit":                                    func() pulumi.CustomResource { return &organizations.OrganizationalUnit{} },
		"aws:organizations/policy:Policy":                                                            func() pulumi.CustomResource { return &organizations.Policy{} },
		"aws:organizations/policyAttachment:PolicyAttachment":                                        func() pulumi.CustomResource { return &organizations.PolicyAttachment{} },
		"aws:ram/principalAssociation:PrincipalAssociation":                                          func() pulumi.CustomResource { return &ram.PrincipalAssociation{} },
		"aws:ram/resourceAssociation:ResourceAssociation":                                            func() pulumi.CustomResource { return &ram.ResourceAssociation{} },
		"aws:ram/resourceShare:ResourceShare":                                                        func() pulumi.CustomResource { return &ram.ResourceShare{} },
		"aws:ram/sharingWithOrganization:SharingWithOrganization":                                    func() pulumi.CustomResource { return &ram.SharingWithOrganization{} },
		"aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock":                                   func() pulumi.CustomResource { return &s3.AccountPublicAccessBlock{} },
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       func() pulumi.CustomResource { return &s3.BucketLifecycleConfigurationV2{} },
		"aws:s3/bucketLoggingV2:BucketLoggingV2":                                                     func() pulumi.CustomResource { return &s3.BucketLoggingV2{} },
		"aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2":                     func() pulumi.CustomResource { return &s3.BucketObjectLockConfigurationV2{} },
		"aws:s3/bucketPolicy:BucketPolicy":                                                           func() pulumi.CustomResource { return &s3.BucketPolicy{} },
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     func() pulumi.CustomResource { return &s3.BucketPublicAccessBlock{} },
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": func() pulumi.CustomResource { return &s3.BucketServerSideEncryptionConfigurationV2{} },
		"aws:s3/bucketV2:BucketV2":                                                                   func() pulumi.CustomResource { return &s3.BucketV2{} },
		"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               func() pulumi.CustomResource { return &s3.BucketVersioningV2{} },
		"aws:securityhub/configurationPolicy:ConfigurationPolicy":                                    func() pulumi.CustomResource { return &securityhub.ConfigurationPolicy{} },
		"aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation":              func() pulumi.CustomResource { return &securityhub.ConfigurationPolicyAssociation{} },
		"aws:securityhub/findingAggregator:FindingAggregator":                                        func() pulumi.CustomResource { return &securityhub.FindingAggregator{} },
		"aws:securityhub/organizationAdminAccount:OrganizationAdminAccount":                          func() pulumi.CustomResource { return &securityhub.OrganizationAdminAccount{} },
		"aws:securityhub/organizationConfiguration:OrganizationConfiguration":                        func() pulumi.CustomResource { return &securityhub.OrganizationConfiguration{} },
		"aws:sns/topic:Topic":                                                                        func() pulumi.CustomResource { return &sns.Topic{} },
		"aws:sns/topicSubscription:TopicSubscription":                                                func() pulumi.CustomResource { return &sns.TopicSubscription{} },
		"aws:ssoadmin/accountAssignment:AccountAssignment":                                           func() pulumi.CustomResource { return &ssoadmin.AccountAssignment{} },
		"aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment":                               func() pulumi.CustomResource { return &ssoadmin.ManagedPolicyAttachment{} },
		"aws:ssoadmin/permissionSet:PermissionSet":                                                   func() pulumi.CustomResource { return &ssoadmin.PermissionSet{} },
		"aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy":                           func() pulumi.CustomResource { return &ssoadmin.PermissionSetInlinePolicy{} },
	}
}
