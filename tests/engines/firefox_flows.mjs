// The worker's day in Firefox, driven by puppeteer-core over WebDriver BiDi (no driver binary;
// Debian has no geckodriver package). Run by tests/engines/test_firefox.py:
//
//   node tests/engines/firefox_flows.mjs URL      (ROUNDS_FLOWS: JSON with the admin token and
//                                                  the residents to visit)
//
// The server is stopped and started by the Python side: this script writes "@@server stop" or
// "@@server start" and waits for a line on stdin.
// Exit 0 when every step passed.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import puppeteer from 'puppeteer-core';

const URL_ = process.argv[2];
const { adminToken, online, offline, qr } = JSON.parse(process.env.ROUNDS_FLOWS);
const FIREFOX = process.env.ROUNDS_FIREFOX || '/usr/bin/firefox-esr';
const FIND = readFileSync(new URL('./find.js', import.meta.url), 'utf8');
const AUTO_SEND_WAIT_MS = 60_000; // the app's retries after a failed sync send it by then
const PREFS = {
  'intl.accept_languages': 'en-US',
};

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function server(what) {
  console.log(`@@server ${what}`);
  const answer = await lines.next();
  if (answer.done || answer.value.trim() !== 'ok') throw new Error(`the server did not ${what}`);
}

const t0 = Date.now();
const step = (what) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitUntil(what, check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const found = await check();
      if (found) return found;
    } catch (err) {
      lastError = err; // a page between two screens: try again
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? ` (${lastError.message})` : ''}`);
}
function check(ok, message) {
  if (!ok) throw new Error(message);
}

async function api(path) {
  const res = await fetch(`${URL_}${path}`, { headers: { Authorization: `Bearer ${adminToken}` } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return res.json();
}
const serverHas = (id) => api(`/api/v1/visits/${id}`);
async function visitsOf(resident) {
  const body = await api(`/api/v1/visits?resident_id=${resident.id}`);
  return (Array.isArray(body) ? body : body.items).map((v) => v.id);
}

// ---- finding things by role and accessible name (tests/engines/find.js) -------------------

async function find(page, role, name, exact = true) {
  const call = `(${FIND})(${JSON.stringify(role)}, ${JSON.stringify(name)}, ${exact})[0] || null`;
  const handle = await page.evaluateHandle(call);
  const element = handle.asElement();
  if (!element) await handle.dispose();
  return element;
}
const get = (page, role, name, exact = true, timeoutMs = 20_000) =>
  waitUntil(`${role} "${name}"`, () => find(page, role, name, exact), timeoutMs);
async function click(page, role, name, exact = true) {
  const element = await get(page, role, name, exact);
  await element.click();
}
async function fill(page, label, value) {
  const element = await get(page, 'label', label);
  await element.evaluate((el) => { el.value = ''; });
  await element.type(value);
}
const textOf = (page, selector) =>
  page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent || ''`);
const strip = (page) => textOf(page, '.strip-line');
const waitStrip = (page, words, timeoutMs) =>
  waitUntil(`the status strip to say "${words}"`, async () => (await strip(page)).includes(words), timeoutMs);
const pageSays = (page, words) =>
  waitUntil(`the page to say "${words}"`, async () => (await page.evaluate('document.body.innerText')).includes(words));
async function waitSynced(page, timeoutMs = 30_000) {
  await waitUntil('the status strip to say it synced and nothing waits', async () => {
    const s = await strip(page);
    return s.includes('Last sync') && s.includes('Nothing waiting') && !s.includes('Syncing');
  }, timeoutMs);
}
const serviceWorkerControls = (page) =>
  page.evaluate('!!(navigator.serviceWorker && navigator.serviceWorker.controller)');
