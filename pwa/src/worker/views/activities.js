// Group activities on the phone (docs/activities.md): the last 31 days' activities of the
// worker's units, newest first, with their attendance; the form to record one offline — its
// type, title, time, place, organisers, volunteers, description, the residents who came
// (scanned in one after another with the visit's QR scanner, or picked from the roster) and
// photos taken with the camera, resized here; and one activity's screen. The draft is kept as
// it is filled, its photos as soon as they are taken.
import { h, append, clear, field, icon } from '../../lib/dom.js';
import { t, lang, fmtWhen } from '../../lib/i18n/index.js';
import { rfc3339 } from '../../lib/dates.js';
import { startScan, parseToken, resolveToken, hasCamera } from '../../lib/scanner.js';
import { resizePhoto, toBase64 } from '../../lib/photo.js';
import { lookupQr } from '../../lib/api.js';
import * as activities from '../../sync/activities.js';
import { roster, session, syncing, status } from '../../state/index.js';

const SAVE_DELAY_MS = 300;

/** A type's name in the app's language. */
export function typeName(types, code) {
  const kind = types.find((x) => x.code === code);
  if (!kind) return code || '—';
  return lang() === 'zh-CN' ? kind.name_zh : kind.name_en;
}

const residentName = (id) => roster.resident(id)?.name || t('visit.unknownResident');

function syncTag(state) {
  if (!state || state === 'sent') return null;
  return h(
    'span',
    { class: `tag my-activity-sync ${state}` },
    state === 'waiting' ? t('myActivities.waiting') : t('myActivities.refused'),
  );
}

/** #/my-activities: the recent activities, newest first. */
export function activitiesView() {
  const list = h('ul', { class: 'my-activity-list' });
  const summary = h('p', { class: 'summary', role: 'status' });
  const el = h(
    'section',
    { class: 'view my-activities' },
    h('h1', null, t('myActivities.title')),
    h('p', null, h('a', { class: 'btn', href: '#/my-activity-new' }, t('myActivities.new'))),
    summary,
    list,
  );
  async function draw() {
    const [items, types] = await Promise.all([activities.recent(), activities.types()]);
    summary.textContent = items.length
      ? t('myActivities.summary', { n: items.length })
      : t('myActivities.none');
    list.replaceChildren(
      ...items.map((a) =>
        h(
          'li',
          null,
          h(
            'a',
            { class: 'my-activity-row', href: `#/my-activity/${a.id}` },
            h('span', { class: 'my-activity-title' }, a.title),
            h('span', { class: 'my-activity-type' }, typeName(types, a.type_code)),
            h(
              'span',
              { class: 'my-activity-when' },
              fmtWhen(a.started_at),
              ' · ',
              t('myActivities.attended', { n: a.attendee_ids?.length || 0 }),
              a.photo_count
                ? ` · ${t(a.photo_count === 1 ? 'myActivities.photoCountOne' : 'myActivities.photoCount', { n: a.photo_count })}`
                : '',
            ),
            syncTag(a.sync),
          ),
        ),
      ),
    );
  }
  draw();
  return { el, title: t('myActivities.title'), refresh: draw };
}

