package cases

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// TestValidationCodesListed: the list is snake_case, has no duplicates and
// holds every Code… constant of the package, so a new code cannot be left
// out of the translation tables that range over it.
func TestValidationCodesListed(t *testing.T) {
	codes := ValidationCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		if !snakeCase.MatchString(c) || seen[c] {
			t.Errorf("code %q: not snake_case, or listed twice", c)
		}
		seen[c] = true
	}
	for name, v := range codeConsts(t) {
		if !seen[v] {
			t.Errorf("%s = %q is not in ValidationCodes()", name, v)
		}
	}
	codes[0] = "changed"
	if ValidationCodes()[0] == "changed" {
		t.Error("ValidationCodes returns the package's own slice")
	}
}

// TestEveryValidationErrorHasACode reads the package's source: every
// ValidationError it builds names its Code with one of the Code…
// constants, so no refusal reaches a client or the UI without a code.
func TestEveryValidationErrorHasACode(t *testing.T) {
	consts := codeConsts(t)
	sites := 0
	for _, f := range parseFiles(t) {
		ast.Inspect(f.file, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "ValidationError" {
				return true
			}
			sites++
			pos := f.fset.Position(lit.Pos())
			var code ast.Expr
			for _, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Code" {
						code = kv.Value
					}
				}
			}
			id, ok := code.(*ast.Ident)
			if !ok {
				t.Errorf("%s: ValidationError without a Code constant", pos)
				return true
			}
			if v, ok := consts[id.Name]; !ok || !slices.Contains(ValidationCodes(), v) {
				t.Errorf("%s: Code %s is not a listed validation code", pos, id.Name)
			}
			return true
		})
	}
	// The package builds dozens; finding none means the walk is broken.
	if sites < 40 {
		t.Errorf("found %d ValidationError literals, expected at least 40", sites)
	}
}

type parsed struct {
	fset *token.FileSet
	file *ast.File
}

func parseFiles(t *testing.T) []parsed {
	t.Helper()
	names, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []parsed
	for _, e := range names {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, parsed{fset, f})
	}
	return out
}

// codeConsts returns the package's Code… string constants by name.
func codeConsts(t *testing.T) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, f := range parseFiles(t) {
		for _, d := range f.file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !strings.HasPrefix(n.Name, "Code") || i >= len(vs.Values) {
						continue
					}
					if bl, ok := vs.Values[i].(*ast.BasicLit); ok && bl.Kind == token.STRING {
						v, _ := strconv.Unquote(bl.Value)
						m[n.Name] = v
					}
				}
			}
		}
	}
	if len(m) == 0 {
		t.Fatal("no Code constants found")
	}
	return m
}
