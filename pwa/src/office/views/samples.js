// Random samples for inspection (docs/sampling.md): the list of an office's samples and the
// draw form (office, kind, period, size) for the bureau's inspectors; and one sample as a
// checklist: each drawn record with outcome buttons and a note saved as typed, the progress,
// the seed and the redraw that proves the draw was random, and the printable checklist.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { addDays, today } from '../../lib/dates.js';
import {
  client,
  screen,
  table,
  pager,
  problemLine,
  fmtDay,
  fmtDateTime,
  openPrintable,
} from '../ui.js';
import {
  MAX_SIZE,
  SAMPLE_KINDS,
  SAMPLE_OUTCOMES,
  drawBody,
  drawProblem,
  mayDraw,
  noteSaver,
  progress,
  reachedOffices,
} from '../sample-logic.js';
import { session } from '../../state/index.js';

/** The list's office, kept while the app stays open (back from a sample, the same list). */
const listFilters = { office: '', page: 1 };

const role = () => session.current()?.user?.role;
const kindText = (kind) => t(`samples.kind.${kind}`);

// ---- #/samples -----------------------------------------------------------------------------

export function samplesView(app) {
  const api = client();
  const officeSel = h('select', {
    onchange: (e) => {
      Object.assign(listFilters, { office: e.target.value, page: 1 });
      view.reload();
    },
  });
  const controls = h('div', { class: 'row filters' }, field(t('samples.office'), officeSel));
  const view = screen(app, t('samples.title'), { intro: t('samples.intro'), controls });
  let organisations = null;

  view.start(async (fresh) => {
    if (!organisations) {
      organisations = await fresh(api.get('/api/v1/organisations'));
      const offices = reachedOffices(organisations);
      officeSel.replaceChildren(
        h('option', { value: '' }, t('samples.allOffices')),
        ...offices.map((o) => h('option', { value: o.id }, o.name)),
      );
      if (!offices.some((o) => o.id === listFilters.office)) listFilters.office = '';
      officeSel.value = listFilters.office;
    }
    const list = await fresh(
      api.get('/api/v1/samples', {
        office_id: listFilters.office,
        page: listFilters.page,
        per_page: 50,
      }),
    );
    view.body.replaceChildren(
      mayDraw(role(), organisations) ? drawForm(app, api, organisations) : null,
      listSection(list),
    );
  });

  function listSection(list) {
    return h(
      'section',
      { class: 'samples-list', 'aria-labelledby': 'samples-list-h' },
      h('h2', { id: 'samples-list-h' }, t('samples.listTitle', { n: list.total })),
      list.items.length
        ? table(
            t('samples.listCaption'),
            [
              {
                label: t('samples.drawnAt'),
                cell: (s) => h('a', { href: `#/sample/${s.id}` }, fmtDateTime(s.drawn_at)),
              },
              { label: t('samples.office'), cell: (s) => s.office_name },
              { label: t('samples.kindLabel'), cell: (s) => kindText(s.kind) },
              {
                label: t('samples.period'),
                cell: (s) => `${fmtDay(s.period_start)} – ${fmtDay(s.period_end)}`,
              },
              {
                label: t('samples.drawn'),
                num: true,
                cell: (s) => t('samples.drawnOf', { n: s.drawn, population: s.population }),
              },
              {
                label: t('samples.progressLabel'),
                num: true,
                cell: (s) => t('samples.progress', { checked: s.checked, total: s.drawn }),
              },
              { label: t('samples.drawnBy'), cell: (s) => s.drawn_by?.display_name || '—' },
            ],
            list.items,
          )
        : h('p', { class: 'note' }, t('samples.none')),
      pager(
        list,
        (p) => {
          listFilters.page = p;
          view.reload();
        },
        t('samples.listCaption'),
      ),
    );
  }

  return { el: view.el, title: t('samples.title'), destroy: view.destroy };
}

