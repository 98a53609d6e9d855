// This phone's own choices, kept across logins: the language, whether the browser was asked
// to keep the data (persistent storage), and the hints dismissed for good.
// Emits 'language' when the language changed, so that the screen is drawn again.
import { getMeta, setMeta, delMeta, persistence, isPersisted } from '../sync/db.js';
import { setLang, pickLang } from '../lib/i18n/index.js';
import { emitter } from '../lib/events.js';

const events = emitter();
export const on = events.on;

let languageSetting = null;
let storage = 'unknown';
let dismissed = new Set();

/** The language chosen in Settings, or null to follow the phone. */
export const language = () => languageSetting;
/** 'granted', 'denied', 'unsupported' or 'unknown'. */
export const storageState = () => storage;
export const isDismissed = (key) => dismissed.has(key);

function applyLanguage() {
  setLang(pickLang(languageSetting, navigator.languages || [navigator.language]));
}

export async function loadLanguage() {
  languageSetting = await getMeta('lang');
  applyLanguage();
}

export async function loadRest() {
  storage = (await isPersisted()) ? 'granted' : await getMeta('storage', 'unknown');
  dismissed = new Set(await getMeta('dismissed', []));
}

/** Choose a language (null or '' follows the phone). */
export async function setLanguage(setting) {
  languageSetting = setting || null;
  if (setting) await setMeta('lang', setting);
  else await delMeta('lang');
  applyLanguage();
  events.emit('language');
}

/** Ask the browser to keep the data; resolves the new storage state. */
export async function askPersistence() {
  storage = await persistence().catch(() => 'unsupported');
  await setMeta('storage', storage);
  return storage;
}

/** Hide a hint for good (kept across opens). */
export function dismiss(key) {
  dismissed.add(key);
  setMeta('dismissed', [...dismissed]);
}
