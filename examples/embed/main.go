// Command embed shows how another tool embeds Tierzone through the
// Automation API: its own customer catalog and settings as Go values, a
// stack on a local file backend in a directory it owns, progress on stderr,
// engine events on a channel, and typed results.
//
//	export PULUMI_CONFIG_PASSPHRASE=...   # secrets of the local stack
//	go run ./examples/embed -op preview -work-dir /tmp/tierzone-embed \
//	    -root r-abcd -org o-abcdefghij -mailbox aws@example.com
//
// It needs the pulumi CLI on PATH and AWS credentials for the organization's
// management account; see docs/embedding.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/validation"
)

func main() {
	op := flag.String("op", "preview", "preview, up, destroy or refresh")
	stack := flag.String("stack", "embedded", "stack name")
	workDir := flag.String("work-dir", "", "directory for the workspace and the local state (required)")
	root := flag.String("root", "", "organization root (r-xxxx) or OU to put the tier OUs under")
	org := flag.String("org", "", "organization id (o-xxxxxxxxxx)")
	mailbox := flag.String("mailbox", "", "mailbox account e-mails are plus-addressed on")
	flag.Parse()
	os.Exit(run(*op, *stack, *workDir, *root, *org, *mailbox))
}

// catalog is the embedding tool's own customers: here one Standard-tier
// customer, instead of Tierzone's built-in catalog.
func catalog() []customers.Customer {
	return []customers.Customer{{
		Key:     "example-corp",
		Name:    "Example Corp",
		Tier:    "standard",
		VPCCIDR: "10.42.0.0/16",
		Tags:    map[string]string{"cost-center": "cc-1234"},
	}}
}

func run(opName, stack, workDir, root, org, mailbox string) int {
	op, err := automation.ParseOp(opName)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if workDir != "" {
		if err := os.MkdirAll(workDir, 0o700); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}

	settings := landingzone.Defaults()
	settings.OrganizationRootID = root
	settings.OrganizationID = org
	settings.AccountEmailMailbox = mailbox
	settings.NamePrefix = "tz-embed"
	settings.Protect = false // a sandbox stack that can be destroyed

	// Engine events arrive while the operation runs; Tierzone never closes
	// the channel, so the reader lives as long as the program.
	evs := make(chan events.EngineEvent)
	go func() {
		for e := range evs {
			if e.ResourcePreEvent != nil {
				m := e.ResourcePreEvent.Metadata
				fmt.Fprintf(os.Stderr, "event: %s %s\n", m.Op, m.URN)
			}
			if e.DiagnosticEvent != nil && e.DiagnosticEvent.Severity == "error" {
				fmt.Fprintf(os.Stderr, "event: error: %s", e.DiagnosticEvent.Message)
			}
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := automation.Run(ctx, op, automation.Options{
		Stack:    stack,
		WorkDir:  workDir,
		Catalog:  catalog(),
		Settings: settings,
		Progress: os.Stderr,
		Events:   evs,
	})
	var invalid *validation.Error
	switch {
	case errors.As(err, &invalid):
		// Bad input: every problem, naming the customer or setting and the
		// field; nothing was created.
		for _, p := range invalid.Problems {
			fmt.Fprintln(os.Stderr, "invalid:", p)
		}
		return 2
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return 1
	}

	fmt.Printf("%s of %s:", res.Op, res.Stack)
	kinds := make([]string, 0, len(res.Changes))
	for k := range res.Changes {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Printf(" %s=%d", k, res.Changes[k])
	}
	fmt.Println()
	for key, c := range res.Customers {
		fmt.Printf("%s: account %s, VPC %s, private subnets %v\n", key, c.AccountID, c.VPCID, c.PrivateSubnetIDs)
	}
	return 0
}
