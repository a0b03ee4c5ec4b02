package plan

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
)

func TestPlainValue(t *testing.T) {
	ref := resource.MakeCustomResourceReference("urn:pulumi:prod::tierzone::aws:ec2/vpc:Vpc::v", "vpc-1", "")
	m := resource.PropertyMap{
		"s":          resource.NewProperty("x"),
		"n":          resource.NewProperty(90.0),
		"b":          resource.NewProperty(true),
		"null":       resource.NewNullProperty(),
		"secret":     resource.MakeSecret(resource.NewProperty("hunter2")),
		"unknown":    resource.MakeComputed(resource.NewProperty("")),
		"outUnknown": resource.NewProperty(resource.Output{Element: resource.NewProperty("ignored"), Known: false}),
		"outKnown":   resource.NewProperty(resource.Output{Element: resource.NewProperty("v"), Known: true, Secret: true}),
		"ref":        ref,
		"nested": resource.NewProperty(resource.PropertyMap{
			"list": resource.NewProperty([]resource.PropertyValue{resource.NewProperty("a"), resource.MakeComputed(resource.NewProperty(""))}),
		}),
	}
	assert.Equal(t, map[string]any{
		"s": "x", "n": 90.0, "b": true, "null": nil, "secret": "hunter2", "unknown": nil,
		"outUnknown": nil, "outKnown": "v",
		"ref":    "urn:pulumi:prod::tierzone::aws:ec2/vpc:Vpc::v",
		"nested": map[string]any{"list": []any{"a", nil}},
	}, PlainMap(m))
	assert.Equal(t, map[string]any{}, PlainMap(nil), "never nil, so it encodes as {}")
}

func TestShortTypeAndUSD(t *testing.T) {
	assert.Equal(t, "ec2.Subnet", ShortType("aws:ec2/subnet:Subnet"))
	assert.Equal(t, "provider.aws", ShortType("pulumi:providers:aws"))
	assert.Equal(t, "network.CustomerVPC", ShortType("tierzone:network:CustomerVPC"))
	assert.Equal(t, "$116,000", usd(116000))
	assert.Equal(t, "$2,000", usd(2000))
	assert.Equal(t, "$999", usd(999))
	assert.Equal(t, "$1,000,000", usd(1000000))
}

func TestClosest(t *testing.T) {
	keys := []string{"protect", "customers", "namePrefix", "retention"}
	assert.Equal(t, "protect", closest("protekt", keys))
	assert.Equal(t, "protect", closest("Protect", keys))
	assert.Equal(t, "namePrefix", closest("name_prefix", keys))
	assert.Equal(t, "customers", closest("customer", keys))
	assert.Equal(t, "", closest("retentionDays", keys))
	assert.Equal(t, "", closest("ab", keys))
}
