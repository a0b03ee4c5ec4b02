//go:build engine

package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/internal/fakeaws"
	"github.com/tierzone/tierzone/netplan"
	"github.com/tierzone/tierzone/tiers"
)

// TestHubUnderTheEngine: a stack with a network hub (central egress off:
// there is no awsx plugin here) deploys against the fake cloud, where a
// customer's attachment is refused unless the gateway is shared with its
// tier OU and is unusable until the network account accepts it; each
// attachment sits in its tier's route table; onboarding a customer whose
// CIDR is allocated creates only its own resources and moves no other
// customer's allocation, which the next run reads from the stack outputs.
func TestHubUnderTheEngine(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	const network = "210987654321"
	require.NoError(t, fakeaws.SeedAccount(e.dir, network, "Network", "aws-network@tierzone.example"))
	s := e.stackSettings("dev")
	s.Customers, s.NetworkAccountID, s.CentralEgress = nil, network, false
	cat := []customers.Customer{
		{Key: "fin-a", Name: "Fin A", Tier: tiers.Fintech, Connectivity: true, VPCCIDR: "10.130.32.0/21"},
		{Key: "fin-b", Name: "Fin B", Tier: tiers.Fintech, Connectivity: true},
		{Key: "std-a", Name: "Std A", Tier: tiers.Standard, Connectivity: true},
	}
	up, err := e.runner("dev", s, cat).Up(ctx)
	require.NoError(t, err)
	first := map[string]string{}
	for k, c := range up.Customers {
		first[k] = c.VPCCIDR
	}
	assert.Equal(t, "10.130.32.0/21", first["fin-a"])

	byType := func(typ string) []fakeaws.Record {
		rs, err := e.cloud.ByType(typ)
		require.NoError(t, err)
		return rs
	}
	tgws := byType("aws:ec2transitgateway/transitGateway:TransitGateway")
	require.Len(t, tgws, 1)
	assert.Equal(t, network, tgws[0].Account)
	attachments := map[string]string{} // attachment id -> customer account
	for _, a := range byType("aws:ec2transitgateway/vpcAttachment:VpcAttachment") {
		attachments[a.ID] = a.Account
	}
	accountOf := map[string]string{}
	for k, c := range up.Customers {
		accountOf[c.AccountID] = k
	}
	require.Len(t, attachments, 3)
	assoc := map[string]string{}
	for _, a := range byType("aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation") {
		att, _ := a.Inputs["transitGatewayAttachmentId"].(string)
		rt, _ := a.Inputs["transitGatewayRouteTableId"].(string)
		if acct, ok := attachments[att]; ok {
			assoc[accountOf[acct]] = rt
		}
	}
	assert.Equal(t, assoc["fin-a"], assoc["fin-b"], "one tier, one table")
	assert.NotEqual(t, assoc["fin-a"], assoc["std-a"], "another tier, another table")
	assert.Len(t, byType("aws:ec2/vpcIpamPoolCidrAllocation:VpcIpamPoolCidrAllocation"), 3)

	// Onboard a customer: only its own resources are created, and no
	// allocation moves (the run reads the previous ones from the outputs).
	before, err := e.cloud.Resources()
	require.NoError(t, err)
	// The newcomer sorts before fin-b and its search starts at fin-b's
	// block: only the allocations read back from the stack keep fin-b's.
	newcomer := ""
	for i := 0; newcomer == ""; i++ {
		k := fmt.Sprintf("fin-0%03d", i)
		if netplan.HomeBlock(k)%64 == netplan.HomeBlock("fin-b")%64 {
			newcomer = k
		}
		require.Less(t, i, 10000)
	}
	cat = append(cat, customers.Customer{Key: newcomer, Name: "Newcomer", Tier: tiers.Fintech, Connectivity: true})
	res, err := e.runner("dev", s, cat).Up(ctx)
	require.NoError(t, err)
	createsAndFleetDashboards(t, "onboarding "+newcomer, res.Changes)
	assert.Equal(t, 2, res.Changes["update"], "only the organization's and the Fintech tier's dashboards list the newcomer")
	after, err := e.cloud.Resources()
	require.NoError(t, err)
	now := map[string]fakeaws.Record{}
	for _, r := range after {
		now[r.Account+"/"+r.Type+"/"+r.ID] = r
	}
	for _, r := range before {
		if r.Type == "aws:cloudwatch/dashboard:Dashboard" {
			continue
		}
		a, ok := now[r.Account+"/"+r.Type+"/"+r.ID]
		if assert.True(t, ok, "%s %s is gone", r.Type, r.ID) {
			assert.Equal(t, r.Inputs, a.Inputs, "%s %s changed when %s was onboarded", r.Type, r.ID, newcomer)
		}
	}
	for k, cidr := range first {
		assert.Equal(t, cidr, res.Customers[k].VPCCIDR, "%s kept its CIDR", k)
	}
	assert.NotEmpty(t, res.Customers[newcomer].VPCCIDR)
	assert.Len(t, byType("aws:ec2/vpcIpamPoolCidrAllocation:VpcIpamPoolCidrAllocation"), 4)
}
