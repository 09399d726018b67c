// The pages: each mounts into an element and refreshes its data in place (no reload).
import { get, post, stream } from './api.js';
import { esc, time, duration, ms, cronWords, yaml } from './format.js';
import { dagSvg } from './dag.js';
import { ganttSvg, durationBars } from './charts.js';

const state = (s) => `<span class="state ${esc(s)}">${esc(s)}</span>`;
const jobPath = (ns, name) => `/api/v1/jobs/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
const runLink = (r) => `<a href="#/runs/${r.id}">${r.id}</a>`;

function dots(runs) {
  return `<span class="dots">${runs.slice(0, 10).reverse().map((r) =>
    `<a href="#/runs/${r.id}" class="dot ${esc(r.state)}" title="run ${r.id}: ${esc(r.state)}"></a>`).join('')}</span>`;
}

function runsTable(runs, withJob) {
  if (!runs.length) return '<p class="muted">No runs yet.</p>';
  return `<table><thead><tr><th>Run</th>${withJob ? '<th>Job</th>' : ''}<th>State</th><th>Trigger</th><th>Created</th><th>Duration</th><th>Reason</th></tr></thead><tbody>
    ${runs.map((r) => `<tr data-run="${r.id}"><td>${runLink(r)}</td>${withJob ? `<td><a href="#/jobs/${esc(r.namespace)}/${esc(r.job)}">${esc(r.namespace)}/${esc(r.job)}</a></td>` : ''}
      <td>${state(r.state)}</td><td>${esc(r.trigger)}</td><td>${time(r.createdAt)}</td>
      <td>${duration(ms(r.startedAt, r.finishedAt))}</td><td class="muted">${esc(r.reason || '')}</td></tr>`).join('')}
  </tbody></table>`;
}

export const jobs = {
  title: 'Jobs',
  async mount(el) {
    el.innerHTML = '<h1>Jobs</h1><div id="jobs-table" class="card">Loading…</div>';
    el.addEventListener('click', async (e) => {
      const b = e.target.closest('button[data-action]');
      if (!b) return;
      const path = jobPath(b.dataset.ns, b.dataset.name);
      if (b.dataset.action === 'trigger') {
        const run = await post(`${path}/runs`);
        location.hash = `#/runs/${run.id}`;
      } else {
        await post(`${path}/${b.dataset.action}`);
        await this.refresh(el);
      }
    });
  },
  async refresh(el) {
    const list = (await get('/api/v1/jobs')).items;
    const runs = await Promise.all(list.slice(0, 100).map((j) =>
      get(`/api/v1/runs?job=${encodeURIComponent(j.namespace + '/' + j.name)}&limit=10`).then((r) => r.items)));
    el.querySelector('#jobs-table').innerHTML = list.length ? `<table><thead><tr>
      <th>Job</th><th>Schedule</th><th>Next fire</th><th>Last runs</th><th>Status</th><th></th></tr></thead><tbody>
      ${list.map((j, i) => `<tr data-job="${esc(j.namespace)}/${esc(j.name)}">
        <td><a href="#/jobs/${esc(j.namespace)}/${esc(j.name)}">${esc(j.namespace)}/${esc(j.name)}</a></td>
        <td title="${esc(j.schedule || '')}">${esc(cronWords(j.schedule))}${j.schedule ? ` <span class="muted">(${esc(j.timeZone)})</span>` : ''}</td>
        <td>${j.suspended ? '<span class="muted">suspended</span>' : time(j.nextFireAt, j.timeZone)}</td>
        <td>${dots(runs[i] || [])}</td>
        <td>${j.suspended ? state('SUSPENDED') : state('ACTIVE').replace('ACTIVE"', 'SUCCEEDED"')}</td>
        <td class="actions">
          <button data-action="trigger" data-ns="${esc(j.namespace)}" data-name="${esc(j.name)}" class="primary">Trigger</button>
          <button data-action="${j.suspended ? 'resume' : 'suspend'}" data-ns="${esc(j.namespace)}" data-name="${esc(j.name)}">${j.suspended ? 'Resume' : 'Suspend'}</button>
        </td></tr>`).join('')}
      </tbody></table>` : '<p class="muted">No jobs yet: <code>./kairos apply -f examples/hello.yaml</code></p>';
  },
};

