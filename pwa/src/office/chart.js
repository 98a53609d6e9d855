// A chart next to its table: a <figure> with a caption, a legend in words (each name with a
// sample of its line: colour, dash and marker) and the plot, drawn by uPlot on a canvas.
// The table stays the source of truth: the plot is aria-hidden and the caption says where the
// numbers are. uPlot is imported when the first chart is drawn (office/uplot.js, a lazy chunk),
// sizes itself to its box (rem-based height) and is dropped when the figure leaves the page.
import { h, svg } from '../lib/dom.js';
import { seriesStyle, TARGET_COLOUR } from './chart-data.js';

let loading = null;
const loadUplot = () => (loading ||= import('./uplot.js').then((m) => m.default));

const INK = '#3d3d3d';
const GRID = '#d9d9d9';
const rootPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

/**
 * spec: {caption, summary?, labels: [x…], xLabel(label) → text, series: [{label, values}],
 * target?: {label, value}, kind: 'line' | 'bars', yMax? (100 for shares), yLabel(v) → text}.
 */
export function chartFigure(spec) {
  const plot = h('div', { class: 'chart-plot', 'aria-hidden': 'true' });
  const fig = h(
    'figure',
    { class: `chart chart-${spec.kind || 'line'}` },
    h(
      'figcaption',
      null,
      h('span', { class: 'chart-title' }, spec.caption),
      spec.summary ? h('span', { class: 'chart-summary' }, spec.summary) : null,
    ),
    legend(spec),
    plot,
  );
  mount(plot, spec);
  return fig;
}

function legend(spec) {
  const items = spec.series.map((s, i) => {
    const st = seriesStyle(i);
    return h(
      'li',
      null,
      sample(st.colour, st.dash, spec.kind === 'bars' ? 'bar' : st.hollow ? 'hollow' : 'dot'),
      h('span', null, s.label),
    );
  });
  if (spec.target)
    items.push(
      h('li', null, sample(TARGET_COLOUR, [6, 4], null), h('span', null, spec.target.label)),
    );
  return h('ul', { class: 'chart-legend' }, items);
}

/** A 2.25 × 1 rem sample of a line (or a bar), in SVG attributes only (the CSP allows those). */
function sample(colour, dash, marker) {
  const el = svg('svg', { class: 'chart-key', viewBox: '0 0 36 16', 'aria-hidden': 'true' });
  if (marker === 'bar') {
    el.append(svg('rect', { x: 10, y: 2, width: 16, height: 12, fill: colour }));
    return el;
  }
  el.append(
    svg('line', {
      x1: 1,
      x2: 35,
      y1: 8,
      y2: 8,
      stroke: colour,
      'stroke-width': 2.5,
      'stroke-dasharray': dash.length ? dash.join(' ') : 'none',
    }),
  );
  if (marker)
    el.append(
      svg('circle', {
        cx: 18,
        cy: 8,
        r: 3.5,
        fill: marker === 'hollow' ? '#fff' : colour,
        stroke: colour,
        'stroke-width': 2,
      }),
    );
  return el;
}

/** Draw once the box has a width; redraw at each new width; let go when the figure is gone. */
function mount(plot, spec) {
  let chart = null;
  let width = 0;
  const ro = new ResizeObserver(() => {
    if (!plot.isConnected) {
      ro.disconnect();
      chart?.destroy();
      chart = null;
      return;
    }
    const w = Math.floor(plot.clientWidth);
    if (!w || w === width) return;
    width = w;
    const size = { width: w, height: heightFor(w) };
    if (chart) chart.setSize(size);
    else
      loadUplot()
        .then((uPlot) => {
          if (!plot.isConnected || chart) return;
          chart = new uPlot(
            options(uPlot, spec, { width, height: heightFor(width) }),
            data(spec),
            plot,
          );
        })
        .catch(() => plot.replaceChildren());
  });
  ro.observe(plot);
}

/** 55% of the width, between 12 and 18 rem: a phone gets a squat chart, a PC no wall of it. */
function heightFor(width) {
  const rem = rootPx();
  return Math.round(Math.min(18 * rem, Math.max(12 * rem, width * 0.55)));
}

function data(spec) {
  return [spec.labels.map((_, i) => i), ...spec.series.map((s) => s.values)];
}

/** The target as a dashed line across the whole plot, drawn over the bars and lines. */
function targetLine(uPlot, value) {
  return (u) => {
    const r = uPlot.pxRatio || 1;
    const y = Math.round(u.valToPos(value, 'y', true)) + 0.5;
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = TARGET_COLOUR;
    ctx.lineWidth = 1.5 * r;
    ctx.setLineDash([6 * r, 4 * r]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.restore();
  };
}

function options(uPlot, spec, size) {
  const rem = rootPx();
  const font = `${Math.round(0.8125 * rem)}px system-ui, sans-serif`;
  const n = spec.labels.length;
  const bars = spec.kind === 'bars';
  const series = spec.series.map((s, i) => {
    const st = seriesStyle(i);
    return bars
      ? {
          label: s.label,
          stroke: st.colour,
          fill: st.colour,
          width: 0,
          paths: uPlot.paths.bars({ size: [0.6, 4 * rem] }),
          points: { show: false },
        }
      : {
          label: s.label,
          stroke: st.colour,
          width: 2.5,
          dash: st.dash,
          spanGaps: false,
          points: {
            show: true,
            size: 7,
            width: 2,
            stroke: st.colour,
            fill: st.hollow ? '#fff' : st.colour,
          },
        };
  });
  const axis = { stroke: INK, font, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID } };
  return {
    ...size,
    legend: { show: false },
    cursor: { show: false, drag: { x: false, y: false } },
    select: { show: false },
    hooks: spec.target ? { draw: [targetLine(uPlot, spec.target.value)] } : {},
    scales: {
      // Half a step (bars) or a third of one (lines) beyond the first and last point, so that
      // neither sits on the plot's edge.
      x: { time: false, range: () => (bars || n <= 1 ? [-0.5, n - 0.5] : [-0.3, n - 0.7]) },
      y: { range: (u, min, max) => [0, spec.yMax ?? Math.max(4, Math.ceil((max || 0) * 1.1))] },
    },
    axes: [
      {
        ...axis,
        space: 4.5 * rem,
        incrs: [1, 2, 3, 4, 6, 7, 12, 14, 28],
        values: (u, splits) =>
          splits.map((v) =>
            Number.isInteger(v) && spec.labels[v] ? spec.xLabel(spec.labels[v]) : '',
          ),
      },
      {
        ...axis,
        size: 3.25 * rem,
        space: 2 * rem,
        incrs: spec.yMax ? [10, 20, 25, 50] : [1, 2, 5, 10, 20, 50, 100],
        values: (u, splits) => splits.map((v) => spec.yLabel(v)),
      },
    ],
    series: [{}, ...series],
  };
}
