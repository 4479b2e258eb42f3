package locales

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"complaintbot/flows"
)

// catalogCopy returns the embedded catalogs as a file system a test may change.
func catalogCopy(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, lang := range Languages() {
		name := string(lang) + ".toml"
		b, err := fs.ReadFile(catalogs, name)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: b}
	}
	return m
}

// withoutKey removes message key's table from a catalog's TOML.
func withoutKey(t *testing.T, toml []byte, key string) []byte {
	t.Helper()
	re := regexp.MustCompile(`(?ms)^\[` + regexp.QuoteMeta(key) + `\]\n.*?(^\[|\z)`)
	if !re.Match(toml) {
		t.Fatalf("the catalog has no [%s]", key)
	}
	return re.ReplaceAll(toml, []byte("$1"))
}

// TestStartupRefusesMissingKey removes a key flows emits from a copy of the catalogs, from both
// languages (so that they still agree), and sees start-up refuse in one line naming the key.
func TestStartupRefusesMissingKey(t *testing.T) {
	if _, err := LoadFS(catalogCopy(t)); err != nil {
		t.Fatalf("the unchanged copy: %v", err)
	}
	for _, key := range []string{"rights_sim_fee", "checklist_other", "route_company", "ask_device", "sum_merchant", "status_waiting_user"} {
		t.Run(key, func(t *testing.T) {
			cats := catalogCopy(t)
			for name, f := range cats {
				f.Data = withoutKey(t, f.Data, key)
				cats[name] = f
			}
			_, err := LoadFS(cats)
			if err == nil {
				t.Fatalf("start-up accepted catalogs without %s", key)
			}
			if msg := err.Error(); !strings.Contains(msg, strconv.Quote(key)) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q is not one line naming %s", msg, key)
			}
		})
	}
}

// TestFlowsKeysAreListed reads flows' source: every string literal that names a message, and
// every prefix that is completed into a message key, must be in flows.MessageKeys (or its
// enums' prefixes), so that start-up checks it.
func TestFlowsKeysAreListed(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	listed := flows.MessageKeys()
	prefixes := map[string]bool{"edit_": true, "provider_": true}
	for _, e := range flows.Enums() {
		for _, p := range e.Prefixes {
			prefixes[p] = true
		}
	}
	files, err := filepath.Glob(filepath.Join("..", "flows", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("flows' source: %v %v", files, err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.BinaryExpr:
				if lit, ok := x.X.(*ast.BasicLit); ok && x.Op == token.ADD && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					if strings.HasSuffix(s, "_") && !prefixes[s] {
						t.Errorf("%s: the key prefix %q is not among flows.Enums' prefixes", fset.Position(lit.Pos()), s)
					}
				}
			case *ast.BasicLit:
				if x.Kind != token.STRING {
					return true
				}
				s, _ := strconv.Unquote(x.Value)
				if c.Has(s) {
					checked++
					if _, ok := slices.BinarySearch(listed, s); !ok {
						t.Errorf("%s: %q names a message but is not in flows.MessageKeys", fset.Position(x.Pos()), s)
					}
				}
			}
			return true
		})
	}
	if checked < 50 {
		t.Fatalf("only %d message keys found in flows' source", checked)
	}
}
