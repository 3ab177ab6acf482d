/**
 * Secrets per store: access token, refresh token, client secret, other API keys.
 * Kept in the OS keychain, or in a 0600 file when the keychain is unavailable or the user
 * asked for `--insecure-storage`. Implementations live in secrets/.
 */
export type SecretName =
  | 'access-token'
  | 'refresh-token'
  | 'client-secret'
  | 'return-magic-api-key'
  | 'webhook-secret';

export type SecretLocation = 'keychain' | 'file';

export interface SecretValue {
  value: string;
  location: SecretLocation;
}

export interface SecretWriteOptions {
  /** Write to the 0600 file instead of the keychain. */
  insecure?: boolean;
  /** No warning for an insecure write (a refresh of credentials the user already put in the file). */
  quiet?: boolean;
}

export interface SecretStore {
  get(shop: string, name: SecretName): Promise<SecretValue | undefined>;
  set(shop: string, name: SecretName, value: string, options?: SecretWriteOptions): Promise<SecretLocation>;
  /** Removes the secret from every place it may be stored; returns where it was found. */
  delete(shop: string, name: SecretName): Promise<SecretLocation[]>;
}
