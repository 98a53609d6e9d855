// Reception days (每月老年社会服务接待日) at the office desk: the days with the people received
// by kind and outcome and the month's rule (#/reception), and one day with the people received
// and a form to add one (#/reception/<id>): a resident picked from the roster, a family member
// or a member of the public.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { today } from '../../lib/dates.js';
import { formErrors } from '../../lib/form-errors.js';
import { client, screen, table, pager, unitSelect, fmtDay } from '../ui.js';
import { officeRulesStrip } from '../office-rules.js';
import { session } from '../../state/index.js';

export const VISITOR_KINDS = ['resident', 'family', 'public'];
export const OUTCOMES = ['resolved', 'referred', 'pending'];

export function receptionView(app, [id]) {
  return id ? dayView(app, id) : daysView(app);
}

/** "3 received: 1 resident, 1 family, 1 public" for a day's (or the list's) counts. */
export function countsLine(counts) {
  if (!counts?.total) return t('reception.noneReceived');
  const kinds = VISITOR_KINDS.filter((k) => counts[k]).map((k) =>
    t(`reception.kindCount.${k}`, { n: counts[k] }),
  );
  return t('reception.received', { n: counts.total, kinds: kinds.join(t('reception.sep')) });
}

function daysView(app) {
  const api = client();
  const filters = { unit: '', page: 1 };
  const units = [];
  const unitBox = h('div');
  const view = screen(app, t('reception.title'), {
    intro: t('reception.intro'),
    controls: h('div', { class: 'row filters' }, unitBox),
  });
  view.start(async (fresh) => {
    if (!units.length) {
      units.push(...(await fresh(api.get('/api/v1/units'))));
      unitBox.replaceChildren(
        field(
          t('office.unit'),
          unitSelect(units, filters.unit, (v) => {
            filters.unit = v;
            filters.page = 1;
            view.reload();
          }),
        ),
      );
    }
    const days = await fresh(
      api.get('/api/v1/reception-days', {
        unit_id: filters.unit,
        page: filters.page,
        per_page: 20,
      }),
    );
    view.body.replaceChildren(
      officeRulesStrip(api, today().slice(0, 7), filters.unit),
      newDayForm(app, api, units),
      h('p', { class: 'note reception-total', role: 'status' }, countsLine(days.counts)),
      days.items.length
        ? table(
            t('reception.days'),
            [
              {
                label: t('reception.heldOn'),
                cell: (d) => h('a', { href: `#/reception/${d.id}` }, fmtDay(d.held_on)),
              },
              { label: t('office.unit'), cell: (d) => d.unit?.name || t('reception.wholeOffice') },
              { label: t('reception.place'), cell: (d) => d.place },
              { label: t('reception.people'), num: true, cell: (d) => String(d.counts.total) },
              ...VISITOR_KINDS.map((k) => ({
                label: t(`reception.kind.${k}`),
                num: true,
                cell: (d) => String(d.counts[k]),
              })),
              ...OUTCOMES.map((k) => ({
                label: t(`reception.outcome.${k}`),
                num: true,
                cell: (d) => String(d.counts[k]),
              })),
            ],
            days.items,
          )
        : h('p', { class: 'note' }, t('reception.noDays')),
      pager(
        days,
        (p) => {
          filters.page = p;
          view.reload();
        },
        t('reception.days'),
      ),
    );
  });
  return { el: view.el, title: t('reception.title'), destroy: view.destroy };
}

const text = (props = {}) => h('input', { type: 'text', ...props });

