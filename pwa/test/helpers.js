import { db } from '../src/sync/db.js';

export async function resetDb() {
  await Promise.all(db.tables.map((t) => t.clear()));
}

let n = 0;
export function visit(over = {}) {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    resident_id: over.resident_id || 'r1',
    kind: 'round',
    checked_in_at: '2026-11-23T09:00:00+08:00',
    checked_out_at: '2026-11-23T09:05:00+08:00',
    identified_by: 'manual',
    qr_token: null,
    location: null,
    observations: { living: 'ok', emotional: 'ok', physical: 'concern', notes: 'cough' },
    service_given: 'talked',
    follow_up: false,
    satisfaction: 'satisfied',
    feedback: '',
    signature: {
      signer: 'resident',
      signer_name: null,
      reason: null,
      width: 600,
      height: 200,
      encoding: 'delta',
      strokes: [[10, 10, 1, 1, 2, 2]],
    },
    ...over,
  };
}
