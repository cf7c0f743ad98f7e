package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/pii"
	"huajie/internal/web"
	"huajie/internal/web/client"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogsAreMasked logs at debug level through the pii handler while
// personal data passes through requests, successful and failing, and checks
// none of it reaches the log in clear.
func TestLogsAreMasked(t *testing.T) {
	db := openSQLite(t)
	var buf lockedBuffer
	log := slog.New(pii.NewHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	cs := cases.New(cases.Opts{Repo: db.Cases(), Logger: log})
	as := auth.New(auth.Opts{Store: db})
	srv := httptest.NewServer(web.New(web.Opts{Cases: cs, Auth: as, DB: db, Logger: log, Registry: prometheus.NewRegistry()}))
	defer srv.Close()
	ctx := context.Background()
	tok, _, err := as.CreateToken(ctx, "h", auth.RoleHandler)
	if err != nil {
		t.Fatal(err)
	}
	cl := client.New(srv.URL, tok)
	const phone, card = "13812345678", "6222021234567890"
	c, err := cl.CreateCase(ctx, cases.NewCase{Channel: cases.ChannelPhone,
		Customer: cases.Customer{ID: "C1", Name: "张伟", Phone: phone}, Text: "卡号" + card + "被盗刷，请回电" + phone})
	if err != nil {
		t.Fatal(err)
	}
	cl.ListCases(ctx, map[string][]string{"q": {phone}})
	cl.Raw(ctx, "GET", "/api/v1/cases/"+phone, nil, nil)
	cl.Raw(ctx, "POST", "/api/v1/cases/"+c.ID+"/contacts", `{"content":"`+card+`","channel":"nope"}`, nil)
	out := buf.String()
	if !strings.Contains(out, "request") {
		t.Fatalf("nothing was logged; the test proves nothing:\n%s", out)
	}
	for _, leak := range []string{phone, card} {
		if strings.Contains(out, leak) {
			t.Errorf("log contains %s in clear:\n%s", leak, out)
		}
	}
}
