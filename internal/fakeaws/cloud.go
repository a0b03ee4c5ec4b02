package fakeaws

import (
	"fmt"
	"os"
	"time"
)

// Cloud reads a fake cloud's directory, for tests.
type Cloud struct {
	dir string
}

// Open returns a reader of the cloud in dir.
func Open(dir string) *Cloud { return &Cloud{dir: dir} }

func (c *Cloud) read(f func(*tx) error) error {
	st, err := newStore(c.dir)
	if err != nil {
		return err
	}
	t, err := st.lock(false)
	if err != nil {
		return err
	}
	defer t.unlock()
	return f(t)
}

// Resources returns every record, sorted by account, type and id.
func (c *Cloud) Resources() ([]Record, error) {
	var out []Record
	err := c.read(func(t *tx) error {
		rs, err := t.all()
		for _, r := range rs {
			out = append(out, *r)
		}
		return err
	})
	return out, err
}

func (c *Cloud) filter(keep func(Record) bool) ([]Record, error) {
	all, err := c.Resources()
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, r := range all {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// ByType returns the records of a type token in every account.
func (c *Cloud) ByType(typ string) ([]Record, error) {
	return c.filter(func(r Record) bool { return r.Type == typ })
}

// InAccount returns the records in one account's folder.
func (c *Cloud) InAccount(account string) ([]Record, error) {
	return c.filter(func(r Record) bool { return r.Account == account })
}

// Accounts returns the organizations Account records (the member accounts).
func (c *Cloud) Accounts() ([]Record, error) { return c.ByType(tAccount) }

// Stats returns the counters kept in stats.json.
func (c *Cloud) Stats() (Stats, error) {
	var st Stats
	err := c.read(func(t *tx) error {
		s, err := t.stats()
		if s != nil {
			st = *s
		}
		return err
	})
	return st, err
}

// SeedAccount pre-creates an existing member account directly under the
// organization root, as an account that was invited into the organization
// (joinedMethod INVITED: it existed standalone before, so it has what it
// needs to leave again), with the OrganizationAccountAccessRole, so a
// program can import it.
func SeedAccount(dir, id, name, email string) error {
	return SeedAccountIn(dir, id, name, email, "", nil)
}

// SeedAccountIn is SeedAccount with a parent (root or OU id; "" for the
// root) and tags. An import only succeeds when the program's inputs match
// the account's (parentId and tags included), as with the real provider.
func SeedAccountIn(dir, id, name, email, parentID string, tags map[string]string) error {
	o := Options{Dir: dir, ManagementAccount: envOr("FAKEAWS_MANAGEMENT_ACCOUNT", DefaultManagementAccount),
		OrganizationID: envOr("FAKEAWS_ORG_ID", DefaultOrganizationID), RootID: envOr("FAKEAWS_ROOT_ID", DefaultRootID)}
	if err := o.defaults(); err != nil {
		return err
	}
	if !accountPattern.MatchString(id) || id == o.ManagementAccount {
		return fmt.Errorf("fakeaws: seed account id %q must be 12 digits and not the management account", id)
	}
	if parentID == "" {
		parentID = o.RootID
	}
	st, err := newStore(dir)
	if err != nil {
		return err
	}
	t, err := st.lock(true)
	if err != nil {
		return err
	}
	defer t.unlock()
	if r, err := t.get(o.ManagementAccount, "", tAccount, id); err != nil {
		return err
	} else if r != nil {
		return fmt.Errorf("fakeaws: account %s already exists", id)
	}
	tagMap := map[string]any{}
	for k, v := range tags {
		tagMap[k] = v
	}
	in := map[string]any{"name": name, "email": email, "parentId": parentID, "closeOnDeletion": false, "tags": tagMap}
	out := merged(in, map[string]any{
		"arn":    fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", o.ManagementAccount, o.OrganizationID, id),
		"status": "ACTIVE",
		// An invited account was a standalone account before it joined, so
		// RemoveAccountFromOrganization accepts it (see accountRemove).
		"joinedMethod":    "INVITED",
		"joinedTimestamp": time.Now().UTC().Format(time.RFC3339),
		"govcloudId":      "",
		"roleName":        DefaultAccessRole,
		"tagsAll":         tagMap,
	})
	if err := os.MkdirAll(t.typeDir(id, ""), 0o755); err != nil {
		return fmt.Errorf("fakeaws: seed account folder: %w", err)
	}
	return t.put(&Record{Type: tAccount, ID: id, Account: o.ManagementAccount, Region: "us-east-1", Inputs: in, Outputs: out})
}
