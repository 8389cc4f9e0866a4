// End-to-end test of the plancheck serve page in headless Chromium, run by
// web/e2e_test.go (which starts the server and checks what this prints).
//
// Environment: PLANCHECK_URL (the page), PLANCHECK_DRAFT (a draft file),
// PLANCHECK_PARENT (a higher-level plan), PLANCHECK_ASTRAL (a draft with
// characters outside the BMP before its spans), PLANCHECK_OUT (screenshots and
// downloads), CHROMIUM (the browser binary, default /usr/bin/chromium).
//
// It prints one JSON object on stdout: what it measured on the page. It
// exits non-zero when the page misbehaves in a way only the browser can
// tell (an error shown, a span that does not scroll into view); counts
// are compared by the Go test, which knows the checker's answer.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const url = mustEnv('PLANCHECK_URL');
const draft = mustEnv('PLANCHECK_DRAFT');
const parent = mustEnv('PLANCHECK_PARENT');
const astral = mustEnv('PLANCHECK_ASTRAL');
const out = mustEnv('PLANCHECK_OUT');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// No network beyond the test server, no background traffic of the browser.
const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--lang=zh-CN',
];

function mustEnv(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`e2e: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

// problems collects what the page did wrong outside the test's own steps.
const problems = [];

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

// open starts Chromium with a new, empty profile directory.
async function open(viewport, deviceScaleFactor) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'plancheck-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, args, headless: true, viewport, deviceScaleFactor,
    acceptDownloads: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(20000);
  page.on('pageerror', (e) => problems.push('page script error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push('console error: ' + m.text());
  });
  // The page must need nothing but the server it came from.
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(url) || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
    problems.push('request outside the server: ' + u);
    return route.abort();
  });
  return {
    page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// checkDraft uploads the draft (and the parent, when given) and waits
// for the results.
async function checkDraft(page, withParent, file) {
  await page.goto(url);
  await page.setInputFiles('#draft', file || draft);
  if (withParent) await page.setInputFiles('#parent', parent);
  await page.click('#run');
  await page.waitForSelector('#results[data-state=done], #results[data-state=error]');
  const err = await page.$eval('#error', (e) => (e.hidden ? '' : e.textContent));
  check(!err, 'the page shows an error: ' + err);
}

// highlightText maps each finding's index to the text of its highlights.
function highlightText() {
  const text = {};
  document.querySelectorAll('#doc mark[data-ids]').forEach((m) => m.getAttribute('data-ids').split(' ').forEach((i) => {
    text[i] = (text[i] || '') + m.textContent;
  }));
  return text;
}

// visibility tells whether an element is within the viewport and within
// every scrolling box around it.
function visibility(sel) {
  const el = document.querySelector(sel);
  if (!el) return { found: false };
  const r = el.getBoundingClientRect();
  let inside = r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth && r.height > 0;
  for (let p = el.parentElement; p && inside; p = p.parentElement) {
    const st = getComputedStyle(p);
    if (/(auto|scroll|hidden)/.test(st.overflowY)) {
      const b = p.getBoundingClientRect();
      inside = r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
    }
  }
  return { found: true, inside, top: r.top, bottom: r.bottom, height: window.innerHeight };
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const result = { screenshots: [], downloads: {} };

  // Desktop: counts, positions, downloads.
  let b = await open({ width: 1920, height: 1080 }, 1);
  try {
    const page = b.page;
    await checkDraft(page, true);
    const text = await page.evaluate(highlightText);
    Object.assign(result, await page.evaluate(() => ({
      comments: document.querySelectorAll('#comments .comment').length,
      coverageRows: document.querySelectorAll('#coverage-table tbody tr').length,
      lines: document.querySelectorAll('#doc .line').length,
    })));
    result.highlights = Object.keys(text).length;
    result.highlightText = text;
    await page.screenshot({ path: path.join(out, 'desktop-1920x1080.png') });
    result.screenshots.push('desktop-1920x1080.png');
    const cov = await page.$('#coverage');
    await cov.scrollIntoViewIfNeeded();
    await cov.screenshot({ path: path.join(out, 'coverage.png') });
    result.screenshots.push('coverage.png');

    // A task's link opens the parent's text at the task's line.
    const link = await page.$('#coverage-table tbody tr:last-child td:first-child a');
    const href = await link.getAttribute('href');
    await link.click();
    result.parentLink = await page.evaluate(visibility, href);
    result.parentLinkFocused = await page.evaluate((h) => document.activeElement === document.querySelector(h), href);

    // Filters: unticking 提示 hides its comments and highlights.
    await page.uncheck('input[name=sev][value=info]');
    result.afterInfoOff = await page.evaluate(() => ({
      comments: document.querySelectorAll('#comments .comment').length,
      infoMarks: document.querySelectorAll('#doc mark.sev-info').length,
    }));
    await page.check('input[name=sev][value=info]');

    for (const format of ['docx', 'feedback-docx', 'feedback-md', 'json']) {
      const button = await page.$(`button[name=format][value="${format}"]`);
      if (!button) continue;
      const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
      const file = path.join(out, 'download-' + format + path.extname(dl.suggestedFilename()));
      await dl.saveAs(file);
      result.downloads[format] = { file, suggested: dl.suggestedFilename() };
    }
  } finally {
    await b.close();
  }

  // 1366×768 at 125 % zoom: 1093×614 CSS pixels at a device scale of 1.25.
  b = await open({ width: 1093, height: 614 }, 1.25);
  try {
    const page = b.page;
    await checkDraft(page, false);
    result.laptopHighlights = Object.keys(await page.evaluate(highlightText)).length;
    await page.screenshot({ path: path.join(out, 'laptop-1366x768-125.png') });
    result.screenshots.push('laptop-1366x768-125.png');
    result.twoColumns = await page.evaluate(() => {
      const a = document.querySelector('.doc-pane').getBoundingClientRect();
      const s = document.querySelector('.side-pane').getBoundingClientRect();
      return s.left >= a.right - 1;
    });

    // Click the comment of a span out of view: the span scrolls into view
    // and takes the focus.
    const ids = await page.$$eval('#comments .comment', (cs) => cs.map((c) => c.getAttribute('data-i')));
    let target = null;
    for (let k = ids.length - 1; k >= 0 && target === null; k--) {
      const v = await page.evaluate(visibility, `#doc mark[tabindex="-1"][data-ids~="${ids[k]}"]`);
      if (v.found && !v.inside) target = ids[k];
    }
    check(target !== null, 'every span is already in view: the scroll test would prove nothing');
    const sel = `#doc mark[tabindex="-1"][data-ids~="${target}"]`;
    await page.$eval(`#c-${target}`, (c) => c.scrollIntoView({ block: 'nearest' }));
    await page.click(`#c-${target}`);
    result.clicked = await page.evaluate(visibility, sel);
    result.clickedFocused = await page.evaluate((s) => document.activeElement === document.querySelector(s), sel);
    check(result.clicked.inside, 'the span did not scroll into view: ' + JSON.stringify(result.clicked));
    await page.screenshot({ path: path.join(out, 'laptop-after-click.png') });
    result.screenshots.push('laptop-after-click.png');

    // Keyboard: Enter on the first comment focuses its span; Enter on the
    // span goes back to the comment.
    const first = ids[0];
    await page.focus(`#c-${first}`);
    await page.keyboard.press('Enter');
    result.enterFocusesSpan = await page.evaluate((i) => {
      const a = document.activeElement;
      return !!a && a.tagName === 'MARK' && a.getAttribute('data-ids').split(' ').indexOf(i) >= 0;
    }, first);
    await page.keyboard.press('Enter');
    result.enterBackToComment = await page.evaluate((i) => document.activeElement && document.activeElement.id === 'c-' + i, first);

    // Tab order: from the file input, Tab reaches the run button.
    await page.focus('#draft');
    const order = [];
    for (let k = 0; k < 10; k++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName));
    }
    result.tabOrder = order;
  } finally {
    await b.close();
  }

  // A narrow window (a 1366 screen at 175 %, a tablet): one column.
  b = await open({ width: 780, height: 900 }, 1);
  try {
    const page = b.page;
    await checkDraft(page, false);
    result.narrowOneColumn = await page.evaluate(() => {
      const a = document.querySelector('.doc-pane').getBoundingClientRect();
      const s = document.querySelector('.side-pane').getBoundingClientRect();
      return s.top >= a.bottom - 1;
    });
    await page.screenshot({ path: path.join(out, 'narrow-780.png'), fullPage: false });
    result.screenshots.push('narrow-780.png');

    // Columns count code points: spans after characters outside the BMP
    // (two UTF-16 units each) cover exactly their text.
    await checkDraft(page, false, astral);
    result.astralText = await page.evaluate(highlightText);

    // An upload the server refuses shows its message on the page.
    await page.goto(url);
    const bin = path.join(out, 'binary.txt');
    fs.writeFileSync(bin, Buffer.from([0x50, 0x00, 0x01, 0x02, 0xff, 0x00]));
    await page.setInputFiles('#draft', bin);
    await page.click('#run');
    await page.waitForSelector('#error:not([hidden])');
    result.binaryError = await page.$eval('#error', (e) => e.textContent);
    await page.screenshot({ path: path.join(out, 'error.png') });
    result.screenshots.push('error.png');
  } finally {
    await b.close();
  }

  // The refused upload logs its 422 in the console: expected.
  result.problems = problems.filter((p) => !/status of 422/.test(p));
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  console.error('e2e:', e && e.stack ? e.stack : e);
  process.exit(1);
});
