package components

import (
	"errors"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/identitystore"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssoadmin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/tiers"
)

// CustomerAccessType is the CustomerAccess type token.
const CustomerAccessType = "tierzone:access:CustomerAccess"

// CustomerAccessArgs configures a CustomerAccess.
type CustomerAccessArgs struct {
	// CustomerKey names the groups (<key>-admins, ...).
	CustomerKey string
	Tier        tiers.Tier
	// Users are the catalog's users of the customer (validated).
	Users          []customers.User
	IdentityCenter IdentityCenter
	// AccountID is the customer's member account: the only target of its
	// groups' assignments.
	AccountID pulumi.StringInput
	// PermissionSetARNs are the tier's permission sets by role
	// (TierAccess.PermissionSetARNs).
	PermissionSetARNs map[string]pulumi.StringOutput
	// OperatorsGroupID is the tier's operators group, assigned the
	// operator permission set on this account.
	OperatorsGroupID pulumi.StringInput
	// Provider is the management account's.
	Provider pulumi.ProviderResource
}

// CustomerAccess is one customer's sign-in: an Identity Store group per
// customer role of its tier, its users and their memberships, and account
// assignments of those groups, and of the tier's operators, to the
// customer's own account only.
type CustomerAccess struct {
	pulumi.ResourceState

	// Groups by role.
	Groups map[string]*identitystore.Group
	// Users by e-mail (the user name).
	Users       map[string]*identitystore.User
	Assignments []*ssoadmin.AccountAssignment
	// LoginLinks are the access-portal links into the customer's account,
	// by role (customer roles and the operator).
	LoginLinks pulumi.StringMapOutput
}

// OperatorsAssignmentName is the name of the assignment of a tier's
// operators group to a customer's account.
func OperatorsAssignmentName(customerKey string) string { return customerKey + "-operators" }

// NewCustomerAccess registers a customer's groups, users, memberships and
// assignments. The name is the customer key.
func NewCustomerAccess(ctx *pulumi.Context, name string, args *CustomerAccessArgs, opts ...pulumi.ResourceOption) (*CustomerAccess, error) {
	c, err := BuildCustomerAccess(ctx, name, args, opts...)
	if err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(c, c.Outputs()); err != nil {
		return nil, err
	}
	return c, nil
}

// Outputs are the group ids by role and the login links.
func (c *CustomerAccess) Outputs() pulumi.Map {
	groups := pulumi.Map{}
	for role, g := range c.Groups {
		groups[role] = g.GroupId
	}
	return pulumi.Map{"groupIds": groups, "loginLinks": c.LoginLinks}
}

// BuildCustomerAccess is NewCustomerAccess without registering the outputs.
func BuildCustomerAccess(ctx *pulumi.Context, name string, args *CustomerAccessArgs, opts ...pulumi.ResourceOption) (*CustomerAccess, error) {
	if args == nil || args.CustomerKey == "" || args.AccountID == nil || args.OperatorsGroupID == nil ||
		args.IdentityCenter.InstanceARN == nil || args.IdentityCenter.IdentityStoreID == nil {
		return nil, errors.New("tierzone: NewCustomerAccess needs CustomerKey, AccountID, OperatorsGroupID and the Identity Center instance")
	}
	access := args.Tier.Access
	var missing []string
	for _, p := range access.PermissionSets {
		if _, ok := args.PermissionSetARNs[p.Role]; !ok {
			missing = append(missing, p.Role)
		}
	}
	for _, u := range args.Users {
		if p, ok := access.PermissionSet(u.Role); !ok || !p.CustomerScoped {
			missing = append(missing, "user "+u.Email+"'s role "+u.Role+" (not a customer role of tier "+args.Tier.Key+")")
		}
	}
	if len(missing) > 0 {
		return nil, errors.New("tierzone: NewCustomerAccess " + args.CustomerKey + ": no permission set for " + strings.Join(missing, ", "))
	}
	c := &CustomerAccess{Groups: map[string]*identitystore.Group{}, Users: map[string]*identitystore.User{}}
	if err := ctx.RegisterComponentResource(CustomerAccessType, name, c, opts...); err != nil {
		return nil, err
	}
	child := childOptions(c, args.Provider)
	store, instance, key := args.IdentityCenter.IdentityStoreID, args.IdentityCenter.InstanceARN, args.CustomerKey
	assign := func(resName string, principal pulumi.StringInput, role string) error {
		a, err := ssoadmin.NewAccountAssignment(ctx, resName, &ssoadmin.AccountAssignmentArgs{
			InstanceArn:      instance,
			PermissionSetArn: args.PermissionSetARNs[role],
			PrincipalId:      principal,
			PrincipalType:    pulumi.String("GROUP"),
			TargetId:         args.AccountID,
			TargetType:       pulumi.String("AWS_ACCOUNT"),
		}, child...)
		if err == nil {
			c.Assignments = append(c.Assignments, a)
		}
		return err
	}
	for _, p := range access.PermissionSets {
		if !p.CustomerScoped {
			continue
		}
		g, err := identitystore.NewGroup(ctx, p.GroupName(key), &identitystore.GroupArgs{
			IdentityStoreId: store,
			DisplayName:     pulumi.String(p.GroupName(key)),
			Description:     pulumi.String(p.Description + " (" + p.Name(args.Tier.Key) + " on the account of " + key + " only)"),
		}, child...)
		if err != nil {
			return nil, err
		}
		c.Groups[p.Role] = g
		if err := assign(p.GroupName(key), g.GroupId, p.Role); err != nil {
			return nil, err
		}
	}
	if err := assign(OperatorsAssignmentName(key), args.OperatorsGroupID, tiers.RoleOperator); err != nil {
		return nil, err
	}
	for _, u := range args.Users {
		given, family := u.NameParts()
		userName := strings.ToLower(u.Email)
		user, err := identitystore.NewUser(ctx, key+"-"+userName, &identitystore.UserArgs{
			IdentityStoreId: store,
			UserName:        pulumi.String(userName),
			DisplayName:     pulumi.String(u.DisplayName),
			Name:            &identitystore.UserNameArgs{GivenName: pulumi.String(given), FamilyName: pulumi.String(family)},
			Emails:          &identitystore.UserEmailsArgs{Value: pulumi.String(u.Email), Primary: pulumi.Bool(true), Type: pulumi.String("work")},
		}, child...)
		if err != nil {
			return nil, err
		}
		c.Users[userName] = user
		group := c.Groups[u.Role]
		p, _ := access.PermissionSet(u.Role)
		if _, err := identitystore.NewGroupMembership(ctx, key+"-"+userName+"-"+p.Group, &identitystore.GroupMembershipArgs{
			IdentityStoreId: store,
			GroupId:         group.GroupId,
			MemberId:        user.UserId,
		}, child...); err != nil {
			return nil, err
		}
	}
	links := pulumi.StringMap{}
	for _, p := range access.PermissionSets {
		p := p
		links[p.Role] = pulumi.All(store, args.AccountID).ApplyT(func(v []any) string {
			return p.LoginLink(tiers.PortalURL(v[0].(string)), args.Tier.Key, v[1].(string))
		}).(pulumi.StringOutput)
	}
	c.LoginLinks = links.ToStringMapOutput()
	return c, nil
}
