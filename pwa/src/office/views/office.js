// The office's own facts (#/office, #/office/<office id>): the year's team against the rules
// (1 head; besides the head ≥ 1 full-time social worker and ≥ 2 more), the staff list with its
// dates and qualifications (admins add, edit and end entries), the documents by kind with
// upload, download and withdraw, the annual plan of each year, and the staff introduction to
// print and post on the wall (docs/office-facts.md).
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { today } from '../../lib/dates.js';
import { formErrors } from '../../lib/form-errors.js';
import { client, screen, table, fmtDay, fmtDateTime, openPrintable } from '../ui.js';
import { session } from '../../state/index.js';
import {
  POSITIONS,
  DOCUMENT_KINDS,
  reachedOffices,
  defaultOffice,
  documentsByKind,
  plansByYear,
  ruleChecks,
  inPost,
  changedFields,
  fmtBytes,
  uploadForm,
  withOwnWords,
} from '../office-facts-logic.js';

const own = (code) => t(`officeFacts.code.${code}`);

export function officeView(app, [wanted]) {
  const api = client();
  const admin = session.isAdmin();
  const state = { office: '', year: Number(today().slice(0, 4)) };
  const offices = [];
  const officeBox = h('div');
  const yearInput = h('input', {
    type: 'number',
    min: 2000,
    max: 2100,
    step: 1,
    inputmode: 'numeric',
    value: String(state.year),
    class: 'office-facts-year',
    onchange: (e) => {
      const y = Number(e.target.value);
      if (Number.isInteger(y) && y >= 2000 && y <= 2100) {
        state.year = y;
        view.reload();
      }
    },
  });
  const view = screen(app, t('officeFacts.title'), {
    intro: t('officeFacts.intro'),
    controls: h(
      'div',
      { class: 'row filters' },
      officeBox,
      field(t('officeFacts.year'), yearInput),
    ),
  });
  view.start(async (fresh) => {
    if (!offices.length) {
      offices.push(...reachedOffices(await fresh(api.get('/api/v1/organisations'))));
      state.office = defaultOffice(offices, session.current()?.user, wanted);
      const pick = h(
        'select',
        {
          onchange: (e) => {
            state.office = e.target.value;
            view.reload();
          },
        },
        offices.map((o) => h('option', { value: o.id }, o.name)),
      );
      pick.value = state.office;
      officeBox.replaceChildren(field(t('officeFacts.office'), pick));
    }
    if (!state.office) {
      view.body.replaceChildren(h('p', { class: 'note' }, t('officeFacts.noOffice')));
      return;
    }
    const base = `/api/v1/offices/${state.office}`;
    const [facts, staff, documents, users] = await fresh(
      Promise.all([
        api.get(`${base}/facts`, { year: state.year }),
        api.get(`${base}/staff`),
        api.get(`${base}/documents`),
        admin ? api.get('/api/v1/users') : Promise.resolve([]),
      ]),
    );
    const colleagues = users.filter((u) => u.organisation_id === state.office && u.active);
    const reload = () => view.reload();
    view.body.replaceChildren(
      factsSection(facts),
      staffSection(app, api, base, staff, colleagues, admin, reload),
      documentsSection(app, api, base, documents, admin, state.year, reload, view.problem),
      plansSection(api, documents, view.problem),
      h(
        'section',
        { class: 'office-facts-print' },
        h('h2', null, t('officeFacts.introTitle')),
        h('p', { class: 'note' }, t('officeFacts.introNote')),
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            onclick: () => openPrintable(api, `${base}/staff-introduction`, {}, view.problem),
          },
          t('officeFacts.printIntro'),
        ),
      ),
    );
  });
  return { el: view.el, title: t('officeFacts.title'), destroy: view.destroy };
}

// --- the year's facts --------------------------------------------------------------------

function check(ok, words) {
  return h(
    'li',
    { class: `office-facts-check ${ok ? 'ok' : 'not'}` },
    h('span', { class: 'office-facts-mark', 'aria-hidden': 'true' }, ok ? '✓' : '✗'),
    ' ',
    words,
    h(
      'span',
      { class: 'sr-only' },
      ok ? ` ${t('officeFacts.met')}` : ` ${t('officeFacts.notMet')}`,
    ),
  );
}

