package textclass

import "sort"

//go:generate sh -c "if test -n \"$OPENCC_TS\"; then go run ./gent2s -in \"$OPENCC_TS\" -out t2s_table.go; else echo 't2s_table.go kept: set OPENCC_TS to OpenCC data/dictionary/TSCharacters.txt to regenerate it' >&2; fi"

// Traditional → Simplified folding (Config.T2S): Traditional characters
// become their Simplified form before hashing, so a model trained on
// Simplified text recognises 發/发, 這/这 … as one feature. t2sBits marks the
// Traditional runes (one load per rune on the hot path); only those look up
// their Simplified form in the sorted table.
var (
	t2sBits [1024]uint64
	t2sFrom []uint16
	t2sTo   []uint16
)

func init() {
	rs := []rune(t2sPairs)
	for i := 0; i+1 < len(rs); i += 2 {
		t, s := rs[i], rs[i+1]
		t2sBits[t>>6] |= 1 << (t & 63)
		t2sFrom = append(t2sFrom, uint16(t))
		t2sTo = append(t2sTo, uint16(s))
	}
}

// foldT2S returns the Simplified form of a Traditional character, or r.
func foldT2S(r rune) rune {
	if r < 0x3400 || r >= 0x10000 || t2sBits[r>>6]&(1<<(r&63)) == 0 {
		return r
	}
	i := sort.Search(len(t2sFrom), func(i int) bool { return rune(t2sFrom[i]) >= r })
	if i < len(t2sFrom) && rune(t2sFrom[i]) == r {
		return rune(t2sTo[i])
	}
	return r
}
