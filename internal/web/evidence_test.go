package web_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/web/client"
)

// TestEvidenceLimits checks the size limit, the content-type check (by the
// bytes, not the name) and malformed uploads.
func TestEvidenceLimits(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ctx := context.Background()
	c := e.newCase(t, "转账失败，钱被扣了没到账")
	h := e.as[auth.RoleHandler]
	tests := []struct {
		name    string
		file    string
		content []byte
		status  int
		code    string
	}{
		{"over the limit", "big.txt", bytes.Repeat([]byte("a"), testEvidenceLimit+1), 413, "too_large"},
		{"executable named .pdf", "statement.pdf", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...), 415, "unsupported_type"},
		{"html is refused", "page.txt", []byte("<html><script>alert(1)</script></html>"), 415, "unsupported_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.UploadEvidence(ctx, c.ID, tt.file, tt.content, "", "")
			var ce *client.Error
			if !errors.As(err, &ce) || ce.Status != tt.status || ce.Code != tt.code {
				t.Fatalf("err = %v, want %d %s", err, tt.status, tt.code)
			}
		})
	}
	// Exactly at the limit is accepted, and comes back byte for byte.
	at := bytes.Repeat([]byte("b"), testEvidenceLimit)
	ev, err := h.UploadEvidence(ctx, c.ID, "exact.txt", at, "", "")
	if err != nil {
		t.Fatalf("file at the limit: %v", err)
	}
	got, _, err := h.DownloadEvidence(ctx, c.ID, ev.ID)
	if err != nil || !bytes.Equal(got, at) {
		t.Fatalf("download: %d bytes, %v", len(got), err)
	}
	resp, err := h.Raw(ctx, "GET", "/api/v1/cases/"+c.ID+"/evidence/"+ev.ID, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("Content-Disposition = %q, want attachment", cd)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("download lacks nosniff")
	}
	// Not multipart at all.
	resp, err = h.Raw(ctx, "POST", "/api/v1/cases/"+c.ID+"/evidence", `{"file":"x"}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkError(t, resp, 415, "unsupported_media_type", "multipart")
}
