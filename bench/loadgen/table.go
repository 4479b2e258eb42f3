package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// table reads loadgen reports (the JSON lines of files, other lines skipped) and writes them as
// one Markdown table.
func table(files []string, w io.Writer) error {
	if len(files) == 0 {
		return fmt.Errorf("usage: loadgen table FILE...")
	}
	fmt.Fprintln(w, "| replicas | users | updates/s | p50 ms | p95 ms | p99 ms | max ms | errors | timeouts | bot CPU ms/update | bot cores | bot RSS MB start→end (peak) | Bot API requests/update (calls in webhook answers) | Redis cmds/update | Redis round trips/update | session B active (at review) | chat's keys B active | Redis dataset B/chat | loadgen CPU ms/update | Redis CPU ms/update | other processes, cores |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if !strings.HasPrefix(line, "{") {
				continue
			}
			var r report
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				continue
			}
			var rss []string
			for i := range r.BotRSSEndMB {
				rss = append(rss, fmt.Sprintf("%.0f→%.0f (%.0f)", r.BotRSSStartMB[i], r.BotRSSEndMB[i], r.BotRSSPeakMB[i]))
			}
			review := "–"
			if r.SessionBytes > 0 {
				review = fmt.Sprintf("%.0f", r.SessionBytes)
			}
			fmt.Fprintf(w, "| %d | %d | %.0f | %.2f | %.2f | %.2f | %.1f | %d | %d | %.3f | %.2f | %s | %.2f (%.2f) | %.2f | %.2f | %.0f (%s) | %.0f | %.0f | %.3f | %.3f | %.2f |\n",
				r.Replicas, r.Users, r.UpdatesPerSec, r.Latency.P50, r.Latency.P95, r.Latency.P99, r.Latency.Max,
				r.Errors+r.NoDocument, r.Timeouts, r.BotCPUPerUpdate, r.BotCPUCores, strings.Join(rss, ", "),
				r.APICallsPerUpd, r.InReplyPerUpd, r.RedisCommandsPerUpdate, r.RedisRoundTrips, r.ActiveSessionBytes, review, r.ActiveChatBytes, r.RedisBytesPerChat,
				r.LoadgenCPUPerUp, r.RedisCPUPerUpdate, r.OtherCores)
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			return err
		}
	}
	return nil
}
