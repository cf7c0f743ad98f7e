// Package textclass holds Huajie's message classifiers: a hashed n-gram
// featuriser shared by all built-in models, linear models over it (emotion,
// sentiment, complaint, offensive, intent), their training and their
// serialised form.
//
// The featuriser reads UTF-8 bytes once and produces 32-bit feature hashes;
// each model maps a hash to a row of its weight table. Nothing is allocated
// per message in steady state, so one Features value can serve every model
// scored for a message (see PredictFeatures).
package textclass

import (
	"unicode/utf8"
)

// Feature kinds, kept per feature for explanations.
const (
	kindChar1 uint8 = iota
	kindChar2
	kindChar3
	kindWord1
	kindWord2
	kindNeg
	kindEmoticon
	kindURL
	kindMention
	kindChar4
	kindChar5
	kindLex
	numKinds
)

var kindNames = [numKinds]string{"char", "char2", "char3", "word", "word2", "neg", "emoticon", "url", "mention", "char4", "char5", "lex"}

// Config selects which features the featuriser emits. Models trained with
// one Config can only score Features extracted with the same Config; every
// built-in model uses DefaultConfig so the analysis engine extracts once.
type Config struct {
	// CharN is the longest character n-gram (1–5).
	CharN int `json:"char_n"`
	// Words adds lower-cased word unigrams and bigrams for Latin-script text.
	Words bool `json:"words"`
	// Negation adds a marked copy of each character or word inside a
	// negation scope (不/没/别/无/未/非…, not/no/never/…n't).
	Negation bool `json:"negation"`
	// Emoticons adds one token per Weibo-style emoticon such as [怒].
	Emoticons bool `json:"emoticons"`
	// Bounds adds begin/end-of-text character n-grams.
	Bounds bool `json:"bounds"`
	// T2S folds Traditional Chinese characters to Simplified before hashing
	// (OpenCC's one-to-one character table).
	T2S bool `json:"t2s,omitempty"`
	// Lexicon adds one token per emotion word of emotion_words.txt, shared
	// by the words of a category.
	Lexicon bool `json:"lexicon,omitempty"`
}

// DefaultConfig is the featuriser configuration of every built-in model.
var DefaultConfig = Config{CharN: 3, Words: true, Negation: true, Emoticons: true, Bounds: true, T2S: true}

func (c Config) valid() bool { return c.CharN >= 1 && c.CharN <= 5 }

// MaxFeatures bounds the features taken from one text; text past the bound
// is ignored (about 80 KB of Chinese). It keeps memory per message fixed.
const MaxFeatures = 1 << 16

// Features is the featurisation of one text: feature hashes with their kinds
// and byte spans. Reuse one value per goroutine; it is not safe for
// concurrent use.
type Features struct {
	cfg  Config
	text string
	hash []uint32 // scanned by every model: kept dense
	meta []featMeta
}

type featMeta struct {
	start, end int32
	kind       uint8
}

// NewFeatures returns an empty Features for DefaultConfig.
func NewFeatures() *Features { return NewFeaturesConfig(DefaultConfig) }

// NewFeaturesConfig returns an empty Features for cfg.
func NewFeaturesConfig(cfg Config) *Features {
	return &Features{cfg: cfg, hash: make([]uint32, 0, 512), meta: make([]featMeta, 0, 512)}
}

// Len is the number of features extracted.
func (f *Features) Len() int { return len(f.hash) }

// Text is the text last extracted.
func (f *Features) Text() string { return f.text }

// Config is the featuriser configuration.
func (f *Features) Config() Config { return f.cfg }

const (
	bos  = 0x1FFFFE // begin-of-text pseudo rune (runes fit in 21 bits)
	eos  = 0x1FFFFD
	none = 0x1FFFFF

	salt1 = 0x9E3779B97F4A7C15
	salt2 = 0xC2B2AE3D27D4EB4F
	salt3 = 0x165667B19E3779F9
	saltW = 0x27D4EB2F165667C5
	saltB = 0x94D049BB133111EB
	saltN = 0xBF58476D1CE4E5B9
	saltE = 0x2545F4914F6CDD1D
	salt4 = 0xD6E8FEB86659FD93
	salt5 = 0xA0761D6478BD642F
	saltL = 0xE7037ED1A0B428DB
)

// mix folds a 64-bit key to a 32-bit hash whose low bits (the bucket) are
// well mixed: one xor-shift and the high half of a multiply.
func mix(x uint64) uint32 {
	x ^= x >> 31
	return uint32((x * 0x9E3779B97F4A7C15) >> 32)
}

func (f *Features) add(h uint32, k uint8, s, e int) {
	f.hash = append(f.hash, h)
	f.meta = append(f.meta, featMeta{int32(s), int32(e), k})
}

