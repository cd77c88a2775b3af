// Opens the generated report and matrix in headless Chromium (Debian's package, driven by
// playwright-core) and checks what a reader relies on: every case row, filters, search,
// regression badges, deep links, the matrix columns and its sorting. The cases it clicks are
// picked from expected.json, so synthetic and real pages both work. Takes screenshots and
// prints time to first render.
// Usage: node check_pages.mjs PAGES_DIR   (written by h2c_browser_pages or real_run.sh)
// Exit: 0 all checks passed, 1 a check failed, 77 node_modules or chromium missing (skip).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pagesDir = path.resolve(process.argv[2] || 'pages');
const chromiumPath = process.env.H2CONFORM_CHROMIUM || '/usr/bin/chromium';
const skip = (why) => { console.log(`SKIP: ${why}`); process.exit(77); };
if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
  skip(`playwright-core is not installed (run: npm ci --prefix ${here})`);
}
if (!fs.existsSync(chromiumPath)) skip(`${chromiumPath} not found (apt-get install chromium)`);
const skippedNote = path.join(pagesDir, 'skipped.txt');  // left by real_run.sh when it skipped
if (fs.existsSync(skippedNote)) skip(`the pages were not written: ${fs.readFileSync(skippedNote, 'utf8').trim()}`);
const { chromium } = createRequire(import.meta.url)('playwright-core');

const expected = JSON.parse(fs.readFileSync(path.join(pagesDir, 'expected.json'), 'utf8'));
const results = { passed: 0, failed: 0 };
function check(name, ok, detail = '') {
  results[ok ? 'passed' : 'failed'] += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
}
const anchorOf = (id, prefix = '') =>
  prefix + 'case-' + Array.from(Buffer.from(id, 'utf8')).map((b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9._\/:-]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }).join('');

async function visibleRows(page, selector) {
  return page.$$eval(selector, (rows) => rows.filter((r) => !r.hidden && r.offsetParent !== null).length);
}

// First contentful paint (waited for, at most 5 s) and the navigation milestones, in ms.
async function timing(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const nav = performance.getEntriesByType('navigation')[0];
    const done = (fcp) => resolve({ fcp, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd });
    const timer = setTimeout(() => done(NaN), 5000);
    new PerformanceObserver((list) => {
      const paint = list.getEntries().find((e) => e.name === 'first-contentful-paint');
      if (paint) { clearTimeout(timer); done(paint.startTime); }
    }).observe({ type: 'paint', buffered: true });
  }));
}

async function open(context, file, hash = '') {
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(pathToFileURL(path.join(pagesDir, file)).href + hash, { waitUntil: 'load' });
  return { page, errors };
}

// The cases the checks click, search for and link to, picked from the data so that the pages
// of any run work: synthetic or real, with or without skipped cases and failures.
function pickCases(cases) {
  const withRaw = cases.filter((c) => c.raw > 0 && !expected.regressed.includes(c.id));
  const ids = cases.map((c) => c.id.toLowerCase());
  const unique = (c) => ids.filter((id) => id.includes(c.id.toLowerCase())).length === 1;
  const counts = new Map();
  cases.forEach((c) => counts.set(c.section, (counts.get(c.section) || 0) + 1));
  const fromMiddle = cases.slice(Math.floor(cases.length / 2)).concat(cases.slice(0, Math.floor(cases.length / 2)));
  return {
    click: withRaw.find((c) => c.verdict === 'fail') || withRaw[0],  // not opened by checkRegressions
    search: fromMiddle.find(unique),
    deep: cases[Math.floor((cases.length * 2) / 3)],
    section: [...counts].sort((a, b) => b[1] - a[1]).find(([, n]) => n < cases.length),
    empty: cases.find((c) => c.transcript === 0),
  };
}
const rowSelector = (id) => `#case-table tbody tr:has(td.id a[href="#${anchorOf(id)}"])`;
const detailSelector = (id) => `[id="${anchorOf(id)}"]`;

