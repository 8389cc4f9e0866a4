package rules_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// FuzzTemplate loads a rule whose message is the fuzzed template and runs
// it over a small draft: a template either fails to load with an error or
// renders within the budgets; it never panics or hangs.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		"第{{ item.label }}条“{{ item.title }}”",
		"{{ clip(item.title, 3) }}{{ len(item.owners) }}",
		"{{ repeat(item.text, 1000000) }}",
		"{{ {{ }}",
		"{{ match.text }}@{{ match.start.col }}",
		"{{ join(map(item.owners, .name), \"、\") }}",
	} {
		f.Add(s)
	}
	src, err := plan.NewSource("t.txt", []byte("2019年全市卫生健康工作要点\n一、重点工作\n1.加强管理，年底前覆盖率达到90%以上。（责任单位：医政处、办公室）\n2.完善机制。\n"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tmpl string) {
		data := fmt.Sprintf("[[rule]]\nid = \"fuzz-rule\"\ntitle = \"t\"\nseverity = \"info\"\nscope = \"item\"\ncheck = \"true\"\nmessage = %s\n", strconv.Quote(tmpl))
		set, err := rules.LoadBuiltin([]byte(data), "fuzz.toml")
		if err != nil {
			return
		}
		p := plan.Parse(src, &set.Vocab)
		findings, _ := checker.New(set).Check(p)
		for _, fd := range findings {
			if len(fd.Message) > 64<<10 {
				t.Fatalf("message of %d bytes escaped the budget", len(fd.Message))
			}
		}
	})
}
