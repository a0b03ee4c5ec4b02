// Command pulumi-resource-tierzone is Tierzone's component provider: it
// serves the component library (tierzone:org:TierOU, tierzone:org:
// CustomerAccount, tierzone:network:CustomerVPC) to Pulumi programs in any
// language. The components are the Go library's own (components/), built
// from a tier key and a customer with landingzone's resolvers, so a YAML,
// TypeScript or Python user gets the same resources, tier rules and
// validation errors as the Go program.
//
// Put the binary on PATH (or `pulumi plugin install resource tierzone
// <version> --file <binary>`); `pulumi package get-schema tierzone` prints
// the schema, pinned in schema.json.
package main

import (
	"context"
	"fmt"
	"os"
)

func main() {
	p, err := Provider()
	if err == nil {
		err = p.Run(context.Background(), Name, Version)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-tierzone: %v\n", err)
		os.Exit(1)
	}
}
