/**
 * The per-store configuration: settings and non-secret auth metadata. Secrets never live here
 * (see secret-store.ts). The implementation (conf + zod) lives in config/; commands and services
 * only see this interface so they can be tested with an in-memory store.
 */
export interface AuthMetadata {
  /** How the token was obtained. */
  grant: 'authorization_code' | 'client_credentials' | 'token';
  clientId?: string;
  /** Scopes Shopify reported as granted. */
  scopes?: string[];
  /** ISO time the access token expires, when it expires. */
  expiresAt?: string;
  /** ISO time the refresh token expires, when known. */
  refreshExpiresAt?: string;
  /** Where the secrets were stored. */
  storage?: 'keychain' | 'file';
  /** The loopback origin the store was authorized against (sandbox), if any. */
  apiOrigin?: string;
  authorizedAt?: string;
}

export interface StoreProfile {
  /** Canonical `{handle}.myshopify.com`. */
  shop: string;
  /** Settings keyed by their kebab-case name, as validated by the settings schema. */
  settings: Record<string, unknown>;
  /**
   * The name a setting's value had in the store when it was set (`fulfillment-location`: the
   * location's name beside its gid), for display only; the gid is what dsync uses.
   */
  labels?: Record<string, string>;
  auth?: AuthMetadata;
}

export interface ConfigStore {
  /** The config file's path, for messages and `dsync config path`. */
  readonly path: string;
  listStores(): string[];
  defaultStore(): string | undefined;
  setDefaultStore(shop: string | undefined): void;
  getProfile(shop: string): StoreProfile | undefined;
  saveProfile(profile: StoreProfile): void;
  removeProfile(shop: string): void;
  /** Permission bits of the config file (e.g. 0o600), undefined when it does not exist. */
  fileMode?(): number | undefined;
}
