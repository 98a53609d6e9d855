// The bureau's evaluation of its offices (考核评价表): the year's list across the offices one
// reaches (#/evaluations), one office's form with its computed items, the three columns and
// the evidence (#/evaluation/<id>), and the records behind a computed item
// (#/evaluation/<id>/<item>). The column the user may enter is the only one editable.
import { h, field } from '../../lib/dom.js';
import { t, lang } from '../../lib/i18n/index.js';
import { ApiError } from '../../lib/api.js';
import { client, screen, table, pager, problemLine, openPrintable, fmtDay } from '../ui.js';
import { session } from '../../state/index.js';
import {
  COLUMNS,
  fmtPoints,
  validPoints,
  needsNote,
  missingManual,
  figuresLine,
} from '../evaluation-logic.js';

const thisYear = () => new Date().getFullYear();
let listFilters = null;

const gradeText = (grade) => (grade ? t(`evaluation.grade.${grade}`) : '—');
const statusText = (status) => t(`evaluation.status.${status}`);
const wording = (item) => (lang() === 'en' ? item.en : item.zh);
const figureLabel = (key) => t(`evaluation.figure.${key}`);

/** #/evaluations: every office one reaches, with its three totals and grade for the year. */
export function evaluationsView(app) {
  const api = client();
  const filters = (listFilters ||= { year: thisYear(), district: '' });
  const yearInput = h('input', {
    type: 'number',
    min: 2000,
    max: 2100,
    step: 1,
    inputmode: 'numeric',
    value: String(filters.year),
    onchange: (e) => {
      const year = Number(e.target.value);
      if (Number.isInteger(year) && year >= 2000 && year <= 2100) {
        filters.year = year;
        view.reload();
      }
    },
  });
  const districtSelect = h('select', {
    onchange: (e) => {
      filters.district = e.target.value;
      view.reload();
    },
  });
  const controls = h(
    'div',
    { class: 'row filters' },
    field(t('evaluation.year'), yearInput),
    field(t('evaluation.district'), districtSelect),
  );
  const view = screen(app, t('evaluation.title'), { intro: t('evaluation.intro'), controls });
  let districtsRead = false;
  view.start(async (fresh) => {
    if (!districtsRead) {
      const organisations = await fresh(api.get('/api/v1/organisations'));
      districtSelect.replaceChildren(
        h('option', { value: '' }, t('evaluation.allDistricts')),
        organisations
          .filter((o) => o.kind === 'district' && o.reached !== false)
          .map((o) => h('option', { value: o.id }, o.name)),
      );
      districtSelect.value = filters.district;
      districtsRead = true;
    }
    const answer = await fresh(
      api.get('/api/v1/evaluations', { year: filters.year, district_id: filters.district }),
    );
    view.body.replaceChildren(listTable(app, api, answer, view.problem));
  });
  return { el: view.el, title: t('evaluation.title'), destroy: view.destroy };
}

function listTable(app, api, answer, problem) {
  const open = async (row) => {
    try {
      const made = await api.send(
        'PUT',
        `/api/v1/offices/${row.office.id}/evaluations/${answer.year}`,
      );
      app.go(`evaluation/${made.id}`);
    } catch (err) {
      problem.show(err);
    }
  };
  const total = (column) => ({
    label: t(`evaluation.column.${column}`),
    num: true,
    cell: (r) => fmtPoints(r.totals[column]),
  });
  return table(
    t('evaluation.listCaption', { year: answer.year }),
    [
      {
        label: t('evaluation.office'),
        cell: (r) =>
          r.evaluation_id
            ? h('a', { href: `#/evaluation/${r.evaluation_id}` }, r.office.name)
            : r.office.name,
      },
      { label: t('evaluation.district'), cell: (r) => r.district?.name || '—' },
      { label: t('evaluation.statusLabel'), cell: (r) => statusText(r.status) },
      ...COLUMNS.map(total),
      { label: t('evaluation.gradeLabel'), cell: (r) => gradeText(r.grade) },
      {
        label: '',
        cell: (r) =>
          r.evaluation_id
            ? null
            : h(
                'button',
                { type: 'button', class: 'btn small', onclick: () => open(r) },
                t('evaluation.start'),
              ),
      },
    ],
    answer.items,
    { rowClass: (r) => `eval-row eval-${r.status}` },
  );
}

