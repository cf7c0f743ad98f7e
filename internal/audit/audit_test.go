package audit

import (
	"encoding/json"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var out []Entry
	var prev *Entry
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)
	for i := range n {
		e := Entry{At: t0.Add(time.Duration(i) * time.Second), CaseID: "HJ1", Actor: "li", Role: "agent",
			Action: "case.transition", Before: JSON(map[string]string{"state": "received"}), After: JSON(map[string]any{"state": "assessing", "n": i})}
		e.Seal(prev)
		out = append(out, e)
		prev = &out[len(out)-1]
	}
	return out
}

func TestSealAndVerify(t *testing.T) {
	c := chain(5)
	if c[0].PrevHash != GenesisHash || c[0].Seq != 1 || c[4].Seq != 5 || c[3].Hash != c[4].PrevHash {
		t.Fatalf("chain not linked: %+v", c)
	}
	if c[0].At.Nanosecond()%1000 != 0 {
		t.Fatal("time not truncated to microseconds")
	}
	if r := Verify(c); !r.OK || r.Entries != 5 {
		t.Fatalf("%+v", r)
	}
}

func TestCanonicalJSON(t *testing.T) {
	a := chain(1)[0]
	b := a
	// Same value, different spelling: same hash.
	b.After = json.RawMessage(`{ "state" : "assessing", "n": 0 }`)
	if a.ComputeHash() != b.ComputeHash() {
		t.Fatal("hash depends on JSON key order or spacing")
	}
	b.After = json.RawMessage(`{"state":"assessing","n":1}`)
	if a.ComputeHash() == b.ComputeHash() {
		t.Fatal("different values hash the same")
	}
	// Field boundaries matter: moving a character between fields changes the hash.
	x, y := a, a
	x.Actor, x.Role = "lia", "gent"
	y.Actor, y.Role = "li", "agent"
	if x.ComputeHash() == y.ComputeHash() {
		t.Fatal("fields are not length-prefixed")
	}
}

func TestVerifyFindsFirstBreak(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(c []Entry) []Entry
		first  int64
	}{
		{"content changed", func(c []Entry) []Entry { c[2].Actor = "mallory"; return c }, 3},
		{"content and own hash recomputed", func(c []Entry) []Entry {
			c[2].After = JSON("forged")
			c[2].Hash = c[2].ComputeHash()
			return c
		}, 4},
		{"time changed", func(c []Entry) []Entry { c[1].At = c[1].At.Add(time.Microsecond); return c }, 2},
		{"entry removed", func(c []Entry) []Entry { return append(c[:2], c[3:]...) }, 4},
		{"entries swapped", func(c []Entry) []Entry { c[1], c[2] = c[2], c[1]; return c }, 3},
		{"first entry's prev hash", func(c []Entry) []Entry { c[0].PrevHash = c[4].Hash; return c }, 1},
	} {
		r := Verify(tc.tamper(chain(6)))
		if r.OK || r.FirstBroken != tc.first || r.Problem == "" {
			t.Errorf("%s: %+v, want first broken %d", tc.name, r, tc.first)
		}
	}
	if r := Verify(nil); !r.OK || r.Entries != 0 {
		t.Fatalf("empty chain: %+v", r)
	}
}
