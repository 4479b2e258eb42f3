package flows

import (
	"reflect"
	"strings"
)

// Anonymize returns what erasure (/delete, and any later retention scrub) keeps of c: the
// fields that Fields classes Anonymous and the Keep parts of the Personal ones; everything
// else, including any field no entry mentions, is left out. It is an allow-list: a new field
// is personal until its entry says otherwise. Text the user typed (a provider's name, the
// receiving body) is personal; a known provider's name is put back from its key.
func Anonymize(c Complaint) Complaint {
	var out Complaint
	dst, src := reflect.ValueOf(&out).Elem(), reflect.ValueOf(c)
	for _, f := range Fields() {
		if f.Privacy == Anonymous {
			copyPath(dst, src, strings.Split(f.Path, "."))
			continue
		}
		for _, k := range f.Keep {
			copyPath(dst, src, strings.Split(f.Path+"."+k, "."))
		}
	}
	// a known provider's name is ours, not the user's: it follows from the key kept
	if kp, ok := knownProvider(out.Provider.Key); ok {
		out.Provider.Name = kp.Name
	}
	return out
}

// copyPath copies the value at path from src to dst: through structs by field name, and
// through slices element by element, so that "Evidence.Kind" keeps each item's kind.
func copyPath(dst, src reflect.Value, path []string) {
	switch {
	case len(path) == 0:
		if src.Kind() == reflect.Slice && !src.IsNil() {
			// a copy: the kept complaint shares no array with the erased one
			dst.Set(reflect.AppendSlice(reflect.MakeSlice(src.Type(), 0, src.Len()), src))
			return
		}
		dst.Set(src)
	case src.Kind() == reflect.Struct:
		copyPath(dst.FieldByName(path[0]), src.FieldByName(path[0]), path[1:])
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
	}
}
