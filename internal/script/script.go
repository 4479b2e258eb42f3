// Package script reads the scripted complaints that the tests, the benchmarks, the load
// generator, the end-to-end helpers and the local chat play. Each scenario is kept once, as
// data, in scripts/<name>.txt: one line per thing the user does, buttons named by their action
// (the callback data after "<prompt>:"), never by their position. Adding a question to the
// conversation means adding its line to the scripts, not to every driver.
//
// A script's lines:
//
//	# a comment                 blank lines and comments are skipped
//	set NAME VALUE              a variable, unless the driver or an earlier line set it
//	include NAME                the lines of scripts/NAME.txt, here
//	part NAME                   the following actions belong to part NAME (see Script.Parts)
//	say TEXT                    a typed message; a command when it starts with "/"
//	press ACTION                the button of the last keyboard whose action is ACTION
//	photo CAPTION               a photo with a caption (possibly empty)
//	document NAME MIME SIZE     a file
//	album N                     N photos sent as one album
//
// An action may end with " => TEXT": text that the bot's answer must contain, for the drivers
// that read the answers. "{NAME}" in an action or an expectation is the variable NAME.
package script

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

//go:embed scripts/*.txt
var files embed.FS

// Verb is what an action does.
type Verb string

// The verbs of a script.
const (
	Say      Verb = "say"      // Arg is the text or the command
	Press    Verb = "press"    // Arg is the button's action
	Photo    Verb = "photo"    // Arg is the caption
	Document Verb = "document" // Arg is the file name; MIME and Size describe it
	Album    Verb = "album"    // N photos
)

// Action is one thing the scripted user does.
type Action struct {
	Verb   Verb
	Arg    string
	MIME   string // Document
	Size   int64  // Document
	N      int    // Album
	Expect string // text the bot's answer must contain; empty: nothing is checked
	Part   string // the part of the script the action belongs to
	Where  string // "file.txt:12", for errors
}

// Command reports whether a Say action is a command, and splits it into name and arguments.
func (a Action) Command() (name, args string, ok bool) {
	if a.Verb != Say || !strings.HasPrefix(a.Arg, "/") {
		return "", "", false
	}
	name, args, _ = strings.Cut(a.Arg[1:], " ")
	return name, strings.TrimSpace(args), true
}

// Script is a scenario's actions, in order.
type Script struct {
	Name    string
	Actions []Action
}

// ErrSyntax is wrapped by every error about a malformed script.
var ErrSyntax = errors.New("script syntax")

// Load reads scripts/name.txt, with vars set before the script's own "set" lines.
func Load(name string, vars map[string]string) (Script, error) {
	return LoadFS(files, name, vars)
}

// MustLoad is Load for test helpers that have no testing.TB: the scripts are embedded, so an
// error is a bug in them.
func MustLoad(name string, vars map[string]string) Script {
	s, err := Load(name, vars)
	if err != nil {
		panic(err)
	}
	return s
}

// Names lists the embedded scripts.
func Names() []string {
	ents, _ := fs.Glob(files, "scripts/*.txt")
	var ns []string
	for _, e := range ents {
		ns = append(ns, strings.TrimSuffix(strings.TrimPrefix(e, "scripts/"), ".txt"))
	}
	return ns
}

// LoadFS reads scripts/name.txt from fsys, as Load does from the embedded scripts.
func LoadFS(fsys fs.FS, name string, vars map[string]string) (Script, error) {
	p := &parser{fsys: fsys, vars: map[string]string{}}
	for k, v := range vars {
		p.vars[k] = v
	}
	if err := p.file(name, "", 0); err != nil {
		return Script{}, err
	}
	return Script{Name: name, Actions: p.actions}, nil
}

