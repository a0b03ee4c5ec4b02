// Package enginetest sets up runs of Tierzone under the real Pulumi engine
// against the test-double AWS provider (internal/fakeaws): it finds the
// pinned CLI, builds the fake provider plugin and the policy pack
// executable, and gives the environment a run needs. The engine tests
// (tests/engine) and the engine benchmark (internal/enginebench) use it;
// the product never imports it.
package enginetest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/internal/fakeaws"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/plan"
)

// The fake organization runs deploy into (the fake's defaults).
const (
	FakeRoot       = "r-tz01"
	FakeOrg        = "o-tzfake0001"
	FakeManagement = "111111111111"
	// FakeSecurity is the security tooling account (tierzone:securityAccountId):
	// a member account that exists before Tierzone runs, as it must in AWS.
	FakeSecurity = "222222222222"
)

// SeedSecurityAccount puts the security tooling account into a fake cloud
// (an invited member account with the organization access role), before
// any engine run.
func SeedSecurityAccount(cloudDir string) error {
	return fakeaws.SeedAccount(cloudDir, FakeSecurity, "Security Tooling", "aws-security@tierzone.example")
}

// ErrNoCLI means the pinned Pulumi CLI has not been built.
var ErrNoCLI = errors.New("the engine runs need the pinned Pulumi CLI: run scripts/pulumi-cli (builds it once, about 8 minutes) or set TIERZONE_PULUMI to a .../bin/pulumi")

// Tools are the binaries a run needs.
type Tools struct {
	// Root is the repository.
	Root string
	// CLI runs the pinned pulumi binary in CLIDir.
	CLI    auto.PulumiCommand
	CLIDir string
	// PluginDir holds pulumi-resource-aws, the fake provider.
	PluginDir string
	// PolicyPack is the compliance pack built as an executable, which the
	// engine runs given `--policy-pack PATH` (a directory would need the Go
	// language host).
	PolicyPack string
}

// RepoRoot is the repository this package was built from.
func RepoRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("enginetest: cannot locate the repository")
	}
	return filepath.Dir(filepath.Dir(filepath.Dir(file))), nil
}

// Build finds the CLI (TIERZONE_PULUMI, else the one scripts/pulumi-cli
// built) and builds the fake provider and the policy pack into dir. It
// returns ErrNoCLI when there is no CLI.
func Build(dir string) (*Tools, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	cliPath := os.Getenv("TIERZONE_PULUMI")
	if cliPath == "" {
		out, err := exec.Command(filepath.Join(root, "scripts", "pulumi-cli"), "--check").Output()
		if err != nil {
			return nil, ErrNoCLI
		}
		cliPath = strings.TrimSpace(string(out))
	}
	if filepath.Base(filepath.Dir(cliPath)) != "bin" {
		return nil, fmt.Errorf("enginetest: TIERZONE_PULUMI=%s: want a path .../bin/pulumi", cliPath)
	}
	ts := &Tools{Root: root, CLIDir: filepath.Dir(cliPath)}
	ts.CLI, err = auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: filepath.Dir(ts.CLIDir)})
	if err != nil {
		return nil, fmt.Errorf("enginetest: pulumi CLI %s: %w", cliPath, err)
	}
	ts.PluginDir = filepath.Join(dir, "plugins")
	ts.PolicyPack = filepath.Join(dir, "policy", "tierzone-policy")
	for _, b := range []struct{ out, pkg string }{
		{filepath.Join(ts.PluginDir, "pulumi-resource-aws"), "./internal/fakeaws/cmd/pulumi-resource-aws"},
		{ts.PolicyPack, "./policy"},
	} {
		cmd := exec.Command("go", "build", "-o", b.out, b.pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("enginetest: go build %s: %w\n%s", b.pkg, err, out)
		}
	}
	return ts, nil
}

// Env is the environment of the engine and its plugins for a fake cloud in
// cloudDir, with the CLI's home in home (no user's ~/.pulumi is touched).
func (t *Tools) Env(cloudDir, home string) map[string]string {
	sep := string(os.PathListSeparator)
	return map[string]string{
		// The fake comes first on PATH: the engine runs the
		// pulumi-resource-aws it finds there (an ambient plugin).
		"PATH":                       t.PluginDir + sep + t.CLIDir + sep + os.Getenv("PATH"),
		"PULUMI_HOME":                home,
		"PULUMI_CONFIG_PASSPHRASE":   "tierzone-engine-runs",
		"PULUMI_SKIP_UPDATE_CHECK":   "true",
		"FAKEAWS_DIR":                cloudDir,
		"FAKEAWS_MANAGEMENT_ACCOUNT": FakeManagement,
		"FAKEAWS_ORG_ID":             FakeOrg,
		"FAKEAWS_ROOT_ID":            FakeRoot,
	}
}

// Settings are a stack file's settings pointed at the fake organization.
func Settings(root, stack string) (landingzone.Settings, error) {
	cfg, err := plan.LoadStack(root, stack)
	if err != nil {
		return landingzone.Settings{}, err
	}
	s, err := automation.SettingsFromConfigMap(cfg)
	if err != nil {
		return landingzone.Settings{}, err
	}
	s.OrganizationRootID = FakeRoot
	s.OrganizationID = FakeOrg
	s.SecurityAccountID = FakeSecurity
	return s, nil
}
