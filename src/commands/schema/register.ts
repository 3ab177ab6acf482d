import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';

export function registerSchema(_program: Command, _ctx: RegisterContext): void {}
