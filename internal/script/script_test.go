package script

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// TestEmbeddedScriptsLoad reads every embedded script with its own defaults.
func TestEmbeddedScriptsLoad(t *testing.T) {
	names := Names()
	if len(names) < 3 {
		t.Fatalf("scripts = %v", names)
	}
	for _, n := range names {
		s, err := Load(n, nil)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if n != "opening" && len(s.Actions) < 12 { // the seed case pasted is the shortest
			t.Errorf("%s: only %d actions", n, len(s.Actions))
		}
	}
}

// TestParse covers each line form and each refusal.
func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		vars       map[string]string
		want       []Action // Where left out
		err        string
	}{
		{name: "say with expectation", text: "say 199元 => 哪天扣的", want: []Action{{Verb: Say, Arg: "199元", Expect: "哪天扣的"}}},
		{name: "command", text: "say /lang en", want: []Action{{Verb: Say, Arg: "/lang en"}}},
		{name: "press", text: "press b=0", want: []Action{{Verb: Press, Arg: "b=0"}}},
		{name: "photo without caption", text: "photo", want: []Action{{Verb: Photo}}},
		{name: "document", text: "document a.pdf application/pdf 10 => 第 2 件", want: []Action{{Verb: Document, Arg: "a.pdf", MIME: "application/pdf", Size: 10, Expect: "第 2 件"}}},
		{name: "album", text: "album 3", want: []Action{{Verb: Album, Arg: "3", N: 3}}},
		{name: "comments and blanks", text: "# x\n\n  \npress done", want: []Action{{Verb: Press, Arg: "done"}}},
		{name: "variable default", text: "set x 业务员\nsay {x}王某", want: []Action{{Verb: Say, Arg: "业务员王某"}}},
		{name: "driver's variable wins", text: "set x 业务员\nsay {x}", vars: map[string]string{"x": "Q1Q"}, want: []Action{{Verb: Say, Arg: "Q1Q"}}},
		{name: "first set wins", text: "set x a\nset x b\nsay {x}", want: []Action{{Verb: Say, Arg: "a"}}},
		{name: "parts", text: "part one\npress a\npart two\npress b", want: []Action{{Verb: Press, Arg: "a", Part: "one"}, {Verb: Press, Arg: "b", Part: "two"}}},
		{name: "include keeps the part", text: "part p\ninclude inc\npress b", want: []Action{{Verb: Press, Arg: "a", Part: "p"}, {Verb: Press, Arg: "b", Part: "p"}}},
		{name: "unknown verb", text: "click ok", err: "unknown verb"},
		{name: "press by position", text: "press 1:done", err: "one button action"},
		{name: "press nothing", text: "press", err: "one button action"},
		{name: "bad document", text: "document a.pdf", err: "document NAME MIME SIZE"},
		{name: "bad album", text: "album 1", err: "2 to 10"},
		{name: "unset variable", text: "say {nobody}", err: "not set"},
		{name: "unclosed variable", text: "say {x", err: "unclosed"},
		{name: "bad set", text: "set x", err: "set NAME VALUE"},
		{name: "missing include", text: "include nowhere", err: "read script nowhere"},
		{name: "include loop", text: "include loop", err: "nested too deep"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"scripts/t.txt":    {Data: []byte(tc.text)},
				"scripts/inc.txt":  {Data: []byte("press a")},
				"scripts/loop.txt": {Data: []byte("include loop")},
			}
			s, err := LoadFS(fsys, "t", tc.vars)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Actions) != len(tc.want) {
				t.Fatalf("actions = %+v, want %+v", s.Actions, tc.want)
			}
			for i, a := range s.Actions {
				a.Where = ""
				if a != tc.want[i] {
					t.Errorf("action %d = %+v, want %+v", i, a, tc.want[i])
				}
			}
		})
	}
	_, err := LoadFS(fstest.MapFS{"scripts/t.txt": {Data: []byte("click")}}, "t", nil)
	if !errors.Is(err, ErrSyntax) {
		t.Errorf("a syntax error does not wrap ErrSyntax: %v", err)
	}
}

// TestParts picks parts in the order named and refuses an unknown one.
func TestParts(t *testing.T) {
	s := MustLoad("consumer-lakala-files", nil)
	as, err := s.Parts("contact", "intake")
	if err != nil {
		t.Fatal(err)
	}
	if last := as[len(as)-1]; as[0].Part != "contact" || as[0].Arg != "done" || last.Part != "intake" || last.Verb != Say {
		t.Fatalf("parts out of order: first %+v, last %+v", as[0], as[len(as)-1])
	}
	if _, err := s.Parts("nonsense"); err == nil {
		t.Fatal("an unknown part was accepted")
	}
}

// TestTerminal writes the typical complaint for the local chat.
func TestTerminal(t *testing.T) {
	s := MustLoad("consumer-lakala", nil)
	out, err := s.Terminal("testdata/sms.png")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/start\n", "[agree]\n", "199元\n", "/attach testdata/sms.png 扣费短信截图\n", "[confirm]\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal input lacks %q:\n%s", want, out)
		}
	}
	if _, err := MustLoad("consumer-lakala-files", nil).Terminal("x.png"); err == nil {
		t.Error("a document was written for the terminal")
	}
}

// FuzzLoad: no script text makes the parser panic or hang.
func FuzzLoad(f *testing.F) {
	f.Add("say {x} => y\npart p\ndocument a b 1\nalbum 3\nset x 1\ninclude t")
	f.Fuzz(func(t *testing.T, text string) {
		_, _ = LoadFS(fstest.MapFS{"scripts/t.txt": {Data: []byte(text)}}, "t", nil)
	})
}
