package fakeapi

import (
	"encoding/json"
)

// MaxDownload is the largest file a bot can download: getFile answers "Bad Request: file is
// too big" for a larger one, as Telegram does (20 MB).
const MaxDownload = 20 << 20

// AddPhoto registers a photo the bot can fetch, like AddFile, under a file_path such as
// Telegram gives a user's photo ("photos/file_3.jpg"). It returns the file_path. The
// update announcing the photo is the test's to push, with fileID as its largest size.
func (s *Server) AddPhoto(fileID string, jpeg []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.storeFileLocked(fileID, "photos", "photo.jpg", jpeg).path
}

// getFile answers getFile: the file's path for a download, or 400 for an unknown file_id
// and for a file over MaxDownload.
func (s *Server) getFile(p map[string]string) (json.RawMessage, *apiError) {
	s.mu.Lock()
	f, ok := s.files[p["file_id"]]
	s.mu.Unlock()
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	if len(f.data) > MaxDownload {
		return nil, badRequest("file is too big")
	}
	return marshal(map[string]any{"file_id": f.id, "file_unique_id": f.uniqueID, "file_size": len(f.data), "file_path": f.path})
}
