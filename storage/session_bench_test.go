package storage

import (
	"context"
	"slices"
	"testing"
	"time"

	"complaintbot/flows"
)

// benchRedis is a Redis on the package's server (TestMain's), emptied first.
func benchRedis(b *testing.B) *Redis {
	b.Helper()
	c := server.Client(b)
	if err := c.FlushAll(context.Background()).Err(); err != nil {
		b.Fatal(err)
	}
	return New(c, Options{})
}

// benchSessions are the sessions the benchmarks store: a new chat's, and a thorough user's at
// the review, the largest a session usually gets (MEMORY.md).
func benchSessions() map[string]flows.Session {
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	return map[string]flows.Session{
		"new":    flows.NewSession(100000001),
		"review": sessionAt(100000001, slices.Index(states(), flows.StateReview), at),
	}
}

// BenchmarkCommit measures one commit (commit.lua through EVALSHA) against redis-server,
// one update after another on one chat.
func BenchmarkCommit(b *testing.B) {
	for name, s := range benchSessions() {
		b.Run(name, func(b *testing.B) {
			r := benchRedis(b)
			ctx := context.Background()
			var id int64
			b.ReportAllocs()
			for b.Loop() {
				id++
				c, err := r.Commit(ctx, flows.Result{Session: s}, id)
				if err != nil {
					b.Fatal(err)
				}
				s.Version = c.Session.Version
			}
		})
	}
}

// BenchmarkApply measures what the bot asks of storage for every update: load (one pipeline),
// a step that changes nothing, and commit (one script): two round trips.
func BenchmarkApply(b *testing.B) {
	for name, s := range benchSessions() {
		b.Run(name, func(b *testing.B) {
			r := benchRedis(b)
			ctx := context.Background()
			if _, err := r.Commit(ctx, flows.Result{Session: s}, 1); err != nil {
				b.Fatal(err)
			}
			step := func(s flows.Session) (flows.Result, error) { return flows.Result{Session: s}, nil }
			id := int64(1)
			b.ReportAllocs()
			for b.Loop() {
				id++
				if _, _, err := r.Apply(ctx, s.Chat, id, step); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncodeSession measures a session's stored form (JSON, compressed when large).
func BenchmarkEncodeSession(b *testing.B) {
	for name, s := range benchSessions() {
		b.Run(name, func(b *testing.B) {
			var c codec
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.encodeSession(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeSession measures reading a session's stored form.
func BenchmarkDecodeSession(b *testing.B) {
	for name, s := range benchSessions() {
		b.Run(name, func(b *testing.B) {
			var c codec
			raw, err := c.encodeSession(s)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.decodeSession(s.Chat, raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
