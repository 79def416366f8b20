/**
 * Where tokens live. Implementations: the OS keyring (CLI), Electron safeStorage (desktop app), an opt-in
 * encrypted 0600 file, and a store that refuses. Values are opaque strings; keys are short names such as
 * "google:you@example.com".
 */
export interface SecretStore {
  /** Shown in messages and `doctor`, e.g. "OS keyring". */
  readonly label: string;
  get(key: string): Promise<string | undefined>;
  /**
   * Whether a value is kept under the key. Presence only: the value is never handed out, so a list of accounts can
   * say which have their secret in this store without reading (or, where it can be avoided, decrypting) it.
   */
  has(key: string): Promise<boolean>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}