// Parts returns the actions of the named parts, in the order named; an unknown part is an error.
func (s Script) Parts(names ...string) ([]Action, error) {
	var out []Action
	for _, n := range names {
		found := false
		for _, a := range s.Actions {
			if a.Part == n {
				out = append(out, a)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("script %s has no part %q", s.Name, n)
		}
	}
	return out, nil
}

// MustParts is Parts for test helpers.
func (s Script) MustParts(names ...string) []Action {
	as, err := s.Parts(names...)
	if err != nil {
		panic(err)
	}
	return as
}

// Terminal writes the script as input for the local chat (package localchat): text and
// commands as typed, a press as "[ACTION]", a photo as "/attach PHOTO CAPTION".
func (s Script) Terminal(photo string) (string, error) {
	var b strings.Builder
	for _, a := range s.Actions {
		switch a.Verb {
		case Say:
			b.WriteString(a.Arg)
		case Press:
			b.WriteString("[" + a.Arg + "]")
		case Photo:
			b.WriteString(strings.TrimSpace("/attach " + photo + " " + a.Arg))
		default:
			return "", fmt.Errorf("%s: the local chat cannot send a %s", a.Where, a.Verb)
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// parser reads a script and the scripts it includes.
type parser struct {
	fsys    fs.FS
	vars    map[string]string
	actions []Action
}

// maxDepth bounds includes, so that a script including itself is an error, not a hang.
const maxDepth = 8

func (p *parser) file(name, part string, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%w: include %s: nested too deep", ErrSyntax, name)
	}
	b, err := fs.ReadFile(p.fsys, "scripts/"+name+".txt")
	if err != nil {
		return fmt.Errorf("read script %s: %w", name, err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		where := name + ".txt:" + strconv.Itoa(n)
		line := strings.TrimRight(sc.Text(), " \t\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		verb, rest, _ := strings.Cut(line, " ")
		switch verb {
		case "set":
			k, v, ok := strings.Cut(rest, " ")
			if !ok || k == "" {
				return fmt.Errorf("%w: %s: set NAME VALUE", ErrSyntax, where)
			}
			if _, set := p.vars[k]; !set {
				p.vars[k] = v
			}
			continue
		case "include":
			if err := p.file(strings.TrimSpace(rest), part, depth+1); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			continue
		case "part":
			part = strings.TrimSpace(rest)
			continue
		}
		a, err := p.action(verb, rest)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrSyntax, where, err)
		}
		a.Part, a.Where = part, where
		p.actions = append(p.actions, a)
	}
	return sc.Err()
}

// action reads one action line, its verb already cut off.
func (p *parser) action(verb, rest string) (Action, error) {
	arg, expect, _ := strings.Cut(rest, " => ")
	var err error
	a := Action{Verb: Verb(verb)}
	if a.Arg, err = p.expand(arg); err != nil {
		return Action{}, err
	}
	if a.Expect, err = p.expand(strings.TrimSpace(expect)); err != nil {
		return Action{}, err
	}
	switch a.Verb {
	case Say, Photo:
	case Press:
		if a.Arg == "" || strings.ContainsAny(a.Arg, " :") {
			return Action{}, fmt.Errorf("press takes one button action, not %q", a.Arg)
		}
	case Document:
		f := strings.Fields(a.Arg)
		if len(f) != 3 {
			return Action{}, fmt.Errorf("document NAME MIME SIZE, not %q", a.Arg)
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || size < 0 {
			return Action{}, fmt.Errorf("document size %q", f[2])
		}
		a.Arg, a.MIME, a.Size = f[0], f[1], size
	case Album:
		n, err := strconv.Atoi(strings.TrimSpace(a.Arg))
		if err != nil || n < 2 || n > 10 {
			return Action{}, fmt.Errorf("album takes 2 to 10 photos, not %q", a.Arg)
		}
		a.N = n
	default:
		return Action{}, fmt.Errorf("unknown verb %q", verb)
	}
	return a, nil
}

// expand replaces each "{NAME}" in s by the variable NAME; an unset one is an error.
func (p *parser) expand(s string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("unclosed { in %q", s)
		}
		name := s[i+1 : i+j]
		v, ok := p.vars[name]
		if !ok {
			return "", fmt.Errorf("variable %q is not set", name)
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+j+1:]
	}
}
