package fakeaws

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Record is one resource in the fake cloud, as stored on disk.
type Record struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Account string `json:"account"`
	Region  string `json:"region"`
	URN     string `json:"urn"`
	// Inputs are the resource's inputs as last applied.
	Inputs map[string]any `json:"inputs"`
	// Outputs are the full state: inputs plus computed outputs.
	Outputs map[string]any `json:"outputs"`
}

// Stats are counters kept across every plugin process sharing a cloud.
type Stats struct {
	// MaxAccountCreationsInFlight is the most organizations Account
	// creations ever in progress at once.
	MaxAccountCreationsInFlight int `json:"maxAccountCreationsInFlight"`
	// Creates counts successful (non-preview) creates per type token.
	Creates map[string]int `json:"creates"`
	// CreateCalls counts non-preview Create calls per type token,
	// failed ones included (fault injection counts these).
	CreateCalls map[string]int `json:"createCalls"`
	// Deletes counts successful deletes per type token.
	Deletes map[string]int `json:"deletes"`
}

// inflight is one account creation in progress.
type inflight struct {
	Token   string    `json:"token"`
	PID     int       `json:"pid"`
	Email   string    `json:"email"`
	Name    string    `json:"name"`
	Started time.Time `json:"started"`
	// Expires is when the entry is considered stale (its process was
	// killed mid-creation) and dropped.
	Expires time.Time `json:"expires"`
}

const (
	lockFile     = ".lock"
	statsFile    = "stats.json"
	inflightFile = "inflight.json"
	accountsDir  = "accounts"
)

// store is the on-disk cloud.
type store struct {
	dir string
}

func newStore(dir string) (*store, error) {
	if dir == "" {
		return nil, errors.New("fakeaws: FAKEAWS_DIR is not set: it must name the directory that holds the fake cloud")
	}
	if err := os.MkdirAll(filepath.Join(dir, accountsDir), 0o755); err != nil {
		return nil, fmt.Errorf("fakeaws: create the cloud directory: %w", err)
	}
	return &store{dir: dir}, nil
}

// tx is a held lock on the store.
type tx struct {
	s *store
	f *os.File
}

