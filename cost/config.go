package cost

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Stack config keys (without the "tierzone:" namespace) for the business
// costs; the Pulumi program itself ignores them.
const (
	ConfigNamespace          = "tierzone"
	KeyPeopleCostMonthly     = "peopleCostMonthly"
	KeyOperationsCostMonthly = "operationsCostMonthly"
)

// ConfigKeys lists the keys ParamsFromConfig reads, for typo detection.
func ConfigKeys() []string { return []string{KeyPeopleCostMonthly, KeyOperationsCostMonthly} }

// ParamsFromConfig returns DefaultParams with the people and operations
// costs taken from stack config ("tierzone:peopleCostMonthly",
// "tierzone:operationsCostMonthly", USD per month) where set. Both values
// are checked and every bad one is reported.
func ParamsFromConfig(cfg map[string]string) (Params, error) {
	p := DefaultParams()
	var problems []string
	read := func(key string, dst *Assumption) {
		v, ok := cfg[ConfigNamespace+":"+key]
		if !ok {
			return
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			problems = append(problems, fmt.Sprintf("stack config %s:%s: %q is not a non-negative amount in USD per month", ConfigNamespace, key, v))
			return
		}
		dst.Value, dst.Source = f, "stack config "+ConfigNamespace+":"+key
	}
	read(KeyPeopleCostMonthly, &p.PeopleMonthly)
	read(KeyOperationsCostMonthly, &p.OperationsMonthly)
	if len(problems) > 0 {
		return p, errors.New(strings.Join(problems, "; "))
	}
	return p, nil
}
