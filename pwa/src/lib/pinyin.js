// Pinyin initials of Chinese names (王小明 -> wxm) with no dictionary: the zh collation orders
// characters by pinyin, so the first character of each initial letter marks a boundary.
// Good for common name characters; polyphones take their most common reading.
const LETTERS = 'abcdefghjklmnopqrstwxyz';
const BOUNDS = '阿八嚓哒妸发旮哈讥咔垃妈拏噢妑七呥仨他哇夕丫帀';
let collator = null;
const cache = new Map();

/** Make the collator now (its Chinese data takes a while to load: do it in a task of its own). */
export function preparePinyin() {
  collator = collator || new Intl.Collator('zh-Hans-CN', { sensitivity: 'base' });
}

function initialOf(ch) {
  if (!/[\u4e00-\u9fff]/.test(ch)) return ch.toLowerCase();
  let hit = cache.get(ch);
  if (hit !== undefined) return hit;
  preparePinyin();
  hit = '';
  let lo = 0;
  let hi = BOUNDS.length - 1;
  if (collator.compare(ch, BOUNDS[0]) >= 0) {
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (collator.compare(ch, BOUNDS[mid]) >= 0) lo = mid;
      else hi = mid - 1;
    }
    hit = LETTERS[lo];
  }
  cache.set(ch, hit);
  return hit;
}

export function pinyinInitials(text) {
  let out = '';
  for (const ch of text) if (/[\u4e00-\u9fff]/.test(ch)) out += initialOf(ch);
  return out;
}