/** Record a day: the date (today by default), the unit or the whole office, the place, notes. */
function newDayForm(app, api, units) {
  if (session.isInspector()) return null; // the office records its days
  const heldOn = h('input', { type: 'date', value: today(), max: today(), required: true });
  const unit = h(
    'select',
    null,
    h('option', { value: '' }, t('reception.wholeOffice')),
    units.map((u) => h('option', { value: u.id }, u.name)),
  );
  const place = text({ maxlength: 200 });
  const notes = h('textarea', { rows: 2, maxlength: 2000 });
  const top = h('p', { class: 'error', role: 'alert' });
  const errors = formErrors({ controls: { held_on: heldOn, unit_id: unit, place, notes }, top });
  return h(
    'details',
    { class: 'reception-new' },
    h('summary', { class: 'btn' }, t('reception.newDay')),
    h(
      'form',
      {
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          errors.clear();
          try {
            const day = await api.send('POST', '/api/v1/reception-days', {
              held_on: heldOn.value,
              unit_id: unit.value || null,
              place: place.value,
              // Whoever records the day was on duty at it.
              staff: session.current()?.user?.id ? [session.current().user.id] : [],
              notes: notes.value,
            });
            app.toast(t('reception.dayRecorded'));
            app.go(`reception/${day.id}`);
          } catch (err) {
            errors.show(err);
          }
        },
      },
      top,
      h(
        'div',
        { class: 'row' },
        field(t('reception.heldOn'), heldOn, { required: true }),
        field(t('office.unit'), unit),
        field(t('reception.place'), place),
      ),
      field(t('reception.notes'), notes),
      h('button', { type: 'submit', class: 'btn' }, t('reception.record')),
    ),
  );
}

function dayView(app, id) {
  const api = client();
  const view = screen(app, t('reception.dayTitle'), {
    controls: h(
      'p',
      { class: 'row' },
      h('a', { class: 'btn secondary small', href: '#/reception' }, '‹ ', t('reception.title')),
    ),
  });
  view.start(async (fresh) => {
    const day = await fresh(api.get(`/api/v1/reception-days/${id}`));
    view.body.replaceChildren(
      h(
        'dl',
        { class: 'reception-facts' },
        h('dt', null, t('reception.heldOn')),
        h('dd', null, fmtDay(day.held_on)),
        h('dt', null, t('office.unit')),
        h('dd', null, day.unit?.name || t('reception.wholeOffice')),
        h('dt', null, t('reception.place')),
        h('dd', null, day.place || '—'),
        h('dt', null, t('reception.staff')),
        h('dd', null, day.staff_people.map((p) => p.display_name).join('、') || '—'),
        day.notes ? h('dt', null, t('reception.notes')) : null,
        day.notes ? h('dd', null, day.notes) : null,
      ),
      h('p', { class: 'note reception-total', role: 'status' }, countsLine(day.counts)),
      h('h2', null, t('reception.peopleTitle', { n: day.receptions.length })),
      day.receptions.length
        ? h('ul', { class: 'cards reception-people' }, day.receptions.map(personCard))
        : h('p', { class: 'note' }, t('reception.noneReceived')),
      addPersonForm(app, api, day, () => view.reload()),
    );
  });
  return { el: view.el, title: t('reception.dayTitle'), destroy: view.destroy };
}

/** Who came, as the desk writes it: the resident's name, or the visitor's with relation. */
export function visitorName(r) {
  if (r.visitor_kind === 'resident') return r.resident?.name || t('reception.kind.resident');
  const who = r.relation ? `${r.visitor_name}（${r.relation}）` : r.visitor_name;
  return r.resident ? t('reception.about', { who, name: r.resident.name }) : who;
}

export function personCard(r) {
  return h(
    'li',
    { class: `card reception-person reception-kind-${r.visitor_kind}` },
    h(
      'p',
      { class: 'card-title' },
      h('span', { class: 'tag' }, t(`reception.kind.${r.visitor_kind}`)),
      ' ',
      r.resident ? h('a', { href: `#/resident/${r.resident.id}` }, visitorName(r)) : visitorName(r),
    ),
    r.contact ? h('p', { class: 'hint' }, t('reception.contactIs', { contact: r.contact })) : null,
    h('p', null, h('strong', null, t('reception.request')), ' ', r.request),
    r.action ? h('p', null, h('strong', null, t('reception.action')), ' ', r.action) : null,
    h(
      'p',
      { class: 'tags' },
      h(
        'span',
        { class: `tag reception-outcome-${r.outcome}` },
        t(`reception.outcome.${r.outcome}`),
      ),
      r.outcome === 'referred' ? ` → ${r.referred_to}` : '',
    ),
  );
}

