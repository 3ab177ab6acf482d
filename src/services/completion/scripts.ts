/**
 * Shell completion scripts generated from the command tree, so they never drift from the CLI.
 * Commands, flags, setting keys and allowed values are written into the script (Tab costs no
 * node start-up); only the configured stores are asked of dsync (`dsync stores list --json`),
 * and files come from the shell.
 */

/** What a word can be completed with. */
export type Candidates =
  | { kind: 'words'; words: string[] }
  /** The configured stores. */
  | { kind: 'stores' }
  /** Paths, from the shell. */
  | { kind: 'files' }
  /** The allowed values of the setting named by the previous argument (`config set <key> <Tab>`). */
  | { kind: 'setting-values' };

export interface CompletionNode {
  /** Command path below `dsync`, e.g. ['auth', 'login']; [] for the root. */
  path: string[];
  subcommands: string[];
  /** Long and short flags, e.g. ['--json', '--store']. */
  options: string[];
  /** Flags that take a value (their next word is not a subcommand), with what completes it. */
  valueOptions: { flag: string; values: Candidates | null }[];
  /** What completes each positional argument, in order. */
  positionals: (Candidates | null)[];
}

export interface CompletionData {
  nodes: CompletionNode[];
  /** Allowed values by setting key (`config set <key> <Tab>`); keys without a fixed set are absent. */
  settingValues: Record<string, string[]>;
}

export type Shell = 'bash' | 'zsh' | 'fish';

export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

export function completionScript(shell: Shell, data: CompletionData): string {
  switch (shell) {
    case 'bash':
      return bashScript(data);
    case 'zsh':
      return `#compdef dsync\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(data)}`;
    case 'fish':
      return fishScript(data);
  }
}

/** The bash words that produce a candidate list into COMPREPLY. */
function bashReply(values: Candidates): string {
  switch (values.kind) {
    case 'words':
      return `COMPREPLY=($(compgen -W ${shellQuote(values.words.join(' '))} -- "$cur"))`;
    case 'stores':
      return 'COMPREPLY=($(compgen -W "$(_dsync_stores)" -- "$cur"))';
    case 'files':
      return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))';
    case 'setting-values':
      // A bash expansion, not a template placeholder: the setting named by the first argument.
      return `COMPREPLY=($(compgen -W "$(_dsync_setting_values "\${positional[0]}")" -- "$cur"))`;
  }
}

