package components

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/costexplorer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/tiers"
)

// CostAllocationType is the CostAllocation type token.
const CostAllocationType = "tierzone:billing:CostAllocation"

// Cost allocation tag keys: every customer resource carries both (the
// customer providers' default tags).
const (
	CustomerTagKey = "customer"
	TierTagKey     = "tier"
)

// CostAllocationArgs configures a CostAllocation.
type CostAllocationArgs struct {
	// NamePrefix starts the cost categories' and monitors' names.
	NamePrefix string
	Tiers      []tiers.Tier
	// Operators are the addresses of each tier's anomaly subscription, by
	// tier key; a tier without any gets a monitor but no subscription.
	Operators map[string][]string
	Tags      map[string]string
	// Provider is the management account's (cost allocation tags and
	// cost categories are the payer's).
	Provider pulumi.ProviderResource
}

// CostAllocation is the organization's cost split: the customer and tier
// tags activated for cost allocation, a cost category for each (its value
// is the tag's, so onboarding a customer changes nothing here), and a cost
// anomaly monitor per tier with its operators' subscription.
type CostAllocation struct {
	pulumi.ResourceState

	Tags       []*costexplorer.CostAllocationTag
	Categories map[string]*costexplorer.CostCategory
	Monitors   map[string]*costexplorer.AnomalyMonitor
}

// CostCategoryName is the cost category that splits spend by tag key.
func CostCategoryName(prefix, tagKey string) string { return prefix + "-" + tagKey }

// CostExplorerFilter is the Cost Explorer filter (GetCostAndUsage Filter)
// that reads one customer's actual spend: its value of the customer cost
// category.
func CostExplorerFilter(prefix, customer string) string {
	b, _ := json.Marshal(map[string]any{"CostCategories": map[string]any{
		"Key": CostCategoryName(prefix, CustomerTagKey), "Values": []string{customer}, "MatchOptions": []string{"EQUALS"}}})
	return string(b)
}

// anomalyMonitorSpec is a custom monitor of one tier's tagged spend.
func anomalyMonitorSpec(tier string) (string, error) {
	b, err := json.Marshal(map[string]any{"Tags": map[string]any{"Key": TierTagKey, "Values": []string{tier}, "MatchOptions": []string{"EQUALS"}}})
	if err != nil {
		return "", fmt.Errorf("anomaly monitor of %s: %w", tier, err)
	}
	return string(b), nil
}

// NewCostAllocation registers the tags, categories and monitors. The name
// is the landing zone's.
func NewCostAllocation(ctx *pulumi.Context, name string, args *CostAllocationArgs, opts ...pulumi.ResourceOption) (*CostAllocation, error) {
	if args == nil || args.NamePrefix == "" {
		return nil, errors.New("tierzone: NewCostAllocation needs NamePrefix")
	}
	c := &CostAllocation{Categories: map[string]*costexplorer.CostCategory{}, Monitors: map[string]*costexplorer.AnomalyMonitor{}}
	if err := ctx.RegisterComponentResource(CostAllocationType, name, c, opts...); err != nil {
		return nil, err
	}
	child := childOptions(c, args.Provider)
	for _, key := range []string{CustomerTagKey, TierTagKey} {
		tag, err := costexplorer.NewCostAllocationTag(ctx, name+"-"+key+"-tag", &costexplorer.CostAllocationTagArgs{
			TagKey: pulumi.String(key),
			Status: pulumi.String("Active"),
		}, child...)
		if err != nil {
			return nil, err
		}
		c.Tags = append(c.Tags, tag)
		cat, err := costexplorer.NewCostCategory(ctx, CostCategoryName(args.NamePrefix, key), &costexplorer.CostCategoryArgs{
			Name:        pulumi.String(CostCategoryName(args.NamePrefix, key)),
			RuleVersion: pulumi.String("CostCategoryExpression.v1"),
			Rules: costexplorer.CostCategoryRuleArray{costexplorer.CostCategoryRuleArgs{
				Type:           pulumi.String("INHERITED_VALUE"),
				InheritedValue: &costexplorer.CostCategoryRuleInheritedValueArgs{DimensionName: pulumi.String("TAG"), DimensionKey: pulumi.String(key)},
			}},
			DefaultValue: pulumi.String("shared"),
			Tags:         pulumi.ToStringMap(args.Tags),
		}, append(child, pulumi.DependsOn([]pulumi.Resource{tag}))...)
		if err != nil {
			return nil, err
		}
		c.Categories[key] = cat
	}
	for _, t := range args.Tiers {
		spec, err := anomalyMonitorSpec(t.Key)
		if err != nil {
			return nil, err
		}
		mon, err := costexplorer.NewAnomalyMonitor(ctx, args.NamePrefix+"-"+t.Key+"-spend", &costexplorer.AnomalyMonitorArgs{
			Name:                 pulumi.String(args.NamePrefix + "-" + t.Key + "-spend"),
			MonitorType:          pulumi.String("CUSTOM"),
			MonitorSpecification: pulumi.String(spec),
			Tags:                 pulumi.ToStringMap(args.Tags),
		}, append(child, pulumi.DependsOn([]pulumi.Resource{c.Tags[1]}))...)
		if err != nil {
			return nil, err
		}
		c.Monitors[t.Key] = mon
		emails := args.Operators[t.Key]
		if len(emails) == 0 {
			continue
		}
		var subs costexplorer.AnomalySubscriptionSubscriberArray
		for _, e := range emails {
			subs = append(subs, costexplorer.AnomalySubscriptionSubscriberArgs{Type: pulumi.String("EMAIL"), Address: pulumi.String(e)})
		}
		if _, err := costexplorer.NewAnomalySubscription(ctx, args.NamePrefix+"-"+t.Key+"-anomalies", &costexplorer.AnomalySubscriptionArgs{
			Name:            pulumi.String(args.NamePrefix + "-" + t.Key + "-anomalies"),
			Frequency:       pulumi.String("DAILY"),
			MonitorArnLists: pulumi.StringArray{mon.Arn},
			Subscribers:     subs,
			ThresholdExpression: &costexplorer.AnomalySubscriptionThresholdExpressionArgs{
				Dimension: &costexplorer.AnomalySubscriptionThresholdExpressionDimensionArgs{
					Key:          pulumi.String("ANOMALY_TOTAL_IMPACT_ABSOLUTE"),
					MatchOptions: pulumi.StringArray{pulumi.String("GREATER_THAN_OR_EQUAL")},
					Values:       pulumi.StringArray{pulumi.String(strconv.Itoa(t.Billing.AnomalyImpactUSD))},
				},
			},
			Tags: pulumi.ToStringMap(args.Tags),
		}, child...); err != nil {
			return nil, err
		}
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{}); err != nil {
		return nil, err
	}
	return c, nil
}
