// A run's DAG as SVG: tasks in layers by their longest path from a root, coloured by state.
import { esc, duration } from './format.js';

const W = 150, H = 30, GAP_X = 60, GAP_Y = 14;
const COLOURS = {
  SUCCEEDED: '#1f9d55', FAILED: '#d64545', UPSTREAM_FAILED: '#d64545', TIMED_OUT: '#d64545',
  OOM_KILLED: '#d64545', LOST: '#d64545', RUNNING: '#2f6fdf', QUEUED: '#c9a227', WAITING: '#c9a227',
  PENDING: '#c9a227', CANCELLED: '#9aa1ad', SKIPPED: '#9aa1ad',
};

/** ", usually takes 12 s (p90 20 s)" from a run's forecast, if it predicts the task. */
function expected(forecast, task) {
  const p = forecast?.tasks?.[task]?.prediction;
  return p ? `, usually takes ${duration(p.p50)} (p90 ${duration(p.p90)})` : '';
}

/** Layers: each task one column right of its deepest upstream task. */
export function layers(tasks) {
  const byName = new Map(tasks.map((t) => [t.name, t]));
  const depth = new Map();
  const visit = (name, seen = new Set()) => {
    if (depth.has(name)) return depth.get(name);
    if (seen.has(name)) return 0; // a cycle cannot be stored; be safe anyway
    seen.add(name);
    const t = byName.get(name);
    const d = t && t.dependsOn.length ? 1 + Math.max(...t.dependsOn.map((u) => visit(u, seen))) : 0;
    depth.set(name, d);
    return d;
  };
  tasks.forEach((t) => visit(t.name));
  const cols = [];
  tasks.forEach((t) => (cols[depth.get(t.name)] ||= []).push(t));
  return cols;
}

/** An SVG of the DAG; at most 400 tasks are drawn (a bigger DAG is summarised by state). */
export function dagSvg(tasks, forecast) {
  if (tasks.length > 400) {
    const counts = {};
    tasks.forEach((t) => (counts[t.state] = (counts[t.state] || 0) + 1));
    return `<p class="muted">${tasks.length} tasks: ${Object.entries(counts).map(([s, n]) => `<span class="state ${esc(s)}">${esc(s)} ${n}</span>`).join(' ')}</p>`;
  }
  const cols = layers(tasks);
  const pos = new Map();
  cols.forEach((col, x) => col.forEach((t, y) => pos.set(t.name, { x: 10 + x * (W + GAP_X), y: 10 + y * (H + GAP_Y) })));
  const width = 20 + cols.length * (W + GAP_X) - GAP_X;
  const height = 20 + Math.max(...cols.map((c) => c.length)) * (H + GAP_Y) - GAP_Y;
  const edges = tasks.flatMap((t) => t.dependsOn.map((u) => {
    const a = pos.get(u), b = pos.get(t.name);
    if (!a || !b) return '';
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
    return `<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}" fill="none" stroke="#9aa1ad" marker-end="url(#arrow)"/>`;
  })).join('');
  const nodes = tasks.map((t) => {
    const p = pos.get(t.name);
    const label = t.name.length > 20 ? t.name.slice(0, 19) + '…' : t.name;
    return `<g class="dag-node" data-task="${esc(t.name)}" data-state="${esc(t.state)}">
      <title>${esc(t.name)}: ${esc(t.state)}${t.marked ? ' (marked)' : ''}${expected(forecast, t.name)}</title>
      <rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="5" fill="${COLOURS[t.state] || '#9aa1ad'}"/>
      <text x="${p.x + 8}" y="${p.y + 19}">${esc(label)}</text></g>`;
  }).join('');
  return `<svg class="dag" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#9aa1ad"/></marker></defs>
    ${edges}${nodes}</svg>`;
}

export { COLOURS };
