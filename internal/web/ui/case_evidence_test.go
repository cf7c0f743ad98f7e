package ui_test

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/i18n"
	"huajie/internal/web"
)

// postFile posts the case page's upload form as a browser does without
// JavaScript: multipart, with the CSRF token in a field.
func (b *httpBrowser) postFile(path, filename string, content []byte, fields map[string]string) (int, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", b.csrf())
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req, err := http.NewRequest("POST", b.e.base+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// elementText is the text of the element with the given id (one line of
// markup, as the case page writes its messages).
func elementText(body, id string) string {
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// englishWord: a word with a lower-case Latin letter (PDF, MB are format
// names, not English).
var englishWord = regexp.MustCompile(`[A-Za-z]*[a-z][A-Za-z]*`)

func chineseOnly(s string) bool {
	han := false
	for _, r := range s {
		han = han || unicode.Is(unicode.Han, r)
	}
	return han && !englishWord.MatchString(s)
}

func latinOnly(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return englishWord.MatchString(s)
}

// pdf is the start of a PDF file: enough for the type to be sniffed.
var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// TestCaseEvidenceUpload: a handler uploads a file from the case page's
// plain form; the page lists it with its type, size and a download link
// that returns the bytes; too large and wrong-type files are refused in
// the user's language with the limit or the allowed types, and nothing is
// stored; a role without evidence:write gets no form and a 403.
func TestCaseEvidenceUpload(t *testing.T) {
	e := newEnvWith(t, false, func(e *env) http.Handler {
		return web.New(web.Opts{Cases: e.cases, Auth: e.auth, DB: e.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	})
	c := findCase(t, e, func(c *cases.Case) bool { return c.State == cases.StateInvestigating && len(c.Evidence) == 0 })
	path := "/ui/cases/" + c.ID
	b := e.browser(t)
	b.signIn(auth.RoleHandler)
	if _, body := b.get(path); !strings.Contains(body, `id="act-evidence"`) || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, `id="evidence-none"`) {
		t.Fatal("the handler has no upload form, or the page lists evidence the case does not have")
	}

	st, body := b.postFile(path+"/evidence", "对账单.pdf", pdf, map[string]string{"description": "客户提供的对账单", "department": "信用卡中心"})
	if st != http.StatusOK {
		t.Fatalf("upload: %d %s", st, elementText(body, "evidence-file-err"))
	}
	got, err := e.cases.Get(t.Context(), c.ID)
	if err != nil || len(got.Evidence) != 1 {
		t.Fatalf("stored evidence: %+v %v", got.Evidence, err)
	}
	ev := got.Evidence[0]
	if ev.Name != "对账单.pdf" || ev.Size != int64(len(pdf)) || ev.ContentType != "application/pdf" || ev.Description != "客户提供的对账单" || ev.By != e.users[auth.RoleHandler].Name {
		t.Errorf("stored: %+v", ev)
	}
	link := "/api/v1/cases/" + c.ID + "/evidence/" + ev.ID
	row := regexp.MustCompile(`(?s)<tr id="ev-` + ev.ID + `">.*?</tr>`).FindString(body)
	for _, want := range []string{`href="` + link + `"`, "对账单.pdf", "客户提供的对账单", i18n.T(i18n.ZH, "mime.application/pdf"), fmt.Sprintf("%d 字节", len(pdf))} {
		if !strings.Contains(row, want) {
			t.Errorf("evidence row lacks %q: %s", want, row)
		}
	}
	if st, dl := b.get(link); st != http.StatusOK || dl != string(pdf) {
		t.Errorf("download: %d, %d bytes", st, len(dl))
	}

	refused := []struct {
		name    string
		lang    string
		file    string
		content []byte
		status  int
		want    []string
	}{
		{"too large zh", "zh-CN", "big.pdf", append(bytes.Clone(pdf), make([]byte, cases.MaxEvidenceBytes)...), http.StatusRequestEntityTooLarge, []string{"10 MB", i18n.T(i18n.ZH, "ev.bytes", len(pdf)+cases.MaxEvidenceBytes)}},
		{"too large en", "en", "big.pdf", append(bytes.Clone(pdf), make([]byte, cases.MaxEvidenceBytes)...), http.StatusRequestEntityTooLarge, []string{"10 MB", "limit"}},
		{"wrong type zh", "zh-CN", "a.zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00 zip"), http.StatusUnsupportedMediaType,
			[]string{i18n.T(i18n.ZH, "mime.application/zip"), i18n.T(i18n.ZH, "mime.application/pdf"), i18n.T(i18n.ZH, "mime.image/jpeg")}},
		{"wrong type en", "en", "a.zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00 zip"), http.StatusUnsupportedMediaType,
			[]string{i18n.T(i18n.EN, "mime.application/zip"), i18n.T(i18n.EN, "mime.application/pdf")}},
		{"no file zh", "zh-CN", "", nil, http.StatusUnprocessableEntity, []string{i18n.T(i18n.ZH, "refuse.no_file")}},
		{"empty file en", "en", "empty.pdf", nil, http.StatusUnprocessableEntity, []string{i18n.T(i18n.EN, "refuse.no_file")}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			b.lang = tt.lang
			defer func() { b.lang = "" }()
			st, body := b.postFile(path+"/evidence", tt.file, tt.content, map[string]string{"description": "保留的说明"})
			msg := elementText(body, "evidence-file-err")
			if st != tt.status || msg == "" {
				t.Fatalf("%d %q, want %d and a message next to the file field", st, msg, tt.status)
			}
			if tt.lang == "zh-CN" && !chineseOnly(msg) || tt.lang == "en" && !latinOnly(msg) {
				t.Errorf("message not wholly in %s: %q", tt.lang, msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(strings.ToLower(msg), strings.ToLower(w)) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if !strings.Contains(body, "保留的说明") {
				t.Error("the description typed is not kept in the refused form")
			}
			if got, _ := e.cases.Get(t.Context(), c.ID); len(got.Evidence) != 1 {
				t.Errorf("a refused upload was stored: %d files", len(got.Evidence))
			}
		})
	}

	// Compliance reads evidence but may not add it.
	cb := e.browser(t)
	cb.signIn(auth.RoleCompliance)
	if _, body := cb.get(path); strings.Contains(body, `id="act-evidence"`) || !strings.Contains(body, `href="`+link+`"`) {
		t.Error("compliance: an upload form shown, or no download link")
	}
	if st, _ := cb.postFile(path+"/evidence", "x.pdf", pdf, nil); st != http.StatusForbidden {
		t.Errorf("compliance upload: %d, want 403", st)
	}
	// A form without its CSRF token is refused before anything is read.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "x.pdf")
	_, _ = fw.Write(pdf)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", e.base+path+"/evidence", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("upload without CSRF token: %d, want 403", resp.StatusCode)
	}
	if got, _ := e.cases.Get(t.Context(), c.ID); len(got.Evidence) != 1 {
		t.Errorf("evidence after refusals: %d files, want 1", len(got.Evidence))
	}
}

// TestCaseRefusalsLanguage: the service's refusals of case page actions
// are shown wholly in the user's language (the service's English message
// is for the API), next to the field they concern or above the forms.
func TestCaseRefusalsLanguage(t *testing.T) {
	e := newEnv(t)
	rc := findCase(t, e, func(c *cases.Case) bool { return c.State == cases.StateReceived && c.MergedInto == "" })
	ic := findCase(t, e, func(c *cases.Case) bool { return c.State == cases.StateInvestigating && len(c.Solutions) == 0 })
	closed := findCase(t, e, func(c *cases.Case) bool { return c.State == cases.StateClosed && c.MergedInto == "" })
	b := e.browser(t)
	b.signIn(auth.RoleSupervisor)
	tests := []struct {
		name   string
		path   string
		form   url.Values
		status int
		id     string // the element holding the message
		want   func(l i18n.Lang) []string
	}{
		{"illegal move", "/ui/cases/" + rc.ID + "/transition", url.Values{"to": {"closed"}}, http.StatusConflict, "form-error",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "state.received"), i18n.T(l, "state.closed")} }},
		{"refused action", "/ui/cases/" + closed.ID + "/escalate", url.Values{"reason": {"客户再次投诉"}}, http.StatusConflict, "form-error",
			func(l i18n.Lang) []string {
				return []string{i18n.T(l, "state.closed"), i18n.T(l, "refuse.act.escalate")}
			}},
		{"validation", "/ui/cases/" + ic.ID + "/transition", url.Values{"to": {"resolution_proposed"}}, http.StatusUnprocessableEntity, "form-error",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "refuse.v.no_solution")} }},
		{"too large", "/ui/cases/" + ic.ID + "/contact", url.Values{"content": {strings.Repeat("投", cases.MaxTextBytes/3+1)}, "channel": {"phone"}, "direction": {"inbound"}},
			http.StatusRequestEntityTooLarge, "contact-content-err",
			func(l i18n.Lang) []string {
				return []string{i18n.T(l, "field.content"), "64 KB", i18n.T(l, "ev.bytes", 3*(cases.MaxTextBytes/3+1))}
			}},
	}
	for _, tt := range tests {
		for _, lang := range []string{"zh-CN", "en"} {
			t.Run(tt.name+" "+lang, func(t *testing.T) {
				b.lang = lang
				defer func() { b.lang = "" }()
				before, _ := e.cases.Get(t.Context(), strings.Split(tt.path, "/")[3])
				st, body := b.post(tt.path, tt.form)
				msg := elementText(body, tt.id)
				if st != tt.status || msg == "" {
					t.Fatalf("%d %q, want %d and a message in #%s", st, msg, tt.status, tt.id)
				}
				l := i18n.Lang(lang)
				if l == i18n.ZH && !chineseOnly(msg) || l == i18n.EN && !latinOnly(msg) {
					t.Errorf("message not wholly in %s: %q", lang, msg)
				}
				for _, w := range tt.want(l) {
					if !strings.Contains(strings.ToLower(msg), strings.ToLower(w)) {
						t.Errorf("message %q lacks %q", msg, w)
					}
				}
				if after, _ := e.cases.Get(t.Context(), before.ID); after.Version != before.Version {
					t.Errorf("a refused action changed the case: version %d → %d", before.Version, after.Version)
				}
			})
		}
	}
}
