// Package engine holds Tierzone's engine tests: the real program run by the
// real Pulumi engine (the CLI built by scripts/pulumi-cli) through the
// automation package, on a file backend, against the test-double AWS
// provider in internal/fakeaws. They are behind the `engine` build tag:
//
//	go test -tags engine ./tests/engine/
//
// and skip, saying why, when the CLI is not there.
package engine
