package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/landingzone"
)

// A customer stack whose inputs and state are byte for byte those of a run
// that found nothing to change would find nothing again: the program reads
// nothing but its config and the catalog (no provider invokes), so the
// engine's plan is a function of the program, the CLI, the config, the
// customer's spec and the state. With Options.SkipUnchanged the fleet does
// not run such a stack's preview or up again; it reports the clean run it
// repeats. The organization stack always runs.
//
// The record of a clean run is kept in the customer's workspace directory
// (WorkDir/customers/<key>), so a fresh machine runs every stack once.

// cleanRunFile is a customer workspace's record of its last clean run.
const cleanRunFile = "tierzone-clean-run.json"

// cleanRunVersion is the record's format; another version never matches.
const cleanRunVersion = 1

// CleanRun is a run of a customer stack that found nothing to change.
type CleanRun struct {
	Version int           `json:"version"`
	Op      automation.Op `json:"op"`
	At      time.Time     `json:"at"`
	// Inputs hashes what the stack's plan depends on besides its state;
	// State hashes the state after the run.
	Inputs  string         `json:"inputs"`
	State   string         `json:"state"`
	Changes map[string]int `json:"changes"`
}

// clean reports whether a run's changes are all "same" (or "read").
func clean(changes map[string]int) bool {
	return Changes(changes) == 0 && changes["same"] > 0
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// hashFile hashes a file's content.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// secretEnv are environment variables whose values a record must not
// depend on: changing a credential for the same identity changes no plan.
func secretEnv(name string) bool {
	for _, s := range []string{"PASSPHRASE", "SECRET", "TOKEN", "PASSWORD"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// toolchain hashes what every customer stack's plan shares: the running
// program (the inline program is this executable's code), the CLI, the
// policy packs, the backend and the environment given to the CLI.
func (f *fleet) toolchain() (string, error) {
	f.toolOnce.Do(func() {
		doc := map[string]any{"stack": f.opts.Stack, "backend": f.backend, "secretsProvider": f.opts.SecretsProvider}
		exe, err := os.Executable()
		if err == nil {
			doc["program"], err = hashFile(exe)
		}
		if err != nil {
			f.toolErr = fmt.Errorf("tierzone fleet: hash the running program: %w", err)
			return
		}
		if f.opts.Command != nil {
			doc["cli"] = f.opts.Command.Version().String()
		} else if path, err := exec.LookPath("pulumi"); err == nil {
			if fi, err := os.Stat(path); err == nil {
				doc["cli"] = fmt.Sprintf("%s %d %s", path, fi.Size(), fi.ModTime().UTC().Format(time.RFC3339Nano))
			}
		}
		env := map[string]string{}
		for k, v := range f.opts.EnvVars {
			if secretEnv(k) {
				v = "(set)"
			}
			env[k] = v
		}
		doc["env"] = env
		packs := map[string]string{}
		for _, dir := range f.opts.PolicyPacks {
			if packs[dir], err = hashTree(dir); err != nil {
				f.toolErr = fmt.Errorf("tierzone fleet: hash policy pack %s: %w", dir, err)
				return
			}
		}
		doc["policyPacks"] = packs
		b, err := json.Marshal(doc)
		if err != nil {
			f.toolErr = err
			return
		}
		f.toolHash = sha(b)
	})
	return f.toolHash, f.toolErr
}

// hashTree hashes every regular file under dir, by relative path.
func hashTree(dir string) (string, error) {
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		h, err := hashFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %s\n", filepath.ToSlash(rel), h)
		return nil
	})
	return sha([]byte(b.String())), err
}

// customerInputs hashes what one customer stack's plan depends on besides
// its state: the toolchain, the stack config the fleet writes (with the
// organization stack's outputs for it) and the customer's resolved spec.
// Another customer's spec is not in it: names and CIDRs are per customer,
// so another customer's change never changes this stack's resources.
func (f *fleet) customerInputs(key string, s landingzone.Settings) (string, error) {
	tool, err := f.toolchain()
	if err != nil {
		return "", err
	}
	cfg, err := automation.ConfigMap(s)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(f.plan.Customers, func(c landingzone.CustomerSpec) bool { return c.Customer.Key == key })
	if i < 0 {
		return "", fmt.Errorf("tierzone fleet: customer %q is not in the plan", key)
	}
	b, err := json.Marshal(map[string]any{
		"version": cleanRunVersion, "toolchain": tool, "stack": CustomerStackName(f.opts.Stack, key),
		"config": cfg, "customer": f.plan.Customers[i],
	})
	if err != nil {
		return "", fmt.Errorf("tierzone fleet: hash the inputs of %s: %w", key, err)
	}
	return sha(b), nil
}

// stateFiles are where a file:// backend keeps a stack's checkpoint (the
// project layout, gzipped or not, and the legacy one); ok is false for
// other backends.
func (f *fleet) stateFiles(stack string) (files []string, ok bool) {
	u, err := url.Parse(f.backend)
	if err != nil || u.Scheme != "file" {
		return nil, false
	}
	dir := filepath.FromSlash(u.Path)
	if u.Host != "" && u.Host != "localhost" {
		// file://relative/dir
		dir = filepath.Join(u.Host, dir)
	}
	name := stackPart(stack)
	stacks := filepath.Join(dir, ".pulumi", "stacks")
	return []string{
		filepath.Join(stacks, automation.ProjectName, name+".json"),
		filepath.Join(stacks, automation.ProjectName, name+".json.gz"),
		filepath.Join(stacks, name+".json"),
		filepath.Join(stacks, name+".json.gz"),
	}, true
}

// stateDigest hashes a customer stack's state. On a file:// backend it
// reads the checkpoint files without running the CLI; elsewhere it
// exports the stack (one CLI run, no program and no plugin). A stack with
// no state hashes to "".
func (f *fleet) stateDigest(ctx context.Context, key string, s landingzone.Settings) (string, error) {
	stack := CustomerStackName(f.opts.Stack, key)
	if files, ok := f.stateFiles(stack); ok {
		var b strings.Builder
		for _, p := range files {
			h, err := hashFile(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return "", fmt.Errorf("tierzone fleet: read the state of %s: %w", stack, err)
			}
			fmt.Fprintf(&b, "%s %s\n", filepath.Base(p), h)
		}
		if b.Len() == 0 {
			return "", nil
		}
		return sha([]byte(b.String())), nil
	}
	r, err := f.runner(ctx, stack, filepath.Join("customers", key), s)
	if err != nil {
		return "", err
	}
	dep, err := r.Stack().Export(ctx)
	if err != nil {
		return "", fmt.Errorf("tierzone fleet: export %s: %w", stack, err)
	}
	if len(dep.Deployment) == 0 {
		return "", nil
	}
	return sha(dep.Deployment), nil
}

func (f *fleet) cleanRunPath(key string) string {
	return filepath.Join(f.opts.WorkDir, "customers", key, cleanRunFile)
}

// lastCleanRun is the customer stack's record, if it still holds: same
// inputs, and state (whose digest is state) as the run left it. A missing
// or unreadable record is no record.
func (f *fleet) lastCleanRun(key, inputs, state string) *CleanRun {
	raw, err := os.ReadFile(f.cleanRunPath(key))
	if err != nil {
		return nil
	}
	var rec CleanRun
	if json.Unmarshal(raw, &rec) != nil || rec.Version != cleanRunVersion || rec.Inputs != inputs || rec.State == "" || rec.State != state {
		return nil
	}
	return &rec
}

// recordCleanRun keeps the record of a clean preview or up, in place of
// the stack's earlier record. Other runs leave the record: it holds as long
// as inputs and state are its own, whatever ran in between. before is the
// state's digest before the run: a preview that saw the state change under
// it records nothing.
func (f *fleet) recordCleanRun(ctx context.Context, key, inputs, before string, s landingzone.Settings, res Result) error {
	path := f.cleanRunPath(key)
	if res.Err != nil || !clean(res.Changes) || (res.Op != automation.OpPreview && res.Op != automation.OpUp) {
		return nil
	}
	st, err := f.stateDigest(ctx, key, s)
	if err != nil {
		return err
	}
	if st == "" || (res.Op == automation.OpPreview && st != before) {
		return nil
	}
	b, err := json.MarshalIndent(CleanRun{Version: cleanRunVersion, Op: res.Op, At: time.Now().UTC(), Inputs: inputs, State: st, Changes: res.Changes}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("tierzone fleet: record the clean run of %s: %w", key, err)
	}
	return nil
}
