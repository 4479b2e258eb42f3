package app

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestLayout: the README's layout table lists every package and, for each, the project's own
// packages it imports, as the code does; and bot, staff and storage never import each other.
func TestLayout(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := layoutRows(t, string(readme))
	imports := projectImports(t, "..")
	// owner maps each package directory to the README row it belongs to: its own row, or else
	// the nearest listed directory above it
	owner := func(dir string) string {
		for d := dir; ; d = filepath.Dir(d) {
			if _, ok := rows[d]; ok && (d != "." || dir == ".") {
				return d // main.go's row holds the root package only
			}
			if d == "." || d == "/" {
				return ""
			}
		}
	}
	got := map[string][]string{}
	for dir, imps := range imports {
		row := owner(dir)
		if row == "" {
			t.Errorf("package %s is in no row of the README's layout table", dir)
			continue
		}
		for _, imp := range imps {
			if owner(imp) == row || slices.Contains(got[row], imp) {
				continue
			}
			got[row] = append(got[row], imp)
		}
	}
	for row, want := range rows {
		have := got[row]
		slices.Sort(have)
		slices.Sort(want)
		if !slices.Equal(have, want) {
			t.Errorf("README row %s imports %v; the code imports %v", row, want, have)
		}
	}
	for _, p := range []string{"bot", "staff", "storage"} {
		for _, q := range imports[p] {
			if q != p && (q == "bot" || q == "staff" || q == "storage") {
				t.Errorf("%s imports %s", p, q)
			}
		}
	}
}

// layoutRows reads the README's layout table: package directory ("." for main.go) → the
// project's packages its imports column names.
func layoutRows(t *testing.T, readme string) map[string][]string {
	t.Helper()
	_, table, ok := strings.Cut(readme, "| package | job | imports |")
	if !ok {
		t.Fatal("the README has no layout table with an imports column")
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(table, "\n")[2:] {
		if !strings.HasPrefix(line, "| ") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 3 {
			t.Fatalf("layout row %q has %d cells", line, len(cells))
		}
		dir := strings.TrimSuffix(strings.Trim(strings.TrimSpace(cells[0]), "`"), "/")
		if dir == "main.go" {
			dir = "."
		}
		var imps []string
		for _, f := range strings.Split(cells[2], ",") {
			if f = strings.Trim(strings.TrimSpace(f), "`"); f != "" {
				imps = append(imps, f)
			}
		}
		rows[dir] = imps
	}
	return rows
}

// projectImports reads the imports of every package's non-test files under root: package
// directory → the project's packages it imports, as directories.
func projectImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	const module = "complaintbot"
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		dir = filepath.ToSlash(dir)
		if _, ok := out[dir]; !ok {
			out[dir] = nil
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			rest, ok := strings.CutPrefix(p, module+"/")
			if ok && !slices.Contains(out[dir], rest) {
				out[dir] = append(out[dir], rest)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
