package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/insight"
	"huajie/internal/store"
)

// TestImportBranchProduct: branch and product come in through JSONL fields
// and CSV columns, an over-long one is refused naming the field and line,
// and the analyst counts the messages by branch and by product.
func TestImportBranchProduct(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "place.db")
	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	long := strings.Repeat("支", 43) // 129 bytes
	jsonl := `{"id":"p1","conversation_id":"pc1","customer_id":"pu","channel":"branch","role":"customer","time":"` + at + `","text":"排队太久了","branch":"南山支行","product":"储蓄存款"}` + "\n" +
		`{"id":"p2","conversation_id":"pc1","customer_id":"pu","channel":"branch","role":"customer","time":"` + at + `","text":"x","branch":"` + long + `"}` + "\n"
	jf := filepath.Join(dir, "in.jsonl")
	csvf := filepath.Join(dir, "in.csv")
	csv := "id,conversation_id,customer_id,channel,role,time,text,branch,product\n" +
		"q1,qc1,qu,phone,customer," + at + ",信用卡年费乱扣,福田支行,信用卡\n" +
		"q2,qc2,qu2,phone,customer," + at + ",转账失败,南山支行,\n"
	if err := os.WriteFile(jf, []byte(jsonl), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(csvf, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "", "import", "--db", dsn, "--quiet", jf)
	if code != 1 || !strings.Contains(out, "1 accepted") || !strings.Contains(errs, `line 2 id "p2": too_large: branch is 129 bytes`) {
		t.Fatalf("jsonl: %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := runCmd(t, "", "import", "--db", dsn, "--quiet", csvf); code != 0 || !strings.Contains(out, "2 accepted") {
		t.Fatalf("csv: %d\n%s\n%s", code, out, errs)
	}
	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, "sqlite:"+dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := db.Interactions().GetConversation(ctx, "qc1")
	if err != nil || c.Branch != "福田支行" || c.Product != "信用卡" {
		t.Errorf("conversation %+v %v", c, err)
	}
	// The roll-up lags 5 s behind the newest message: read a minute on.
	svc := analyst.New(analyst.Opts{Repo: db, Now: func() time.Time { return time.Now().Add(time.Minute) }})
	for _, tc := range []struct {
		dim  string
		want map[string]int64
	}{
		{insight.DimBranch, map[string]int64{"南山支行": 2, "福田支行": 1}},
		{insight.DimProduct, map[string]int64{"储蓄存款": 1, "信用卡": 1, "": 1}},
	} {
		v, err := svc.Volumes(ctx, analyst.VolumeQuery{Source: insight.SourceMessage, Dim: tc.dim})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, s := range v.Series {
			got[s.Value] = s.Total
		}
		if len(got) != len(tc.want) {
			t.Errorf("by %s: %v, want %v", tc.dim, got, tc.want)
		}
		for k, n := range tc.want {
			if got[k] != n {
				t.Errorf("by %s: %v, want %v", tc.dim, got, tc.want)
				break
			}
		}
	}
}

// TestLoadgenPlaces: the load generator's conversations spread over the
// branches with weights 1/rank and carry a product each.
func TestLoadgenPlaces(t *testing.T) {
	ms := loadMessages("t", 2283*2, 2, "team")
	by := map[string]int{}
	for i, m := range ms {
		if m.Branch == "" || m.Product == "" {
			t.Fatalf("message %d: branch %q product %q", i, m.Branch, m.Product)
		}
		if i%2 == 0 {
			by[m.Branch]++
		}
	}
	for i, b := range loadgenBranches {
		if by[b] != 840/(i+1) {
			t.Errorf("branch %d %s: %d conversations of 2,283, want %d", i, b, by[b], 840/(i+1))
		}
	}
}
