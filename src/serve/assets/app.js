// jixiao serve: the pages' script (自查, 提交, 汇总, 对比, 模板); plain ES2020, nothing fetched but this server.
'use strict';

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
};
const show = (node, on) => { node.hidden = !on; };
const say = (node, text) => { node.textContent = text || ''; show(node, !!text); };

let info = { submit: false, prior: false, code: false, limit_mb: 100 };

// The server's one-line Chinese reason for a failed request.
async function reason(resp) {
  try {
    const j = await resp.json();
    if (j && j.error) return j.error;
  } catch (_) { /* not JSON */ }
  if (resp.status === 413) return `文件过大，超过上限 ${info.limit_mb} MB`;
  return `请求失败（${resp.status}）`;
}

async function post(url, form) {
  let resp;
  try {
    resp = await fetch(url, { method: 'POST', body: form });
  } catch (_) {
    throw new Error('无法连接到服务，请确认 jixiao serve 仍在运行');
  }
  if (!resp.ok) throw new Error(await reason(resp));
  return resp;
}

// The name in Content-Disposition (filename*=UTF-8''…), else `fallback`.
function fileName(resp, fallback) {
  const cd = resp.headers.get('content-disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (m) {
    try { return decodeURIComponent(m[1]); } catch (_) { /* keep fallback */ }
  }
  return fallback;
}

async function download(resp, fallback) {
  const blob = await resp.blob();
  const a = el('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName(resp, fallback);
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 10000);
}

