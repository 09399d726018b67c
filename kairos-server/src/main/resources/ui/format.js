// Small formatting helpers: escaping, times, durations, cron in words, JSON as YAML.

export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export function time(iso, zone) {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone || undefined, year: 'numeric', month: 'short', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: zone ? 'short' : undefined,
  }).format(new Date(iso));
}

export function ms(a, b) {
  if (!a) return null;
  return (b ? new Date(b) : new Date()) - new Date(a);
}

export function duration(millis) {
  if (millis == null) return '—';
  if (millis < 1000) return `${Math.round(millis)} ms`;
  const s = millis / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MACROS = { '@hourly': '0 * * * *', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@weekly': '0 0 * * 0', '@monthly': '0 0 1 * *', '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *' };
const pad = (n) => String(n).padStart(2, '0');
const num = (f) => /^\d+$/.test(f);

/** The usual cron shapes in words; anything else as it is written. */
export function cronWords(expr) {
  if (!expr) return 'on demand only';
  let f = (MACROS[expr] || expr).trim().split(/\s+/);
  let sec = null;
  if (f.length === 6) { sec = f[0]; f = f.slice(1); }
  if (f.length !== 5) return expr;
  const [min, hour, dom, mon, dow] = f;
  const everyDay = dom === '*' && mon === '*' && dow === '*';
  if (sec === '*' && min === '*' && hour === '*' && everyDay) return 'every second';
  if (sec && sec.startsWith('*/') && min === '*' && hour === '*' && everyDay) return `every ${sec.slice(2)} seconds`;
  if (sec && sec !== '0') return expr;
  if (min === '*' && hour === '*' && everyDay) return 'every minute';
  if (min.startsWith('*/') && hour === '*' && everyDay) return `every ${min.slice(2)} minutes`;
  if (num(min) && hour === '*' && everyDay) return `every hour at :${pad(min)}`;
  if (num(min) && hour.startsWith('*/') && everyDay) return `every ${hour.slice(2)} hours at :${pad(min)}`;
  if (num(min) && num(hour)) {
    const at = `at ${pad(hour)}:${pad(min)}`;
    if (everyDay) return `every day ${at}`;
    if (dom === '*' && mon === '*' && dow === '1-5') return `weekdays ${at}`;
    if (dom === '*' && mon === '*' && num(dow)) return `every ${DAYS[Number(dow) % 7]} ${at}`;
    if (num(dom) && mon === '*' && dow === '*') return `monthly on day ${dom} ${at}`;
  }
  return expr;
}

/** A JSON value as YAML (for showing a job's spec the way it was written). */
export function yaml(value, indent = '') {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return value.map((v) => `\n${indent}- ${yaml(v, indent + '  ').replace(/^\n\s*/, '')}`).join('');
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (!keys.length) return '{}';
    return keys.map((k) => {
      const v = value[k];
      const inner = yaml(v, indent + '  ');
      const block = typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length : Object.keys(v).length);
      return `\n${indent}${k}:${block ? inner : ' ' + inner}`;
    }).join('');
  }
  if (typeof value === 'string') return /^[\w./:@-]+$/.test(value) && !/^(true|false|null|\d.*)$/.test(value) ? value : JSON.stringify(value);
  return String(value);
}
