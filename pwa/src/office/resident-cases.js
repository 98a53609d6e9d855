// A resident's cases on their office page: each case's stage, when it was opened and by whom,
// linking to its page, and the office's "open a case" (its source, a note, the worker responsible).
import { h, field } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { rfc3339 } from '../lib/dates.js';
import { problemLine, fmtDay } from './ui.js';
import { CASE_SOURCES } from './case-logic.js';
import { stageTag } from './case-parts.js';
import { unitPeople } from './task-parts.js';
import { session } from '../state/index.js';

/**
 * The cases of a resident, every stage (the newest 50); a failure is kept as {error}, so the
 * rest of the resident's page still shows.
 */
export async function loadResidentCases(api, residentId) {
  try {
    const answer = await api.get('/api/v1/cases', {
      resident_id: residentId,
      page: 1,
      per_page: 50,
    });
    return { items: answer.items || [] };
  } catch (err) {
    return { items: [], error: err };
  }
}

/** The section: a heading, "open a case" for the office, and one line per case. */
export function residentCasesSection(app, api, resident, { items: cases, error }) {
  const failed = problemLine();
  if (error) failed.show(error);
  const role = session.current()?.user?.role;
  const office = role === 'supervisor' || role === 'admin';
  return h(
    'section',
    { class: 'resident-cases', 'aria-labelledby': 'resident-cases-h' },
    h('h2', { id: 'resident-cases-h' }, t('cases.residentTitle', { n: cases.length })),
    failed.el,
    office ? openCaseForm(app, api, resident) : null,
    cases.length
      ? h(
          'ul',
          { class: 'cards' },
          cases.map((c) =>
            h(
              'li',
              { class: 'card case-card' },
              h(
                'p',
                { class: 'card-title' },
                h(
                  'a',
                  { href: `#/cases/${c.id}` },
                  t('cases.openedOn', { date: fmtDay(c.opened_at) }),
                ),
              ),
              h(
                'p',
                { class: 'tags' },
                stageTag(c.stage),
                ` · ${c.worker?.display_name || '—'} · ${t(`cases.source.${c.source}`)}`,
              ),
            ),
          ),
        )
      : error
        ? null
        : h('p', { class: 'note' }, t('cases.noneForResident')),
  );
}

function openCaseForm(app, api, resident) {
  if (session.isInspector()) return null; // cases are opened by the office
  const source = h(
    'select',
    null,
    CASE_SOURCES.filter((s) => s !== 'round_finding').map((s) =>
      h('option', { value: s }, t(`cases.source.${s}`)),
    ),
  );
  const note = h('input', { type: 'text', maxlength: 500 });
  const who = h('select');
  const msg = problemLine();
  let peopleLoaded = false;
  /** The unit's workers and supervisors (oneself first chosen, for a supervisor). */
  async function loadPeople() {
    if (peopleLoaded) return;
    peopleLoaded = true;
    const people = await unitPeople(api, resident.unit_id);
    const me = session.current()?.user;
    who.replaceChildren(
      h('option', { value: '' }, t('cases.chooseWorker')),
      ...people.map((p) => h('option', { value: p.id }, p.display_name)),
    );
    if (people.some((p) => p.id === me?.id)) who.value = me.id;
  }
  return h(
    'details',
    { class: 'case-action case-open-form', ontoggle: (e) => e.target.open && loadPeople() },
    h('summary', null, t('cases.open')),
    h(
      'form',
      {
        onsubmit: async (e) => {
          e.preventDefault();
          if (source.value === 'referral' && !note.value.trim())
            return msg.show(t('cases.needReferrer'));
          if (!who.value) return msg.show(t('cases.needWorker'));
          const submit = e.target.querySelector('button[type=submit]');
          submit.disabled = true;
          const id = crypto.randomUUID();
          try {
            await api.send('POST', '/api/v1/cases', {
              id,
              resident_id: resident.id,
              source: source.value,
              source_note: note.value.trim(),
              visit_id: null,
              opened_at: rfc3339(new Date()),
              worker_id: who.value,
            });
            app.toast(t('cases.openedToast', { name: resident.name }));
            location.hash = `#/cases/${id}`;
          } catch (err) {
            msg.show(err);
            submit.disabled = false;
          }
        },
      },
      h(
        'div',
        { class: 'row' },
        field(t('cases.sourceLabel'), source),
        field(t('cases.sourceNote'), note, { hint: t('cases.sourceNoteHint') }),
        field(t('cases.worker'), who),
      ),
      h('button', { type: 'submit', class: 'btn' }, t('cases.openSubmit')),
      msg.el,
    ),
  );
}
