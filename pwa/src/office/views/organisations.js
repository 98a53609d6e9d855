// The organisations one reaches, as a tree (city → districts → offices), with the bureaus above
// one's own named. An admin renames what they reach and adds an office to a district they
// reach; the city's admin also adds a district. Inspectors read it only.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { formErrors } from '../../lib/form-errors.js';
import { client, screen, errorText } from '../ui.js';
import { session } from '../../state/index.js';
import { organisations, forgetOrganisations } from '../offices.js';

export function organisationsView(app) {
  const api = client();
  const view = screen(app, t('levels.title'), { intro: t('levels.intro') });
  const changes = session.isAdmin() && !session.isInspector();
  view.start(async (fresh) => {
    const all = await fresh(organisations());
    const saved = (message) => {
      forgetOrganisations();
      app.toast(message);
      view.reload();
    };
    view.body.replaceChildren(
      treeOf(all, changes ? (org) => renameForm(api, org, saved) : null),
      changes ? createForm(api, all, saved) : null,
    );
  });
  return { el: view.el, title: t('levels.title'), destroy: view.destroy };
}

/** The organisations as nested lists, each under its parent (the top: those without one here). */
function treeOf(all, editor) {
  const ids = new Set(all.map((org) => org.id));
  const children = new Map();
  for (const org of all) {
    const parent = ids.has(org.parent_id) ? org.parent_id : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(org);
  }
  const branch = (parent) => {
    const items = (children.get(parent) || []).sort((a, b) => a.name.localeCompare(b.name));
    if (!items.length) return null;
    return h(
      'ul',
      { class: 'levels-tree' },
      items.map((org) =>
        h(
          'li',
          { class: `levels-node levels-${org.kind}`, 'data-id': org.id },
          h(
            'div',
            { class: 'row levels-line' },
            h('strong', null, org.name),
            h('span', { class: 'pill' }, t(`levels.kind.${org.kind}`)),
            org.reached ? null : h('span', { class: 'note' }, t('levels.above')),
            editor && org.reached ? editor(org) : null,
          ),
          branch(org.id),
        ),
      ),
    );
  };
  return h('section', { 'aria-label': t('levels.treeTitle') }, branch(null));
}

/** A rename behind a button: the name's field opens in place. */
function renameForm(api, org, saved) {
  const box = h('span', { class: 'levels-rename' });
  const open = h(
    'button',
    { type: 'button', class: 'btn secondary small', onclick: () => show() },
    t('levels.rename'),
  );
  box.append(open);
  function show() {
    const name = h('input', { type: 'text', value: org.name, 'aria-label': t('levels.name') });
    const top = h('span', { class: 'error', role: 'alert' });
    const errors = formErrors({ controls: { name }, top, general: errorText });
    const form = h(
      'form',
      {
        class: 'row',
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            await api.send('PATCH', `/api/v1/organisations/${org.id}`, {
              name: name.value.trim(),
            });
            saved(t('levels.renamed'));
          } catch (err) {
            errors.show(err);
          }
        },
      },
      name,
      h('button', { type: 'submit', class: 'btn small' }, t('levels.save')),
      top,
    );
    box.replaceChildren(form);
    name.focus();
  }
  return box;
}

/** A new office in a district one reaches, or (the city's admin) a new district. */
function createForm(api, all, saved) {
  const own = session.current()?.user?.organisation_id;
  const city = all.find((org) => org.kind === 'city' && org.reached);
  const wholeCity = city && city.id === own;
  const districts = all.filter((org) => org.kind === 'district' && org.reached);
  const kinds = [...(wholeCity ? ['district'] : []), ...(districts.length ? ['office'] : [])];
  if (!kinds.length) return null;
  const kind = h(
    'select',
    { onchange: () => showParent() },
    kinds.map((k) => h('option', { value: k }, t(`levels.kind.${k}`))),
  );
  const parent = h(
    'select',
    null,
    districts.map((org) => h('option', { value: org.id }, org.name)),
  );
  const parentField = field(t('levels.district'), parent);
  const name = h('input', { type: 'text' });
  const top = h('p', { class: 'error', role: 'alert' });
  const errors = formErrors({
    controls: { kind, name, parent_id: parent },
    top,
    general: errorText,
  });
  function showParent() {
    parentField.hidden = kind.value !== 'office';
  }
  showParent();
  return h(
    'form',
    {
      class: 'admin-form levels-create',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        errors.clear();
        const body = {
          kind: kind.value,
          name: name.value.trim(),
          parent_id: kind.value === 'office' ? parent.value : city.id,
        };
        try {
          await api.send('POST', '/api/v1/organisations', body);
          saved(t('levels.created'));
        } catch (err) {
          errors.show(err);
        }
      },
    },
    h('h2', null, t('levels.createTitle')),
    top,
    h(
      'div',
      { class: 'row' },
      field(t('levels.kindLabel'), kind),
      parentField,
      field(t('levels.name'), name, { required: true }),
    ),
    h('button', { type: 'submit', class: 'btn' }, t('levels.create')),
  );
}
