package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
)

func usersCatalog() []customers.Customer {
	return []customers.Customer{
		{Key: "acme", Name: "Acme", Tier: "fintech", Email: "root+acme@example.com", VPCCIDR: "10.1.0.0/16",
			Users: []customers.User{
				{Email: "ana@acme.example", DisplayName: "Ana Admin", Role: "customer-admin"},
				{Email: "rob@acme.example", DisplayName: "Rob Reader", Role: "customer-readonly"},
			}},
		{Key: "gov", Name: "Gov", Tier: "gov-federal", Email: "root+gov@example.com", VPCCIDR: "10.2.0.0/16",
			Users: []customers.User{{Email: "aud@gov.example", DisplayName: "Audrey", Role: "auditor"}}},
	}
}

// TestCatalogUsersValid: a catalog with users passes.
func TestCatalogUsersValid(t *testing.T) {
	require.NoError(t, customers.Validate(usersCatalog(), customers.Options{}))
}

// TestCatalogUsersEveryProblem: one Validate names every bad user field,
// with customer and field.
func TestCatalogUsersEveryProblem(t *testing.T) {
	cs := usersCatalog()
	cs[0].Users = append(cs[0].Users,
		customers.User{Email: "not-an-email", DisplayName: "X", Role: "customer-admin"},
		customers.User{Email: "ok@acme.example", DisplayName: strings.Repeat("n", 1025), Role: "operator"},
		customers.User{Email: "x@acme.example", DisplayName: "Administrator", Role: "customer-readonly"},
	)
	cs[1].Users = append(cs[1].Users, customers.User{Email: "ANA@acme.example", DisplayName: "", Role: "root"})
	err := customers.Validate(cs, customers.Options{})
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{
		`"acme"`, "users[2].email", "not a valid e-mail",
		"users[3].displayName", "at most 1024",
		"users[3].role", `"operator" is not a customer role of tier fintech`,
		"users[4].displayName", "reserved",
		`"gov"`, "users[1].email", "already a user of",
		"users[1].displayName", "users[1].role",
	} {
		assert.Contains(t, msg, want)
	}
}
