package fakeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// maxBody bounds a request body: Telegram's upload limit is 50 MB.
const maxBody = 64 << 20

// parseParams reads the query string and the body (multipart/form-data, application/json or
// application/x-www-form-urlencoded) into string parameters and uploaded files.
func parseParams(r *http.Request) (map[string]string, []File, error) {
	params := map[string]string{}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			params[k] = v[0]
		}
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	// Reading the body to its end lets net/http watch the connection, so the request's
	// context ends when the client goes away (which hung and long-polled calls rely on).
	defer func() { _, _ = io.Copy(io.Discard, r.Body) }()
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return params, nil, nil
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return params, nil, fmt.Errorf("content type %q: %w", ct, err)
	}
	switch mediaType {
	case "multipart/form-data":
		files, err := parseMultipart(r, params)
		return params, files, err
	case "application/json":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return params, nil, fmt.Errorf("read body: %w", err)
		}
		if len(bytes.TrimSpace(body)) == 0 {
			return params, nil, nil
		}
		return params, nil, jsonParams(body, params)
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return params, nil, fmt.Errorf("parse form: %w", err)
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				params[k] = v[0]
			}
		}
		return params, nil, nil
	default:
		return params, nil, fmt.Errorf("unsupported content type %q", mediaType)
	}
}

// parseMultipart reads form fields into params and returns the file parts in order.
func parseMultipart(r *http.Request, params map[string]string) ([]File, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, fmt.Errorf("multipart body: %w", err)
	}
	var files []File
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return files, fmt.Errorf("multipart part: %w", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return files, fmt.Errorf("multipart part %q: %w", part.FormName(), err)
		}
		if part.FileName() != "" {
			files = append(files, File{Field: part.FormName(), Filename: part.FileName(), Data: data})
			continue
		}
		params[part.FormName()] = string(data)
	}
}

// jsonParams adds the fields of a JSON object to params: strings unquoted, every other value as
// its raw JSON text.
func jsonParams(body []byte, params map[string]string) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return fmt.Errorf("decode json body: %w", err)
	}
	for k, raw := range fields {
		var s string
		if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
			params[k] = s
			continue
		}
		params[k] = string(raw)
	}
	return nil
}