async function checkRows(page, cases) {
  const ids = await page.$$eval('#case-table tbody td.id a', (as) => as.map((a) => a.textContent));
  check('every case has one row', ids.length === cases.length && cases.every((c, i) => ids[i] === c.id),
        `${ids.length} rows for ${cases.length} cases`);
  check('every case has a detail block',
        await page.$$eval('details.case', (ds) => ds.length) === cases.length);
  check('the shown count starts at all cases',
        (await page.textContent('#f-shown')) === `Showing ${cases.length} of ${cases.length} cases`);
}

async function checkFilters(page, cases, picked) {
  const fails = cases.filter((c) => c.verdict === 'fail').length;
  await page.click('.chip[data-verdict="fail"]');
  const shownFail = await visibleRows(page, '#case-table tbody tr');
  const verdicts = await page.$$eval('#case-table tbody tr:not([hidden]) .badge[class*="v-"]',
                                     (bs) => bs.map((b) => b.className));
  await page.$eval('#cases', (el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: path.join(pagesDir, 'report-filtered.png') });
  check('the fail filter narrows the table to failures', shownFail === fails && fails > 0 &&
        verdicts.every((v) => v.includes('v-fail')), `${shownFail} rows, ${fails} failures`);
  await page.click('.chip[data-verdict="error"]');
  const errorsToo = cases.filter((c) => c.verdict === 'error').length;
  check('a second verdict chip widens the filter',
        await visibleRows(page, '#case-table tbody tr') === fails + errorsToo, `${fails} + ${errorsToo}`);
  await page.click('.chip[data-verdict="fail"]');
  await page.click('.chip[data-verdict="error"]');

  const [section, inSection] = picked.section || ['', 0];
  if (section) await page.selectOption('#f-section', section);
  check('the section filter narrows the table',
        section !== '' && await visibleRows(page, '#case-table tbody tr') === inSection, `${section}: ${inSection}`);
  await page.selectOption('#f-section', '');
  const query = picked.search ? picked.search.id.toUpperCase() : '(no case id is unique)';
  await page.fill('#f-search', query);
  const found = await page.$$eval('#case-table tbody tr:not([hidden]) td.id a', (as) => as.map((a) => a.textContent));
  check('the search finds one case by id', found.length === 1 && found[0] === picked.search?.id, query);
  await page.fill('#f-search', '');
}

// "Failures first" puts every fail, then error, target down, non-strict, skip and pass, each
// group in catalogue order; catalogue order puts the rows back.
async function checkOrder(page, cases) {
  const rank = { fail: 0, error: 1, target_down: 2, non_strict: 3, skip: 4, pass: 5 };
  const rowIds = () => page.$$eval('#case-table tbody td.id a', (as) => as.map((a) => a.textContent));
  await page.selectOption('#f-order', 'failures');
  const expectedOrder = cases.map((c, i) => [rank[c.verdict], i]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, i]) => cases[i].id);
  const sorted = await rowIds();
  check('failures first sorts the case table by verdict', sorted.every((id, i) => id === expectedOrder[i]),
        sorted.slice(0, 3).join(' '));
  await page.selectOption('#f-order', 'catalogue');
  const back = await rowIds();
  check('catalogue order puts the rows back', back.every((id, i) => id === cases[i].id));
}

// Clicks a regressed case's row; returns whether its details opened with the badge, and the
// "Since baseline" fact.
async function openRegressed(page, id) {
  await page.click(`${rowSelector(id)} td.id a`);
  const detail = await page.$eval(detailSelector(id), (d) => ({
    open: d.open,
    badge: d.querySelector('summary .badge.c-regression') !== null,
    since: Array.from(d.querySelectorAll('dl.facts dt')).find((dt) => dt.textContent === 'Since baseline')
      ?.nextElementSibling.textContent || '',
  }));
  await page.screenshot({ path: path.join(pagesDir, 'report-regression.png') });
  return detail;
}

