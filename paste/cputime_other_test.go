//go:build !unix

package paste

import "time"

// cpuTime is unknown here; the benchmark then reports no CPU figure.
func cpuTime() time.Duration { return 0 }
