// Pure helpers of the roll-up screen (tested in test/rollup.test.js).

/** The hash of an organisation's roll-up. */
export const rollupHref = (id) => `#/rollup/${encodeURIComponent(id)}`;

/** An office's coverage board and satisfaction report, filtered to the office. */
export function officeLinks(id) {
  const office = encodeURIComponent(id);
  return {
    board: `#/board?office_id=${office}`,
    satisfaction: `#/satisfaction?office_id=${office}`,
  };
}

/** The trail: the bureaus above (a link where one reaches them), then the organisation. */
export function trailSteps(answer) {
  return [
    ...answer.above.map((node) => ({
      name: node.name,
      href: node.reached ? rollupHref(node.id) : null,
      current: false,
    })),
    { name: answer.organisation.name, href: null, current: true },
  ];
}

/** The table's rows: the children, then the organisation's totals marked `total`. */
export function tableRows(answer) {
  return [...answer.rows, { ...answer.total, ...answer.organisation, total: true }];
}

/** Where a row's name leads: a district or an office to its own roll-up; a unit nowhere. */
export const rowHref = (row) => (row.total || row.kind === 'unit' ? null : rollupHref(row.id));
