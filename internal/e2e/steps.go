package e2e

import (
	"context"
	"fmt"
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

// LakalaOpening are a consumer's first answers, up to the question about who sold the terminal:
// Lakala took 199 yuan from the settlement on 2024-05-01 when they de-registered their terminal,
// nobody told them, and they signed up with an agent on 2022-03-15.
func LakalaOpening() []Step {
	return []Step{
		Say("/start", "Please choose a language"),
		Press("zh-CN", "您同意吗"),
		Press("agree", "您是以什么身份投诉"),
		Press("consumer", "被扣的是哪一类费用"),
		Press("deregistration_fee", "是哪家支付机构"),
		Press("lakala", "第 1 笔扣款的金额是多少元"),
		Say("199元", "这笔 199.00 元是哪天扣的"),
		Say("2024年5月1日", "这笔钱是怎么被扣走的"),
		Press("settlement", "还有其他扣款吗"),
		Press("done", "有没有明确告诉您"),
		Press("not_told", "您是哪天发现被扣费的"),
		Press("first", "哪天办理"),
		Say("2022-03-15", "通过什么渠道办理的"),
		Press("agent", "卖给您机器的代理商"),
	}
}
