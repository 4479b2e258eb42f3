package storage

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// The client settings ParseURL starts from: fail fast when Redis is down, rather than hang an
// update. A dial is tried once per attempt; a command is retried twice with short backoffs.
const (
	dialTimeout     = 2 * time.Second
	readTimeout     = 2 * time.Second
	writeTimeout    = 2 * time.Second
	poolTimeout     = 3 * time.Second
	maxRetries      = 2
	minRetryBackoff = 8 * time.Millisecond
	maxRetryBackoff = 128 * time.Millisecond
)

// ParseURL turns a REDIS_URL into options for redis.NewUniversalClient, with explicit
// timeouts, ContextTimeoutEnabled and bounded retries. The forms:
//
//	redis://[[user]:password@]host[:port][/db]          one server; port 6379, db 0
//	rediss://...                                        any form over TLS (1.2 or later)
//	redis://[[user]:password@]h1:p1,h2:p2,...           Redis Cluster, from these seed nodes
//	redis://host:port?cluster=true                      Redis Cluster from one seed node
//	redis://[[user]:password@]s1:p1,s2:p2[/db]?master=mymaster
//	                                                    Sentinel: the sentinels (port 26379)
//	                                                    and the master's name; the password is
//	                                                    the master's, sentinel_user and
//	                                                    sentinel_password are the sentinels'
//
// Further query parameters override the defaults: dial_timeout, read_timeout, write_timeout,
// pool_timeout (durations such as "500ms"), max_retries (0: none), pool_size, client_name.
// Unknown parameters are errors, so that a misspelt one is noticed. A cluster has no db.
//
// go-redis parses each form (redis.ParseURL, ParseClusterURL, ParseFailoverURL); ParseURL
// adds what go-redis spells differently (a host list, cluster=true, master=), the defaults,
// and errors that never repeat the URL, which may hold a password.
func ParseURL(raw string) (*redis.UniversalOptions, error) {
	o, err := parseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("parse redis url: %w", err)
	}
	return o, nil
}

// clientDefaults are the client settings of every connection to Redis, the embedded one's too:
// timeouts short enough to fail fast, and a few quick retries.
func clientDefaults() *redis.UniversalOptions {
	return &redis.UniversalOptions{
		DialTimeout:           dialTimeout,
		DialerRetries:         1,
		ReadTimeout:           readTimeout,
		WriteTimeout:          writeTimeout,
		PoolTimeout:           poolTimeout,
		ContextTimeoutEnabled: true,
		MaxRetries:            maxRetries,
		MinRetryBackoff:       minRetryBackoff,
		MaxRetryBackoff:       maxRetryBackoff,
	}
}

// urlParams are the query parameters REDIS_URL takes; go-redis reads the ones marked true.
var urlParams = map[string]bool{
	"dial_timeout": true, "read_timeout": true, "write_timeout": true, "pool_timeout": true,
	"max_retries": true, "pool_size": true, "client_name": true,
	"cluster": false, "master": false, "sentinel_user": false, "sentinel_password": false,
}

