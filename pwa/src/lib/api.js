// The few plain API calls besides sync: login, logout, QR lookup.
export class ApiError extends Error {
  constructor(status, detail, retryAfter = null) {
    super(detail || `HTTP ${status}`);
    this.status = status; // 0: no answer (offline, timeout)
    this.retryAfter = retryAfter;
  }
}

export async function request(path, { method = 'GET', body, token, timeoutMs = 15_000 } = {}) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: ctrl.signal,
      credentials: 'omit',
    });
  } catch (err) {
    throw new ApiError(0, err?.name === 'AbortError' ? 'timeout' : 'network');
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch {
    /* empty or not JSON */
  }
  if (!res.ok) {
    const ra = Number(res.headers.get('Retry-After'));
    const err = new ApiError(
      res.status,
      data?.detail || data?.title,
      Number.isFinite(ra) && ra > 0 ? ra : null,
    );
    if (data?.errors) err.errors = data.errors;
    if (data?.codes) err.codes = data.codes; // the same reasons as codes: lib/form-errors.js
    throw err;
  }
  return data;
}

export const login = (username, password, device) =>
  request('/api/v1/auth/login', { method: 'POST', body: { username, password, device } });

export const logout = (token) =>
  request('/api/v1/auth/logout', { method: 'POST', token, timeoutMs: 5000 });

export const lookupQr = (token, qrToken) =>
  request(`/api/v1/qr/lookup?token=${encodeURIComponent(qrToken)}`, { token, timeoutMs: 8000 });

/** A bearer-authenticated file (CSV, print view, image): {blob, filename}. */
export async function fetchBlob(path, token, { timeoutMs = 120_000 } = {}) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  let res;
  try {
    res = await fetch(path, {
      headers: { Authorization: `Bearer ${token}` },
      signal: ctrl.signal,
      credentials: 'omit',
    });
    if (!res.ok) {
      let data = null;
      try {
        data = await res.json();
      } catch {
        /* not JSON */
      }
      throw new ApiError(res.status, data?.detail || data?.title);
    }
    const blob = await res.blob();
    const m = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') || '');
    return { blob, filename: m ? m[1] : null };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(0, err?.name === 'AbortError' ? 'timeout' : 'network');
  } finally {
    clearTimeout(timer);
  }
}
