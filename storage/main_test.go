package storage

import (
	"context"
	"fmt"
	"os"
	"testing"

	"complaintbot/internal/redistest"
)

// server is the package's redis-server, started by TestMain on a unix socket in a temp dir.
var server *redistest.Server

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "storage-redis-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	server, err = redistest.Start(redistest.Config{Dir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer server.Stop()
	return m.Run()
}

// realRedis is a Redis on the package's server, emptied first. Tests that use it do not run in
// parallel.
func realRedis(t *testing.T, o Options) *Redis {
	t.Helper()
	c := server.Client(t)
	if err := c.FlushAll(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	return New(c, o)
}

// embeddedRedis is the embedded default, one per test.
func embeddedRedis(t *testing.T, o Options) *Redis {
	t.Helper()
	r, stop, err := embedded(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return r
}

func TestConformanceRedisServer(t *testing.T) { testConformance(t, realRedis) }

func TestConformanceEmbedded(t *testing.T) { testConformance(t, embeddedRedis) }
