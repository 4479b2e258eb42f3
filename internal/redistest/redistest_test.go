package redistest

import (
	"context"
	"testing"
	"time"
)

func TestKillRestartKeepsAcknowledgedWrites(t *testing.T) {
	s := New(t, Config{TCP: true, AppendOnly: true})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := s.Client(t)
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(ctx).Err(); err == nil {
		t.Fatal("the killed server answers")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Errorf("after the restart GET k = %q, %v; want v", v, err)
	}
}

func TestUnixSocketServer(t *testing.T) {
	s := New(t, Config{})
	if s.Network != "unix" {
		t.Fatalf("network %s, want unix", s.Network)
	}
	if err := s.Client(t).Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
}
