import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';

export function registerLocations(_program: Command, _ctx: RegisterContext): void {}
