// Administration: residents (add, edit, discharge, care level, home location), units, staff
// (create, units, reset password, deactivate), coverage policies, label sheets.
import { h, field, append } from '../../lib/dom.js';
import { careLevelName, t } from '../../lib/i18n/index.js';
import { formErrors, requiredLegend } from '../../lib/form-errors.js';
import {
  client,
  screen,
  table,
  pager,
  unitSelect,
  problemLine,
  openPrintable,
  errorText,
} from '../ui.js';
import { session } from '../../state/index.js';
import { ruleControls } from '../coverage-rules.js';
import { organisations, reachedOffices } from '../offices.js';

const TABS = ['residents', 'units', 'staff', 'policies'];

export function adminView(app, [tab = 'residents', id]) {
  const api = client();
  if (!TABS.includes(tab)) tab = 'residents';
  const nav = h(
    'nav',
    { class: 'row tabs', 'aria-label': t('admin.title') },
    TABS.map((k) =>
      h(
        'a',
        {
          class: 'btn secondary small',
          href: `#/admin/${k}`,
          'aria-current': k === tab ? 'page' : null,
        },
        t(`admin.tab.${k}`),
      ),
    ),
    session.isAdmin()
      ? h('a', { class: 'btn secondary small', href: '#/task-rules' }, t('taskRules.title'))
      : null,
  );
  const view = screen(app, t('admin.title'), { controls: nav });
  const draw = { residents: residentsTab, units: unitsTab, staff: staffTab, policies: policiesTab }[
    tab
  ];
  view.start((fresh) => draw(app, api, view, id, fresh));
  return {
    el: view.el,
    title: `${t(`admin.tab.${tab}`)} · ${t('admin.title')}`,
    destroy: view.destroy,
  };
}

/** What the form says of a field left empty before asking the server. */
const REQUIRED = { code: 'required' };
const input = (value, props = {}) => h('input', { type: 'text', value: value ?? '', ...props });
const num = (v) => (v === '' || v === null || v === undefined ? null : Number(v));
/** The residents tab's filters, kept while the app stays open. */
let residentFilters = null;

