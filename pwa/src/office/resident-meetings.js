// The supervision meetings that discussed a resident, on their office page: when, what kind,
// who held it, and what was said of them, each linking to the meeting's page.
import { h } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { problemLine, fmtDay } from './ui.js';

/** The meetings that discussed a resident (the newest 50); a failure is kept as {error}. */
export async function loadResidentMeetings(api, residentId) {
  try {
    const answer = await api.get('/api/v1/meetings', { resident_id: residentId, per_page: 50 });
    return { items: answer.items || [] };
  } catch (err) {
    return { items: [], error: err };
  }
}

/** The section, drawn once its meetings came: one line on the resident's page. */
export function residentMeetingsSection(api, resident) {
  const box = h('div', { class: 'meeting-resident-box', 'aria-busy': 'true' });
  loadResidentMeetings(api, resident.id).then((found) => {
    box.replaceChildren(meetingsOf(resident, found));
    box.setAttribute('aria-busy', 'false');
  });
  return box;
}

/** A heading and one card per meeting, with the notes about this resident. */
function meetingsOf(resident, { items, error }) {
  const failed = problemLine();
  if (error) failed.show(error);
  const notes = (m) =>
    m.discussed.filter((d) => d.resident_id === resident.id && d.note).map((d) => d.note);
  return h(
    'section',
    { class: 'meeting-resident', 'aria-labelledby': 'meeting-resident-h' },
    h('h2', { id: 'meeting-resident-h' }, t('meetings.residentTitle', { n: items.length })),
    failed.el,
    items.length
      ? h(
          'ul',
          { class: 'cards' },
          items.map((m) =>
            h(
              'li',
              { class: 'card' },
              h(
                'p',
                { class: 'card-title' },
                h(
                  'a',
                  { href: `#/meeting/${m.id}` },
                  `${fmtDay(m.held_on)} · ${t(`meetings.kind.${m.kind}`)}`,
                ),
                ` · ${m.supervisor?.display_name || '—'}`,
              ),
              notes(m).map((note) => h('p', null, note)),
            ),
          ),
        )
      : h('p', { class: 'note' }, t('meetings.noneForResident')),
  );
}
