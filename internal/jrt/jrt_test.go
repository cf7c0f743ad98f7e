package jrt

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultTaxonomy(t *testing.T) {
	d := Default()
	tx := d.Taxonomy
	// the standard's cause classes, in its order, with "other" as 99
	causes := []string{"服务态度及服务质量", "服务设施、设备、业务系统", "管理制度、业务规则与流程", "营销方式和手段", "信息披露", "产品收益", "自主选择权", "合同条款", "消费者资金安全", "消费者信息安全", "定价收费", "债务催收方式和手段"}
	for i, name := range causes {
		code := "C" + string(rune('0'+(i+1)/10)) + string(rune('0'+(i+1)%10))
		c, ok := tx.Lookup(code)
		if !ok || c.Name != name || c.Axis != Cause || c.NameEn == "" {
			t.Errorf("Lookup(%s) = %+v, %v; want %s", code, c, ok, name)
		}
	}
	for code, name := range map[string]string{"B01": "人民币储蓄", "B02": "贷款", "B03": "银行卡", "B0302": "信用卡", "B04": "支付结算", "B05": "人民币管理", "B06": "个人金融信息", "B99": "其他业务", "C99": "其他", "A0101": "营业现场", "A0102": "自助机具", "A010303": "移动客户端"} {
		if c, ok := tx.Lookup(code); !ok || c.Name != name {
			t.Errorf("Lookup(%s) = %+v, want %s", code, c, name)
		}
	}
	if top, _ := tx.Top("A010302"); top.Code != "A01" {
		t.Errorf("Top(A010302) = %s", top.Code)
	}
	// every category of the business and cause axes has keywords in both languages,
	// except the "other" classes
	have := map[string]map[string]bool{}
	for _, k := range d.Keywords {
		for _, c := range k.Codes {
			top, _ := tx.Top(c)
			if have[top.Code] == nil {
				have[top.Code] = map[string]bool{}
			}
			have[top.Code][k.Lang] = true
		}
	}
	for _, c := range tx.Categories() {
		if c.Depth > 0 || c.Code == "A02" || strings.HasSuffix(c.Code, "99") {
			continue
		}
		if !have[c.Code]["zh"] || !have[c.Code]["en"] {
			t.Errorf("%s %s lacks zh or en keywords: %v", c.Code, c.Name, have[c.Code])
		}
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ tax, kw, want string }{
		{"B01\t\t储蓄\tDeposits\nB01\t\tx\ty\n", "", "taxonomy.tsv:2: code \"B01\" listed twice"},
		{"B0101\tB01\t活期\tDemand\n", "", "taxonomy.tsv:1: parent \"B01\""},
		{"X01\t\tx\ty\n", "", "does not start with A, B or C"},
		{"B01\t\t储蓄\tDeposits\n", "存款\tB09\tzh\t1\n", "keywords.tsv:1: code \"B09\" not in the taxonomy"},
		{"B01\t\t储蓄\tDeposits\n", "存款\tB01\tzh\t0\n", "keywords.tsv:1: weight"},
		{"B01\t\t储蓄\tDeposits\n", "存款\tB01\tzh\t1\n存款\tB01\tzh\t1\n", "keywords.tsv:2: term \"存款\" already on line 1"},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "taxonomy.tsv"), []byte(tc.tax), 0o644)
		if tc.kw != "" {
			os.WriteFile(filepath.Join(dir, "keywords.tsv"), []byte(tc.kw), 0o644)
		}
		_, err := Load(dir)
		if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load = %v, want %q", err, tc.want)
		}
	}
}

func kwIndex(t *testing.T, d *Data, term string) int {
	for i, k := range d.Keywords {
		if k.Term == term {
			return i
		}
	}
	t.Fatalf("no keyword %q", term)
	return -1
}

