//go:build !linux

package ocr

import (
	"os"
	"time"
)

// usage returns the CPU time of the ended process, and 0 for its memory: only Linux's
// figure is used (for the benchmark).
func usage(ps *os.ProcessState) (cpu time.Duration, peak int64) {
	return ps.UserTime() + ps.SystemTime(), 0
}