function names(entries) {
  return entries.map((e) => e.name).join(t('officeFacts.sep')) || '—';
}

function factsSection(facts) {
  const { team, plan, year } = facts;
  const checks = ruleChecks(team.rule);
  const words = {
    head: t('officeFacts.check.head', { names: names(team.heads) }),
    fulltime: t('officeFacts.check.fulltime', { names: names(team.fulltime) }),
    others: t('officeFacts.check.others', { n: team.rule.others_count, min: team.rule.min_others }),
  };
  return h(
    'section',
    { class: 'office-facts-year-facts', 'aria-labelledby': 'office-facts-year-h' },
    h('h2', { id: 'office-facts-year-h' }, t('officeFacts.yearTitle', { year })),
    h('p', { class: 'note' }, t('officeFacts.rule')),
    h(
      'ul',
      { class: 'office-facts-checks' },
      checks.map((c) => check(c.ok, words[c.key])),
    ),
    h(
      'p',
      {
        class: `office-facts-verdict ${team.rule.met ? 'ok' : 'not'}`,
        role: 'status',
      },
      team.rule.met ? t('officeFacts.teamMet', { year }) : t('officeFacts.teamNotMet', { year }),
    ),
    team.heads.length
      ? h(
          'p',
          { class: 'note' },
          team.head_qualified ? t('officeFacts.headQualified') : t('officeFacts.headUnqualified'),
          ' ',
          team.heads
            .map((e) =>
              t('officeFacts.headLine', { name: e.name, qualification: e.qualification || '—' }),
            )
            .join(t('officeFacts.sep')),
        )
      : null,
    h(
      'p',
      null,
      plan.annual_plans.length
        ? t('officeFacts.planThere', { year, n: plan.annual_plans.length })
        : t('officeFacts.planMissing', { year }),
    ),
    h(
      'p',
      null,
      plan.staff_introduction
        ? t('officeFacts.introThere', { title: plan.staff_introduction.title })
        : t('officeFacts.introMissing'),
    ),
  );
}

// --- the staff list ----------------------------------------------------------------------

function staffSection(app, api, base, staff, colleagues, admin, reload) {
  const day = today();
  const editBox = h('div', { class: 'office-facts-edit' });
  const edit = (entry) => {
    editBox.replaceChildren(staffForm(app, api, base, colleagues, entry, reload));
    editBox.querySelector('input, select')?.focus();
  };
  const columns = [
    { label: t('officeFacts.name'), cell: (e) => e.name },
    { label: t('officeFacts.position'), cell: (e) => t(`officeFacts.position.${e.position}`) },
    { label: t('officeFacts.qualification'), cell: (e) => e.qualification || '—' },
    { label: t('officeFacts.certificate'), cell: (e) => e.certificate_no || '—' },
    { label: t('officeFacts.phone'), cell: (e) => e.phone || '—' },
    {
      label: t('officeFacts.dates'),
      cell: (e) =>
        e.ended_on
          ? t('officeFacts.fromTo', { from: fmtDay(e.started_on), to: fmtDay(e.ended_on) })
          : t('officeFacts.fromOn', { from: fmtDay(e.started_on) }),
    },
    {
      label: t('officeFacts.inPost'),
      cell: (e) => (inPost(e, day) ? t('officeFacts.inPostYes') : t('officeFacts.inPostNo')),
    },
  ];
  if (admin)
    columns.push({
      label: t('officeFacts.actions'),
      cell: (e) =>
        h(
          'span',
          { class: 'row' },
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary small',
              'aria-label': t('officeFacts.editFor', { name: e.name }),
              onclick: () => edit(e),
            },
            t('officeFacts.edit'),
          ),
          e.ended_on ? null : endForm(app, api, base, e, reload),
        ),
    });
  return h(
    'section',
    { class: 'office-facts-staff', 'aria-labelledby': 'office-facts-staff-h' },
    h('h2', { id: 'office-facts-staff-h' }, t('officeFacts.staffTitle')),
    staff.length
      ? table(t('officeFacts.staffTitle'), columns, staff, {
          rowClass: (e) => (inPost(e, day) ? null : 'office-facts-ended'),
        })
      : h('p', { class: 'note' }, t('officeFacts.noStaff')),
    admin ? editBox : null,
    admin
      ? h(
          'details',
          { class: 'office-facts-add' },
          h('summary', { class: 'btn' }, t('officeFacts.addStaff')),
          staffForm(app, api, base, colleagues, null, reload),
        )
      : null,
  );
}

