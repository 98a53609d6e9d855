// The visit form: kind, observations, service given, follow-up, location for home visits; what
// the last visit found and the resident's follow-up tasks (visit-tasks.js), and their case
// (visit-case.js).
// Every change goes to the draft (state/draft.js), which keeps it in IndexedDB.
import { h, field, choice, icon } from '../../lib/dom.js';
import { t, fmtTime } from '../../lib/i18n/index.js';
import { fieldErrors } from './errors.js';
import { draft, roster } from '../../state/index.js';
import { visitTasks } from './visit-tasks.js';
import { visitCase } from './visit-case.js';

export function visitView(app) {
  const visit = draft.current();
  if (!visit) return { redirect: '' };
  const resident = roster.resident(visit.resident_id);
  const errs = fieldErrors(visit.fix_errors, visit.fix_codes);

  const obs = (key) =>
    choice(
      `obs-${key}`,
      t(`visit.obs.${key}`),
      [
        ['ok', `✓ ${t('visit.ok')}`],
        ['concern', `⚠ ${t('visit.concern')}`],
      ],
      visit.observations[key],
      (value) => draft.observe(key, value),
      { cls: 'pair' },
    );

  const notes = h('textarea', {
    rows: 3,
    maxlength: 2000,
    value: visit.observations.notes,
    oninput: (e) => draft.observe('notes', e.target.value),
  });
  const service = h('textarea', {
    rows: 3,
    maxlength: 2000,
    value: visit.service_given,
    oninput: (e) => draft.change({ service_given: e.target.value }),
  });
  const follow = h('input', {
    type: 'checkbox',
    checked: visit.follow_up,
    onchange: (e) => draft.change({ follow_up: e.target.checked }),
  });

  const locBox = h('div', { class: 'location' });
  function drawLocation() {
    locBox.replaceChildren();
    if (visit.kind !== 'home_visit') return;
    const text = visit.location
      ? t('visit.locationHave', { acc: Math.round(visit.location.accuracy_m) })
      : t('visit.locationNone');
    const status = h('p', { class: 'hint', role: 'status' }, text);
    const btn = h(
      'button',
      { type: 'button', class: 'btn secondary' },
      visit.location ? t('visit.locationAgain') : t('visit.locationAdd'),
    );
    btn.addEventListener('click', () => {
      if (!navigator.geolocation) {
        status.textContent = t('visit.locationUnavailable');
        return;
      }
      status.textContent = t('visit.locationFinding');
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          draft.change({
            location: {
              lat: pos.coords.latitude,
              lon: pos.coords.longitude,
              accuracy_m: pos.coords.accuracy,
            },
          });
          drawLocation();
        },
        () => (status.textContent = t('visit.locationUnavailable')),
        { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
      );
    });
    const drop = visit.location
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            onclick: () => {
              draft.change({ location: null });
              drawLocation();
            },
          },
          t('visit.locationRemove'),
        )
      : null;
    locBox.append(
      h('h2', null, t('visit.location')),
      status,
      h('div', { class: 'row' }, btn, drop),
    );
  }
  drawLocation();
  const followUp = visitTasks(visit, resident, roster.unitOf(resident));

  const el = h(
    'section',
    { class: 'view visit' },
    h('h1', null, resident?.name || t('visit.unknownResident')),
    h(
      'p',
      { class: 'sub' },
      [
        resident?.room || resident?.address,
        t('visit.startedAt', { time: fmtTime(visit.checked_in_at) }),
        visit.identified_by === 'qr' ? t('visit.byQr') : t('visit.byList'),
      ]
        .filter(Boolean)
        .join(' · '),
    ),
    errs.summary,
    followUp.last,
    visitCase(visit, resident),
    h(
      'form',
      {
        onsubmit: (e) => {
          e.preventDefault();
          next();
        },
      },
      choice(
        'kind',
        t('visit.kind'),
        [
          ['round', t('visit.kind.round')],
          ['home_visit', t('visit.kind.home_visit')],
        ],
        visit.kind,
        (value) => {
          draft.change({ kind: value });
          drawLocation();
        },
      ),
      h(
        'fieldset',
        { class: 'obs' },
        h('legend', null, t('visit.observations')),
        obs('living'),
        obs('emotional'),
        obs('physical'),
        field(t('visit.notes'), notes, { error: errs.for('observations') }),
      ),
      field(t('visit.service'), service, { error: errs.for('service_given') }),
      h('div', { class: 'check' }, h('label', null, follow, h('span', null, t('visit.followUp')))),
      followUp.box,
      locBox,
      h(
        'div',
        { class: 'row actions' },
        h('button', { type: 'submit', class: 'btn big' }, t('visit.handOver'), icon('→')),
        h(
          'button',
          { type: 'button', class: 'btn secondary', onclick: () => cancel() },
          t('visit.cancel'),
        ),
      ),
    ),
  );

  function next() {
    draft.change({ step: 'rate' });
    app.go('rate');
  }

  async function cancel() {
    if (!confirm(t('visit.cancelConfirm'))) return;
    await draft.discard();
    app.go('');
  }

  return { el, title: t('visit.title') };
}