/** #/evaluation/<id> and #/evaluation/<id>/<item>. */
export function evaluationView(app, [id, item]) {
  if (!id) return { redirect: 'evaluations' };
  return item ? recordsView(app, id, item) : formView(app, id);
}

function formView(app, id) {
  const api = client();
  const view = screen(app, t('evaluation.formTitle'));
  let years = [];
  // A change answers with the whole form: drawn from that answer, focus back on the item
  // changed; a hand-in answers with the column alone: read again, the history with it.
  const draw = (evaluation, code) => {
    view.body.replaceChildren(form(app, api, evaluation, done), historyBlock(years, evaluation.id));
    if (code) view.body.querySelector(`article[data-item="${code}"] .eval-points`)?.focus();
  };
  const done = (answer, code) => (answer?.items ? draw(answer, code) : view.reload());
  view.start(async (fresh) => {
    const evaluation = await fresh(api.get(`/api/v1/evaluations/${id}`));
    years = await fresh(api.get(`/api/v1/offices/${evaluation.office.id}/evaluations`));
    draw(evaluation);
  });
  return { el: view.el, title: t('evaluation.formTitle'), destroy: view.destroy };
}

function form(app, api, evaluation, reload) {
  const problem = problemLine();
  const column = COLUMNS.find((c) => evaluation.columns[c].may_enter) || null;
  const head = h(
    'div',
    { class: 'eval-head' },
    h('p', null, h('strong', null, evaluation.office.name), ' · ', evaluation.district?.name || ''),
    h(
      'p',
      null,
      t('evaluation.yearOf', { year: evaluation.year }),
      ' · ',
      t('evaluation.statusLabel'),
      ': ',
      h('span', { class: 'eval-status' }, statusText(evaluation.status)),
      ' · ',
      t('evaluation.gradeLabel'),
      ': ',
      h('span', { class: 'eval-grade' }, gradeText(evaluation.grade)),
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn secondary small',
          onclick: () =>
            openPrintable(api, `/api/v1/evaluations/${evaluation.id}/form`, {}, problem),
        },
        t('evaluation.print'),
      ),
      h('a', { class: 'btn secondary small', href: '#/evaluations' }, t('evaluation.back')),
    ),
    column
      ? h(
          'p',
          { class: 'note' },
          t('evaluation.youEnter', { column: t(`evaluation.column.${column}`) }),
        )
      : h('p', { class: 'note' }, t('evaluation.readOnly')),
  );
  const sections = evaluation.sections.map((section) =>
    h(
      'section',
      { class: 'eval-section' },
      h('h2', null, `${lang() === 'en' ? section.en : section.zh} (${fmtPoints(section.max)})`),
      evaluation.items
        .filter((item) => item.section === section.code)
        .map((item) => itemBlock(api, evaluation, item, column, problem, reload)),
    ),
  );
  return h(
    'div',
    { class: 'eval-form' },
    head,
    problem.el,
    sections,
    totalsBlock(app, api, evaluation, column, problem, reload),
  );
}

function computedLine(evaluation, item) {
  if (!item.value) return null;
  return h(
    'p',
    { class: 'eval-computed' },
    t('evaluation.computedPoints', { points: fmtPoints(item.value.points) }),
    ' — ',
    figuresLine(item.value.figures, figureLabel),
    ' · ',
    h(
      'a',
      { href: `#/evaluation/${evaluation.id}/${item.code}`, class: 'eval-records-link' },
      t('evaluation.records'),
    ),
  );
}

function cellText(cell) {
  if (!cell) return '—';
  return cell.note ? `${fmtPoints(cell.points)} (${cell.note})` : fmtPoints(cell.points);
}

function itemBlock(api, evaluation, item, column, problem, reload) {
  const cells = h(
    'dl',
    { class: 'eval-cells' },
    COLUMNS.map((c) => [
      h('dt', null, t(`evaluation.column.${c}`)),
      h(
        'dd',
        { 'data-column': c },
        cellText(item.cells[c]),
        ' ',
        h('span', { class: 'note' }, `(${fmtPoints(evaluation.columns[c].points[item.code])})`),
      ),
    ]),
  );
  return h(
    'article',
    { class: 'eval-item', 'data-item': item.code },
    h(
      'h3',
      null,
      wording(item),
      ' ',
      h('span', { class: 'eval-max' }, t('evaluation.outOf', { max: fmtPoints(item.max) })),
    ),
    computedLine(evaluation, item),
    item.hints
      ? h(
          'p',
          { class: 'note eval-hints' },
          t('evaluation.hints'),
          ': ',
          figuresLine(item.hints, figureLabel),
        )
      : null,
    cells,
    column ? entryForm(api, evaluation, item, column, problem, reload) : null,
    evidenceBlock(api, evaluation, item, column === 'self', problem, reload),
  );
}

