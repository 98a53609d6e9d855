// Group activities on the phone (docs/activities.md). Three places hold them:
//   activities       the activities of the worker's units in the last 31 days, as the pull
//                    left them, and those recorded here (with every field the form had)
//   activityPhotos   the photos taken here, resized, as base64 (sealed like every row)
//   outbox           an activity recorded here (type 'activity') and each of its photos (type
//                    'activity_photo', after every other type) until the server answers
// The form's draft is a secret meta value ('activity_draft'); its photos are stored as soon as
// they are taken, under the draft's id, so nothing the worker did is lost if the phone sleeps.
import { db, getMeta, setMeta, uuid } from './db.js';
import { sealRow, sealRows, openRows, getSecret, setSecret } from './vault.js';
import * as outbox from './outbox.js';

export const KEEP_DAYS = 31;
const DRAFT = 'activity_draft';
const DAY_MS = 86400e3;

/** The local day (YYYY-MM-DD) of an RFC 3339 time, on this phone's clock. */
export function localDay(at) {
  const d = new Date(at);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const since = (now) => localDay(new Date(now.getTime() - KEEP_DAYS * DAY_MS));

// ---- types -----------------------------------------------------------------------------

/** The active types the last pull carried, each {code, name_en, name_zh}. */
export const types = () => getMeta('activity_types', []);

// ---- the draft -------------------------------------------------------------------------

/** A new, empty activity for one of the worker's units. */
export function newDraft(unitId, userId, now = new Date()) {
  return {
    id: uuid(),
    unit_id: unitId,
    type_code: '',
    title: '',
    started_at: now.toISOString(),
    minutes: null,
    place: '',
    organisers: userId ? [userId] : [],
    volunteers: [],
    description: '',
    attendees: [],
  };
}

export const loadDraft = () => getSecret(DRAFT, null);
export const saveDraft = (draft) => setSecret(DRAFT, draft);

/** Add a resident to the draft's attendees once; answers whether it was new. */
export function addAttendee(draft, residentId, { identifiedBy, qrToken = null, at = new Date() }) {
  if (draft.attendees.some((a) => a.resident_id === residentId)) return false;
  draft.attendees.push({
    resident_id: residentId,
    identified_by: identifiedBy,
    qr_token: identifiedBy === 'qr' ? qrToken : null,
    at: at.toISOString(),
  });
  return true;
}

/** Keep a photo taken for the draft (or any activity not yet saved). */
export async function addPhoto(activityId, photo) {
  const row = { id: uuid(), activity_id: activityId, caption: '', ...photo };
  await db.activityPhotos.put(await sealRow('activityPhotos', row));
  return row;
}

export async function setCaption(photoId, caption) {
  const [row] = await openRows('activityPhotos', [await db.activityPhotos.get(photoId)]);
  if (!row) return;
  await db.activityPhotos.put(await sealRow('activityPhotos', { ...row, caption }));
}

export const removePhoto = (photoId) => db.activityPhotos.delete(photoId);

/** The photos of an activity, in the order taken. */
export async function photosOf(activityId) {
  const rows = await openRows(
    'activityPhotos',
    await db.activityPhotos.where('activity_id').equals(activityId).toArray(),
  );
  return rows.sort((a, b) => String(a.taken_at).localeCompare(String(b.taken_at)));
}

/** Give up the draft, its photos with it. */
export async function discardDraft() {
  const draft = await loadDraft();
  if (draft) await db.activityPhotos.where('activity_id').equals(draft.id).delete();
  await setMeta(DRAFT, null);
}

// ---- saving ----------------------------------------------------------------------------

/** What the server takes for an activity (docs/activities.md, "Sync"). */
export function payloadOf(draft) {
  return {
    id: draft.id,
    unit_id: draft.unit_id,
    type_code: draft.type_code,
    title: draft.title.trim(),
    started_at: draft.started_at,
    minutes: draft.minutes || null,
    place: draft.place.trim(),
    organisers: draft.organisers,
    volunteers: draft.volunteers
      .filter((v) => v.name.trim())
      .map((v) => ({ name: v.name.trim(), hours: Number(v.hours) || 0 })),
    description: draft.description.trim(),
    attendees: draft.attendees.map((a) => ({
      resident_id: a.resident_id,
      identified_by: a.identified_by,
      qr_token: a.qr_token ?? null,
      at: a.at,
    })),
  };
}

/** The phone's copy of an activity recorded here, as the list and the screen read it. */
function localCopy(payload, userId, photoCount) {
  return {
    ...payload,
    held_on: localDay(payload.started_at),
    attendee_ids: payload.attendees.map((a) => a.resident_id),
    photo_count: photoCount,
    created_by: userId,
    local: true,
  };
}

/**
 * Put the finished activity and its photos in the outbox, in one transaction (the photos after
 * the activity), and forget the draft. Resolves the activity's id.
 */
export async function save(draft, userId, now = new Date()) {
  const payload = payloadOf(draft);
  const photos = await photosOf(draft.id);
  const rows = [
    outbox.row('activity', payload, now),
    ...photos.map((p, i) =>
      outbox.row(
        'activity_photo',
        {
          id: p.id,
          activity_id: payload.id,
          content_type: p.content_type,
          width: p.width,
          height: p.height,
          taken_at: p.taken_at,
          caption: p.caption || '',
          data: p.data,
        },
        new Date(now.getTime() + i + 1),
      ),
    ),
  ];
  const [sealedRows, copy] = await Promise.all([
    sealRows('outbox', rows),
    sealRow('activities', localCopy(payload, userId, photos.length)),
  ]);
  await db.transaction('rw', db.outbox, db.activities, db.meta, async () => {
    await db.outbox.bulkAdd(sealedRows);
    await db.activities.put(copy);
    await db.meta.put({ key: DRAFT, value: null });
  });
  return payload.id;
}

// ---- what the pull brings --------------------------------------------------------------

/** The pull's activities over the phone's copies; what was recorded here is kept beside. */
export async function applyPulled(pulled, activityTypes) {
  if (activityTypes?.length) await setMeta('activity_types', activityTypes);
  if (!pulled?.length) return;
  const held = new Map(
    (
      await openRows(
        'activities',
        (await db.activities.bulkGet(pulled.map((a) => a.id))).filter(Boolean),
      )
    ).map((a) => [a.id, a]),
  );
  const rows = await sealRows(
    'activities',
    pulled.map((a) => ({ ...(held.get(a.id) || {}), ...a, local: false })),
  );
  await db.activities.bulkPut(rows);
}

/** Drop copies older than 31 days (the server stops sending them), their photos with them. */
export async function purgeOld(now = new Date()) {
  const old = await db.activities.where('held_on').below(since(now)).primaryKeys();
  if (!old.length) return 0;
  const waiting = new Set(await db.outbox.where('type').equals('activity').primaryKeys());
  const gone = old.filter((id) => !waiting.has(id));
  await db.transaction('rw', db.activities, db.activityPhotos, async () => {
    await db.activities.bulkDelete(gone);
    await db.activityPhotos.where('activity_id').anyOf(gone).delete();
  });
  return gone.length;
}

// ---- reading ---------------------------------------------------------------------------

/** Where an activity recorded here stands: 'waiting', 'rejected', 'conflict' or 'sent'. */
async function states() {
  const rows = await db.outbox.where('type').anyOf('activity', 'activity_photo').toArray();
  return new Map(rows.map((r) => [r.id, r.state]));
}

function withState(activity, byId) {
  const state = byId.get(activity.id);
  return { ...activity, sync: state ? (state === outbox.PENDING ? 'waiting' : state) : 'sent' };
}

/** The last 31 days' activities, newest first. */
export async function recent(now = new Date()) {
  const [rows, byId] = await Promise.all([
    db.activities.where('held_on').aboveOrEqual(since(now)).toArray(),
    states(),
  ]);
  return (await openRows('activities', rows))
    .map((a) => withState(a, byId))
    .sort((a, b) => String(b.started_at).localeCompare(String(a.started_at)));
}

/** One activity with its photos on this phone, or null. */
export async function get(id) {
  const [row] = await openRows('activities', [await db.activities.get(id)].filter(Boolean));
  if (!row) return null;
  const byId = await states();
  const photos = (await photosOf(id)).map((p) => withState(p, byId));
  return { ...withState(row, byId), photos };
}
