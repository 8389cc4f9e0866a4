package rules

import "unsafe"

// sliceKey identifies a list by its backing array, so that the matcher of
// a [vocab] list is found without hashing the list's words on every call.
type sliceKey struct {
	data *string
	n    int
}

func keyOf(list []string) sliceKey { return sliceKey{unsafe.SliceData(list), len(list)} }

// sameStrings reports whether a and b hold the very same strings (same
// bytes in memory), which is cheap and enough for lists found by identity.
func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) || unsafe.StringData(a[i]) != unsafe.StringData(b[i]) {
			return false
		}
	}
	return true
}
