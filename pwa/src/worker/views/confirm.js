// Back with the worker: check what will be saved, then save (IndexedDB first, then "saved").
import { h, svg, icon } from '../../lib/dom.js';
import { t, fmtTime } from '../../lib/i18n/index.js';
import { svgPath } from '../../lib/strokes.js';

export function signatureImage(sig, label) {
  if (!sig?.strokes?.length) return null;
  return svg('svg', { viewBox: `0 0 ${sig.width} ${sig.height}`, class: 'sig-preview', role: 'img', 'aria-label': label },
    svg('path', { d: svgPath(sig), class: 'sig-path' }));
}

export function visitSummary(v, resident) {
  const o = v.observations;
  const obs = ['living', 'emotional', 'physical'].map((k) => `${t(`visit.obs.${k}`)}: ${o[k] === 'ok' ? `✓ ${t('visit.ok')}` : `⚠ ${t('visit.concern')}`}`);
  const s = v.signature;
  const signer = !s ? '—'
    : s.signer === 'resident' ? t('rate.signer.resident')
    : s.signer === 'proxy' ? `${t('rate.signer.proxy')}: ${s.signer_name}`
    : `${t('rate.signer.none')}: ${s.reason}`;
  const rows = [
    [t('confirm.resident'), resident ? [resident.name, resident.room || resident.address].filter(Boolean).join(' · ') : '—'],
    [t('visit.kind'), t(`visit.kind.${v.kind}`)],
    [t('visit.observations'), obs.join('; ')],
    [t('visit.notes'), o.notes || '—'],
    [t('visit.service'), v.service_given || '—'],
    [t('visit.followUp'), v.follow_up ? t('common.yes') : t('common.no')],
    [t('confirm.satisfaction'), v.satisfaction ? t(`satisfaction.${v.satisfaction}`) : t('confirm.noRating')],
    [t('rate.comment'), v.feedback || '—'],
    [t('confirm.signer'), signer],
  ];
  if (v.kind === 'home_visit') rows.push([t('visit.location'), v.location ? t('visit.locationHave', { acc: Math.round(v.location.accuracy_m) }) : t('visit.locationNone')]);
  return h('dl', { class: 'summary-list' }, rows.map(([k, val]) => [h('dt', null, k), h('dd', null, val)]));
}

export function confirmView(app) {
  const d = app.draft;
  if (!d) return { redirect: '' };
  if (!d.signature) return { redirect: 'rate' };
  const r = app.byId.get(d.resident_id);
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
    h('p', { class: 'sub' }, t('confirm.started', { time: fmtTime(d.checked_in_at) })),
    visitSummary(d, r),
    signatureImage(d.signature, t('confirm.signature')),
    err,
    h('div', { class: 'row actions' },
      save,
      h('button', { type: 'button', class: 'btn secondary', onclick: () => { d.step = 'rate'; app.saveDraft(); app.go('rate'); } }, icon('←'), t('confirm.backToResident')),
      h('button', { type: 'button', class: 'btn secondary', onclick: () => { d.step = 'visit'; app.saveDraft(); app.go('visit'); } }, t('confirm.edit'))),
  );
  return { el, title: t('confirm.title') };
}
