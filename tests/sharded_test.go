package tests

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/tiers"
)

// shardedConfig is a stack's config in the sharded layout; with a customer
// key, that customer's stack config, as the orchestrator writes it from the
// organization stack's outputs (here: the recorder's deterministic ids).
func shardedConfig(t *testing.T, stack, customer string) map[string]string {
	t.Helper()
	cfg := stackConfig(t, stack)
	cfg["tierzone:layout"] = landingzone.LayoutSharded
	if customer == "" {
		return cfg
	}
	s := landingzone.Defaults()
	s.NamePrefix = strings.Trim(cfg["tierzone:namePrefix"], `"`)
	if s.NamePrefix == "" {
		s.NamePrefix = landingzone.DefaultNamePrefix
	}
	s.OrganizationID = cfg["tierzone:organizationId"]
	var tier tiers.Tier
	for _, c := range customers.Catalog() {
		if c.Key == customer {
			tier, _ = tiers.Lookup(c.Tier)
		}
	}
	ref, err := json.Marshal(landingzone.CustomerStackRef{
		Customer:           customer,
		AccountID:          recorder.MockID(tAccount, customer+"-account"),
		ArchiveDestination: fmt.Sprintf("arn:aws:s3:::%s/%s/%s/", s.ArchiveBucketName(tier.ArchiveBoundary), tier.Key, customer),
		SinkARN:            "arn:aws:mock::123456789012:observability-sink",
	})
	require.NoError(t, err)
	cfg["tierzone:customerStack"] = string(ref)
	return cfg
}

// cloudShape is what a resource is in AWS, whatever stack holds it: type,
// name, parent component, inputs, protection.
func cloudShape(rs []recorder.Resource) []string {
	var out []string
	for _, r := range rs {
		if !r.Custom || r.Type == "pulumi:pulumi:StackReference" {
			continue
		}
		in, _ := json.Marshal(r.Inputs.Mappable())
		parent := r.Parent[strings.Index(r.Parent, "::")+2:]
		out = append(out, fmt.Sprintf("%s %s parent=%s protect=%t retain=%t %s", r.Type, r.Name, parent, r.Protect, r.RetainOnDelete, in))
	}
	slices.Sort(out)
	return out
}

// TestShardedLayoutRegistersTheSameCloudResources: the organization stack
// plus one stack per customer register exactly the single stack's cloud
// resources and providers, with the same inputs and protection; the
// organization stack holds no customer VPC and each customer stack only its
// own customer's resources.
func TestShardedLayoutRegistersTheSameCloudResources(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			single := runStack(t, stack)
			org := run(t, stack, shardedConfig(t, stack, ""), customers.Catalog())
			assert.Zero(t, org.count(tVPC), "the organization stack holds no VPC")
			assert.Equal(t, single.count(tAccount), org.count(tAccount), "every account is in the organization stack")
			assert.Equal(t, 3, org.count(tAWSProvider), "the organization stack has only the management, security tooling and monitoring providers")
			union := slices.Clone(org.all)
			var keys []string
			require.NoError(t, json.Unmarshal([]byte(stackConfig(t, stack)["tierzone:customers"]), &keys))
			for _, key := range keys {
				g := run(t, stack+"."+key, shardedConfig(t, stack, key), customers.Catalog())
				for _, r := range g.all {
					if c := g.customerOf(r); r.Type != landingzone.LandingZoneType && c != key {
						t.Errorf("customer stack %s holds %s of %q", key, r.URN, c)
					}
				}
				assert.Zero(t, g.count(tAccount), "customer stack %s creates no account", key)
				assert.Equal(t, 1, g.count(tVPC), key)
				assert.Equal(t, 1, g.count(tAWSProvider), "customer stack %s has only its own account's provider", key)
				union = append(union, g.all...)
			}
			assert.Equal(t, cloudShape(single.all), cloudShape(union))
		})
	}
}

// TestCustomerStackDefaultIsNoCustomerStack: the engine passes Pulumi.yaml's
// default ({}) for an unset tierzone:customerStack; that is a single or
// organization stack, not a customer stack with every field missing.
func TestCustomerStackDefaultIsNoCustomerStack(t *testing.T) {
	cfg := stackConfig(t, "dev")
	cfg["tierzone:customerStack"] = "{}"
	g := run(t, "dev", cfg, customers.Catalog())
	assert.Equal(t, runStack(t, "dev").count(tVPC), g.count(tVPC))
	cfg["tierzone:customerStack"] = `{"customer": "acme-finance"}`
	ps := runInvalid(t, cfg, customers.Catalog())
	assert.True(t, hasProblem(ps, []string{`stack config "tierzone:customerStack"`, "accountId", "not a 12-digit"}), "%v", ps)
	assert.True(t, hasProblem(ps, []string{`stack config "tierzone:customerStack"`, "", "sharded"}), "%v", ps)
}
