package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/web"
	"huajie/internal/web/client"
)

// TestOpenAPI checks the served description against the route table in
// both directions, and every described operation against the server: a
// described path the mux does not serve answers 404 "no route" or 405.
func TestOpenAPI(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ctx := context.Background()
	resp, err := e.anon.Raw(ctx, "GET", "/api/v1/openapi.json", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 {
		t.Fatalf("openapi.json: %d", resp.Status)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comp    struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(resp.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	described := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			described[strings.ToUpper(m)+" "+p] = true
		}
	}
	served := map[string]bool{}
	for _, rt := range web.Routes() {
		k := rt.Method + " " + rt.Path
		served[k] = true
		if !described[k] {
			t.Errorf("route %s is not in the OpenAPI description", k)
		}
	}
	var keys []string
	for k := range described {
		keys = append(keys, k)
		if !served[k] {
			t.Errorf("OpenAPI describes %s, which is not a route", k)
		}
	}
	sort.Strings(keys)
	// Every described operation reaches a handler on the real server.
	admin := e.as[auth.RoleAdmin]
	for _, k := range keys {
		method, path, _ := strings.Cut(k, " ")
		if path == "/api/v1/auth/logout" {
			continue
		}
		p := strings.NewReplacer("{id}", "x", "{evidence_id}", "y").Replace(path)
		var body any
		if method != "GET" {
			body = "{}"
		}
		var r *client.Response
		var err error
		if strings.HasSuffix(path, "/stream") {
			r = &client.Response{}
			r.Status, r.Body, err = admin.StreamStatus(ctx, p)
		} else {
			r, err = admin.Raw(ctx, method, p, body, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		if r.Status == http.StatusMethodNotAllowed || strings.Contains(string(r.Body), "no route for") {
			t.Errorf("described %s is not served: %d %s", k, r.Status, r.Body)
		}
	}
	// Every $ref resolves.
	for _, ref := range strings.Split(string(resp.Body), `"$ref": "#/components/schemas/`)[1:] {
		name := ref[:strings.IndexByte(ref, '"')]
		if _, ok := doc.Comp.Schemas[name]; !ok {
			t.Errorf("unresolved $ref %s", name)
		}
	}
	for _, want := range []string{"cases.Case", "cases.NewCase", "Error"} {
		if _, ok := doc.Comp.Schemas[want]; !ok {
			t.Errorf("schema %s missing", want)
		}
	}
}
