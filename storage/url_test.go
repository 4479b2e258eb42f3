package storage

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestParseURL(t *testing.T) {
	type want struct {
		addrs                []string
		user, pass           string
		db                   int
		tls, cluster         bool
		master               string
		sentinelUser, sentPw string
		read                 time.Duration
		retries              int
	}
	for _, tc := range []struct {
		name string
		url  string
		want want
	}{
		{"one server", "redis://localhost:6379", want{addrs: []string{"localhost:6379"}}},
		{"default port", "redis://redis", want{addrs: []string{"redis:6379"}}},
		{"tls with user, password and db", "rediss://bot:s3cr%40t@cache.example.com:6380/2",
			want{addrs: []string{"cache.example.com:6380"}, user: "bot", pass: "s3cr@t", db: 2, tls: true}},
		{"password only", "redis://:pw@10.0.0.5/0", want{addrs: []string{"10.0.0.5:6379"}, pass: "pw"}},
		{"ipv6", "redis://[::1]:7000", want{addrs: []string{"[::1]:7000"}}},
		{"ipv6 without port", "redis://[::1]", want{addrs: []string{"[::1]:6379"}}},
		{"cluster from several hosts", "redis://:pw@h1:7000,h2:7001,h3",
			want{addrs: []string{"h1:7000", "h2:7001", "h3:6379"}, pass: "pw", cluster: true}},
		{"cluster from one seed", "rediss://h1:7000?cluster=true",
			want{addrs: []string{"h1:7000"}, cluster: true, tls: true}},
		{"cluster over tls with a user", "rediss://bot:pw@h1:7000,h2:7001?client_name=cb&pool_size=20",
			want{addrs: []string{"h1:7000", "h2:7001"}, user: "bot", pass: "pw", cluster: true, tls: true}},
		{"sentinel", "redis://:masterpw@s1,s2:26380/1?master=mymaster&sentinel_user=sen&sentinel_password=senpw",
			want{addrs: []string{"s1:26379", "s2:26380"}, pass: "masterpw", db: 1, master: "mymaster",
				sentinelUser: "sen", sentPw: "senpw"}},
		{"overrides", "redis://h?read_timeout=500ms&max_retries=0",
			want{addrs: []string{"h:6379"}, read: 500 * time.Millisecond, retries: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := ParseURL(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if w.read == 0 {
				w.read = readTimeout
			}
			if w.retries == 0 {
				w.retries = maxRetries
			}
			if !slices.Equal(o.Addrs, w.addrs) || o.Username != w.user || o.Password != w.pass || o.DB != w.db ||
				(o.TLSConfig != nil) != w.tls || o.IsClusterMode != w.cluster || o.MasterName != w.master ||
				o.SentinelUsername != w.sentinelUser || o.SentinelPassword != w.sentPw ||
				o.ReadTimeout != w.read || o.MaxRetries != w.retries {
				t.Errorf("ParseURL(%q) = %+v, want %+v", tc.url, o, w)
			}
			if o.TLSConfig != nil && (o.TLSConfig.MinVersion < tls.VersionTLS12 || o.TLSConfig.InsecureSkipVerify) {
				t.Errorf("weak TLS config %+v", o.TLSConfig)
			}
			if o.TLSConfig != nil && o.TLSConfig.ServerName != "" {
				// go-redis names the first host; each node must be checked against its own name
				t.Errorf("TLS server name fixed to %q", o.TLSConfig.ServerName)
			}
			if !o.ContextTimeoutEnabled || o.DialTimeout <= 0 || o.WriteTimeout <= 0 || o.PoolTimeout <= 0 ||
				o.DialerRetries != 1 || o.MinRetryBackoff <= 0 || o.MaxRetryBackoff <= 0 {
				t.Errorf("fail-fast settings missing: %+v", o)
			}
			// The options make the client the URL asks for.
			c := redis.NewUniversalClient(o)
			defer c.Close()
			var got string
			switch c.(type) {
			case *redis.ClusterClient:
				got = "cluster"
			case *redis.Client:
				got = "single"
				if w.master != "" {
					got = "sentinel" // a failover client is a *redis.Client
				}
			}
			wantKind := map[bool]string{true: "cluster", false: "single"}[w.cluster]
			if w.master != "" {
				wantKind = "sentinel"
			}
			if got != wantKind {
				t.Errorf("client %T, want %s", c, wantKind)
			}
		})
	}

	for _, bad := range []string{
		"",
		"localhost:6379",
		"http://localhost",
		"redis://",
		"redis://:pw@",
		"redis://h1,,h2",
		"redis://h:0",
		"redis://h:99999",
		"redis://h/x",
		"redis://h/1/2",
		"redis://h1,h2/1",
		"redis://h?cluster=maybe",
		"redis://h?master=m&cluster=true",
		"redis://h?sentinel_password=x",
		"redis://h?read_timeout=fast",
		"redis://h?read_timeout=-1s",
		"redis://h?pool_size=0",
		"redis://h?max_retries=-2",
		"redis://h?master=",
		"redis://h?master=a&master=b",
		"redis://h?dial_timout=1s",
		"redis://h#frag",
		"rediss://h?skip_verify=true",
		"unix:///tmp/redis.sock",
	} {
		if o, err := ParseURL(bad); err == nil {
			t.Errorf("ParseURL(%q) = %+v, want an error", bad, o)
		}
	}
	if _, err := ParseURL("redis://user:hunter2@h?bogus=1"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("an error must not repeat the password: %v", err)
	}
}

// TestFailFast: with Redis down, Load errs by itself, without a deadline in the context.
func TestFailFast(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	o, err := ParseURL("redis://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	r := New(redis.NewUniversalClient(o), Options{})
	defer r.Close()
	ctx := context.Background() // no deadline: the client settings must end the wait
	if _, err := r.Load(ctx, testChat); err == nil {
		t.Fatal("Load with Redis down succeeded")
	} else if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Load waited for a deadline: %v", err)
	}
	if _, _, err := r.Apply(ctx, testChat, 1, stepOf(commitStep)); err == nil {
		t.Error("Apply with Redis down succeeded")
	}
	if err := r.Ping(ctx); err == nil {
		t.Error("Ping with Redis down succeeded")
	}
}

// TestEmbeddedWarns: the embedded default says sessions end with the process, and names no one.
func TestEmbeddedWarns(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	r, stop, err := Embedded(context.Background(), log)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.Contains(buf.String(), "level=WARN") || !strings.Contains(buf.String(), "end with the process") {
		t.Errorf("log = %q, want a warning that sessions end with the process", buf.String())
	}
	ctx := testCtx(t)
	if _, _, err := r.Apply(ctx, testChat, 1, storeStep(sampleComplaint(time.Now()))); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Apply(ctx, testChat, 2, eraseStep); err != nil {
		t.Fatal(err)
	}
	for _, p := range personalData() {
		if strings.Contains(buf.String(), p) {
			t.Errorf("the log holds %q: %s", p, buf.String())
		}
	}
}

// FuzzParseURL: any REDIS_URL is refused or makes options with at least one host:port, and an
// error never repeats the URL's password.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"redis://localhost:6379", "rediss://u:pw@h1:7000,h2?cluster=true", "redis://:pw@s1,s2:26380/1?master=m",
		"redis://h?read_timeout=500ms&max_retries=0", "redis://[::1]", "redis://h/x", "redis://:secret@h?bogus=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		o, err := ParseURL(raw)
		if err != nil {
			if _, rest, ok := strings.Cut(raw, "://"); ok {
				if at := strings.LastIndexByte(rest, '@'); at > 0 {
					if _, pw, ok := strings.Cut(rest[:at], ":"); ok && len(pw) >= 6 && strings.Contains(err.Error(), pw) {
						t.Fatalf("ParseURL(%q): the error repeats the password: %v", raw, err)
					}
				}
			}
			return
		}
		if len(o.Addrs) == 0 {
			t.Fatalf("ParseURL(%q) = no address", raw)
		}
		for _, a := range o.Addrs {
			if _, port, err := net.SplitHostPort(a); err != nil || port == "" {
				t.Fatalf("ParseURL(%q): address %q", raw, a)
			}
		}
	})
}
