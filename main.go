// Command tierzone is the Pulumi program: `pulumi preview` / `pulumi up` run
// it per stack. It only reads the stack's settings and composes the landing
// zone from the built-in catalog; see package landingzone.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
)

func main() {
	pulumi.Run(landingzone.Program(customers.Catalog()))
}
