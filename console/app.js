// The operator console: the operator API's answers as a dashboard, an invoice list, a plan with activation
// and a batch send with progress. Plain DOM, no framework (decision 0093).
import { batch, get, post, signIn } from './api.js';
import { renderChart } from './chart.js';
import { forecastOf, language, setLanguage, stateWord, t, tn } from './i18n.js';

const $ = (id) => document.getElementById(id);
const SUMMARY_ORDER = ['sent', 'ignored', 'scheduled', 'failed', 'printList', 'optedOut'];
let tenants = [];
let lastPlan = null;
let lastBatch = null;

function tenant() {
  return tenants.find((x) => x.tenant === $('tenant').value) ?? tenants[0];
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

function say(text, bad = false) {
  $('notice').textContent = text;
  $('notice').className = bad ? 'bad' : '';
}

async function guarded(button, work) {
  button.disabled = true;
  say(t('working'));
  try {
    await work();
    if ($('notice').textContent === t('working')) say('');
  } catch (err) {
    say(t('error', { error: err.message }), true);
  } finally {
    button.disabled = false;
  }
}

function countsText(counts, word = (k) => k) {
  const rank = (k) => (SUMMARY_ORDER.includes(k) ? SUMMARY_ORDER.indexOf(k) : SUMMARY_ORDER.length);
  return Object.entries(counts)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, v]) => `${v} ${word(k)}`)
    .join(', ');
}

async function loadStatus() {
  tenants = (await get('status')).tenants;
  const select = $('tenant');
  const chosen = select.value;
  select.replaceChildren(...tenants.map((x) => new Option(x.tenant, x.tenant)));
  if (tenants.some((x) => x.tenant === chosen)) select.value = chosen;
  renderDashboard();
}

function renderDashboard() {
  const ts = tenant();
  if (!ts) return;
  const licence = ts.licence.valid
    ? t('licenceValid', { date: ts.licence.expiresAt.slice(0, 10) })
    : t('licenceInvalid', { reason: ts.licence.reason });
  const health = document.createElement('ul');
  health.className = 'health';
  for (const [text, bad] of [
    [licence, !ts.licence.valid],
    [ts.connected ? t('connected') : t('notConnected'), !ts.connected],
    ...(ts.licence.notice ? [[ts.licence.notice, true]] : []),
  ]) {
    const li = document.createElement('li');
    li.textContent = text;
    if (bad) li.className = 'bad';
    health.append(li);
  }
  $('health').replaceChildren(health);
  renderFailures(ts);
  renderCounts(ts);
  const days = {};
  for (const a of ts.administrations)
    for (const [d, byChannel] of Object.entries(a.sentPerDay))
      for (const [c, n] of Object.entries(byChannel)) (days[d] ??= {})[c] = (days[d][c] ?? 0) + n;
  renderChart($('chart'), days);
  for (const select of document.querySelectorAll('select.admins')) {
    const chosen = select.value;
    select.replaceChildren(
      ...ts.administrations.map((a) => new Option(`${a.name} (${a.division})`, String(a.division))),
    );
    if (chosen) select.value = chosen;
  }
}

function renderFailures(ts) {
  const body = $('failures').tBodies[0];
  body.replaceChildren();
  const names = new Map(ts.administrations.map((a) => [a.division, a.name]));
  for (const f of ts.failures) {
    const row = body.insertRow();
    row.className = 'failed';
    cell(row, f.invoice);
    cell(row, f.relation);
    cell(row, names.get(f.division) ?? String(f.division));
    cell(row, f.reason);
    cell(row, f.message);
  }
  $('failures-empty').hidden = ts.failures.length > 0;
  $('failures').hidden = ts.failures.length === 0;
  const reasons = [...new Set(ts.failures.map((f) => f.reason))].sort();
  const select = $('resend-reason');
  const all = new Option(t('allReasons'), '');
  all.dataset.i18n = 'allReasons';
  select.replaceChildren(all, ...reasons.map((r) => new Option(r, r)));
  $('resend').disabled = ts.failures.length === 0;
}

function renderCounts(ts) {
  const states = [...new Set(ts.administrations.flatMap((a) => Object.keys(a.counts)))];
  const rank = (k) => (SUMMARY_ORDER.includes(k) ? SUMMARY_ORDER.indexOf(k) : SUMMARY_ORDER.length);
  states.sort((a, b) => rank(a) - rank(b));
  const head = $('counts').tHead;
  head.replaceChildren();
  const hr = head.insertRow();
  // The count columns (the states and the total) are numbers; the first two are not.
  const labels = [t('administration'), t('printInvoices'), ...states.map(stateWord), t('total')];
  labels.forEach((label, i) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = label;
    if (i >= 2) th.className = 'num';
    hr.append(th);
  });
  const body = $('counts').tBodies[0];
  body.replaceChildren();
  for (const a of ts.administrations) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = `${a.name} (${a.division})`;
    row.append(th);
    cell(row, `${a.printInvoices ? t('on') : t('off')}${a.activeFrom ? ` ${t('since_', { date: a.activeFrom })}` : ''}`);
    for (const s of states) cell(row, String(a.counts[s] ?? 0), 'num');
    cell(row, String(Object.values(a.counts).reduce((x, y) => x + y, 0)), 'num');
  }
}

