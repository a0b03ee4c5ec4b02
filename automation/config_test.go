package automation

import (
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/stackconfig"
)

func TestConfigMapRoundTripsThroughFromConfig(t *testing.T) {
	full := landingzone.Settings{
		OrganizationRootID:   "ou-ab12-cdef3456",
		AccountEmailMailbox:  "aws@example.com",
		Customers:            []string{"acme-finance", "medicorp-health"},
		Protect:              false,
		OrgAccessRoleName:    "PlatformAccess",
		NamePrefix:           "tz-staging",
		ManagementRegion:     "us-west-2",
		CustomerConnectivity: true,
		Retention:            map[string]landingzone.RetentionOverride{"fintech": {HotDays: 365, ArchiveDays: 3653}, "standard": {ArchiveDays: 731}},
		SCPMaxChars:          5120,
		SCPMaxAttachments:    5,
	}
	noCustomers := landingzone.Defaults()
	noCustomers.OrganizationRootID = "r-abcd"
	noCustomers.Customers = []string{}
	cases := map[string]landingzone.Settings{
		"every field set":          full,
		"defaults, whole catalog":  landingzone.Defaults(),
		"empty selection, not nil": noCustomers,
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			cfg, err := ConfigMap(want)
			require.NoError(t, err)
			got, err := SettingsFromConfigMap(cfg)
			require.NoError(t, err)
			assert.True(t, reflect.DeepEqual(want, got), "want %#v\ngot  %#v", want, got)
		})
	}
}

func TestConfigMapOnlyWritesKeysTheProgramReads(t *testing.T) {
	s := landingzone.Defaults()
	s.Customers = []string{"acme-finance"}
	s.Retention = map[string]landingzone.RetentionOverride{"fintech": {HotDays: 365}}
	// Only a customer stack of the sharded layout has this key.
	s.CustomerStack = &landingzone.CustomerStackRef{Customer: "acme-finance"}
	cfg, err := ConfigMap(s)
	require.NoError(t, err)
	assert.Empty(t, stackconfig.UnknownKeys(cfg, landingzone.ConfigNamespace, landingzone.ConfigKeys()))
	assert.Len(t, cfg, len(landingzone.ConfigKeys()), "every key the program reads is written")
	assert.Equal(t, `["acme-finance"]`, cfg["tierzone:customers"])
	// nil Customers means the whole catalog: the key must stay unset.
	s.Customers = nil
	cfg, err = ConfigMap(s)
	require.NoError(t, err)
	assert.NotContains(t, cfg, "tierzone:customers")
}