const text = (max, value = '') => h('input', { type: 'text', maxlength: max, value });

/** Add an entry (entry null) or change one: the person, position, qualification, dates. */
function staffForm(app, api, base, colleagues, entry, reload) {
  const user = h(
    'select',
    null,
    h('option', { value: '' }, t('officeFacts.noAccount')),
    colleagues.map((u) => h('option', { value: u.id }, u.display_name || u.username)),
  );
  user.value = entry?.user_id || '';
  const name = text(120, entry?.name || '');
  const position = h(
    'select',
    null,
    POSITIONS.map((p) => h('option', { value: p }, t(`officeFacts.position.${p}`))),
  );
  position.value = entry?.position || 'volunteer';
  const qualification = text(200, entry?.qualification || '');
  const certificate = text(80, entry?.certificate_no || '');
  const phone = h('input', {
    type: 'tel',
    maxlength: 40,
    value: entry?.phone || '',
    inputmode: 'tel',
  });
  const introduction = h('textarea', { rows: 2, maxlength: 2000 });
  introduction.value = entry?.introduction || '';
  const started = h('input', { type: 'date', value: entry?.started_on || today() });
  const ended = h('input', { type: 'date', value: entry?.ended_on || '' });
  user.addEventListener('change', () => {
    const picked = colleagues.find((u) => u.id === user.value);
    if (picked && !name.value) name.value = picked.display_name || picked.username;
  });
  const top = h('p', { class: 'error', role: 'alert' });
  const errors = formErrors({
    top,
    controls: {
      user_id: user,
      name,
      position,
      qualification,
      certificate_no: certificate,
      phone,
      introduction,
      started_on: started,
      ended_on: ended,
    },
  });
  return h(
    'form',
    {
      class: 'card office-facts-form',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        errors.clear();
        const values = {
          user_id: user.value || null,
          name: name.value.trim(),
          position: position.value,
          qualification: qualification.value.trim(),
          certificate_no: certificate.value.trim(),
          phone: phone.value.trim(),
          introduction: introduction.value.trim(),
          started_on: started.value,
          ended_on: ended.value || null,
        };
        try {
          if (entry) {
            const changes = changedFields(entry, values);
            if (!Object.keys(changes).length) return;
            await api.send('PATCH', `${base}/staff/${entry.id}`, changes);
          } else {
            await api.send('POST', `${base}/staff`, values);
          }
          app.toast(entry ? t('officeFacts.saved') : t('officeFacts.added'));
          reload();
        } catch (err) {
          errors.show(withOwnWords(err, own));
        }
      },
    },
    h(
      'h3',
      null,
      entry ? t('officeFacts.editTitle', { name: entry.name }) : t('officeFacts.addTitle'),
    ),
    top,
    h(
      'div',
      { class: 'row' },
      field(t('officeFacts.account'), user, { hint: t('officeFacts.accountHint') }),
      field(t('officeFacts.name'), name),
      field(t('officeFacts.position'), position, { required: true }),
    ),
    h(
      'div',
      { class: 'row' },
      field(t('officeFacts.qualification'), qualification, {
        hint: t('officeFacts.qualificationHint'),
      }),
      field(t('officeFacts.certificate'), certificate),
      field(t('officeFacts.phone'), phone),
    ),
    field(t('officeFacts.skills'), introduction, { hint: t('officeFacts.skillsHint') }),
    h(
      'div',
      { class: 'row' },
      field(t('officeFacts.startedOn'), started, { required: true }),
      field(t('officeFacts.endedOn'), ended, { hint: t('officeFacts.endedHint') }),
    ),
    h(
      'button',
      { type: 'submit', class: 'btn' },
      entry ? t('officeFacts.save') : t('officeFacts.add'),
    ),
  );
}