async function residentsTab(app, api, view, id, fresh) {
  const units = await fresh(api.get('/api/v1/units'));
  const filters = (residentFilters ||= { unit: '', q: '', status: 'active', page: 1 });
  if (id) {
    const [policies, resident] = await Promise.all([
      fresh(api.get('/api/v1/coverage/policies')),
      id === 'new' ? null : fresh(api.get(`/api/v1/residents/${id}`)),
    ]);
    const levels = policies.care_levels.map((rule) => rule.care_level);
    return residentForm(app, api, view, { units, levels }, resident);
  }
  const found = await fresh(
    api.get('/api/v1/residents', {
      unit_id: filters.unit,
      q: filters.q,
      status: filters.status,
      page: filters.page,
      per_page: 50,
    }),
  );
  const names = new Map(units.map((u) => [u.id, u.name]));
  const q = input(filters.q, { type: 'search' });
  const statusSel = h(
    'select',
    {
      onchange: (e) => {
        filters.status = e.target.value;
        filters.page = 1;
        view.reload();
      },
    },
    ['active', 'discharged', 'deceased'].map((v) =>
      h('option', { value: v }, t(`admin.status.${v}`)),
    ),
  );
  statusSel.value = filters.status;
  const problem = problemLine();
  const layout = h(
    'select',
    null,
    h('option', { value: 'small' }, t('labels.small')),
    h('option', { value: 'large' }, t('labels.large')),
  );
  let labelUnit = filters.unit || units[0]?.id || '';
  view.body.replaceChildren(
    h(
      'div',
      { class: 'row' },
      h('a', { class: 'btn', href: '#/admin/residents/new' }, t('admin.addResident')),
    ),
    h(
      'form',
      {
        class: 'row filters',
        onsubmit: (e) => {
          e.preventDefault();
          filters.q = q.value.trim();
          filters.page = 1;
          view.reload();
        },
      },
      field(t('admin.search'), q),
      field(
        t('office.unit'),
        unitSelect(units, filters.unit, (v) => {
          filters.unit = v;
          filters.page = 1;
          view.reload();
        }),
      ),
      field(t('admin.status'), statusSel),
      h('button', { type: 'submit', class: 'btn secondary' }, t('admin.find')),
    ),
    table(
      t('admin.tab.residents'),
      [
        {
          label: t('office.resident'),
          cell: (r) => h('a', { href: `#/resident/${r.id}` }, r.name),
        },
        { label: t('office.unit'), cell: (r) => names.get(r.unit_id) || '—' },
        { label: t('admin.room'), cell: (r) => r.room || r.address || '—' },
        { label: t('admin.careLevel'), cell: (r) => careLevelName(r.care_level) },
        { label: t('admin.status'), cell: (r) => t(`admin.status.${r.status}`) },
        {
          label: t('activity.action'),
          cell: (r) =>
            h(
              'a',
              {
                class: 'btn secondary small',
                href: `#/admin/residents/${r.id}`,
                'aria-label': t('admin.editFor', { name: r.name }),
              },
              t('admin.edit'),
            ),
        },
      ],
      found.items,
    ),
    pager(
      found,
      (p) => {
        filters.page = p;
        view.reload();
      },
      t('admin.tab.residents'),
    ),
    h('h2', null, t('labels.title')),
    h(
      'div',
      { class: 'row' },
      field(
        t('labels.unit'),
        unitSelect(units, labelUnit, (v) => (labelUnit = v), { all: false }),
      ),
      field(t('labels.layout'), layout),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: () =>
            openPrintable(
              api,
              '/api/v1/labels',
              { unit_id: labelUnit, layout: layout.value },
              problem,
            ),
        },
        t('labels.print'),
      ),
    ),
    problem.el,
  );
}

/** A choice among the care levels the rules define (a typo would silently mean the default). */
function careLevelSelect(levels, value) {
  const known = value && !levels.includes(value) ? [...levels, value] : levels;
  const select = h(
    'select',
    null,
    h('option', { value: '' }, t('admin.careLevelNone')),
    known.map((level) => h('option', { value: level }, careLevelName(level))),
  );
  select.value = value || '';
  return select;
}

