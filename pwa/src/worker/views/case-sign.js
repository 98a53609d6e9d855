// The client's signature on a plan or a closure, on the phone's signature pad (lib/signature.js,
// as the resident's screen of a visit uses it): the resident, a family member (named), or, where
// the record allows it, nobody with the reason why.
import { h, field, choice, icon } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { createSignature } from '../../lib/signature.js';
import { draft } from '../../state/index.js';

/** {el, value(): {signature} | {error}, destroy()}; `allowNone` offers "cannot sign". */
export function signatureBlock(name, { allowNone = false } = {}) {
  const sig = { signer: 'resident', signer_name: '', reason: '' };
  let pad = null;
  const padBox = h('div', { class: 'sigbox' });
  const options = [
    ['resident', t('rate.signer.resident')],
    ['proxy', t('rate.signer.proxy')],
  ];
  if (allowNone) options.push(['none', t('rate.signer.none')]);
  const signer = choice(name, t('rate.signer'), options, sig.signer, (v) => {
    sig.signer = v;
    drawPad();
  });

  function drawPad() {
    pad?.destroy();
    pad = null;
    if (sig.signer === 'none') {
      const reason = h('input', {
        value: sig.reason,
        maxlength: 2000,
        oninput: (e) => (sig.reason = e.target.value),
      });
      padBox.replaceChildren(field(t('rate.reason'), reason));
      return;
    }
    const canvas = h('canvas', { class: 'sigpad', role: 'img', 'aria-label': t('rate.signHere') });
    const nameInput = h('input', {
      value: sig.signer_name,
      maxlength: 200,
      oninput: (e) => (sig.signer_name = e.target.value),
    });
    padBox.replaceChildren(
      sig.signer === 'proxy' ? field(t('rate.proxyName'), nameInput) : '',
      h('p', { class: 'sig-label', 'aria-hidden': 'true' }, t('rate.signHere')),
      canvas,
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          { type: 'button', class: 'btn small secondary', onclick: () => pad.undo() },
          icon('↶'),
          t('rate.undo'),
        ),
        h(
          'button',
          { type: 'button', class: 'btn small secondary', onclick: () => pad.clear() },
          icon('✕'),
          t('rate.clear'),
        ),
      ),
    );
    // A stroke tells the form, as typing does: a stale "please sign" goes.
    pad = createSignature(canvas, {
      onChange: () => el.dispatchEvent(new Event('input', { bubbles: true })),
    });
  }

  function value() {
    const drawn = pad ? pad.encode() : { strokes: [] };
    const full = { ...sig, ...drawn };
    if (sig.signer === 'proxy' && !sig.signer_name.trim()) return { error: 'rate.needName' };
    if (sig.signer === 'none' && !sig.reason.trim()) return { error: 'rate.needReason' };
    if (sig.signer !== 'none' && !drawn.strokes?.length) return { error: 'rate.needSignature' };
    return { signature: draft.cleanSignature(full) };
  }

  const el = h('div', { class: 'my-case-sign' }, signer, padBox);
  requestAnimationFrame(drawPad); // the canvas needs its size on the page
  return { el, value, destroy: () => pad?.destroy() };
}
