package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CustomerAccountType is the CustomerAccount type token.
const CustomerAccountType = "tierzone:org:CustomerAccount"

// CustomerAccountArgs configures a CustomerAccount.
type CustomerAccountArgs struct {
	// AccountName is the AWS account name (the customer's display name).
	AccountName string
	// Email is the account's unique root e-mail.
	Email string
	// ParentID is the tier OU the account lives in.
	ParentID pulumi.StringInput
	// RoleName is the Organizations access role created in the new account
	// and assumed by the returned provider.
	RoleName string
	// Region is the region of the returned provider.
	Region string
	// ExistingAccountID adopts (imports) an existing member account instead
	// of creating one.
	ExistingAccountID string
	// Protect protects the account and retains it on delete: removing it
	// from the stack then fails instead of removing it from the organization.
	Protect bool
	// Tags go on the account and, as default tags, on every resource the
	// returned provider creates.
	Tags map[string]string
	// Provider is the management account's AWS provider.
	Provider pulumi.ProviderResource
	// CreateAfter are resources the account's creation waits for (the
	// landing zone uses it to keep at most 5 creations in progress).
	CreateAfter []pulumi.Resource
	// Scope says which half of the component to build: both (the default),
	// only the account (an organization stack of the sharded layout) or
	// only the provider into an account another stack manages (a customer
	// stack, with ManagedAccountID).
	Scope AccountScope
	// ManagedAccountID is the account a ProviderOnly component works in.
	ManagedAccountID string
}

// AccountScope is what a CustomerAccount builds.
type AccountScope int

// Account scopes.
const (
	AccountAndProvider AccountScope = iota
	AccountOnly
	ProviderOnly
)

// CustomerAccount is a customer's member account and a provider that works
// inside it.
type CustomerAccount struct {
	pulumi.ResourceState

	// Account is nil in the ProviderOnly scope.
	Account *organizations.Account
	// AccountID is the 12-digit ID AWS assigned (or the adopted one).
	AccountID pulumi.StringOutput
	// Provider assumes RoleName in the account; build the customer's
	// resources with it, never with the management provider. Nil in the
	// AccountOnly scope.
	Provider *aws.Provider
}

// NewCustomerAccount registers a customer's account in its tier OU and the
// provider for it. The name is the customer key.
func NewCustomerAccount(ctx *pulumi.Context, name string, args *CustomerAccountArgs, opts ...pulumi.ResourceOption) (*CustomerAccount, error) {
	c, err := BuildCustomerAccount(ctx, name, args, opts...)
	if err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(c, c.Outputs()); err != nil {
		return nil, err
	}
	return c, nil
}

// Outputs are the component's registered outputs.
func (c *CustomerAccount) Outputs() pulumi.Map { return pulumi.Map{"accountId": c.AccountID} }

// BuildCustomerAccount is NewCustomerAccount without registering the
// outputs, for a host that registers them itself (see BuildTierOU).
func BuildCustomerAccount(ctx *pulumi.Context, name string, args *CustomerAccountArgs, opts ...pulumi.ResourceOption) (*CustomerAccount, error) {
	switch {
	case args == nil || args.RoleName == "" || args.Region == "":
		return nil, errors.New("tierzone: NewCustomerAccount needs RoleName and Region")
	case args.Scope == ProviderOnly && args.ManagedAccountID == "":
		return nil, errors.New("tierzone: NewCustomerAccount with ProviderOnly needs ManagedAccountID")
	case args.Scope != ProviderOnly && (args.ParentID == nil || args.Email == ""):
		return nil, errors.New("tierzone: NewCustomerAccount needs ParentID and Email")
	}
	c := &CustomerAccount{}
	if err := ctx.RegisterComponentResource(CustomerAccountType, name, c, opts...); err != nil {
		return nil, err
	}
	if args.Scope == ProviderOnly {
		c.AccountID = pulumi.String(args.ManagedAccountID).ToStringOutput()
	} else if err := c.account(ctx, name, args); err != nil {
		return nil, err
	}
	if args.Scope != AccountOnly {
		prov, err := aws.NewProvider(ctx, name+"-aws", &aws.ProviderArgs{
			Region: pulumi.String(args.Region),
			AssumeRole: &aws.ProviderAssumeRoleArgs{
				RoleArn:     pulumi.Sprintf("arn:aws:iam::%s:role/%s", c.AccountID, args.RoleName),
				SessionName: pulumi.String("tierzone-" + name),
			},
			// The provider refuses to touch any account but the customer's.
			AllowedAccountIds: pulumi.StringArray{c.AccountID},
			DefaultTags:       &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(args.Tags)},
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		c.Provider = prov
	}
	return c, nil
}

// account registers the Organizations account (created, or adopted).
func (c *CustomerAccount) account(ctx *pulumi.Context, name string, args *CustomerAccountArgs) error {
	accountOpts := childOptions(c, args.Provider)
	if len(args.CreateAfter) > 0 {
		accountOpts = append(accountOpts, pulumi.DependsOn(args.CreateAfter))
	}
	if args.Protect {
		accountOpts = append(accountOpts, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	}
	accountArgs := &organizations.AccountArgs{
		Name:     pulumi.String(args.AccountName),
		Email:    pulumi.String(args.Email),
		ParentId: args.ParentID,
		// Closing an account is never implicit: a deleted resource only
		// leaves the organization (and only with protection off).
		CloseOnDeletion: pulumi.Bool(false),
		Tags:            pulumi.ToStringMap(args.Tags),
	}
	if args.ExistingAccountID != "" {
		// Organizations does not return role_name or iam_user_access_to_billing
		// on read, so an import that set them would never match; leave them
		// out and ignore them. email and name force a new account in the
		// provider: an adopted account keeps the ones it has.
		accountOpts = append(accountOpts,
			pulumi.Import(pulumi.ID(args.ExistingAccountID)),
			pulumi.IgnoreChanges([]string{"roleName", "iamUserAccessToBilling", "email", "name"}))
	} else {
		accountArgs.RoleName = pulumi.String(args.RoleName)
		// role_name is only used at creation and cannot be read back; a change
		// would otherwise force a replacement of the whole account.
		accountOpts = append(accountOpts, pulumi.IgnoreChanges([]string{"roleName"}))
	}
	acct, err := organizations.NewAccount(ctx, name+"-account", accountArgs, accountOpts...)
	if err != nil {
		return err
	}
	c.Account = acct
	c.AccountID = acct.ID().ToStringOutput()
	return nil
}