function colLetters(c) {
  let s = '';
  let n = c + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

// ---------------------------------------------------------------- 自查 / 提交

let current = null; // the File being checked

function fileForm(file) {
  const f = new FormData();
  f.append('file', file, file.name);
  return f;
}

async function checkFile(file) {
  current = file;
  say($('check-error'), '');
  show($('result'), false);
  show($('receipt'), false);
  if (file.size > info.limit_mb * 1024 * 1024) {
    say($('check-error'), `${file.name}: 文件过大或结构异常（文件大小 ${Math.floor(file.size / 1048576)} MB，超过上限 ${info.limit_mb} MB），已拒绝读取`);
    return;
  }
  show($('check-busy'), true);
  try {
    const resp = await post('/api/check', fileForm(file));
    drawResult(await resp.json());
  } catch (e) {
    say($('check-error'), e.message);
  } finally {
    show($('check-busy'), false);
  }
}

function countsText(errors, warnings) {
  if (!errors && !warnings) return '未发现问题';
  return `错误 ${errors} 个，警告 ${warnings} 个`;
}

function drawResult(view) {
  $('result-file').textContent = view.file;
  const counts = $('result-counts');
  counts.textContent = countsText(view.errors, view.warnings);
  counts.className = 'counts ' + (view.errors ? 'bad' : view.warnings ? 'warn' : 'good');
  show($('submit'), info.submit);
  $('submit').disabled = false;
  const tabs = $('tabs');
  const panels = $('panels');
  tabs.replaceChildren();
  panels.replaceChildren();
  view.tables.forEach((t, k) => {
    const tab = el('button', 'tab', t.label);
    tab.type = 'button';
    tab.setAttribute('role', 'tab');
    const n = t.errors + t.warnings;
    if (n) tab.appendChild(el('span', t.errors ? 'badge bad' : 'badge warn', n));
    tab.addEventListener('click', () => selectTab(k));
    tabs.appendChild(tab);
    panels.appendChild(drawTable(t, k));
  });
  show(tabs, view.tables.length > 1);
  selectTab(0);
  show($('result'), true);
  $('drop').classList.add('compact');
}

function selectTab(k) {
  document.querySelectorAll('#tabs .tab').forEach((t, i) => t.classList.toggle('on', i === k));
  document.querySelectorAll('#panels .panel').forEach((p, i) => show(p, i === k));
}

function drawTable(t, k) {
  const panel = el('div', 'panel');
  panel.dataset.table = String(k);
  const side = el('div', 'findings');
  side.appendChild(el('h2', null, t.findings.length ? `问题（${t.findings.length}）` : '问题'));
  const g = t.grid;
  // Which cell (A1) each grid position shows: merged regions show their top-left cell.
  const owner = new Map();
  const cover = new Set();
  for (const [r0, c0, r1, c1] of g.merges) {
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        if (r !== r0 || c !== c0) cover.add(r + ',' + c);
        owner.set(colLetters(c) + (r + 1), colLetters(c0) + (r0 + 1));
      }
    }
  }
  const text = new Map(g.cells.map(([r, c, s]) => [r + ',' + c, s]));
  const marks = new Map();
  for (const f of t.findings) {
    if (f.sheet !== t.sheet || !f.cell) continue;
    const a = owner.get(f.cell) || f.cell;
    const was = marks.get(a);
    if (was !== 'error') marks.set(a, f.severity);
  }
  const table = el('table', 'sheet');
  const cells = new Map();
  for (let r = g.first; r <= g.last; r++) {
    const tr = el('tr');
    const rowHead = el('th', 'rownum', r + 1);
    tr.appendChild(rowHead);
    for (let c = 0; c < g.cols; c++) {
      const key = r + ',' + c;
      if (cover.has(key)) continue;
      const td = el('td', null, text.get(key));
      const m = g.merges.find((x) => x[0] === r && x[1] === c);
      if (m) {
        if (m[2] > m[0]) td.rowSpan = m[2] - m[0] + 1;
        if (m[3] > m[1]) td.colSpan = m[3] - m[1] + 1;
      }
      const a1 = colLetters(c) + (r + 1);
      td.dataset.cell = a1;
      if (r >= g.header[0] && r <= g.header[1]) td.classList.add('hd');
      if (g.title_row === r) td.classList.add('title');
      const mark = marks.get(a1);
      if (mark) td.classList.add('mark-' + mark);
      cells.set(a1, td);
      tr.appendChild(td);
    }
    table.appendChild(tr);
  }
  const list = el('ol', 'finding-list');
  t.findings.forEach((f) => {
    const li = el('li', 'finding ' + f.severity);
    li.tabIndex = 0;
    const head = el('div', 'finding-head');
    head.appendChild(el('span', 'level', f.level));
    head.appendChild(el('span', 'rule', f.rule || f.code));
    head.appendChild(el('span', 'where', f.sheet === t.sheet ? f.cell : `${f.sheet}!${f.cell}`));
    li.appendChild(head);
    li.appendChild(el('div', 'message', f.message));
    const go = () => {
      panel.querySelectorAll('.hl').forEach((x) => x.classList.remove('hl'));
      list.querySelectorAll('.finding.on').forEach((x) => x.classList.remove('on'));
      li.classList.add('on');
      const td = f.sheet === t.sheet ? cells.get(owner.get(f.cell) || f.cell) : null;
      if (td) {
        td.classList.add('hl');
        td.scrollIntoView({ block: 'center', inline: 'center', behavior: 'smooth' });
      }
    };
    li.addEventListener('click', go);
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
    list.appendChild(li);
  });
  if (!t.findings.length) side.appendChild(el('p', 'good', '这张表未发现问题。'));
  side.appendChild(list);
  const wrap = el('div', 'sheet-wrap');
  wrap.appendChild(el('div', 'sheet-name', `工作表：${t.sheet}` + (g.cut ? `（只显示前 ${g.last - g.first + 1} 行）` : '')));
  wrap.appendChild(table);
  panel.appendChild(wrap);
  panel.appendChild(side);
  return panel;
}

async function downloadFor(url, what) {
  if (!current) return;
  say($('check-error'), '');
  try {
    const resp = await post(url, fileForm(current));
    await download(resp, what + '.xlsx');
  } catch (e) {
    say($('check-error'), e.message);
  }
}

async function submitCurrent() {
  if (!current) return;
  const btn = $('submit');
  btn.disabled = true;
  say($('check-error'), '');
  try {
    const resp = await post('/api/submit', fileForm(current));
    drawReceipt(await resp.json());
  } catch (e) {
    say($('check-error'), e.message);
    btn.disabled = false;
  }
}