/** The draw: office, kind, period (the last 30 days unless changed), size, note. */
function drawForm(app, api, organisations) {
  const msg = problemLine();
  const offices = reachedOffices(organisations);
  const office = h(
    'select',
    null,
    h('option', { value: '' }, t('samples.pickOffice')),
    offices.map((o) => h('option', { value: o.id }, o.name)),
  );
  office.value = listFilters.office || (offices.length === 1 ? offices[0].id : '');
  const kind = h(
    'select',
    null,
    SAMPLE_KINDS.map((k) => h('option', { value: k }, kindText(k))),
  );
  const start = h('input', { type: 'date', value: addDays(today(), -30) });
  const end = h('input', { type: 'date', value: today() });
  const size = h('input', {
    type: 'number',
    min: 1,
    max: MAX_SIZE,
    inputmode: 'numeric',
    value: 20,
  });
  const note = h('input', { type: 'text', maxlength: 2000 });
  const form = h(
    'form',
    {
      class: 'samples-draw card',
      onsubmit: async (e) => {
        e.preventDefault();
        const state = {
          officeId: office.value,
          kind: kind.value,
          start: start.value,
          end: end.value,
          size: size.value,
          note: note.value,
        };
        const why = drawProblem(state);
        if (why) return msg.show(t(why, { max: MAX_SIZE }));
        const submit = form.querySelector('button[type=submit]');
        submit.disabled = true;
        try {
          const drawn = await api.send('POST', '/api/v1/samples', drawBody(state));
          app.toast(t('samples.drawnToast', { n: drawn.drawn }));
          app.go(`sample/${drawn.id}`);
        } catch (err) {
          msg.show(err);
          submit.disabled = false;
        }
      },
    },
    h('h2', null, t('samples.drawTitle')),
    h('p', { class: 'hint' }, t('samples.drawHint')),
    h(
      'div',
      { class: 'row' },
      field(t('samples.office'), office, { required: true }),
      field(t('samples.kindLabel'), kind),
    ),
    h(
      'div',
      { class: 'row' },
      field(t('samples.from'), start, { required: true }),
      field(t('samples.to'), end, { required: true }),
      field(t('samples.size'), size, { required: true, hint: t('samples.sizeHint') }),
    ),
    field(t('samples.note'), note),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, t('samples.draw'))),
    msg.el,
  );
  return form;
}

// ---- #/sample/<id> -------------------------------------------------------------------------

