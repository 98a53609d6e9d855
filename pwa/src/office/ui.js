// Shared pieces of the supervisor and admin screens: the API with the session's token,
// the "needs a connection" notice, tables, pages, and opening or saving files from blobs.
import { h, clear, field } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { request, fetchBlob, ApiError } from '../lib/api.js';
import { fieldMessages } from '../lib/form-errors.js';
import { qs, pageInfo, newestOnly, Stale } from './logic.js';
import { session } from '../state/index.js';
import { officeFromHash, reachedOffices, unitsOfOffice } from './offices.js';

/** The API with the session's token. */
export function client() {
  const token = () => session.token();
  return {
    get: (path, params) => request(path + qs(params), { token: token(), timeoutMs: 30_000 }),
    send: (method, path, body) =>
      request(path, { method, body, token: token(), timeoutMs: 30_000 }),
    blob: (path, params) => fetchBlob(path + qs(params), token()),
  };
}

/** An error as words for the screen. */
export function errorText(err) {
  const s = err?.status;
  if (s === 0 || !navigator.onLine) return t('office.offline');
  if (s === 401) return t('office.loginAgain');
  if (s === 403) return t('office.forbidden');
  if (s === 404) return t('office.notFound');
  if (err?.errors) {
    const fields = Object.entries(fieldMessages(err))
      .map(([k, words]) => `${k}: ${words.join(' ')}`)
      .join('; ');
    return `${t('formErrors.summary')} ${fields}`;
  }
  return t('office.failed', { detail: err?.message || '' });
}

/** An alert line that says what went wrong (empty when all is well). */
export function problemLine() {
  const el = h('p', { class: 'error', role: 'alert' });
  return {
    el,
    show: (err) =>
      (el.textContent = err ? `⚠ ${typeof err === 'string' ? err : errorText(err)}` : ''),
  };
}

/**
 * A screen that loads from the API: a heading, the offline notice, a body drawn by draw(),
 * and a reload when the connection returns. Returns {el, reload, body, problem}. A 401 is
 * told to the shell (app.sessionEnded), which asks for a new login.
 * draw(fresh) awaits its answers through fresh(): when a newer reload has started meanwhile
 * (a filter changed), the older load stops there and draws nothing.
 */
export function screen(app, title, { intro, controls } = {}) {
  const offline = h(
    'div',
    { class: 'banner warn', role: 'status' },
    h('p', null, '⚠ ', t('office.needsConnection')),
  );
  const problem = problemLine();
  const body = h('div', { class: 'office-body', 'aria-busy': 'false' });
  const el = h(
    'section',
    { class: 'view office' },
    h('h1', null, title),
    intro ? h('p', { class: 'note' }, intro) : null,
    offline,
    controls || null,
    problem.el,
    body,
  );
  let drawFn = null;
  const startLoad = newestOnly();
  const sync = () => (offline.hidden = navigator.onLine);
  sync();
  async function reload() {
    const { current, fresh } = startLoad();
    sync();
    problem.show(null);
    if (!navigator.onLine) return;
    // The rows on screen are the previous answer's until the new one is drawn: out of reach
    // meanwhile, so a note typed into them is not lost when they are replaced.
    body.setAttribute('aria-busy', 'true');
    body.inert = true;
    try {
      await drawFn?.(fresh);
    } catch (err) {
      if (err instanceof Stale || !current()) return;
      if (err instanceof ApiError && err.status === 401) app.sessionEnded?.();
      problem.show(err);
    } finally {
      if (current()) {
        body.setAttribute('aria-busy', 'false');
        body.inert = false;
      }
    }
  }
  const onOnline = () => reload();
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', sync);
  return {
    el,
    body,
    problem,
    reload,
    start(fn) {
      drawFn = fn;
      reload();
    },
    destroy() {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', sync);
    },
  };
}

