package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/stackconfig"
	"github.com/tierzone/tierzone/validation"
)

// ProjectFile is the Pulumi project file that marks the project directory.
const ProjectFile = "Pulumi.yaml"

// FindProjectDir walks up from start to the first directory holding
// Pulumi.yaml.
func FindProjectDir(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("find project: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, ProjectFile)); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no %s in %s or any parent directory; run from the Tierzone checkout or pass --dir", ProjectFile, start)
		}
		dir = parent
	}
}

// Stacks lists the stacks that have a settings file in dir, sorted.
func Stacks(dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
	var out []string
	for _, m := range matches {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "Pulumi."), ".yaml"))
	}
	sort.Strings(out)
	return out
}

// LoadStack reads Pulumi.<stack>.yaml from dir into the config map the
// engine would hand the program. A missing or malformed file is a
// *validation.Error (bad input); an unreadable one an ordinary error.
func LoadStack(dir, stack string) (map[string]string, error) {
	path := stackconfig.File(dir, stack)
	cfg, err := stackconfig.Load(path, recorder.Project)
	if err == nil {
		return cfg, nil
	}
	subject := fmt.Sprintf("stack %q", stack)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &validation.Error{Problems: []validation.Problem{{Subject: subject,
			Message: fmt.Sprintf("no %s (stacks in %s: %s)", filepath.Base(path), dir, strings.Join(Stacks(dir), ", "))}}}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, err
	}
	return nil, &validation.Error{Problems: []validation.Problem{{Subject: subject, Field: filepath.Base(path), Message: err.Error()}}}
}

// UseCatalogFile drops the stack's customer selection: a catalog file
// plans every customer it lists. It returns a new map.
func UseCatalogFile(cfg map[string]string) map[string]string {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		if k != landingzone.ConfigNamespace+":"+landingzone.KeyCustomers {
			out[k] = v
		}
	}
	return out
}
