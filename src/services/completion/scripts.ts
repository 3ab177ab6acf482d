/**
 * Shell completion scripts generated from the command tree, so they never drift from the CLI.
 * Completion is static: pressing Tab costs no node start-up.
 */
export interface CompletionNode {
  /** Command path below `dsync`, e.g. ['auth', 'login']; [] for the root. */
  path: string[];
  subcommands: string[];
  /** Long and short flags, e.g. ['--json', '--store']. */
  options: string[];
  /** Flags that take a value (their next word is not a subcommand). */
  valueOptions: string[];
}

export type Shell = 'bash' | 'zsh' | 'fish';

export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

export function completionScript(shell: Shell, nodes: CompletionNode[]): string {
  switch (shell) {
    case 'bash':
      return bashScript(nodes);
    case 'zsh':
      return `#compdef dsync\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(nodes)}`;
    case 'fish':
      return fishScript(nodes);
  }
}

function bashScript(nodes: CompletionNode[]): string {
  const valueOptions = [...new Set(nodes.flatMap((n) => n.valueOptions))].sort();
  const cases = nodes
    .map((node) => {
      const words = [...node.subcommands, ...node.options].join(' ');
      return `    ${shellQuote(node.path.join(' '))}) words=${shellQuote(words)} ;;`;
    })
    .join('\n');
  return `# dsync completion for bash. Load with: source <(dsync completion bash)
_dsync() {
  local cur path word skip i words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  skip=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ $skip == 1 ]]; then skip=0; continue; fi
    case "$word" in
      ${valueOptions.length > 0 ? valueOptions.join('|') : '--never'}) skip=1; continue ;;
      -*) continue ;;
    esac
    path="\${path:+$path }$word"
  done
  case "$path" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _dsync dsync
`;
}

function fishScript(nodes: CompletionNode[]): string {
  const lines = [
    '# dsync completion for fish. Load with: dsync completion fish | source',
    'complete -c dsync -f',
  ];
  for (const node of nodes) {
    const condition =
      node.path.length === 0
        ? '__fish_use_subcommand'
        : `__dsync_path_is ${node.path.map((p) => shellQuote(p)).join(' ')}`;
    for (const sub of node.subcommands)
      lines.push(`complete -c dsync -n ${shellQuote(condition)} -a ${shellQuote(sub)}`);
    for (const option of node.options) {
      if (!option.startsWith('--')) continue;
      const takesValue = node.valueOptions.includes(option) ? ' -r' : '';
      lines.push(
        `complete -c dsync -n ${shellQuote(condition)} -l ${shellQuote(option.slice(2))}${takesValue}`,
      );
    }
  }
  return `function __dsync_path_is
    set -l words (commandline -opc)
    set -e words[1]
    set -l path
    for w in $words
        string match -q -- '-*' $w; and continue
        set -a path $w
    end
    test "$path" = "$argv"
end
${lines.join('\n')}
`;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
