// The ops page: polls GET /api/v1/admin/ops/redis with the admin token kept in sessionStorage and
// draws the figures, plus small canvas charts of the last minutes. No framework, no build step.
'use strict';

const TOKEN_KEY = 'ombaro.ops.token';
const ENDPOINT = '/api/v1/admin/ops/redis';
const HISTORY_SECONDS = 10 * 60;
const everySeconds = Math.max(1, Number(new URLSearchParams(location.search).get('every')) || 5);
const COLORS = ['#2563eb', '#d97706', '#059669', '#9333ea'];

const $ = (selector, root = document) => root.querySelector(selector);
const history = []; // { t, hitRate, memory: {name: value}, p99: {name: value} }
let timer = null;

function setStatus(text, isError = false) {
  const status = $('#status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function token() { return sessionStorage.getItem(TOKEN_KEY); }

function start() {
  clearTimeout(timer);
  if (!token()) { $('#dashboard').hidden = true; setStatus('Enter an admin token to start.'); return; }
  poll();
}

async function poll() {
  try {
    const response = await fetch(ENDPOINT, { headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json' }, cache: 'no-store' });
    if (response.status === 401) { setStatus('The token was rejected (unknown, expired or revoked). Enter a new one.', true); return; }
    if (response.status === 403) { setStatus('This token does not belong to an admin.', true); return; }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      setStatus(`The API answered ${response.status}: ${problem.detail || problem.title || 'no details'}. Retrying.`, true);
    } else {
      render(await response.json());
      setStatus(`Updated ${new Date().toLocaleTimeString()} · refreshing every ${everySeconds} s`);
    }
  } catch (e) {
    setStatus(`The API is not reachable (${e.message}). Retrying.`, true);
  }
  timer = setTimeout(poll, everySeconds * 1000);
}

const pct = (ratio) => ratio == null ? '–' : (ratio * 100).toFixed(1) + ' %';
const ms = (value) => value == null ? '–' : value.toFixed(3);
const mb = (bytes) => (bytes / 1048576).toFixed(1) + ' MB';
// "state+cache" for one server; on a Redis Cluster each master of a role is named by its address too.
const serverName = (s) => s.roles.join('+') + (clustered ? ` ${s.endpoint}` : '');
let clustered = false;

function render(report) {
  $('#dashboard').hidden = false;
  clustered = report.servers.length > (report.sameServer ? 1 : 2);
  $('#same-server').textContent = (report.sameServer
    ? '(state and cache share one server' : '(state and cache are separate servers') + (clustered ? ', Redis Cluster masters)' : ')');
  renderAlerts(report.alerts);
  renderServers(report.servers);
  renderCaches(report.caches, report.cacheTotal);
  $('#notes').textContent = report.notes;
  remember(report);
  drawCharts();
}

function renderAlerts(alerts) {
  const list = $('#alerts');
  list.replaceChildren();
  if (alerts.length === 0) {
    const li = document.createElement('li');
    li.className = 'ok';
    li.textContent = 'All targets met.';
    list.append(li);
  }
  for (const alert of alerts) {
    const li = document.createElement('li');
    li.className = alert.severity;
    li.dataset.metric = alert.metric;
    li.textContent = `${alert.severity.toUpperCase()} · ${alert.message}`;
    list.append(li);
  }
}

function renderServers(servers) {
  const container = $('#servers');
  container.replaceChildren();
  for (const server of servers) {
    const card = $('#server-template').content.firstElementChild.cloneNode(true);
    card.dataset.role = server.roles.join('+');
    const field = (cls, text) => { $('.' + cls, card).textContent = text; };
    field('roles', serverName(server));
    field('endpoint', server.endpoint);
    const reachable = $('.reachable', card);
    reachable.textContent = server.reachable ? 'up' : `DOWN (${server.error})`;
    reachable.classList.toggle('down', !server.reachable);
    const l = server.latency;
    field('latency', l.samples ? `${ms(l.p50Ms)} / ${ms(l.p95Ms)} / ${ms(l.p99Ms)} / ${ms(l.maxMs)} ms (${l.samples} calls)` : 'no calls yet');
    const info = server.info;
    if (info) {
      field('memory', info.maxMemoryBytes > 0
        ? `${mb(info.usedMemoryBytes)} of ${mb(info.maxMemoryBytes)} (${info.memoryPercent.toFixed(1)} %)`
        : `${mb(info.usedMemoryBytes)} (no maxmemory)`);
      field('policy', info.maxMemoryPolicy);
      field('evictions', `${info.evictedKeys} / ${info.expiredKeys}`);
      field('eviction-rate', pct(info.evictionRate));
      field('clients', `${info.connectedClients} (${info.rejectedConnections})`);
      field('ops', String(info.opsPerSecond));
      field('keyspace', `${pct(info.keyspaceHitRate)} (${info.keyspaceHits} hits, ${info.keyspaceMisses} misses)`);
    }
    const keys = server.keys;
    if (keys) {
      $('.keys caption', card).textContent =
        `Keys by namespace: ${keys.scanned} of ${keys.databaseSize} scanned${keys.complete ? '' : ' (sample, scaled)'}`;
      fillRows($('.keys tbody', card), keys.namespaces.map((n) => [n.name, n.sampled, n.estimated]));
    }
    const slow = server.slowLog.map((s) =>
      [new Date(s.at).toLocaleTimeString(), s.milliseconds.toFixed(2), s.command, s.keyNamespace || '']);
    fillRows($('.slowlog tbody', card), slow.length ? slow : [['none', '', '', '']]);
    container.append(card);
  }
}

function renderCaches(caches, total) {
  const rows = caches.map((c) => [c.name, c.hits, c.misses, c.fallbacks, pct(c.lookups ? c.hitRate : null)]);
  rows.push(['all', total.hits, total.misses, total.fallbacks, pct(total.lookups ? total.hitRate : null)]);
  fillRows($('#caches tbody'), rows);
}

function fillRows(tbody, rows) {
  tbody.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      td.textContent = String(cell);
      tr.append(td);
    }
    return tr;
  }));
}