/** #/my-activity/<id>: one activity as recorded. */
export function activityView(app, [id]) {
  const el = h('section', { class: 'view my-activity' });
  const urls = [];
  async function draw() {
    const [a, types] = await Promise.all([activities.get(id), activities.types()]);
    if (!a) {
      append(
        clear(el),
        h('h1', null, t('myActivities.gone')),
        h('a', { class: 'btn', href: '#/my-activities' }, t('myActivities.back')),
      );
      return;
    }
    const scanned = new Map((a.attendees || []).map((x) => [x.resident_id, x.identified_by]));
    append(
      clear(el),
      h(
        'p',
        { class: 'sub' },
        h('a', { href: '#/my-activities' }, icon('←'), ' ', t('myActivities.back')),
      ),
      h('h1', { tabindex: '-1' }, a.title),
      syncTag(a.sync),
      h(
        'dl',
        { class: 'summary-list' },
        h('dt', null, t('myActivities.type')),
        h('dd', null, typeName(types, a.type_code)),
        h('dt', null, t('myActivities.startedAt')),
        h('dd', null, fmtWhen(a.started_at)),
        h('dt', null, t('myActivities.place')),
        h('dd', null, a.place || '—'),
        a.description
          ? [h('dt', null, t('myActivities.description')), h('dd', null, a.description)]
          : null,
        a.volunteers?.length
          ? [
              h('dt', null, t('myActivities.volunteers')),
              h(
                'dd',
                null,
                a.volunteers.map((v) => `${v.name} (${v.hours} h)`).join(t('myActivities.listSep')),
              ),
            ]
          : null,
      ),
      h('h2', null, t('myActivities.attendees', { n: a.attendee_ids?.length || 0 })),
      h(
        'ul',
        { class: 'my-activity-attendees' },
        (a.attendee_ids || []).map((rid) =>
          h(
            'li',
            null,
            residentName(rid),
            scanned.has(rid) ? ` · ${t(`myActivities.by.${scanned.get(rid)}`)}` : '',
          ),
        ),
      ),
      a.photos.length ? h('h2', null, t('myActivities.photos')) : null,
      a.photos.length
        ? h(
            'div',
            { class: 'my-activity-photos' },
            a.photos.map((p) => {
              const url = `data:${p.content_type};base64,${p.data}`;
              urls.push(url);
              return h(
                'figure',
                null,
                h('img', { src: url, alt: p.caption || a.title }),
                p.caption ? h('figcaption', null, p.caption) : null,
              );
            }),
          )
        : a.photo_count
          ? h(
              'p',
              { class: 'hint' },
              t(
                a.photo_count === 1 ? 'myActivities.photoOnServer' : 'myActivities.photosOnServer',
                { n: a.photo_count },
              ),
            )
          : null,
    );
  }
  draw();
  return { el, title: t('myActivities.title'), refresh: draw };
}

/** The worker's units, from the roster: whose residents may attend. */
function myUnits() {
  return roster.grouped().map((g) => ({ id: g.id, name: g.name }));
}

function residentsOf(unitId) {
  const group = roster.grouped().find((g) => g.id === unitId);
  return (group?.items || []).map((item) => item.r);
}

