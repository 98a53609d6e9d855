// The PIN lock's state in this page or service worker: the vault's record (meta.vault, or
// null when no PIN is set) and the unlocked data key (a non-extractable CryptoKey, or null).
// Its own module so that db.js can forget it on logout without importing the vault.
export const keyring = { config: null, key: null };

export function resetKeyring() {
  keyring.config = null;
  keyring.key = null;
}