function bashScript({ nodes, settingValues }: CompletionData): string {
  const allValueFlags = [...new Set(nodes.flatMap((n) => n.valueOptions.map((o) => o.flag)))].sort();
  const nodeCases = nodes
    .filter((n) => n.path.length > 0)
    .map((n) => shellQuote(n.path.join(' ')))
    .join('|');
  /** `case` arms completing the values of the nodes' options, keyed `path|flag`. */
  const valueArms = (list: CompletionNode[]) =>
    list
      .flatMap((n) =>
        n.valueOptions
          .filter((o) => o.values !== null)
          .map(
            (o) =>
              `    ${shellQuote(`${n.path.join(' ')}|${o.flag}`)}) ${bashReply(o.values as Candidates)}; return ;;`,
          ),
      )
      .join('\n');
  const optionValueCases = valueArms(nodes);
  // A global option (`--store`) may follow any command: its value is looked up at the root too.
  const globalValueCases = valueArms(nodes.filter((n) => n.path.length === 0));
  const positionalCases = nodes
    .flatMap((n) =>
      n.positionals.map((values, index) =>
        values === null
          ? ''
          : `    ${shellQuote(`${n.path.join(' ')}#${index}`)}) ${bashReply(values)}; return ;;`,
      ),
    )
    .filter((line) => line !== '')
    .join('\n');
  const wordCases = nodes
    .map((node) => {
      const subcommands = node.subcommands.join(' ');
      const options = node.options.join(' ');
      return `    ${shellQuote(node.path.join(' '))}) subcommands=${shellQuote(subcommands)}; options=${shellQuote(options)} ;;`;
    })
    .join('\n');
  const valueCases = Object.entries(settingValues)
    .map(([key, values]) => `    ${shellQuote(key)}) echo ${shellQuote(values.join(' '))} ;;`)
    .join('\n');
  return `# dsync completion for bash. Load with: source <(dsync completion bash)
_dsync_stores() {
  dsync stores list --json 2>/dev/null | sed -n 's/.*"shop": *"\\([^"]*\\)".*/\\1/p'
}
_dsync_setting_values() {
  case "$1" in
${valueCases}
  esac
}
_dsync_is_node() {
  case "$1" in
    ${nodeCases || "''"}) return 0 ;;
  esac
  return 1
}
_dsync() {
  local cur prev path word skip i subcommands options
  local -a positional=()
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev=""
  (( COMP_CWORD > 1 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  path=""
  skip=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ $skip == 1 ]]; then skip=0; continue; fi
    case "$word" in
      ${allValueFlags.length > 0 ? allValueFlags.join('|') : '--never'}) skip=1; continue ;;
      -*) continue ;;
    esac
    if _dsync_is_node "\${path:+$path }$word"; then
      path="\${path:+$path }$word"
    else
      positional+=("$word")
    fi
  done
  # The value of an option: its choices, the stores, or paths.
  if [[ $skip == 1 ]]; then
    case "$path|$prev" in
${optionValueCases}
    esac
    case "|$prev" in
${globalValueCases}
    esac
    COMPREPLY=()
    return
  fi
  case "$path" in
${wordCases}
    *) subcommands=""; options="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    return
  fi
  if [[ -n "$subcommands" && \${#positional[@]} == 0 ]]; then
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
    return
  fi
  case "$path#\${#positional[@]}" in
${positionalCases}
  esac
  COMPREPLY=()
}
complete -F _dsync dsync
`;
}

function fishScript({ nodes, settingValues }: CompletionData): string {
  const lines = [
    '# dsync completion for fish. Load with: dsync completion fish | source',
    'complete -c dsync -f',
  ];
  const fishValues = (values: Candidates | null): string => {
    if (values === null) return ' -r';
    switch (values.kind) {
      case 'words':
        return ` -r -a ${shellQuote(values.words.join(' '))}`;
      case 'stores':
        return ` -r -a '(__dsync_stores)'`;
      case 'files':
        return ' -r -F';
      case 'setting-values':
        return ' -r';
    }
  };
  for (const node of nodes) {
    const condition =
      node.path.length === 0
        ? '__fish_use_subcommand'
        : `__dsync_path_is ${node.path.map((p) => shellQuote(p)).join(' ')}`;
    for (const sub of node.subcommands)
      lines.push(`complete -c dsync -n ${shellQuote(condition)} -a ${shellQuote(sub)}`);
    for (const option of node.options) {
      if (!option.startsWith('--')) continue;
      const value = node.valueOptions.find((o) => o.flag === option);
      lines.push(
        `complete -c dsync -n ${shellQuote(condition)} -l ${shellQuote(option.slice(2))}${value ? fishValues(value.values) : ''}`,
      );
    }
    const first = node.positionals[0];
    if (first && node.subcommands.length === 0) {
      const values =
        first.kind === 'words'
          ? shellQuote(first.words.join(' '))
          : first.kind === 'stores'
            ? `'(__dsync_stores)'`
            : null;
      if (values) lines.push(`complete -c dsync -n ${shellQuote(condition)} -a ${values}`);
    }
  }
  const keys = Object.keys(settingValues);
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
function __dsync_stores
    dsync stores list --json 2>/dev/null | string match -r '"shop": *"[^"]*"' | string replace -r '.*"shop": *"([^"]*)"' '$1'
end
${lines.join('\n')}
${keys.map((key) => `complete -c dsync -n ${shellQuote(`__dsync_path_is config set ${key}`)} -a ${shellQuote((settingValues[key] ?? []).join(' '))}`).join('\n')}
`;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
