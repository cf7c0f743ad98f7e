package risk

import (
	"unicode"
	"unicode/utf8"
)

// sigK is the number of min-hashes in a Signature; numSigs the number of
// earlier customer turns a new one is compared with.
const (
	sigK    = 8
	numSigs = 4
)

// Signature is a min-hash sketch of a text's character bigrams (letters,
// digits and Chinese characters only; case folded): the share of equal
// entries of two signatures estimates the Jaccard similarity of their
// bigram sets. It finds a customer repeating the same complaint in other
// words around it, without storing the text.
type Signature struct {
	// N is the number of distinct-position bigrams seen (0: empty).
	N int          `json:"n"`
	H [sigK]uint32 `json:"h"`
}

// minRepeatBigrams is the shortest text (in bigrams) compared: "好的" twice
// is no repeated complaint.
const minRepeatBigrams = 8

// repeatSimilarity is the estimated Jaccard similarity from which a turn
// repeats an earlier one.
const repeatSimilarity = 0.5

var sigSeeds = [sigK]uint32{0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1, 0xD3A2646C, 0xFD7046C5, 0xB55A4F09}

func signature(text string) Signature {
	var s Signature
	for i := range s.H {
		s.H[i] = ^uint32(0)
	}
	var prev rune = -1
	for i := 0; i < len(text); {
		c := rune(text[i])
		size := 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		switch {
		case c < utf8.RuneSelf:
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				continue
			}
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			continue
		}
		if prev >= 0 {
			x := uint32(prev)*0x01000193 ^ uint32(c)*0x2545F491
			for k := range s.H {
				h := mix(x ^ sigSeeds[k])
				if h < s.H[k] {
					s.H[k] = h
				}
			}
			s.N++
		}
		prev = c
	}
	return s
}

// mix is the 32-bit finaliser of MurmurHash3.
func mix(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85EBCA6B
	h ^= h >> 13
	h *= 0xC2B2AE35
	h ^= h >> 16
	return h
}

// similarity estimates the Jaccard similarity of two texts' bigram sets.
func (s Signature) similarity(o Signature) float64 {
	if s.N == 0 || o.N == 0 {
		return 0
	}
	eq := 0
	for k := range s.H {
		if s.H[k] == o.H[k] {
			eq++
		}
	}
	return float64(eq) / sigK
}