// lock takes the store's flock: exclusive for mutations, shared for reads.
// flock locks belong to the open file, so goroutines of one process
// exclude each other as well as other processes.
func (s *store) lock(exclusive bool) (*tx, error) {
	f, err := os.OpenFile(filepath.Join(s.dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("fakeaws: open lock: %w", err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("fakeaws: flock: %w", err)
	}
	return &tx{s: s, f: f}, nil
}

func (t *tx) unlock() {
	_ = syscall.Flock(int(t.f.Fd()), syscall.LOCK_UN)
	_ = t.f.Close()
}

// fileName turns a type token or id into a file name.
func fileName(s string) string {
	return strings.NewReplacer(":", "_", "/", "_").Replace(s)
}

func (t *tx) typeDir(account, typ string) string {
	return filepath.Join(t.s.dir, accountsDir, account, fileName(typ))
}

func (t *tx) path(account, typ, id string) string {
	return filepath.Join(t.typeDir(account, typ), fileName(id)+".json")
}

// get returns the record, or nil when there is none.
func (t *tx) get(account, typ, id string) (*Record, error) {
	r, err := readRecord(t.path(account, typ, id))
	if err != nil || r == nil {
		return nil, err
	}
	if r.ID != id {
		return nil, nil
	}
	return r, nil
}

func readRecord(path string) (*Record, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fakeaws: read %s: %w", path, err)
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("fakeaws: decode %s: %w", path, err)
	}
	return &r, nil
}

// list returns the records of a type in an account, sorted by id.
func (t *tx) list(account, typ string) ([]*Record, error) {
	entries, err := os.ReadDir(t.typeDir(account, typ))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fakeaws: list %s: %w", typ, err)
	}
	var out []*Record
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		r, err := readRecord(filepath.Join(t.typeDir(account, typ), e.Name()))
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// accounts lists the account folders.
func (t *tx) accountDirs() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(t.s.dir, accountsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fakeaws: list accounts: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// listAll returns the records of a type in every account.
func (t *tx) listAll(typ string) ([]*Record, error) {
	accts, err := t.accountDirs()
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, a := range accts {
		rs, err := t.list(a, typ)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// all returns every record, sorted by account, type and id.
func (t *tx) all() ([]*Record, error) {
	accts, err := t.accountDirs()
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, a := range accts {
		types, err := os.ReadDir(filepath.Join(t.s.dir, accountsDir, a))
		if err != nil {
			return nil, fmt.Errorf("fakeaws: list account %s: %w", a, err)
		}
		var recs []*Record
		for _, ty := range types {
			if !ty.IsDir() {
				continue
			}
			dir := filepath.Join(t.s.dir, accountsDir, a, ty.Name())
			files, err := os.ReadDir(dir)
			if err != nil {
				return nil, fmt.Errorf("fakeaws: list %s: %w", dir, err)
			}
			for _, f := range files {
				if f.IsDir() || !strings.HasSuffix(f.Name(), ".json") {
					continue
				}
				r, err := readRecord(filepath.Join(dir, f.Name()))
				if err != nil {
					return nil, err
				}
				if r != nil {
					recs = append(recs, r)
				}
			}
		}
		sort.Slice(recs, func(i, j int) bool {
			if recs[i].Type != recs[j].Type {
				return recs[i].Type < recs[j].Type
			}
			return recs[i].ID < recs[j].ID
		})
		out = append(out, recs...)
	}
	return out, nil
}

// put writes a record atomically (readers without the lock never see a
// partial file).
func (t *tx) put(r *Record) error {
	if err := os.MkdirAll(t.typeDir(r.Account, r.Type), 0o755); err != nil {
		return fmt.Errorf("fakeaws: create %s: %w", r.Type, err)
	}
	return writeJSON(t.path(r.Account, r.Type, r.ID), r)
}

func (t *tx) remove(r *Record) error {
	err := os.Remove(t.path(r.Account, r.Type, r.ID))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("fakeaws: remove %s %s: %w", r.Type, r.ID, err)
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("fakeaws: encode %s: %w", path, err)
	}
	tmp := fmt.Sprintf("%s.tmp%d", path, os.Getpid())
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("fakeaws: write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("fakeaws: write %s: %w", path, err)
	}
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("fakeaws: read %s: %w", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("fakeaws: decode %s: %w", path, err)
	}
	return nil
}

func (t *tx) stats() (*Stats, error) {
	st := &Stats{}
	if err := readJSON(filepath.Join(t.s.dir, statsFile), st); err != nil {
		return nil, err
	}
	if st.Creates == nil {
		st.Creates = map[string]int{}
	}
	if st.CreateCalls == nil {
		st.CreateCalls = map[string]int{}
	}
	if st.Deletes == nil {
		st.Deletes = map[string]int{}
	}
	return st, nil
}

func (t *tx) saveStats(st *Stats) error {
	return writeJSON(filepath.Join(t.s.dir, statsFile), st)
}

// updateStats applies f to the stats and saves them.
func (t *tx) updateStats(f func(*Stats)) error {
	st, err := t.stats()
	if err != nil {
		return err
	}
	f(st)
	return t.saveStats(st)
}

// inflight returns the account creations in progress, dropping stale
// entries: expired ones and those whose process is gone.
func (t *tx) inflight(now time.Time) ([]inflight, error) {
	var all []inflight
	if err := readJSON(filepath.Join(t.s.dir, inflightFile), &all); err != nil {
		return nil, err
	}
	var live []inflight
	for _, e := range all {
		if now.After(e.Expires) || !processAlive(e.PID) {
			continue
		}
		live = append(live, e)
	}
	return live, nil
}

func (t *tx) saveInflight(es []inflight) error {
	if es == nil {
		es = []inflight{}
	}
	return writeJSON(filepath.Join(t.s.dir, inflightFile), es)
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
