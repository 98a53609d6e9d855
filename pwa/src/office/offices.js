// The organisations one reaches (GET /organisations), read once per login: the office picker
// beside a screen's unit filter, the office a roll-up link names (#/board?office_id=…), and
// the name of one's own organisation in the header.
import { h, field } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { request } from '../lib/api.js';
import { session } from '../state/index.js';

let loaded = null; // {token, promise}

/** Every organisation one reaches, and the bureaus above them (reached: false). */
export function organisations() {
  const token = session.token();
  if (!loaded || loaded.token !== token) {
    const promise = request('/api/v1/organisations', { token, timeoutMs: 30_000 }).catch((err) => {
      loaded = null; // the next screen asks again
      throw err;
    });
    loaded = { token, promise };
  }
  return loaded.promise;
}

/** Forget what was read: an organisation was made or renamed. */
export function forgetOrganisations() {
  loaded = null;
}

/** The offices one reaches, by name. */
export async function reachedOffices() {
  const all = await organisations();
  return all
    .filter((org) => org.kind === 'office' && org.reached)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The name of the organisation one works at ('' when it cannot be read). */
export async function ownOrganisationName() {
  const id = session.current()?.user?.organisation_id;
  if (!id) return '';
  try {
    return (await organisations()).find((org) => org.id === id)?.name || '';
  } catch {
    return '';
  }
}

/** The office a link names in the hash's query (#/board?office_id=…), '' for none. */
export function officeFromHash(hash = globalThis.location?.hash || '') {
  const query = hash.split('?')[1] || '';
  return new URLSearchParams(query).get('office_id') || '';
}

/** The units of the office chosen ('' : every unit one sees). */
export function unitsOfOffice(units, office) {
  return office ? units.filter((unit) => unit.office_id === office) : units;
}

/**
 * The office picker, in `box`: only for someone who reaches more than one office. Choosing one
 * calls `onchange(id)` ('' for all of them).
 */
export async function fillOfficeFilter({ fresh, box, filters, onchange }) {
  const offices = await fresh(reachedOffices());
  if (offices.length < 2) {
    box.replaceChildren();
    return;
  }
  const select = h(
    'select',
    { onchange: (e) => onchange(e.target.value) },
    h('option', { value: '' }, t('levels.allOffices')),
    offices.map((office) => h('option', { value: office.id }, office.name)),
  );
  select.value = filters.office || '';
  box.replaceChildren(field(t('levels.office'), select));
}
