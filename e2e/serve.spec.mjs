// End-to-end test of `jixiao serve` in real headless Chromium (Debian's chromium, driven by playwright-core):
// 自查 an example workbook, see and click its findings, download the marked and official workbooks,
// submit it, see it on 汇总, compare two years on 对比, make a blank template on 模板.
// Screenshots of every page at 1366×768 go to $SHOTS (default /tmp/shots).
//
// Run: JIXIAO_BIN=target/debug/jixiao node e2e/serve.spec.mjs (tests/integration/serve.rs does).

import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const bin = process.env.JIXIAO_BIN || join(root, 'target/debug/jixiao');
const shots = process.env.SHOTS || '/tmp/shots';
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const example = join(root, 'examples/linyi-education-2023.xlsx');
const lastYear = join(root, 'examples/linyi-education-2022.xlsx');
mkdirSync(shots, { recursive: true });

// The entries of a zip (an xlsx) by name, inflated.
function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

// Starts `jixiao serve --listen LISTEN ARGS…`; resolves with its address (over
// loopback) and, off loopback, the access code it prints.
function startServer(args, listen = '127.0.0.1:0') {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve', '--listen', listen, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('jixiao serve did not start: ' + out)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/([^/\s]+):(\d+)/.exec(out);
      if (!m) return;
      const loopback = m[1] === '127.0.0.1';
      const code = /访问码：(\S+)/.exec(out);
      if (!loopback && !code) return;
      clearTimeout(timer);
      resolve({ child, base: `http://127.0.0.1:${m[2]}`, code: code && code[1] });
    });
    child.on('exit', (code) => reject(new Error('jixiao serve exited ' + code + ': ' + out)));
  });
}

let passed = 0;
async function step(name, fn) {
  const t = Date.now();
  await fn();
  passed++;
  console.log(`ok - ${name} (${Date.now() - t} ms)`);
}

const work = mkdtempSync(join(tmpdir(), 'jixiao-e2e-'));
const dir = join(work, 'submissions');
const prior = join(work, 'prior');
mkdirSync(dir);
mkdirSync(prior);
copyFileSync(lastYear, join(prior, 'linyi-education-2022.xlsx'));