// Every regressed case carries the badge in its row and its details, and no other row does;
// the change filter shows exactly them, and clicking one opens its details.
async function checkRegressions(page) {
  const regressed = expected.regressed;
  const badged = await page.$$eval('#case-table tbody tr:has(.badge.c-regression) td.id a',
                                   (as) => as.map((a) => a.textContent));
  check('the regression badge is on the regressed rows and no other', badged.length === regressed.length &&
        regressed.every((id) => badged.includes(id)), `${badged.length} badged, ${regressed.length} regressed`);
  await page.selectOption('#f-change', 'regression');
  const shown = await page.$$eval('#case-table tbody tr:not([hidden]) td.id a',
                                  (as) => as.map((a) => a.textContent));
  check('the change filter shows the regressions', shown.length === expected.regressions &&
        regressed.every((id) => shown.includes(id)), `${shown.length} rows, ${expected.regressions} regressions`);
  const first = regressed[0];
  if (first !== undefined) {
    const detail = shown.includes(first) ? await openRegressed(page, first) : { since: 'its row is not shown' };
    check('a regressed case\'s details show the regression', detail.open && detail.badge &&
          detail.since.startsWith('regression'), `${first}: "${detail.since}"`);
  }
  await page.selectOption('#f-change', '');
}

async function checkDetails(page, picked) {
  const target = picked.click;
  check('some case has raw bytes to show', target !== undefined);
  const isOpen = (id) => page.$eval(detailSelector(id), (d) => d.open);
  if (target) {
    const before = await isOpen(target.id);
    await page.click(`#case-table a[href="#${anchorOf(target.id)}"]`);
    check('clicking a case opens its details', !before && await isOpen(target.id), target.id);
    await page.click(`${detailSelector(target.id)} .rawtoggle + label`);
    const rawShown = await page.$eval(`${detailSelector(target.id)} code.raw`, (r) => getComputedStyle(r).display);
    check('raw bytes show on demand', rawShown === 'block');
  }
  if (!picked.empty) console.log('--   no case without a transcript: that check does not apply');
  if (picked.empty) {
    const id = picked.empty.id;
    const before = await isOpen(id);
    await page.click(`#case-table a[href="#${anchorOf(id)}"]`);
    const empty = await page.$eval(detailSelector(id), (d) => ({
      open: d.open, toggle: d.querySelector('.rawtoggle') !== null, text: d.querySelector('p.empty')?.textContent,
    }));
    check('a case without a transcript says so',
          !before && empty.open && !empty.toggle && String(empty.text).includes('Nothing'), id);
  }
}

async function checkReport(context) {
  const cases = expected.report.cases;
  const picked = pickCases(cases);
  const { page, errors } = await open(context, 'report.html');
  const t = await timing(page);
  const size = fs.statSync(path.join(pagesDir, 'report.html')).size;
  console.log(`report.html: ${cases.length} cases, ${size} bytes, first contentful paint ${t.fcp.toFixed(0)} ms, ` +
              `DOMContentLoaded ${t.dcl.toFixed(0)} ms, load ${t.load.toFixed(0)} ms`);
  check('report renders its first paint', Number.isFinite(t.fcp) && t.fcp > 0, `${t.fcp.toFixed(0)} ms`);
  await page.screenshot({ path: path.join(pagesDir, 'report.png') });
  await checkRows(page, cases);
  await checkFilters(page, cases, picked);
  await checkOrder(page, cases);
  await checkRegressions(page);
  await checkDetails(page, picked);
  check('the report logs no script errors', errors.length === 0, errors.join('; '));
  await page.close();

  const deep = picked.deep;
  const linked = await open(context, 'report.html', '#' + anchorOf(deep.id));
  const state = await linked.page.$eval(detailSelector(deep.id), (d) => {
    const box = d.getBoundingClientRect();
    return { open: d.open, top: box.top, height: window.innerHeight };
  });
  check('a deep link opens the case and scrolls to it', state.open && state.top >= 0 && state.top < state.height,
        `${deep.id}, top ${state.top.toFixed(0)}`);
  await linked.page.screenshot({ path: path.join(pagesDir, 'report-detail.png') });
  await linked.page.close();
}

