package main

import (
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/landingzone"
)

// CustomerAccount serves components.CustomerAccount: a customer's member
// account, created in (or adopted into) its tier OU. The program makes the
// provider into the account itself (roleArn), as a sharded organization
// stack does.
type CustomerAccount struct{}

// CustomerAccountArgs are CustomerAccount's inputs.
type CustomerAccountArgs struct {
	Customer Customer           `pulumi:"customer"`
	ParentId pulumi.StringInput `pulumi:"parentId"`
	Protect  *bool              `pulumi:"protect,optional"`
	Settings *Settings          `pulumi:"settings,optional"`
}

// CustomerAccountState is the component with its outputs.
type CustomerAccountState struct {
	// ComponentResource is the Go component (components.CustomerAccount) itself.
	pulumi.ComponentResource
	AccountId pulumi.StringOutput `pulumi:"accountId"`
	RoleArn   pulumi.StringOutput `pulumi:"roleArn"`
}

// Annotate sets the Go library's type token and documents the component.
func (c *CustomerAccount) Annotate(a infer.Annotator) {
	a.SetToken("org", "CustomerAccount")
	a.Describe(c, "A customer's AWS member account in its tier OU, created through Organizations (or adopted with existingAccountId), protected and retained on delete unless protect is false.")
}

// Annotate documents the inputs.
func (a *CustomerAccountArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Customer, "The customer, as the catalog lists it.")
	an.Describe(&a.ParentId, "The customer's tier OU (TierOU's ouId).")
	an.Describe(&a.Protect, "Protect the account and retain it on delete (default true): removing it needs an explicit opt-in.")
	an.Describe(&a.Settings, "Stack settings (name prefix, access role, mailbox).")
}

// Annotate documents the outputs.
func (s *CustomerAccountState) Annotate(a infer.Annotator) {
	a.Describe(&s.AccountId, "The member account's 12-digit id.")
	a.Describe(&s.RoleArn, "The Organizations access role to assume in the account (an aws provider's assumeRole).")
}

// Construct validates the customer and builds the Go component.
func (*CustomerAccount) Construct(ctx *pulumi.Context, name, typ string, args CustomerAccountArgs, opts pulumi.ResourceOption) (*CustomerAccountState, error) {
	s := args.Settings.resolve()
	cs, err := landingzone.ResolveCustomer(args.Customer.catalogEntry(), s)
	if err != nil {
		return nil, err
	}
	acctArgs := landingzone.AccountArgs(cs, s, args.ParentId, protect(args.Protect), nil)
	acctArgs.Scope = components.AccountOnly
	c, err := components.BuildCustomerAccount(ctx, name, acctArgs, opts)
	if err != nil {
		return nil, err
	}
	return &CustomerAccountState{
		ComponentResource: c,
		AccountId:         c.AccountID,
		RoleArn:           pulumi.Sprintf("arn:aws:iam::%s:role/%s", c.AccountID, s.OrgAccessRoleName),
	}, nil
}
