// Activities on the phone (docs/activities.md): the photo's resize steps down under the limit,
// the store keeps the draft and its photos, saves the activity and its photos to the outbox
// in order, sends photos in requests of their own, and keeps what the pull brings.
import { describe, it, expect, beforeEach } from 'vitest';
import { fitWithin, stepDown, MAX_SIDE, PHOTO_MAX_BYTES } from '../src/lib/photo.js';
import * as activities from '../src/sync/activities.js';
import * as outbox from '../src/sync/outbox.js';
import { createSyncClient, MAX_PHOTOS } from '../src/sync/client.js';
import { db, getMeta } from '../src/sync/db.js';
import { store } from '../src/sync/store.js';
import { resetDb } from './helpers.js';

beforeEach(resetDb);

/** An encoder whose output shrinks with the pixels and the quality, as a JPEG's does. */
function fakeEncoder(bytesPerPixelAtFull) {
  const calls = [];
  const encode = async (width, height, quality) => {
    calls.push({ width, height, quality });
    return { size: Math.round(width * height * bytesPerPixelAtFull * quality) };
  };
  return { encode, calls };
}

describe('resizing a photo', () => {
  it('fits the long side within 1600 px and keeps the shape', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: MAX_SIDE, height: 1200 });
    expect(fitWithin(3000, 4000)).toEqual({ width: 1200, height: MAX_SIDE });
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
  });

  it('takes the first try when it is under the limit', async () => {
    const { encode, calls } = fakeEncoder(0.1);
    const out = await stepDown(encode, 4000, 3000);
    expect(calls).toEqual([{ width: 1600, height: 1200, quality: 0.8 }]);
    expect(out).toMatchObject({ width: 1600, height: 1200, quality: 0.8 });
  });

  it('lowers the quality, then the size, until it is under the limit', async () => {
    // 1600 x 1200 at 0.8 is 1.54 MB: every quality down to 0.5 is still too large at that size.
    const { encode, calls } = fakeEncoder(1);
    const out = await stepDown(encode, 4000, 3000);
    expect(out.blob.size).toBeLessThanOrEqual(PHOTO_MAX_BYTES);
    const qualities = calls.filter((c) => c.width === 1600).map((c) => c.quality);
    expect(qualities).toEqual([0.8, 0.7, 0.6, 0.5]);
    expect(out.width).toBeLessThan(1600);
    expect(out.width / out.height).toBeCloseTo(4 / 3, 1);
    // Every try but the last was over the limit.
    for (const c of calls.slice(0, -1))
      expect(c.width * c.height * c.quality).toBeGreaterThan(PHOTO_MAX_BYTES);
  });

  it('gives up on an image that no step makes small enough', async () => {
    const { encode } = fakeEncoder(1000);
    await expect(stepDown(encode, 4000, 3000)).rejects.toThrow('photo-too-large');
  });
});

const photo = (over = {}) => ({
  content_type: 'image/jpeg',
  width: 4,
  height: 3,
  taken_at: '2026-12-03T10:05:00+08:00',
  data: 'AAAA',
  ...over,
});

async function filledDraft() {
  const draft = activities.newDraft('u1', 'me', new Date('2026-12-03T02:00:00Z'));
  Object.assign(draft, { type_code: 'birthday', title: ' Birthday party ', place: 'Day room' });
  activities.addAttendee(draft, 'r1', { identifiedBy: 'qr', qrToken: 'tok1' });
  activities.addAttendee(draft, 'r2', { identifiedBy: 'manual', qrToken: 'ignored' });
  await activities.saveDraft(draft);
  await activities.addPhoto(draft.id, photo({ taken_at: '2026-12-03T10:05:00+08:00' }));
  await activities.addPhoto(draft.id, photo({ taken_at: '2026-12-03T10:06:00+08:00' }));
  return draft;
}

