// The console in a real browser: Debian's headless Chromium driven by playwright-core against a
// real sitrepd (embedded PostgreSQL, the demo registry, a seeded demo data set), signed in as the
// national centre, the Guangdong regulator and enterprises. Every number the test compares comes
// from the same JSON API the console calls, under the same principal's token.
//
//   node console_browser_test.mjs --sitrepd BIN --sitrep BIN --collector BIN --console-dir DIR
//        [--chromium /usr/bin/chromium] [--screenshots DIR] [--incidents N]
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => (word.startsWith('--') ? [...pairs, [word.slice(2), all[i + 1]]] : pairs), []),
);
for (const required of ['sitrepd', 'sitrep', 'collector', 'console-dir']) {
  if (!args[required]) throw new Error(`--${required} is required`);
}
const chromiumPath = args.chromium ?? '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} missing: scripts/install-deps.sh installs Debian's chromium`);
if (!fs.existsSync(path.join(args['console-dir'], 'index.html'))) {
  throw new Error(`${args['console-dir']}/index.html missing: run npm ci && npm run build in web/`);
}

const GUANGDONG = 440000;
const HIDDEN_TLPS = new Set(['TLP_RED', 'TLP_AMBER_STRICT']);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the server -------------------------------------------------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-console-'));
fs.chmodSync(work, 0o755); // as root the embedded cluster runs as postgres, which must reach it
const [grpcPort, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
const base = `http://127.0.0.1:${httpPort}`;
const serverLog = fs.openSync(path.join(work, 'sitrepd.log'), 'w');
const sitrepd = spawn(
  args.sitrepd,
  [
    '--data-dir', path.join(work, 'data'),
    '--listen', `127.0.0.1:${grpcPort}`,
    '--http-listen', `127.0.0.1:${httpPort}`,
    '--metrics-listen', `127.0.0.1:${metricsPort}`,
    '--console-dir', args['console-dir'],
  ],
  { stdio: ['ignore', serverLog, serverLog] },
);
let serverExited = false;
sitrepd.on('exit', () => (serverExited = true));

function stopServer() {
  if (!serverExited) sitrepd.kill('SIGTERM');
}
process.on('exit', stopServer);

function cli(...words) {
  const run = spawnSync(args.sitrep, ['--server', `127.0.0.1:${grpcPort}`, ...words], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sitrep ${words.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

const adminToken = path.join(work, 'data', 'admin.token');
for (let i = 0; ; ++i) {
  if (serverExited) throw new Error(`sitrepd exited; see ${work}/sitrepd.log`);
  if (fs.existsSync(adminToken) && fs.statSync(adminToken).size > 0) {
    try {
      cli('--token-file', adminToken, 'health');
      await fetch(`${base}/`);
      break;
    } catch {
      // not ready yet
    }
  }
  if (i > 240) throw new Error('sitrepd did not become ready in 120 s');
  await sleep(500);
}
const tokensDir = path.join(work, 'tokens');
cli('--token-file', adminToken, 'demo', 'seed', '--tokens-dir', tokensDir);
const token = (name) => fs.readFileSync(path.join(tokensDir, `${name}.token`), 'utf8').trim();
const collector = spawnSync(
  args.collector,
  [
    '--server', `127.0.0.1:${grpcPort}`, '--token-file', path.join(tokensDir, 'national-collector.token'),
    '--spool-dir', path.join(work, 'spool'), '--format', 'demo', '--count', String(args.incidents ?? 3000), '--seed', '2026',
  ],
  { encoding: 'utf8' },
);
if (collector.status !== 0) throw new Error(`collector: ${collector.stderr}`);

// The JSON API under a principal's bearer token: what the console's numbers must equal.
async function api(who, service, method, request = {}) {
  const response = await fetch(`${base}/sitrep.v1.${service}/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token(who)}` },
    body: JSON.stringify(request),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${service}/${method} as ${who}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function allIncidents(who, filter = {}) {
  const out = [];
  let pageToken = '';
  for (;;) {
    const page = await api(who, 'FeedService', 'ListIncidents', { filter, pageSize: 1000, pageToken });
    const rows = page.incidents ?? [];
    out.push(...rows);
    if (rows.length === 0) return out;
    pageToken = page.nextPageToken;
  }
}

// ---- the browser ------------------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--lang=zh-CN',
  ], // playwright gives every launch a fresh, empty profile directory of its own
  // A zone far from China's: every time on screen must still be CST.
  env: { ...process.env, TZ: 'America/New_York' },
});

const outsideRequests = [];
async function signIn(who) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN', timezoneId: 'America/New_York' });
  context.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outsideRequests.push(r.url());
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${who}] page error: ${e.message}`));
  await page.goto(`${base}/`);
  await page.fill('#token', token(who));
  await page.click('#signin button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#app')?.dataset.page !== 'signin' && !!document.querySelector('#nav a'));
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + document.cookie);
  assert.ok(!stored.includes(token(who)), 'the raw token must not sit in localStorage or a script-readable cookie');
  return { context, page };
}

// Navigates inside the console; the same hash again renders the page afresh, as a click would.
async function goto(page, hash, ready) {
  await page.evaluate((h) => {
    if (location.hash === h) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = h;
  }, hash);
  await page.waitForSelector(ready);
}

const results = [];
async function check(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e.stack ?? e}`);
  }
}

