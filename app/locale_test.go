package app

import (
	"testing"

	"complaintbot/flows"
)

// TestTerminalLanguage: the local chat starts in the language of the terminal's locale, and in
// Chinese when the locale names none (a fresh machine's C.UTF-8).
func TestTerminalLanguage(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		code string
		lang flows.Lang
	}{
		{"nothing set", nil, "", flows.LangZH},
		{"C.UTF-8 of a fresh machine", map[string]string{"LANG": "C.UTF-8"}, "", flows.LangZH},
		{"POSIX", map[string]string{"LANG": "POSIX"}, "", flows.LangZH},
		{"Chinese", map[string]string{"LANG": "zh_CN.UTF-8"}, "zh-CN", flows.LangZH},
		{"Taiwan's Chinese", map[string]string{"LANG": "zh_TW.Big5"}, "zh-TW", flows.LangZH},
		{"English", map[string]string{"LANG": "en_US.UTF-8"}, "en-US", flows.LangEN},
		{"a modifier", map[string]string{"LANG": "en_GB.UTF-8@euro"}, "en-GB", flows.LangEN},
		{"German reads English", map[string]string{"LANG": "de_DE.UTF-8"}, "de-DE", flows.LangEN},
		{"LC_ALL wins", map[string]string{"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"}, "en-US", flows.LangEN},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh-CN", flows.LangZH},
		{"C in LC_ALL names no language", map[string]string{"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "", flows.LangZH},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := terminalLanguage(func(k string) string { return tc.env[k] })
			if code != tc.code || flows.LangFromCode(code) != tc.lang {
				t.Fatalf("terminalLanguage = %q (%s), want %q (%s)", code, flows.LangFromCode(code), tc.code, tc.lang)
			}
		})
	}
}
