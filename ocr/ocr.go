// Package ocr reads the text of a screenshot or photo with Tesseract, for the evidence a
// complainant sends as an image (an SMS, an app notice, a settlement ledger).
//
// It runs the tesseract command line (Debian's tesseract-ocr and tesseract-ocr-chi-sim)
// rather than a cgo binding such as gosseract: the binary stays CGO_ENABLED=0 and builds
// without Tesseract's and Leptonica's headers, a crash or a runaway reading in the engine
// kills one child process and not the bot, cancelling is killing that process, and the
// program works unchanged where Tesseract is not installed (New reports ErrNotInstalled and
// the bot goes on without reading screenshots). Starting a process and loading the model
// costs about 0.1 s of CPU and 60 MB per image, next to the 0.3–0.4 s of CPU a screenshot's
// recognition takes (BenchmarkRead).
//
// Before Tesseract sees an image, Go's image packages decode it (which rejects what is not
// an image and images too large to decode safely), turn it to gray, make dark-mode
// screenshots dark-on-light, smooth grainy ones and enlarge text too small for Tesseract
// (see preprocess; TestPreprocessHelps measures what it gains). Nothing outside Go and
// the tesseract command is needed; ImageMagick is not.
package ocr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// MaxBytes is the largest image Read accepts: 20 MB, the most a bot can download from
// Telegram (getFile).
const MaxBytes = 20 << 20

// maxPixels bounds the decoded size of an image (a 20 MB PNG can claim gigapixels). A
// 4000×6000 photo is 24 Mpx.
const maxPixels = 40_000_000

// maxText bounds what is kept of Tesseract's output; a screenshot holds a few kilobytes.
const maxText = 1 << 20

// ErrNotInstalled is what New returns, wrapped in a *NotInstalledError, when the tesseract
// command or its language data is missing, and what Read on a nil *Reader returns.
var ErrNotInstalled = errors.New("ocr: tesseract is not installed")

// ErrTooLarge is what Read returns for an image over MaxBytes or over 40 million pixels.
var ErrTooLarge = errors.New("ocr: image too large")

// ErrNotImage is what Read returns for data that is not a PNG, JPEG, GIF, WebP, BMP or
// TIFF image.
var ErrNotImage = errors.New("ocr: not an image")

// NotInstalledError says what is missing for reading images: the command, or the language
// data it would need. It matches ErrNotInstalled with errors.Is.
type NotInstalledError struct {
	Command string   // the command looked for
	Missing []string // languages tesseract lacks, e.g. ["chi_sim"]; empty when the command itself is missing
	Err     error    // why the command could not be run, when it could not
}

// Error says what is missing.
func (e *NotInstalledError) Error() string {
	if len(e.Missing) > 0 {
		return fmt.Sprintf("ocr: %s lacks the language data %s", e.Command, strings.Join(e.Missing, ", "))
	}
	return fmt.Sprintf("ocr: %s cannot be run: %v", e.Command, e.Err)
}

// Is reports whether target is ErrNotInstalled.
func (e *NotInstalledError) Is(target error) bool { return target == ErrNotInstalled }

// Unwrap returns why the command could not be run.
func (e *NotInstalledError) Unwrap() error { return e.Err }

// Options configures a Reader. The zero value reads Simplified Chinese (with the digits and Latin letters in it) with the
// tesseract found in PATH, one image at a time, for at most a minute each.
type Options struct {
	// Command is the tesseract executable, a name looked up in PATH or a path; default
	// "tesseract".
	Command string
	// Languages are Tesseract's language codes joined with "+"; default "chi_sim", whose
	// model reads the ASCII letters and digits of Chinese messages too (SN:WP12345678,
	// T1结算). Adding "eng" makes each reading 2–3 times slower and turns Chinese words
	// into English-looking ones ("调账" read as "WANK" in TestReadScreenshots' ledger).
	Languages string
	// Concurrency is how many images are read at once; default 1. Each reading keeps one
	// core busy for about half a second and holds about 70 MB; further callers wait their
	// turn in Read.
	Concurrency int
	// Timeout bounds one reading, waiting for a turn excluded; default 60 s.
	Timeout time.Duration
}

// Reader reads text from images with the tesseract command. Its methods are safe for
// concurrent use. A nil *Reader is valid: it is not Available and its Read returns
// ErrNotInstalled, so a program can hold one whether or not Tesseract is installed.
type Reader struct {
	command   string // resolved path
	languages string
	timeout   time.Duration
	turns     chan struct{} // a semaphore: one token per reading under way
}

