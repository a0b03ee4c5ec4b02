// Command tierzone is Tierzone's command line. `tierzone plan` runs the real
// landing-zone program offline, against the Pulumi SDK's mock monitor, and
// prints what it would build; `tierzone validate` only checks the stack
// settings and the catalog. Neither needs AWS credentials or the Pulumi CLI.
//
// Exit codes: 0 success, 1 failure, 2 invalid input or usage (the problems
// or the usage on stderr, nothing on stdout).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tierzone/tierzone/validation"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitInvalid = 2
)

// command is one subcommand. run gets the arguments after the command name;
// it returns a *usageError or *validation.Error for bad input (exit 2) and
// any other error for a failure (exit 1).
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands is the command table, in the order usage lists them. Add a
// command with one line.
func commands() []command {
	return []command{
		{"plan", "print what the landing zone would build, offline (no AWS, no Pulumi CLI)", runPlan},
		{"report", "write the offline plan as one self-contained HTML page (= plan --format html)", runReport},
		{"validate", "check the stack settings and the catalog; register nothing", runValidate},
		{"directory", "list every customer: tier, frameworks, OU, account, region, CIDR, contacts, price, dashboard (--tier, --search)", runDirectory},
		{"preview", "preview a stack's changes with the policy pack (Automation API; needs the pulumi CLI)", runPreview},
		{"up", "create or update a stack's landing zone (Automation API; needs the pulumi CLI and AWS)", runUp},
		{"destroy", "delete a stack's resources (protected accounts make it fail; see docs/embedding.md)", runDestroy},
		{"refresh", "read the real state of a stack's resources into its state", runRefresh},
		{"manifests", "print a sharded stack's Kubernetes Operator Stacks, its pull-request workflow or its fingerprints", runManifests},
		{"changed", "select the stacks a pull request changed from two sets of fingerprints (a GitHub matrix)", runChanged},
		{"migrate", "move a stack of the single layout to the sharded layout without touching AWS", runMigrate},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitInvalid
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return exitCode(c.run(args[1:], stdout, stderr), stderr)
		}
	}
	fmt.Fprintf(stderr, "tierzone: unknown command %q\n\n", name)
	usage(stderr)
	return exitInvalid
}

// exitCode reports err on stderr and maps it to an exit code.
func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	var ve *validation.Error
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		if ue.msg != "" {
			fmt.Fprintf(stderr, "tierzone %s: %s\n\n", ue.cmd, ue.msg)
		}
		fmt.Fprint(stderr, ue.usage)
		return exitInvalid
	case errors.As(err, &ve):
		fmt.Fprintln(stderr, ve.Error())
		return exitInvalid
	default:
		msg := err.Error()
		// Errors from Tierzone's packages already say where they come from
		// ("tierzone automation: ..."); one prefix is enough.
		if !strings.HasPrefix(msg, "tierzone") {
			msg = "tierzone: " + msg
		}
		fmt.Fprintln(stderr, msg)
		return exitFailure
	}
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("Usage: tierzone <command> [flags]\n\nCommands:\n")
	width := 0
	for _, c := range commands() {
		width = max(width, len(c.name))
	}
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, c.name, c.summary)
	}
	b.WriteString("\nRun `tierzone <command> -h` for a command's flags.\n")
	b.WriteString("Exit codes: 0 ok, 1 failure, 2 invalid input or usage.\n")
	fmt.Fprint(w, b.String())
}

// usageError is a command line the command cannot run: unknown flag, bad
// flag value, stray argument. It carries the command's usage.
type usageError struct {
	cmd, msg, usage string
}

func (e *usageError) Error() string { return "tierzone " + e.cmd + ": " + e.msg }

// errHelp is returned by parseFlags for -h: the usage went to stdout.
var errHelp = errors.New("help requested")

// newFlagSet returns a flag set that reports nothing itself; parseFlags
// turns its errors into usage errors.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// flagUsage renders a flag set's usage.
func flagUsage(fs *flag.FlagSet, synopsis string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: tierzone %s %s\n\nFlags:\n", fs.Name(), synopsis)
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return b.String()
}

// parseFlags parses args; -h prints the usage on stdout and returns errHelp.
func parseFlags(fs *flag.FlagSet, synopsis string, args []string, stdout io.Writer) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, flagUsage(fs, synopsis))
		return errHelp
	case err != nil:
		return &usageError{cmd: fs.Name(), msg: err.Error(), usage: flagUsage(fs, synopsis)}
	case fs.NArg() > 0:
		return &usageError{cmd: fs.Name(), msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0)), usage: flagUsage(fs, synopsis)}
	}
	return nil
}
