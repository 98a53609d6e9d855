// Group activities for the office (docs/activities.md): the list with its filters (dates,
// unit, type) and totals (activities, days with one, attendances, distinct residents,
// volunteers and their hours); one activity with its attendees, how each was recognised, its
// photos and the printable record; and the activity types (admins add, rename and retire).
// `#/activity` alone is the activity report (reports.js); with an id it is one activity.
import { h, field } from '../../lib/dom.js';
import { t, lang } from '../../lib/i18n/index.js';
import {
  client,
  screen,
  table,
  pager,
  problemLine,
  openPrintable,
  authImage,
  fmtDateTime,
  fillUnitFilter,
  filterSet,
} from '../ui.js';
import { session } from '../../state/index.js';

let listFilters = null;

export const typeLabel = (row) => (lang() === 'zh-CN' ? row.type_name_zh : row.type_name_en);

/** `#/activity/<id>`: one activity; `#/activity`: the activity report, as before (its code
 * is loaded into a holder, so this screen's code does not carry the reports'). */
export function activityRouteView(app, params) {
  if (params[0]) return activityDetailView(app, params[0]);
  const el = h('div', { class: 'activity-report-holder' });
  let inner = null;
  let gone = false;
  import('./reports.js').then(({ activityView }) => {
    if (gone) return;
    inner = activityView(app, params);
    el.replaceChildren(inner.el);
    inner.focus?.();
  });
  return {
    el,
    title: t('activity.title'),
    destroy() {
      gone = true;
      inner?.destroy?.();
    },
  };
}

function totalsBox(totals) {
  const stat = (key, n) =>
    h(
      'div',
      { class: 'stat' },
      h('span', { class: 'stat-n' }, String(n)),
      h('span', { class: 'stat-label' }, t(`activities.total.${key}`)),
    );
  return h(
    'div',
    { class: 'stats activity-totals', role: 'group', 'aria-label': t('activities.totals') },
    stat('activities', totals.activities),
    stat('days', totals.days),
    stat('attendances', totals.attendances),
    stat('residents', totals.residents),
    stat('volunteers', totals.volunteers),
    stat('volunteer_hours', totals.volunteer_hours),
  );
}

/** `#/activities`: the list, its filters and totals. */
export function activitiesView(app) {
  const api = client();
  const filters = (listFilters ||= { unit: '', type: '', from: '', to: '', page: 1 });
  const units = [];
  const unitBox = h('div');
  const typeSel = h('select', null, h('option', { value: '' }, t('activities.anyType')));
  const { refilter } = filterSet(filters, () => view.reload());
  typeSel.addEventListener('change', () => refilter({ type: typeSel.value }));
  const dateInput = (key) => {
    const input = h('input', { type: 'date', value: filters[key] });
    input.addEventListener('change', () => refilter({ [key]: input.value }));
    return input;
  };
  const controls = h(
    'div',
    { class: 'row filters' },
    unitBox,
    field(t('activities.type'), typeSel),
    field(t('office.from'), dateInput('from')),
    field(t('office.to'), dateInput('to')),
    session.isAdmin()
      ? h('a', { class: 'btn secondary small', href: '#/activity-types' }, t('activities.types'))
      : null,
  );
  const view = screen(app, t('activities.title'), { intro: t('activities.intro'), controls });
  let typesLoaded = false;

  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    if (!typesLoaded) {
      const types = await fresh(api.get('/api/v1/activity-types'));
      typeSel.append(
        ...types.map((x) =>
          h('option', { value: x.code }, lang() === 'zh-CN' ? x.name_zh : x.name_en),
        ),
      );
      typeSel.value = filters.type;
      typesLoaded = true;
    }
    const answer = await fresh(
      api.get('/api/v1/activities', {
        unit_id: filters.unit || undefined,
        ...(filters.office ? { office_id: filters.office } : {}),
        type_code: filters.type || undefined,
        from: filters.from || undefined,
        to: filters.to || undefined,
        page: filters.page,
        per_page: 50,
      }),
    );
    view.body.replaceChildren(
      totalsBox(answer.totals),
      answer.items.length
        ? table(
            t('activities.listTitle'),
            [
              {
                label: t('activities.titleCol'),
                cell: (x) => h('a', { href: `#/activity/${x.id}` }, x.title),
              },
              { label: t('activities.type'), cell: typeLabel },
              { label: t('activities.when'), cell: (x) => fmtDateTime(x.started_at) },
              { label: t('office.unit'), cell: (x) => x.unit_name },
              {
                label: t('activities.attendeesCol'),
                num: true,
                cell: (x) => String(x.attendee_count),
              },
              { label: t('activities.photosCol'), num: true, cell: (x) => String(x.photo_count) },
            ],
            answer.items,
          )
        : h('p', { class: 'note' }, t('activities.none')),
      pager(
        answer,
        (p) => {
          filters.page = p;
          view.reload();
        },
        t('activities.title'),
      ),
    );
  });
  return { el: view.el, title: t('activities.title'), destroy: view.destroy };
}

