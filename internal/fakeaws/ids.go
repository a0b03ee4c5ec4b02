package fakeaws

import (
	"crypto/rand"
	"fmt"
	"hash/crc32"
	"math/big"
	"strings"
)

const (
	hexDigits   = "0123456789abcdef"
	alnumDigits = "0123456789abcdefghijklmnopqrstuvwxyz"
)

// randomString returns n characters drawn from alphabet.
func randomString(alphabet string, n int) string {
	var b strings.Builder
	max := big.NewInt(int64(len(alphabet)))
	for range n {
		i, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(fmt.Sprintf("fakeaws: crypto/rand: %v", err))
		}
		b.WriteByte(alphabet[i.Int64()])
	}
	return b.String()
}

// ec2ID is an EC2 resource id: "<prefix>-" and 17 lowercase hex characters
// (EC2 User Guide, "Resource IDs": the long id format).
func ec2ID(prefix string) string { return prefix + "-" + randomString(hexDigits, 17) }

// accountID is a random 12-digit AWS account id.
func accountID() string { return randomString("0123456789", 12) }

// ouID is "ou-<root suffix>-<8 lowercase alnum>" (Organizations API
// reference, OrganizationalUnit Id pattern ^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$).
func ouID(rootID string) string {
	return "ou-" + strings.TrimPrefix(rootID, "r-") + "-" + randomString(alnumDigits, 8)
}

// policyID is "p-" and 8 lowercase alnum (Organizations Policy Id pattern
// ^p-[0-9a-zA-Z_]{8,128}$).
func policyID() string { return "p-" + randomString(alnumDigits, 8) }

// uuid is a random (version 4) UUID, the KMS key id format.
func uuid() string {
	h := randomString(hexDigits, 32)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// roleUniqueID is an IAM role's unique id: "AROA" and 17 upper-case
// alnum (IAM User Guide, "Unique identifiers").
func roleUniqueID() string {
	return "AROA" + randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17)
}

// routeID is pulumi-aws's Route id: "r-" + route table id + the CRC-32
// hash code of the destination (terraform-provider-aws route.go,
// routeCreateID).
func routeID(routeTableID, destination string) string {
	return fmt.Sprintf("r-%s%d", routeTableID, int(crc32.ChecksumIEEE([]byte(destination))))
}

// publicIP is an address in a documentation range (RFC 5737), never a
// real one.
func publicIP() string {
	return "203.0.113." + randomString("123456789", 1) + randomString("0123456789", 1)
}

// autoName is pulumi-aws's autoname: the resource name, "-", 7 random
// lowercase hex characters. With a seed the suffix is derived from it, so
// the same Check request gives the same name.
func autoName(name string, seed []byte) string {
	if len(seed) == 0 {
		return name + "-" + randomString(hexDigits, 7)
	}
	sum := crc32.ChecksumIEEE(seed)
	return fmt.Sprintf("%s-%07x", name, sum&0xfffffff)
}
