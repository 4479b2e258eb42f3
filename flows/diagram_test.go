package flows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaintbot/flows"
)

// TestDiagram keeps the picture of the conversation the code's: the README's one ```mermaid
// block is the diagram as flows.Diagram draws it (go test ./flows -update rewrites it there, its
// only copy).
func TestDiagram(t *testing.T) {
	got, err := flows.Diagram()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const open, end = "```mermaid\n", "```"
	i := strings.Index(string(readme), open)
	if i < 0 {
		t.Fatal("README.md has no ```mermaid block")
	}
	i += len(open)
	j := strings.Index(string(readme[i:]), end)
	if j < 0 {
		t.Fatal("README.md's ```mermaid block does not end")
	}
	if *update {
		readme = []byte(string(readme[:i]) + got + string(readme[i+j:]))
		if err := os.WriteFile(path, readme, 0o644); err != nil {
			t.Fatal(err)
		}
		j = len(got)
	}
	if string(readme[i:i+j]) != got {
		t.Fatal("the machine changed: run go test ./flows -update and review the README's diff")
	}
}
