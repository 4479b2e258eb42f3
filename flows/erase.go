package flows

import (
	"reflect"
	"slices"
	"strings"
	"time"
)

// Anonymize returns what of c may be kept once its personal data must go (/delete, and the
// retention period after a case closed): the fields Fields classes as Anonymous, and the Keep
// parts of the personal ones; everything else is the zero value. A known provider's legal name
// (Provider.Key set) is the provider data's, not the user's, and stays, and so does a charge's
// name picked from the bot's suggestions. The result shares nothing with c.
func Anonymize(c Complaint) Complaint {
	var out Complaint
	src, dst := reflect.ValueOf(&c).Elem(), reflect.ValueOf(&out).Elem()
	for _, f := range Fields() {
		path := strings.Split(f.Path, ".")
		if f.Privacy == Anonymous {
			copyPath(dst, src, path)
			continue
		}
		for _, k := range f.Keep {
			copyPath(dst, src, append(slices.Clone(path), k))
		}
	}
	if c.Provider.Key != "" {
		out.Provider.Name = c.Provider.Name
	}
	// a charge's name picked from the bot's suggestions is the bot's words, not the user's
	for i, d := range c.Deductions {
		if i < len(out.Deductions) && slices.Contains(labelSuggestions(c.Charge), d.Label) {
			out.Deductions[i].Label = d.Label
		}
	}
	return out
}

// copyPath copies the value at path (Go field names, through slices element by element) from
// src to dst. A path that names no field is a bug in Fields, which TestFieldsResolve catches.
func copyPath(dst, src reflect.Value, path []string) {
	switch {
	case src.Kind() == reflect.Slice:
		if src.Len() == 0 {
			return
		}
		if dst.Len() != src.Len() {
			dst.Set(reflect.MakeSlice(src.Type(), src.Len(), src.Len()))
		}
		for i := range src.Len() {
			copyPath(dst.Index(i), src.Index(i), path)
		}
	case len(path) == 0:
		dst.Set(src)
	case src.Kind() == reflect.Struct:
		copyPath(dst.FieldByName(path[0]), src.FieldByName(path[0]), path[1:])
	default:
		panic("flows: field path " + strings.Join(path, ".") + " goes through a " + src.Kind().String())
	}
}

// ClosedAt reports when the case closed, which starts its retention period: when staff
// resolved or rejected it, or, for a case never handed to staff, when its document was produced.
// A case staff still handle (escalated, claimed, waiting for the user) is not closed.
func (c Complaint) ClosedAt() (time.Time, bool) {
	switch c.Status {
	case StatusResolved, StatusRejected:
		for i := len(c.History) - 1; i >= 0; i-- {
			if c.History[i].Status == c.Status {
				return c.History[i].At, true
			}
		}
		return c.CreatedAt, !c.CreatedAt.IsZero()
	case StatusSubmitted:
		return c.CreatedAt, !c.CreatedAt.IsZero()
	}
	return time.Time{}, false
}
