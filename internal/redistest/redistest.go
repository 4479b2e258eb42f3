// Package redistest starts real redis-server processes for tests: one per test package from
// TestMain (Start), one per test for tests that kill and restart it (New), and a cluster of
// masters on loopback (NewCluster).
//
// It only starts the binaries: redis-server and redis-cli must be on PATH (Debian's
// redis-server package; the README's test command installs it when missing). Every server
// runs in its own directory with its own log, so a failure shows the server's last words.
package redistest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startTimeout bounds how long a server may take to answer PING (loading an AOF included).
const startTimeout = 30 * time.Second

// Config describes one redis-server.
type Config struct {
	// Dir holds the server's data, log and socket. Start requires it; New uses t.TempDir()
	// when it is empty.
	Dir string
	// TCP makes the server listen on 127.0.0.1 instead of a unix socket in Dir.
	TCP bool
	// Port is the TCP port; zero picks a free one. Ignored without TCP.
	Port int
	// AppendOnly turns on the append-only file with an fsync on every write, so a write
	// acknowledged to a client survives SIGKILL.
	AppendOnly bool
	// Cluster starts the server with cluster mode enabled (TCP only).
	Cluster bool
	// Args are more redis-server arguments, as "--name", "value" pairs.
	Args []string
}

// Server is a running (or killed) redis-server.
type Server struct {
	// Network is "unix" or "tcp".
	Network string
	// Addr is the socket path or "127.0.0.1:port".
	Addr string

	cfg  Config
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
}

// Start starts redis-server as cfg says and waits until it answers PING. Stop it with Stop;
// TestMain uses it because it has no testing.T.
func Start(cfg Config) (*Server, error) {
	if cfg.Dir == "" {
		return nil, errors.New("redistest: Config.Dir is required")
	}
	if cfg.Cluster && !cfg.TCP {
		return nil, errors.New("redistest: a cluster node needs TCP")
	}
	s := &Server{cfg: cfg}
	if !cfg.TCP {
		s.Network, s.Addr = "unix", filepath.Join(cfg.Dir, "redis.sock")
		if len(s.Addr) > 100 { // sun_path holds 108 bytes
			return nil, fmt.Errorf("redistest: socket path %s is too long; use TCP or a shorter Dir", s.Addr)
		}
		return s, s.start()
	}
	s.Network = "tcp"
	if cfg.Port != 0 {
		s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.Port))
		return s, s.start()
	}
	// A free port can be taken between the probe and the server's bind; try a few.
	var err error
	for range 5 {
		var port int
		if port, err = FreePort(cfg.Cluster); err != nil {
			return nil, err
		}
		s.cfg.Port = port
		s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if err = s.start(); err == nil {
			return s, nil
		}
	}
	return nil, err
}

// New starts a server for one test and stops it when the test ends.
func New(t testing.TB, cfg Config) *Server {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	s, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// FreePort returns a loopback TCP port nobody listens on; with bus it also checks port+10000,
// which a cluster node uses for its bus.
func FreePort(bus bool) (int, error) {
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("redistest: free port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !bus {
			return port, nil
		}
		if port+10000 > 65535 {
			continue
		}
		b, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port+10000)))
		if err != nil {
			continue
		}
		b.Close()
		return port, nil
	}
	return 0, errors.New("redistest: no free port pair for a cluster node")
}

func (s *Server) args() []string {
	a := []string{
		"--dir", s.cfg.Dir,
		"--logfile", "redis.log",
		"--daemonize", "no",
		"--save", "",
		"--appendonly", "no",
		"--protected-mode", "yes",
	}
	if s.Network == "unix" {
		a = append(a, "--port", "0", "--unixsocket", s.Addr, "--unixsocketperm", "700")
	} else {
		a = append(a, "--port", strconv.Itoa(s.cfg.Port), "--bind", "127.0.0.1")
	}
	if s.cfg.AppendOnly {
		a = append(a, "--appendonly", "yes", "--appendfsync", "always")
	}
	if s.cfg.Cluster {
		a = append(a, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
			"--cluster-node-timeout", "5000")
	}
	return append(a, s.cfg.Args...)
}

func (s *Server) start() error {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return fmt.Errorf("redistest: redis-server is not installed (apt-get install redis-server): %w", err)
	}
	out, err := os.OpenFile(filepath.Join(s.cfg.Dir, "stdout.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("redistest: %w", err)
	}
	defer out.Close() // the child has its own copy
	cmd := exec.Command(bin, s.args()...)
	cmd.Dir = s.cfg.Dir
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redistest: start redis-server: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.cmd, s.done = cmd, done

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		if err := ping(ctx, s.Network, s.Addr); err == nil {
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("redistest: redis-server exited: %s", s.LogTail())
		case <-ctx.Done():
			s.Kill()
			return fmt.Errorf("redistest: redis-server did not answer PING in %v: %s", startTimeout, s.LogTail())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// ping sends PING in RESP and wants +PONG; a server still loading its AOF answers -LOADING.
func ping(ctx context.Context, network, addr string) error {
	var d net.Dialer
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	if _, err := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return errors.New(strings.TrimSpace(line))
	}
	return nil
}

// LogTail returns the end of the server's log, for failure messages.
func (s *Server) LogTail() string {
	var b strings.Builder
	for _, name := range []string{"stdout.log", "redis.log"} {
		data, _ := os.ReadFile(filepath.Join(s.cfg.Dir, name))
		if len(data) > 2000 {
			data = data[len(data)-2000:]
		}
		b.Write(data)
	}
	return b.String()
}

// Dir is the server's directory.
func (s *Server) Dir() string { return s.cfg.Dir }

// Options returns go-redis options for the server with short timeouts, for a test client.
func (s *Server) Options() *redis.Options {
	return &redis.Options{
		Network:      s.Network,
		Addr:         s.Addr,
		DialTimeout:  2 * time.Second,
		ReadTimeout:  5 * time.Second,
		WriteTimeout: 5 * time.Second,
		PoolTimeout:  5 * time.Second,
		MaxRetries:   2,
	}
}

// URL returns the server's address as a REDIS_URL (TCP servers only).
func (s *Server) URL() string { return "redis://" + s.Addr }

// Client returns a client of the server that the test closes when it ends.
func (s *Server) Client(t testing.TB) *redis.Client {
	c := redis.NewClient(s.Options())
	t.Cleanup(func() { c.Close() })
	return c
}

// Kill sends SIGKILL and waits for the process to go, as a crash would.
func (s *Server) Kill() error {
	if s.cmd == nil {
		return nil
	}
	select {
	case <-s.done:
		return nil
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("redistest: kill: %w", err)
	}
	<-s.done
	return nil
}

// Stop asks the server to exit (SIGTERM), and kills it if it has not gone within ten seconds.
func (s *Server) Stop() error {
	if s.cmd == nil {
		return nil
	}
	select {
	case <-s.done:
		return nil
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("redistest: stop: %w", err)
	}
	select {
	case <-s.done:
		return nil
	case <-time.After(10 * time.Second):
		return s.Kill()
	}
}

// Restart starts the server again after Kill or Stop, on the same address and directory, so it
// reloads its append-only file.
func (s *Server) Restart() error {
	if s.cmd != nil {
		select {
		case <-s.done:
		default:
			return errors.New("redistest: restart: the server is still running")
		}
	}
	return s.start()
}
