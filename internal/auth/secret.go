package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Prefixes make a leaked secret recognisable (secret scanners, logs) and
// tell a token from a session id.
const (
	TokenPrefix   = "hj_"
	sessionPrefix = "hjs_"
)

// newSecret returns a fresh secret with prefix and the SHA-256 of it, which
// is all the store keeps.
func newSecret(prefix string) (plain string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	plain = prefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashSecret(plain)
}

// HashSecret is the stored form of a token or session id.
func HashSecret(plain string) []byte {
	h := sha256.Sum256([]byte(strings.TrimSpace(plain)))
	return h[:]
}
