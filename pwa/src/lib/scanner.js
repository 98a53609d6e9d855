// QR scanning: the browser's BarcodeDetector, or the zxing polyfill loaded on demand;
// the camera through getUserMedia; and what a scanned code means for this worker.

/** A resident's code holds <public URL>/r/<token>; a bare token is accepted too. */
export function parseToken(text) {
  const s = String(text || '').trim();
  const m = s.match(/\/r\/([A-Za-z0-9_~.-]+)\/?(?:[?#].*)?$/);
  if (m) return m[1];
  if (/^[A-Za-z0-9_~.-]{6,}$/.test(s)) return s;
  return null;
}

let detectorPromise = null;

/** A detector for QR codes: native where the browser has one, else the polyfill (lazy). */
export function getDetector() {
  if (!detectorPromise) {
    detectorPromise = (async () => {
      const Native = globalThis.BarcodeDetector;
      if (Native) {
        try {
          const formats = await Native.getSupportedFormats?.();
          if (!formats || formats.includes('qr_code')) return new Native({ formats: ['qr_code'] });
        } catch {
          /* fall through to the polyfill */
        }
      }
      const { BarcodeDetector } = await import('./decoder.js');
      return new BarcodeDetector({ formats: ['qr_code'] });
    })();
    detectorPromise.catch(() => {
      detectorPromise = null;
    });
  }
  return detectorPromise;
}

export const hasCamera = () => Boolean(navigator.mediaDevices?.getUserMedia);

/**
 * Open the back camera into `video` and call onCode(text) for the first code read; with
 * `continuous`, keep reading after a pause of `pauseMs` (an activity scans residents in one
 * after another, the camera staying open). Returns stop(). Throws 'no-camera' | 'denied' |
 * 'decoder' errors.
 */
export async function startScan(video, onCode, { continuous = false, pauseMs = 800 } = {}) {
  if (!hasCamera()) throw Object.assign(new Error('no-camera'), { code: 'no-camera' });
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (err) {
    const denied = err?.name === 'NotAllowedError' || err?.name === 'SecurityError';
    throw Object.assign(new Error(denied ? 'denied' : 'no-camera'), {
      code: denied ? 'denied' : 'no-camera',
    });
  }
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const tr of stream.getTracks()) tr.stop();
    video.srcObject = null;
  };
  video.srcObject = stream;
  video.setAttribute('playsinline', '');
  video.muted = true;
  await video.play().catch(() => {});
  let detector;
  try {
    detector = await getDetector();
  } catch (err) {
    stop();
    throw Object.assign(new Error('decoder'), { code: 'decoder', cause: err });
  }
  const tick = async () => {
    if (stopped) return;
    if (video.readyState >= 2) {
      try {
        const codes = await detector.detect(video);
        const hit = codes.find((c) => c.rawValue);
        if (hit && !stopped) {
          onCode(hit.rawValue);
          if (continuous) setTimeout(tick, pauseMs);
          return;
        }
      } catch {
        /* a frame that cannot be read: try the next */
      }
    }
    setTimeout(tick, 120);
  };
  tick();
  return stop;
}

/**
 * The roster carries a fingerprint of each code, never the code itself (a lost phone holds no
 * usable codes): base64url, no padding, of the first 8 bytes of SHA-256(token).
 */
export async function fingerprint(token) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  const bytes = new Uint8Array(digest, 0, 8);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * What a token means here. byHash: Map qr_hash -> resident (this phone's roster);
 * lookup(token) asks the server. Returns {kind: 'resident', resident} or
 * {kind: 'other_unit' | 'rotated' | 'unknown' | 'offline'}.
 */
export async function resolveToken(token, { byHash, byId, online, lookup }) {
  const r = byHash.get(await fingerprint(token));
  if (r) return { kind: 'resident', resident: r };
  if (!online) return { kind: 'offline' };
  try {
    const ans = await lookup(token);
    if (ans?.status === 'current') {
      const known = ans.resident_id && byId.get(ans.resident_id);
      return known ? { kind: 'resident', resident: known } : { kind: 'other_unit' };
    }
    if (ans?.status === 'rotated' || ans?.status === 'other_unit' || ans?.status === 'unknown')
      return { kind: ans.status };
    return { kind: 'unknown' };
  } catch (err) {
    if (err?.status === 0) return { kind: 'offline' };
    if (err?.status === 404) return { kind: 'unknown' };
    return { kind: 'lookup_failed' };
  }
}
