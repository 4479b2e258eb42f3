package flows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaintbot/flows"
)

// TestDiagram keeps the picture of the conversation the code's: the Mermaid diagram is a golden
// file (go test ./flows -update rewrites it) and the README must embed it as it is.
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
		t.Fatalf("the machine changed: run go test ./flows -update, then paste %s into README.md", golden)
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```mermaid\n"+got+"```") {
		t.Fatalf("README.md does not embed %s exactly; paste it in a ```mermaid block", golden)
	}
}