// normRune folds a rune to its feature form: full-width ASCII to ASCII,
// upper-case ASCII to lower case, digits to '0', whitespace and control
// characters to ' '.
func normRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	switch {
	case r >= 'A' && r <= 'Z':
		return r + 32
	case r >= '0' && r <= '9':
		return '0'
	case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == 0x3000 || r == 0xA0 || r < 0x20 || r == utf8.RuneError:
		return ' '
	}
	return r
}

// Bitmaps over the Basic Multilingual Plane: one load per rune instead of
// a switch.
var negBits, breakBits [1024]uint64

func init() {
	for _, r := range "不没沒别別无無未非莫勿甭" {
		negBits[r>>6] |= 1 << (r & 63)
	}
	for _, r := range ",.!?;:，。！？；：、~～\n…" {
		breakBits[r>>6] |= 1 << (r & 63)
	}
}

func isNegRune(r rune) bool {
	return r < 0x10000 && negBits[r>>6]&(1<<(r&63)) != 0
}

// isBreak reports whether r ends a negation scope.
func isBreak(r rune) bool {
	return r < 0x10000 && breakBits[r>>6]&(1<<(r&63)) != 0
}

func isWordByte(r rune) bool {
	return (r >= 'a' && r <= 'z') || r == '0' || r == '\''
}

const negScope = 3 // runes (Chinese) or words (English) after a negator

// English negators, by FNV-1a hash of the lower-cased word.
var negWords = func() map[uint64]bool {
	m := map[uint64]bool{}
	for _, w := range []string{"not", "no", "never", "nothing", "nobody", "none", "cannot", "without", "neither", "nor",
		"dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't", "wasnt", "wasn't", "arent", "aren't",
		"cant", "can't", "won't", "wont", "havent", "haven't", "hasnt", "hasn't", "shouldn't", "wouldn't", "couldn't", "aint", "ain't"} {
		m[fnv(w)] = true
	}
	return m
}()

