package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// bashCompletion asks plancheck itself for the words that may follow
// (urfave/cli answers --generate-bash-completion with commands and flags).
const bashCompletion = `# plancheck completion for bash: eval "$(plancheck completion bash)"
_plancheck_complete() {
  local cur words
  cur="${COMP_WORDS[COMP_CWORD]}"
  if [[ "$cur" == -* ]]; then
    words=$("${COMP_WORDS[@]:0:$COMP_CWORD}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    words=$("${COMP_WORDS[@]:0:$COMP_CWORD}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o bashdefault -o default -F _plancheck_complete plancheck
`

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (bash; zsh with bashcompinit)",
		ArgsUsage: "bash",
		Description: `Add to ~/.bashrc:
   eval "$(plancheck completion bash)"`,
		Action: func(c *cli.Context) error {
			if shell := c.Args().First(); shell != "" && shell != "bash" {
				return cli.Exit(fmt.Sprintf("no completion for %q: bash only (zsh: autoload bashcompinit && bashcompinit)", shell), exitError)
			}
			fmt.Fprint(c.App.Writer, bashCompletion)
			return nil
		},
	}
}
