package store

import "testing"

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, pg string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"x LIKE '?%' AND y = ?", "x LIKE '?%' AND y = $1"},
		{"x = 'it''s ?' AND y IN (?, ?)", "x = 'it''s ?' AND y IN ($1, $2)"},
	} {
		if got := rebind(Postgres, tc.in); got != tc.pg {
			t.Errorf("postgres %q: got %q, want %q", tc.in, got, tc.pg)
		}
		if got := rebind(SQLite, tc.in); got != tc.in {
			t.Errorf("sqlite %q changed to %q", tc.in, got)
		}
	}
}

func TestSearchGrams(t *testing.T) {
	if got := SearchGrams("张三，投诉ABC张三"); got != "g5f20x4e09 g6295x8bc9 g8bc9x61 g61x62 g62x63 g63x5f20" {
		t.Fatalf("got %q", got)
	}
	if SearchGrams("，。!") != "-" || SearchGrams("") != "-" {
		t.Fatal("no grams must give -")
	}
	for q, want := range map[string]string{"张三": "g5f20x4e09", "AB": "g61x62", "张": "", "张，": "", "三个字": ""} {
		if got := queryGram(q); got != want {
			t.Errorf("queryGram(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	if got := redact("postgres://u:secret@h/db"); got != "postgres://u:xxxxx@h/db" {
		t.Fatal(got)
	}
}