const { child, base } = await startServer(['--dir', dir, '--prior', prior]);
const browser = await chromium.launch({
  executablePath: browserPath,
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale: 'zh-CN' });
  const page = await context.newPage();
  const external = [];
  const ours = [base];
  page.on('request', (r) => { if (!ours.some((o) => r.url().startsWith(o + '/')) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) external.push(r.url()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await step('自查 opens', async () => {
    await page.goto(base + '/');
    await page.waitForSelector('body[data-ready="1"]');
    assert.equal(await page.textContent('nav a.on'), '自查');
    await page.screenshot({ path: join(shots, '1-check-empty.png') });
  });

  await step('an unreadable file gets the reader\'s Chinese reason', async () => {
    await page.setInputFiles('#file', { name: '会议签到.xlsx', mimeType: 'text/plain', buffer: Buffer.from('姓名,单位\n张三,教育局\n') });
    await page.waitForSelector('#check-error:not([hidden])');
    const text = await page.textContent('#check-error');
    assert.match(text, /^会议签到\.xlsx: 不是 Excel 或 WPS 表格文件/);
    await page.screenshot({ path: join(shots, '2-check-unreadable.png') });
  });

  await step('the example workbook: its table and its two findings', async () => {
    await page.setInputFiles('#file', example);
    await page.waitForSelector('#result:not([hidden]) .finding');
    const findings = await page.$$eval('.finding', (els) => els.map((e) => e.textContent));
    assert.equal(findings.length, 2, findings.join('\n'));
    for (const f of findings) assert.match(f, /警告目标低于上年实际F\d+/);
    assert.equal(await page.textContent('#result-counts'), '错误 0 个，警告 2 个');
    assert.ok((await page.$$('table.sheet td.hd')).length > 5, 'header cells drawn');
    assert.ok((await page.$$('table.sheet td[rowspan]')).length > 0, 'merged cells drawn');
    assert.equal(await page.$$eval('table.sheet td.mark-warning', (e) => e.length), 2);
    await page.screenshot({ path: join(shots, '3-check-findings.png') });
  });

  await step('a click on a finding marks its cell', async () => {
    const cell = (await page.textContent('.finding:nth-child(2) .where')).trim();
    await page.click('.finding:nth-child(2)');
    await page.waitForSelector('td.hl');
    assert.equal(await page.getAttribute('td.hl', 'data-cell'), cell);
    assert.equal((await page.$$('td.hl')).length, 1);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(shots, '4-check-finding-clicked.png') });
  });

  await step('the marked workbook downloads with 校验结果 and the findings', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-marked')]);
    assert.equal(dl.suggestedFilename(), 'linyi-education-2023-标注.xlsx');
    const zip = unzip(readFileSync(await dl.path()));
    assert.match(zip.get('xl/workbook.xml'), /name="校验结果"/);
    const all = [...zip.values()].join('');
    assert.ok(all.includes('低于上年值'), 'the findings are in the workbook');
  });

  await step('the official workbook downloads', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-official')]);
    assert.equal(dl.suggestedFilename(), 'linyi-education-2023-官方格式.xlsx');
    const zip = unzip(readFileSync(await dl.path()));
    assert.doesNotMatch(zip.get('xl/workbook.xml'), /校验结果/);
    assert.ok([...zip.values()].join('').includes('新建改扩建中小学校数量'));
  });

  await step('提交 stores it and shows the receipt', async () => {
    await page.click('#submit');
    await page.waitForSelector('#receipt:not([hidden])');
    const receipt = await page.textContent('#receipt');
    assert.match(receipt, /SHA-256[0-9a-f]{64}/);
    assert.match(receipt, /错误 0 个，警告 2 个/);
    const files = readdirSync(dir).filter((f) => !f.startsWith('.'));
    assert.equal(files.length, 1, files.join(','));
    assert.match(files[0], /^2023年_临沂市教育局_\d{8}-\d{6}\.xlsx$/);
    await page.screenshot({ path: join(shots, '5-check-submitted.png') });
  });

  await step('汇总 shows the submission, filters by status, downloads the summary', async () => {
    await page.goto(base + '/summary');
    await page.waitForSelector('#summary-table tbody tr');
    const row = await page.textContent('#summary-table tbody tr');
    assert.match(row, /临沂市教育局/);
    assert.match(row, /有警告/);
    assert.match(row, /修改|新增|删除|更名|移动/, 'changes against last year');
    await page.screenshot({ path: join(shots, '6-summary.png') });
    await page.selectOption('#status-filter', '有错误');
    assert.equal((await page.$$('#summary-table tbody tr')).length, 0);
    await page.selectOption('#status-filter', '');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-summary')]);
    const zip = unzip(readFileSync(await dl.path()));
    assert.match(zip.get('xl/workbook.xml'), /name="汇总"/);
  });

  await step('off loopback, 汇总 asks for the access code', async () => {
    const open = await startServer(['--dir', dir], '0.0.0.0:0');
    ours.push(open.base);
    try {
      assert.match(open.code, /^[2-9A-Z]{8}$/);
      await page.goto(open.base + '/summary');
      await page.waitForSelector('#code-box:not([hidden])');
      assert.ok(!(await page.isVisible('#summary-body')));
      await page.fill('#code', 'WRONGCOD');
      await page.click('#code-box button');
      await page.waitForSelector('#summary-error:not([hidden])');
      assert.match(await page.textContent('#summary-error'), /访问码不对/);
      await page.screenshot({ path: join(shots, '6b-summary-code.png') });
      await page.fill('#code', open.code.toLowerCase());
      await page.click('#code-box button');
      await page.waitForSelector('#summary-body:not([hidden]) #summary-table tbody tr');
      assert.match(await page.textContent('#summary-table tbody tr'), /临沂市教育局/);
    } finally {
      open.child.kill();
    }
  });

  await step('对比 shows the changes and downloads the diff workbook', async () => {
    await page.goto(base + '/diff');
    await page.waitForSelector('body[data-ready="1"]');
    await page.setInputFiles('#prior-file', lastYear);
    await page.setInputFiles('#current-file', example);
    await page.click('#diff-run');
    await page.waitForSelector('#diff-result:not([hidden])');
    assert.ok((await page.$$('#diff-changes tbody tr')).length > 1);
    await page.screenshot({ path: join(shots, '7-diff.png') });
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-diff')]);
    const zip = unzip(readFileSync(await dl.path()));
    assert.match(zip.get('xl/workbook.xml'), /name="变更汇总"/);
  });

  await step('模板 downloads a blank template', async () => {
    await page.goto(base + '/template');
    await page.waitForSelector('body[data-ready="1"]');
    await page.fill('#t-year', '2025');
    await page.fill('#t-department', '临沂市教育局');
    await page.screenshot({ path: join(shots, '8-template.png') });
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#t-run')]);
    assert.equal(dl.suggestedFilename(), '2025年临沂市教育局-空白模板.xlsx');
    const zip = unzip(readFileSync(await dl.path()));
    assert.ok([...zip.values()].join('').includes('2025年'));
  });

  await step('a workbook of several tables: one tab each', async () => {
    await page.goto(base + '/');
    await page.waitForSelector('body[data-ready="1"]');
    await page.setInputFiles('#file', join(root, 'examples/linyi-education-projects-2024.xlsx'));
    await page.waitForSelector('#result:not([hidden]) #tabs .tab');
    assert.equal((await page.$$('#tabs .tab')).length, 3);
    await page.click('#tabs .tab:nth-child(2)');
    assert.equal(await page.$$eval('#panels .panel', (ps) => ps.filter((p) => !p.hidden).length), 1);
    assert.ok(await page.isVisible('#panels .panel:nth-child(2) table.sheet'));
    await page.screenshot({ path: join(shots, '9-check-tabs.png') });
  });

  assert.deepEqual(external, [], 'nothing fetched from elsewhere');
  assert.deepEqual(errors, [], 'no script errors');
} finally {
  await browser.close();
  child.kill();
  rmSync(work, { recursive: true, force: true });
}
console.log(`e2e: ${passed} passed, 0 failed`);
