// The visit form: kind, observations, service given, follow-up, location for home visits.
import { h, field, choice, icon } from '../../lib/dom.js';
import { t, fmtTime } from '../../lib/i18n/index.js';
import { fieldErrors } from './errors.js';

export function visitView(app) {
  const d = app.draft;
  if (!d) return { redirect: '' };
  const r = app.byId.get(d.resident_id);
  const errs = fieldErrors(d.fix_errors);
  const upd = (fn) => {
    fn(d);
    app.saveDraft();
  };

  const obs = (key) =>
    choice(`obs-${key}`, t(`visit.obs.${key}`), [['ok', `✓ ${t('visit.ok')}`], ['concern', `⚠ ${t('visit.concern')}`]], d.observations[key],
      (v) => upd((x) => (x.observations[key] = v)), { cls: 'pair' });

  const notes = h('textarea', { rows: 3, maxlength: 2000, value: d.observations.notes, oninput: (e) => upd((x) => (x.observations.notes = e.target.value)) });
  const service = h('textarea', { rows: 3, maxlength: 2000, value: d.service_given, oninput: (e) => upd((x) => (x.service_given = e.target.value)) });
  const follow = h('input', { type: 'checkbox', checked: d.follow_up, onchange: (e) => upd((x) => (x.follow_up = e.target.checked)) });

  const locBox = h('div', { class: 'location' });
  function drawLocation() {
    locBox.replaceChildren();
    if (d.kind !== 'home_visit') return;
    const text = d.location
      ? t('visit.locationHave', { acc: Math.round(d.location.accuracy_m) })
      : t('visit.locationNone');
    const status = h('p', { class: 'hint', role: 'status' }, text);
    const btn = h('button', { type: 'button', class: 'btn secondary' }, d.location ? t('visit.locationAgain') : t('visit.locationAdd'));
    btn.addEventListener('click', () => {
      if (!navigator.geolocation) {
        status.textContent = t('visit.locationUnavailable');
        return;
      }
      status.textContent = t('visit.locationFinding');
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          upd((x) => (x.location = { lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy_m: pos.coords.accuracy }));
          drawLocation();
        },
        () => (status.textContent = t('visit.locationUnavailable')),
        { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
      );
    });
    const drop = d.location ? h('button', { type: 'button', class: 'btn secondary', onclick: () => { upd((x) => (x.location = null)); drawLocation(); } }, t('visit.locationRemove')) : null;
    locBox.append(h('h2', null, t('visit.location')), status, h('div', { class: 'row' }, btn, drop));
  }
  drawLocation();

  const el = h(
    'section',
    { class: 'view visit' },
    h('h1', null, r?.name || t('visit.unknownResident')),
    h('p', { class: 'sub' }, [r?.room || r?.address, t('visit.startedAt', { time: fmtTime(d.checked_in_at) }), d.identified_by === 'qr' ? t('visit.byQr') : t('visit.byList')].filter(Boolean).join(' · ')),
    errs.summary,
    h('form', { onsubmit: (e) => { e.preventDefault(); next(); } },
      choice('kind', t('visit.kind'), [['round', t('visit.kind.round')], ['home_visit', t('visit.kind.home_visit')]], d.kind,
        (v) => { upd((x) => (x.kind = v)); drawLocation(); }),
      h('fieldset', { class: 'obs' }, h('legend', null, t('visit.observations')), obs('living'), obs('emotional'), obs('physical'),
        field(t('visit.notes'), notes, { error: errs.for('observations') })),
      field(t('visit.service'), service, { error: errs.for('service_given') }),
      h('div', { class: 'check' }, h('label', null, follow, h('span', null, t('visit.followUp')))),
      locBox,
      h('div', { class: 'row actions' },
        h('button', { type: 'submit', class: 'btn big' }, t('visit.handOver'), icon('→')),
        h('button', { type: 'button', class: 'btn secondary', onclick: () => cancel() }, t('visit.cancel'))),
    ),
  );

  function next() {
    upd((x) => (x.step = 'rate'));
    app.go('rate');
  }

  async function cancel() {
    if (!confirm(t('visit.cancelConfirm'))) return;
    await app.discardDraft();
    app.go('');
  }

  return { el, title: t('visit.title') };
}
