// Persistent storage and the iPhone home-screen hint.
export async function persistence() {
  const s = navigator.storage;
  if (!s?.persist) return 'unsupported';
  if (await s.persisted()) return 'granted';
  return (await s.persist()) ? 'granted' : 'denied';
}

export async function isPersisted() {
  return navigator.storage?.persisted ? navigator.storage.persisted() : false;
}

export function isIOS() {
  const ua = navigator.userAgent || '';
  return /iPhone|iPad|iPod/.test(ua) || (ua.includes('Macintosh') && navigator.maxTouchPoints > 1);
}

export function isStandalone() {
  return navigator.standalone === true || matchMedia('(display-mode: standalone)').matches;
}

/** On iPhone outside the home screen Safari may clear the data of an unused site. */
export const needsHomeScreenHint = () => isIOS() && !isStandalone();
