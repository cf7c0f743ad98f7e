package textclass

import (
	_ "embed"
	"fmt"
	"strings"
)

// Lexicon tokens (Config.Lexicon): every occurrence of a listed emotion
// word of two or three characters adds one feature shared by its category
// ("lex:surprise" …), so that rare words of a category pool their evidence.
// Words are found from the character bigram and trigram keys the featuriser
// computes anyway: a bitmap of first characters, then a small
// open-addressing table, no allocation.

//go:embed emotion_words.txt
var emotionWords string

const lexSlots = 1024 // power of two, well over twice the words

var (
	lexCats  []string
	lexFirst [1024]uint64 // BMP runes that begin a word
	lexKeys  [lexSlots]uint64
	lexCat   [lexSlots]uint8
)

func init() {
	if err := loadLexicon(emotionWords); err != nil {
		panic(err)
	}
}

func lexSlot(key uint64) uint32 { return mix(key*saltL) & (lexSlots - 1) }

func loadLexicon(src string) error {
	n := 0
	for ln, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 || len(lexCats) >= 255 {
			return fmt.Errorf("textclass: emotion_words.txt:%d: want CATEGORY WORD…", ln+1)
		}
		lexCats = append(lexCats, fields[0])
		cat := uint8(len(lexCats) - 1)
		for _, w := range fields[1:] {
			rs := []rune(w)
			for i, r := range rs {
				rs[i] = foldT2S(normRune(r))
			}
			if len(rs) < 2 || len(rs) > 3 || rs[0] >= 0x10000 {
				return fmt.Errorf("textclass: emotion_words.txt:%d: %q: want 2 or 3 characters of the BMP", ln+1, w)
			}
			var key uint64
			for _, r := range rs {
				key = key<<21 | uint64(r)
			}
			if n++; n > lexSlots/2 {
				return fmt.Errorf("textclass: emotion_words.txt: more than %d words", lexSlots/2)
			}
			s := lexSlot(key)
			for lexKeys[s] != 0 && lexKeys[s] != key {
				s = (s + 1) & (lexSlots - 1)
			}
			if lexKeys[s] == key {
				return fmt.Errorf("textclass: emotion_words.txt:%d: %q listed twice", ln+1, w)
			}
			lexKeys[s], lexCat[s] = key, cat
			lexFirst[rs[0]>>6] |= 1 << (rs[0] & 63)
		}
	}
	return nil
}

// lexLookup returns the category of the word with key, or -1.
func lexLookup(key uint64) int {
	s := lexSlot(key)
	for {
		switch lexKeys[s] {
		case key:
			return int(lexCat[s])
		case 0:
			return -1
		}
		s = (s + 1) & (lexSlots - 1)
	}
}

func lexStarts(r uint64) bool {
	return r < 0x10000 && lexFirst[r>>6]&(1<<(r&63)) != 0
}
