// Command policy is Tierzone's policy pack: `pulumi preview --policy-pack
// policy` (and up) runs it as an analyzer plugin. Every policy is mandatory,
// so a preview with a violation fails and names the resource. Each stack
// rule of package rules is a stack validation policy, run on the whole
// stack's outputs after the run's steps; each resource rule is a resource
// validation policy, run on a resource's inputs before its step, so it also
// judges a new customer's resources at preview and stops an up before a
// violating resource is created.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/tierzone/tierzone/policy/rules"
)

// PackName is the policy pack's name as Pulumi reports it.
const PackName = "tierzone-compliance"

// Version is the pack's version; PulumiPolicy.yaml's version overrides it.
const Version = "0.1.0"

func main() {
	if err := policyx.Main(newPack); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// newPack builds the pack for one run. The engine configures it with the
// run's context, which says whether this is a preview.
func newPack(ctx *pulumi.Context) (policyx.PolicyPack, error) {
	dryRun := ctx != nil && ctx.DryRun()
	var policies []policyx.Policy
	for _, r := range rules.All() {
		policies = append(policies, stackPolicy(r, dryRun))
	}
	for _, r := range rules.ResourceRules() {
		policies = append(policies, resourcePolicy(r))
	}
	pack, err := policyx.NewPolicyPack(PackName, semver.MustParse(Version), policyx.EnforcementLevelMandatory, policies)
	if err != nil {
		return nil, fmt.Errorf("build policy pack %s: %w", PackName, err)
	}
	return pack, nil
}

// stackPolicy runs a rule over the whole stack: the rules follow references
// between resources (flow log to VPC, attachment to OU), which a
// per-resource policy cannot see.
func stackPolicy(r rules.Rule, dryRun bool) policyx.StackValidationPolicy {
	return policyx.NewStackValidationPolicy(r.Name, policyx.StackValidationPolicyArgs{
		Description:      r.Description,
		EnforcementLevel: policyx.EnforcementLevelMandatory,
		ValidateStack: func(_ context.Context, args policyx.StackValidationArgs) error {
			for _, v := range r.Check(rules.FromAnalyzer(args.Resources, dryRun)) {
				args.Manager.ReportViolation(v.Message, v.URN)
			}
			return nil
		},
	})
}

// resourcePolicy runs a rule on each resource the engine is about to
// create or update, with its inputs.
func resourcePolicy(r rules.ResourceRule) policyx.ResourceValidationPolicy {
	return policyx.NewResourceValidationPolicy(r.Name, policyx.ResourceValidationPolicyArgs{
		Description:      r.Description,
		EnforcementLevel: policyx.EnforcementLevelMandatory,
		ValidateResource: func(_ context.Context, args policyx.ResourceValidationArgs) error {
			for _, v := range r.Check(rules.FromAnalyzerResource(args.Resource)) {
				args.Manager.ReportViolation(v.Message, v.URN)
			}
			return nil
		},
	})
}
