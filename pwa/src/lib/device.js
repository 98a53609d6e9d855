// What kind of browser the page runs in, where it changes what the app says (page only).

export function isIOS() {
  const ua = navigator.userAgent || '';
  return /iPhone|iPad|iPod/.test(ua) || (ua.includes('Macintosh') && navigator.maxTouchPoints > 1);
}

export function isStandalone() {
  return navigator.standalone === true || matchMedia('(display-mode: standalone)').matches;
}

/** On iPhone outside the home screen Safari may clear the data of an unused site. */
export const needsHomeScreenHint = () => isIOS() && !isStandalone();