func TestProjectNameIsPulumiYamls(t *testing.T) {
	// URNs embed the project name: a stack only moves between `pulumi up`
	// and this package if both use the same one.
	assert.Equal(t, recorder.Project, ProjectName)
	raw, err := os.ReadFile("../Pulumi.yaml")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^name: `+ProjectName+`$`, string(raw))
}

// TestProgramRegistersWhatMainGoRegisters runs main.go's program with each
// stack file's config as the engine passes it, and this package's program
// with the config it writes from the same settings as Go values; both must
// register the same resources with the same inputs and options.
func TestProgramRegistersWhatMainGoRegisters(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			fileCfg, err := stackconfig.Load(stackconfig.File("..", stack), ProjectName)
			require.NoError(t, err)
			settings, err := SettingsFromConfigMap(fileCfg)
			require.NoError(t, err)

			mainRec, err := recorder.Run(stack, fileCfg, landingzone.Program(customers.Catalog()))
			require.NoError(t, err)

			autoCfg, err := ConfigMap(settings)
			require.NoError(t, err)
			autoRec, err := recorder.Run(stack, autoCfg, Program(customers.Catalog()))
			require.NoError(t, err)

			want, got := mainRec.Resources(), autoRec.Resources()
			require.NotEmpty(t, want)
			require.Equal(t, urns(want), urns(got))
			for i := range want {
				w, g := want[i], got[i]
				assert.Equal(t, w.Type, g.Type, w.URN)
				assert.Equal(t, w.Parent, g.Parent, w.URN)
				assert.Equal(t, w.Provider, g.Provider, w.URN)
				assert.Equal(t, w.Protect, g.Protect, w.URN)
				assert.Equal(t, w.RetainOnDelete, g.RetainOnDelete, w.URN)
				assert.Equal(t, w.ImportID, g.ImportID, w.URN)
				assert.ElementsMatch(t, w.Dependencies, g.Dependencies, w.URN)
				assert.ElementsMatch(t, w.IgnoreChanges, g.IgnoreChanges, w.URN)
				assert.True(t, w.Inputs.DeepEquals(g.Inputs), "%s inputs differ:\nmain: %v\nauto: %v", w.URN, w.Inputs, g.Inputs)
			}
		})
	}
}

func TestProgramFollowsTheSettings(t *testing.T) {
	// The comparison above would pass if ConfigMap dropped everything and
	// both programs failed alike; check the settings actually reach it.
	s := landingzone.Defaults()
	s.OrganizationRootID = "r-abcd"
	s.OrganizationID = "o-abcdefghij"
	s.SecurityAccountID = "999999999999"
	s.AccountEmailMailbox = "aws@example.com"
	s.Customers = []string{"startup-standard"}
	s.NamePrefix = "tz-embedded"
	cfg, err := ConfigMap(s)
	require.NoError(t, err)
	rec, err := recorder.Run("embedded", cfg, Program(customers.Catalog()))
	require.NoError(t, err)
	var accounts, policies []string
	for _, r := range rec.Resources() {
		switch r.Type {
		case "aws:organizations/account:Account":
			accounts = append(accounts, r.Name)
		case "aws:organizations/policy:Policy":
			policies = append(policies, r.Inputs["name"].StringValue())
		}
	}
	assert.Equal(t, []string{"startup-standard-account"}, accounts)
	for _, p := range policies {
		assert.Regexp(t, `^tz-embedded-`, p)
	}
}

func urns(rs []recorder.Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.URN
	}
	return out
}

// TestConfigMapCoversEverySetting fills every field of Settings, whatever
// fields it has, so a setting added to landingzone without a line in
// ConfigMap fails here instead of silently running with its default.
func TestConfigMapCoversEverySetting(t *testing.T) {
	var s landingzone.Settings
	v := reflect.ValueOf(&s).Elem()
	for i := 0; i < v.NumField(); i++ {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.String:
			f.SetString("value-of-" + name)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Int:
			f.SetInt(int64(100 + i))
		case reflect.Slice:
			require.Equal(t, reflect.String, f.Type().Elem().Kind(), name)
			f.Set(reflect.ValueOf([]string{"a-" + name, "b-" + name}))
		case reflect.Map:
			m := reflect.MakeMap(f.Type())
			if f.Type().Elem().Kind() == reflect.Slice {
				// OperatorEmails: tier to addresses.
				m.SetMapIndex(reflect.ValueOf("fintech"), reflect.ValueOf([]string{"a-" + name + "@example.com"}))
				f.Set(m)
				continue
			}
			e := reflect.New(f.Type().Elem()).Elem()
			for j := 0; j < e.NumField(); j++ {
				require.Equal(t, reflect.Int, e.Field(j).Kind(), name)
				e.Field(j).SetInt(int64(10 + j))
			}
			m.SetMapIndex(reflect.ValueOf("fintech"), e)
			f.Set(m)
		case reflect.Ptr:
			e := reflect.New(f.Type().Elem())
			for j := 0; j < e.Elem().NumField(); j++ {
				require.Equal(t, reflect.String, e.Elem().Field(j).Kind(), name)
				e.Elem().Field(j).SetString(fmt.Sprintf("%s-%d", name, j))
			}
			f.Set(e)
		default:
			t.Fatalf("Settings.%s: kind %s not handled by this test", name, f.Kind())
		}
	}
	cfg, err := ConfigMap(s)
	require.NoError(t, err)
	got, err := SettingsFromConfigMap(cfg)
	require.NoError(t, err)
	gv := reflect.ValueOf(got)
	for i := 0; i < v.NumField(); i++ {
		assert.Equal(t, v.Field(i).Interface(), gv.Field(i).Interface(), "Settings.%s does not survive ConfigMap", v.Type().Field(i).Name)
	}
}
