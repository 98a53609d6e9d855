// Signature strokes as the API wants them: integer points within width × height, at most
// MAX_STROKES strokes and MAX_POINTS points, "delta" encoded (first pair of a stroke
// absolute, every later pair the difference from the previous point).

export const MAX_STROKES = 50;
export const MAX_POINTS = 4000;
export const WIDTH = 600;

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/**
 * groups: signature_pad's toData() ([{points: [{x, y}]}]) in CSS pixels of a srcW × srcH canvas.
 * Returns {width, height, encoding: "delta", strokes}.
 */
export function encodeStrokes(groups, srcW, srcH, width = WIDTH) {
  const height = Math.max(1, Math.round((width * srcH) / srcW));
  const sx = width / srcW;
  const sy = height / srcH;
  let strokes = groups
    .slice(0, MAX_STROKES)
    .map((g) =>
      dedupe(
        g.points.map((p) => [
          clamp(Math.round(p.x * sx), 0, width),
          clamp(Math.round(p.y * sy), 0, height),
        ]),
      ),
    )
    .filter((s) => s.length > 0);
  strokes = limitPoints(strokes, MAX_POINTS);
  return { width, height, encoding: 'delta', strokes: strokes.map(deltaEncode) };
}

function dedupe(points) {
  const out = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/** Thin every stroke evenly (keeping its ends) until the total fits. */
export function limitPoints(strokes, max) {
  const total = (ss) => ss.reduce((n, s) => n + s.length, 0);
  let ratio = max / total(strokes);
  let out = strokes;
  while (total(out) > max) {
    out = strokes.map((s) =>
      thin(s, Math.max(Math.min(2, s.length), Math.floor(s.length * ratio))),
    );
    ratio *= 0.95;
  }
  return out;
}

function thin(points, keep) {
  if (keep >= points.length) return points;
  if (keep <= 1) return [points[0]];
  const out = [];
  for (let i = 0; i < keep; i++)
    out.push(points[Math.round((i * (points.length - 1)) / (keep - 1))]);
  return out;
}

export function deltaEncode(points) {
  const flat = [];
  let px = 0;
  let py = 0;
  points.forEach(([x, y], i) => {
    if (i === 0) flat.push(x, y);
    else flat.push(x - px, y - py);
    px = x;
    py = y;
  });
  return flat;
}

/** Back to absolute points: [[[x, y], ...], ...]. Accepts both encodings. */
export function decodeStrokes(sig) {
  return sig.strokes.map((flat) => {
    const pts = [];
    for (let i = 0; i < flat.length; i += 2) {
      if (i === 0 || sig.encoding === 'absolute') pts.push([flat[i], flat[i + 1]]);
      else {
        const [px, py] = pts[pts.length - 1];
        pts.push([px + flat[i], py + flat[i + 1]]);
      }
    }
    return pts;
  });
}

export function pointCount(sig) {
  return sig.strokes.reduce((n, s) => n + s.length / 2, 0);
}

/** SVG path data for showing a stored signature. */
export function svgPath(sig) {
  return decodeStrokes(sig)
    .map((pts) =>
      pts.length === 1
        ? `M${pts[0][0]} ${pts[0][1]}h0.1`
        : `M${pts.map((p) => p.join(' ')).join('L')}`,
    )
    .join('');
}
