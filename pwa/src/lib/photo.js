// A photo from the phone's camera made small enough to send (docs/activities.md): at most
// MAX_SIDE px on its long side, JPEG at QUALITY, and stepped down (lower quality, then smaller)
// until it is under the server's byte limit. The stepping is plain arithmetic over an
// `encode(width, height, quality)` so that it is tested without a canvas.

export const MAX_SIDE = 1600;
export const QUALITY = 0.8;
export const MIN_QUALITY = 0.5;
export const PHOTO_MAX_BYTES = 600_000;
const QUALITY_STEP = 0.1;
const SCALE_STEP = 0.8;
const MIN_SIDE = 200;

/** The size that fits `width` x `height` within `maxSide` on the long side, never larger. */
export function fitWithin(width, height, maxSide = MAX_SIDE) {
  const long = Math.max(width, height);
  if (long <= maxSide) return { width, height };
  const scale = maxSide / long;
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/**
 * Encode at the fitted size; while it is over `maxBytes`, lower the quality a step (down to
 * MIN_QUALITY), then make it smaller and start again from QUALITY. Resolves
 * {blob, width, height, quality}; throws when even the smallest try is too large.
 */
export async function stepDown(
  encode,
  width,
  height,
  { maxSide = MAX_SIDE, maxBytes = PHOTO_MAX_BYTES } = {},
) {
  let size = fitWithin(width, height, maxSide);
  for (;;) {
    for (let q = QUALITY; q >= MIN_QUALITY - 1e-9; q -= QUALITY_STEP) {
      const quality = Math.round(q * 100) / 100;
      const blob = await encode(size.width, size.height, quality);
      if (blob.size <= maxBytes) return { blob, ...size, quality };
    }
    if (Math.max(size.width, size.height) <= MIN_SIDE) throw new Error('photo-too-large');
    size = {
      width: Math.max(1, Math.round(size.width * SCALE_STEP)),
      height: Math.max(1, Math.round(size.height * SCALE_STEP)),
    };
  }
}

/** A picked or taken image file, resized on a canvas to a JPEG under the limit. */
export async function resizePhoto(file, options = {}) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const encode = (width, height, quality) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
      return new Promise((resolve, reject) =>
        canvas.toBlob(
          (blob) => (blob ? resolve(blob) : reject(new Error('photo-encode'))),
          'image/jpeg',
          quality,
        ),
      );
    };
    return await stepDown(encode, bitmap.width, bitmap.height, options);
  } finally {
    bitmap.close?.();
  }
}

/** A blob's bytes as base64 (what the sync envelope carries). */
export async function toBase64(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
