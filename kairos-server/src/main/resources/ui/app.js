// Kairos web UI: a hash router over the REST API; every page refreshes itself every 2 seconds.
import { get, setToken, token, Unauthorized } from './api.js';
import * as pages from './pages.js';

const ROUTES = [
  [/^#\/jobs\/([^/]+)\/([^/]+)$/, pages.job, 'jobs'],
  [/^#\/jobs$/, pages.jobs, 'jobs'],
  [/^#\/runs\/(\d+)$/, pages.run, 'runs'],
  [/^#\/runs$/, pages.runs, 'runs'],
  [/^#\/pools$/, pages.pools, 'pools'],
  [/^#\/alerts$/, pages.alerts, 'alerts'],
];
const REFRESH_MS = 2000;
let current = null; // {page, el}
let timer = null;

function login(message) {
  const dialog = document.getElementById('login');
  const error = document.getElementById('login-error');
  error.hidden = !message;
  error.textContent = message || '';
  if (!dialog.open) dialog.showModal();
}

document.getElementById('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  setToken(document.getElementById('token').value.trim());
  try {
    await get('/api/v1/jobs');
    document.getElementById('login').close();
    route();
  } catch (err) {
    setToken(null);
    login(err instanceof Unauthorized ? 'That token is not valid.' : err.message);
  }
});

document.getElementById('logout').onclick = () => {
  setToken(null);
  location.reload();
};

async function refresh() {
  if (!current) return;
  const status = document.getElementById('refreshed');
  try {
    await current.page.refresh(current.el);
    status.textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (err) {
    if (err instanceof Unauthorized) {
      setToken(null);
      login('Your session ended: log in again.');
    } else {
      status.textContent = `refresh failed: ${err.message}`;
    }
  }
}

async function route() {
  if (!token()) return login();
  document.getElementById('logout').hidden = false;
  if (!location.hash || location.hash === '#/') {
    location.hash = '#/jobs';
    return;
  }
  current?.page.unmount?.();
  current = null;
  clearInterval(timer);
  // a fresh element: the old page's listeners go with the old one
  const old = document.getElementById('main');
  const el = old.cloneNode(false);
  old.replaceWith(el);
  const match = ROUTES.map(([re, page, nav]) => [location.hash.match(re), page, nav]).find(([m]) => m);
  if (!match) {
    el.innerHTML = '<h1>Not found</h1>';
    return;
  }
  const [m, page, nav] = match;
  document.querySelectorAll('[data-nav]').forEach((a) => a.classList.toggle('active', a.dataset.nav === nav));
  try {
    await page.mount(el, m.slice(1).map(decodeURIComponent));
  } catch (err) {
    if (err instanceof Unauthorized) return login();
    el.textContent = err.message;
    return;
  }
  current = { page, el };
  await refresh();
  timer = setInterval(() => document.visibilityState === 'visible' && refresh(), REFRESH_MS);
}

window.addEventListener('hashchange', route);
route();