export const job = {
  async mount(el, [ns, name]) {
    this.path = jobPath(ns, name);
    el.innerHTML = `<h1>${esc(ns)}/${esc(name)}</h1>
      <div class="actions"><button id="trigger" class="primary">Trigger</button></div>
      <div class="card" id="job-summary"></div>
      <h2>Run durations</h2><div class="card" id="job-chart"></div>
      <h2>Runs</h2><div id="job-runs"></div>
      <div class="grid"><div><h2>Spec</h2><pre id="job-spec"></pre></div>
      <div><h2>Versions</h2><div id="job-versions"></div></div></div>`;
    el.querySelector('#trigger').onclick = async () => {
      const run = await post(`${this.path}/runs`);
      location.hash = `#/runs/${run.id}`;
    };
    this.key = `${ns}/${name}`;
  },
  async refresh(el) {
    const [j, runs, versions] = await Promise.all([
      get(this.path), get(`/api/v1/runs?job=${encodeURIComponent(this.key)}&limit=50`), get(`${this.path}/versions`)]);
    el.querySelector('#job-summary').innerHTML = `<div class="kv">
      <span class="muted">Schedule</span><span>${esc(cronWords(j.schedule))} <code>${esc(j.schedule || '')}</code> ${esc(j.timeZone)}</span>
      <span class="muted">Next fire</span><span>${j.suspended ? 'suspended' : time(j.nextFireAt, j.timeZone)}</span>
      <span class="muted">Concurrency</span><span>${esc(j.concurrencyPolicy)}</span>
      <span class="muted">Version</span><span>${j.version}</span>
      <span class="muted">Missed fires</span><span>${j.missedFires}</span></div>`;
    el.querySelector('#job-chart').innerHTML = durationBars(runs.items);
    el.querySelector('#job-runs').innerHTML = runsTable(runs.items, false);
    el.querySelector('#job-spec').textContent = yaml(j.manifest).replace(/^\n/, '');
    el.querySelector('#job-versions').innerHTML = `<table><thead><tr><th>Version</th><th>Applied</th></tr></thead><tbody>
      ${versions.items.map((v) => `<tr><td>${v.version}</td><td>${time(v.createdAt)}</td></tr>`).join('')}</tbody></table>`;
  },
};

export const runs = {
  async mount(el) {
    el.innerHTML = '<h1>Runs</h1><div id="runs-table">Loading…</div>';
  },
  async refresh(el) {
    el.querySelector('#runs-table').innerHTML = runsTable((await get('/api/v1/runs?limit=100')).items, true);
  },
};

export const run = {
  async mount(el, [id]) {
    this.id = id;
    el.innerHTML = `<h1>Run ${esc(id)} <span id="run-state"></span></h1>
      <div class="card" id="run-summary"></div>
      <div class="actions" id="run-actions"></div>
      <h2>Tasks</h2><div class="card scroll" id="run-dag"></div>
      <h2>Timeline</h2><div class="card" id="run-gantt"></div>
      <div id="run-tasks"></div>
      <h2>Logs <span id="logs-live" class="muted"></span></h2><pre id="run-logs"></pre>`;
    el.addEventListener('click', async (e) => {
      const b = e.target.closest('button[data-action]');
      if (!b) return;
      const base = `/api/v1/runs/${this.id}`;
      if (b.dataset.action === 'mark') {
        await post(`${base}/tasks/${encodeURIComponent(b.dataset.task)}/mark`, { state: 'SUCCEEDED' });
      } else {
        await post(`${base}/${b.dataset.action}`);
      }
      await this.refresh(el);
      this.follow(el);
    });
    this.follow(el);
  },
  /** Streams the run's logs (again from the start) until it ends. */
  follow(el) {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const pre = el.querySelector('#run-logs');
    pre.textContent = '';
    const live = el.querySelector('#logs-live');
    live.textContent = '(live)';
    stream(`/api/v1/runs/${this.id}/logs/stream`, (name, data) => {
      if (name === 'log') {
        const line = document.createElement('span');
        line.className = data.stream;
        line.textContent = `[${data.task}#${data.attempt}] ${data.text}`;
        pre.append(line);
        pre.scrollTop = pre.scrollHeight;
      } else if (name === 'end') {
        live.textContent = `(run ${data.state.toLowerCase()})`;
      }
    }, abort.signal).catch((e) => { if (e.name !== 'AbortError') live.textContent = `(stream stopped: ${e.message})`; });
  },
  unmount() {
    this.abort?.abort();
  },
  async refresh(el) {
    const r = await get(`/api/v1/runs/${this.id}`);
    el.querySelector('#run-state').innerHTML = state(r.state);
    el.querySelector('#run-summary').innerHTML = `<div class="kv">
      <span class="muted">Job</span><span><a href="#/jobs/${esc(r.namespace)}/${esc(r.job)}">${esc(r.namespace)}/${esc(r.job)}</a> (version ${r.jobVersion})</span>
      <span class="muted">Trigger</span><span>${esc(r.trigger)}${r.fireTime ? ' for ' + time(r.fireTime) : ''}</span>
      <span class="muted">Created</span><span>${time(r.createdAt)}</span>
      <span class="muted">Duration</span><span>${duration(ms(r.startedAt, r.finishedAt))}</span>
      ${r.reason ? `<span class="muted">Reason</span><span>${esc(r.reason)}</span>` : ''}
      ${r.forecast?.finish ? `<span class="muted">Predicted finish</span><span id="run-forecast">${time(r.forecast.finish)} (in ${duration(Math.max(0, Date.parse(r.forecast.finish) - Date.now()))}, from past runs)</span>` : ''}</div>`;
    const active = r.state === 'PENDING' || r.state === 'RUNNING';
    el.querySelector('#run-actions').innerHTML =
      (active ? '<button data-action="cancel" class="danger">Cancel</button>' : '')
      + (r.state === 'FAILED' ? '<button data-action="retry" class="primary">Retry from failed</button>' : '');
    el.querySelector('#run-dag').innerHTML = dagSvg(r.tasks, r.forecast);
    el.querySelector('#run-gantt').innerHTML = ganttSvg(r.attempts);
    const failed = r.tasks.filter((t) => ['FAILED', 'UPSTREAM_FAILED', 'TIMED_OUT', 'OOM_KILLED', 'LOST', 'CANCELLED'].includes(t.state));
    el.querySelector('#run-tasks').innerHTML = !active && failed.length ? `<h2>Failed tasks</h2><table><tbody>
      ${failed.map((t) => `<tr><td>${esc(t.name)}</td><td>${state(t.state)}</td>
        <td><button data-action="mark" data-task="${esc(t.name)}">Mark success</button></td></tr>`).join('')}</tbody></table>` : '';
  },
};