function remember(report) {
  const point = { t: Date.now(), hitRate: {}, memory: {}, p99: {} };
  if (report.cacheTotal.lookups > 0) point.hitRate.app = report.cacheTotal.hitRate * 100;
  for (const server of report.servers) {
    const name = serverName(server);
    if (server.info) point.memory[name] = server.info.usedMemoryBytes / 1048576;
    if (server.latency.samples > 0) point.p99[name] = server.latency.p99Ms;
  }
  history.push(point);
  while (history.length && history[0].t < Date.now() - HISTORY_SECONDS * 1000) history.shift();
}

function drawCharts() {
  drawChart($('#chart-hit-rate'), 'hitRate', { min: 0, max: 100, target: 80 });
  drawChart($('#chart-memory'), 'memory', { min: 0 });
  drawChart($('#chart-latency'), 'p99', { min: 0, target: 1 });
}

// A line per series over the remembered points; y from min to the larger of max and the data.
function drawChart(canvas, field, { min, max, target }) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  const pad = { left: 40, right: 8, top: 8, bottom: 18 };
  ctx.clearRect(0, 0, width, height);
  const names = [...new Set(history.flatMap((p) => Object.keys(p[field])))];
  const values = history.flatMap((p) => Object.values(p[field]));
  const top = Math.max(max ?? 0, target ?? 0, ...values, 1e-9) * (max ? 1 : 1.15);
  const t0 = history.length ? history[0].t : Date.now();
  const t1 = history.length ? Math.max(history[history.length - 1].t, t0 + 1) : t0 + 1;
  const x = (t) => pad.left + (t - t0) / (t1 - t0) * (width - pad.left - pad.right);
  const y = (v) => height - pad.bottom - (v - min) / (top - min) * (height - pad.top - pad.bottom);

  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = '#667';
  ctx.strokeStyle = '#ccd';
  ctx.beginPath();
  ctx.moveTo(pad.left, pad.top); ctx.lineTo(pad.left, height - pad.bottom); ctx.lineTo(width - pad.right, height - pad.bottom);
  ctx.stroke();
  ctx.fillText(top.toPrecision(3), 2, pad.top + 8);
  ctx.fillText(String(min), 2, height - pad.bottom);
  ctx.fillText(`last ${Math.round((t1 - t0) / 1000)} s`, pad.left + 4, height - 4);
  if (target != null && target <= top) {
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = '#b00020';
    ctx.beginPath(); ctx.moveTo(pad.left, y(target)); ctx.lineTo(width - pad.right, y(target)); ctx.stroke();
    ctx.setLineDash([]);
  }
  names.forEach((name, i) => {
    const color = COLORS[i % COLORS.length];
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    for (const point of history) {
      const v = point[field][name];
      if (v == null) continue;
      if (started) ctx.lineTo(x(point.t), y(v)); else { ctx.moveTo(x(point.t), y(v)); started = true; }
      if (history.length === 1) ctx.fillRect(x(point.t) - 2, y(v) - 2, 4, 4);
    }
    ctx.stroke();
    ctx.lineWidth = 1;
    ctx.fillText(name, width - pad.right - 70, pad.top + 10 + i * 11);
  });
  canvas.dataset.points = String(history.length);
  canvas.dataset.series = names.join(',');
}

document.addEventListener('DOMContentLoaded', () => {
  $('#login').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('#token').value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $('#token').value = '';
    start();
  });
  $('#forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    history.length = 0;
    start();
  });
  start();
});