function residentForm(app, api, view, { units, levels }, resident) {
  const values = resident || { unit_id: units[0]?.id, status: 'active' };
  const fields = {
    name: input(values.name, { required: true, maxlength: 200 }),
    unit: unitSelect(units, values.unit_id, () => {}, { all: false }),
    sex: h(
      'select',
      null,
      h('option', { value: '' }, '—'),
      ['female', 'male', 'other'].map((x) => h('option', { value: x }, t(`admin.sex.${x}`))),
    ),
    birth_year: input(values.birth_year, {
      type: 'number',
      min: 1900,
      max: 2100,
      inputmode: 'numeric',
    }),
    room: input(values.room),
    address: input(values.address),
    phone: input(values.phone, { type: 'tel' }),
    care_level: careLevelSelect(levels, values.care_level),
    home_lat: input(values.home_lat, { type: 'number', step: 'any' }),
    home_lon: input(values.home_lon, { type: 'number', step: 'any' }),
    status: h(
      'select',
      null,
      ['active', 'discharged', 'deceased'].map((x) =>
        h('option', { value: x }, t(`admin.status.${x}`)),
      ),
    ),
  };
  fields.sex.value = values.sex || '';
  fields.status.value = values.status || 'active';
  const followUp = dischargeFollowUp(resident, fields.status);
  const msg = problemLine();
  const errors = formErrors({
    controls: { ...fields, unit_id: fields.unit },
    top: msg.el,
    general: errorText,
  });
  view.el.querySelector('h1').textContent = resident
    ? t('admin.editResident', { name: resident.name })
    : t('admin.addResident');
  view.body.replaceChildren(
    h(
      'form',
      {
        class: 'admin-form',
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          if (!fields.name.value.trim()) return errors.show({ codes: { name: [REQUIRED] } });
          const body = {
            name: fields.name.value.trim(),
            unit_id: fields.unit.value,
            sex: fields.sex.value || null,
            birth_year: num(fields.birth_year.value),
            room: fields.room.value.trim() || null,
            address: fields.address.value.trim() || null,
            phone: fields.phone.value.trim() || null,
            care_level: fields.care_level.value || null,
            home_lat: num(fields.home_lat.value),
            home_lon: num(fields.home_lon.value),
          };
          if (resident) body.status = fields.status.value;
          const follow = followUp.value();
          if (follow) body.follow_up = follow;
          try {
            const saved = await api.send(
              resident ? 'PATCH' : 'POST',
              resident ? `/api/v1/residents/${resident.id}` : '/api/v1/residents',
              body,
            );
            app.toast(t('admin.saved', { name: saved.name }));
            app.go(`resident/${saved.id}`);
          } catch (err) {
            errors.show(err);
          }
        },
      },
      msg.el,
      requiredLegend(),
      field(t('admin.personName'), fields.name, { required: true }),
      field(t('office.unit'), fields.unit, { required: true }),
      field(t('admin.sex'), fields.sex),
      field(t('admin.birthYear'), fields.birth_year),
      field(t('admin.room'), fields.room),
      field(t('admin.address'), fields.address),
      field(t('admin.phone'), fields.phone),
      field(t('admin.careLevel'), fields.care_level, { hint: t('admin.careLevelHint') }),
      h(
        'fieldset',
        null,
        h('legend', null, t('admin.home')),
        h(
          'div',
          { class: 'row' },
          field(t('admin.lat'), fields.home_lat),
          field(t('admin.lon'), fields.home_lon),
        ),
      ),
      resident ? field(t('admin.status'), fields.status, { hint: t('admin.statusHint') }) : null,
      followUp.el,
      h(
        'div',
        { class: 'row actions' },
        h('button', { type: 'submit', class: 'btn big' }, t('admin.save')),
        h('a', { class: 'btn secondary', href: '#/admin/residents' }, t('common.cancel')),
      ),
    ),
  );
}

/**
 * Discharging a resident in care can open a follow-up task ("call in 7 days") that stays with
 * its holder after the resident leaves the roster. Shown only while the status is set to
 * discharged for a resident now in care; `value()` is the request's `follow_up`, or null.
 */
function dischargeFollowUp(resident, status) {
  const open = h('input', { type: 'checkbox', checked: true });
  const title = input(t('admin.dischargeTaskTitle'), { maxlength: 200 });
  const days = input('7', { type: 'number', min: 0, max: 90, inputmode: 'numeric' });
  const el = h(
    'fieldset',
    { class: 'discharge-follow-up', hidden: true },
    h('legend', null, t('admin.dischargeFollowUp')),
    h('label', { class: 'check' }, open, ' ', t('admin.dischargeOpenTask')),
    field(t('admin.dischargeTaskTitleLabel'), title),
    field(t('admin.dischargeDueInDays'), days),
  );
  const applies = () => resident?.status === 'active' && status.value === 'discharged';
  status.addEventListener('change', () => {
    el.hidden = !applies();
  });
  return {
    el,
    value: () =>
      applies() && open.checked
        ? {
            title: title.value.trim() || t('admin.dischargeTaskTitle'),
            due_in_days: num(days.value) ?? 7,
          }
        : null,
  };
}

