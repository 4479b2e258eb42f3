package law

import "testing"

// FuzzCheckQuotes feeds arbitrary text, as a document holding user text may, to CheckQuotes: it
// must not panic, and every article quoted whole on its own lines still passes.
func FuzzCheckQuotes(f *testing.F) {
	f.Add("《中华人民共和国价格法》第十三条的规定", "")
	f.Add("《价格法》第十三条：「", "**")
	f.Add("《》第条", "\r\n")
	f.Fuzz(func(t *testing.T, before, after string) {
		_ = CheckQuotes(before + after)
		for _, a := range Articles() {
			if !a.Whole() {
				continue
			}
			if err := CheckQuotes("x\n" + a.Quote() + "\n"); err != nil {
				t.Fatalf("%s alone: %v", a.Key, err)
			}
		}
	})
}