func parseURL(raw string) (*redis.UniversalOptions, error) {
	// net/url reads "h1:7000,h2:7001" as a host with a bad port, so the host list is cut out
	// first and the rest parsed with a stand-in host.
	hosts, rest, err := cutHosts(raw)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(rest)
	if err != nil || u.Opaque != "" || u.Fragment != "" {
		return nil, errors.New("malformed url")
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, fmt.Errorf("scheme %q: want redis or rediss", u.Scheme)
	}
	q := u.Query()
	for name, v := range q {
		switch _, known := urlParams[name]; {
		case !known:
			return nil, fmt.Errorf("unknown parameter %q", name)
		case len(v) > 1:
			return nil, fmt.Errorf("parameter %s given twice", name)
		case v[0] == "":
			return nil, fmt.Errorf("parameter %s is empty", name)
		}
	}
	cluster := false
	if v := q.Get("cluster"); v != "" {
		if cluster, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("cluster=%q: want true or false", v)
		}
	}
	master := q.Get("master")
	if (q.Has("sentinel_user") || q.Has("sentinel_password")) && master == "" {
		return nil, errors.New("sentinel_user and sentinel_password need master")
	}
	if cluster && master != "" {
		return nil, errors.New("cluster and master exclude each other")
	}
	defaultPort := "6379"
	if master != "" {
		defaultPort = "26379"
	}
	if hosts == "" {
		return nil, errors.New("no host")
	}
	var addrs []string
	for _, h := range strings.Split(hosts, ",") {
		addr, err := hostPort(h, defaultPort)
		if err != nil {
			return nil, err
		}
		addrs = append(addrs, addr)
	}
	cluster = cluster || (len(addrs) > 1 && master == "")
	if cluster && strings.Trim(u.Path, "/") != "" {
		return nil, errors.New("a cluster has no db")
	}

	// the URL in go-redis's spelling: the first host, the others as addr parameters
	gq := url.Values{}
	for name, v := range q {
		if urlParams[name] {
			gq[name] = v
		}
	}
	for _, a := range addrs[1:] {
		gq.Add("addr", a)
	}
	g := url.URL{Scheme: u.Scheme, User: u.User, Host: addrs[0], Path: u.Path}
	o := clientDefaults()
	switch {
	case cluster:
		g.RawQuery = gq.Encode()
		c, err := redis.ParseClusterURL(g.String())
		if err != nil {
			return nil, redisURLError(err)
		}
		o.Addrs, o.Username, o.Password, o.ClientName = c.Addrs, c.Username, c.Password, c.ClientName
		setOverrides(o, c.DialTimeout, c.ReadTimeout, c.WriteTimeout, c.PoolTimeout, c.PoolSize)
	case master != "":
		// go-redis takes the sentinels' credentials from the URL and the master's as parameters
		gq.Set("master_name", master)
		if u.User != nil {
			gq.Set("username", u.User.Username())
			if pw, ok := u.User.Password(); ok {
				gq.Set("password", pw)
			}
		}
		g.User = nil
		if user, pw := q.Get("sentinel_user"), q.Get("sentinel_password"); user != "" || pw != "" {
			g.User = url.UserPassword(user, pw)
		}
		g.RawQuery = gq.Encode()
		f, err := redis.ParseFailoverURL(g.String())
		if err != nil {
			return nil, redisURLError(err)
		}
		o.Addrs, o.DB, o.MasterName, o.ClientName = f.SentinelAddrs, f.DB, f.MasterName, f.ClientName
		o.Username, o.Password, o.SentinelUsername, o.SentinelPassword = f.Username, f.Password, f.SentinelUsername, f.SentinelPassword
		setOverrides(o, f.DialTimeout, f.ReadTimeout, f.WriteTimeout, f.PoolTimeout, f.PoolSize)
	default:
		g.RawQuery = gq.Encode()
		s, err := redis.ParseURL(g.String())
		if err != nil {
			return nil, redisURLError(err)
		}
		o.Addrs, o.DB, o.Username, o.Password, o.ClientName = []string{s.Addr}, s.DB, s.Username, s.Password, s.ClientName
		setOverrides(o, s.DialTimeout, s.ReadTimeout, s.WriteTimeout, s.PoolTimeout, s.PoolSize)
	}
	o.IsClusterMode = cluster
	if u.Scheme == "rediss" {
		// ServerName stays empty: crypto/tls takes it from each node's address.
		o.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	// go-redis reads a duration of 0 or less as "no timeout" and max_retries=0 as its default
	// of 3: both are refused or translated here
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"dial_timeout", o.DialTimeout}, {"read_timeout", o.ReadTimeout}, {"write_timeout", o.WriteTimeout}, {"pool_timeout", o.PoolTimeout}} {
		if d.v <= 0 {
			return nil, fmt.Errorf("%s=%q: want a positive duration such as 2s", d.name, q.Get(d.name))
		}
	}
	if q.Has("pool_size") && o.PoolSize <= 0 {
		return nil, fmt.Errorf("pool_size=%q: want a number", q.Get("pool_size"))
	}
	if v := q.Get("max_retries"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("max_retries=%q: want a number", v)
		}
		o.MaxRetries = n
		if n == 0 {
			o.MaxRetries = -1 // go-redis reads 0 as its default of 3; -1 is none
		}
	}
	return o, nil
}

// redisURLError is an error of go-redis's parsers without the URL, which net/url's errors quote
// and which may hold a password.
func redisURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return errors.New("malformed url")
	}
	return err
}

// setOverrides puts the values the URL set (go-redis leaves the others zero) over the defaults.
func setOverrides(o *redis.UniversalOptions, dial, read, write, pool time.Duration, poolSize int) {
	for _, d := range []struct {
		to   *time.Duration
		from time.Duration
	}{{&o.DialTimeout, dial}, {&o.ReadTimeout, read}, {&o.WriteTimeout, write}, {&o.PoolTimeout, pool}} {
		if d.from != 0 {
			*d.to = d.from
		}
	}
	o.PoolSize = poolSize
}

// cutHosts returns the host list of a URL and the URL with "stand-in" in its place.
func cutHosts(raw string) (hosts, rest string, err error) {
	scheme, after, ok := strings.Cut(raw, "://")
	if !ok {
		return "", "", errors.New("malformed url: want scheme://host")
	}
	end := strings.IndexAny(after, "/?#")
	if end < 0 {
		end = len(after)
	}
	authority := after[:end]
	userinfo := ""
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		userinfo, authority = authority[:at+1], authority[at+1:]
	}
	return authority, scheme + "://" + userinfo + "stand-in" + after[end:], nil
}

// hostPort checks one host[:port] of the URL and adds the default port.
func hostPort(h, defaultPort string) (string, error) {
	if h == "" {
		return "", errors.New("empty host in the host list")
	}
	host, port, err := net.SplitHostPort(h)
	if err != nil {
		// No port, or an IPv6 literal without one.
		host, port = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"), defaultPort
		if strings.ContainsAny(host, "[]") || (strings.Contains(host, ":") && !strings.HasPrefix(h, "[")) {
			return "", fmt.Errorf("host %q: malformed", h)
		}
	}
	if host == "" {
		return "", fmt.Errorf("host %q: no name", h)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return "", fmt.Errorf("host %q: bad port", h)
	}
	return net.JoinHostPort(host, port), nil
}
