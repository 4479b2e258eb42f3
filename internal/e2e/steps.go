package e2e

import (
	"context"
	"fmt"
	"strings"

	"complaintbot/internal/script"
)

// Step is one thing a user does, and a piece of text the bot's answer must contain. Play does
// the step, then waits for that text (see User.Expect); an empty Expect waits for nothing.
type Step struct {
	Name   string // what the step does, for errors
	Do     func(ctx context.Context, u *User) error
	Expect string
}

// Say sends a text or a command, and expects a reply containing expect.
func Say(text, expect string) Step {
	return Step{Name: "say " + text, Expect: expect, Do: func(ctx context.Context, u *User) error {
		_, err := u.Text(ctx, text)
		return err
	}}
}

// Press presses the last keyboard's button for action, and expects a reply containing expect.
func Press(action, expect string) Step {
	return Step{Name: "press " + action, Expect: expect, Do: func(ctx context.Context, u *User) error {
		_, err := u.Press(ctx, action)
		return err
	}}
}

// Photo sends a photo with a caption, and expects a reply containing expect.
func Photo(caption, expect string) Step {
	return Step{Name: "photo", Expect: expect, Do: func(ctx context.Context, u *User) error {
		_, _, err := u.Photo(ctx, caption)
		return err
	}}
}

// Document sends a file, and expects a reply containing expect.
func Document(name, mime string, size int64, expect string) Step {
	return Step{Name: "document " + name, Expect: expect, Do: func(ctx context.Context, u *User) error {
		_, _, err := u.Document(ctx, name, mime, size)
		return err
	}}
}

// Album sends n photos as one album, and expects a reply containing expect.
func Album(n int, expect string) Step {
	return Step{Name: fmt.Sprintf("album of %d", n), Expect: expect, Do: func(ctx context.Context, u *User) error {
		_, err := u.Album(ctx, n)
		return err
	}}
}

// Play does the steps in turn, each after the bot answered the one before. The error names
// the step that failed.
func (u *User) Play(ctx context.Context, steps ...Step) error {
	for i, s := range steps {
		if err := s.Do(ctx, u); err != nil {
			return fmt.Errorf("user %d, step %d (%s): %w", u.ID, i+1, s.Name, err)
		}
		if s.Expect == "" {
			continue
		}
		if _, err := u.Expect(ctx, s.Expect); err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, s.Name, err)
		}
	}
	return nil
}

// FromScript turns a shared script's actions (package internal/script) into steps; a photo's
// caption, a document's name, type and size and an album's size come from the script.
func FromScript(as []script.Action) []Step {
	steps := make([]Step, 0, len(as))
	for _, a := range as {
		switch a.Verb {
		case script.Say:
			steps = append(steps, Say(a.Arg, a.Expect))
		case script.Press:
			steps = append(steps, Press(a.Arg, a.Expect))
		case script.Photo:
			steps = append(steps, Photo(a.Arg, a.Expect))
		case script.Document:
			steps = append(steps, Document(a.Arg, a.MIME, a.Size, a.Expect))
		case script.Album:
			steps = append(steps, Album(a.N, a.Expect))
		default:
			panic(fmt.Sprintf("%s: no step for %s", a.Where, a.Verb))
		}
	}
	return steps
}

// Script returns the steps of the named parts of the shared script name, with vars (see
// package internal/script). The scripts are embedded, so an error in one is a bug and panics.
func Script(name string, vars map[string]string, parts ...string) []Step {
	return FromScript(script.MustLoad(name, vars).MustParts(parts...))
}

// LakalaOpening are a consumer's first answers, up to the question about who sold the terminal:
// Lakala took 199 yuan from the settlement on 2024-05-01 when they de-registered their terminal,
// nobody told them, and they signed up with an agent on 2022-03-15. They are the actions of the
// shared script "opening" up to the one answered by that question.
func LakalaOpening() []Step {
	as := script.MustLoad("opening", nil).Actions
	for i, a := range as {
		if strings.Contains(a.Expect, "卖给您机器的代理商") {
			return FromScript(as[:i+1])
		}
	}
	panic("script opening: no question about who sold the terminal")
}