function drawReceipt(r) {
  const box = $('receipt');
  box.replaceChildren();
  box.appendChild(el('h2', null, '已提交 · 回执'));
  const dl = el('dl');
  const row = (k, v, cls) => { dl.appendChild(el('dt', null, k)); dl.appendChild(el('dd', cls, v)); };
  row('提交时间', r.time + '（北京时间）');
  row('文件', r.file);
  row('保存为', r.stored);
  row('文件大小', `${r.size} 字节`);
  row('SHA-256', r.sha256, 'hash');
  row('检查结果', countsText(r.errors, r.warnings));
  box.appendChild(dl);
  box.appendChild(el('p', 'hint', '每次提交都另存一份，不会覆盖之前的提交；如需修改，改好后重新检查并提交即可。'));
  show(box, true);
}

function setupCheck() {
  const input = $('file');
  input.addEventListener('change', () => { if (input.files && input.files[0]) checkFile(input.files[0]); input.value = ''; });
  const drop = $('drop');
  ['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); }));
  ['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, () => drop.classList.remove('over')));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (f) checkFile(f);
  });
  $('dl-marked').addEventListener('click', () => downloadFor('/api/marked', '标注'));
  $('dl-official').addEventListener('click', () => downloadFor('/api/official', '官方格式'));
  $('submit').addEventListener('click', submitCurrent);
}

// ---------------------------------------------------------------- 汇总

let rows = [];
let timer = null;

function codeHeaders() {
  const code = sessionStorage.getItem('jixiao-code');
  return code ? { 'x-jixiao-code': code } : {};
}

async function loadSummary() {
  say($('summary-error'), '');
  let resp;
  try {
    resp = await fetch('/api/summary', { headers: codeHeaders() });
  } catch (_) {
    say($('summary-error'), '无法连接到服务，请确认 jixiao serve 仍在运行');
    return;
  }
  if (resp.status === 401) {
    show($('code-box'), true);
    show($('summary-body'), false);
    if (sessionStorage.getItem('jixiao-code')) say($('summary-error'), await reason(resp));
    return;
  }
  if (!resp.ok) {
    say($('summary-error'), await reason(resp));
    show($('summary-body'), false);
    return;
  }
  show($('code-box'), false);
  const j = await resp.json();
  rows = j.rows;
  document.querySelectorAll('.prior-col').forEach((x) => show(x, j.prior));
  $('summary-table').classList.toggle('with-prior', !!j.prior);
  drawSummary(j.prior);
  $('summary-time').textContent = '更新于 ' + new Date().toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
  show($('summary-body'), true);
}

function drawSummary(prior) {
  const want = $('status-filter').value;
  const body = $('summary-table').tBodies[0];
  body.replaceChildren();
  const counts = {};
  rows.forEach((r) => { counts[r.status] = (counts[r.status] || 0) + 1; });
  $('summary-counts').textContent = `共 ${rows.length} 张：` +
    ['通过', '有警告', '有错误', '无法读取'].map((s) => `${s} ${counts[s] || 0}`).join('，');
  const shown = rows.filter((r) => !want || r.status === want);
  for (const r of shown) {
    const tr = el('tr');
    tr.appendChild(el('td', null, r.department || '—'));
    tr.appendChild(el('td', null, r.project));
    tr.appendChild(el('td', 'num', r.year || ''));
    const st = el('td');
    st.appendChild(el('span', 'status s-' + ({ '通过': 'good', '有警告': 'warn', '有错误': 'bad', '无法读取': 'bad' }[r.status] || ''), r.status));
    if (r.reason) st.appendChild(el('div', 'hint', r.reason));
    tr.appendChild(st);
    tr.appendChild(el('td', 'num', r.errors));
    tr.appendChild(el('td', 'num', r.warnings));
    tr.appendChild(el('td', 'nowrap', r.time));
    tr.appendChild(el('td', 'num', r.versions));
    if (prior) {
      const td = el('td', null, r.changes || '');
      if (r.table !== null && r.changes && r.changes !== '无上年表') {
        const b = el('button', 'link', '对比工作簿');
        b.type = 'button';
        b.addEventListener('click', () => bureauDownload(`/api/summary/diff.xlsx?file=${encodeURIComponent(r.file)}&table=${r.table}`, '对比.xlsx'));
        td.appendChild(b);
      }
      tr.appendChild(td);
    }
    tr.appendChild(el('td', 'file', r.file));
    body.appendChild(tr);
  }
  show($('summary-empty'), rows.length === 0);
}