function entryForm(api, evaluation, item, column, problem, reload) {
  const cell = item.cells[column];
  const shown = evaluation.columns[column].points[item.code];
  const points = h('input', {
    type: 'number',
    min: 0,
    max: item.max,
    step: 0.5,
    inputmode: 'decimal',
    class: 'eval-points',
    value: shown === null || shown === undefined ? '' : String(shown),
  });
  const note = h('input', {
    type: 'text',
    maxlength: 2000,
    class: 'eval-note',
    value: cell?.note || '',
  });
  const error = h('p', { class: 'error', role: 'alert' });
  return h(
    'form',
    {
      class: 'row eval-entry',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        if (!validPoints(points.value, item.max)) {
          error.textContent = `⚠ ${t('evaluation.pointsRange', { max: fmtPoints(item.max) })}`;
          return;
        }
        if (needsNote(points.value, item.value?.points, note.value)) {
          error.textContent = `⚠ ${t('evaluation.noteNeeded')}`;
          return;
        }
        try {
          const answer = await api.send(
            'PUT',
            `/api/v1/evaluations/${evaluation.id}/scores/${item.code}/${column}`,
            {
              points: Number(points.value),
              note: note.value,
            },
          );
          reload(answer, item.code);
        } catch (err) {
          problem.show(err);
        }
      },
    },
    field(t('evaluation.points', { column: t(`evaluation.column.${column}`) }), points),
    field(t('evaluation.note'), note),
    h('button', { type: 'submit', class: 'btn small' }, t('evaluation.save')),
    error,
  );
}

async function uploadEvidence(officeId, file, title) {
  const body = new FormData();
  body.append('file', file, file.name);
  body.append('kind', 'evidence');
  body.append('title', title.slice(0, 200) || file.name);
  let res;
  try {
    res = await fetch(`/api/v1/offices/${officeId}/documents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.token()}`, Accept: 'application/json' },
      body,
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new ApiError(res.status, data?.detail || data?.title);
    if (data?.errors) err.errors = data.errors;
    throw err;
  }
  return data;
}

function evidenceBlock(api, evaluation, item, mayAttach, problem, reload) {
  if (!item.evidence.length && !mayAttach) return null;
  const base = `/api/v1/evaluations/${evaluation.id}/evidence/${item.code}`;
  const list = h(
    'ul',
    { class: 'eval-evidence' },
    item.evidence.map((e) =>
      h(
        'li',
        null,
        e.title,
        ' ',
        h('span', { class: 'note' }, e.file_name),
        mayAttach
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn secondary small',
                onclick: async () => {
                  try {
                    reload(await api.send('DELETE', `${base}/${e.document_id}`), item.code);
                  } catch (err) {
                    problem.show(err);
                  }
                },
              },
              t('evaluation.detach'),
            )
          : null,
      ),
    ),
  );
  if (!mayAttach) return h('div', null, h('h4', null, t('evaluation.evidence')), list);
  const file = h('input', {
    type: 'file',
    class: 'eval-file',
    accept: 'image/jpeg,image/png,image/webp,application/pdf',
  });
  const upload = h(
    'button',
    {
      type: 'button',
      class: 'btn secondary small',
      onclick: async () => {
        const chosen = file.files?.[0];
        if (!chosen) return problem.show(t('evaluation.chooseFile'));
        try {
          const made = await uploadEvidence(evaluation.office.id, chosen, `${wording(item)}`);
          reload(await api.send('POST', `${base}/${made.id}`), item.code);
        } catch (err) {
          problem.show(err);
        }
      },
    },
    t('evaluation.upload'),
  );
  return h(
    'div',
    { class: 'eval-evidence-box' },
    h('h4', null, t('evaluation.evidence')),
    list,
    h('div', { class: 'row' }, field(t('evaluation.file'), file), upload),
  );
}

