package tiers_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/tiers"
)

// TestAccessModelsPassTheirChecks: every tier's permission sets are valid
// Identity Center permission sets within the tier's session maximum.
func TestAccessModelsPassTheirChecks(t *testing.T) {
	for _, tier := range tiers.All() {
		require.NotEmpty(t, tier.Access.PermissionSets, tier.Key)
		assert.Empty(t, tiers.CheckAccess(tier.Key, tier.Access), tier.Key)
		assert.ElementsMatch(t, []string{tiers.RoleCustomerAdmin, tiers.RoleCustomerReadOnly, tiers.RoleOperator, tiers.RoleAuditor}, tier.Access.Roles(), tier.Key)
		assert.NotContains(t, tier.Access.CustomerRoles(), tiers.RoleOperator, tier.Key)
	}
}

// TestAccessPinned pins the permission sets per tier: policies, sessions,
// inline policies.
func TestAccessPinned(t *testing.T) {
	acc := tiers.Accesses()
	gov := acc[tiers.GovFederal]
	assert.Equal(t, "PT1H", gov.MaxSessionDuration)
	assert.Contains(t, gov.MaxSessionSource, "AC-12")
	for _, p := range gov.PermissionSets {
		d, err := tiers.ParseSessionDuration(p.SessionDuration)
		require.NoError(t, err)
		assert.LessOrEqual(t, d, time.Hour, p.Role)
		if p.Role == tiers.RoleCustomerAdmin || p.Role == tiers.RoleOperator {
			assert.NotEmpty(t, p.InlinePolicy, "gov-federal %s: no inline policy", p.Role)
		}
	}
	assert.Equal(t, "PT8H", acc[tiers.Standard].MaxSessionDuration)
	std, _ := acc[tiers.Standard].PermissionSet(tiers.RoleCustomerAdmin)
	assert.Empty(t, std.InlinePolicy, "standard customer admin has no inline policy")
	fin, _ := acc[tiers.Fintech].PermissionSet(tiers.RoleCustomerAdmin)
	assert.True(t, json.Valid([]byte(fin.InlinePolicy)))
	assert.Contains(t, fin.InlinePolicy, "cloudtrail:StopLogging")

	aud, ok := acc[tiers.Healthcare].PermissionSet(tiers.RoleAuditor)
	require.True(t, ok)
	assert.Equal(t, []string{"ReadOnlyAccess", "AWSSecurityHubReadOnlyAccess", "AWSConfigUserAccess", "AWSCloudTrail_ReadOnlyAccess"}, aud.ManagedPolicies)
	assert.Equal(t, "arn:aws:iam::aws:policy/ReadOnlyAccess", tiers.ManagedPolicyARN("aws", aud.ManagedPolicies[0]))
	ro, _ := acc[tiers.Healthcare].PermissionSet(tiers.RoleCustomerReadOnly)
	assert.Equal(t, "tz-healthcare-customer-readonly", ro.Name(tiers.Healthcare))
	assert.Equal(t, "tz-gov-federal-customer-readonly", ro.Name(tiers.GovFederal), "32 characters: the Identity Center maximum")
}

// TestCheckAccessReportsEveryProblem: one call names every bad field.
func TestCheckAccessReportsEveryProblem(t *testing.T) {
	a := tiers.Accesses()[tiers.GovFederal]
	a.PermissionSets[0].SessionDuration = "PT4H"  // over the tier's PT1H
	a.PermissionSets[1].SessionDuration = "PT13H" // over Identity Center's PT12H
	a.PermissionSets[2].InlinePolicy = "{"
	a.PermissionSets[3].SessionDuration = "8 hours"
	a.PermissionSets = append(a.PermissionSets, a.PermissionSets[0])
	probs := tiers.CheckAccess("gov-federal-with-a-very-long-key", a)
	// 4 bad fields, the duplicate (role, name, session again), 4 long names.
	assert.Len(t, probs, 4+3+4, "%q", probs)
	joined := ""
	for _, p := range probs {
		joined += p + "\n"
	}
	assert.Contains(t, joined, "longer than the tier's PT1H")
	assert.Contains(t, joined, "outside PT1H..PT12H")
	assert.Contains(t, joined, "not valid JSON")
	assert.Contains(t, joined, "not an ISO-8601")
	assert.Contains(t, joined, "role defined twice")
	assert.Contains(t, joined, "not 1-32 characters")
}

func TestParseSessionDuration(t *testing.T) {
	d, err := tiers.ParseSessionDuration("PT1H30M")
	require.NoError(t, err)
	assert.Equal(t, 90*time.Minute, d)
	_, err = tiers.ParseSessionDuration("PT")
	assert.Error(t, err)
}

func TestLoginLink(t *testing.T) {
	p, _ := tiers.Accesses()[tiers.Fintech].PermissionSet(tiers.RoleCustomerAdmin)
	assert.Equal(t, "https://d-1234567890.awsapps.com/start/#/console?account_id=123456789012&role_name=tz-fintech-customer-admin",
		p.LoginLink(tiers.PortalURL("d-1234567890"), tiers.Fintech, "123456789012"))
}
