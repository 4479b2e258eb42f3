package fakeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// PushUpdate queues an update for getUpdates. u is raw JSON ([]byte, json.RawMessage or
// string) or any value that marshals to an Update object, such as a models.Update. An absent
// or zero update_id is assigned the next one; an explicit one is kept (and later assigned ids
// continue above it). It returns the update_id.
func (s *Server) PushUpdate(u any) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	raw, id, err := s.encodeUpdateLocked(u)
	if err != nil {
		return 0, fmt.Errorf("push update: %w", err)
	}
	s.updates = append(s.updates, queuedUpdate{id: id, raw: raw})
	s.notifyLocked()
	return id, nil
}

// Deliver posts an update to the webhook the bot registered with setWebhook, as Telegram
// does: JSON, with the X-Telegram-Bot-Api-Secret-Token header when a secret was set. u is as
// for PushUpdate (update_id assigned when zero). It returns the update_id and the HTTP
// status the bot answered; Telegram delivers again after anything but 2xx, which a test does
// by calling Deliver again with the returned id set. The update is not queued for getUpdates.
func (s *Server) Deliver(ctx context.Context, u any) (int64, int, error) {
	s.mu.Lock()
	hook := s.webhook
	target, terr := s.webhookTargetLocked()
	raw, id, err := s.encodeUpdateLocked(u)
	s.mu.Unlock()
	if err != nil {
		return 0, 0, fmt.Errorf("deliver update: %w", err)
	}
	if hook.URL == "" {
		return id, 0, fmt.Errorf("deliver update %d: no webhook set", id)
	}
	if terr != nil {
		return id, 0, fmt.Errorf("deliver update %d: %w", id, terr)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(raw))
	if err != nil {
		return id, 0, fmt.Errorf("deliver update %d: %w", id, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if hook.SecretToken != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.SecretToken)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return id, 0, fmt.Errorf("deliver update %d: %w", id, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return id, resp.StatusCode, fmt.Errorf("deliver update %d: read the answer: %w", id, err)
	}
	if resp.StatusCode/100 == 2 {
		s.WebhookReply(ctx, answer)
	}
	return id, resp.StatusCode, nil
}

// WebhookReply carries out the Bot API call a bot may make in its 200 answer to a webhook
// delivery, as Telegram does: a JSON object with "method" and the call's parameters. The call
// is recorded like any other, with InReply set; faults are not injected (the bot cannot see
// the outcome anyway). Anything else (an empty body, text) is no call. Deliver calls it; a test
// that posts updates to the webhook itself passes the answers it got.
func (s *Server) WebhookReply(ctx context.Context, answer []byte) {
	params := map[string]string{}
	if len(bytes.TrimSpace(answer)) == 0 || jsonParams(answer, params) != nil || params["method"] == "" {
		return
	}
	method := params["method"]
	delete(params, "method")
	c := s.newCall(method, params, nil, time.Now())
	c.InReply = true
	result, apiErr := s.dispatch(ctx, c)
	if apiErr != nil {
		c.Fault = Fault{Kind: FaultStatus, Status: apiErr.code, Description: apiErr.description}
		s.recordFault(c)
		return
	}
	c.Result, c.Answered = result, time.Now()
	s.record(c)
}

// SetWebhookProxy makes Deliver post to base (such as "http://127.0.0.1:8080") in place of the
// registered webhook URL's scheme and host, keeping its path and query. It plays the
// TLS-terminating reverse proxy that stands between Telegram and a bot's plain-HTTP listener in
// production: the bot registers its real https URL, and the updates reach its listener. An
// empty base posts to the registered URL again.
func (s *Server) SetWebhookProxy(base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.proxy = strings.TrimRight(base, "/")
}

// WebhookTarget returns the URL Deliver posts to: the registered webhook URL, through the
// proxy when one is set; "" when no webhook is set.
func (s *Server) WebhookTarget() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookTargetLocked()
}

// webhookTargetLocked is WebhookTarget with s.mu held.
func (s *Server) webhookTargetLocked() (string, error) {
	if s.webhook.URL == "" || s.proxy == "" {
		return s.webhook.URL, nil
	}
	u, err := url.Parse(s.webhook.URL)
	if err != nil {
		return "", fmt.Errorf("webhook url: %w", err)
	}
	base, err := url.Parse(s.proxy)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return "", fmt.Errorf("webhook proxy %q is not a base URL", s.proxy)
	}
	u.Scheme, u.Host, u.User = base.Scheme, base.Host, nil
	return u.String(), nil
}

// encodeUpdateLocked turns u into update JSON with an update_id. s.mu must be held.
func (s *Server) encodeUpdateLocked(u any) (json.RawMessage, int64, error) {
	var raw []byte
	switch v := u.(type) {
	case []byte:
		raw = v
	case json.RawMessage:
		raw = v
	case string:
		raw = []byte(v)
	default:
		b, err := json.Marshal(u)
		if err != nil {
			return nil, 0, err
		}
		raw = b
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, 0, err
	}
	var id int64
	if v, ok := fields["update_id"]; ok {
		if err := json.Unmarshal(v, &id); err != nil {
			return nil, 0, fmt.Errorf("update_id: %w", err)
		}
	}
	if id != 0 {
		s.updateSeq = max(s.updateSeq, id)
		return bytes.Clone(raw), id, nil
	}
	s.updateSeq++
	id = s.updateSeq
	fields["update_id"] = json.RawMessage(strconv.FormatInt(id, 10))
	b, err := json.Marshal(fields)
	return b, id, err
}

// PendingUpdates returns how many pushed updates getUpdates has not yet seen confirmed.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// getUpdates answers a long poll: updates with update_id >= offset (confirming, and so
// dropping, the earlier ones), at most limit of them, waiting up to timeout seconds for one
// to arrive.
func (s *Server) getUpdates(ctx context.Context, p map[string]string) (json.RawMessage, *apiError) {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 || limit > s.maxPoll {
		limit = s.maxPoll
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	var deadline <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		deadline = t.C
	}
	for {
		s.mu.Lock()
		if s.webhook.URL != "" {
			s.mu.Unlock()
			return nil, &apiError{code: http.StatusConflict,
				description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
		}
		if offset > 0 {
			keep := s.updates[:0]
			for _, u := range s.updates {
				if u.id >= offset {
					keep = append(keep, u)
				}
			}
			if len(keep) < len(s.updates) {
				clear(s.updates[len(keep):])
				s.updates = keep
				s.notifyLocked()
			}
		}
		var batch []json.RawMessage
		for _, u := range s.updates {
			if len(batch) == limit {
				break
			}
			if u.id >= offset {
				batch = append(batch, u.raw)
			}
		}
		changed := s.changed
		s.mu.Unlock()

		if len(batch) > 0 || deadline == nil {
			if batch == nil {
				batch = []json.RawMessage{}
			}
			return marshal(batch)
		}
		select {
		case <-changed:
		case <-deadline:
			deadline = nil
		case <-ctx.Done():
			return json.RawMessage("[]"), nil
		case <-s.closed:
			return json.RawMessage("[]"), nil
		}
	}
}