async function showInvoices() {
  const { invoices } = await get('invoices', { tenant: tenant().tenant, division: $('invoices-admin').value });
  const state = $('invoices-state');
  const chosen = state.value;
  const all = new Option(t('allStatuses'), '');
  all.dataset.i18n = 'allStatuses';
  state.replaceChildren(all, ...[...new Set(invoices.map((i) => i.state))].sort().map((s) => new Option(s, s)));
  state.value = chosen;
  const search = $('invoices-search').value.trim().toLowerCase();
  const body = $('invoice-list').tBodies[0];
  body.replaceChildren();
  for (const i of invoices) {
    if (chosen && i.state !== chosen) continue;
    if (search && !`${i.invoice} ${i.relation} ${i.reason} ${i.message}`.toLowerCase().includes(search)) continue;
    const row = body.insertRow();
    if (i.state === 'failed') row.className = 'failed';
    for (const v of [i.invoice, i.relation, i.state, i.channel ?? '-', i.reason, i.message]) cell(row, v);
  }
}

function renderPlan(plan) {
  lastPlan = plan;
  // A forecast (decision 0146): "would be sent"; the machine value stays in data-outcome.
  const counts = countsText(plan.counts, forecastOf);
  $('plan-counts').textContent = tn('planned', plan.items.length, { counts });
  const spf = plan.deliverability;
  $('plan-spf').textContent = spf ? spf.message : '';
  $('plan-spf').className = spf && spf.status !== 'authorised' ? 'bad' : '';
  const body = $('plan-items').tBodies[0];
  body.replaceChildren();
  for (const i of plan.items) {
    const row = body.insertRow();
    if (i.outcome === 'failed') row.className = 'failed';
    row.dataset.invoiceId = i.invoiceId;
    row.dataset.outcome = i.outcome;
    const when = i.sendAt ? new Date(i.sendAt).toLocaleString(language()) : '';
    const layouts = [i.documentLayout, i.emailLayout].filter(Boolean);
    for (const v of [i.invoice, i.relation, forecastOf(i.outcome), i.channel ?? '-', i.recipients.join('; ')])
      cell(row, v);
    // Exact layout ids: the first 8 characters shown, the whole id in the title (and for copying).
    cell(row, layouts.map((l) => l.slice(0, 8)).join(' / ')).title = layouts.join(' / ');
    cell(row, when);
    cell(row, i.message);
  }
  const rel = $('plan-relations').tBodies[0];
  rel.replaceChildren();
  for (const r of plan.relations) {
    const row = rel.insertRow();
    for (const v of [r.relation, r.current, r.proposed ?? `${t('none')}: ${r.blocker}`]) cell(row, v);
  }
}

async function makePlan() {
  const since = $('plan-since').value || undefined;
  renderPlan(await get('plan', { tenant: tenant().tenant, division: $('plan-admin').value, since }));
}

async function activate() {
  const since = $('plan-since').value;
  if (!since) return say(t('needSince'), true);
  const select = $('plan-admin');
  const admin = select.options[select.selectedIndex].text;
  if (!window.confirm(t('confirmActivate', { admin, date: since }))) return;
  const result = await post('activate', { tenant: tenant().tenant, division: Number(select.value), since });
  renderPlan(result.plan);
  say(tn('activated', result.backlog.length, { admin, date: since }));
  await loadStatus();
}

function showProgress(p) {
  $('batch-progress').value = p.percent;
  const minutes = p.eta.seconds >= 60 ? `${Math.round(p.eta.seconds / 60)} min` : `${p.eta.seconds} s`;
  const daily = p.eta.beyondDailyBudget > 0 ? t('etaDaily', { n: p.eta.beyondDailyBudget }) : '';
  $('batch-status').textContent =
    p.done >= p.total ? t('done', p) : t('eta', { ...p, eta: minutes }) + daily;
}

async function runBatch(path, body) {
  $('batch-summary').textContent = '';
  $('batch-status').textContent = t('working');
  $('batch-progress').value = 0;
  const result = await batch(path, { tenant: tenant().tenant, ...body }, (p) => {
    if (p.done < p.total) showProgress(p);
  });
  // The dashboard first: "Done" then means every figure on the page is after the batch.
  await loadStatus();
  renderBatchDone(result);
}

function renderBatchDone(result) {
  lastBatch = result;
  showProgress({ ...result, percent: 100 });
  const counts = {};
  for (const l of result.lines) counts[l.outcome] = (counts[l.outcome] ?? 0) + 1;
  $('batch-summary').textContent = tn('summary', result.lines.length, {
    counts: countsText(counts, (k) => stateWord(k).toLowerCase()),
  });
}

function wire() {
  $('language').addEventListener('change', () => {
    localStorage.setItem('autoinvoice.lang', $('language').value);
    setLanguage($('language').value);
    renderDashboard();
    if (lastPlan) renderPlan(lastPlan);
    if (lastBatch) renderBatchDone(lastBatch);
  });
  $('tenant').addEventListener('change', renderDashboard);
  const on = (form, button, work) =>
    $(form).addEventListener('submit', (e) => {
      e.preventDefault();
      void guarded($(button), work);
    });
  on('invoices-form', 'invoices-show', showInvoices);
  on('plan-form', 'plan-run', makePlan);
  on('batch-form', 'batch-run', () => runBatch('dispatch', { division: Number($('batch-admin').value) }));
  on('resend-form', 'resend', () => {
    const reason = $('resend-reason').value;
    location.hash = '#batch';
    return runBatch('resend', reason ? { reason } : {});
  });
  $('activate').addEventListener('click', () => void guarded($('activate'), activate));
}

async function main() {
  const stored = localStorage.getItem('autoinvoice.lang');
  const lang = stored ?? (navigator.language.toLowerCase().startsWith('nl') ? 'nl' : 'en');
  $('language').value = lang;
  setLanguage(lang);
  wire();
  say(t('signIn'));
  try {
    await signIn();
    await loadStatus();
    say('');
  } catch (err) {
    say(t('error', { error: err.message }), true);
  }
}

void main();