const screenshots = args.screenshots;
async function shoot(page, name, fullPage = false) {
  if (!screenshots) return;
  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `console-${name}.png`), fullPage });
}

// The situation on screen equals GetSituation under the same principal.
async function situationMatches(who) {
  const { context, page } = await signIn(who);
  await goto(page, '#/situation', '[data-testid=total]');
  const s = await api(who, 'FeedService', 'GetSituation', { bucket: 'BUCKET_DAY' });
  const shown = await page.evaluate(() => {
    const text = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.replace(/[^\d]/g, '');
    const tiles = Object.fromEntries([...document.querySelectorAll('.tile')].map((t) => [t.dataset.code, Number(t.dataset.count)]));
    return {
      total: text('total'), previous: text('previous'), exposed: text('exposed'), kev: text('kev'),
      open: text('open-notices'), overdue: text('overdue-notices'),
      sev: ['SEVERITY_I', 'SEVERITY_II', 'SEVERITY_III', 'SEVERITY_IV'].map((s) => text(`sev-${s}`)), tiles,
    };
  });
  const n = (v) => String(Number(v ?? 0));
  assert.equal(shown.total, n(s.totalIncidents), 'total');
  assert.equal(shown.previous, n(s.previousPeriodTotalIncidents), 'previous period');
  assert.equal(shown.exposed, n(s.exposedAssets), 'exposed assets');
  assert.equal(shown.kev, n(s.exposedAssetsWithKnownExploitedCves), 'KEV exposed');
  const backlog = s.noticeBacklog ?? [];
  assert.equal(shown.open, n(backlog.reduce((a, b) => a + Number(b.open ?? 0), 0)), 'open notices');
  assert.equal(shown.overdue, n(backlog.reduce((a, b) => a + Number(b.overdue ?? 0), 0)), 'overdue notices');
  const province = (s.totals ?? []).filter((r) => r.province);
  ['SEVERITY_I', 'SEVERITY_II', 'SEVERITY_III', 'SEVERITY_IV'].forEach((sev, i) =>
    assert.equal(shown.sev[i], n(province.filter((r) => r.severity === sev).reduce((a, r) => a + Number(r.count), 0)), sev),
  );
  for (const [code, count] of Object.entries(shown.tiles)) {
    const expected = province.filter((r) => String(r.province) === code).reduce((a, r) => a + Number(r.count), 0);
    assert.equal(count, expected, `tile ${code}`);
  }
  assert.ok(Number(shown.total) > 0, `${who} sees incidents`);
  return { context, page, situation: s };
}