/** End an entry on a day (today by default). */
function endForm(app, api, base, entry, reload) {
  const day = h('input', { type: 'date', value: today(), 'aria-label': t('officeFacts.endOn') });
  const top = h('span', { class: 'error', role: 'alert' });
  const errors = formErrors({ top, controls: { ended_on: day } });
  return h(
    'details',
    { class: 'office-facts-end' },
    h('summary', { class: 'btn secondary small' }, t('officeFacts.end')),
    h(
      'form',
      {
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          errors.clear();
          try {
            await api.send('PATCH', `${base}/staff/${entry.id}`, { ended_on: day.value });
            app.toast(t('officeFacts.ended', { name: entry.name }));
            reload();
          } catch (err) {
            errors.show(withOwnWords(err, own));
          }
        },
      },
      top,
      field(t('officeFacts.endOn'), day),
      h(
        'button',
        { type: 'submit', class: 'btn small' },
        t('officeFacts.endFor', { name: entry.name }),
      ),
    ),
  );
}

// --- documents ---------------------------------------------------------------------------

/** Save a document under its own name (the header's plain name loses Chinese letters). */
async function saveDocument(api, doc, problem) {
  try {
    const { blob } = await api.blob(doc.file_url);
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: doc.file_name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    problem.show(null);
  } catch (err) {
    problem.show(err);
  }
}

function documentRow(app, api, doc, admin, reload, problem) {
  return h(
    'li',
    { class: 'card office-facts-document' },
    h('p', { class: 'card-title' }, doc.title, doc.year ? ` · ${doc.year}` : ''),
    h(
      'p',
      { class: 'hint' },
      [
        doc.file_name,
        fmtBytes(doc.byte_size),
        doc.dated_on ? t('officeFacts.datedOn', { day: fmtDay(doc.dated_on) }) : null,
        t('officeFacts.uploadedAt', { when: fmtDateTime(doc.uploaded_at) }),
      ]
        .filter(Boolean)
        .join(' · '),
    ),
    h(
      'p',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn secondary small',
          'aria-label': t('officeFacts.downloadFor', { title: doc.title }),
          onclick: () => saveDocument(api, doc, problem),
        },
        t('officeFacts.download'),
      ),
      admin
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn secondary small',
              'aria-label': t('officeFacts.withdrawFor', { title: doc.title }),
              onclick: async () => {
                if (!window.confirm(t('officeFacts.withdrawConfirm', { title: doc.title }))) return;
                try {
                  await api.send('POST', `/api/v1/documents/${doc.id}/withdraw`);
                  app.toast(t('officeFacts.withdrawn', { title: doc.title }));
                  reload();
                } catch (err) {
                  problem.show(err);
                }
              },
            },
            t('officeFacts.withdraw'),
          )
        : null,
    ),
  );
}

function documentsSection(app, api, base, documents, admin, year, reload, problem) {
  const byKind = documentsByKind(documents);
  return h(
    'section',
    { class: 'office-facts-documents', 'aria-labelledby': 'office-facts-docs-h' },
    h('h2', { id: 'office-facts-docs-h' }, t('officeFacts.documentsTitle')),
    admin ? uploadForm_(app, base, year, reload) : null,
    DOCUMENT_KINDS.map((kind) =>
      h(
        'div',
        { class: `office-facts-kind office-facts-kind-${kind}` },
        h(
          'h3',
          null,
          t('officeFacts.kindCount', {
            kind: t(`officeFacts.kind.${kind}`),
            n: byKind[kind].length,
          }),
        ),
        byKind[kind].length
          ? h(
              'ul',
              { class: 'cards' },
              byKind[kind].map((d) => documentRow(app, api, d, admin, reload, problem)),
            )
          : h('p', { class: 'note' }, t('officeFacts.noDocuments')),
      ),
    ),
  );
}

