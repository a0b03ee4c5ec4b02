package automation

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tierzone/tierzone/landingzone"
)

// ProjectName is the Pulumi project the inline program runs under. It is
// the name in Pulumi.yaml, so URNs match the ones `pulumi up` creates and a
// stack can move between the CLI and the Automation API.
const ProjectName = "tierzone"

// ConfigMap turns settings into stack config the way the engine hands it to
// the program: full "tierzone:key" keys, strings as-is, lists and maps as
// JSON. landingzone.FromConfig reads it back into the same settings. Every
// key is written, so the stack's config says exactly what runs.
func ConfigMap(s landingzone.Settings) (map[string]string, error) {
	key := func(k string) string { return landingzone.ConfigNamespace + ":" + k }
	cfg := map[string]string{
		key(landingzone.KeyOrganizationRootID):   s.OrganizationRootID,
		key(landingzone.KeyAccountEmailMailbox):  s.AccountEmailMailbox,
		key(landingzone.KeyProtect):              strconv.FormatBool(s.Protect),
		key(landingzone.KeyOrgAccessRoleName):    s.OrgAccessRoleName,
		key(landingzone.KeyNamePrefix):           s.NamePrefix,
		key(landingzone.KeyManagementRegion):     s.ManagementRegion,
		key(landingzone.KeyCustomerConnectivity): strconv.FormatBool(s.CustomerConnectivity),
		key(landingzone.KeySCPMaxChars):          strconv.Itoa(s.SCPMaxChars),
		key(landingzone.KeySCPMaxAttachments):    strconv.Itoa(s.SCPMaxAttachments),
		key(landingzone.KeyOrganizationID):       s.OrganizationID,
		key(landingzone.KeyLogArchiveAccountID):  s.LogArchiveAccountID,
		key(landingzone.KeyLayout):               s.Layout,
		key(landingzone.KeySecurityAccountID):    s.SecurityAccountID,
		key(landingzone.KeyMonitoringAccountID):  s.MonitoringAccountID,
		key(landingzone.KeyIdentityCenter):       strconv.FormatBool(s.IdentityCenter),
		key(landingzone.KeyShieldAdvanced):       strconv.FormatBool(s.ShieldAdvanced),
		key(landingzone.KeyNetworkAccountID):     s.NetworkAccountID,
		key(landingzone.KeyCentralEgress):        strconv.FormatBool(s.CentralEgress),
	}
	if s.CustomerStack != nil {
		b, err := json.Marshal(s.CustomerStack)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", key(landingzone.KeyCustomerStack), err)
		}
		cfg[key(landingzone.KeyCustomerStack)] = string(b)
	}
	decommission, err := json.Marshal(append([]string{}, s.Decommission...))
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", key(landingzone.KeyDecommission), err)
	}
	cfg[key(landingzone.KeyDecommission)] = string(decommission)
	// nil Customers deploys the whole catalog: leave the key unset. An empty,
	// non-nil list deploys nobody and is written as [].
	if s.Customers != nil {
		b, err := json.Marshal(s.Customers)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", key(landingzone.KeyCustomers), err)
		}
		cfg[key(landingzone.KeyCustomers)] = string(b)
	}
	operators, err := json.Marshal(s.OperatorEmails)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", key(landingzone.KeyOperatorEmails), err)
	}
	if s.OperatorEmails == nil {
		operators = []byte("{}")
	}
	cfg[key(landingzone.KeyOperatorEmails)] = string(operators)
	if s.Retention != nil {
		b, err := json.Marshal(s.Retention)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", key(landingzone.KeyRetention), err)
		}
		cfg[key(landingzone.KeyRetention)] = string(b)
	}
	return cfg, nil
}

// SettingsFromConfigMap reads settings from a full-key config map (as
// ConfigMap or stackconfig.Load return it).
func SettingsFromConfigMap(cfg map[string]string) (landingzone.Settings, error) {
	return landingzone.FromConfig(func(k string) (string, bool) {
		v, ok := cfg[landingzone.ConfigNamespace+":"+k]
		return v, ok
	})
}
