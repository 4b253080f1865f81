// Sent per day by channel as stacked SVG bars, with the same figures in a table for screen readers and
// keyboard users (the picture is aria-hidden; the table is the accessible form).
import { t } from './i18n.js';

const CHANNELS = ['peppol', 'email', 'postbox', 'paper', 'unknown'];
const NS = 'http://www.w3.org/2000/svg';

/** `days`: { 'YYYY-MM-DD': { channel: n } } summed over administrations. */
export function renderChart(figure, days) {
  figure.replaceChildren();
  const dates = Object.keys(days).sort();
  if (dates.length === 0) {
    const p = document.createElement('p');
    p.textContent = t('nothing');
    figure.append(p);
    return;
  }
  const channels = CHANNELS.filter((c) => dates.some((d) => days[d][c]));
  const max = Math.max(...dates.map((d) => channels.reduce((s, c) => s + (days[d][c] ?? 0), 0)));
  const w = 48;
  const h = 160;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${dates.length * w + 10} ${h + 30}`);
  svg.setAttribute('width', String(dates.length * w + 10));
  svg.setAttribute('height', String(h + 30));
  svg.setAttribute('aria-hidden', 'true');
  dates.forEach((d, i) => {
    let y = h;
    for (const c of channels) {
      const n = days[d][c] ?? 0;
      if (!n) continue;
      const bh = (n / max) * (h - 10);
      y -= bh;
      const r = document.createElementNS(NS, 'rect');
      Object.entries({ x: i * w + 10, y, width: w - 14, height: bh, class: `c-${c}` }).forEach(([k, v]) =>
        r.setAttribute(k, String(v)),
      );
      svg.append(r);
    }
    const label = document.createElementNS(NS, 'text');
    label.setAttribute('x', String(i * w + 10));
    label.setAttribute('y', String(h + 16));
    label.textContent = d.slice(5);
    svg.append(label);
  });
  const legend = document.createElement('ul');
  legend.className = 'legend';
  legend.setAttribute('aria-hidden', 'true');
  for (const c of channels) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = `swatch c-${c}`;
    li.append(sw, c);
    legend.append(li);
  }
  figure.append(svg, legend, table(dates, channels, days));
}

function table(dates, channels, days) {
  const tbl = document.createElement('table');
  tbl.id = 'chart-table';
  const cap = tbl.createCaption();
  cap.textContent = t('chartLabel');
  const head = tbl.createTHead().insertRow();
  for (const label of [t('day'), ...channels, t('total')]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = label;
    if (label !== t('day')) th.className = 'num';
    head.append(th);
  }
  const body = tbl.createTBody();
  for (const d of dates) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = d;
    row.append(th);
    let total = 0;
    for (const c of channels) {
      const n = days[d][c] ?? 0;
      total += n;
      const td = row.insertCell();
      td.className = 'num';
      td.textContent = String(n);
    }
    const td = row.insertCell();
    td.className = 'num';
    td.textContent = String(total);
  }
  return tbl;
}