async function checkMatrix(context) {
  const targets = expected.matrix;
  const { page, errors } = await open(context, 'matrix.html');
  const t = await timing(page);
  console.log(`matrix.html: first contentful paint ${t.fcp.toFixed(0)} ms, load ${t.load.toFixed(0)} ms`);
  await page.screenshot({ path: path.join(pagesDir, 'matrix.png') });
  const heads = await page.$$eval('#matrix-table th.target', (ths) => ths.map((th) => th.textContent));
  check('the matrix has a column per target', heads.length === targets.length &&
        targets.every((tg, k) => heads[k].includes(tg.target)), heads.join(' | '));
  const ids = new Set(targets.flatMap((tg) => tg.cases.map((c) => c.id)));
  const rowIds = await page.$$eval('#matrix-table tbody td.id', (tds) => tds.map((td) => td.textContent));
  check('the matrix has a row per case id', rowIds.length === ids.size && rowIds.every((id) => ids.has(id)),
        `${rowIds.length} rows`);
  const cells = await page.$$eval('#matrix-table tbody td.cell', (tds) => tds.length);
  check('every row has a cell per target', cells === ids.size * targets.length);

  const failuresInOrder = () => page.evaluate(() => {
    const data = JSON.parse(document.getElementById('h2c-data').textContent);
    return Array.from(document.querySelectorAll('#matrix-table tbody tr'))
      .map((tr) => data.cases[Number(tr.getAttribute('data-i'))]);
  });
  await page.selectOption('#m-sort', 'failures');
  const sorted = await failuresInOrder();
  check('"most failures first" sorts by failures', sorted[0].failures > 0 &&
        sorted.every((c, i) => i === 0 || sorted[i - 1].failures >= c.failures), `top ${sorted[0].failures}`);
  await page.screenshot({ path: path.join(pagesDir, 'matrix-sorted.png') });
  await page.selectOption('#m-sort', 'catalogue');
  const rowIndexes = await page.$$eval('#matrix-table tbody tr', (trs) => trs.map((tr) => Number(tr.getAttribute('data-i'))));
  check('catalogue order (the default) puts the rows back', rowIndexes.every((n, i) => n === i));

  // A cell of the last target: its first failure, or its middle case.
  const k = targets.length;
  const last = targets[k - 1].cases;
  const cell = last.find((c) => c.verdict === 'fail') || last[Math.floor(last.length / 2)];
  const cellAnchor = anchorOf(cell.id, `t${k}-`);
  await page.click(`#matrix-table a[href="#${cellAnchor}"]`);
  const opened = await page.$eval(`[id="${cellAnchor}"]`, (d, id) => d.open && d.closest(id).open, `#target-${k}`);
  check('a matrix cell opens that target\'s case details', opened, `T${k} ${cell.id}`);
  await page.check('#m-failing');
  const failing = await visibleRows(page, '#matrix-table tbody tr');
  const failingVerdicts = ['fail', 'error', 'target_down'];
  const failedIds = new Set(targets.flatMap((tg) => tg.cases.filter((c) => failingVerdicts.includes(c.verdict))
    .map((c) => c.id)));
  check('"only cases that failed" hides clean rows', failing === failedIds.size && failing < ids.size,
        `${failing} rows, ${failedIds.size} ids failed somewhere`);
  check('the matrix logs no script errors', errors.length === 0, errors.join('; '));
  await page.close();
}

async function checkWithoutScript(browserArgs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2c-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { ...browserArgs, javaScriptEnabled: false });
  try {
    const { page } = await open(context, 'report.html');
    const rows = await visibleRows(page, '#case-table tbody tr');
    const sections = await page.$$eval('table.counts tbody tr', (trs) => trs.length);
    check('without script the summary and every row still show',
          rows === expected.report.cases.length && sections > 0, `${rows} rows`);
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const browserArgs = {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2c-chromium-'));
const external = [];
const context = await chromium.launchPersistentContext(userDataDir, browserArgs);
try {
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  await checkReport(context);
  await checkMatrix(context);
  check('the pages request nothing from the network', external.length === 0, external.join(' '));
} catch (e) {
  check('the checks ran to the end', false, e.message.split('\n')[0]);
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
await checkWithoutScript(browserArgs);
const shots = ['report.png', 'report-filtered.png', 'report-regression.png', 'report-detail.png', 'matrix.png',
               'matrix-sorted.png'];
console.log(`screenshots: ${shots.filter((f) => fs.existsSync(path.join(pagesDir, f)))
  .map((f) => path.join(pagesDir, f)).join(' ')}`);
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);
