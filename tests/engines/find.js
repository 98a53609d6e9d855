// One in-page query for every engine's driver: the visible elements with a role and an
// accessible name, so WebKit (Selenium) and Firefox (puppeteer) find things the way the
// Chromium tests do with Playwright's get_by_role / get_by_label. A small approximation of
// the accessible-name rules, enough for this app: aria-labelledby, aria-label, <label>, alt,
// then the text (without aria-hidden parts).
//
// The file is one function expression; drivers call it as `(<source>)(role, name, exact)`.
// `name` is a string (exact, or a prefix when exact is false) or null for any name.
(role, name, exact) => {
  const ROLES = {
    button: 'button, [role="button"], input[type="button"], input[type="submit"]',
    link: 'a[href], [role="link"]',
    heading: 'h1, h2, h3, h4, h5, h6, [role="heading"]',
    img: 'img, [role="img"]',
    radio: 'input[type="radio"], [role="radio"]',
    checkbox: 'input[type="checkbox"], [role="checkbox"]',
    alert: '[role="alert"]',
    label: 'input, select, textarea',
  };
  const squash = (s) => String(s || '').replace(/\s+/g, ' ').trim();
  const text = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    if (node.getAttribute('aria-hidden') === 'true' || node.hidden) return '';
    if (node.tagName === 'SCRIPT' || node.tagName === 'STYLE') return '';
    return Array.from(node.childNodes, text).join('');
  };
  const byIds = (el, attr) =>
    squash((el.getAttribute(attr) || '').split(/\s+/).map((id) => {
      const ref = id && document.getElementById(id);
      return ref ? text(ref) : '';
    }).join(' '));
  const labelOf = (el) => {
    if (el.hasAttribute('aria-labelledby')) return byIds(el, 'aria-labelledby');
    if (el.hasAttribute('aria-label')) return squash(el.getAttribute('aria-label'));
    if (el.labels && el.labels.length) return squash(Array.from(el.labels, text).join(' '));
    return null;
  };
  const nameOf = (el) => {
    const label = labelOf(el);
    if (label !== null) return label;
    if (role === 'label') return '';
    if (el.tagName === 'IMG') return squash(el.alt);
    if (el.tagName === 'INPUT') return squash(el.value);
    return squash(text(el));
  };
  const visible = (el) => el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const want = name === null || name === undefined ? null : squash(name);
  return Array.from(document.querySelectorAll(ROLES[role] || `[role="${role}"]`)).filter((el) => {
    if (!visible(el)) return false;
    if (want === null) return true;
    const got = nameOf(el);
    return exact === false ? got.startsWith(want) : got === want;
  });
}
