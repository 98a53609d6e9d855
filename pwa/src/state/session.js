// Who is logged in on this phone: the session (token, user) kept in IndexedDB, the device it
// was given to, and logging in and out. Only workers' phones sync; supervisors and admins get
// the office screens, which read the API directly.
import { delMeta, deviceId, clearWorkerData } from '../sync/db.js';
import { getSecret, setSecret } from '../sync/vault.js';
import * as outbox from '../sync/outbox.js';
import * as api from '../lib/api.js';
import { t } from '../lib/i18n/index.js';

let session = null;

/** {token, expires_at, user} or null. */
export const current = () => session;
export const token = () => session?.token;
/** Supervisors, admins and inspectors get the office screens; workers keep the worker app. */
export const isOffice = () => ['supervisor', 'admin', 'inspector'].includes(session?.user?.role);
/** An inspector of a bureau reads every office below it and changes none of their records. */
export const isInspector = () => session?.user?.role === 'inspector';
/** Units, staff and coverage rules are an admin's to change; a supervisor reads them. */
export const isAdmin = () => session?.user?.role === 'admin';

/** Read the session of the last login, and make the device id if this is a new install. */
export async function load() {
  session = await getSecret('session');
  await deviceId();
  return session;
}

/**
 * Log in (online only). Another user's data on the phone is cleared first, and the login is
 * refused while records of theirs still wait. Resolves {cleared} (true when data was cleared).
 */
export async function login(username, password) {
  const device = { id: await deviceId(), name: deviceName() };
  const answer = await api.login(username, password, device);
  const previous = session;
  let cleared = false;
  if (previous && previous.user?.username !== answer.user?.username) {
    if ((await outbox.counts()).total > 0) {
      const name = previous.user.display_name || previous.user.username;
      throw new api.ApiError(409, t('login.otherUserWaiting', { name }));
    }
    await clearWorkerData();
    cleared = true;
  }
  session = { token: answer.token, expires_at: answer.expires_at, user: answer.user };
  await setSecret('session', session);
  await delMeta('auth_expired');
  await delMeta('revoked');
  return { cleared };
}

/** Log out: tell the server when there is a connection, and forget the worker's data. */
export async function logout() {
  const oldToken = session?.token;
  if (oldToken && navigator.onLine) await api.logout(oldToken).catch(() => {});
  await clearWorkerData();
  session = null;
}

function deviceName() {
  const agent = navigator.userAgent;
  const found = agent.match(/\(([^)]+)\)/);
  return (found ? found[1] : agent).slice(0, 80);
}
