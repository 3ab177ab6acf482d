import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Env } from './deps.js';

/** DSYNC_CONFIG_DIR, else $XDG_CONFIG_HOME/dsync, else ~/.config/dsync (APPDATA on Windows). */
export function resolveConfigDir(env: Env): string {
  if (env.DSYNC_CONFIG_DIR && env.DSYNC_CONFIG_DIR.trim() !== '') return env.DSYNC_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== '') return join(env.XDG_CONFIG_HOME, 'dsync');
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'dsync');
  return join(env.HOME && env.HOME !== '' ? env.HOME : homedir(), '.config', 'dsync');
}

/** DSYNC_CREDENTIALS_DIR as an absolute path (messages name it in full); undefined when unset or empty. */
export function resolveCredentialsDir(env: Env): string | undefined {
  const value = env.DSYNC_CREDENTIALS_DIR?.trim();
  return value ? resolve(value) : undefined;
}
