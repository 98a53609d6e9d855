// Scan a resident's QR code; no camera or no permission -> pick from the roster (manual).
import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { startScan, parseToken, resolveToken, hasCamera } from '../../lib/scanner.js';
import { lookupQr } from '../../lib/api.js';
import { roster, session } from '../../state/index.js';

export function scanView(app) {
  const video = h('video', {
    class: 'camera',
    muted: true,
    playsinline: true,
    'aria-label': t('scan.camera'),
  });
  const msg = h(
    'p',
    { class: 'scan-msg', role: 'status', 'aria-live': 'polite' },
    t('scan.starting'),
  );
  const retry = h(
    'button',
    { type: 'button', class: 'btn', hidden: true, onclick: () => begin() },
    t('scan.again'),
  );
  let stop = null;
  let gone = false;

  async function onCode(text) {
    stop?.();
    stop = null;
    const token = parseToken(text);
    if (!token) return fail(t('scan.result.notOurs'));
    msg.textContent = t('scan.checking');
    const result = await resolveToken(token, {
      ...roster.lookups(),
      online: navigator.onLine,
      lookup: (code) => lookupQr(session.token(), code),
    });
    if (gone) return;
    if (result.kind === 'resident')
      app.startVisit(result.resident.id, { identifiedBy: 'qr', qrToken: token });
    else fail(t(`scan.result.${result.kind}`));
  }

  function fail(text) {
    msg.textContent = `⚠ ${text}`;
    msg.classList.add('bad');
    retry.hidden = false;
  }

  async function begin() {
    retry.hidden = true;
    msg.classList.remove('bad');
    msg.textContent = t('scan.starting');
    if (!hasCamera()) return fail(t('scan.noCamera'));
    try {
      const stopCamera = await startScan(video, onCode);
      if (gone) return stopCamera();
      stop = stopCamera;
      msg.textContent = t('scan.point');
    } catch (err) {
      fail(
        err.code === 'denied'
          ? t('scan.denied')
          : err.code === 'decoder'
            ? t('scan.decoderFailed')
            : t('scan.noCamera'),
      );
    }
  }

  const el = h(
    'section',
    { class: 'view scan' },
    h('h1', null, t('scan.title')),
    h('div', { class: 'camera-box' }, video, h('div', { class: 'aim', 'aria-hidden': 'true' })),
    msg,
    h(
      'div',
      { class: 'row' },
      retry,
      h('a', { class: 'btn secondary', href: '#/' }, t('scan.pick')),
    ),
    h('p', { class: 'hint' }, t('scan.pickHint')),
  );
  begin();
  return {
    el,
    title: t('scan.title'),
    destroy() {
      gone = true;
      stop?.();
    },
  };
}