function totalsBlock(app, api, evaluation, column, problem, reload) {
  const rows = COLUMNS.map((c) => {
    const info = evaluation.columns[c];
    const handed = info.submitted;
    return h(
      'tr',
      { 'data-column': c },
      h('th', { scope: 'row' }, t(`evaluation.column.${c}`)),
      h('td', { class: 'num eval-total' }, fmtPoints(handed ? handed.total : info.total)),
      h('td', { class: 'eval-column-grade' }, gradeText(handed ? handed.grade : info.grade)),
      h(
        'td',
        null,
        handed
          ? t('evaluation.submittedBy', {
              who: handed.submitted_by?.display_name || '—',
              when: fmtDay(handed.submitted_at),
            })
          : t('evaluation.notSubmitted'),
      ),
    );
  });
  const box = h(
    'section',
    { class: 'eval-totals' },
    h('h2', null, t('evaluation.totals')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, t('evaluation.columnLabel')),
            h('th', { scope: 'col', class: 'num' }, t('evaluation.total')),
            h('th', { scope: 'col' }, t('evaluation.gradeLabel')),
            h('th', { scope: 'col' }, t('evaluation.statusLabel')),
          ),
        ),
        h('tbody', null, rows),
      ),
    ),
  );
  if (!column) return box;
  const note = h('input', { type: 'text', maxlength: 2000, class: 'eval-submit-note' });
  const missing = column === 'self' ? missingManual(evaluation, column) : [];
  box.append(
    h(
      'form',
      {
        class: 'row eval-submit',
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            await api.send('POST', `/api/v1/evaluations/${evaluation.id}/submissions/${column}`, {
              note: note.value,
            });
            app.toast(t('evaluation.submitted'));
            reload();
          } catch (err) {
            problem.show(err);
          }
        },
      },
      missing.length
        ? h('p', { class: 'note' }, t('evaluation.missing', { n: missing.length }))
        : null,
      field(t('evaluation.submitNote'), note),
      h(
        'button',
        { type: 'submit', class: 'btn', disabled: missing.length > 0 },
        t('evaluation.submit', {
          column: t(`evaluation.column.${column}`),
          total: fmtPoints(evaluation.columns[column].total),
          grade: gradeText(evaluation.columns[column].grade),
        }),
      ),
    ),
  );
  return box;
}

/** The office's evaluations by year, each linked, with the grade shown. */
function historyBlock(years, currentId) {
  return h(
    'section',
    { class: 'eval-history' },
    h('h2', null, t('evaluation.history')),
    h(
      'ul',
      null,
      years.map((row) => {
        const total = COLUMNS.map((c) => row.totals[c])
          .filter((v) => v !== null)
          .pop();
        const text = t('evaluation.historyRow', {
          year: row.year,
          status: statusText(row.status),
          total: fmtPoints(total),
          grade: gradeText(row.grade),
        });
        return h(
          'li',
          null,
          row.evaluation_id === currentId
            ? h('strong', null, text)
            : h('a', { href: `#/evaluation/${row.evaluation_id}` }, text),
        );
      }),
    ),
  );
}

function recordsView(app, id, code) {
  const api = client();
  const state = { page: 1 };
  const view = screen(app, t('evaluation.recordsTitle'));
  view.start(async (fresh) => {
    const answer = await fresh(
      api.get(`/api/v1/evaluations/${id}/items/${code}/records`, {
        page: state.page,
        per_page: 50,
      }),
    );
    const columns = [
      { label: t('evaluation.recordLabel'), cell: (r) => recordLabel(r) },
      { label: t('evaluation.recordDate'), cell: (r) => (r.on ? fmtDay(r.on) : '—') },
      { label: t('evaluation.recordDetail'), cell: (r) => r.detail || '—' },
    ];
    view.body.replaceChildren(
      h('p', null, h('a', { href: `#/evaluation/${id}` }, t('evaluation.backToForm'))),
      h(
        'p',
        { class: 'eval-computed' },
        t(`evaluation.item.${code}`),
        ': ',
        t('evaluation.computedPoints', { points: fmtPoints(answer.value.points) }),
        ' — ',
        figuresLine(answer.value.figures, figureLabel),
      ),
      table(t(`evaluation.recordsOf.${answer.kind}`), columns, answer.items),
      pager(
        answer,
        (page) => {
          state.page = page;
          view.reload();
        },
        t('evaluation.recordsTitle'),
      ),
    );
  });
  return { el: view.el, title: t('evaluation.recordsTitle'), destroy: view.destroy };
}

function recordLabel(row) {
  return row.resident_id ? h('a', { href: `#/resident/${row.resident_id}` }, row.label) : row.label;
}