/** Upload a file with its kind, title, year and date, a progress bar while it goes. */
function uploadForm_(app, base, year, reload) {
  const file = h('input', {
    type: 'file',
    accept: '.pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx',
  });
  const kind = h(
    'select',
    null,
    DOCUMENT_KINDS.map((k) => h('option', { value: k }, t(`officeFacts.kind.${k}`))),
  );
  const title = text(200);
  const yearBox = h('input', {
    type: 'number',
    min: 2000,
    max: 2100,
    step: 1,
    inputmode: 'numeric',
    value: String(year),
  });
  const dated = h('input', { type: 'date' });
  const progress = h('progress', {
    max: 1,
    value: 0,
    hidden: true,
    class: 'office-facts-progress',
  });
  const progressWords = h('span', { role: 'status', class: 'office-facts-progress-words' });
  const submit = h('button', { type: 'submit', class: 'btn' }, t('officeFacts.upload'));
  file.addEventListener('change', () => {
    const picked = file.files?.[0];
    if (picked && !title.value) title.value = picked.name.replace(/\.[^.]+$/, '');
  });
  const top = h('p', { class: 'error', role: 'alert' });
  const errors = formErrors({
    top,
    controls: { file, content_type: file, kind, title, year: yearBox, dated_on: dated },
  });
  return h(
    'details',
    { class: 'office-facts-upload' },
    h('summary', { class: 'btn' }, t('officeFacts.uploadTitle')),
    h(
      'form',
      {
        class: 'card',
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          errors.clear();
          const picked = file.files?.[0];
          if (!picked) {
            errors.show({ codes: { file: [{ code: 'required' }] } });
            return;
          }
          const form = new FormData();
          form.append('file', picked, picked.name);
          form.append('kind', kind.value);
          form.append('title', title.value.trim());
          if (yearBox.value) form.append('year', yearBox.value);
          if (dated.value) form.append('dated_on', dated.value);
          progress.hidden = false;
          progress.value = 0;
          progressWords.textContent = t('officeFacts.uploading', { percent: 0 });
          submit.disabled = true;
          try {
            await uploadForm(`${base}/documents`, form, session.token(), (share) => {
              progress.value = share;
              progressWords.textContent = t('officeFacts.uploading', {
                percent: Math.round(share * 100),
              });
            });
            app.toast(t('officeFacts.uploaded', { title: title.value.trim() }));
            reload();
          } catch (err) {
            progress.hidden = true;
            progressWords.textContent = '';
            errors.show(withOwnWords(err, own));
          } finally {
            submit.disabled = false;
          }
        },
      },
      top,
      h(
        'div',
        { class: 'row' },
        field(t('officeFacts.file'), file, { required: true, hint: t('officeFacts.fileHint') }),
        field(t('officeFacts.kindLabel'), kind, { required: true }),
      ),
      h(
        'div',
        { class: 'row' },
        field(t('officeFacts.docTitle'), title, { required: true }),
        field(t('officeFacts.year'), yearBox),
        field(t('officeFacts.datedOnLabel'), dated),
      ),
      h('p', { class: 'row' }, submit, progress, progressWords),
    ),
  );
}

// --- annual plans by year ----------------------------------------------------------------

function plansSection(api, documents, problem) {
  const years = plansByYear(documents);
  return h(
    'section',
    { class: 'office-facts-plans', 'aria-labelledby': 'office-facts-plans-h' },
    h('h2', { id: 'office-facts-plans-h' }, t('officeFacts.plansTitle')),
    years.length
      ? h(
          'dl',
          null,
          years.map(([year, plans]) => [
            h('dt', null, year === null ? t('officeFacts.noYear') : String(year)),
            h(
              'dd',
              null,
              plans.map((p) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn secondary small',
                    onclick: () => saveDocument(api, p, problem),
                  },
                  p.title,
                ),
              ),
            ),
          ]),
        )
      : h('p', { class: 'note' }, t('officeFacts.noPlans')),
  );
}
