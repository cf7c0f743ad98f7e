package i18n

import (
	"net/http/httptest"
	"regexp"
	"slices"
	"testing"
)

// TestEveryKeyTranslated fails when a string lacks either language.
func TestEveryKeyTranslated(t *testing.T) {
	for _, l := range Langs {
		if m := Missing(l); len(m) > 0 {
			t.Errorf("%s: %d keys without a translation: %v", l, len(m), m)
		}
	}
}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestVerbsAgree: both translations take the same arguments, in order.
func TestVerbsAgree(t *testing.T) {
	for _, k := range Keys() {
		e := catalog[k]
		if zh, en := verb.FindAllString(e.zh, -1), verb.FindAllString(e.en, -1); !slices.Equal(zh, en) {
			t.Errorf("%s: format verbs differ: zh %v, en %v", k, zh, en)
		}
	}
}

func TestT(t *testing.T) {
	if got := T(EN, "case.days", 3); got != "3 days" {
		t.Errorf("T(en, case.days, 3) = %q", got)
	}
	if got := T(ZH, "case.days", 3); got != "3 天" {
		t.Errorf("T(zh, case.days, 3) = %q", got)
	}
	if got := T(EN, "no.such.key"); got != "⟦no.such.key⟧" {
		t.Errorf("unknown key: %q", got)
	}
}

func TestFromRequest(t *testing.T) {
	for _, c := range []struct {
		cookie, accept string
		want           Lang
	}{
		{"", "", ZH},
		{"", "en-GB,en;q=0.9", EN},
		{"", "fr-FR, en;q=0.5, zh-CN;q=0.8", ZH},
		{"", "fr, de", ZH},
		{"en", "zh-CN", EN},
		{"zh-CN", "en", ZH},
		{"xx", "en", EN},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if c.accept != "" {
			r.Header.Set("Accept-Language", c.accept)
		}
		if c.cookie != "" {
			r.Header.Set("Cookie", Cookie+"="+c.cookie)
		}
		if got := FromRequest(r); got != c.want {
			t.Errorf("cookie %q accept %q: %s, want %s", c.cookie, c.accept, got, c.want)
		}
	}
}