async function bureauDownload(url, fallback) {
  say($('summary-error'), '');
  try {
    const resp = await fetch(url, { headers: codeHeaders() });
    if (!resp.ok) throw new Error(await reason(resp));
    await download(resp, fallback);
  } catch (e) {
    say($('summary-error'), e.message);
  }
}

function setupSummary() {
  $('code-box').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('jixiao-code', $('code').value.trim());
    loadSummary();
  });
  $('status-filter').addEventListener('change', () => drawSummary(info.prior));
  $('summary-refresh').addEventListener('click', loadSummary);
  $('dl-summary').addEventListener('click', () => bureauDownload('/api/summary.xlsx', '汇总.xlsx'));
  loadSummary();
  timer = setInterval(() => { if (!document.hidden && !$('summary-body').hidden) loadSummary(); }, 10000);
}

// ---------------------------------------------------------------- 对比

function setupDiff() {
  const form = $('diff-form');
  const formData = () => new FormData(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    say($('diff-error'), '');
    show($('diff-result'), false);
    show($('dl-diff'), false);
    show($('diff-busy'), true);
    try {
      const resp = await post('/api/diff', formData());
      drawDiff(await resp.json());
      show($('dl-diff'), true);
    } catch (err) {
      say($('diff-error'), err.message);
    } finally {
      show($('diff-busy'), false);
    }
  });
  $('dl-diff').addEventListener('click', async () => {
    say($('diff-error'), '');
    try {
      await download(await post('/api/diff.xlsx', formData()), '对比.xlsx');
    } catch (err) {
      say($('diff-error'), err.message);
    }
  });
}

function drawDiff(d) {
  const chips = $('diff-counts');
  chips.replaceChildren();
  const s = d.summary;
  [['新增', s.added], ['删除', s.removed], ['更名', s.renamed], ['移动', s.moved], ['修改', s.modified], ['未变指标', s.unchanged]]
    .forEach(([k, n]) => chips.appendChild(el('span', 'chip' + (n && k !== '未变指标' ? ' on' : ''), `${k} ${n}`)));
  const warns = $('diff-warnings');
  warns.replaceChildren();
  d.warnings.forEach((w) => warns.appendChild(el('li', null, '注意：' + w)));
  const body = $('diff-changes').tBodies[0];
  body.replaceChildren();
  d.changes.forEach((c) => {
    const tr = el('tr');
    tr.appendChild(el('td', 'nowrap', c.kind));
    tr.appendChild(el('td', null, c.text));
    body.appendChild(tr);
  });
  if (!d.changes.length) {
    const tr = el('tr');
    const td = el('td', 'hint', '两年的表格没有变更。');
    td.colSpan = 2;
    tr.appendChild(td);
    body.appendChild(tr);
  }
  show($('diff-result'), true);
}

// ---------------------------------------------------------------- 模板

function setupTemplate() {
  const year = $('t-year');
  if (!year.value) year.value = String(new Date().getFullYear() + 1);
  const form = $('template-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    say($('template-error'), '');
    say($('template-done'), '');
    const data = new FormData(form);
    const from = $('t-from').files;
    if (!from || !from.length) data.delete('from');
    try {
      const resp = await post('/api/template', data);
      const name = fileName(resp, '空白模板.xlsx');
      await download(resp, name);
      say($('template-done'), `已生成：${name}`);
    } catch (err) {
      say($('template-error'), err.message);
    }
  });
}

// ---------------------------------------------------------------- start

async function start() {
  try {
    const r = await fetch('/api/info');
    if (r.ok) info = await r.json();
  } catch (_) { /* defaults */ }
  const page = { '/summary': 'summary', '/diff': 'diff', '/template': 'template' }[location.pathname] || 'check';
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('on', a.dataset.page === page));
  show($('page-' + page), true);
  document.title = { check: '自查', summary: '汇总', diff: '对比', template: '模板' }[page] + ' · 绩效目标表';
  if (page === 'check') setupCheck();
  if (page === 'summary') setupSummary();
  if (page === 'diff') setupDiff();
  if (page === 'template') setupTemplate();
  document.body.dataset.ready = '1';
}

start();