// New checks that the tesseract command runs and has the languages asked for, and returns a
// Reader. When it does not, New returns nil and a *NotInstalledError (errors.Is(err,
// ErrNotInstalled)); a caller that can do without screenshots logs it once and goes on with
// the nil Reader. ctx bounds the check, which runs tesseract --list-langs.
func New(ctx context.Context, opts Options) (*Reader, error) {
	if opts.Command == "" {
		opts.Command = "tesseract"
	}
	if opts.Languages == "" {
		opts.Languages = "chi_sim"
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 1
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Minute
	}
	path, err := exec.LookPath(opts.Command)
	if err != nil {
		return nil, &NotInstalledError{Command: opts.Command, Err: err}
	}
	have, err := listLanguages(ctx, path)
	if err != nil {
		return nil, &NotInstalledError{Command: opts.Command, Err: err}
	}
	var missing []string
	for _, lang := range strings.Split(opts.Languages, "+") {
		if !have[lang] {
			missing = append(missing, lang)
		}
	}
	if len(missing) > 0 {
		return nil, &NotInstalledError{Command: opts.Command, Missing: missing}
	}
	return &Reader{
		command:   path,
		languages: opts.Languages,
		timeout:   opts.Timeout,
		turns:     make(chan struct{}, opts.Concurrency),
	}, nil
}

// listLanguages runs tesseract --list-langs, which prints a heading and then one language
// code a line.
func listLanguages(ctx context.Context, command string) (map[string]bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, command, "--list-langs")
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("list languages: %w", err)
	}
	have := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.Contains(line, " ") {
			have[line] = true
		}
	}
	return have, nil
}

// Available reports whether r can read images (r is not nil).
func (r *Reader) Available() bool { return r != nil }

// Read returns the text of the image in data, cleaned with Normalize: lines as Tesseract
// found them, top to bottom. Text it cannot make out is missing or misspelt, never
// reported as an error; an image without text gives "".
//
// Read waits for a turn when Concurrency readings are under way, then allows the reading
// the Reader's Timeout. When ctx ends or the time is up, the tesseract process is killed
// and Read returns an error wrapping ctx's or context.DeadlineExceeded. Other errors:
// ErrTooLarge, ErrNotImage, ErrNotInstalled (nil Reader), or the command's failure.
func (r *Reader) Read(ctx context.Context, data []byte) (string, error) {
	if r == nil {
		return "", ErrNotInstalled
	}
	if len(data) > MaxBytes {
		return "", fmt.Errorf("read image of %d bytes: %w", len(data), ErrTooLarge)
	}
	if err := checkImage(data); err != nil {
		return "", fmt.Errorf("read image: %w", err)
	}
	select {
	case r.turns <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("read image: wait for a turn: %w", ctx.Err())
	}
	defer func() { <-r.turns }()

	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	img, err := preprocess(data)
	if err != nil {
		return "", fmt.Errorf("read image: %w", err)
	}
	text, _, err := r.recognize(ctx, img)
	if err != nil {
		return "", fmt.Errorf("read image: %w", err)
	}
	return Normalize(text), nil
}

// ReadFile is Read on the contents of the file at path.
func (r *Reader) ReadFile(ctx context.Context, path string) (string, error) {
	if r == nil {
		return "", ErrNotInstalled
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read image file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return "", fmt.Errorf("read image file: %w", err)
	}
	if len(data) > MaxBytes {
		return "", fmt.Errorf("read image file: over %d bytes: %w", MaxBytes, ErrTooLarge)
	}
	return r.Read(ctx, data)
}

// recognize runs tesseract on img (an encoded image) and returns what it printed and the
// CPU time it took (for the benchmark).
//
// --psm 6 reads the image as one block of text: screenshots of an SMS or a ledger are
// that, and the default page segmentation (3) splits ledger columns into separate blocks,
// which tears an amount away from its date. OMP_THREAD_LIMIT=1 keeps one reading on one
// core; Concurrency says how many run at once.
func (r *Reader) recognize(ctx context.Context, img []byte) (string, processUsage, error) {
	cmd := exec.CommandContext(ctx, r.command, "stdin", "stdout", "-l", r.languages, "--psm", "6")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.Stdin = bytes.NewReader(img)
	var out, errOut limitedBuffer
	out.max, errOut.max = maxText, 4<<10
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.WaitDelay = time.Second // the process is killed on ctx's end; don't wait on its pipes
	err := cmd.Run()
	if ctx.Err() != nil {
		return "", processUsage{}, fmt.Errorf("tesseract: %w", ctx.Err())
	}
	if err != nil {
		// Tesseract's messages name files and settings, never the text it read.
		return "", processUsage{}, fmt.Errorf("tesseract: %w: %s", err, lastLine(errOut.String()))
	}
	return out.String(), processUsage{cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}, nil
}

// processUsage is what one tesseract process used. (Not its peak memory: the rusage figure
// of a child started by Go includes the parent's memory from before the exec.)
type processUsage struct {
	cpu time.Duration
}

// limitedBuffer keeps the first max bytes written to it and discards the rest.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// lastLine returns the last non-empty line of s, shortened to 200 bytes.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	line := strings.TrimSpace(lines[len(lines)-1])
	if len(line) > 200 {
		line = line[:200] + "…"
	}
	return strconv.Quote(line)
}
