package app

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"complaintbot/internal/redistest"
	"complaintbot/internal/script"
)

// TestRunChat runs the program as `complaintbot chat` with the shared script consumer-lakala on stdin: on the embedded
// default when REDIS_URL is unset, and on a real redis-server when it is set. Each run writes
// the complaint's .docx.
func TestRunChat(t *testing.T) {
	chat, err := script.MustLoad("consumer-lakala", nil).Terminal(filepath.Join("testdata", "sms.png"))
	if err != nil {
		t.Fatal(err)
	}
	server := redistest.New(t, redistest.Config{TCP: true})
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"embedded default", map[string]string{}},
		{"real redis-server", map[string]string{"REDIS_URL": server.URL()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var stdout, stderr bytes.Buffer
			getenv := func(k string) string { return tc.env[k] }
			// the script's relative /attach path is resolved from the localchat folder
			t.Chdir(filepath.Join("..", "localchat"))
			err := Run(context.Background(), []string{"chat", "-out", dir, "-lang", "zh-CN"}, getenv,
				strings.NewReader(chat), &stdout, &stderr)
			if err != nil {
				t.Fatalf("run: %v\n%s", err, stderr.String())
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.docx"))
			if len(files) != 1 {
				t.Fatalf("documents = %v\n%s", files, stdout.String())
			}
			if !strings.Contains(stdout.String(), "[document] "+files[0]) {
				t.Fatal("the document's path was not shown")
			}
			embeddedWarned := strings.Contains(stderr.String(), "end with the process") || strings.Contains(stderr.String(), "embedded")
			if (tc.env["REDIS_URL"] == "") != embeddedWarned {
				t.Fatalf("embedded warning = %v, stderr:\n%s", embeddedWarned, stderr.String())
			}
		})
	}
}

// TestRunUsage: a command line we do not understand is an error naming the usage.
func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"bogus"}} {
		err := Run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "usage") {
			t.Fatalf("run(%v) = %v", args, err)
		}
	}
}