async function unitsTab(app, api, view, id, fresh) {
  const [units, offices] = await fresh(Promise.all([api.get('/api/v1/units'), reachedOffices()]));
  const admin = session.isAdmin();
  const officeNames = new Map(offices.map((o) => [o.id, o.name]));
  // A unit goes to the office chosen; one who reaches a single office never names it.
  const office = h(
    'select',
    null,
    offices.map((o) => h('option', { value: o.id }, o.name)),
  );
  const name = input('', { maxlength: 200 });
  const kind = h(
    'select',
    null,
    h('option', { value: 'ward' }, t('admin.kind.ward')),
    h('option', { value: 'area' }, t('admin.kind.area')),
  );
  const msg = problemLine();
  const errors = formErrors({
    controls: { name, kind, office_id: office },
    top: msg.el,
    general: errorText,
  });
  const renameErrors = formErrors({ top: msg.el, general: errorText });
  const rename = (u) => async () => {
    const n = prompt(t('admin.renamePrompt', { name: u.name }), u.name);
    if (!n || !n.trim() || n.trim() === u.name) return;
    try {
      await api.send('PATCH', `/api/v1/units/${u.id}`, { name: n.trim(), kind: u.kind });
      view.reload();
    } catch (err) {
      renameErrors.show(err);
    }
  };
  view.body.replaceChildren(
    table(
      t('admin.tab.units'),
      [
        { label: t('admin.name'), cell: (u) => u.name },
        { label: t('admin.kind'), cell: (u) => t(`admin.kind.${u.kind}`) },
        offices.length > 1
          ? { label: t('levels.office'), cell: (u) => officeNames.get(u.office_id) || '—' }
          : null,
        admin
          ? {
              label: t('activity.action'),
              cell: (u) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn secondary small',
                    'aria-label': t('admin.renameFor', { name: u.name }),
                    onclick: rename(u),
                  },
                  t('admin.rename'),
                ),
            }
          : null,
      ].filter(Boolean),
      units,
    ),
    admin
      ? h('h2', null, t('admin.addUnit'))
      : h('p', { class: 'note' }, t('admin.unitsAdminOnly')),
    admin && requiredLegend(),
    msg.el,
    admin &&
      h(
        'form',
        {
          class: 'row',
          novalidate: true,
          onsubmit: async (e) => {
            e.preventDefault();
            if (!name.value.trim()) return errors.show({ codes: { name: [REQUIRED] } });
            try {
              await api.send('POST', '/api/v1/units', {
                name: name.value.trim(),
                kind: kind.value,
                ...(offices.length > 1 ? { office_id: office.value } : {}),
              });
              app.toast(t('admin.saved', { name: name.value.trim() }));
              view.reload();
            } catch (err) {
              errors.show(err);
            }
          },
        },
        field(t('admin.name'), name, { required: true }),
        field(t('admin.kind'), kind, { required: true }),
        offices.length > 1 ? field(t('levels.office'), office, { required: true }) : null,
        h('button', { type: 'submit', class: 'btn' }, t('admin.addUnit')),
      ),
  );
}