/** A datetime-local value (local time) of an RFC 3339 time, and back. */
const toLocalInput = (iso) => {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (value) => rfc3339(new Date(value));

/** #/my-activity-new: the form, kept as a draft while it is filled. */
export function activityNewView(app) {
  const el = h('section', { class: 'view my-activity-form' });
  let draft = null;
  let types = [];
  let timer = null;
  let stopScan = null;
  let gone = false;

  const keep = () => {
    clearTimeout(timer);
    timer = setTimeout(() => activities.saveDraft(draft), SAVE_DELAY_MS);
  };
  const flush = () => {
    clearTimeout(timer);
    return draft ? activities.saveDraft(draft) : null;
  };

  const attendeeList = h('ul', { class: 'my-activity-attendees', 'aria-live': 'polite' });
  const attendeeHeading = h('h2', null);
  const scanMsg = h('p', { class: 'scan-msg', role: 'status', 'aria-live': 'polite' });
  const video = h('video', {
    class: 'camera',
    muted: true,
    playsinline: true,
    'aria-label': t('scan.camera'),
  });
  const scanBox = h(
    'div',
    { class: 'my-activity-scan', hidden: true },
    h('div', { class: 'camera-box' }, video, h('div', { class: 'aim', 'aria-hidden': 'true' })),
    scanMsg,
    h(
      'button',
      { type: 'button', class: 'btn secondary', onclick: () => endScan() },
      t('myActivities.scanDone'),
    ),
  );
  const pickBox = h('div', { class: 'my-activity-pick', hidden: true });
  const photoList = h('div', { class: 'my-activity-photos' });
  const errorLine = h('p', { class: 'error', role: 'alert' });

  function drawAttendees() {
    attendeeHeading.textContent = t('myActivities.attendees', { n: draft.attendees.length });
    attendeeList.replaceChildren(
      ...draft.attendees.map((a) =>
        h(
          'li',
          null,
          h('span', null, residentName(a.resident_id)),
          ` · ${t(`myActivities.by.${a.identified_by}`)} `,
          h(
            'button',
            {
              type: 'button',
              class: 'btn small secondary',
              'aria-label': t('myActivities.removeFor', { name: residentName(a.resident_id) }),
              onclick: () => {
                draft.attendees = draft.attendees.filter((x) => x.resident_id !== a.resident_id);
                keep();
                drawAttendees();
              },
            },
            t('myActivities.remove'),
          ),
        ),
      ),
    );
  }

  function added(residentId, how, token) {
    const fresh = activities.addAttendee(draft, residentId, { identifiedBy: how, qrToken: token });
    if (fresh) {
      keep();
      drawAttendees();
    }
    return fresh;
  }

  let judging = false;
  async function onCode(text) {
    if (judging) return; // one code at a time; the camera keeps reading
    judging = true;
    try {
      scanMsg.textContent = await judgeCode(text);
    } finally {
      judging = false;
    }
  }

  async function judgeCode(text) {
    const token = parseToken(text);
    if (!token) return `⚠ ${t('scan.result.notOurs')}`;
    const result = await resolveToken(token, {
      ...roster.lookups(),
      online: navigator.onLine,
      lookup: (code) => lookupQr(session.token(), code),
    });
    if (result.kind !== 'resident') return `⚠ ${t(`scan.result.${result.kind}`)}`;
    const { resident } = result;
    if (resident.unit_id !== draft.unit_id)
      return `⚠ ${t('myActivities.otherUnit', { name: resident.name })}`;
    return added(resident.id, 'qr', token)
      ? `✓ ${t('myActivities.scannedIn', { name: resident.name, n: draft.attendees.length })}`
      : t('myActivities.already', { name: resident.name });
  }

  /** The camera stays open, reading one resident's code after another, until "Done". */
  async function beginScan() {
    if (stopScan) return;
    scanBox.hidden = false;
    scanMsg.textContent = t('scan.starting');
    if (!hasCamera()) {
      scanMsg.textContent = `⚠ ${t('scan.noCamera')}`;
      return;
    }
    try {
      const stop = await startScan(video, onCode, { continuous: true });
      if (gone || scanBox.hidden) return stop();
      stopScan = stop;
      scanMsg.textContent = t('myActivities.scanNext');
    } catch (err) {
      scanMsg.textContent = `⚠ ${
        err.code === 'denied'
          ? t('scan.denied')
          : err.code === 'decoder'
            ? t('scan.decoderFailed')
            : t('scan.noCamera')
      }`;
    }
  }

  function endScan() {
    stopScan?.();
    stopScan = null;
    scanBox.hidden = true;
  }

  function drawPick() {
    const search = h('input', {
      type: 'search',
      'aria-label': t('myActivities.pickSearch'),
      placeholder: t('myActivities.pickSearch'),
    });
    const list = h('ul', { class: 'my-activity-pick-list' });
    const fill = () => {
      const q = search.value.trim().toLowerCase();
      const taken = new Set(draft.attendees.map((a) => a.resident_id));
      list.replaceChildren(
        ...residentsOf(draft.unit_id)
          .filter((r) => !q || r.name.toLowerCase().includes(q) || (r.room || '').includes(q))
          .slice(0, 100)
          .map((r) =>
            h(
              'li',
              null,
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn secondary small',
                  disabled: taken.has(r.id),
                  onclick: () => {
                    added(r.id, 'manual', null);
                    fill();
                  },
                },
                r.name,
                r.room ? ` · ${r.room}` : '',
              ),
            ),
          ),
      );
    };
    search.addEventListener('input', fill);
    fill();
    pickBox.replaceChildren(
      search,
      list,
      h(
        'button',
        { type: 'button', class: 'btn secondary', onclick: () => (pickBox.hidden = true) },
        t('myActivities.pickDone'),
      ),
    );
    pickBox.hidden = false;
  }

  async function drawPhotos() {
    const photos = await activities.photosOf(draft.id);
    photoList.replaceChildren(
      ...photos.map((p) => {
        const caption = h('input', {
          type: 'text',
          maxlength: 300,
          value: p.caption || '',
          'aria-label': t('myActivities.caption'),
          placeholder: t('myActivities.caption'),
        });
        caption.addEventListener('change', () => activities.setCaption(p.id, caption.value));
        return h(
          'figure',
          null,
          h('img', {
            src: `data:${p.content_type};base64,${p.data}`,
            alt: p.caption || draft.title,
          }),
          caption,
          h(
            'button',
            {
              type: 'button',
              class: 'btn small secondary',
              onclick: async () => {
                await activities.removePhoto(p.id);
                drawPhotos();
              },
            },
            t('myActivities.removePhoto'),
          ),
        );
      }),
    );
  }

  async function takePhotos(files) {
    errorLine.textContent = '';
    for (const file of files) {
      try {
        const small = await resizePhoto(file);
        await activities.addPhoto(draft.id, {
          content_type: 'image/jpeg',
          width: small.width,
          height: small.height,
          taken_at: rfc3339(new Date()),
          data: await toBase64(small.blob),
        });
      } catch {
        errorLine.textContent = `⚠ ${t('myActivities.photoFailed')}`;
      }
    }
    drawPhotos();
  }

  function volunteerRows(box) {
    box.replaceChildren(
      ...draft.volunteers.map((v, i) => {
        const name = h('input', {
          type: 'text',
          maxlength: 120,
          value: v.name,
          'aria-label': t('myActivities.volunteerName', { n: i + 1 }),
        });
        const hours = h('input', {
          type: 'number',
          min: 0,
          max: 24,
          step: 0.5,
          inputmode: 'decimal',
          value: String(v.hours ?? ''),
          'aria-label': t('myActivities.volunteerHours', { n: i + 1 }),
        });
        name.addEventListener('input', () => ((v.name = name.value), keep()));
        hours.addEventListener('input', () => ((v.hours = Number(hours.value) || 0), keep()));
        return h(
          'div',
          { class: 'row my-activity-volunteer' },
          name,
          hours,
          h(
            'button',
            {
              type: 'button',
              class: 'btn small secondary',
              onclick: () => {
                draft.volunteers.splice(i, 1);
                keep();
                volunteerRows(box);
              },
            },
            t('myActivities.remove'),
          ),
        );
      }),
    );
  }

  function problemsOf() {
    const missing = [];
    if (!draft.type_code) missing.push(t('myActivities.needType'));
    if (!draft.title.trim()) missing.push(t('myActivities.needTitle'));
    if (!draft.attendees.length) missing.push(t('myActivities.needAttendees'));
    return missing;
  }

  async function save() {
    const missing = problemsOf();
    if (missing.length) {
      errorLine.textContent = `⚠ ${missing.join(t('myActivities.listSep'))}`;
      return;
    }
    clearTimeout(timer);
    endScan();
    const id = await activities.save(draft, session.current()?.user?.id);
    draft = null;
    await status.refresh();
    app.toast(t('myActivities.saved'));
    app.go(`my-activity/${id}`);
    syncing.afterSave();
  }

  function form() {
    const units = myUnits();
    if (!draft.unit_id && units.length) draft.unit_id = units[0].id;
    const bind = (control, name, read = (c) => c.value) => {
      control.addEventListener('input', () => {
        draft[name] = read(control);
        keep();
      });
      return control;
    };
    const typeSelect = bind(
      h(
        'select',
        { required: true },
        h('option', { value: '' }, t('myActivities.chooseType')),
        types.map((x) =>
          h('option', { value: x.code }, lang() === 'zh-CN' ? x.name_zh : x.name_en),
        ),
      ),
      'type_code',
    );
    typeSelect.value = draft.type_code;
    typeSelect.addEventListener('change', () => ((draft.type_code = typeSelect.value), keep()));
    const unitSelect = h(
      'select',
      null,
      units.map((u) => h('option', { value: u.id }, u.name)),
    );
    unitSelect.value = draft.unit_id;
    unitSelect.addEventListener('change', () => {
      draft.unit_id = unitSelect.value;
      draft.attendees = [];
      keep();
      drawAttendees();
    });
    const when = h('input', { type: 'datetime-local', value: toLocalInput(draft.started_at) });
    when.addEventListener('change', () => {
      if (when.value) draft.started_at = fromLocalInput(when.value);
      keep();
    });
    const minutes = bind(
      h('input', {
        type: 'number',
        min: 1,
        max: 1440,
        inputmode: 'numeric',
        value: draft.minutes ? String(draft.minutes) : '',
      }),
      'minutes',
      (c) => Number(c.value) || null,
    );
    const volunteers = h('div', { class: 'my-activity-volunteers' });
    volunteerRows(volunteers);
    const camera = h('input', {
      type: 'file',
      accept: 'image/*',
      capture: 'environment',
      multiple: true,
      class: 'my-activity-camera',
      'aria-label': t('myActivities.takePhoto'),
    });
    camera.addEventListener('change', () => {
      const files = [...camera.files];
      camera.value = '';
      takePhotos(files);
    });
    append(
      clear(el),
      h(
        'p',
        { class: 'sub' },
        h('a', { href: '#/my-activities' }, icon('←'), ' ', t('myActivities.back')),
      ),
      h('h1', null, t('myActivities.newTitle')),
      units.length > 1 ? field(t('myActivities.unit'), unitSelect) : null,
      field(t('myActivities.type'), typeSelect, { required: true }),
      field(
        t('myActivities.titleLabel'),
        bind(h('input', { type: 'text', maxlength: 200, value: draft.title }), 'title'),
        { required: true },
      ),
      field(t('myActivities.startedAt'), when),
      field(t('myActivities.minutes'), minutes),
      field(
        t('myActivities.place'),
        bind(h('input', { type: 'text', maxlength: 200, value: draft.place }), 'place'),
      ),
      h(
        'p',
        { class: 'hint' },
        t('myActivities.organisedBy', { name: session.current()?.user?.display_name || '' }),
      ),
      h('h2', null, t('myActivities.volunteers')),
      volunteers,
      h(
        'button',
        {
          type: 'button',
          class: 'btn small secondary',
          onclick: () => {
            draft.volunteers.push({ name: '', hours: 1 });
            keep();
            volunteerRows(volunteers);
          },
        },
        t('myActivities.addVolunteer'),
      ),
      field(
        t('myActivities.description'),
        bind(h('textarea', { maxlength: 2000, rows: 3 }, draft.description), 'description'),
      ),
      attendeeHeading,
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          { type: 'button', class: 'btn', onclick: () => beginScan() },
          t('myActivities.scanIn'),
        ),
        h(
          'button',
          { type: 'button', class: 'btn secondary', onclick: () => drawPick() },
          t('myActivities.pick'),
        ),
      ),
      scanBox,
      pickBox,
      attendeeList,
      h('h2', null, t('myActivities.photos')),
      h(
        'label',
        { class: 'btn secondary my-activity-photo-button' },
        t('myActivities.takePhoto'),
        camera,
      ),
      photoList,
      errorLine,
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          { type: 'button', class: 'btn', onclick: () => save() },
          t('myActivities.save'),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            onclick: async () => {
              if (!confirm(t('myActivities.discardConfirm'))) return;
              clearTimeout(timer);
              endScan();
              await activities.discardDraft();
              draft = null;
              app.go('my-activities');
            },
          },
          t('myActivities.discard'),
        ),
      ),
    );
    drawAttendees();
    drawPhotos();
  }

  (async () => {
    [draft, types] = await Promise.all([activities.loadDraft(), activities.types()]);
    if (!draft) {
      draft = activities.newDraft(null, session.current()?.user?.id);
      keep();
    }
    if (!gone) form();
  })();

  return {
    el,
    title: t('myActivities.newTitle'),
    destroy() {
      gone = true;
      endScan();
      flush();
    },
  };
}
