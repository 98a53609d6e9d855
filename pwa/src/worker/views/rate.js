// The resident's screen: big, high contrast, in the resident's language. Three faces with
// words, an optional comment, and the signature (resident, family member, or unable to sign).
import { h, svg, field, choice, icon } from '../../lib/dom.js';
import { t, lang, LANGS } from '../../lib/i18n/index.js';
import { createSignature } from '../../lib/signature.js';
import { draft, roster } from '../../state/index.js';

const FACES = [
  ['satisfied', 'M30 62 Q50 80 70 62'],
  ['basically_satisfied', 'M32 66 L68 66'],
  ['unsatisfied', 'M30 72 Q50 56 70 72'],
];

function face(mouth) {
  return svg(
    'svg',
    { viewBox: '0 0 100 100', class: 'face', 'aria-hidden': 'true', focusable: 'false' },
    svg('circle', { cx: 50, cy: 50, r: 44, class: 'face-head' }),
    svg('circle', { cx: 36, cy: 40, r: 6, class: 'face-eye' }),
    svg('circle', { cx: 64, cy: 40, r: 6, class: 'face-eye' }),
    svg('path', { d: mouth, class: 'face-mouth' }),
  );
}

export function rateView(app) {
  const visit = draft.current();
  if (!visit) return { redirect: '' };
  let residentLang = visit.resident_lang || lang(); // the resident's language may differ from the worker's
  const resident = roster.resident(visit.resident_id);
  // What the screen holds (a name typed for a family member stays if the signer is switched
  // and back); the draft keeps its cleaned form after every change, strokes included.
  const sig = visit.signature
    ? { ...visit.signature }
    : { signer: 'resident', signer_name: null, reason: null };
  let pad = null;
  let padReady = false; // the stored strokes are drawn back: the pad holds the signature
  const el = h('section', { class: 'view rate' });
  const tr = (k, p) => t(k, p, residentLang);

  function draw(focusLang) {
    pad?.destroy();
    pad = null;
    const faceButtons = FACES.map(([value, mouth]) =>
      h(
        'button',
        {
          type: 'button',
          class: `face-btn ${value}`,
          'aria-pressed': String(visit.satisfaction === value),
          onclick: () => {
            draft.change({ satisfaction: visit.satisfaction === value ? null : value });
            for (const b of faceButtons)
              b.setAttribute('aria-pressed', String(b.classList.contains(visit.satisfaction)));
          },
        },
        face(mouth),
        h('span', { class: 'face-word' }, tr(`satisfaction.${value}`)),
      ),
    );

    const comment = h('textarea', {
      rows: 2,
      maxlength: 2000,
      value: visit.feedback,
      oninput: (e) => draft.change({ feedback: e.target.value }),
    });
    const padBox = h('div', { class: 'sigbox' });
    const err = h('p', { class: 'error', role: 'alert' });
    const signer = choice(
      'signer',
      tr('rate.signer'),
      [
        ['resident', tr('rate.signer.resident')],
        ['proxy', tr('rate.signer.proxy')],
        ['none', tr('rate.signer.none')],
      ],
      sig.signer,
      (v) => {
        keepStrokes();
        sig.signer = v;
        keepSignature();
        drawPad();
      },
    );
    const langButtons = LANGS.map((l) =>
      h(
        'button',
        {
          type: 'button',
          class: 'btn small secondary',
          lang: l,
          'aria-pressed': String(l === residentLang),
          onclick: () => {
            keepStrokes();
            residentLang = l;
            draft.change({ resident_lang: l });
            draw(l);
          },
        },
        t('lang.self', null, l),
      ),
    );

    function drawPad() {
      pad?.destroy();
      pad = null;
      if (sig.signer === 'none') {
        const reason = h('input', {
          value: sig.reason || '',
          maxlength: 2000,
          oninput: (e) => {
            sig.reason = e.target.value;
            keepSignature();
          },
        });
        padBox.replaceChildren(field(tr('rate.reason'), reason));
        return;
      }
      const canvas = h('canvas', {
        class: 'sigpad',
        role: 'img',
        'aria-label': tr('rate.signHere'),
      });
      const padMsg = h('p', { class: 'hint', role: 'status' });
      const name = h('input', {
        value: sig.signer_name || '',
        maxlength: 200,
        oninput: (e) => {
          sig.signer_name = e.target.value;
          keepSignature();
        },
      });
      padBox.replaceChildren(
        sig.signer === 'proxy' ? field(tr('rate.proxyName'), name) : '',
        h('p', { class: 'sig-label', 'aria-hidden': 'true' }, tr('rate.signHere')),
        canvas,
        padMsg,
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            { type: 'button', class: 'btn secondary', onclick: () => pad.undo() },
            icon('↶'),
            tr('rate.undo'),
          ),
          h(
            'button',
            { type: 'button', class: 'btn secondary', onclick: () => pad.clear() },
            icon('✕'),
            tr('rate.clear'),
          ),
        ),
      );
      const thisPad = createSignature(canvas, {
        onChange: ({ full }) => {
          padMsg.textContent = full ? tr('rate.full') : '';
          if (pad !== thisPad || !padReady) return;
          keepStrokes();
          draft.flush(); // a stroke is a finished act, not typing: write it now
        },
      });
      pad = thisPad;
      padReady = !sig.strokes?.length;
      if (!padReady)
        requestAnimationFrame(() => {
          if (pad !== thisPad) return;
          pad.restore(sig);
          padReady = true;
        });
    }

    function done() {
      keepStrokes();
      err.textContent = '';
      const problem =
        sig.signer === 'proxy' && !sig.signer_name?.trim()
          ? 'rate.needName'
          : sig.signer === 'none' && !sig.reason?.trim()
            ? 'rate.needReason'
            : sig.signer !== 'none' && !sig.strokes?.length
              ? 'rate.needSignature'
              : null;
      if (problem) {
        err.textContent = `⚠ ${tr(problem)}`;
        padBox.querySelector('input')?.focus();
        return;
      }
      draft.change({ signature: draft.cleanSignature(sig), step: 'confirm' });
      app.go('confirm');
    }

    el.replaceChildren(
      h(
        'div',
        { class: 'rate-top' },
        h('p', { class: 'rate-name' }, resident?.name || ''),
        h(
          'div',
          { class: 'langs', role: 'group', 'aria-label': tr('settings.language') },
          langButtons,
        ),
      ),
      h('h1', { class: 'rate-q', id: 'rate-q' }, tr('rate.question')),
      h('div', { class: 'faces', role: 'group', 'aria-labelledby': 'rate-q' }, faceButtons),
      field(tr('rate.comment'), comment),
      signer,
      padBox,
      err,
      h(
        'div',
        { class: 'row actions' },
        h('button', { type: 'button', class: 'btn big', onclick: done }, tr('rate.done')),
        h(
          'button',
          { type: 'button', class: 'btn secondary', onclick: back },
          icon('←'),
          tr('rate.back'),
        ),
      ),
    );
    el.lang = residentLang;
    drawPad();
    if (focusLang) langButtons[LANGS.indexOf(focusLang)]?.focus();
  }

  /** Keep the signature in the draft, in the form the API wants (see cleanSignature). */
  function keepSignature() {
    draft.change({ signature: draft.cleanSignature(sig) });
  }

  /** Take the drawing from the pad (once it holds the stored one) and keep it. */
  function keepStrokes() {
    if (pad && padReady) Object.assign(sig, pad.encode());
    keepSignature();
  }

  function back() {
    keepStrokes();
    draft.change({ step: 'visit' });
    app.go('visit');
  }

  draw();
  return {
    el,
    title: t('rate.title'),
    destroy() {
      if (pad) keepStrokes();
      pad?.destroy();
    },
  };
}