async function staffTab(app, api, view, id, fresh) {
  const [users, units, orgs] = await fresh(
    Promise.all([api.get('/api/v1/users'), api.get('/api/v1/units'), organisations()]),
  );
  const reached = orgs.filter((o) => o.reached);
  const msg = problemLine();
  const admin = session.isAdmin();
  if (id && !admin) {
    view.body.replaceChildren(
      h('p', { class: 'note' }, t('admin.staffAdminOnly')),
      h('a', { class: 'btn secondary', href: '#/admin/staff' }, t('admin.tab.staff')),
    );
    return;
  }
  if (id) {
    const user = id === 'new' ? null : users.find((x) => x.id === id);
    const fields = {
      username: input(user?.username, {
        autocomplete: 'off',
        disabled: Boolean(user),
        autocapitalize: 'none',
      }),
      display_name: input(user?.display_name),
      phone: input(user?.phone, { type: 'tel' }),
      role: h(
        'select',
        null,
        ['worker', 'supervisor', 'admin', 'inspector'].map((r) =>
          h('option', { value: r }, t(`admin.role.${r}`)),
        ),
      ),
      password: h('input', { type: 'password', autocomplete: 'new-password', minlength: 8 }),
      active: h('input', { type: 'checkbox', checked: user ? user.active : true }),
      // Where the person works; none chosen: their units' office, else one's own (the server).
      organisation_id: h(
        'select',
        { disabled: Boolean(user) },
        h('option', { value: '' }, t('levels.placeByUnits')),
        reached.map((o) =>
          h('option', { value: o.id }, `${o.name} · ${t(`levels.kind.${o.kind}`)}`),
        ),
      ),
    };
    fields.organisation_id.value = user?.organisation_id || '';
    fields.role.value = user?.role || 'worker';
    const chosen = new Set(user?.unit_ids || []);
    const unitBox = h('fieldset', null, h('legend', null, t('admin.units')));
    const errors = formErrors({
      controls: { ...fields, unit_ids: unitBox },
      top: msg.el,
      general: errorText,
    });
    view.el.querySelector('h1').textContent = user
      ? user.display_name || user.username
      : t('admin.addStaff');
    view.body.replaceChildren(
      h(
        'form',
        {
          class: 'admin-form',
          novalidate: true,
          onsubmit: async (e) => {
            e.preventDefault();
            const body = {
              display_name: fields.display_name.value.trim(),
              phone: fields.phone.value.trim() || null,
              role: fields.role.value,
              unit_ids: [...chosen],
              active: fields.active.checked,
            };
            if (fields.password.value) body.password = fields.password.value;
            if (!user) body.username = fields.username.value.trim();
            if (!user && fields.organisation_id.value)
              body.organisation_id = fields.organisation_id.value;
            try {
              await api.send(
                user ? 'PATCH' : 'POST',
                user ? `/api/v1/users/${user.id}` : '/api/v1/users',
                body,
              );
              app.toast(
                t('admin.saved', { name: body.display_name || body.username || user?.username }),
              );
              app.go('admin/staff');
            } catch (err) {
              errors.show(err);
            }
          },
        },
        msg.el,
        requiredLegend(),
        field(t('login.username'), fields.username, { required: !user }),
        field(t('admin.displayName'), fields.display_name, { required: true }),
        field(t('admin.phone'), fields.phone),
        field(t('admin.role'), fields.role, { required: true }),
        reached.length > 1 || user ? field(t('levels.organisation'), fields.organisation_id) : null,
        append(
          unitBox,
          units.map((x) =>
            h(
              'div',
              { class: 'check' },
              h(
                'label',
                null,
                h('input', {
                  type: 'checkbox',
                  checked: chosen.has(x.id),
                  onchange: (e) => (e.target.checked ? chosen.add(x.id) : chosen.delete(x.id)),
                }),
                h('span', null, x.name),
              ),
            ),
          ),
        ),
        field(user ? t('admin.resetPassword') : t('login.password'), fields.password, {
          hint: user ? t('admin.resetHint') : null,
          required: !user,
        }),
        h(
          'div',
          { class: 'check' },
          h('label', null, fields.active, h('span', null, t('admin.active'))),
        ),
        h(
          'div',
          { class: 'row actions' },
          h('button', { type: 'submit', class: 'btn big' }, t('admin.save')),
          h('a', { class: 'btn secondary', href: '#/admin/staff' }, t('common.cancel')),
        ),
      ),
    );
    return;
  }
  view.body.replaceChildren(
    admin
      ? h(
          'div',
          { class: 'row' },
          h('a', { class: 'btn', href: '#/admin/staff/new' }, t('admin.addStaff')),
        )
      : h('p', { class: 'note' }, t('admin.staffAdminOnly')),
    table(
      t('admin.tab.staff'),
      [
        { label: t('admin.displayName'), cell: (u) => `${u.display_name || ''} (${u.username})` },
        { label: t('admin.role'), cell: (u) => t(`admin.role.${u.role}`) },
        {
          label: t('admin.units'),
          cell: (u) => (u.units || []).map((x) => x.name).join(', ') || '—',
        },
        {
          label: t('admin.active'),
          cell: (u) => (u.active ? `✓ ${t('common.yes')}` : `✗ ${t('common.no')}`),
        },
        admin
          ? {
              label: t('activity.action'),
              cell: (u) =>
                h(
                  'a',
                  {
                    class: 'btn secondary small',
                    href: `#/admin/staff/${u.id}`,
                    'aria-label': t('admin.editFor', { name: u.username }),
                  },
                  t('admin.edit'),
                ),
            }
          : null,
      ].filter(Boolean),
      users,
    ),
  );
}

