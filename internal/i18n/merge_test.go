package i18n

import "testing"

func TestMergeRefusesADuplicateKey(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("merging a key already in the catalog did not panic")
		}
	}()
	merge(map[string]entry{"app.name": {"x", "x"}})
}

func TestMergeAddsNewKeys(t *testing.T) {
	const k = "test.merge_only_key"
	t.Cleanup(func() { delete(catalog, k) })
	merge(map[string]entry{k: {"中", "en"}})
	if !Has(k) || T("en", k) != "en" {
		t.Fatalf("merged key missing: Has=%v T=%q", Has(k), T("en", k))
	}
}
