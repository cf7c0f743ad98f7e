package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huajie/internal/cases"
	"huajie/internal/cases/casegoodwill"
	"huajie/internal/goodwill"
	"huajie/internal/store"
)

// TestGoodwillExport: huajie goodwill export writes the supervisors'
// decisions as labelled JSONL that huajie assess --measure reads, and a
// failed export leaves the previous file alone.
func TestGoodwillExport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "gw.db")
	db, err := store.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	gw, err := goodwill.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc := cases.New(cases.Opts{Repo: db.Cases(), Goodwill: casegoodwill.Func(gw)})
	c, err := svc.Create(ctx, cases.Actor{Name: "a", Role: "agent"}, cases.NewCase{Channel: cases.ChannelPhone,
		Customer: cases.Customer{ID: "C1", Name: "李雷"}, Text: "信用卡年费被扣了200元，请你们赔偿我2万元。"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ReviewGoodwill(ctx, cases.Actor{Name: "s", Role: "supervisor"}, c.ID,
		cases.GoodwillReviewInput{Decision: cases.GoodwillUnreasonable, Reason: "索赔远超损失"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out := filepath.Join(dir, "reviews.jsonl")
	if code, _, errs := runCmd(t, "", "goodwill", "export", "--db", dsn, "--out", out); code != 0 || !strings.Contains(errs, "1 supervisor decisions") {
		t.Fatalf("export: %d %s", code, errs)
	}
	code, stdout, errs := runCmd(t, "", "assess", "--measure", out)
	if code != 0 || !strings.Contains(stdout, "accuracy") {
		t.Fatalf("assess --measure on the export: %d %s %s", code, stdout, errs)
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), `"label":"unreasonable_demand"`) || !strings.Contains(string(b), c.ID) {
		t.Errorf("export: %s", b)
	}
	for _, args := range [][]string{
		{"goodwill"}, {"goodwill", "import"}, {"goodwill", "export", "--db", dsn}, {"goodwill", "export", "--out", out, "extra"},
	} {
		if code, _, _ := runCmd(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, _ := runCmd(t, "", "goodwill", "export", "--db", dsn, "--out", filepath.Join(dir, "missing", "x.jsonl")); code == 0 {
		t.Error("export into a missing directory succeeded")
	}
	if b2, _ := os.ReadFile(out); string(b2) != string(b) {
		t.Error("the previous export changed")
	}
}
