// check.mjs CHROMIUM PAGE_DIR SHOT_PREFIX - report.html in a real browser (TAP lines, no plan).
// Loads DIR/report.html in Debian's chromium through playwright-core with the
// network off; fails on a console error, a page error or any request beyond
// the page itself; reads every number cell that names its CSV column and
// compares it with the CSV files in DIR; checks that nothing active got in;
// takes full-page screenshots at 1280 and 390 px (SHOT_PREFIX-1280.png ...).
import { chromium } from 'playwright-core';
import { readFileSync, existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [exe, dir, shot] = process.argv.slice(2);
let n = 0, failed = 0;
const ok = (pass, what, detail) => {
  n++;
  console.log(`${pass ? 'ok' : 'not ok'} - ${what}`);
  if (!pass) { failed++; if (detail) console.log(String(detail).split('\n').map(l => '# ' + l).join('\n')); }
};

function parseCsv(text) {
  const rows = []; let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  const [head, ...body] = rows;
  return body.map(r => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}
const csvs = {};
const csv = f => (csvs[f] ??= existsSync(`${dir}/${f}`) ? parseCsv(readFileSync(`${dir}/${f}`, 'utf8')) : null);
// the CSV's formula guard: a leading ' before = + - @ tab CR
const unguard = v => (v && v[0] === "'" && /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);
const matches = (row, where) => Object.entries(where).every(([k, v]) =>
  Array.isArray(v) ? v.includes(unguard(row[k])) : unguard(row[k]) === v);
// "$1,234.500000" -> micro-units as a BigInt (money has 6 decimals), "2,504" -> 2504n
const toUnits = s => {
  const neg = s.startsWith('-'); const t = s.replace(/^-/, '');
  const [i, f = ''] = t.split('.');
  const v = BigInt(i || '0') * 10n ** BigInt(f.length) + BigInt(f || '0');
  return { v: neg ? -v : v, places: f.length };
};

const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox'] });
const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const errors = [], requests = [];
page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
page.on('pageerror', e => errors.push(String(e)));
const url = pathToFileURL(`${dir}/report.html`).href;
page.on('request', r => { if (r.url() !== url) requests.push(r.url()); });
const resp = await page.goto(url, { waitUntil: 'load' });
ok(resp !== null, 'the page loads with the network off');
ok(errors.length === 0, 'no console error', errors.join('\n'));
ok(requests.length === 0, 'no request beyond the page', requests.join('\n'));

const active = await page.evaluate(() => {
  const bad = [];
  for (const e of document.querySelectorAll('*')) {
    const tag = e.tagName.toLowerCase();
    if (['script', 'img', 'iframe', 'object', 'embed', 'link', 'image', 'use', 'foreignobject', 'a'].includes(tag)
        && !(tag === 'a' && /^#[a-z]+$/.test(e.getAttribute('href') || '')))
      bad.push(tag);
    for (const a of e.attributes)
      if (/^on/i.test(a.name) || (/^(src|href|xlink:href|action)$/i.test(a.name) && tag !== 'a'))
        bad.push(`${tag}[${a.name}]`);
  }
  return bad;
});
ok(active.length === 0, 'no script, image, frame, link or event handler in the page', active.join(' '));

const cells = await page.evaluate(() => {
  const out = [];
  for (const t of document.querySelectorAll('table[data-src], table[data-sum]')) {
    const file = t.dataset.src || t.dataset.sum, kind = t.dataset.src ? 'src' : 'sum';
    for (const tr of t.querySelectorAll('tr[data-where]')) {
      const where = JSON.parse(tr.dataset.where);
      for (const td of tr.querySelectorAll('td[data-col]')) {
        const extra = td.dataset.where ? JSON.parse(td.dataset.where) : {};
        const text = td.dataset.v !== undefined ? td.dataset.v : td.textContent;
        out.push({ file, kind, where: { ...where, ...extra }, col: td.dataset.col, text, key: td.dataset.where === undefined && td.dataset.col in where });
      }
    }
  }
  return out;
});
let checked = 0; const wrong = [];
for (const c of cells) {
  const rows = csv(c.file);
  if (!rows) { wrong.push(`${c.file}: not written`); continue; }
  const hit = rows.filter(r => matches(r, c.where));
  if (c.key) { if (!hit.length) wrong.push(`${c.file}: no row where ${JSON.stringify(c.where)}`); continue; }
  const shown = c.text.replace(/[$,]/g, '');
  if (shown === 'unpriced' || shown.endsWith('+') || shown === '') continue; // a cost with unpriced records left out
  if (c.kind === 'src') {
    if (hit.length !== 1) { wrong.push(`${c.file}: ${hit.length} rows where ${JSON.stringify(c.where)}`); continue; }
    checked++;
    if (hit[0][c.col] !== shown) wrong.push(`${c.file} ${JSON.stringify(c.where)} ${c.col}: page ${shown}, csv ${hit[0][c.col]}`);
    continue;
  }
  // a sum of CSV rows: exact for counts; for money, the page rounds the exact sum and the
  // CSV each row, so they may differ by half a unit of the 6th decimal per row
  if (hit.some(r => r[c.col] === '')) continue;
  const page_v = toUnits(shown);
  let sum = 0n;
  for (const r of hit) sum += toUnits(r[c.col]).v;
  const slack = page_v.places ? BigInt(hit.length) : 0n;
  const diff = page_v.v > sum ? page_v.v - sum : sum - page_v.v;
  checked++;
  if (diff > slack) wrong.push(`${c.file} ${JSON.stringify(c.where)} ${c.col}: page ${shown}, csv sum ${sum} (${hit.length} rows)`);
}
ok(checked > 0 && wrong.length === 0, `the page's numbers are the CSVs' (${checked} cells)`, wrong.slice(0, 20).join('\n'));

for (const width of [1280, 390]) {
  await page.setViewportSize({ width, height: 900 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  ok(wide <= width, `at ${width} px nothing but the scrolling tables is wider than the screen (${wide})`);
  await page.screenshot({ path: `${shot}-${width}.png`, fullPage: true });
  ok(existsSync(`${shot}-${width}.png`), `screenshot at ${width} px: ${shot}-${width}.png`);
}
await page.emulateMedia({ media: 'print' });
const pdf = await page.pdf({ format: 'A4' });
ok(pdf.length > 1000, 'it prints (PDF)');
await browser.close();
process.exit(failed ? 1 : 0);
