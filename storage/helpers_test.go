package storage

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/flows"
)

// factory returns a Redis on an empty keyspace.
type factory func(t *testing.T, o Options) *Redis

// sibling returns another Redis on r's keyspace with a client of its own: another process.
func sibling(t *testing.T, r *Redis, o Options) *Redis {
	t.Helper()
	var c redis.UniversalClient
	switch rc := r.rdb.(type) {
	case *redis.Client:
		opt := *rc.Options()
		c = redis.NewClient(&opt)
	case *redis.ClusterClient:
		opt := *rc.Options()
		c = redis.NewClusterClient(&opt)
	default:
		t.Fatalf("sibling of %T", r.rdb)
	}
	s := New(c, o)
	t.Cleanup(func() { s.Close() })
	return s
}

// clock is a test clock: it starts at a fixed time and moves a millisecond at every reading.
type clock struct {
	base time.Time
	ms   atomic.Int64
}

func newClock() *clock {
	return &clock{base: time.Date(2025, 3, 14, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))}
}

func (c *clock) now() time.Time {
	return c.base.Add(time.Duration(c.ms.Add(1)) * time.Millisecond)
}

func (c *clock) advance(d time.Duration) { c.ms.Add(int64(d / time.Millisecond)) }

// testCtx bounds a test's Redis calls; it guards against hangs, it asserts no timing.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// forEachNode runs fn on the single server, or on every master of a cluster.
func forEachNode(ctx context.Context, r *Redis, fn func(context.Context, redis.Cmdable) error) error {
	if cc, ok := r.rdb.(*redis.ClusterClient); ok {
		var mu sync.Mutex // ForEachMaster runs fn concurrently
		return cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			mu.Lock()
			defer mu.Unlock()
			return fn(ctx, c)
		})
	}
	return fn(ctx, r.rdb)
}

// dump returns every key of the keyspace with everything stored under it as text: strings,
// hash fields and values, list items, set and zset members, stream fields and values.
// Compressed payloads are decompressed, so that nothing hides from a search.
func dump(t *testing.T, r *Redis) map[string]string {
	t.Helper()
	ctx := testCtx(t)
	out := map[string]string{}
	err := forEachNode(ctx, r, func(ctx context.Context, c redis.Cmdable) error {
		it := c.Scan(ctx, 0, "*", 100).Iterator()
		for it.Next(ctx) {
			key := it.Val()
			typ, err := c.Type(ctx, key).Result()
			if err != nil {
				return err
			}
			var parts []string
			switch typ {
			case "string":
				v, err := c.Get(ctx, key).Result()
				if err != nil {
					return err
				}
				parts = append(parts, v, decodedPayloads(v))
			case "hash":
				m, err := c.HGetAll(ctx, key).Result()
				if err != nil {
					return err
				}
				for k, v := range m {
					parts = append(parts, k, v)
				}
			case "list":
				l, err := c.LRange(ctx, key, 0, -1).Result()
				if err != nil {
					return err
				}
				parts = append(parts, l...)
			case "set":
				l, err := c.SMembers(ctx, key).Result()
				if err != nil {
					return err
				}
				parts = append(parts, l...)
			case "zset":
				l, err := c.ZRangeWithScores(ctx, key, 0, -1).Result()
				if err != nil {
					return err
				}
				for _, z := range l {
					parts = append(parts, z.Member.(string), strconv.FormatFloat(z.Score, 'f', -1, 64))
				}
			case "stream":
				l, err := c.XRange(ctx, key, "-", "+").Result()
				if err != nil {
					return err
				}
				for _, m := range l {
					for k, v := range m.Values {
						parts = append(parts, k, v.(string))
					}
				}
			default:
				t.Errorf("key %s has type %s, which dump does not know", key, typ)
			}
			out[key] = strings.Join(parts, "\n")
		}
		return it.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// decodedPayloads returns the JSON of any compressed payload in a stored value.
func decodedPayloads(v string) string {
	var (
		c   codec
		out []string
	)
	for i := 0; i < len(v); i++ {
		if (v[i] == 'z' || v[i] == 's') && (i == 0 || v[i-1] == ':') {
			if js, err := c.unpack(v[i:]); err == nil {
				out = append(out, string(js))
			}
		}
	}
	return strings.Join(out, "\n")
}

// commitStep is a result that moves s on by one prompt, for tests that need any change.
func commitStep(s flows.Session) flows.Result {
	s.Prompt++
	return flows.Result{Session: s}
}

// equalJSON reports whether a and b encode to the same JSON, which is what storage keeps.
func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(ja) == string(jb)
}

// TestSatisfiesBot: Redis has the methods bot's Store interface asks for (bot is not imported:
// bot and storage never import each other).
func TestSatisfiesBot(t *testing.T) {
	var _ interface {
		Apply(ctx context.Context, chat, updateID int64, step func(flows.Session) (flows.Result, error)) (flows.Result, flows.Committed, error)
		Cases(ctx context.Context, chat int64) ([]flows.Complaint, error)
		Ping(ctx context.Context) error
	} = (*Redis)(nil)
}