export const pools = {
  async mount(el) {
    el.innerHTML = '<h1>Pools &amp; workers</h1><div id="pools-table" class="card"></div><h2>Workers</h2><div id="workers-table"></div>';
  },
  async refresh(el) {
    const [p, w] = await Promise.all([get('/api/v1/pools'), get('/api/v1/workers')]);
    const usage = (u) => `<td>${u.liveWorkers}</td><td>${esc(u.usedCpu)} / ${esc(u.cpu)}</td><td>${esc(u.usedMemory)} / ${esc(u.memory)}</td>
      <td>${u.running} / ${u.slots}</td><td>${u.backlog}</td><td>${u.oldestWaitSeconds == null ? '—' : u.oldestWaitSeconds + ' s'}</td>`;
    el.querySelector('#pools-table').innerHTML = `<table><thead><tr><th>Pool</th><th>Cluster</th><th>Workers</th><th>CPU used</th>
      <th>Memory used</th><th>Running / slots</th><th>Backlog</th><th>Oldest wait</th></tr></thead><tbody>
      ${p.items.map((pool) => `<tr data-pool="${esc(pool.pool)}"><td><b>${esc(pool.pool)}</b></td><td class="muted">all</td>${usage(pool.total)}</tr>
        ${pool.clusters.map((c) => `<tr><td></td><td>${esc(c.cluster)}</td>${usage(c.usage)}</tr>`).join('')}`).join('')}
      </tbody></table>`;
    el.querySelector('#workers-table').innerHTML = `<table><thead><tr><th>Worker</th><th>Pool</th><th>Cluster</th><th>CPU</th><th>Memory</th><th>Running</th><th>Seen</th></tr></thead><tbody>
      ${w.items.map((x) => `<tr><td>${esc(x.workerId)}</td><td>${esc(x.pool)}</td><td>${esc(x.cluster)}</td><td>${esc(x.usedCpu)} / ${esc(x.cpu)}</td>
        <td>${esc(x.usedMemory)} / ${esc(x.memory)}</td><td>${x.running} / ${x.slots}</td><td>${time(x.lastSeenAt)}</td></tr>`).join('')}</tbody></table>`;
  },
};

export const alerts = {
  async mount(el) {
    el.innerHTML = '<h1>Alerts</h1><div id="alerts-table"></div>';
  },
  async refresh(el) {
    const items = (await get('/api/v1/alerts?limit=100')).items;
    el.querySelector('#alerts-table').innerHTML = items.length ? `<table><thead><tr><th>Raised</th><th>Job</th><th>Run</th><th>Alert</th>
      <th>Detail</th><th>Webhook</th><th>Delivery</th><th>Tries</th><th>Last error</th></tr></thead><tbody>
      ${items.map((a) => `<tr><td>${time(a.createdAt)}</td><td>${esc(a.namespace)}/${esc(a.job)}</td><td><a href="#/runs/${a.runId}">${a.runId}</a></td>
        <td>${esc(a.kind)}</td><td class="muted">${esc(a.detail || '')}</td><td>${esc(a.webhook)}</td><td>${state(a.state)}</td>
        <td>${a.attempts}</td><td class="muted">${esc(a.lastError || '')}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">No alerts.</p>';
  },
};
