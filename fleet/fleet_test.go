package fleet

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/validation"
)

func sharded() landingzone.Settings {
	s := landingzone.Defaults()
	s.OrganizationRootID = "r-abcd"
	s.OrganizationID = "o-abcdefghij"
	s.SecurityAccountID = "999999999999"
	s.AccountEmailMailbox = "aws@example.com"
	s.Customers = []string{"acme-finance", "techgov-federal"}
	s.Layout = landingzone.LayoutSharded
	return s
}

// TestBadInputRunsNothing: every problem is a validation error naming the
// stack, before any workspace or stack exists.
func TestBadInputRunsNothing(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(*Options)
		want []string
	}{
		"single layout":    {func(o *Options) { o.Settings.Layout = landingzone.LayoutSingle }, []string{`stack prod uses the "single" layout`}},
		"unknown customer": {func(o *Options) { o.Only = []string{"acme-finance", "nobody"} }, []string{`"nobody" is not a customer of stack prod`}},
		"customer stack": {func(o *Options) {
			o.Settings.CustomerStack = &landingzone.CustomerStackRef{Customer: "acme-finance", AccountID: "123456789012", ArchiveDestination: "arn:aws:s3:::b/fintech/acme-finance/"}
		}, []string{"stack prod is a customer stack"}},
		"bad catalog settings":            {func(o *Options) { o.Settings.OrganizationRootID = "" }, []string{"organizationRootId"}},
		"unknown --stacks":                {func(o *Options) { o.Stacks = "some" }, []string{`--stacks: "some" is not all, organization or customers`}},
		"customer stacks alone cannot up": {func(o *Options) { o.Stacks = StacksCustomers }, []string{`"customers" runs only with preview and refresh`}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			o := Options{Stack: "prod", WorkDir: dir, Settings: sharded()}
			tc.edit(&o)
			rep, err := Run(context.Background(), automation.OpUp, o)
			assert.Nil(t, rep)
			var ve *validation.Error
			require.ErrorAs(t, err, &ve)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.False(t, errors.Is(err, ErrFailed))
		})
	}
}

func TestProgressIsPrefixedWholeLines(t *testing.T) {
	var buf bytes.Buffer
	p := &prefixer{w: &buf}
	a, b := p.stream("prod"), p.stream("prod.acme-finance")
	_, _ = a.Write([]byte("Updating (pr"))
	_, _ = b.Write([]byte("one\ntwo\n"))
	_, _ = a.Write([]byte("od)\n"))
	assert.Equal(t, "[prod.acme-finance] one\n[prod.acme-finance] two\n[prod] Updating (prod)\n", buf.String())
}

func TestReportTableAndFailures(t *testing.T) {
	rep := &Report{
		Organization: Result{Stack: "prod", Op: automation.OpUp, Changes: map[string]int{"same": 150}},
		Customers: []Result{
			{Stack: "prod.acme-finance", Customer: "acme-finance", Changes: map[string]int{"create": 26}},
			{Stack: "prod.techgov-federal", Customer: "techgov-federal", Err: errors.New("creating NAT\nmore")},
			{Stack: "prod.new", Customer: "new", Skipped: "its account does not exist yet"},
		},
	}
	_, err := finish(rep)
	require.ErrorIs(t, err, ErrFailed)
	assert.Contains(t, err.Error(), "prod.techgov-federal (creating NAT ...)")
	assert.Equal(t, 1, rep.Failed())
	var buf bytes.Buffer
	rep.WriteTable(&buf)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 5)
	assert.Contains(t, lines[1], "(organization)")
	assert.Contains(t, lines[2], "create 26")
	assert.Contains(t, lines[3], "failed")
	assert.Contains(t, lines[4], "skipped")
	assert.Equal(t, "prod.acme-finance", CustomerStackName("prod", "acme-finance"))
}

// TestStacksSelectsWhatRuns: --stacks organization runs no customer stack;
// customers (preview, refresh) is accepted; the organization stack alone
// cannot be destroyed, and a migration moves everything.
func TestStacksSelectsWhatRuns(t *testing.T) {
	o := Options{Stack: "prod", WorkDir: t.TempDir(), Settings: sharded(), Stacks: StacksOrganization}
	f, err := newFleet(automation.OpUp, o)
	require.NoError(t, err)
	assert.Empty(t, f.selected())
	o.Stacks = StacksCustomers
	f, err = newFleet(automation.OpPreview, o)
	require.NoError(t, err)
	assert.Equal(t, []string{"acme-finance", "techgov-federal"}, f.selected())
	_, err = newFleet(automation.OpRefresh, o)
	require.NoError(t, err)
	o.Stacks = StacksOrganization
	_, err = newFleet(automation.OpDestroy, o)
	require.ErrorContains(t, err, "destroyed after its customer stacks")
	_, err = Migrate(context.Background(), o)
	require.ErrorContains(t, err, "a migration moves every stack")
}
