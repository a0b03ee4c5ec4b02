// Command pulumi-resource-aws is the fake aws provider plugin: put its
// directory first on PATH and the Pulumi engine runs it instead of the real
// pulumi-resource-aws. The cloud lives in $FAKEAWS_DIR (see package
// fakeaws). It is test tooling, never used by the product.
//
// It does what the SDK's provider.Main does (parse flags, health-check the
// engine, serve the provider on a free port and print the port), written
// against rpcutil because provider.Main's package needs a module
// (go.opentelemetry.io/otel/bridge/opentracing) that Tierzone's go.mod does
// not require.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"

	"github.com/tierzone/tierzone/internal/fakeaws"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-resource-aws (fakeaws):", err)
		os.Exit(1)
	}
}

func run() error {
	// The engine may pass -tracing (ignored); glog defines the logging
	// flags (-v, --logtostderr).
	flag.String("tracing", "", "ignored")
	flag.Parse()

	srv, err := fakeaws.NewServerFromEnv()
	if err != nil {
		return err
	}

	// The engine stops a provider with SIGINT.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	if args := flag.Args(); len(args) == 1 {
		// Stop when the engine goes away.
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		if err := rpcutil.Healthcheck(ctx, args[0], 5*time.Minute, cancel); err != nil {
			return fmt.Errorf("health check of the engine at %s: %w", args[0], err)
		}
	} else if len(args) > 1 {
		return fmt.Errorf("expected at most one argument (the engine address), got %d", len(args))
	}
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterResourceProviderServer(s, srv)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// The plugin protocol: print the port we listen on.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