func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// Extract featurises text, replacing the previous contents of f. Invalid
// UTF-8 bytes are treated as spaces; empty text yields no features.
func (f *Features) Extract(text string) {
	f.text = text
	f.hash = f.hash[:0]
	f.meta = f.meta[:0]
	cfg := f.cfg
	if !cfg.valid() {
		cfg.CharN = 3
	}

	// p1, p2: the previous two folded runes (none after a space);
	// s1, s2: their start offsets.
	var p1, p2, p3, p4 uint64 = none, none, none, none
	s1, s2, s3, s4 := 0, 0, 0, 0
	if cfg.Bounds {
		p1 = bos
	}
	ws := wordState{wh: fnvOffset}
	// negation scope: runes (Chinese) still marked
	negLeft := 0
	endWord := func(end int) {
		if ws.inWord {
			ws.end(f, cfg.Negation, end)
		}
	}

	i := 0
	for i < len(text) {
		if len(f.hash) >= MaxFeatures-16 {
			break
		}
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			// Inline the three-byte case: almost all Chinese text.
			if r&0xF0 == 0xE0 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
				r = (r&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
				size = 3
				if r < 0x800 || (r >= 0xD800 && r <= 0xDFFF) {
					r, size = utf8.RuneError, 1
				}
			} else {
				r, size = utf8.DecodeRuneInString(text[i:])
			}
		}
		// URLs and @mentions become one token each: their letters are noise.
		if r == 'h' && (hasPrefixAt(text, i, "http://") || hasPrefixAt(text, i, "https://")) {
			j := i
			for j < len(text) && text[j] > ' ' && text[j] < utf8.RuneSelf {
				j++
			}
			if cfg.Words {
				endWord(i)
			}
			f.add(mix(saltE^1), kindURL, i, j)
			p1, p2, p3, p4 = none, none, none, none
			i = j
			continue
		}
		if r == '@' {
			j, n := i+1, 0
			for j < len(text) && n < 20 {
				c, sz := utf8.DecodeRuneInString(text[j:])
				if c == ' ' || c == ':' || c == '：' || c == ',' || c == '，' || c == '@' || c == '/' || c == '\n' || c == utf8.RuneError {
					break
				}
				j += sz
				n++
			}
			if n > 0 {
				if cfg.Words {
					endWord(i)
				}
				f.add(mix(saltE^2), kindMention, i, j)
				p1, p2, p3, p4 = none, none, none, none
				i = j
				continue
			}
		}
		if cfg.Emoticons && r == '[' {
			if j := emoticonEnd(text, i); j > 0 {
				h := uint64(saltE)
				for k := i + 1; k < j-1; k++ {
					h = (h ^ uint64(text[k])) * 1099511628211
				}
				f.add(mix(h), kindEmoticon, i, j)
			}
		}
		c := normRune(r)
		if cfg.T2S && c >= 0x3400 && c < 0x10000 && t2sBits[c>>6]&(1<<(c&63)) != 0 {
			c = foldT2S(c) // only Traditional runes leave the inlined test
		}
		if c == ' ' {
			if cfg.Words {
				endWord(i)
			}
			if p1 != none && p1 != ' ' {
				// one space joins n-grams across words, as in "not happy"
				p4, s4 = p3, s3
				p3, s3 = p2, s2
				p2, s2 = p1, s1
				p1, s1 = ' ', i
			}
			i += size
			continue
		}
		cu := uint64(c)
		// character n-grams
		f.add(mix(cu*salt1), kindChar1, i, i+size)
		if cfg.CharN >= 2 && p1 != none {
			f.add(mix((p1<<21|cu)*salt2), kindChar2, s1, i+size)
			if cfg.CharN >= 3 && p2 != none {
				f.add(mix((p2<<42|p1<<21|cu)*salt3), kindChar3, s2, i+size)
				if cfg.CharN >= 4 && p3 != none {
					h := (p3<<42 | p2<<21 | p1) * salt4
					f.add(mix(h^cu*salt3), kindChar4, s3, i+size)
					if cfg.CharN >= 5 && p4 != none {
						f.add(mix(h^(p4<<21|cu)*salt5), kindChar5, s4, i+size)
					}
				}
			}
		}
		if cfg.Lexicon && p1 != none {
			if lexStarts(p1) {
				if lc := lexLookup(p1<<21 | cu); lc >= 0 {
					f.add(mix(saltL+uint64(lc)*salt1), kindLex, s1, i+size)
				}
			}
			if p2 != none && lexStarts(p2) {
				if lc := lexLookup(p2<<42 | p1<<21 | cu); lc >= 0 {
					f.add(mix(saltL+uint64(lc)*salt1), kindLex, s2, i+size)
				}
			}
		}
		p4, s4 = p3, s3
		p3, s3 = p2, s2
		p2, s2 = p1, s1
		p1, s1 = cu, i
		// words
		if cfg.Words {
			if isWordByte(c) {
				if !ws.inWord {
					ws.inWord = true
					ws.start = i
				}
				ws.wh = (ws.wh ^ cu) * fnvPrime
			} else {
				endWord(i)
				if c >= 0x2E80 || isBreak(c) { // CJK or punctuation ends the word sequence
					ws.prev = 0
				}
			}
		}
		// negation marks on Chinese runes
		if cfg.Negation {
			if isBreak(c) {
				negLeft, ws.negLeft = 0, 0
			} else if negLeft > 0 && c >= 0x2E80 {
				f.add(mix(cu*salt1^saltN), kindNeg, i, i+size)
				negLeft--
			}
			if isNegRune(r) {
				negLeft = negScope
			}
		}
		i += size
	}
	if cfg.Words {
		endWord(i)
	}
	if cfg.Bounds && cfg.CharN >= 2 && p1 != none && p1 != ' ' && p1 != bos {
		f.add(mix((p1<<21|eos)*salt2), kindChar2, s1, i)
	}
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// wordState follows the current Latin-script word, the previous one (for
// bigrams) and the English negation scope.
type wordState struct {
	wh        uint64 // running FNV-1a of the current word
	inWord    bool
	start     int
	prev      uint64 // hash of the previous word (0: none)
	prevStart int
	negLeft   int // words still inside a negation scope
}

func (ws *wordState) end(f *Features, negation bool, end int) {
	ws.inWord = false
	w := ws.wh
	ws.wh = fnvOffset
	f.add(mix(w^saltW), kindWord1, ws.start, end)
	if ws.prev != 0 {
		f.add(mix(ws.prev*31+w^saltB), kindWord2, ws.prevStart, end)
	}
	if negation {
		if ws.negLeft > 0 {
			f.add(mix(w^saltN^saltW), kindNeg, ws.start, end)
			ws.negLeft--
		}
		if negWords[w] {
			ws.negLeft = negScope
		}
	}
	ws.prev, ws.prevStart = w, ws.start
}

func hasPrefixAt(s string, i int, p string) bool {
	return len(s)-i >= len(p) && s[i:i+len(p)] == p
}

// emoticonEnd returns the end of a Weibo emoticon "[…]" starting at i, or 0.
func emoticonEnd(s string, i int) int {
	n := 0
	for j := i + 1; j < len(s) && n <= 8; {
		if s[j] == ']' {
			if n == 0 {
				return 0
			}
			return j + 1
		}
		if s[j] == '[' || s[j] == '\n' {
			return 0
		}
		_, sz := utf8.DecodeRuneInString(s[j:])
		j += sz
		n++
	}
	return 0
}

// featureName renders feature i for explanations, e.g. "char2:不满".
func (f *Features) featureName(i int) string {
	m := f.meta[i]
	s, e := int(m.start), int(m.end)
	span := ""
	if s >= 0 && e <= len(f.text) && s <= e {
		span = f.text[s:e]
	}
	return kindNames[m.kind] + ":" + span
}
