package recorder

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Project is the Pulumi project name Tierzone runs under.
const Project = "tierzone"

// WithConfig sets the program's stack config (full "namespace:key" keys,
// values as Pulumi passes them: strings as-is, structured values as JSON),
// the way the engine would from Pulumi.<stack>.yaml.
func WithConfig(cfg map[string]string) pulumi.RunOption {
	return func(info *pulumi.RunInfo) {
		info.Config = cfg
	}
}

// Run executes program under the mock monitor for stack and returns the
// recorder with everything it registered. The error is the program's.
func Run(stack string, cfg map[string]string, program pulumi.RunFunc) (*Recorder, error) {
	rec := New(Project, stack)
	err := pulumi.RunErr(program, pulumi.WithMocks(Project, stack, rec), WithConfig(cfg))
	return rec, err
}
