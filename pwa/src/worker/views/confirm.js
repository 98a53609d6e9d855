// Back with the worker: check what will be saved, then save (IndexedDB first, then "saved").
import { h, svg, icon } from '../../lib/dom.js';
import { t, fmtTime } from '../../lib/i18n/index.js';
import { svgPath } from '../../lib/strokes.js';
import { draft, roster } from '../../state/index.js';
import { visitTasksSummary } from './visit-tasks.js';

export function signatureImage(sig, label) {
  if (!sig?.strokes?.length) return null;
  return svg(
    'svg',
    {
      viewBox: `0 0 ${sig.width} ${sig.height}`,
      class: 'sig-preview',
      role: 'img',
      'aria-label': label,
    },
    svg('path', { d: svgPath(sig), class: 'sig-path' }),
  );
}

export function visitSummary(visit, resident) {
  const observations = visit.observations;
  const obs = ['living', 'emotional', 'physical'].map(
    (k) =>
      `${t(`visit.obs.${k}`)}: ${observations[k] === 'ok' ? `✓ ${t('visit.ok')}` : `⚠ ${t('visit.concern')}`}`,
  );
  const signature = visit.signature;
  const signer = !signature
    ? '—'
    : signature.signer === 'resident'
      ? t('rate.signer.resident')
      : signature.signer === 'proxy'
        ? `${t('rate.signer.proxy')}: ${signature.signer_name}`
        : `${t('rate.signer.none')}: ${signature.reason}`;
  const rows = [
    [
      t('confirm.resident'),
      resident
        ? [resident.name, resident.room || resident.address].filter(Boolean).join(' · ')
        : '—',
    ],
    [t('visit.kind'), t(`visit.kind.${visit.kind}`)],
    [t('visit.observations'), obs.join('; ')],
    [t('visit.notes'), observations.notes || '—'],
    [t('visit.service'), visit.service_given || '—'],
    [t('visit.followUp'), visit.follow_up ? t('common.yes') : t('common.no')],
    [
      t('confirm.satisfaction'),
      visit.satisfaction ? t(`satisfaction.${visit.satisfaction}`) : t('confirm.noRating'),
    ],
    [t('rate.comment'), visit.feedback || '—'],
    [t('confirm.signer'), signer],
  ];
  if (visit.kind === 'home_visit')
    rows.push([
      t('visit.location'),
      visit.location
        ? t('visit.locationHave', { acc: Math.round(visit.location.accuracy_m) })
        : t('visit.locationNone'),
    ]);
  return h(
    'dl',
    { class: 'summary-list' },
    rows.map(([k, val]) => [h('dt', null, k), h('dd', null, val)]),
  );
}

/** Saving is the shell's app.saveVisit(): the outbox first, then "saved" and the roster. */
export function confirmView(app) {
  const visit = draft.current();
  if (!visit) return { redirect: '' };
  if (!visit.signature) return { redirect: 'rate' };
  const resident = roster.resident(visit.resident_id);
  const backTo = (step) => {
    draft.change({ step });
    app.go(step);
  };
  const save = h('button', { type: 'button', class: 'btn big' }, icon('✓'), t('confirm.save'));
  const err = h('p', { class: 'error', role: 'alert' });
  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      await app.saveVisit();
    } catch (e) {
      err.textContent = `⚠ ${t('confirm.saveFailed', { detail: e?.message || '' })}`;
      save.disabled = false;
    }
  });
  const el = h(
    'section',
    { class: 'view confirm' },
    h('h1', null, t('confirm.title')),
    h('p', { class: 'sub' }, t('confirm.started', { time: fmtTime(visit.checked_in_at) })),
    visitSummary(visit, resident),
    visitTasksSummary(visit),
    visit.case_contact
      ? h('p', { class: 'my-case-counted' }, `✓ ${t('myCases.visit.counted')}`)
      : null,
    signatureImage(visit.signature, t('confirm.signature')),
    err,
    h(
      'div',
      { class: 'row actions' },
      save,
      h(
        'button',
        { type: 'button', class: 'btn secondary', onclick: () => backTo('rate') },
        icon('←'),
        t('confirm.backToResident'),
      ),
      h(
        'button',
        { type: 'button', class: 'btn secondary', onclick: () => backTo('visit') },
        t('confirm.edit'),
      ),
    ),
  );
  return { el, title: t('confirm.title') };
}
