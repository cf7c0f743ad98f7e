package auth

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Password limits. The upper bound keeps a hostile sign-in from making the
// server hash megabytes.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 256

	defaultIterations = 600_000
	saltLen           = 16
	keyLen            = 32
	hashScheme        = "pbkdf2-sha256"
)

// CheckPassword reports whether pw is acceptable as a new password.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen {
		return fmt.Errorf("%w: at least %d characters", ErrInvalidPassword, MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return fmt.Errorf("%w: at most %d bytes", ErrInvalidPassword, MaxPasswordLen)
	}
	return nil
}

// HashPassword returns the encoded hash of pw:
// "pbkdf2-sha256$ITERATIONS$SALT$KEY" with base64 (raw, standard) salt and key.
func HashPassword(pw string) (string, error) {
	return hashPassword(pw, defaultIterations)
}

func hashPassword(pw string, iter int) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	key, err := pbkdf2.Key(sha256.New, pw, salt, iter, keyLen)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("%s$%d$%s$%s", hashScheme, iter, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches encoded. A malformed encoding
// never matches.
func VerifyPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 4 || parts[0] != hashScheme || len(pw) > MaxPasswordLen {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 || iter > 10_000_000 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, pw, salt, iter, len(want))
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a sign-in names an unknown user, so
// that the response time does not tell which user names exist.
// It is computed on first use: hashing at init would slow every command.
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword("not-a-real-password", defaultIterations)
	return h
})