func TestRecognize(t *testing.T) {
	d := Default()
	var s Scratch
	code := func(p Pick) string { return d.Taxonomy.Categories()[p.Category].Code }
	// 没收到账单 (0-15) holds 账单 (9-15) and 没收到 (0-9): only the long one counts.
	hits := []Hit{
		{kwIndex(t, d, "没收到"), 0, 9},
		{kwIndex(t, d, "账单"), 9, 15},
		{kwIndex(t, d, "没收到账单"), 0, 15},
	}
	picks := d.Recognize(hits, &s, nil)
	var got []string
	for _, p := range picks {
		got = append(got, code(p))
		if len(p.Hits) != 1 || p.Hits[0] != 2 {
			t.Errorf("%s supported by %v, want only the long keyword", code(p), p.Hits)
		}
	}
	if strings.Join(got, ",") != "B0302,C05" {
		t.Errorf("picks %v, want B0302,C05", got)
	}
	// one weak keyword alone is not enough
	if picks := d.Recognize([]Hit{{kwIndex(t, d, "电话"), 0, 6}}, &s, picks[:0]); len(picks) != 0 {
		t.Errorf("电话 alone gave %v", picks)
	}
	// at most MaxPerAxis classes per axis, strongest first
	hits = hits[:0]
	for i, term := range []string{"态度", "冷淡", "服务态度", "手续费", "年费", "系统", "合同", "盗刷"} {
		hits = append(hits, Hit{kwIndex(t, d, term), i * 20, i*20 + 6})
	}
	picks = d.Recognize(hits, &s, picks[:0])
	got = got[:0]
	for _, p := range picks {
		if d.Taxonomy.Categories()[p.Category].Axis == Cause {
			got = append(got, code(p))
		}
	}
	if len(got) != MaxPerAxis || got[0] != "C01" || got[1] != "C11" {
		t.Errorf("cause picks %v, want %d starting C01 (3 keywords), C11 (2)", got, MaxPerAxis)
	}
	for i := 1; i < len(picks); i++ {
		if picks[i].Score > picks[i-1].Score && d.Taxonomy.Categories()[picks[i].Category].Axis == d.Taxonomy.Categories()[picks[i-1].Category].Axis {
			t.Errorf("picks not by score: %v", picks)
		}
	}
}

func TestChannelCode(t *testing.T) {
	tx := Default().Taxonomy
	for _, ch := range []string{"branch", "atm", "online_banking", "phone", "app", "online_chat", "social_media", "sms", "email", "third_party", "letter", "regulator_referral"} {
		code, ok := ChannelCode(ch)
		c, found := tx.Lookup(code)
		if !ok || !found || c.Axis != Channel {
			t.Errorf("ChannelCode(%q) = %q, %v (in taxonomy: %v)", ch, code, ok, found)
		}
	}
	if _, ok := ChannelCode("carrier pigeon"); ok {
		t.Error("unknown channel mapped")
	}
}

// A pick is supported by its own line of the tree, not by siblings.
func TestRecognizeSupport(t *testing.T) {
	d := Default()
	var s Scratch
	hits := []Hit{{kwIndex(t, d, "柜台"), 0, 6}, {kwIndex(t, d, "电话"), 10, 16}}
	picks := d.Recognize(hits, &s, nil)
	if len(picks) != 1 {
		t.Fatalf("picks %+v", picks)
	}
	c := d.Taxonomy.Categories()[picks[0].Category]
	if c.Code != "A0101" || len(picks[0].Hits) != 1 || picks[0].Hits[0] != 0 {
		t.Errorf("pick %s supported by %v, want A0101 by 柜台 alone", c.Code, picks[0].Hits)
	}
	if want := 1 - 0.36787944117144233; picks[0].Score < want-1e-9 || picks[0].Score > want+1e-9 {
		t.Errorf("score %v, want 1-exp(-1) from 柜台 alone", picks[0].Score)
	}
}

func TestWriteDefaults(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDefaults(dir); err != nil {
		t.Fatal(err)
	}
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.Source["keywords.tsv"], dir) || len(d.Keywords) != len(Default().Keywords) {
		t.Errorf("written lists not read back: %v, %d keywords", d.Source, len(d.Keywords))
	}
}