// Every feed page the console shows, row by row.
async function feedRows(page, hash) {
  await goto(page, hash, '[data-testid=feed-page]');
  const rows = [];
  for (let pages = 0; pages < 200; ++pages) {
    const onPage = await page.$$eval('[data-testid=feed-page] [data-testid=incident-row]', (trs) =>
      trs.map((tr) => ({ id: tr.dataset.id, province: Number(tr.dataset.province), tlp: tr.dataset.tlp, redacted: tr.dataset.redacted === 'true' })),
    );
    if (onPage.length === 0) break;
    rows.push(...onPage);
    const before = await page.evaluate(() => location.hash);
    // A click can land on the button of a page being re-rendered (a late answer or a live row
    // replaces it) and go nowhere: click again, a few times, before calling it a failure.
    for (let attempt = 1; ; ++attempt) {
      await page.click('#next');
      try {
        await page.waitForFunction((h) => location.hash !== h && !!document.querySelector('[data-testid=feed-page]'), before, { timeout: 10000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }
  return rows;
}

let national, guangdong, enterprise;

await check('national: situation numbers equal GetSituation', async () => {
  national = await situationMatches('national-centre');
  await shoot(national.page, 'situation');
  const fcp = await national.page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
  assert.ok(fcp >= 0);
});

await check('Guangdong regulator: situation numbers equal GetSituation', async () => {
  guangdong = await situationMatches('guangdong-regulator');
});

await check("Guangdong never sees another province's RED or AMBER+STRICT incident", async () => {
  const rows = await feedRows(guangdong.page, '#/feed');
  assert.ok(rows.length > 0, 'the Guangdong feed shows incidents');
  const leaks = rows.filter((r) => r.province !== GUANGDONG && HIDDEN_TLPS.has(r.tlp));
  assert.deepEqual(leaks, []);
  assert.ok(rows.some((r) => r.province !== GUANGDONG), 'shared incidents of other provinces are shown');
  // Hidden records by direct link: a RED incident of another province is not shown either.
  const hidden = (await allIncidents('national-centre', { minSeverity: 'SEVERITY_IV' })).find(
    (i) => Number(i.province) !== GUANGDONG && HIDDEN_TLPS.has(i.tlp),
  );
  assert.ok(hidden, 'the demo data hold such an incident');
  await guangdong.page.evaluate((id) => (location.hash = `#/incident/${id}`), hidden.id);
  await guangdong.page.waitForSelector('.error');
  assert.equal(await guangdong.page.$('[data-testid=incident-title]'), null);
  // Filtered by another province's code, the feed holds none of them either.
  const other = await feedRows(guangdong.page, `#/feed?province=${hidden.province}`);
  assert.deepEqual(other.filter((r) => HIDDEN_TLPS.has(r.tlp)), []);
});

await check('an enterprise sees shared records redacted', async () => {
  enterprise = await signIn('guangdong-enterprise');
  const session = await enterprise.page.evaluate(async () => (await fetch('/session')).json());
  const own = String(session.principal?.enterpriseId ?? session.principal?.enterprise_id ?? '');
  assert.ok(own && own !== '0', 'the enterprise principal names its enterprise');
  const rows = await feedRows(enterprise.page, '#/feed');
  assert.ok(rows.some((r) => r.redacted), 'some shared incidents reach the enterprise');
  const truth = new Map((await allIncidents('national-centre')).map((i) => [String(i.id), i]));
  for (const r of rows) {
    const real = truth.get(r.id);
    assert.ok(real, `incident ${r.id} exists`);
    // Anything not about the enterprise itself reaches it only by sharing, hence redacted.
    if (String(real.enterpriseId ?? '0') !== own) assert.ok(r.redacted, `incident ${r.id} of another enterprise is redacted`);
  }
  const shared = rows.find((r) => r.redacted);
  await goto(enterprise.page, `#/incident/${shared.id}`, '[data-testid=incident-title]');
  assert.equal(await enterprise.page.$eval('[data-testid=incident-title]', (h) => h.dataset.redacted), 'true');
  const text = await enterprise.page.textContent('main');
  const real = truth.get(shared.id);
  if (real.externalId) assert.ok(!text.includes(real.externalId), 'the external id of a redacted record is not shown');
  await shoot(enterprise.page, 'incident-redacted');
});

await check("a bad form field shows the server's violation next to it", async () => {
  await goto(enterprise.page, '#/report', '#report');
  await enterprise.page.fill('[name=title]', '');
  await enterprise.page.fill('[name=cve_ids]', 'CVE-NOT-AN-ID');
  await enterprise.page.click('[data-testid=report-submit]');
  await enterprise.page.waitForSelector('[data-violation="title"]:not(:empty)');
  const slot = await enterprise.page.$eval('[data-violation="title"]', (s) => ({ text: s.textContent, field: s.dataset.field }));
  assert.match(slot.field, /title/);
  assert.ok(slot.text.length > 0);
  assert.ok(await enterprise.page.$eval('[name=title]', (i) => i.classList.contains('invalid')));
  await shoot(enterprise.page, 'report-violation');
});

await check("an enterprise's report through the form shows live on the regulator's open feed within 2 s", async () => {
  await goto(guangdong.page, '#/feed', '[data-testid=live-state][data-open=true]');
  await goto(enterprise.page, '#/report', '#report');
  const title = `浏览器测试上报 ${Date.now()}`;
  await enterprise.page.fill('[name=title]', title);
  await enterprise.page.fill('[name=description]', '控制器逻辑被篡改，已隔离。');
  await enterprise.page.selectOption('[name=severity]', 'SEVERITY_II');
  await enterprise.page.selectOption('[name=tlp]', 'TLP_AMBER');
  // Meanwhile another province's enterprise reports a RED incident: it must not arrive.
  const beijing = (await api('beijing-enterprise', 'RegistryService', 'ListEnterprises', {})).enterprises[0];
  await api('beijing-enterprise', 'ReportService', 'ReportIncident', {
    incident: {
      externalId: `red-${Date.now()}`, province: beijing.province, enterpriseId: beijing.id, sector: beijing.sector,
      category: 'CATEGORY_MALWARE', severity: 'SEVERITY_I', tlp: 'TLP_RED', sharingScope: 'SHARING_SCOPE_PROVINCE',
      title: '北京红色事件', occurTime: new Date(Date.now() - 60000).toISOString(),
    },
  });
  const started = Date.now();
  await enterprise.page.click('[data-testid=report-submit]');
  await enterprise.page.waitForSelector('[data-testid=report-ok]');
  await guangdong.page.waitForFunction(
    (t) => [...document.querySelectorAll('#live [data-testid=incident-row]')].some((r) => r.textContent.includes(t)),
    title,
    { timeout: 2000 },
  );
  console.log(`  live arrival ${Date.now() - started} ms after the click`);
  const live = await guangdong.page.$$eval('#live [data-testid=incident-row]', (trs) =>
    trs.map((tr) => ({ province: Number(tr.dataset.province), tlp: tr.dataset.tlp })),
  );
  assert.deepEqual(live.filter((r) => r.province !== GUANGDONG && HIDDEN_TLPS.has(r.tlp)), []);
  await shoot(guangdong.page, 'feed');
});

await check('an amendment (终报) through the form; the incident page lists every revision', async () => {
  const { page } = enterprise;
  await goto(page, '#/mine', '[data-testid=incident-row]');
  const id = await page.$eval('[data-testid=incident-row]', (tr) => tr.dataset.id);
  await goto(page, `#/amend/${id}`, '#amend');
  await page.selectOption('#amend [name=kind]', 'AMENDMENT_KIND_FINAL');
  await page.selectOption('#amend [name=status]', 'INCIDENT_STATUS_RESOLVED');
  await page.fill('#amend [name=note]', '处置完毕');
  await page.click('[data-testid=amend-submit]');
  await page.waitForSelector('[data-testid=incident-title]');
  await goto(national.page, `#/incident/${id}`, '[data-testid=revision-row]');
  const revisions = await national.page.$$eval('[data-testid=revision-row]', (rows) => rows.length);
  const expected = (await api('national-centre', 'ReportService', 'ListIncidentRevisions', { incidentId: id })).revisions.length;
  assert.ok(expected >= 2);
  assert.equal(revisions, expected);
});

await check('ack → feedback → close through the buttons', async () => {
  await goto(national.page, '#/issue', '#issue');
  const title = `浏览器测试通报 ${Date.now()}`;
  await national.page.fill('[name=title]', title);
  await national.page.fill('[name=body]', '请核查辖区内相关企业。');
  await national.page.fill('[name=required_action]', '24 小时内反馈。');
  await national.page.check(`[name=provinces][value="${GUANGDONG}"]`);
  await national.page.click('[data-testid=issue-submit]');
  await national.page.waitForSelector('[data-testid=notice-title]');
  const id = await national.page.evaluate(() => location.hash.split('/').pop());

  await goto(guangdong.page, `#/notice/${id}`, '[data-testid=ack]');
  await guangdong.page.click('[data-testid=ack]');
  await guangdong.page.waitForSelector('[data-testid=my-state][data-state=TARGET_STATE_ACKNOWLEDGED]');
  await guangdong.page.fill('#feedback [name=text]', '已通知辖区企业完成排查。');
  await guangdong.page.selectOption('#feedback [name=outcome]', 'FEEDBACK_OUTCOME_MITIGATED');
  await guangdong.page.click('[data-testid=feedback-submit]');
  await guangdong.page.waitForSelector('[data-testid=my-state][data-state=TARGET_STATE_FEEDBACK_SUBMITTED]');

  await goto(national.page, '#/notices?box=out', '[data-testid=notice-list]');
  await shoot(national.page, 'notices');
  await goto(national.page, `#/notice/${id}`, '[data-testid=close]');
  await national.page.fill('#close [name=remark]', '办结');
  await national.page.click('[data-testid=close]');
  await national.page.waitForSelector('[data-testid=target-row][data-state=TARGET_STATE_CLOSED]');
  await shoot(national.page, 'notice');
});

await check('CSV export holds the filtered list, UTF-8 with a byte-order mark', async () => {
  const page = guangdong.page;
  await goto(page, '#/feed?sev=SEVERITY_II', '[data-testid=feed-page]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
  const bytes = fs.readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').trim().split('\r\n');
  const expected = await allIncidents('guangdong-regulator', { minSeverity: 'SEVERITY_II' });
  assert.equal(lines.length - 1, expected.length);
  assert.ok(lines.slice(1).every((l) => /特别重大|重大/.test(l)), 'only severities I and II, by their Chinese names');
});

await check('the situation page prints as one page', async () => {
  const page = await national.context.newPage();
  await page.goto(`${base}/#/situation`);
  await page.waitForSelector('[data-testid=total]');
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  await page.setViewportSize({ width: 1123, height: 794 }); // A4 landscape at 96 dpi
  await shoot(page, 'briefing-print', true);
  assert.equal(pages, 1, `the briefing prints on ${pages} pages`);
  await page.close();
});

await check('English on request, Chinese first', async () => {
  const page = guangdong.page;
  assert.equal(await page.textContent('#nav a[data-nav=situation]'), '态势');
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#nav a[data-nav=situation]')?.textContent === 'Situation');
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#nav a[data-nav=situation]')?.textContent === '态势');
});

await check('sign-out ends the session: the old cookie is refused', async () => {
  const { context, page } = await signIn('guangdong-regulator');
  const cookie = (await context.cookies()).find((c) => c.name === 'sitrep_session');
  assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Strict', 'an HttpOnly SameSite=Strict session cookie');
  await page.click('#signout');
  await page.waitForSelector('#signin');
  const after = await fetch(`${base}/session`, { headers: { Cookie: `sitrep_session=${cookie.value}` } });
  assert.equal(after.status, 401);
  await context.close();
});

await check('the console fetches nothing from outside hosts', async () => {
  assert.deepEqual(outsideRequests, []);
});

// First paint of the situation page for a signed-in user (a reload: the session cookie stays).
await check('first paint of the situation page', async () => {
  const page = await national.context.newPage(); // a fresh document, the session cookie kept
  await page.goto(`${base}/#/situation`);
  await page.waitForSelector('[data-testid=total]');
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
    numbers: performance.now(),
  }));
  await page.close();
  console.log(JSON.stringify({ console_first_contentful_paint_ms: Math.round(timing.fcp), situation_numbers_ms: Math.round(timing.numbers) }));
  // The 1.5 s target is measured on the 10 M-incident database (README); here only a sanity bound,
  // since CI runs sitrepd under the sanitizers on a shared machine.
  assert.ok(timing.fcp >= 0 && timing.fcp <= 5000, `first paint ${timing.fcp} ms`);
});

if (screenshots) {
  const admin = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  const page = await admin.newPage();
  await page.goto(`${base}/`);
  await page.fill('#token', fs.readFileSync(adminToken, 'utf8').trim());
  await page.click('#signin button[type=submit]');
  await page.waitForSelector('[data-testid=enterprise-list]');
  await shoot(page, 'admin');
  await page.evaluate(() => (location.hash = ''));
  await page.close();
}

await browser.close();
stopServer();
await new Promise((r) => (serverExited ? r() : sitrepd.on('exit', r)));
const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length}/${results.length} browser checks passed`);
if (failed.length === 0) fs.rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work} (sitrepd.log) for inspection`);
process.exit(failed.length ? 1 : 0);
