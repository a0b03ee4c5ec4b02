package plan

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/validation"
)

const catalogYAML = `
# two customers
customers:
  - key: acme-finance
    name: ACME Finance Inc
    tier: fintech
    contactEmail: john@acmefinance.com
    vpcCidr: 10.0.0.0/16
    tags:
      cost-center: 4711
  - key: old-bank
    name: Old Bank
    tier: standard
    vpcCidr: 10.9.0.0/16
    existingAccountId: 012345678901
    natGateway: false
`

const catalogJSON = `{"customers": [
  {"key": "acme-finance", "name": "ACME Finance Inc", "tier": "fintech", "contactEmail": "john@acmefinance.com",
   "vpcCidr": "10.0.0.0/16", "tags": {"cost-center": "4711"}},
  {"key": "old-bank", "name": "Old Bank", "tier": "standard", "vpcCidr": "10.9.0.0/16",
   "existingAccountId": "012345678901", "natGateway": false}
]}`

func wantCatalog() []customers.Customer {
	no := false
	return []customers.Customer{
		{Key: "acme-finance", Name: "ACME Finance Inc", Tier: "fintech", ContactEmail: "john@acmefinance.com",
			VPCCIDR: "10.0.0.0/16", Tags: map[string]string{"cost-center": "4711"}},
		{Key: "old-bank", Name: "Old Bank", Tier: "standard", VPCCIDR: "10.9.0.0/16",
			ExistingAccountID: "012345678901", NATGateway: &no},
	}
}

func TestDecodeCatalogYAMLAndJSONAgree(t *testing.T) {
	fromYAML, err := DecodeCatalog([]byte(catalogYAML), "c.yaml")
	require.NoError(t, err)
	fromJSON, err := DecodeCatalog([]byte(catalogJSON), "c.json")
	require.NoError(t, err)
	assert.Equal(t, wantCatalog(), fromYAML, "YAML numbers keep their text (leading zero of the account id)")
	assert.Equal(t, wantCatalog(), fromJSON)
}

func problems(t *testing.T, err error) []validation.Problem {
	t.Helper()
	var ve *validation.Error
	require.True(t, errors.As(err, &ve), "want a *validation.Error, got %v", err)
	return ve.Problems
}

func TestDecodeCatalogRejectsUnknownFields(t *testing.T) {
	_, err := DecodeCatalog([]byte(`
customers:
  - key: acme-finance
    name: ACME
    tier: fintech
    vpc_cidr: 10.0.0.0/16
    colour: blue
owner: me
`), "c.yaml")
	ps := problems(t, err)
	require.Len(t, ps, 3)
	assert.Equal(t, validation.Problem{Subject: "catalog file c.yaml", Field: "owner", Message: `unknown field; the file has one field, "customers"`}, ps[0])
	assert.Equal(t, `customer "acme-finance"`, ps[1].Subject)
	assert.Equal(t, "colour", ps[1].Field)
	assert.Equal(t, "vpc_cidr", ps[2].Field)
	assert.Contains(t, ps[2].Message, `did you mean "vpcCidr"?`)
}

func TestDecodeCatalogTypeErrorsNameCustomerAndField(t *testing.T) {
	_, err := DecodeCatalog([]byte(`{"customers": [{"key": "a-b", "name": "AB", "tier": "fintech", "vpcCidr": "10.0.0.0/16", "existingAccountId": 123456789012},
	 {"key": "c-d", "natGateway": "yes"}]}`), "c.json")
	ps := problems(t, err)
	require.Len(t, ps, 2)
	assert.Equal(t, `customer "a-b"`, ps[0].Subject)
	assert.Equal(t, "existingAccountId", ps[0].Field)
	assert.Contains(t, ps[0].Message, "want text, got number")
	assert.Equal(t, `customer "c-d"`, ps[1].Subject)
	assert.Equal(t, "natGateway", ps[1].Field)
}

func TestDecodeCatalogShapeErrors(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		"empty":        {"", "empty"},
		"bad JSON":     {"{\"customers\": [\n  {\"key\": }\n]}", "invalid JSON at line 2"},
		"bad YAML":     {"customers: [a, b\n", "invalid YAML"},
		"list at top":  {"- key: a\n", `want an object {"customers": [...]}`},
		"no customers": {"customers: acme\n", "want a list of customers, got a string"},
		"dup key":      {"customers:\n  - key: a\n    key: b\n", `key "key" appears twice`},
		"item scalar":  {"customers:\n  - acme\n", "want an object, got a string"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeCatalog([]byte(tc.doc), "c")
			ps := problems(t, err)
			require.NotEmpty(t, ps)
			assert.Contains(t, ps[0].String(), tc.want)
		})
	}
}

// TestReadCatalogMissingFileIsInvalidInput: a --catalog that cannot be read
// is bad input (exit 2), reported like a catalog that cannot be parsed.
func TestReadCatalogMissingFileIsInvalidInput(t *testing.T) {
	path := t.TempDir() + "/nope.yaml"
	_, err := ReadCatalog(path)
	var ve *validation.Error
	require.True(t, errors.As(err, &ve), "%v", err)
	require.Len(t, ve.Problems, 1)
	assert.Equal(t, "catalog file "+path, ve.Problems[0].Subject)
	assert.Contains(t, ve.Problems[0].Message, "no such file")
}
