import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';

export function registerCompletion(program: Command, ctx: RegisterContext): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      `
Examples:
  source <(dsync completion bash)                 # bash, this shell only
  dsync completion bash > ~/.local/share/bash-completion/completions/dsync
  dsync completion zsh > "\${fpath[1]}/_dsync"
  dsync completion fish > ~/.config/fish/completions/dsync.fish`,
    )
    .action(ctx.action(() => import('./run.js')));
}
