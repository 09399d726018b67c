// A Gantt timeline of a run's attempts and a bar chart of run durations, as SVG.
import { esc, duration } from './format.js';
import { COLOURS } from './dag.js';

export function ganttSvg(attempts, width = 1200) {
  const started = attempts.filter((a) => a.startedAt);
  if (!started.length) return '<p class="muted">No attempt has started yet.</p>';
  const shown = started.slice(0, 300);
  const t0 = Math.min(...shown.map((a) => Date.parse(a.startedAt)));
  const t1 = Math.max(...shown.map((a) => (a.finishedAt ? Date.parse(a.finishedAt) : Date.now())));
  const span = Math.max(1, t1 - t0);
  const left = 160, row = 18, plot = width - left - 20;
  const bars = shown.map((a, i) => {
    const s = Date.parse(a.startedAt), e = a.finishedAt ? Date.parse(a.finishedAt) : Date.now();
    const x = left + ((s - t0) / span) * plot, w = Math.max(2, ((e - s) / span) * plot), y = 20 + i * row;
    return `<g><title>${esc(a.task)} #${a.attempt}: ${esc(a.state)}, ${duration(e - s)}</title>
      <text x="4" y="${y + 12}">${esc(a.task)}${a.attempt > 1 ? ' #' + a.attempt : ''}</text>
      <rect x="${x}" y="${y + 2}" width="${w}" height="${row - 6}" rx="2" fill="${COLOURS[a.state] || '#9aa1ad'}"/></g>`;
  }).join('');
  const height = 30 + shown.length * row;
  return `<svg class="gantt" width="100%" viewBox="0 0 ${width} ${height}">
    <text x="${left}" y="12" class="muted">0</text><text x="${width - 80}" y="12">${duration(span)}</text>${bars}</svg>`
    + (started.length > shown.length ? `<p class="muted">First ${shown.length} of ${started.length} attempts.</p>` : '');
}

export function durationBars(runs, width = 1200) {
  const done = runs.filter((r) => r.startedAt).slice(0, 50).reverse();
  if (!done.length) return '<p class="muted">No run has started yet.</p>';
  const ms = (r) => (r.finishedAt ? Date.parse(r.finishedAt) : Date.now()) - Date.parse(r.startedAt);
  const max = Math.max(...done.map(ms), 1);
  const h = 120, bw = Math.min(40, (width - 40) / done.length - 4);
  const bars = done.map((r, i) => {
    const bh = Math.max(2, (ms(r) / max) * (h - 20));
    const x = 30 + i * (bw + 4);
    return `<a href="#/runs/${r.id}"><rect x="${x}" y="${h - bh}" width="${bw}" height="${bh}" fill="${COLOURS[r.state] || '#9aa1ad'}"><title>run ${r.id}: ${esc(r.state)}, ${duration(ms(r))}</title></rect></a>`;
  }).join('');
  return `<svg class="durations" width="100%" viewBox="0 0 ${width} ${h + 4}"><text x="0" y="12">${duration(max)}</text>${bars}</svg>`;
}