const readStore = (page, store) =>
  page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('rounds');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction(${JSON.stringify(store)}).objectStore(${JSON.stringify(store)}).getAll();
      req.onsuccess = () => { db.close(); resolve(req.result); };
      req.onerror = () => reject(req.error);
    };
  })`);
const outboxIds = async (page) => (await readStore(page, 'outbox')).map((r) => r.id).sort();
const lastAttempt = async (page) =>
  (await readStore(page, 'meta')).find((r) => r.key === 'last_attempt')?.value || null;

// ---- what a worker does --------------------------------------------------------------------

function rowName(resident) {
  const place = resident.room || resident.address || '';
  return place ? `${resident.name}, ${place},` : `${resident.name},`;
}

async function drawSignature(page) {
  const canvas = await get(page, 'img', 'Sign here', false);
  await canvas.scrollIntoView();
  const box = await canvas.boundingBox();
  check(box, 'the signature pad is not on screen');
  const { x, y, width: w, height: h } = box;
  for (let stroke = 0; stroke < 2; stroke++) {
    await page.mouse.move(x + w * 0.1, y + h * (0.3 + 0.3 * stroke));
    await page.mouse.down();
    for (let i = 1; i < 16; i++) {
      await page.mouse.move(x + w * (0.1 + 0.05 * i), y + h * (0.3 + 0.3 * stroke + 0.1 * (i % 3)));
    }
    await page.mouse.up();
  }
}

async function recordVisit(page, resident, service, rating = 'Satisfied') {
  await click(page, 'button', rowName(resident), false);
  await get(page, 'heading', resident.name);
  await fill(page, 'Service given', service);
  await click(page, 'button', 'Hand the phone to the resident');
  await click(page, 'button', rating);
  await drawSignature(page);
  await click(page, 'button', 'Done — give the phone back');
  await get(page, 'heading', 'Check and save');
  await click(page, 'button', 'Save visit');
  await pageSays(page, `Saved: visit to ${resident.name}`);
}

async function launch(profile) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: PREFS,
    defaultViewport: { width: 412, height: 915 },
  });
  const pages = await browser.pages();
  return { browser, page: pages[0] || (await browser.newPage()) };
}

async function main() {
  const profile = mkdtempSync(join(tmpdir(), 'rounds-firefox-'));
  let browser;
  try {
    let page;
    ({ browser, page } = await launch(profile));

    step('(1) log in');
    await page.goto(URL_);
    await fill(page, 'Username', 'worker1');
    await fill(page, 'Password', 'rounds-demo');
    await click(page, 'button', 'Log in');
    await get(page, 'link', 'Scan QR code', true, 30_000);
    await waitSynced(page);
    await waitUntil('the service worker to control the page', () => serviceWorkerControls(page));

    step('(2) a visit online');
    await recordVisit(page, online, 'Helped with lunch (Firefox)');
    await waitSynced(page);
    const onlineIds = await visitsOf(online);
    check(onlineIds.length === 1, `the server has ${onlineIds.length} visits, not 1`);
    const first = await serverHas(onlineIds[0]);
    check(first.service_given === 'Helped with lunch (Firefox)', first.service_given);
    check(first.satisfaction === 'satisfied', first.satisfaction);
    check(first.signature.strokes === 2, `${first.signature.strokes} strokes`);

    step('(3) visits while the server is away');
    await server('stop');
    for (const r of offline) await recordVisit(page, r, `Offline visit to ${r.name} (Firefox)`);
    await waitStrip(page, `${offline.length} waiting to sync`);
    const waiting = await outboxIds(page);
    check(waiting.length === offline.length, `outbox: ${waiting}`);

    step('(4) reload, then close Firefox and open it again, with no server');
    await page.reload();
    await waitStrip(page, `${offline.length} waiting to sync`);
    check(await serviceWorkerControls(page), 'the reloaded page is not the service worker\'s');
    await browser.close();
    await sleep(1100); // the app keeps whole seconds: its next attempt is told apart by its time
    ({ browser, page } = await launch(profile));
    await page.goto(URL_);
    await get(page, 'link', 'Scan QR code');
    check(await serviceWorkerControls(page), 'the reopened app is not the service worker\'s');
    const opened = Math.floor((await page.evaluate('performance.timeOrigin')) / 1000) * 1000;
    await waitStrip(page, `${offline.length} waiting to sync`);
    check(JSON.stringify(await outboxIds(page)) === JSON.stringify(waiting), 'the outbox changed');
    // The app tries to sync when it opens (after a random wait of up to 10 s): let that attempt
    // fail first, so what sends the outbox later is the app noticing the server came back.
    const attempt = await waitUntil("the app's sync at start-up to fail", async () => {
      const a = await lastAttempt(page);
      return a && Date.parse(a.at) >= opened && a;
    });
    check(!attempt.ok && ['network', 'timeout'].includes(attempt.reason), JSON.stringify(attempt));

    step('(5) the server is back');
    await server('start');
    await waitUntil('the app to send its outbox by itself', async () => {
      for (const id of waiting) if (!(await serverHas(id))) return false;
      return true;
    }, AUTO_SEND_WAIT_MS);
    await waitSynced(page);
    check((await outboxIds(page)).length === 0, 'the outbox is not empty');
    for (const r of offline) {
      const ids = await visitsOf(r);
      check(ids.length === 1 && waiting.includes(ids[0]), `${r.name}: the server has ${ids}`);
      const visit = await serverHas(ids[0]);
      check(visit.service_given === `Offline visit to ${r.name} (Firefox)`, visit.service_given);
      check(visit.signature.strokes === 2, `${visit.signature.strokes} strokes`);
    }
    check(JSON.stringify(await visitsOf(online)) === JSON.stringify(onlineIds), 'the online visit twice');

    step('(6) a QR link opens the resident');
    await page.goto(`${URL_}/r/${qr.qr_token}`);
    await get(page, 'heading', qr.name);
    await pageSays(page, 'QR code');
    step('all steps passed');
  } finally {
    await browser?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err?.stack || String(err));
    process.exit(1);
  },
);
