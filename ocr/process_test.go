//go:build unix

package ocr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests of the tesseract process's lifetime run a shell script in its place.

// fakeTesseract writes a script standing in for tesseract: it lists chi_sim, and for a
// reading runs body after saving its process id to dir/pid.
func fakeTesseract(t *testing.T, body string) (command, dir string) {
	t.Helper()
	dir = t.TempDir()
	command = filepath.Join(dir, "tesseract")
	script := "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then printf 'List of available languages (1):\\nchi_sim\\n'; exit 0; fi\n" +
		"echo $$ > " + dir + "/pid\ncat >/dev/null\n" + body + "\n"
	if err := os.WriteFile(command, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return command, dir
}

func TestCancelKillsTesseract(t *testing.T) {
	command, dir := fakeTesseract(t, "exec sleep 600")
	data := render(t, screenshot{font: notoSans, size: 20, lines: vipSMS})
	for _, tt := range []struct {
		name string
		opts Options
		want error
	}{
		{"cancelled", Options{Command: command}, context.Canceled},
		{"reader's timeout", Options{Command: command, Timeout: 2 * time.Second}, context.DeadlineExceeded},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(filepath.Join(dir, "pid"))
			r, err := New(t.Context(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := r.Read(ctx, data)
				done <- err
			}()
			pid := waitForPID(t, filepath.Join(dir, "pid"), done)
			if tt.want == context.Canceled {
				cancel()
			}
			if err := <-done; !errors.Is(err, tt.want) {
				t.Fatalf("Read: %v, want %v", err, tt.want)
			}
			if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
				t.Errorf("tesseract (pid %d) still running after Read returned: %v", pid, err)
			}
		})
	}
}

// waitForPID waits until the fake tesseract has written its process id to path, failing if
// Read ends first (done).
func waitForPID(t *testing.T, path string, done <-chan error) int {
	t.Helper()
	for {
		if b, err := os.ReadFile(path); err == nil && strings.HasSuffix(string(b), "\n") {
			n, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				t.Fatalf("pid file: %v", err)
			}
			return n
		}
		select {
		case err := <-done:
			t.Fatalf("Read ended before the fake tesseract started: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestConcurrencyBounded(t *testing.T) {
	// Each reading leaves a file in dir/running while it runs and logs how many it saw.
	command, dir := fakeTesseract(t, `mkdir -p "$(dirname "$0")/running"; touch "$(dirname "$0")/running/$$"
ls "$(dirname "$0")/running" | wc -l >> "$(dirname "$0")/seen"
sleep 0.2; rm "$(dirname "$0")/running/$$"; echo '费用 199.00 元'`)
	r, err := New(t.Context(), Options{Command: command, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	data := render(t, screenshot{font: notoSans, size: 20, lines: vipSMS})
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Go(func() {
			got, err := r.Read(t.Context(), data)
			if err == nil && got != "费用 199.00 元" {
				err = fmt.Errorf("read %q", got)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	seen, err := os.ReadFile(filepath.Join(dir, "seen"))
	if err != nil {
		t.Fatal(err)
	}
	counts := strings.Fields(string(seen))
	if len(counts) != 6 {
		t.Fatalf("%d readings ran, want 6", len(counts))
	}
	for _, c := range counts {
		if n, _ := strconv.Atoi(c); n < 1 || n > 2 {
			t.Errorf("a reading saw %s running at once, want at most 2", c)
		}
	}
}

func TestWaitingForATurnEndsWithCtx(t *testing.T) {
	command, _ := fakeTesseract(t, "exec sleep 600")
	r, err := New(t.Context(), Options{Command: command})
	if err != nil {
		t.Fatal(err)
	}
	r.turns <- struct{}{} // the only turn is taken
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := r.Read(ctx, render(t, screenshot{font: notoSans, size: 20, lines: vipSMS})); !errors.Is(err, context.Canceled) {
		t.Errorf("Read without a turn: %v, want context.Canceled", err)
	}
}
