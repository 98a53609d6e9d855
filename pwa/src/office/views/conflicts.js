// Conflicts: a second, different copy of a visit or correction sent by a phone. Both versions
// side by side; keep the server's, take the phone's (recorded as a correction) or dismiss.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { client, screen, pager, table, problemLine, fmtDateTime } from '../ui.js';
import { session } from '../../state/index.js';

const FIELDS = [
  'observations.living',
  'observations.emotional',
  'observations.physical',
  'observations.notes',
  'service_given',
  'follow_up',
  'feedback',
];
const ACTIONS = ['keep_server', 'take_phone', 'dismiss'];

function valueOf(content, name) {
  if (!content) return undefined;
  if (name.startsWith('observations.')) return content.observations?.[name.slice(13)];
  return content[name];
}

function shown(name, value) {
  if (value === undefined || value === null || value === '') return '—';
  if (name === 'follow_up') return value ? t('common.yes') : t('common.no');
  if (value === 'ok' || value === 'concern') return t(`conflicts.value.${value}`);
  return String(value);
}

/** The rows of field / on the phone / on the server; a differing row says so in words. */
function versions(conflict) {
  const differing = new Set(conflict.differing || []);
  const rows = FIELDS.map((name) => ({ name, differs: differing.has(name) }));
  return table(
    t('conflicts.versionsOf', { name: conflict.resident_name }),
    [
      {
        label: t('conflicts.field'),
        cell: (r) => [
          t(`conflicts.field.${r.name}`),
          r.differs ? h('span', { class: 'pill wait' }, ' ≠ ', t('conflicts.differs')) : '',
        ],
      },
      {
        label: t('conflicts.onPhone'),
        cell: (r) => shown(r.name, valueOf(conflict.phone, r.name)),
      },
      {
        label: t('conflicts.onServer'),
        cell: (r) => shown(r.name, valueOf(conflict.server, r.name)),
      },
    ],
    rows,
    { rowClass: (r) => (r.differs ? 'differs' : null) },
  );
}

export function conflictsView(app) {
  const api = client();
  const filters = { state: 'open', page: 1 };
  const stateSel = h(
    'select',
    {
      onchange: (e) => {
        filters.state = e.target.value;
        filters.page = 1;
        view.reload();
      },
    },
    ['open', 'resolved', 'all'].map((v) => h('option', { value: v }, t(`conflicts.state.${v}`))),
  );
  const controls = h('div', { class: 'row filters' }, field(t('conflicts.show'), stateSel));
  const view = screen(app, t('conflicts.title'), { intro: t('conflicts.intro'), controls });

  function card(conflict) {
    const who = conflict.resident_name;
    const note = h('input', {
      type: 'text',
      maxlength: 1000,
      'aria-label': t('conflicts.noteFor', { who }),
    });
    const msg = problemLine();
    async function resolve(action) {
      try {
        await api.send('POST', `/api/v1/sync/conflicts/${conflict.id}/resolve`, {
          action,
          note: note.value.trim() || null,
        });
        app.toast(t(`conflicts.done.${action}`, { who }));
        view.reload();
      } catch (err) {
        msg.show(err);
      }
    }
    const nothingToTake = !(conflict.differing || []).length;
    return h(
      'li',
      { class: 'card conflict', 'data-conflict': String(conflict.id) },
      h(
        'p',
        { class: 'card-title' },
        '⚠ ',
        t(`conflicts.kind.${conflict.kind}`),
        ': ',
        h('a', { href: `#/resident/${conflict.resident_id}` }, who),
      ),
      h(
        'p',
        { class: 'hint' },
        t('conflicts.sent', {
          who: conflict.sender?.display_name || '—',
          device: conflict.device_id ? conflict.device_id.slice(0, 8) : '—',
          when: fmtDateTime(conflict.received_at),
        }),
      ),
      versions(conflict),
      nothingToTake ? h('p', { class: 'note' }, t('conflicts.nothingToTake')) : null,
      conflict.resolution
        ? h(
            'p',
            null,
            '✓ ',
            t(`conflicts.resolution.${conflict.resolution}`, {
              when: fmtDateTime(conflict.resolved_at),
              note: conflict.resolution_note || '—',
            }),
          )
        : session.isInspector()
          ? null
          : h(
              'form',
              { class: 'conflict-resolve', onsubmit: (e) => e.preventDefault() },
              field(t('conflicts.note'), note),
              h(
                'div',
                { class: 'row' },
                ACTIONS.map((action) =>
                  h(
                    'button',
                    {
                      type: 'button',
                      class: action === 'take_phone' ? 'btn' : 'btn secondary',
                      disabled: action === 'take_phone' && nothingToTake,
                      'aria-label': t(`conflicts.action.${action}For`, { who }),
                      onclick: () => resolve(action),
                    },
                    t(`conflicts.action.${action}`),
                  ),
                ),
              ),
            ),
      msg.el,
    );
  }

  view.start(async (fresh) => {
    const answer = await fresh(
      api.get('/api/v1/sync/conflicts', { state: filters.state, page: filters.page, per_page: 20 }),
    );
    view.body.replaceChildren(
      answer.items.length
        ? h('ul', { class: 'cards' }, answer.items.map(card))
        : h('p', { class: 'note' }, t('conflicts.none')),
      pager(
        answer,
        (p) => {
          filters.page = p;
          view.reload();
        },
        t('conflicts.title'),
      ),
    );
  });
  return { el: view.el, title: t('conflicts.title'), destroy: view.destroy };
}
