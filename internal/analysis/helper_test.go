package analysis

import "testing"

// testAnalyzer is the built-in analyser: the real embedded models, lexicon
// and taxonomy.
func testAnalyzer(t testing.TB) *Analyzer {
	t.Helper()
	a, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return a
}
