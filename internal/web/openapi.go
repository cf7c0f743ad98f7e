package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"huajie/internal/auth"
	"huajie/internal/cases"
)

// The OpenAPI 3.1 description is generated from the route table and the Go
// types of the requests and responses, so it cannot drift from what is
// served; openapi_test.go checks that against the mux as well.

func (a *api) openAPI(w http.ResponseWriter, r *http.Request) {
	doc := a.openAPIDoc()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(doc)
}

var (
	openAPIOnce sync.Once
	openAPIJSON []byte
)

func (a *api) openAPIDoc() []byte {
	openAPIOnce.Do(func() {
		b, err := json.MarshalIndent(buildOpenAPI(a.routes()), "", "  ")
		if err != nil {
			panic("web: OpenAPI description does not encode: " + err.Error())
		}
		openAPIJSON = b
	})
	return openAPIJSON
}

type obj = map[string]any

// enums gives the values of the domain's string enumerations.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[cases.State]():         strs(cases.States),
	reflect.TypeFor[cases.Channel]():       strs(cases.Channels),
	reflect.TypeFor[cases.RemedyKind]():    strs(cases.RemedyKinds),
	reflect.TypeFor[cases.ComplaintType](): strs(cases.ComplaintTypes),
	reflect.TypeFor[cases.Direction]():     {string(cases.Inbound), string(cases.Outbound)},
	reflect.TypeFor[cases.Severity]():      {"low", "medium", "high", "critical"},
	reflect.TypeFor[cases.Complexity]():    {"simple", "complex", "very_complex"},
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

var pathParamRE = regexp.MustCompile(`\{([a-z_]+)\}`)

func buildOpenAPI(routes []route) obj {
	sg := &schemaGen{defs: obj{}}
	sg.defs["Error"] = obj{
		"type": "object", "required": []string{"error"},
		"properties": obj{"error": obj{
			"type": "object", "required": []string{"code", "message"},
			"properties": obj{"code": obj{"type": "string"}, "message": obj{"type": "string"}},
		}},
	}
	paths := obj{}
	for _, rt := range routes {
		op := obj{
			"summary":      rt.Summary,
			"tags":         []string{rt.Tag},
			"operationId":  operationID(rt),
			"x-permission": string(rt.Perm),
		}
		var params []obj
		for _, m := range pathParamRE.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, obj{"name": m[1], "in": "path", "required": true, "schema": obj{"type": "string"}})
		}
		for _, q := range rt.Query {
			params = append(params, obj{"name": q.Name, "in": "query", "description": q.Description, "schema": obj{"type": q.Type}})
		}
		if params != nil {
			op["parameters"] = params
		}
		switch {
		case rt.Request != nil:
			op["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": sg.schema(reflect.TypeOf(rt.Request))}}}
		case rt.Upload:
			op["requestBody"] = obj{"required": true, "content": obj{"multipart/form-data": obj{"schema": obj{
				"type": "object", "required": []string{"file"},
				"properties": obj{
					"file":        obj{"type": "string", "contentMediaType": "application/octet-stream"},
					"description": obj{"type": "string"},
					"department":  obj{"type": "string"},
				},
			}}}}
		}
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := obj{"description": http.StatusText(status)}
		switch {
		case rt.Response != nil:
			ok["content"] = obj{"application/json": obj{"schema": sg.schema(reflect.TypeOf(rt.Response))}}
		case rt.Download:
			ok["content"] = obj{"application/octet-stream": obj{"schema": obj{"type": "string", "contentMediaType": "application/octet-stream"}}}
		}
		responses := obj{strconv.Itoa(status): ok}
		errRef := obj{"description": "error", "content": obj{"application/json": obj{"schema": obj{"$ref": "#/components/schemas/Error"}}}}
		codes := []int{}
		if rt.Perm != auth.PermPublic {
			codes = append(codes, 401, 403)
			op["security"] = []obj{{"bearerAuth": []string{}}, {"cookieAuth": []string{}}}
		} else {
			op["security"] = []obj{}
		}
		if rt.Request != nil || rt.Upload || rt.Query != nil {
			codes = append(codes, 400, 413, 422)
		}
		if strings.Contains(rt.Path, "{id}") {
			codes = append(codes, 404)
			if rt.Method != "GET" {
				codes = append(codes, 409)
			}
		}
		if rt.Upload {
			codes = append(codes, 415)
		}
		for _, c := range codes {
			responses[strconv.Itoa(c)] = errRef
		}
		op["responses"] = responses
		p, _ := paths[rt.Path].(obj)
		if p == nil {
			p = obj{}
			paths[rt.Path] = p
		}
		p[strings.ToLower(rt.Method)] = op
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":       "Huajie (化解) API",
			"version":     "1",
			"description": "Complaint cases through the resolution method: intake, assessment, communication record, investigation, solution, the customer's response, follow-up; with regulatory deadlines and a hash-chained audit trail. Personal data is masked for roles without the pii:view permission.",
		},
		"paths": paths,
		"components": obj{
			"schemas": sg.defs,
			"securitySchemes": obj{
				"bearerAuth": obj{"type": "http", "scheme": "bearer", "description": "API token from `huajie token create`"},
				"cookieAuth": obj{"type": "apiKey", "in": "cookie", "name": SessionCookie},
			},
		},
	}
}

func operationID(rt route) string {
	s := strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1", "", "{", "", "}", "", "-", "_", ".", "_").Replace(rt.Path)
	return strings.ReplaceAll(strings.Trim(s, "/"), "/", "_")
}

// schemaGen turns Go types into JSON Schema (2020-12, as OpenAPI 3.1 uses),
// following encoding/json's rules for field names and omission.
type schemaGen struct {
	defs obj
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

func (g *schemaGen) schema(t reflect.Type) obj {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return obj{"type": "string", "format": "date-time"}
	case t == rawType:
		return obj{}
	case t.Kind() != reflect.Struct && t.Implements(marshalerType):
		// Custom encodings (emotion probabilities as an object): say only
		// that it is an object.
		return obj{"type": "object"}
	}
	if vals, ok := enums[t]; ok {
		return obj{"type": "string", "enum": vals}
	}
	switch t.Kind() {
	case reflect.String:
		return obj{"type": "string"}
	case reflect.Bool:
		return obj{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return obj{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return obj{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return obj{"type": "string", "contentEncoding": "base64"}
		}
		return obj{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return obj{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Interface:
		return obj{}
	case reflect.Struct:
		if t.Name() == "" {
			return g.structSchema(t)
		}
		name := schemaName(t)
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = obj{} // placeholder: recursion
			g.defs[name] = g.structSchema(t)
		}
		return obj{"$ref": "#/components/schemas/" + name}
	}
	return obj{}
}

func schemaName(t reflect.Type) string {
	pkg := t.PkgPath()
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		pkg = pkg[i+1:]
	}
	if pkg == "web" {
		return t.Name()
	}
	return pkg + "." + t.Name()
}

func (g *schemaGen) structSchema(t reflect.Type) obj {
	props := obj{}
	var required []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		props[name] = g.schema(f.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") && f.Type.Kind() != reflect.Pointer {
			required = append(required, name)
		}
	}
	s := obj{"type": "object", "properties": props}
	if required != nil {
		s["required"] = required
	}
	return s
}
