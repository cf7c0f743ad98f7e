package web_test

import (
	"os"
	"strings"
	"testing"

	"huajie/internal/web"
)

// TestDocsListEveryRoute keeps docs/api.md's route table in step with the
// route table.
func TestDocsListEveryRoute(t *testing.T) {
	b, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, r := range web.Routes() {
		row := "| `" + r.Method + " " + r.Path + "` | `" + string(r.Perm) + "` |"
		if !strings.Contains(doc, row) {
			t.Errorf("docs/api.md lacks the row %s", row)
		}
	}
}