export function sampleView(app, [id]) {
  const api = client();
  const view = screen(app, t('samples.oneTitle'));
  const savers = [];
  // A note typed just before the tab is closed or reloaded is sent at once, not lost.
  const flushAll = () => savers.forEach((saver) => saver.flush().catch(() => {}));
  window.addEventListener('pagehide', flushAll);

  view.start(async (fresh) => {
    const [sample, organisations] = await fresh(
      Promise.all([api.get(`/api/v1/samples/${id}`), api.get('/api/v1/organisations')]),
    );
    const checking = mayDraw(role(), organisations);
    const msg = problemLine();
    const counter = h('p', { class: 'samples-progress', role: 'status' });
    const showProgress = () => {
      const p = progress(sample.items);
      counter.textContent = t('samples.progress', p);
    };
    showProgress();
    const verified = h('p', { class: 'samples-verify', role: 'status' }, t('samples.verifying'));
    api
      .get(`/api/v1/samples/${id}/verify`)
      .then((v) => {
        verified.textContent = v.same
          ? t('samples.verified', { n: v.count })
          : t('samples.notVerified', { now: v.population, then: v.population_then });
        verified.classList.toggle('samples-differs', !v.same);
      })
      .catch((err) => (verified.textContent = t('samples.verifyFailed', { detail: err.message })));
    view.body.replaceChildren(
      h('p', null, h('a', { href: '#/samples' }, t('samples.back'))),
      drawFacts(sample),
      verified,
      h(
        'div',
        { class: 'row' },
        counter,
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            onclick: () => openPrintable(api, `/api/v1/samples/${id}/print`, {}, msg),
          },
          t('samples.print'),
        ),
      ),
      msg.el,
      h(
        'ol',
        { class: 'samples-items' },
        sample.items.map((item) => itemCard(item)),
      ),
    );

    function itemCard(item) {
      const state = h('span', { class: 'samples-saved', role: 'status' });
      const checkedLine = h('p', { class: 'note samples-checked' });
      const showChecked = () =>
        (checkedLine.textContent = item.checked_by
          ? t('samples.checkedBy', {
              name: item.checked_by.display_name,
              at: fmtDateTime(item.checked_at),
            })
          : '');
      showChecked();
      const path = `/api/v1/samples/${id}/items/${item.position}`;
      const keep = (answer) => {
        Object.assign(item, answer);
        showChecked();
        showProgress();
      };
      const buttons = SAMPLE_OUTCOMES.map((outcome) =>
        h(
          'button',
          {
            type: 'button',
            class: `btn small secondary samples-outcome samples-${outcome}`,
            'aria-pressed': String(item.outcome === outcome),
            disabled: !checking,
            onclick: async () => {
              try {
                keep(await api.send('PATCH', path, { outcome }));
                for (const b of buttons)
                  b.setAttribute('aria-pressed', String(b.dataset.outcome === outcome));
                msg.show(null);
              } catch (err) {
                msg.show(err);
              }
            },
          },
          t(`samples.outcome.${outcome}`),
        ),
      );
      buttons.forEach((b, i) => (b.dataset.outcome = SAMPLE_OUTCOMES[i]));
      const note = h('textarea', {
        rows: 2,
        maxlength: 2000,
        readonly: checking ? null : true,
        'aria-label': t('samples.noteFor', { n: item.position }),
      });
      note.value = item.note || '';
      if (checking) {
        const saver = noteSaver((text) => api.send('PATCH', path, { note: text }).then(keep), {
          onState: (s) => (state.textContent = t(`samples.noteState.${s}`)),
        });
        savers.push(saver);
        note.addEventListener('input', () => saver.typed(note.value));
        note.addEventListener('blur', () => saver.flush().catch(() => {}));
      }
      return h(
        'li',
        { class: 'card samples-item', 'data-position': item.position },
        h('h3', null, t('samples.itemTitle', { n: item.position, name: item.resident.name })),
        item.visit_id ? visitFacts(item) : residentFacts(item),
        h(
          'div',
          {
            class: 'row samples-outcomes',
            role: 'group',
            'aria-label': t('samples.outcomeFor', { n: item.position }),
          },
          buttons,
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: (note.id = `sample-note-${item.position}`) }, t('samples.noteLabel')),
          note,
          state,
        ),
        checkedLine,
      );
    }

    function visitFacts(item) {
      return h(
        'dl',
        { class: 'samples-facts' },
        fact(t('samples.visitDate'), fmtDay(item.visit_date)),
        fact(
          t('samples.resident'),
          h('a', { href: `#/resident/${item.resident.id}` }, item.resident.name),
        ),
        fact(t('samples.worker'), item.worker?.display_name || '—'),
        fact(t('samples.service'), item.service_given || '—'),
        fact(
          t('samples.satisfaction'),
          item.satisfaction ? t(`satisfaction.${item.satisfaction}`) : '—',
        ),
        fact(
          t('samples.register'),
          h(
            'button',
            {
              type: 'button',
              class: 'btn small secondary',
              onclick: () => openPrintable(api, item.register_url, {}, msg),
            },
            t('samples.openRegister'),
          ),
        ),
      );
    }

    function residentFacts(item) {
      const r = item.resident;
      return h(
        'dl',
        { class: 'samples-facts' },
        fact(t('samples.unitRoom'), `${r.unit_name} ${r.room || ''}`.trim()),
        fact(t('samples.phone'), r.phone ? h('a', { href: `tel:${r.phone}` }, r.phone) : '—'),
        fact(t('samples.address'), r.address || '—'),
      );
    }
  });

  return {
    el: view.el,
    title: t('samples.oneTitle'),
    destroy: () => {
      flushAll();
      window.removeEventListener('pagehide', flushAll);
      view.destroy();
    },
  };
}

function fact(label, value) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

/** The draw as it was made: who, when, from what, and the seed. */
function drawFacts(sample) {
  return h(
    'dl',
    { class: 'samples-draw-facts' },
    fact(t('samples.office'), sample.office_name),
    fact(t('samples.kindLabel'), kindText(sample.kind)),
    fact(t('samples.period'), `${fmtDay(sample.period_start)} – ${fmtDay(sample.period_end)}`),
    fact(
      t('samples.drawn'),
      t('samples.drawnOf', { n: sample.drawn, population: sample.population }),
    ),
    fact(t('samples.drawnBy'), sample.drawn_by?.display_name || '—'),
    fact(t('samples.drawnAt'), fmtDateTime(sample.drawn_at)),
    fact(t('samples.seed'), h('code', { class: 'samples-seed' }, sample.seed)),
    sample.note ? fact(t('samples.note'), sample.note) : null,
  );
}
