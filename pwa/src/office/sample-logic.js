// Pure helpers of the sampling screens (tested in test/samples.test.js): who may draw, the
// draw form's body and its problems, the checklist's progress, and saving a note as it is typed.

export const SAMPLE_KINDS = ['visits', 'residents'];
export const SAMPLE_OUTCOMES = ['confirmed', 'discrepancy', 'unreachable'];
export const MAX_SIZE = 200;

/** The offices one may sample: those reached, by name. */
export const reachedOffices = (organisations) =>
  (organisations || [])
    .filter((o) => o.reached && o.kind === 'office')
    .sort((a, b) => a.name.localeCompare(b.name));

/**
 * Whether one draws and checks samples: an inspector, or an admin of a bureau (a district or
 * the city). An office's own admin and staff only read them; the server says the same.
 */
export function mayDraw(role, organisations) {
  if (role === 'inspector') return true;
  if (role !== 'admin') return false;
  return (organisations || []).some((o) => o.reached && o.kind !== 'office');
}

/** Why the draw cannot be sent yet, as an i18n key (null: it can). */
export function drawProblem({ officeId, start, end, size }) {
  if (!officeId) return 'samples.need.office';
  if (!start || !end) return 'samples.need.period';
  if (start > end) return 'samples.need.order';
  const n = Number(size);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIZE) return 'samples.need.size';
  return null;
}

/** The POST body from what the form holds. */
export function drawBody({ officeId, kind, start, end, size, note }) {
  return {
    office_id: officeId,
    kind,
    period_start: start,
    period_end: end,
    size: Number(size),
    note: (note || '').trim(),
  };
}

/** How many items have an outcome, of how many. */
export const progress = (items) => ({
  checked: (items || []).filter((i) => i.outcome).length,
  total: (items || []).length,
});

/**
 * Save a note as it is typed: `typed(text)` waits for a pause of `delay` ms and then calls
 * save(text) (one call at a time; the newest text wins), `flush()` saves at once what is
 * waiting. `onState(state)` hears 'waiting', 'saving', 'saved' or 'failed' (with the error).
 */
export function noteSaver(save, { delay = 700, onState = () => {} } = {}) {
  let timer = null;
  let pending = null;
  let running = null;
  async function run() {
    timer = null;
    if (pending === null) return running;
    if (running) {
      await running.catch(() => {});
      return run();
    }
    const text = pending;
    pending = null;
    onState('saving');
    running = Promise.resolve()
      .then(() => save(text))
      .then(
        () => onState(pending === null ? 'saved' : 'waiting'),
        (err) => {
          onState('failed', err);
          throw err;
        },
      )
      .finally(() => (running = null));
    return running;
  }
  return {
    typed(text) {
      pending = text;
      onState('waiting');
      clearTimeout(timer);
      timer = setTimeout(() => run().catch(() => {}), delay);
    },
    flush() {
      clearTimeout(timer);
      return run();
    },
  };
}
