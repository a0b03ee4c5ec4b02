package fleet

import (
	"context"
	"path/filepath"
	"slices"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/landingzone"
)

// up: refuse removing a protected customer before anything runs; destroy
// the stacks of customers the fleet no longer deploys (unprotected: dev,
// or decommissioned, whose resources are retained); up the organization
// stack; then up every customer stack with its account and archive
// destination.
func (f *fleet) up(ctx context.Context) (*Report, error) {
	org, err := f.organization(ctx)
	if err != nil {
		return nil, err
	}
	if err := org.CheckRemovals(ctx); err != nil {
		return nil, err
	}
	rep := &Report{}
	existing, err := existingCustomerStacks(ctx, org, f.opts.Stack)
	if err != nil {
		return nil, err
	}
	var gone []string
	for _, key := range existing {
		if !slices.ContainsFunc(f.plan.Customers, func(c landingzone.CustomerSpec) bool { return c.Customer.Key == key }) {
			gone = append(gone, key)
		}
	}
	prev, err := organizationOutputs(ctx, org)
	if err != nil {
		return nil, err
	}
	rep.Customers = append(rep.Customers, f.eachCustomer(gone, func(key string) Result {
		return f.removeCustomerStack(ctx, key, prev)
	})...)

	rep.Organization = timed(f.opts.Stack, "", automation.OpUp, func() (*automation.Result, error) { return org.Up(ctx) })
	if rep.Organization.Err != nil {
		for _, key := range f.selected() {
			rep.Customers = append(rep.Customers, Result{Stack: CustomerStackName(f.opts.Stack, key), Customer: key, Op: automation.OpUp,
				Skipped: "the organization stack failed"})
		}
		return finish(rep)
	}
	outs, err := organizationOutputs(ctx, org)
	if err != nil {
		return nil, err
	}
	rep.Customers = append(rep.Customers, f.eachCustomer(f.selected(), func(key string) Result {
		return f.customerOp(ctx, automation.OpUp, key, outs)
	})...)
	return finish(rep)
}

// removeCustomerStack destroys and removes the stack of a customer the
// organization stack no longer deploys. Its resources were unprotected by
// the organization stack's removal check (dev, or decommissioned; a
// decommissioned customer's resources are retained in AWS).
func (f *fleet) removeCustomerStack(ctx context.Context, key string, prev map[string]automation.CustomerOutputs) Result {
	stack := CustomerStackName(f.opts.Stack, key)
	// The organization stack's settings no longer list the customer; its
	// own stack (narrowed to it) still deploys it, until this destroy.
	settings := f.customerSettings(key, prev[key])
	o, ok := prev[key]
	if !ok || o.AccountID == "" {
		return Result{Stack: stack, Customer: key, Op: automation.OpDestroy, Skipped: "the organization stack has no account for it"}
	}
	res := timed(stack, key, automation.OpDestroy, func() (*automation.Result, error) {
		r, err := f.runner(ctx, stack, filepath.Join("customers", key), settings)
		if err != nil {
			return nil, err
		}
		return r.Destroy(ctx)
	})
	if !res.OK() {
		return res
	}
	r, err := f.runner(ctx, stack, filepath.Join("customers", key), settings)
	if err == nil {
		err = r.Stack().Workspace().RemoveStack(ctx, r.Stack().Name())
	}
	res.Err = err
	return res
}

// preview previews the organization stack and every customer stack whose
// account exists; a new customer's stack waits for the organization's up.
func (f *fleet) preview(ctx context.Context) (*Report, error) {
	return f.organizationThenCustomers(ctx, automation.OpPreview)
}

// refresh refreshes the organization stack, then the customer stacks.
func (f *fleet) refresh(ctx context.Context) (*Report, error) {
	return f.organizationThenCustomers(ctx, automation.OpRefresh)
}

// organizationThenCustomers runs op on the organization stack, then on the
// customer stacks with what it exports.
func (f *fleet) organizationThenCustomers(ctx context.Context, op automation.Op) (*Report, error) {
	org, err := f.organization(ctx)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	if f.opts.Stacks == StacksCustomers {
		rep.Organization = Result{Stack: f.opts.Stack, Op: op, Skipped: "--stacks " + StacksCustomers}
	} else {
		rep.Organization = timed(f.opts.Stack, "", op, func() (*automation.Result, error) { return org.Run(ctx, op) })
	}
	outs, err := organizationOutputs(ctx, org)
	if err != nil {
		return nil, err
	}
	rep.Customers = f.eachCustomer(f.selected(), func(key string) Result {
		return f.customerOp(ctx, op, key, outs)
	})
	return finish(rep)
}

// destroy destroys the customer stacks, then the organization stack; a
// protected organization stack refuses before any stack is touched.
func (f *fleet) destroy(ctx context.Context) (*Report, error) {
	org, err := f.organization(ctx)
	if err != nil {
		return nil, err
	}
	if err := org.CheckDestroy(ctx); err != nil {
		return nil, err
	}
	outs, err := organizationOutputs(ctx, org)
	if err != nil {
		return nil, err
	}
	keys, err := existingCustomerStacks(ctx, org, f.opts.Stack)
	if err != nil {
		return nil, err
	}
	if len(f.opts.Only) > 0 {
		keys = slices.DeleteFunc(keys, func(k string) bool { return !slices.Contains(f.opts.Only, k) })
	}
	rep := &Report{}
	rep.Customers = f.eachCustomer(keys, func(key string) Result {
		return f.customerOp(ctx, automation.OpDestroy, key, outs)
	})
	for _, c := range rep.Customers {
		if !c.OK() || len(f.opts.Only) > 0 {
			rep.Organization = Result{Stack: f.opts.Stack, Op: automation.OpDestroy, Skipped: "customer stacks remain"}
			return finish(rep)
		}
	}
	rep.Organization = timed(f.opts.Stack, "", automation.OpDestroy, func() (*automation.Result, error) { return org.Destroy(ctx) })
	return finish(rep)
}
