// The roster: residents of my units grouped by unit, who still needs a round first, this
// week's count, last visit, room or address; search as you type. Rows are rendered in chunks
// as the list scrolls, so 10,000 residents never block the phone.
import { h, svg, clear, icon } from '../../lib/dom.js';
import { t, fmtWhen } from '../../lib/i18n/index.js';
import { filterRoster } from '../../state/roster-figures.js';
import { ruleDone, ruleText } from '../../state/rule-figures.js';
import { needsHomeScreenHint } from '../../lib/device.js';
import { roster, prefs } from '../../state/index.js';

const CHUNK = 60;

export function rosterView(app) {
  let query = '';
  let rows = [];
  let shown = 0;
  let timer = null;

  const search = h('input', {
    type: 'search',
    id: 'roster-search',
    class: 'search',
    autocomplete: 'off',
    enterkeyhint: 'search',
    oninput: () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        query = search.value;
        draw();
      }, 120);
    },
  });
  const summary = h('p', { class: 'summary', role: 'status' });
  const list = h('div', { class: 'roster-list' });
  const more = h(
    'button',
    { type: 'button', class: 'btn secondary more', onclick: () => drawMore() },
    t('roster.showMore'),
  );
  const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  const io =
    typeof IntersectionObserver !== 'undefined'
      ? new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && drawMore(), {
          rootMargin: '800px',
        })
      : null;
  io?.observe(sentinel);

  const hints = h('div', { class: 'hints' });
  // A hint is one line with a close button (a ✕ named "OK, got it", so the words keep the
  // line on a 390 px phone); closed, it stays closed (prefs.dismiss).
  const hint = (key, text, cls) => {
    if (prefs.isDismissed(key)) return;
    const box = h(
      'div',
      { class: `notice ${cls}` },
      h('p', null, cls ? icon('⚠') : null, text),
      h(
        'button',
        {
          type: 'button',
          class: 'btn small secondary notice-close',
          'aria-label': t('common.understood'),
          title: t('common.understood'),
          onclick: () => {
            prefs.dismiss(key);
            box.remove();
          },
        },
        icon('✕'),
      ),
    );
    hints.append(box);
  };
  if (prefs.storageState() === 'denied') hint('storage.denied', t('storage.deniedShort'), 'warn');
  if (needsHomeScreenHint()) hint('storage.iosHint', t('storage.iosHint'), '');

  roster.keepOrder(); // rows keep their places after each visit, until sorted again
  const resort = h(
    'button',
    {
      type: 'button',
      class: 'btn small secondary resort',
      title: t('roster.resortHint'),
      onclick: async () => {
        await roster.resort();
        draw();
      },
    },
    t('roster.resort'),
  );

  function rowsOf(groups) {
    const out = [];
    for (const g of groups) {
      out.push({ unit: g });
      for (const e of g.items) out.push({ e });
    }
    return out;
  }

  function draw() {
    const groups = filterRoster(roster.grouped(), query);
    rows = rowsOf(groups);
    shown = 0;
    clear(list);
    const total = groups.reduce((n, g) => n + g.items.length, 0);
    const needing = groups.reduce((n, g) => n + g.needing, 0);
    if (!roster.residentCount()) summary.textContent = t('roster.empty');
    else if (!total) summary.textContent = t('roster.noMatch', { q: query.trim() });
    else summary.textContent = t('roster.summary', { needing, total });
    // "Sort again" only when the kept order has put someone done above someone still needing one.
    resort.hidden = !groups.some((g) =>
      g.items.some((e, i) => e.needs && g.items[i - 1]?.needs === false),
    );
    drawMore();
  }

  function drawMore() {
    if (shown >= rows.length) {
      more.hidden = true;
      return;
    }
    const end = Math.min(rows.length, shown + CHUNK);
    let ul = list.lastElementChild?.tagName === 'UL' ? list.lastElementChild : null;
    const frag = document.createDocumentFragment();
    for (let i = shown; i < end; i++) {
      const row = rows[i];
      if (row.unit) {
        frag.append(
          h(
            'h2',
            { class: 'unit' },
            row.unit.name,
            h(
              'span',
              { class: 'unit-count' },
              ` · ${t('roster.unitNeeding', { n: row.unit.needing, total: row.unit.items.length })}`,
            ),
          ),
        );
        ul = h('ul', { class: 'residents' });
        frag.append(ul);
      } else {
        if (!ul) {
          ul = h('ul', { class: 'residents' });
          frag.append(ul);
        }
        ul.append(residentRow(row.e, () => app.startVisit(row.e.r.id)));
      }
    }
    list.append(frag);
    shown = end;
    more.hidden = shown >= rows.length;
  }

  const el = h(
    'section',
    { class: 'view roster' },
    hints,
    h(
      'div',
      { class: 'roster-top' },
      h('a', { class: 'btn scan', href: '#/scan' }, qrIcon(), t('roster.scan')),
      h(
        'div',
        { class: 'field search-field' },
        h('label', { for: 'roster-search' }, t('roster.search')),
        search,
      ),
    ),
    h('div', { class: 'summary-row' }, summary, resort),
    list,
    sentinel,
    more,
  );
  draw();
  return {
    el,
    title: t('nav.roster'),
    refresh: draw,
    destroy() {
      io?.disconnect();
      clearTimeout(timer);
    },
  };
}

function qrIcon() {
  const d =
    'M2 2h8v8H2zM4 4v4h4V4zM14 2h8v8h-8zM16 4v4h4V4zM2 14h8v8H2zM4 16v4h4v-4zM14 14h3v3h-3zM19 14h3v3h-3zM14 19h3v3h-3zM19 19h3v3h-3zM16.5 16.5h3v3h-3z';
  return svg(
    'svg',
    { viewBox: '0 0 24 24', class: 'scan-icon', 'aria-hidden': 'true', focusable: 'false' },
    svg('path', { d, 'fill-rule': 'evenodd' }),
  );
}

/** One resident's button; onPick() when tapped. */
function residentRow(entry, onPick) {
  const { r: resident, days, required, last, needs } = entry;
  const place = resident.room || resident.address || '';
  const status = needs ? t('roster.needs') : ruleDone(entry, t) || t('roster.done');
  const week = ruleText(entry, t) || t('roster.week', { days, required });
  const lastText = last ? t('roster.last', { when: fmtWhen(last) }) : t('roster.noVisit');
  return h(
    'li',
    null,
    h(
      'button',
      {
        type: 'button',
        class: `resident ${needs ? 'needs' : 'done'}`,
        'aria-label': [resident.name, place, status, week, lastText].filter(Boolean).join(', '),
        onclick: onPick,
      },
      h('span', { class: 'r-name' }, resident.name),
      h('span', { class: 'r-week tag', title: status }, icon(needs ? '◐' : '✓'), ` ${week}`),
      h('span', { class: 'r-place' }, [place, lastText].filter(Boolean).join(' · ')),
    ),
  );
}
