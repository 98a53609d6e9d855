// A resident for the office: details, care level, QR (print a label, rotate the token), and
// every visit with its content, signature, amendments, presence signals; void with a reason;
// the resident's cases and "open a case"; and the resident's follow-up tasks with their
// history, open ones first, and "new task".
import { h, field } from '../../lib/dom.js';
import { careLevelName, t } from '../../lib/i18n/index.js';
import {
  client,
  screen,
  pager,
  problemLine,
  openPrintable,
  authImage,
  fmtDateTime,
  fmtDay,
} from '../ui.js';
import { session } from '../../state/index.js';
import { loadResidentTasks, residentTasksSection } from '../resident-tasks.js';
import { loadResidentCases, residentCasesSection } from '../resident-cases.js';
import { visitReviewBox } from '../review-parts.js';
import { residentMeetingsSection } from '../resident-meetings.js';
import { residentReceptionSection } from '../resident-reception.js';
import { residentRuleSection } from '../coverage-rules.js';
import { residentActivitiesSection } from '../resident-activities.js';

export function residentView(app, [id]) {
  const api = client();
  const filters = { page: 1 };
  const view = screen(app, t('resident.title'));
  const heading = view.el.querySelector('h1');
  const problem = view.problem;

  function visitCard(visit) {
    const obs = visit.observations || {};
    const concerns = ['living', 'emotional', 'physical'].filter((k) => obs[k] === 'concern');
    const presence = visit.presence || {};
    const reason = h('input', {
      type: 'text',
      maxlength: 1000,
      'aria-label': t('resident.voidReasonFor', { when: fmtDateTime(visit.checked_in_at) }),
    });
    const msg = problemLine();
    const sig = visit.signature;
    return h(
      'li',
      { class: `card${visit.voided ? ' voided' : ''}` },
      h(
        'p',
        { class: 'card-title' },
        fmtDateTime(visit.checked_in_at),
        ' · ',
        t(`visit.kind.${visit.kind}`),
        ' · ',
        visit.worker?.display_name || '—',
      ),
      visit.voided
        ? h(
            'p',
            { class: 'banner warn' },
            '✗ ',
            t('resident.voided', {
              when: fmtDateTime(visit.voided.at),
              reason: visit.voided.reason,
            }),
          )
        : null,
      h(
        'dl',
        { class: 'summary-list' },
        h('dt', null, t('visit.observations')),
        h(
          'dd',
          null,
          concerns.length
            ? `⚠ ${concerns.map((k) => t(`visit.obs.${k}`)).join(', ')}`
            : `✓ ${t('resident.allOk')}`,
          obs.notes ? ` — ${obs.notes}` : '',
        ),
        h('dt', null, t('visit.service')),
        h('dd', null, visit.service_given || '—'),
        h('dt', null, t('visit.followUp')),
        h('dd', null, visit.follow_up ? t('common.yes') : t('common.no')),
        h('dt', null, t('office.satisfaction')),
        h('dd', null, visit.satisfaction ? t(`satisfaction.${visit.satisfaction}`) : '—'),
        h('dt', null, t('rate.comment')),
        h('dd', null, visit.feedback || '—'),
        h('dt', null, t('resident.presence')),
        h(
          'dd',
          null,
          [
            t(`resident.identified.${presence.identified_by || visit.identified_by}`),
            presence.token ? t(`resident.token.${presence.token}`) : null,
            presence.distance_m !== null && presence.distance_m !== undefined
              ? t('resident.distance', { m: presence.distance_m })
              : null,
            presence.burst ? `⚠ ${t('resident.burst')}` : null,
          ]
            .filter(Boolean)
            .join(' · '),
        ),
        h('dt', null, t('resident.signature')),
        h(
          'dd',
          null,
          sig && sig.signer !== 'none'
            ? authImage(
                api,
                `/api/v1/visits/${visit.id}/signature.svg`,
                t('resident.signatureOf', { when: fmtDateTime(visit.checked_in_at) }),
                'sig-preview',
              )
            : null,
          sig?.signer === 'proxy'
            ? h('p', null, t('resident.proxy', { name: sig.signer_name }))
            : null,
          sig?.signer === 'none'
            ? h('p', null, t('resident.noSignature', { reason: sig.reason || '—' }))
            : null,
          !sig ? '—' : null,
        ),
      ),
      visit.amendments?.length
        ? h(
            'div',
            null,
            h('h3', null, t('resident.amendments', { n: visit.amendments.length })),
            h(
              'ul',
              { class: 'plain' },
              visit.amendments.map((a) =>
                h(
                  'li',
                  null,
                  `${fmtDateTime(a.created_at)} · ${a.author?.display_name || '—'}: ${a.reason} (${Object.keys(
                    a.changes || {},
                  )
                    .map((k) => t(`field.${k}`))
                    .join(', ')})`,
                ),
              ),
            ),
          )
        : null,
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            'aria-label': t('resident.registerFor', { when: fmtDateTime(visit.checked_in_at) }),
            onclick: () => openPrintable(api, '/api/v1/register', { visit_id: visit.id }, msg),
          },
          t('resident.register'),
        ),
      ),
      visitReviewBox(app, api, visit, fmtDateTime(visit.checked_in_at), () => view.reload()),
      visit.voided || session.isInspector()
        ? null
        : h(
            'details',
            null,
            h('summary', null, t('resident.void')),
            h(
              'form',
              {
                onsubmit: async (e) => {
                  e.preventDefault();
                  if (!reason.value.trim()) return msg.show(t('resident.voidNeedsReason'));
                  if (!confirm(t('resident.voidConfirm'))) return;
                  try {
                    await api.send('POST', `/api/v1/visits/${visit.id}/void`, {
                      reason: reason.value.trim(),
                    });
                    app.toast(t('resident.voidDone'));
                    view.reload();
                  } catch (err) {
                    msg.show(err);
                  }
                },
              },
              field(t('resident.voidReason'), reason),
              h('button', { type: 'submit', class: 'btn danger' }, t('resident.voidSubmit')),
            ),
          ),
      msg.el,
    );
  }

  view.start(async (fresh) => {
    const [resident, visits, units, tasks, cases] = await fresh(
      Promise.all([
        api.get(`/api/v1/residents/${id}`),
        api.get('/api/v1/visits', { resident_id: id, page: filters.page, per_page: 20 }),
        api.get('/api/v1/units'),
        loadResidentTasks(api, id),
        loadResidentCases(api, id),
      ]),
    );
    heading.textContent = resident.name;
    const unit = units.find((u) => u.id === resident.unit_id);
    view.body.replaceChildren(
      h(
        'dl',
        { class: 'summary-list' },
        h('dt', null, t('office.unit')),
        h('dd', null, unit?.name || '—'),
        h('dt', null, t('admin.room')),
        h('dd', null, resident.room || '—'),
        h('dt', null, t('admin.address')),
        h('dd', null, resident.address || '—'),
        h('dt', null, t('admin.sex')),
        h('dd', null, resident.sex ? t(`admin.sex.${resident.sex}`) : '—'),
        h('dt', null, t('admin.birthYear')),
        h('dd', null, resident.birth_year || '—'),
        h('dt', null, t('admin.phone')),
        h('dd', null, resident.phone || '—'),
        h('dt', null, t('admin.careLevel')),
        h('dd', null, careLevelName(resident.care_level)),
        h('dt', null, t('admin.status')),
        h(
          'dd',
          null,
          t(`admin.status.${resident.status}`),
          resident.status_since ? ` (${fmtDay(resident.status_since)})` : '',
        ),
      ),
      h(
        'div',
        { class: 'qr-box' },
        authImage(
          api,
          `/api/v1/residents/${id}/qr.svg`,
          t('resident.qrOf', { name: resident.name }),
          'qr',
        ),
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              onclick: () =>
                openPrintable(api, '/api/v1/labels', { resident_id: id, layout: 'large' }, problem),
            },
            t('resident.printLabel'),
          ),
          session.isInspector()
            ? null
            : h(
                'button',
                {
                  type: 'button',
                  class: 'btn secondary',
                  onclick: async () => {
                    if (!confirm(t('resident.rotateConfirm', { name: resident.name }))) return;
                    try {
                      await api.send('POST', `/api/v1/residents/${id}/qr/rotate`);
                      app.toast(t('resident.rotated'));
                      view.reload();
                    } catch (err) {
                      problem.show(err);
                    }
                  },
                },
                t('resident.rotate'),
              ),
          session.isOffice() && !session.isInspector()
            ? h('a', { class: 'btn secondary', href: `#/admin/residents/${id}` }, t('admin.edit'))
            : null,
        ),
      ),
      residentRuleSection(app, api, resident),
      residentCasesSection(app, api, resident, cases),
      residentTasksSection(app, api, resident, tasks, () => view.reload()),
      residentMeetingsSection(api, resident),
      residentReceptionSection(api, id),
      residentActivitiesSection(id),
      h('h2', null, t('resident.visits', { n: visits.total })),
      visits.items.length
        ? h('ul', { class: 'cards' }, visits.items.map(visitCard))
        : h('p', { class: 'note' }, t('resident.noVisits')),
      pager(
        visits,
        (p) => {
          filters.page = p;
          view.reload();
        },
        t('resident.visits', { n: visits.total }),
      ),
    );
  });
  return { el: view.el, title: t('resident.title'), destroy: view.destroy };
}
