package main

import (
	"bytes"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append([]string{"plancheck"}, args...), bytes.NewBufferString(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}
