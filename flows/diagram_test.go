package flows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaintbot/flows"
)

// TestDiagram keeps the picture of the conversation the code's: the Mermaid diagram is a golden
// file and the README must embed it as it is (go test ./flows -update rewrites both).
func TestDiagram(t *testing.T) {
	got, err := flows.Diagram()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "diagram.mmd")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Fatalf("the machine changed: run go test ./flows -update and review the diff")
	}
	path := filepath.Join("..", "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		// the README's one mermaid block is the diagram
		const open, end = "```mermaid\n", "```"
		i := strings.Index(string(readme), open)
		if i < 0 {
			t.Fatal("README.md has no ```mermaid block")
		}
		j := strings.Index(string(readme[i+len(open):]), end)
		if j < 0 {
			t.Fatal("README.md's ```mermaid block does not end")
		}
		readme = []byte(string(readme[:i+len(open)]) + got + string(readme[i+len(open)+j:]))
		if err := os.WriteFile(path, readme, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(string(readme), "```mermaid\n"+got+"```") {
		t.Fatalf("README.md does not embed %s exactly: run go test ./flows -update", golden)
	}
}
