// The case part of the visit form: the resident's open case, if there is one, and "count this
// visit for the case" (a contact record, mode visit, saved with the visit: state/draft.js);
// else "open a case", from what the last round found or at the resident's or family's request.
import { h, append, clear, icon } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { draft, cases } from '../../state/index.js';
import { stageTag } from './cases.js';
import { openCaseForm } from './case-forms.js';

export function visitCase(visit, resident) {
  const box = h('div', { class: 'my-case-visit' });
  let opening = false;

  async function draw(focus) {
    const c = resident ? await cases.forResident(resident.id) : null;
    if (!resident) return;
    if (!c) {
      append(
        clear(box),
        h('h2', null, t('myCases.visit.title')),
        opening
          ? openCaseForm(resident, {
              exceptVisitId: visit.id,
              onOpened: () => {
                opening = false;
                draw('case');
              },
              onCancel: () => {
                opening = false;
                draw();
              },
            })
          : h(
              'button',
              {
                type: 'button',
                class: 'btn secondary',
                onclick: () => {
                  opening = true;
                  draw();
                },
              },
              icon('+'),
              t('myCases.open.title'),
            ),
      );
      return;
    }
    const counted = draft.current()?.case_contact?.case_id === c.id;
    const canCount = cases.allowedKinds(c).includes('contact');
    const goals = cases.planOf(c)?.body.goals || [];
    const chosen = new Set(draft.current()?.case_contact?.goal_ids || []);
    const count = h('input', {
      type: 'checkbox',
      checked: counted,
      onchange: (e) => {
        draft.countForCase(e.target.checked ? c.id : null, [...chosen]);
        draw();
      },
    });
    append(
      clear(box),
      h('h2', null, t('myCases.visit.title')),
      h(
        'p',
        {
          tabindex: focus === 'case' ? '-1' : null,
          ref: (p) => focus === 'case' && queueMicrotask(() => p.focus()),
        },
        stageTag(c.stage),
        ' ',
        h('a', { href: `#/my-case/${c.id}` }, t('myCases.visit.see')),
      ),
      canCount
        ? [
            h(
              'div',
              { class: 'check' },
              h('label', null, count, h('span', null, t('myCases.visit.count'))),
            ),
            counted && goals.length
              ? h(
                  'fieldset',
                  { class: 'my-case-checks' },
                  h('legend', null, t('myCases.contact.goals')),
                  goals.map((g, i) =>
                    h(
                      'label',
                      { class: 'my-case-check' },
                      h('input', {
                        type: 'checkbox',
                        checked: chosen.has(g.id),
                        onchange: (e) => {
                          if (e.target.checked) chosen.add(g.id);
                          else chosen.delete(g.id);
                          draft.countForCase(c.id, [...chosen]);
                        },
                      }),
                      h('span', null, `${i + 1}. ${g.text}`),
                    ),
                  ),
                )
              : null,
          ]
        : h(
            'p',
            { class: 'hint' },
            t(c.stage === 'intake' ? 'myCases.visit.intakeFirst' : 'myCases.visit.noCount'),
          ),
    );
  }
  draw();
  return box;
}
