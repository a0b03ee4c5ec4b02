package recorder

import (
	"fmt"
	"runtime/debug"

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
//
// The program runs on a goroutine of its own, as under `pulumi up` where
// main calls pulumi.Run: the SDK records the whole Go stack with every
// registration (for the engine's diagnostics; the mock drops it), and the
// caller's frames (a CLI, a test) would only make each one longer. A panic
// in the program is raised again in the caller's goroutine.
func Run(stack string, cfg map[string]string, program pulumi.RunFunc) (*Recorder, error) {
	rec := New(Project, stack)
	type result struct {
		err      error
		panicked any
		stack    []byte
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{panicked: p, stack: debug.Stack()}
			}
		}()
		done <- result{err: pulumi.RunErr(program, pulumi.WithMocks(Project, stack, rec), WithConfig(cfg))}
	}()
	r := <-done
	if r.panicked != nil {
		panic(fmt.Sprintf("%v\n\nprogram goroutine:\n%s", r.panicked, r.stack))
	}
	return rec, r.err
}
