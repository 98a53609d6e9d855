// Alerts (acknowledge with a note) and follow-ups (mark handled with a note).
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { client, screen, pager, unitSelect, problemLine, fmtDateTime } from '../ui.js';

export function alertsView(app) {
  const api = client();
  const st = { state: 'open', unit: '', page: 1 };
  const units = [];
  const unitBox = h('div');
  const stateSel = h('select', { onchange: (e) => { st.state = e.target.value; st.page = 1; s.reload(); } },
    ['open', 'resolved', 'all'].map((v) => h('option', { value: v }, t(`alerts.state.${v}`))));
  const controls = h('div', { class: 'row filters' }, field(t('alerts.show'), stateSel), unitBox);
  const s = screen(app, t('alerts.title'), { controls });

  function card(a) {
    const who = a.resident_name || a.worker_name || '—';
    const note = h('input', { type: 'text', maxlength: 1000, 'aria-label': t('alerts.noteFor', { who }) });
    const msg = problemLine();
    const what = t(`alerts.kind.${a.kind}`);
    return h('li', { class: `card alert-${a.kind}` },
      h('p', { class: 'card-title' }, '⚠ ', what, ': ',
        a.resident_id ? h('a', { href: `#/resident/${a.resident_id}` }, who) : who,
        a.period ? ` · ${a.period}` : ''),
      h('p', { class: 'hint' }, t('alerts.raised', { when: fmtDateTime(a.raised_at) }),
        a.resolved_at ? ` · ${t('alerts.resolved', { when: fmtDateTime(a.resolved_at) })}` : ''),
      a.acked_at
        ? h('p', null, '✓ ', t('alerts.acked', { when: fmtDateTime(a.acked_at), note: a.ack_note || '—' }))
        : h('form', { class: 'row', onsubmit: async (e) => {
            e.preventDefault();
            try {
              await api.send('POST', `/api/v1/alerts/${a.id}/ack`, { note: note.value.trim() });
              app.toast(t('alerts.done', { who }));
              s.reload();
            } catch (err) {
              msg.show(err);
            }
          } },
          h('div', { class: 'grow' }, field(t('alerts.note'), note)),
          h('button', { type: 'submit', class: 'btn', 'aria-label': t('alerts.ackFor', { what, who }) }, t('alerts.ack'))),
      msg.el);
  }

  s.start(async (fresh) => {
    if (!units.length) {
      units.push(...(await fresh(api.get('/api/v1/units'))));
      unitBox.replaceChildren(field(t('office.unit'), unitSelect(units, st.unit, (v) => { st.unit = v; st.page = 1; s.reload(); })));
    }
    const d = await fresh(api.get('/api/v1/alerts', { state: st.state, unit_id: st.unit, page: st.page, per_page: 50 }));
    s.body.replaceChildren(
      d.items.length ? h('ul', { class: 'cards' }, d.items.map(card)) : h('p', { class: 'note' }, t('alerts.none')),
      pager(d, (p) => { st.page = p; s.reload(); }, t('alerts.title')),
    );
  });
  return { el: s.el, title: t('alerts.title'), destroy: s.destroy };
}

/** A visit row (follow-ups, unsatisfied) as a card; with a "handled" form when it is open. */
export function visitRowCard(api, v, onDone) {
  const concerns = (v.concerns || []).map((c) => t(`followups.concern.${c}`)).join(', ');
  const note = h('textarea', { rows: 2, maxlength: 1000, 'aria-label': t('followups.noteFor', { name: v.resident.name }) });
  const msg = problemLine();
  return h('li', { class: 'card' },
    h('p', { class: 'card-title' }, h('a', { href: `#/resident/${v.resident.id}` }, v.resident.name), v.resident.room ? ` · ${v.resident.room}` : '', ` · ${fmtDateTime(v.checked_in_at)}`),
    h('p', { class: 'hint' }, `№ ${v.number} · ${v.unit.name} · ${v.worker.display_name}`),
    concerns ? h('p', null, '⚠ ', t('followups.concerns', { list: concerns })) : null,
    v.observations?.notes ? h('p', null, t('visit.notes'), ': ', v.observations.notes) : null,
    v.service_given ? h('p', null, t('visit.service'), ': ', v.service_given) : null,
    v.satisfaction ? h('p', null, t('office.satisfaction'), ': ', t(`satisfaction.${v.satisfaction}`)) : null,
    v.feedback ? h('p', null, t('rate.comment'), ': ', v.feedback) : null,
    v.handled
      ? h('p', null, '✓ ', t('followups.handledBy', { when: fmtDateTime(v.handled.at), who: v.handled.by?.display_name || '—', note: v.handled.note }))
      : h('form', { onsubmit: async (e) => {
          e.preventDefault();
          if (!note.value.trim()) return msg.show(t('followups.needNote'));
          try {
            await api.send('POST', `/api/v1/followups/${v.visit_id}/handle`, { note: note.value.trim() });
            onDone(v);
          } catch (err) {
            msg.show(err);
          }
        } },
        field(t('followups.note'), note),
        h('button', { type: 'submit', class: 'btn', 'aria-label': t('followups.markFor', { name: v.resident.name }) }, t('followups.mark'))),
    msg.el);
}

export function followupsView(app) {
  const api = client();
  const st = { status: 'open', unit: '', page: 1 };
  const units = [];
  const unitBox = h('div');
  const statusSel = h('select', { onchange: (e) => { st.status = e.target.value; st.page = 1; s.reload(); } },
    ['open', 'handled', 'all'].map((v) => h('option', { value: v }, t(`followups.state.${v}`))));
  const s = screen(app, t('followups.title'), { intro: t('followups.intro'), controls: h('div', { class: 'row filters' }, field(t('alerts.show'), statusSel), unitBox) });
  // A unit chosen while the first list is still loading: only the newer list is drawn
  // (fresh), so the first, slower answer never replaces it and the note being typed.
  s.start(async (fresh) => {
    if (!units.length) {
      units.push(...(await fresh(api.get('/api/v1/units'))));
      unitBox.replaceChildren(field(t('office.unit'), unitSelect(units, st.unit, (v) => { st.unit = v; st.page = 1; s.reload(); })));
    }
    const d = await fresh(api.get('/api/v1/followups', { status: st.status, unit_id: st.unit, page: st.page, per_page: 50 }));
    s.body.replaceChildren(
      d.items.length
        ? h('ul', { class: 'cards' }, d.items.map((v) => visitRowCard(api, v, () => { app.toast(t('followups.done', { name: v.resident.name })); s.reload(); })))
        : h('p', { class: 'note' }, t('followups.none')),
      pager(d, (p) => { st.page = p; s.reload(); }, t('followups.title')),
    );
  });
  return { el: s.el, title: t('followups.title'), destroy: s.destroy };
}
