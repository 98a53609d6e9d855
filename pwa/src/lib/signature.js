// The signature pad: signature_pad on a canvas sized for the screen's pixel ratio,
// clear and undo, a stroke limit, and the API's stroke encoding.
import SignaturePad from 'signature_pad';
import { encodeStrokes, decodeStrokes, MAX_STROKES } from './strokes.js';

export function createSignature(canvas, { onChange } = {}) {
  const pad = new SignaturePad(canvas, {
    minWidth: 1.2,
    maxWidth: 3.2,
    penColor: '#000',
    backgroundColor: 'rgba(0,0,0,0)',
  });
  let full = false;

  function resize() {
    const data = pad.toData();
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const w = canvas.offsetWidth;
    const hgt = canvas.offsetHeight;
    if (!w || !hgt) return;
    canvas.width = w * ratio;
    canvas.height = hgt * ratio;
    canvas.getContext('2d').scale(ratio, ratio);
    pad.clear();
    if (data.length) pad.fromData(data);
  }

  function changed() {
    const n = pad.toData().length;
    full = n >= MAX_STROKES;
    if (full) pad.off();
    else pad.on();
    onChange?.({ strokes: n, full });
  }

  pad.addEventListener('endStroke', changed);
  const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(resize) : null;
  ro?.observe(canvas);
  resize();

  return {
    isEmpty: () => pad.isEmpty(),
    clear() {
      pad.clear();
      changed();
    },
    undo() {
      const data = pad.toData();
      data.pop();
      pad.fromData(data);
      changed();
    },
    /** {width, height, encoding, strokes} for the API. */
    encode: () => encodeStrokes(pad.toData(), canvas.offsetWidth, canvas.offsetHeight),
    /** Draw a stored signature back (coming back to this screen). */
    restore(sig) {
      if (!sig?.strokes?.length) return;
      const sx = canvas.offsetWidth / sig.width;
      const sy = canvas.offsetHeight / sig.height;
      pad.fromData(
        decodeStrokes(sig).map((pts) => ({
          penColor: '#000',
          dotSize: 0,
          minWidth: 1.2,
          maxWidth: 3.2,
          velocityFilterWeight: 0.7,
          compositeOperation: 'source-over',
          points: pts.map(([x, y], i) => ({ x: x * sx, y: y * sy, time: i * 16, pressure: 0.5 })),
        })),
      );
      changed();
    },
    destroy() {
      ro?.disconnect();
      pad.off();
    },
  };
}
