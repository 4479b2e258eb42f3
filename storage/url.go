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
// pool_timeout (Go durations such as "500ms"), max_retries, pool_size, client_name. Unknown
// parameters are errors, so that a misspelt one is noticed. A cluster has no db.
func ParseURL(raw string) (*redis.UniversalOptions, error) {
	o, err := parseURL(raw)
	if err != nil {
		// The URL may hold a password; the error does not repeat it.
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

func parseURL(raw string) (*redis.UniversalOptions, error) {
	// net/url reads "h1:7000,h2:7001" as a host with a bad port, so the host list is cut out
	// first and the rest parsed with a stand-in host.
	hosts, rest, err := cutHosts(raw)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(rest)
	if err != nil {
		return nil, errors.New("malformed url")
	}
	o := clientDefaults()
	switch u.Scheme {
	case "redis":
	case "rediss":
		// ServerName stays empty: crypto/tls takes it from each node's address.
		o.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	default:
		return nil, fmt.Errorf("scheme %q: want redis or rediss", u.Scheme)
	}
	if u.Opaque != "" || u.Fragment != "" {
		return nil, errors.New("malformed url")
	}
	if u.User != nil {
		o.Username = u.User.Username()
		o.Password, _ = u.User.Password()
	}

	q := u.Query()
	one := func(name string) (string, error) {
		v := q[name]
		delete(q, name)
		if len(v) > 1 {
			return "", fmt.Errorf("parameter %s given twice", name)
		}
		if len(v) == 1 && v[0] == "" {
			return "", fmt.Errorf("parameter %s is empty", name)
		}
		if len(v) == 0 {
			return "", nil
		}
		return v[0], nil
	}
	var cluster bool
	if v, err := one("cluster"); err != nil {
		return nil, err
	} else if v != "" {
		if cluster, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("cluster=%q: want true or false", v)
		}
	}
	if o.MasterName, err = one("master"); err != nil {
		return nil, err
	}
	if o.SentinelUsername, err = one("sentinel_user"); err != nil {
		return nil, err
	}
	if o.SentinelPassword, err = one("sentinel_password"); err != nil {
		return nil, err
	}
	if o.ClientName, err = one("client_name"); err != nil {
		return nil, err
	}
	for name, d := range map[string]*time.Duration{
		"dial_timeout": &o.DialTimeout, "read_timeout": &o.ReadTimeout,
		"write_timeout": &o.WriteTimeout, "pool_timeout": &o.PoolTimeout,
	} {
		v, err := one(name)
		if err != nil {
			return nil, err
		}
		if v == "" {
			continue
		}
		if *d, err = time.ParseDuration(v); err != nil || *d <= 0 {
			return nil, fmt.Errorf("%s=%q: want a positive duration such as 2s", name, v)
		}
	}
	for name, n := range map[string]*int{"max_retries": &o.MaxRetries, "pool_size": &o.PoolSize} {
		v, err := one(name)
		if err != nil {
			return nil, err
		}
		if v == "" {
			continue
		}
		if *n, err = strconv.Atoi(v); err != nil || *n < 0 || (name == "pool_size" && *n == 0) {
			return nil, fmt.Errorf("%s=%q: want a number", name, v)
		}
		if name == "max_retries" && *n == 0 {
			*n = -1 // go-redis reads 0 as its default of 3; -1 is none
		}
	}
	for name := range q {
		return nil, fmt.Errorf("unknown parameter %q", name)
	}
	if (o.SentinelUsername != "" || o.SentinelPassword != "") && o.MasterName == "" {
		return nil, errors.New("sentinel_user and sentinel_password need master")
	}
	if cluster && o.MasterName != "" {
		return nil, errors.New("cluster and master exclude each other")
	}

	defaultPort := "6379"
	if o.MasterName != "" {
		defaultPort = "26379"
	}
	if hosts == "" {
		return nil, errors.New("no host")
	}
	for _, h := range strings.Split(hosts, ",") {
		addr, err := hostPort(h, defaultPort)
		if err != nil {
			return nil, err
		}
		o.Addrs = append(o.Addrs, addr)
	}
	if len(o.Addrs) > 1 && o.MasterName == "" {
		cluster = true
	}
	o.IsClusterMode = cluster

	switch db := strings.TrimPrefix(u.Path, "/"); {
	case db == "":
	case cluster:
		return nil, errors.New("a cluster has no db")
	default:
		n, err := strconv.Atoi(db)
		if err != nil || n < 0 || strings.Contains(db, "/") {
			return nil, fmt.Errorf("db %q: want a number", db)
		}
		o.DB = n
	}
	return o, nil
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
