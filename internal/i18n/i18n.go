// Package i18n is the one catalog of user-interface strings, in
// Simplified Chinese (the default) and English. Every string a page shows
// comes from here by key; the package's tests fail when a key lacks either
// translation, and the UI's tests when a template uses a key that is not
// in the catalog.
package i18n

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Lang is a UI language.
type Lang string

// The languages.
const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Default is the language when the user has not chosen one.
const Default = ZH

// Langs lists the languages in the switch's order.
var Langs = []Lang{ZH, EN}

// Cookie is the name of the cookie that remembers the chosen language.
const Cookie = "huajie_lang"

// entry is one string in both languages.
type entry struct{ zh, en string }

// T returns key's text in lang, formatted with args (fmt verbs) when
// given. An unknown key returns "⟦key⟧" so a gap is visible on the page;
// the tests keep that from happening.
func T(lang Lang, key string, args ...any) string {
	e, ok := catalog[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	s := e.zh
	if lang == EN {
		s = e.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key is in the catalog.
func Has(key string) bool {
	_, ok := catalog[key]
	return ok
}

// Keys lists every key, sorted.
func Keys() []string {
	keys := make([]string, 0, len(catalog))
	for k := range catalog {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Missing lists the keys lacking a translation in lang.
func Missing(lang Lang) []string {
	var out []string
	for _, k := range Keys() {
		e := catalog[k]
		s := e.zh
		if lang == EN {
			s = e.en
		}
		if strings.TrimSpace(s) == "" {
			out = append(out, k)
		}
	}
	return out
}

// Parse returns the language named s ("zh", "zh-CN", "en", "en-GB" …) and
// whether it is one of Langs.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "zh" || strings.HasPrefix(s, "zh-") || strings.HasPrefix(s, "zh_"):
		return ZH, true
	case s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_"):
		return EN, true
	}
	return Default, false
}

// FromRequest picks the language: the switch's cookie, else the first
// supported language of Accept-Language in preference order, else Default.
func FromRequest(r *http.Request) Lang {
	if c, err := r.Cookie(Cookie); err == nil {
		if l, ok := Parse(c.Value); ok {
			return l
		}
	}
	type pref struct {
		lang Lang
		q    float64
	}
	var best *pref
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		l, ok := Parse(tag)
		if !ok {
			continue
		}
		q := 1.0
		if v, found := strings.CutPrefix(strings.TrimSpace(params), "q="); found {
			if _, err := fmt.Sscanf(v, "%g", &q); err != nil {
				q = 0
			}
		}
		if q > 0 && (best == nil || q > best.q) {
			best = &pref{l, q}
		}
	}
	if best != nil {
		return best.lang
	}
	return Default
}
