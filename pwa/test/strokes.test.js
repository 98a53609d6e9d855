import { describe, it, expect } from 'vitest';
import {
  encodeStrokes,
  decodeStrokes,
  deltaEncode,
  pointCount,
  svgPath,
  MAX_POINTS,
  MAX_STROKES,
} from '../src/lib/strokes.js';

const group = (pts) => ({ points: pts.map(([x, y]) => ({ x, y, time: 0, pressure: 0.5 })) });

describe('stroke encoding', () => {
  it('delta-encodes: first pair absolute, then differences', () => {
    expect(
      deltaEncode([
        [10, 20],
        [13, 18],
        [13, 25],
      ]),
    ).toEqual([10, 20, 3, -2, 0, 7]);
  });

  it('scales to integers within width x height and round-trips', () => {
    const sig = encodeStrokes(
      [
        group([
          [0, 0],
          [150.4, 50.2],
          [300, 100],
        ]),
        group([[10, 90]]),
      ],
      300,
      100,
    );
    expect(sig).toMatchObject({ width: 600, height: 200, encoding: 'delta' });
    for (const s of sig.strokes) for (const n of s) expect(Number.isInteger(n)).toBe(true);
    expect(decodeStrokes(sig)).toEqual([
      [
        [0, 0],
        [301, 100],
        [600, 200],
      ],
      [[20, 180]],
    ]);
  });

  it('clamps points outside the pad and drops repeated points', () => {
    const sig = encodeStrokes(
      [
        group([
          [-5, -5],
          [-5, -5],
          [400, 150],
        ]),
      ],
      300,
      100,
    );
    expect(decodeStrokes(sig)).toEqual([
      [
        [0, 0],
        [600, 200],
      ],
    ]);
  });

  it('keeps the aspect ratio of the canvas', () => {
    expect(encodeStrokes([group([[1, 1]])], 360, 192)).toMatchObject({ width: 600, height: 320 });
  });

  it('never exceeds 50 strokes or 4,000 points', () => {
    const many = Array.from({ length: 80 }, (_, s) =>
      group(Array.from({ length: 200 }, (_, i) => [i, (s + i) % 100])),
    );
    const sig = encodeStrokes(many, 300, 100);
    expect(sig.strokes.length).toBeLessThanOrEqual(MAX_STROKES);
    expect(pointCount(sig)).toBeLessThanOrEqual(MAX_POINTS);
    const pts = decodeStrokes(sig);
    // Thinning keeps each stroke's ends.
    expect(pts[0][0]).toEqual([0, 0]);
    expect(pts[0].at(-1)).toEqual([398, 198]);
  });

  it('reads the absolute encoding too', () => {
    expect(decodeStrokes({ encoding: 'absolute', strokes: [[1, 2, 3, 4]] })).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
  });

  it('draws an SVG path', () => {
    expect(
      svgPath({
        encoding: 'delta',
        strokes: [
          [1, 2, 1, 1],
          [5, 5],
        ],
      }),
    ).toBe('M1 2L2 3M5 5h0.1');
  });
});
