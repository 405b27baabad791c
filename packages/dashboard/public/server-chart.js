// A server's last minute as a uPlot chart: the server's page shows it, and a card the same, smaller.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';
import uPlot from '/vendor/uplot.mjs';
import { clock } from '/time-format.js';

const html = htm.bind(h);

/** A CSS colour expression (custom properties, color-mix) as the rgb() string a canvas takes. */
function cssColor(el, expression, fallback) {
  const probe = document.createElement('span');
  probe.style.color = expression;
  el.appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || fallback;
}

/** What each chart shows: its series with units, and the y axes they use. */
const METRICS = {
  rate: { label: 'calls/s', scale: 'rate', unit: (v) => `${v} calls/s`, color: '#0969da', axis: 'calls per second' },
  latency: {
    label: 'median latency (ms)',
    scale: 'ms',
    unit: (v) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`,
    color: '#9a6700',
    axis: 'latency (ms)',
  },
};

/** The legend at the last second while the cursor is off the chart. */
const latest = (u) => {
  if (u.cursor.idx == null) u.setLegend({ idx: u.data[0].length - 1 }, false);
};

/**
 * The last minute of a server by uPlot, against clock time (x axis "time"): calls per second
 * (bars, y axis "calls per second"), the median latency of each second (points, y axis
 * "latency (ms)"), or both. The legend follows the cursor (else shows the latest second) and gives
 * each value with its unit.
 * Redrawn when the theme changes (the page's `data-theme`, or the system's colour scheme), since a
 * canvas cannot use CSS variables.
 */
export class ServerChart extends Component {
  redraw = () => this.draw();

  componentDidMount() {
    this.draw();
    // The card's width changes with the window: the chart follows, never wider than its card.
    this.resize = new ResizeObserver(() =>
      this.plot?.setSize({ width: Math.max(160, this.el.clientWidth), height: this.props.height ?? 140 }),
    );
    this.resize.observe(this.el);
    this.theme = new MutationObserver(() => this.draw());
    this.theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class'] });
    // A theme that follows the system changes with no attribute to observe.
    this.scheme = matchMedia('(prefers-color-scheme: dark)');
    this.scheme.addEventListener('change', this.redraw);
  }

  componentWillUnmount() {
    this.resize?.disconnect();
    this.theme?.disconnect();
    this.scheme?.removeEventListener('change', this.redraw);
    this.plot?.destroy();
  }

  draw() {
    this.plot?.destroy();
    const ink = cssColor(this.el, 'var(--muted, #666a73)', '#666a73');
    const grid = cssColor(this.el, 'color-mix(in srgb, var(--muted, #666a73) 22%, transparent)', '#e4e6ea');
    const axis = {
      font: '10px system-ui, sans-serif',
      labelFont: '11px system-ui, sans-serif',
      stroke: ink,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, size: 3 },
      gap: 2,
      labelSize: 14,
    };
    const shown = (this.props.metrics ?? ['rate', 'latency']).map((m) => METRICS[m]);
    const both = shown.length > 1;
    const axes = [
      {
        ...axis,
        scale: 'x',
        label: 'time',
        size: 22,
        space: 60,
        values: (_, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString([], { timeStyle: 'medium' })),
      },
      ...shown.map((m, i) => ({
        ...axis,
        scale: m.scale,
        side: i === 0 ? 3 : 1,
        label: both ? m.label : m.axis,
        size: 40,
        grid: i === 0 ? axis.grid : { show: false },
      })),
    ];
    const series = [
      { label: 'time', value: (_, v) => (v == null ? '–' : clock(v * 1000)) },
      ...shown.map((m) =>
        m.scale === 'rate'
          ? {
              label: m.label,
              scale: 'rate',
              stroke: m.color,
              fill: 'rgba(9,105,218,0.15)',
              paths: /** @type {NonNullable<typeof uPlot.paths.bars>} */ (uPlot.paths.bars)(),
              value: (_, v) => (v == null ? '–' : m.unit(v)),
            }
          : {
              label: m.label,
              scale: 'ms',
              stroke: m.color,
              spanGaps: false,
              points: { show: true, size: 4 },
              value: (_, v) => (v == null ? '–' : m.unit(v)),
            },
      ),
    ];
    // The canvas draws the axes' labels; the accessible name says them too.
    const sides = ['x axis', ...shown.map((_, i) => (i === 0 ? 'left axis' : 'right axis'))];
    this.el.setAttribute('aria-label', `${this.label()}; ${axes.map((a, i) => `${sides[i]}: ${a.label}`).join('; ')}`);
    /** @type {import('uplot').Options} */
    const options = {
      width: Math.max(160, this.el.clientWidth),
      height: this.props.height ?? 140,
      legend: { show: true, live: true },
      cursor: { show: true, drag: { x: false, y: false }, points: { show: false } },
      scales: {
        x: { time: false },
        rate: { range: (_, _min, max) => [0, Math.max(1, max)] },
        ms: { range: (_, _min, max) => [0, Math.max(1, max ?? 1)] },
      },
      axes,
      series,
      // Away from the cursor the legend gives the latest second, not dashes.
      hooks: { ready: [latest], setData: [latest], setCursor: [latest] },
    };
    this.plot = new uPlot(options, this.dataOf(this.props.server), this.el);
  }

  // The chart is uPlot's: new numbers go to it, Preact leaves its element alone.
  shouldComponentUpdate(next) {
    if (next.server.until !== this.props.server.until) this.plot?.setData(this.dataOf(next.server));
    return false;
  }

  /** uPlot's columns: the end of each second of the last minute (s since the epoch), then each metric. */
  dataOf(server) {
    const end = server.until / 1000;
    const x = server.rate.map((_, i) => end - (server.rate.length - 1 - i));
    const columns = { rate: server.rate, latency: server.latency };
    return [x, ...(this.props.metrics ?? ['rate', 'latency']).map((m) => columns[m])];
  }

  label() {
    return this.props.label ?? 'calls per second and median latency, last minute';
  }

  render() {
    return html`<div class="chart" role="img" aria-label=${this.label()} ref=${(el) => (this.el = el)}></div>`;
  }
}
