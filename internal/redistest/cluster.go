package redistest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cluster is a Redis Cluster of masters without replicas, on loopback.
type Cluster struct {
	Nodes []*Server
}

// NewCluster starts masters cluster-enabled redis-servers in the test's temp dir, joins them
// with `redis-cli --cluster create ... --cluster-replicas 0`, waits until every node reports
// cluster_state:ok, and stops them when the test ends.
func NewCluster(t testing.TB, masters int) *Cluster {
	t.Helper()
	if _, err := exec.LookPath("redis-cli"); err != nil {
		t.Fatalf("redistest: redis-cli is not installed (apt-get install redis-server): %v", err)
	}
	root := t.TempDir()
	c := &Cluster{}
	var addrs []string
	for i := range masters {
		dir := filepath.Join(root, fmt.Sprint(i))
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		s := New(t, Config{Dir: dir, TCP: true, Cluster: true})
		c.Nodes = append(c.Nodes, s)
		addrs = append(addrs, s.Addr)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	out, err := exec.CommandContext(ctx, "redis-cli", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("redistest: redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, s := range c.Nodes {
		if err := waitClusterOK(ctx, s); err != nil {
			t.Fatalf("redistest: %s: %v\n%s", s.Addr, err, s.LogTail())
		}
	}
	return c
}

// waitClusterOK polls CLUSTER INFO until the node sees every slot served.
func waitClusterOK(ctx context.Context, s *Server) error {
	c := redis.NewClient(s.Options())
	defer c.Close()
	for {
		info, err := c.ClusterInfo(ctx).Result()
		if err == nil && strings.Contains(info, "cluster_state:ok") {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("cluster_state is not ok: %v %s", err, info)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Addrs returns the nodes' addresses, the seed list of a cluster client.
func (c *Cluster) Addrs() []string {
	var a []string
	for _, s := range c.Nodes {
		a = append(a, s.Addr)
	}
	return a
}

// Options returns cluster client options with short timeouts.
func (c *Cluster) Options() *redis.ClusterOptions {
	return &redis.ClusterOptions{
		Addrs:        c.Addrs(),
		DialTimeout:  2 * time.Second,
		ReadTimeout:  5 * time.Second,
		WriteTimeout: 5 * time.Second,
		PoolTimeout:  5 * time.Second,
		MaxRetries:   2,
	}
}

// Client returns a cluster client that the test closes when it ends.
func (c *Cluster) Client(t testing.TB) *redis.ClusterClient {
	cc := redis.NewClusterClient(c.Options())
	t.Cleanup(func() { cc.Close() })
	return cc
}
