// Draw the app icons (PNG + SVG) into public/icons/ with no dependencies.
// Run `npm run icons` after changing the drawing; the outputs are committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync, existsSync } from 'node:fs';

const OUT = new URL('../public/icons/', import.meta.url);
const BG = [11, 93, 75]; // #0b5d4b, the theme colour
const FG = [255, 255, 255];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
// Distance from point p to segment ab.
function segDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
// A ring with a check mark inside, in units of a 100-wide box; `pad` shrinks it for maskable icons.
function drawer({ rounded, pad }) {
  return (x, y, size) => {
    const u = (x / size) * 100,
      v = (y / size) * 100;
    if (rounded) {
      const r = 22,
        cx = Math.min(Math.max(u, r), 100 - r),
        cy = Math.min(Math.max(v, r), 100 - r);
      if (Math.hypot(u - cx, v - cy) > r) return [0, 0, 0, 0];
    }
    const s = 1 - pad * 2,
      q = (n) => 50 + (n - 50) * s;
    const ring = Math.abs(Math.hypot(u - 50, v - 50) - 30 * s) < 5 * s;
    const check =
      segDist(u, v, q(36), q(51), q(46), q(61)) < 5 * s ||
      segDist(u, v, q(46), q(61), q(66), q(40)) < 5 * s;
    return ring || check ? [...FG, 255] : [...BG, 255];
  };
}
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect width="100" height="100" rx="22" fill="#0b5d4b"/>
<circle cx="50" cy="50" r="30" fill="none" stroke="#fff" stroke-width="10"/>
<path d="M36 51 46 61 66 40" fill="none" stroke="#fff" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`;
const files = {
  'icon-192.png': () => png(192, drawer({ rounded: true, pad: 0 })),
  'icon-512.png': () => png(512, drawer({ rounded: true, pad: 0 })),
  'maskable-512.png': () => png(512, drawer({ rounded: false, pad: 0.12 })),
  'apple-touch-icon.png': () => png(180, drawer({ rounded: false, pad: 0.06 })),
  'icon.svg': () => svg,
};
if (process.argv.includes('--check')) {
  const missing = Object.keys(files).filter((f) => !existsSync(new URL(f, OUT)));
  if (missing.length) {
    console.error(`missing icons: ${missing.join(', ')} (run npm run icons)`);
    process.exit(1);
  }
} else {
  mkdirSync(OUT, { recursive: true });
  for (const [name, make] of Object.entries(files)) writeFileSync(new URL(name, OUT), make());
  console.log(`wrote ${Object.keys(files).length} icons`);
}