/** A table: columns [{label, cell(row) -> node|string, num?}] over rows; scrolls sideways on a phone. */
export function table(caption, columns, rows, { rowClass } = {}) {
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' },
    h(
      'table',
      { class: 'data' },
      h('caption', null, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            { class: rowClass?.(r) || null },
            columns.map((c, i) =>
              h(
                i === 0 ? 'th' : 'td',
                { scope: i === 0 ? 'row' : null, class: c.num ? 'num' : null },
                c.cell(r),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Previous / next page buttons for a paged answer; go(page) loads another. */
export function pager(answer, go, what) {
  const p = pageInfo(answer);
  if (p.pages <= 1) return h('p', { class: 'note' }, t('office.count', { n: p.total }));
  return h(
    'nav',
    { class: 'row pager', 'aria-label': t('office.pages', { what }) },
    h(
      'button',
      {
        type: 'button',
        class: 'btn secondary small',
        disabled: p.page <= 1,
        onclick: () => go(p.page - 1),
      },
      t('office.prev'),
    ),
    h('span', { role: 'status' }, t('office.pageOf', { from: p.from, to: p.to, total: p.total })),
    h(
      'button',
      {
        type: 'button',
        class: 'btn secondary small',
        disabled: p.page >= p.pages,
        onclick: () => go(p.page + 1),
      },
      t('office.next'),
    ),
  );
}

/** A select of units ('' = all one sees). */
/**
 * A list screen's filters: `refilter(change)` applies a change and goes back to the first page,
 * `select(key, children)` is a select bound to one filter. `reload` redraws the screen.
 */
export function filterSet(filters, reload) {
  const refilter = (change) => {
    Object.assign(filters, change, { page: 1 });
    reload();
  };
  const select = (key, children) => {
    const s = h('select', { onchange: (e) => refilter({ [key]: e.target.value }) }, children);
    s.value = filters[key];
    return s;
  };
  return { refilter, select };
}

export function unitSelect(units, value, onchange, { all = true } = {}) {
  const s = h(
    'select',
    { onchange: (e) => onchange(e.target.value) },
    all ? h('option', { value: '' }, t('office.allUnits')) : null,
    units.map((u) => h('option', { value: u.id }, u.name)),
  );
  s.value = value || '';
  return s;
}

/**
 * Open a bearer-authenticated print view (register, labels) in a new tab from a blob URL.
 * The tab is opened at the click (so no pop-up blocker stops it) and filled when the file came.
 */
/**
 * The unit filter of an office screen: the units are read on the first load only, then the box
 * holds their choice; choosing one goes back to the first page and loads again.
 */
export async function fillUnitFilter({ api, fresh, units, box, filters, view }) {
  if (units.length) return;
  const [all, offices] = await fresh(
    Promise.all([api.get('/api/v1/units'), reachedOffices().catch(() => [])]),
  );
  units.push(...all);
  // One who reaches several offices picks one beside the units (a roll-up's link names it:
  // #/…?office_id=); the screen sends it as office_id.
  if (offices.length > 1 && !filters.office) filters.office = officeFromHash();
  const choose = (change) => {
    Object.assign(filters, change);
    if ('page' in filters) filters.page = 1;
    draw();
    view.reload();
  };
  function draw() {
    const officeSelect = h(
      'select',
      { onchange: (e) => choose({ office: e.target.value, unit: '' }) },
      h('option', { value: '' }, t('levels.allOffices')),
      offices.map((office) => h('option', { value: office.id }, office.name)),
    );
    officeSelect.value = filters.office || '';
    box.replaceChildren(
      ...(offices.length > 1 ? [field(t('levels.office'), officeSelect)] : []),
      field(
        t('office.unit'),
        unitSelect(unitsOfOffice(units, filters.office), filters.unit, (value) =>
          choose({ unit: value }),
        ),
      ),
    );
  }
  draw();
}

export async function openPrintable(api, path, params, problem) {
  const tab = window.open('', '_blank');
  try {
    const { blob } = await api.blob(path, params);
    // A blob: page resolves no relative address: its stylesheet is named with this origin.
    const html = (await blob.text()).replaceAll('href="/api/', `href="${location.origin}/api/`);
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    if (tab) tab.location.href = url;
    else window.location.href = url;
    setTimeout(() => URL.revokeObjectURL(url), 120_000);
    problem?.show(null);
  } catch (err) {
    tab?.close();
    problem?.show(err);
  }
}

/** Fetch a file with the token and save it through a blob URL and <a download>. */
export async function download(api, path, params, fallbackName, problem) {
  try {
    const { blob, filename } = await api.blob(path, params);
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: filename || fallbackName, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    problem?.show(null);
    return true;
  } catch (err) {
    problem?.show(err);
    return false;
  }
}

/** An <img> of a bearer-authenticated image (QR code, signature), shown from a blob URL. */
export function authImage(api, path, alt, cls) {
  const img = h('img', { alt, class: cls });
  api
    .blob(path)
    .then(({ blob }) => {
      img.src = URL.createObjectURL(blob);
      img.addEventListener('load', () => URL.revokeObjectURL(img.src), { once: true });
    })
    .catch(() =>
      img.replaceWith(h('p', { class: 'note' }, t('office.imageFailed', { what: alt }))),
    );
  return img;
}

/** Status in words with a symbol (colour only helps). */
export function statusTag(status) {
  const sym = { met: '✓', on_track: '◐', at_risk: '⚠', missed: '✗' }[status] || '';
  return h(
    'span',
    { class: `tag st-${status}` },
    h('span', { 'aria-hidden': 'true' }, `${sym} `),
    t(`coverage.status.${status}`),
  );
}

export const fmtDay = (iso) =>
  iso
    ? new Intl.DateTimeFormat(document.documentElement.lang || 'en', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
      }).format(new Date(iso.length === 10 ? `${iso}T12:00:00` : iso))
    : '—';
export const fmtDateTime = (iso) =>
  iso
    ? new Intl.DateTimeFormat(document.documentElement.lang || 'en', {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(iso))
    : '—';

export { clear, h };
