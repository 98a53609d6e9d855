// A resident's group activities on their office page: the activities attended, newest first,
// each linking to its page (docs/activities.md). The section draws itself once its answer
// comes, so the rest of the resident's page never waits for it.
import { h } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { client, problemLine, fmtDateTime } from './ui.js';
import { typeLabel } from './views/activities.js';

export function residentActivitiesSection(residentId) {
  const api = client();
  const failed = problemLine();
  const heading = h('h2', { id: 'resident-activities-h' }, t('activities.residentTitle', { n: 0 }));
  const list = h('ul', { class: 'cards activity-resident-list' });
  const el = h(
    'section',
    { class: 'resident-activities', 'aria-labelledby': 'resident-activities-h' },
    heading,
    failed.el,
    list,
  );
  api
    .get(`/api/v1/residents/${residentId}/activities`, { page: 1, per_page: 50 })
    .then((answer) => {
      heading.textContent = t('activities.residentTitle', { n: answer.total });
      list.replaceChildren(
        ...(answer.items.length
          ? answer.items.map((a) =>
              h(
                'li',
                { class: 'card activity-card' },
                h('p', { class: 'card-title' }, h('a', { href: `#/activity/${a.id}` }, a.title)),
                h(
                  'p',
                  { class: 'hint' },
                  `${typeLabel(a)} · ${fmtDateTime(a.started_at)} · ${a.unit_name}`,
                ),
              ),
            )
          : [h('li', { class: 'note' }, t('activities.noneForResident'))]),
      );
    })
    .catch((err) => failed.show(err));
  return el;
}
