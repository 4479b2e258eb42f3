package ocr

import (
	"os"
	"syscall"
	"time"
)

// usage returns the CPU time and the peak memory, in bytes, of the ended process.
func usage(ps *os.ProcessState) (cpu time.Duration, peak int64) {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		peak = ru.Maxrss * 1024 // Linux counts kilobytes
	}
	return ps.UserTime() + ps.SystemTime(), peak
}
