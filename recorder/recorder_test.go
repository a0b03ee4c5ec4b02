package recorder

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// hex16 must spell a sum exactly as the ids of earlier plans did.
func TestHex16IsZeroPaddedHex(t *testing.T) {
	for _, sum := range []uint64{0, 1, 0xabc, 1 << 63, ^uint64(0), mockSum("aws:ec2/vpc:Vpc", "acme")} {
		if got, want := hex16(sum), fmt.Sprintf("%016x", sum); got != want {
			t.Errorf("hex16(%d) = %q, want %q", sum, got, want)
		}
	}
}

func TestMockIDShapes(t *testing.T) {
	for typ, prefix := range map[string]string{
		"aws:ec2/vpc:Vpc": "vpc-", "aws:ec2/flowLog:FlowLog": "fl-",
		"aws:organizations/policy:Policy": "p-", "aws:s3/bucketV2:BucketV2": "x-",
	} {
		id := MockID(typ, "x")
		if len(id) < len(prefix) || id[:len(prefix)] != prefix {
			t.Errorf("MockID(%s) = %q, want prefix %q", typ, id, prefix)
		}
	}
	if id := MockID("aws:organizations/account:Account", "acme"); len(id) != 12 {
		t.Errorf("account id %q: want 12 digits", id)
	}
}

func TestRunReturnsTheProgramsErrorAndRaisesItsPanic(t *testing.T) {
	rec, err := Run("dev", nil, func(ctx *pulumi.Context) error { return fmt.Errorf("bad catalog") })
	if err == nil || rec == nil || !strings.Contains(err.Error(), "bad catalog") {
		t.Fatalf("Run = %v, %v; want the program's error", rec, err)
	}
	defer func() {
		p := recover()
		if p == nil || !strings.Contains(fmt.Sprint(p), "boom") || !strings.Contains(fmt.Sprint(p), "program goroutine") {
			t.Fatalf("recovered %v; want the program's panic with its stack", p)
		}
	}()
	_, _ = Run("dev", nil, func(ctx *pulumi.Context) error { panic("boom") })
	t.Fatal("Run returned after the program panicked")
}