/** A resident picker: a search box over the roster and the matching residents. */
function residentPicker(api) {
  const search = h('input', {
    type: 'search',
    maxlength: 120,
    placeholder: t('reception.searchResident'),
  });
  const pick = h('select', null, h('option', { value: '' }, t('reception.pickResident')));
  let ticket = 0;
  async function find() {
    const mine = ++ticket;
    try {
      const found = await api.get('/api/v1/residents', {
        q: search.value.trim(),
        status: 'active',
        per_page: 50,
      });
      if (mine !== ticket) return;
      // A resident already picked stays picked when the list they are in comes back.
      const picked = pick.value;
      pick.replaceChildren(
        h('option', { value: '' }, t('reception.pickResident')),
        ...(found.items || []).map((r) =>
          h('option', { value: r.id }, r.room ? `${r.name} · ${r.room}` : r.name),
        ),
      );
      if (picked && (found.items || []).some((r) => r.id === picked)) pick.value = picked;
    } catch {
      /* the list stays as it was; the form's own submit says what is wrong */
    }
  }
  search.addEventListener('input', () => find());
  find();
  return { search, pick };
}

function addPersonForm(app, api, day, onAdded) {
  if (session.isInspector()) return null;
  const kind = h(
    'select',
    null,
    VISITOR_KINDS.map((k) => h('option', { value: k }, t(`reception.kind.${k}`))),
  );
  const { search, pick } = residentPicker(api);
  const name = text({ maxlength: 120 });
  const relation = text({ maxlength: 60 });
  const contact = text({ maxlength: 120, inputmode: 'tel' });
  const request = h('textarea', { rows: 2, maxlength: 2000, required: true });
  const action = h('textarea', { rows: 2, maxlength: 2000 });
  const outcome = h(
    'select',
    null,
    OUTCOMES.map((k) => h('option', { value: k }, t(`reception.outcome.${k}`))),
  );
  const referredTo = text({ maxlength: 200 });
  const residentField = field(t('reception.resident'), pick, {
    hint: t('reception.residentHint'),
  });
  const searchField = field(t('reception.searchResident'), search);
  const nameField = field(t('reception.visitorName'), name, { required: true });
  const relationField = field(t('reception.relation'), relation, { required: true });
  const contactField = field(t('reception.contact'), contact);
  const referredField = field(t('reception.referredTo'), referredTo, { required: true });
  const top = h('p', { class: 'error', role: 'alert' });
  const errors = formErrors({
    top,
    controls: {
      visitor_kind: kind,
      resident_id: pick,
      visitor_name: name,
      relation,
      contact,
      request,
      action,
      outcome,
      referred_to: referredTo,
    },
  });
  function shape() {
    const k = kind.value;
    nameField.hidden = k === 'resident';
    searchField.hidden = residentField.hidden = k === 'public';
    relationField.hidden = k !== 'family';
    contactField.hidden = k === 'resident';
    referredField.hidden = outcome.value !== 'referred';
  }
  kind.addEventListener('change', shape);
  outcome.addEventListener('change', shape);
  shape();
  return h(
    'form',
    {
      class: 'card reception-add',
      'aria-labelledby': 'reception-add-h',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        errors.clear();
        const k = kind.value;
        try {
          await api.send('POST', `/api/v1/reception-days/${day.id}/receptions`, {
            visitor_kind: k,
            resident_id: k === 'public' ? null : pick.value || null,
            visitor_name: k === 'resident' ? '' : name.value,
            relation: k === 'family' ? relation.value : '',
            contact: k === 'resident' ? '' : contact.value,
            request: request.value,
            action: action.value,
            outcome: outcome.value,
            referred_to: outcome.value === 'referred' ? referredTo.value : '',
          });
          app.toast(t('reception.added'));
          onAdded();
        } catch (err) {
          errors.show(err);
        }
      },
    },
    h('h2', { id: 'reception-add-h' }, t('reception.addTitle')),
    top,
    h('div', { class: 'row' }, field(t('reception.visitorKind'), kind), searchField, residentField),
    h('div', { class: 'row' }, nameField, relationField, contactField),
    field(t('reception.request'), request, { required: true }),
    field(t('reception.action'), action),
    h('div', { class: 'row' }, field(t('reception.outcomeLabel'), outcome), referredField),
    h('button', { type: 'submit', class: 'btn' }, t('reception.add')),
  );
}
