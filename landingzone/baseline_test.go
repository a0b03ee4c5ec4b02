package landingzone

import (
	"strings"
	"testing"

	"github.com/tierzone/tierzone/tiers"
	"github.com/tierzone/tierzone/validation"
)

// TestCheckBaselinesReportsEveryTierProblem: a tier without a baseline, a
// password policy below CIS and a locked vault kept less than the tier's
// floor are each reported with the tier and the field, all at once.
func TestCheckBaselinesReportsEveryTierProblem(t *testing.T) {
	all := tiers.All()
	for i := range all {
		switch all[i].Key {
		case tiers.Fintech:
			all[i].AccountBaseline.Password.MinimumLength = 8
			all[i].AccountBaseline.Password.RequireSymbols = false
		case tiers.Healthcare:
			all[i].AccountBaseline.Backup.RetentionDays = 365
		case tiers.Standard:
			all[i].AccountBaseline = tiers.AccountBaseline{}
		}
	}
	var l validation.List
	checkBaselines(all, "tierzone", &l)
	err := l.Err()
	if err == nil {
		t.Fatal("bad baselines were accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		`tier "fintech"`, "baseline.password.minimumLength", "8 is outside 14 (CIS 1.8)", "every character class is required",
		`tier "healthcare"`, "baseline.backup.retentionDays", "365 days is below the tier's 2192-day retention floor",
		`tier "standard"`, "missing: every tier needs an account baseline",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("problems lack %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, `tier "gov-federal"`) {
		t.Errorf("a sound tier was reported:\n%s", msg)
	}

	var ok validation.List
	checkBaselines(tiers.All(), "tierzone", &ok)
	if err := ok.Err(); err != nil {
		t.Errorf("the shipped baselines are refused: %v", err)
	}
}
