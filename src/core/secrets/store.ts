import type { DsyncError } from '../errors.js';

/**
 * Secrets per store: access token, refresh token, client secret, other API keys.
 * Kept in the OS keychain, or in a 0600 file when the keychain is unavailable or the user
 * asked for `--insecure-storage`; or read from a directory dsync never writes
 * (DSYNC_CREDENTIALS_DIR, a mounted Kubernetes Secret). Implementations live in secrets/.
 */
export type SecretName =
  | 'access-token'
  | 'refresh-token'
  | 'client-secret'
  | 'return-magic-api-key'
  | 'webhook-secret';

/** Where dsync stores a secret it is given. */
export type SecretLocation = 'keychain' | 'file';

/** Where a secret was read from: a place dsync stores secrets, or the read-only directory. */
export type SecretSource = SecretLocation | 'credentials-dir';

export interface SecretValue {
  value: string;
  location: SecretSource;
  /** The file it was read from, for a secret of the credentials directory (a path, never the value). */
  path?: string;
}

/** A store that only reads: every set and delete refuses, and what is missing names the file to add. */
export interface ReadOnlySecrets {
  /** The directory the secrets are read from. */
  dir: string;
  /** The error for a command that would store or remove a secret (exit 2); `action` names it. */
  refusal(action: string, shop?: string, name?: SecretName): DsyncError;
  /** The error for a store whose secret is not there (exit 4), naming the file and the Secret key. */
  missing(shop: string, name: SecretName): DsyncError;
}

export interface SecretWriteOptions {
  /** Write to the 0600 file instead of the keychain. */
  insecure?: boolean;
  /** No warning for an insecure write (a refresh of credentials the user already put in the file). */
  quiet?: boolean;
}

export interface SecretStore {
  /** Set when secrets come from a directory dsync must not write (DSYNC_CREDENTIALS_DIR). */
  readonly readOnly?: ReadOnlySecrets;
  get(shop: string, name: SecretName): Promise<SecretValue | undefined>;
  set(shop: string, name: SecretName, value: string, options?: SecretWriteOptions): Promise<SecretLocation>;
  /** Removes the secret from every place it may be stored; returns where it was found. */
  delete(shop: string, name: SecretName): Promise<SecretLocation[]>;
}
