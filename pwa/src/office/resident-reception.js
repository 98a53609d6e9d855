// A resident's receptions on their office page: the times they were received at the office's
// reception day, or a family member came about them. The section loads itself, so the page
// draws the moment its own answers are in.
import { h } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { fmtDay } from './ui.js';
import { personCard } from './views/reception.js';

function receptionCard(r) {
  const card = personCard(r);
  card.prepend(
    h('p', { class: 'hint' }, h('a', { href: `#/reception/${r.day_id}` }, fmtDay(r.held_on))),
  );
  return card;
}

/** The section: a heading and one card per reception (the newest 20), with its day. */
export function residentReceptionSection(api, residentId) {
  const heading = h('h2', { id: 'reception-resident-h' }, t('reception.residentTitle', { n: 0 }));
  const list = h('div', null, h('p', { class: 'note' }, t('reception.loading')));
  api
    .get('/api/v1/receptions', { resident_id: residentId, per_page: 20 })
    .then((answer) => {
      heading.textContent = t('reception.residentTitle', { n: answer.total });
      list.replaceChildren(
        answer.items.length
          ? h('ul', { class: 'cards' }, answer.items.map(receptionCard))
          : h('p', { class: 'note' }, t('reception.noneForResident')),
      );
    })
    .catch(() => list.replaceChildren(h('p', { class: 'note' }, t('reception.noneForResident'))));
  return h(
    'section',
    { class: 'reception-resident', 'aria-labelledby': 'reception-resident-h' },
    heading,
    list,
  );
}