async function policiesTab(app, api, view, id, fresh) {
  const policies = await fresh(api.get('/api/v1/coverage/policies'));
  const msg = problemLine();
  // Every office shares these rules: only the city's admin replaces them.
  const orgs = await fresh(organisations());
  const own = session.current()?.user?.organisation_id;
  const admin = session.isAdmin() && orgs.some((o) => o.kind === 'city' && o.id === own);
  const controls = {};
  const errors = formErrors({ controls, top: msg.el, general: errorText });
  const rule = (r, extra) => ruleControls(r, extra); // a week's, a month's, a year's, every N days
  const def = rule(policies.default);
  const levels = policies.care_levels.map((c) => rule(c, input(c.care_level)));
  const levelBox = h('div');
  const drawLevels = () =>
    levelBox.replaceChildren(
      ...levels.map((l, i) =>
        h(
          'div',
          { class: 'row policy' },
          field(t('admin.careLevel'), l.extra, { required: true }),
          l.reqField,
          field(t('admin.period'), l.per, { required: true }),
          l.everyField,
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary small',
              'aria-label': t('admin.removeLevel', { n: i + 1 }),
              onclick: () => {
                levels.splice(i, 1);
                drawLevels();
              },
            },
            t('admin.remove'),
          ),
        ),
      ),
    );
  drawLevels();
  view.body.replaceChildren(
    h(
      'form',
      {
        class: 'admin-form',
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          const sent = levels.filter((l) => l.extra.value.trim());
          const body = {
            default: def.read(),
            care_levels: sent.map((l) => ({ care_level: l.extra.value.trim(), ...l.read() })),
            residents: policies.residents,
          };
          // The server names a rule by its place in what was sent.
          Object.assign(controls, { 'default.required': def.req, 'default.period': def.per });
          controls['default.every_days'] = def.every;
          sent.forEach((l, i) =>
            Object.assign(controls, {
              [`care_levels.${i}.care_level`]: l.extra,
              [`care_levels.${i}.required`]: l.req,
              [`care_levels.${i}.period`]: l.per,
              [`care_levels.${i}.every_days`]: l.every,
            }),
          );
          try {
            await api.send('PUT', '/api/v1/coverage/policies', body);
            app.toast(t('admin.policiesSaved'));
            view.reload();
          } catch (err) {
            errors.show(err);
          }
        },
      },
      h('p', { class: 'note' }, t('admin.policiesIntro')),
      msg.el,
      admin ? requiredLegend() : null,
      h(
        'fieldset',
        { disabled: !admin },
        h('legend', null, t('admin.default')),
        h(
          'div',
          { class: 'row' },
          def.reqField,
          field(t('admin.period'), def.per, { required: true }),
          def.everyField,
        ),
      ),
      h(
        'fieldset',
        { disabled: !admin },
        h('legend', null, t('admin.byCareLevel')),
        levelBox,
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            onclick: () => {
              levels.push(rule({ required: 2, period: 'week' }, input('')));
              drawLevels();
            },
          },
          t('admin.addLevel'),
        ),
      ),
      h('p', { class: 'note' }, t('admin.residentRules', { n: policies.residents.length })),
      admin
        ? h('button', { type: 'submit', class: 'btn big' }, t('admin.save'))
        : h('p', { class: 'note' }, t('admin.adminOnly')),
    ),
  );
}
