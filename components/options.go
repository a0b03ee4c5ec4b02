package components

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// childOptions parent a child to its component and pass the explicit
// provider down. With no provider (the component provider's case, where the
// program passes one in the component's providers option) the child
// inherits the component's.
func childOptions(parent pulumi.Resource, provider pulumi.ProviderResource) []pulumi.ResourceOption {
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	if provider != nil {
		opts = append(opts, pulumi.Provider(provider))
	}
	return opts
}
