package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// clockTick is USER_HZ, the unit of utime and stime in /proc/<pid>/stat: 100 on every Linux
// architecture Go supports.
const clockTick = 100

// proc is one reading of a process from /proc.
type proc struct {
	cpu   time.Duration // user + system time, all threads
	rss   int64         // VmRSS, bytes
	hwm   int64         // VmHWM (peak RSS), bytes
	alive bool
}

// readProc reads /proc/<pid>/stat and /proc/<pid>/status; pid "self" is this process.
func readProc(pid string) (proc, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return proc{}, fmt.Errorf("read /proc/%s/stat: %w", pid, err)
	}
	// The command name is in parentheses and may hold spaces; the fields after it are fixed.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return proc{}, fmt.Errorf("/proc/%s/stat: no command name", pid)
	}
	f := strings.Fields(s[i+1:])
	// after the name: state(0) ppid(1) ... utime(11) stime(12)
	if len(f) < 13 {
		return proc{}, fmt.Errorf("/proc/%s/stat: %d fields", pid, len(f))
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return proc{}, fmt.Errorf("/proc/%s/stat: utime %q stime %q", pid, f[11], f[12])
	}
	p := proc{cpu: time.Duration(ut+st) * time.Second / clockTick, alive: true}
	sf, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return proc{}, fmt.Errorf("read /proc/%s/status: %w", pid, err)
	}
	defer sf.Close()
	sc := bufio.NewScanner(sf)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var dst *int64
		switch k {
		case "VmRSS":
			dst = &p.rss
		case "VmHWM":
			dst = &p.hwm
		default:
			continue
		}
		fs := strings.Fields(v) // "12345 kB"
		if len(fs) >= 1 {
			n, _ := strconv.ParseInt(fs[0], 10, 64)
			*dst = n << 10
		}
	}
	return p, sc.Err()
}

// machineBusy reads /proc/stat: the CPU time all processes used so far, on every CPU.
func machineBusy() (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, fmt.Errorf("read /proc/stat: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 8 || f[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var busy int64
	for i, v := range f[1:] {
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest time is already in user
			continue
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		busy += n
	}
	return time.Duration(busy) * time.Second / clockTick, nil
}

// redisStats is one reading of INFO: every command's calls, and the counters that tell round
// trips and CPU.
type redisStats struct {
	calls      map[string]int64 // by command, e.g. "get", "evalsha", "client|setinfo"
	reads      int64            // total_reads_processed: read events on client sockets
	commands   int64            // total_commands_processed
	usedMemory int64            // used_memory_dataset: the keys and values, without Redis's own overhead
	cpu        time.Duration    // used_cpu_user + used_cpu_sys
	keys       int64
}

// readRedis reads INFO commandstats, stats, memory, cpu and keyspace in one call.
func readRedis(ctx context.Context, rdb *redis.Client) (redisStats, error) {
	info, err := rdb.Info(ctx, "commandstats", "stats", "memory", "cpu", "keyspace").Result()
	if err != nil {
		return redisStats{}, fmt.Errorf("redis INFO: %w", err)
	}
	st := redisStats{calls: map[string]int64{}}
	var cpu float64
	for line := range strings.SplitSeq(info, "\n") {
		line = strings.TrimSpace(line)
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch {
		case strings.HasPrefix(k, "cmdstat_"):
			// calls=12,usec=34,...
			for f := range strings.SplitSeq(v, ",") {
				if n, ok := strings.CutPrefix(f, "calls="); ok {
					st.calls[strings.TrimPrefix(k, "cmdstat_")], _ = strconv.ParseInt(n, 10, 64)
				}
			}
		case k == "total_reads_processed":
			st.reads, _ = strconv.ParseInt(v, 10, 64)
		case k == "total_commands_processed":
			st.commands, _ = strconv.ParseInt(v, 10, 64)
		case k == "used_memory_dataset":
			st.usedMemory, _ = strconv.ParseInt(v, 10, 64)
		case k == "used_cpu_user", k == "used_cpu_sys":
			f, _ := strconv.ParseFloat(v, 64)
			cpu += f
		case strings.HasPrefix(k, "db"):
			// keys=12,expires=3,avg_ttl=0
			for f := range strings.SplitSeq(v, ",") {
				if n, ok := strings.CutPrefix(f, "keys="); ok {
					m, _ := strconv.ParseInt(n, 10, 64)
					st.keys += m
				}
			}
		}
	}
	st.cpu = time.Duration(cpu * float64(time.Second))
	return st, nil
}

// percentiles of latencies in milliseconds.
type percentiles struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

// summarize sorts ds and takes the nearest-rank percentiles.
func summarize(ds []time.Duration) percentiles {
	if len(ds) == 0 {
		return percentiles{}
	}
	slices.Sort(ds)
	at := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(ds)))) - 1
		i = max(0, min(i, len(ds)-1))
		return ms(ds[i])
	}
	return percentiles{N: len(ds), P50: at(.50), P95: at(.95), P99: at(.99), Max: ms(ds[len(ds)-1])}
}

// ms is d in milliseconds, rounded to microseconds.
func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// round3 rounds to three decimals for the report.
func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