/** One activity: what, when, who came and how each was recognised, photos, print. */
function activityDetailView(app, id) {
  const api = client();
  const view = screen(app, t('activities.activityTitle'));
  const heading = view.el.querySelector('h1');
  const problem = problemLine();
  view.start(async (fresh) => {
    const a = await fresh(api.get(`/api/v1/activities/${id}`));
    heading.textContent = a.title;
    const hours = (a.volunteers || []).reduce((sum, v) => sum + Number(v.hours || 0), 0);
    view.body.replaceChildren(
      h(
        'p',
        { class: 'row' },
        h('a', { class: 'btn secondary small', href: '#/activities' }, '‹ ', t('activities.back')),
        h(
          'button',
          {
            type: 'button',
            class: 'btn small',
            onclick: () => openPrintable(api, `/api/v1/activities/${id}/print`, {}, problem),
          },
          t('activities.print'),
        ),
      ),
      problem.el,
      h(
        'dl',
        { class: 'summary-list activity-facts' },
        h('dt', null, t('activities.type')),
        h('dd', null, typeLabel(a)),
        h('dt', null, t('activities.when')),
        h(
          'dd',
          null,
          fmtDateTime(a.started_at),
          a.minutes ? ` · ${t('activities.minutes', { n: a.minutes })}` : '',
        ),
        h('dt', null, t('office.unit')),
        h('dd', null, a.unit_name),
        h('dt', null, t('activities.place')),
        h('dd', null, a.place || '—'),
        h('dt', null, t('activities.organisers')),
        h(
          'dd',
          null,
          (a.organisers || []).map((o) => o.display_name).join(t('office.listSep')) || '—',
        ),
        h('dt', null, t('activities.volunteers')),
        h(
          'dd',
          null,
          (a.volunteers || []).length
            ? `${a.volunteers.map((v) => `${v.name} (${v.hours} h)`).join(t('office.listSep'))} · ${t('activities.hoursTotal', { n: hours })}`
            : '—',
        ),
        h('dt', null, t('activities.description')),
        h('dd', null, a.description || '—'),
        h('dt', null, t('activities.recordedBy')),
        h('dd', null, a.created_by?.display_name || '—'),
      ),
      h('h2', null, t('activities.attendees', { n: a.attendees.length })),
      h(
        'ul',
        { class: 'activity-attendees' },
        a.attendees.map((x) =>
          h(
            'li',
            null,
            h('a', { href: `#/resident/${x.resident_id}` }, x.name),
            x.room ? ` · ${x.room}` : '',
            ` · ${t(`activities.by.${x.identified_by}`)}`,
          ),
        ),
      ),
      h('h2', null, t('activities.photos', { n: a.photos.length })),
      a.photos.length
        ? h(
            'div',
            { class: 'activity-photos' },
            a.photos.map((p) =>
              h(
                'figure',
                null,
                authImage(api, p.url, p.caption || a.title, 'activity-photo'),
                p.caption ? h('figcaption', null, p.caption) : null,
              ),
            ),
          )
        : h('p', { class: 'note' }, t('activities.noPhotos')),
    );
  });
  return { el: view.el, title: t('activities.activityTitle'), destroy: view.destroy };
}

/** `#/activity-types` (admins): add a type, rename one, retire or bring one back. */
export function activityTypesView(app) {
  const api = client();
  const view = screen(app, t('activities.typesTitle'), {
    intro: t('activities.typesIntro'),
    controls: h(
      'p',
      { class: 'row' },
      h('a', { class: 'btn secondary small', href: '#/activities' }, '‹ ', t('activities.title')),
    ),
  });

  function typeForm(kind) {
    const code = h('input', {
      type: 'text',
      maxlength: 40,
      pattern: '[a-z][a-z0-9_]*',
      value: kind?.code || '',
      disabled: Boolean(kind),
      required: true,
    });
    const en = h('input', {
      type: 'text',
      maxlength: 80,
      value: kind?.name_en || '',
      required: true,
    });
    const zh = h('input', {
      type: 'text',
      maxlength: 80,
      value: kind?.name_zh || '',
      required: true,
    });
    const active = h('input', { type: 'checkbox', checked: kind ? kind.active : true });
    const msg = problemLine();
    const label = kind ? `${kind.name_zh} ${kind.name_en}` : t('activities.typeNew');
    return h(
      'li',
      { class: 'card activity-type-card' },
      h(
        'form',
        {
          'aria-label': label,
          onsubmit: async (e) => {
            e.preventDefault();
            try {
              await api.send(
                'PUT',
                `/api/v1/activity-types/${encodeURIComponent(code.value.trim())}`,
                {
                  name_en: en.value.trim(),
                  name_zh: zh.value.trim(),
                  active: active.checked,
                },
              );
              app.toast(t('activities.typeSaved'));
              view.reload();
            } catch (err) {
              msg.show(err);
            }
          },
        },
        kind
          ? h(
              'p',
              { class: 'card-title' },
              label,
              kind.builtin ? ` · ${t('activities.builtin')}` : '',
            )
          : null,
        field(t('activities.typeCode'), code, { hint: kind ? null : t('activities.typeCodeHint') }),
        field(t('activities.nameEn'), en),
        field(t('activities.nameZh'), zh),
        h('label', { class: 'check' }, active, ' ', t('activities.typeActive')),
        msg.el,
        h(
          'button',
          { type: 'submit', class: 'btn small' },
          kind ? t('activities.typeSave') : t('activities.typeAdd'),
        ),
      ),
    );
  }

  view.start(async (fresh) => {
    const types = await fresh(api.get('/api/v1/activity-types'));
    view.body.replaceChildren(
      h('h2', null, t('activities.typeNew')),
      h('ul', { class: 'cards' }, typeForm(null)),
      h('h2', null, t('activities.types')),
      h(
        'ul',
        { class: 'cards' },
        types.map((x) => typeForm(x)),
      ),
    );
  });
  return { el: view.el, title: t('activities.typesTitle'), destroy: view.destroy };
}
