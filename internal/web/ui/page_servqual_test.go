package ui

import (
	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/servqual"
	"strings"
	"testing"
)

// An example's evidence is marked where the attribution found it, and the
// rest of the text is masked for a role without pii:view.
func TestEvidenceSegments(t *testing.T) {
	text := "柜员态度很差，电话13812345678打不通"
	start := strings.Index(text, "态度")
	ex := analyst.ServqualExample{ID: "case:1", Text: text, Evidence: []servqual.Evidence{
		{Dimension: "assurance", Term: "打不通", Start: strings.Index(text, "打不通"), End: len(text)},
		{Dimension: "assurance", Term: "态度", Start: start, End: start + len("态度")},
		{Dimension: "assurance", Term: "态", Start: start, End: start + len("态")}, // overlaps: skipped
	}}
	render := func(segs []textSegment) string {
		var b strings.Builder
		for _, s := range segs {
			if s.Evidence {
				b.WriteString("[" + s.Text + "]")
			} else {
				b.WriteString(s.Text)
			}
		}
		return b.String()
	}
	analystRole := auth.Identity{Role: auth.RoleAnalyst}
	got := render(evidenceSegments(analystRole, ex))
	if !strings.HasPrefix(got, "柜员[态度]很差，电话") || !strings.HasSuffix(got, "[打不通]") || strings.Contains(got, "13812345678") {
		t.Errorf("analyst sees %q: want the evidence marked and the phone number masked", got)
	}
	if analystRole.Can(auth.PermPIIView) {
		t.Fatal("the test needs a role without pii:view")
	}
}
