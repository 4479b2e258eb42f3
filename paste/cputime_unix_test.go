//go:build unix

package paste

import (
	"syscall"
	"time"
)

// cpuTime returns the process's CPU time (user and system), which, unlike the wall clock,
// does not grow when other processes take the machine's cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
