import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';

export function registerStores(_program: Command, _ctx: RegisterContext): void {}
