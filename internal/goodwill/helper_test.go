package goodwill

import "testing"

// testAssessor is the production assessor: the real analyser and the real
// offensive model, no mocks.
func testAssessor(t testing.TB) *Assessor {
	t.Helper()
	a, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return a
}
