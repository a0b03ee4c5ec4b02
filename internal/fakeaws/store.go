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

// inputs are the record's inputs; nil for no record.
func (r *Record) inputs() map[string]any {
	if r == nil {
		return nil
	}
	return r.Inputs
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

// fileName turns a type token, region or id into a file name.
func fileName(s string) string {
	return strings.NewReplacer(":", "_", "/", "_").Replace(s)
}

// globalServices are the services whose resources are not regional: IAM
// (IAM User Guide: "IAM is a global service"), Organizations (its
// entities are global; the API is served from one region), and S3, whose
// bucket names are one namespace shared by all accounts and regions (S3
// User Guide, "General purpose bucket naming rules"), its configuration
// resources being keyed by bucket name; AWS Budgets and Cost Explorer,
// which are account-wide (one endpoint, us-east-1); and a Shield Advanced
// subscription, which covers the whole account.
var globalServices = []string{"aws:organizations/", "aws:iam/", "aws:s3/", "aws:budgets/", "aws:costexplorer/", "aws:shield/subscription:"}

// regionKeyed reports whether the records of a type are kept per region:
// every regional type, so that ids that are names unique only within a
// region (CloudWatch Logs log group names, CloudTrail trail names) do
// not collide across regions.
func regionKeyed(typ string) bool {
	for _, p := range globalServices {
		if strings.HasPrefix(typ, p) {
			return false
		}
	}
	return true
}

func (t *tx) typeDir(account, typ string) string {
	return filepath.Join(t.s.dir, accountsDir, account, fileName(typ))
}

// recordDir is the folder of a type's records: the type's folder, and in
// it a folder per region for a regional type.
func (t *tx) recordDir(account, region, typ string) string {
	d := t.typeDir(account, typ)
	if regionKeyed(typ) {
		if region == "" {
			region = "no-region"
		}
		d = filepath.Join(d, fileName(region))
	}
	return d
}

func (t *tx) path(account, region, typ, id string) string {
	return filepath.Join(t.recordDir(account, region, typ), fileName(id)+".json")
}

// get returns the record, or nil when there is none. region is ignored
// for a global type.
func (t *tx) get(account, region, typ, id string) (*Record, error) {
	r, err := readRecord(t.path(account, region, typ, id))
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

// readRecords reads the records in dir and, with regions, in its
// subfolders (a regional type's region folders).
func readRecords(dir string, regions bool) ([]*Record, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fakeaws: list %s: %w", dir, err)
	}
	var out []*Record
	for _, e := range entries {
		if e.IsDir() {
			if regions {
				rs, err := readRecords(filepath.Join(dir, e.Name()), false)
				if err != nil {
					return nil, err
				}
				out = append(out, rs...)
			}
			continue
		}
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		r, err := readRecord(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

func sortRecords(rs []*Record) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Type != rs[j].Type {
			return rs[i].Type < rs[j].Type
		}
		if rs[i].ID != rs[j].ID {
			return rs[i].ID < rs[j].ID
		}
		return rs[i].Region < rs[j].Region
	})
}

// list returns the records of a type in an account, every region of a
// regional type included, sorted by id.
func (t *tx) list(account, typ string) ([]*Record, error) {
	out, err := readRecords(t.typeDir(account, typ), regionKeyed(typ))
	sortRecords(out)
	return out, err
}

// listIn returns the records of a type in an account and, for a regional
// type, one region; sorted by id.
func (t *tx) listIn(account, region, typ string) ([]*Record, error) {
	if !regionKeyed(typ) {
		return t.list(account, typ)
	}
	out, err := readRecords(t.recordDir(account, region, typ), false)
	sortRecords(out)
	return out, err
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

// all returns every record, sorted by account, type, id and region.
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
			// A type folder holds records, or region folders of records.
			rs, err := readRecords(filepath.Join(t.s.dir, accountsDir, a, ty.Name()), true)
			if err != nil {
				return nil, err
			}
			recs = append(recs, rs...)
		}
		sortRecords(recs)
		out = append(out, recs...)
	}
	return out, nil
}

// put writes a record atomically (readers without the lock never see a
// partial file).
func (t *tx) put(r *Record) error {
	if err := os.MkdirAll(t.recordDir(r.Account, r.Region, r.Type), 0o755); err != nil {
		return fmt.Errorf("fakeaws: create %s: %w", r.Type, err)
	}
	return writeJSON(t.path(r.Account, r.Region, r.Type, r.ID), r)
}

func (t *tx) remove(r *Record) error {
	err := os.Remove(t.path(r.Account, r.Region, r.Type, r.ID))
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