describe('the activity store', () => {
  it('keeps the draft and its photos, and adds a resident once', async () => {
    const draft = await filledDraft();
    expect(activities.addAttendee(draft, 'r1', { identifiedBy: 'manual' })).toBe(false);
    const kept = await activities.loadDraft();
    expect(kept.attendees.map((a) => [a.resident_id, a.identified_by, a.qr_token])).toEqual([
      ['r1', 'qr', 'tok1'],
      ['r2', 'manual', null],
    ]);
    expect(await activities.photosOf(draft.id)).toHaveLength(2);
  });

  it('saves the activity then its photos to the outbox and forgets the draft', async () => {
    const draft = await filledDraft();
    await activities.save(draft, 'me', new Date('2026-12-03T03:00:00Z'));
    const items = await outbox.pendingItems();
    expect(items.map((i) => i.type)).toEqual(['activity', 'activity_photo', 'activity_photo']);
    const [sent, first] = items;
    expect(sent.payload).toMatchObject({ id: draft.id, title: 'Birthday party', unit_id: 'u1' });
    expect(first.payload).toMatchObject({ activity_id: draft.id, data: 'AAAA' });
    expect(await activities.loadDraft()).toBeNull();
    const [listed] = await activities.recent(new Date('2026-12-04T00:00:00Z'));
    expect(listed).toMatchObject({ id: draft.id, attendee_ids: ['r1', 'r2'], sync: 'waiting' });
  });

  it('a photo waiting for its activity stays pending', async () => {
    const draft = await filledDraft();
    await activities.save(draft, 'me');
    const items = await outbox.pendingItems();
    const photoItem = items.find((i) => i.type === 'activity_photo');
    const waiting = {
      id: photoItem.id,
      status: 'rejected',
      errors: { activity_id: ['not yet received'] },
    };
    expect(outbox.notYetReceived(photoItem, waiting)).toBe(true);
  });

  it('keeps what the pull brings, with the types, over its own copy', async () => {
    const draft = await filledDraft();
    await activities.save(draft, 'me', new Date('2026-12-03T03:00:00Z'));
    await store.applyRoster({
      activities: [
        {
          id: draft.id,
          title: 'Birthday party',
          attendee_ids: ['r1', 'r2'],
          photo_count: 2,
          held_on: '2026-12-03',
        },
      ],
      activity_types: [{ code: 'birthday', name_en: 'Birthday party', name_zh: '生日会' }],
    });
    expect((await activities.types()).map((x) => x.code)).toEqual(['birthday']);
    const held = await activities.get(draft.id);
    expect(held).toMatchObject({ local: false, photo_count: 2, description: '' });
    expect(held.photos).toHaveLength(2);
  });

  it('drops copies older than 31 days', async () => {
    await store.applyRoster({
      activities: [{ id: 'old', title: 'Old', held_on: '2026-10-01', attendee_ids: [] }],
    });
    expect(await activities.purgeOld(new Date('2026-12-03T00:00:00Z'))).toBe(1);
    expect(await db.activities.count()).toBe(0);
  });
});

describe('sending photos', () => {
  it('goes in requests of their own, at most four, after the activity', async () => {
    const draft = activities.newDraft('u1', 'me');
    Object.assign(draft, { type_code: 'birthday', title: 'Party' });
    activities.addAttendee(draft, 'r1', { identifiedBy: 'manual' });
    await activities.saveDraft(draft);
    for (let i = 0; i < 6; i++)
      await activities.addPhoto(draft.id, photo({ taken_at: `2026-12-03T10:0${i}:00+08:00` }));
    await activities.save(draft, 'me');
    const client = createSyncClient({ store, fetchImpl: async () => ({}) });
    const batches = client.batches(await outbox.pendingItems());
    expect(batches.map((b) => b.map((i) => i.type))).toEqual([
      ['activity'],
      Array(MAX_PHOTOS).fill('activity_photo'),
      ['activity_photo', 'activity_photo'],
    ]);
    expect(await getMeta('activity_draft')).toBeNull();
  });
});
