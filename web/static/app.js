// plancheck serve: the page's script. Plain JavaScript, no dependencies,
// no build step. It posts the form to api/review, draws the draft with
// every finding's span highlighted and the comments beside it, and posts
// the same form to api/check for downloads. Nothing is stored.
'use strict';

(function () {
  var SEVERITIES = ['error', 'warning', 'info'];
  var SEV_LABEL = { error: '错误', warning: '警告', info: '提示' };
  var SEV_RANK = { error: 3, warning: 2, info: 1 };
  var VERDICT_LABEL = { covered: '已落实', weak: '提及较少', missing: '未见落实', 'not-applicable': '不适用' };

  var form = document.getElementById('check-form');
  var runButton = document.getElementById('run');
  var statusEl = document.getElementById('status');
  var errorEl = document.getElementById('error');
  var results = document.getElementById('results');
  var docEl = document.getElementById('doc');
  var commentsEl = document.getElementById('comments');
  var ruleFilter = document.getElementById('rule-filter');
  var sevBoxes = Array.prototype.slice.call(document.querySelectorAll('input[name=sev]'));
  var maxUpload = Number(form.getAttribute('data-max-upload')) || 0;
  var maxLabel = form.getAttribute('data-max-label') || '';

  // state is the result on show: the findings (with their index i), the
  // highlight elements of each finding, and the one selected.
  var state = { data: null, findings: [], rules: {}, marks: {}, active: -1 };

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var submitter = ev.submitter || null;
    var format = submitter && submitter.name === 'format' ? submitter.value : '';
    var fd = new FormData(form);
    fd.delete('format');
    var tooBig = uploadTooBig(fd);
    if (tooBig) {
      showError(tooBig);
      return;
    }
    if (format) {
      fd.set('format', format);
      download(fd, submitter);
    } else {
      review(fd);
    }
  });
  sevBoxes.forEach(function (b) { b.addEventListener('change', redraw); });
  ruleFilter.addEventListener('change', redraw);

  // uploadTooBig refuses before sending what the server would refuse.
  function uploadTooBig(fd) {
    var total = 0;
    fd.forEach(function (v) {
      total += typeof v === 'string' ? v.length * 3 : v.size;
    });
    if (maxUpload > 0 && total > maxUpload) {
      return '选择的文件合计超过了 ' + maxLabel + ' 的上限。请压缩文件中的图片，或只上传正文。';
    }
    return '';
  }

  function setBusy(busy, text) {
    runButton.disabled = busy;
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
    statusEl.textContent = text || '';
  }

  function showError(msg) {
    errorEl.textContent = msg;
    errorEl.hidden = !msg;
    if (msg) {
      setBusy(false, '');
      errorEl.scrollIntoView({ block: 'nearest' });
    }
  }

  // errorMessage reads the server's Chinese message from an error response.
  function errorMessage(resp) {
    return resp.json().then(function (body) {
      if (body && body.error && body.error.message) return body.error.message;
      throw new Error('no message');
    }).catch(function () {
      if (resp.status === 413) return '上传的内容过大，服务器拒绝接收。';
      if (resp.status === 503) return '服务器正忙，请稍后再试。';
      return '检查没有完成（服务器返回 ' + resp.status + '）。';
    });
  }

  function post(url, fd) {
    return fetch(url, { method: 'POST', body: fd, headers: { Accept: 'application/json' } }).catch(function () {
      throw new Error('无法连接到检查服务。请确认服务仍在运行，稍后重试。');
    }).then(function (resp) {
      if (resp.ok) return resp;
      return errorMessage(resp).then(function (msg) { throw new Error(msg); });
    });
  }

  function review(fd) {
    showError('');
    setBusy(true, '正在检查……');
    results.setAttribute('data-state', 'loading');
    post('api/review', fd).then(function (resp) {
      return resp.json();
    }).then(function (data) {
      render(data);
      var n = state.findings.length;
      setBusy(false, '检查完成：' + (n ? n + ' 条意见。' : '未发现问题。'));
      results.setAttribute('data-state', 'done');
    }).catch(function (err) {
      results.setAttribute('data-state', 'error');
      showError(err.message);
    });
  }

  function download(fd, button) {
    showError('');
    var label = button.textContent;
    button.disabled = true;
    setBusy(true, '正在生成“' + label + '”……');
    post('api/check', fd).then(function (resp) {
      var name = fileName(resp.headers.get('Content-Disposition')) || 'plancheck';
      return resp.blob().then(function (blob) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
        setBusy(false, '已下载：' + name);
      });
    }).catch(function (err) {
      showError(err.message);
    }).then(function () {
      button.disabled = false;
    });
  }

  // fileName reads a Content-Disposition's filename* (RFC 5987) or filename.
  function fileName(cd) {
    if (!cd) return '';
    var m = /filename\*=(?:utf-8|UTF-8)''([^;]+)/.exec(cd);
    if (m) {
      try { return decodeURIComponent(m[1]); } catch (e) { /* fall through */ }
    }
    m = /filename="?([^";]+)"?/.exec(cd);
    return m ? m[1] : '';
  }

  // ---- rendering ----

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function render(data) {
    state.data = data;
    var file = data.report.files[0] || { findings: [] };
    state.findings = file.findings.map(function (f, i) {
      f.i = i;
      return f;
    });
    state.rules = {};
    data.rules.forEach(function (r) { state.rules[r.id] = r; });
    state.active = -1;

    var d = data.draft;
    var by = data.report.summary.by_severity || {};
    var parts = SEVERITIES.filter(function (s) { return by[s]; }).map(function (s) { return SEV_LABEL[s] + ' ' + by[s]; });
    var summary = (d.title ? '《' + d.title + '》 · ' : '') + '文件：' + d.name + ' · ' +
      (state.findings.length ? state.findings.length + ' 条意见（' + parts.join('，') + '）' : '未发现问题') +
      ' · 规则：' + data.rule_set.label;
    document.getElementById('summary-text').textContent = summary;
    document.getElementById('doc-info').textContent = d.docx
      ? 'Word 文档，按段落显示（左侧为段落号），自动编号已写出。'
      : '文本文件，编码 ' + d.encoding + '，共 ' + d.lines.length + ' 行（左侧为行号）。';

    var runErrors = document.getElementById('run-errors');
    runErrors.textContent = '';
    data.run_errors.forEach(function (e) { runErrors.appendChild(el('li', '', '部分规则运行出错，结果可能不全：' + e)); });
    runErrors.hidden = data.run_errors.length === 0;

    fillFilters();
    redraw();
    renderCoverage(data);
    results.hidden = false;
    results.focus({ preventScroll: true });
    results.scrollIntoView({ block: 'start' });
  }

  // ruleCounts counts findings per rule, most frequent first.
  function ruleCounts() {
    var counts = {};
    state.findings.forEach(function (f) { counts[f.rule] = (counts[f.rule] || 0) + 1; });
    return Object.keys(counts).sort(function (a, b) {
      return counts[b] - counts[a] || (a < b ? -1 : a > b ? 1 : 0);
    }).map(function (id) { return { id: id, n: counts[id] }; });
  }

  function ruleTitle(id) {
    return state.rules[id] ? state.rules[id].title : id;
  }

  function fillFilters() {
    var sevCounts = {};
    state.findings.forEach(function (f) { sevCounts[f.severity] = (sevCounts[f.severity] || 0) + 1; });
    SEVERITIES.forEach(function (s) {
      document.querySelector('[data-count=' + s + ']').textContent = '（' + (sevCounts[s] || 0) + '）';
    });
    sevBoxes.forEach(function (b) { b.checked = true; });
    ruleFilter.textContent = '';
    var all = el('option', '', '全部规则（' + state.findings.length + '）');
    all.value = '';
    ruleFilter.appendChild(all);
    var tbody = document.querySelector('#rule-counts tbody');
    tbody.textContent = '';
    ruleCounts().forEach(function (rc) {
      var o = el('option', '', ruleTitle(rc.id) + '（' + rc.n + '）');
      o.value = rc.id;
      ruleFilter.appendChild(o);
      var tr = el('tr');
      var idCell = el('td');
      var b = el('button', '', rc.id);
      b.type = 'button';
      b.title = '只看“' + ruleTitle(rc.id) + '”';
      b.addEventListener('click', function () {
        ruleFilter.value = rc.id;
        redraw();
      });
      idCell.appendChild(b);
      tr.appendChild(idCell);
      tr.appendChild(el('td', '', ruleTitle(rc.id)));
      tr.appendChild(el('td', 'num', String(rc.n)));
      tbody.appendChild(tr);
    });
  }

  function visibleFindings() {
    var sevs = {};
    sevBoxes.forEach(function (b) { sevs[b.value] = b.checked; });
    var rule = ruleFilter.value;
    return state.findings.filter(function (f) {
      return sevs[f.severity] && (!rule || f.rule === rule);
    });
  }

  function redraw() {
    var shown = visibleFindings();
    state.marks = {};
    renderDoc(docEl, state.data.draft, 'd', shown);
    renderComments(shown);
    document.getElementById('comment-count').textContent = shown.length === state.findings.length
      ? '（' + shown.length + '）'
      : '（显示 ' + shown.length + ' / ' + state.findings.length + '）';
    if (state.active >= 0 && !state.marks[state.active]) state.active = -1;
    markActive(state.active);
  }

  // codePoints splits a line into characters as positions count them
  // (code points, not UTF-16 units).
  function codePoints(s) {
    return Array.from(s);
  }

  // lineLabel is the number shown beside a line: the line number, or for
  // a Word document the paragraph number on a paragraph's first line.
  function lineLabel(doc, n) {
    if (!doc.docx) return String(n);
    var p = doc.paras[n - 1];
    if (!p || (n > 1 && doc.paras[n - 2] === p)) return '';
    return '¶' + p;
  }

  // renderDoc draws doc's lines into container with the findings' spans
  // highlighted; ids are prefix-L<n>. A span covers [start, end) in
  // (line, col) with col counting code points from 1; a span with no
  // character on any line (an empty span, or one over a line end only)
  // is drawn as a point.
  function renderDoc(container, doc, prefix, findings) {
    var lines = doc.lines;
    var chars = lines.map(codePoints);
    var segs = {}; // line index → [{s, e, f}]
    var points = {}; // line index → [{at, f}]
    var nLines = Math.max(lines.length, 1);
    function clampLine(l) { return Math.min(Math.max(l, 1), nLines) - 1; }
    (findings || []).forEach(function (f) {
      var l1 = clampLine(f.start.line), l2 = clampLine(f.end.line);
      var found = false;
      for (var L = l1; L <= l2; L++) {
        var len = (chars[L] || []).length;
        var s = L === l1 ? f.start.col - 1 : 0;
        var e = L === l2 && f.end.line - 1 === L ? f.end.col - 1 : len;
        s = Math.min(Math.max(s, 0), len);
        e = Math.min(Math.max(e, s), len);
        if (e > s) {
          (segs[L] = segs[L] || []).push({ s: s, e: e, f: f });
          found = true;
        }
      }
      if (!found) {
        var at = Math.min(Math.max(f.start.col - 1, 0), (chars[l1] || []).length);
        (points[l1] = points[l1] || []).push({ at: at, f: f });
      }
    });

    var frag = document.createDocumentFragment();
    for (var i = 0; i < lines.length; i++) {
      var line = el('div', 'line');
      line.id = prefix + '-L' + (i + 1);
      var ln = el('span', 'ln', lineLabel(doc, i + 1));
      ln.setAttribute('aria-hidden', 'true');
      line.appendChild(ln);
      var tx = el('span', 'tx');
      drawLine(tx, chars[i], segs[i] || [], points[i] || []);
      line.appendChild(tx);
      frag.appendChild(line);
    }
    container.textContent = '';
    container.appendChild(frag);
  }

  // drawLine cuts a line at every span boundary; each piece covered by
  // spans is one mark coloured by the worst severity covering it.
  function drawLine(tx, cps, segs, points) {
    if (!segs.length && !points.length) {
      tx.textContent = cps.join('');
      return;
    }
    var cuts = [0, cps.length];
    segs.forEach(function (g) { cuts.push(g.s, g.e); });
    points.forEach(function (p) { cuts.push(p.at); });
    cuts = cuts.sort(function (a, b) { return a - b; }).filter(function (c, k, a) { return k === 0 || c !== a[k - 1]; });
    for (var k = 0; k < cuts.length; k++) {
      var a = cuts[k];
      points.forEach(function (p) {
        if (p.at === a) tx.appendChild(markFor([p.f], 'pt', ''));
      });
      if (k === cuts.length - 1) break;
      var b = cuts[k + 1];
      var text = cps.slice(a, b).join('');
      var cover = segs.filter(function (g) { return g.s <= a && g.e >= b; }).map(function (g) { return g.f; });
      if (cover.length) {
        tx.appendChild(markFor(cover, 'hl', text));
      } else {
        tx.appendChild(document.createTextNode(text));
      }
    }
  }

  function markFor(fs, kind, text) {
    var worst = fs.reduce(function (w, f) { return SEV_RANK[f.severity] > SEV_RANK[w] ? f.severity : w; }, 'info');
    var m = el('mark', kind + ' sev-' + worst, text);
    m.setAttribute('data-ids', fs.map(function (f) { return f.i; }).join(' '));
    m.title = fs.map(function (f) { return SEV_LABEL[f.severity] + '：' + f.message; }).join('\n');
    fs.forEach(function (f) {
      var list = state.marks[f.i] = state.marks[f.i] || [];
      if (!list.length) m.tabIndex = -1;
      list.push(m);
    });
    m.addEventListener('click', function () { fromMark(m); });
    m.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        fromMark(m);
      }
    });
    return m;
  }

  // fromMark moves from a highlight to its comment: the selected
  // finding's when it is under the highlight (back from the comment),
  // else the innermost finding's.
  function fromMark(m) {
    var ids = m.getAttribute('data-ids').split(' ').map(Number);
    var best = ids.indexOf(state.active) >= 0 ? state.active : ids.reduce(function (b, i) {
      var f = state.findings[i], g = state.findings[b];
      return f.end.offset - f.start.offset < g.end.offset - g.start.offset ? i : b;
    }, ids[0]);
    markActive(best);
    var c = document.getElementById('c-' + best);
    if (c) {
      c.scrollIntoView({ block: 'nearest' });
      c.focus({ preventScroll: true });
    }
  }

  // fromComment selects a finding and moves to its first highlight.
  function fromComment(i) {
    markActive(i);
    var ms = state.marks[i];
    if (ms && ms.length) {
      ms[0].scrollIntoView({ block: 'center' });
      ms[0].focus({ preventScroll: true });
    }
  }

  function markActive(i) {
    var old = document.querySelectorAll('.active');
    for (var k = 0; k < old.length; k++) {
      old[k].classList.remove('active');
      old[k].removeAttribute('aria-current');
    }
    state.active = i;
    if (i < 0) return;
    (state.marks[i] || []).forEach(function (m) { m.classList.add('active'); });
    var c = document.getElementById('c-' + i);
    if (c) {
      c.classList.add('active');
      c.setAttribute('aria-current', 'true');
    }
  }

  // location names where a finding is, as the text format does.
  function location(f) {
    var pos = f.start.para ? '第' + f.start.para + '段第' + f.start.para_char + '字' : '第' + f.start.line + '行第' + f.start.col + '字';
    return f.section && f.section.length ? f.section.join(' › ') + ' · ' + pos : pos;
  }

  function renderComments(shown) {
    commentsEl.textContent = '';
    var frag = document.createDocumentFragment();
    shown.forEach(function (f) {
      var li = el('li');
      var c = el('div', 'comment sev-' + f.severity);
      c.id = 'c-' + f.i;
      c.tabIndex = 0;
      c.setAttribute('role', 'button');
      c.setAttribute('data-i', f.i);
      var head = el('div', 'c-head');
      head.appendChild(el('span', 'badge sev-' + f.severity, SEV_LABEL[f.severity]));
      head.appendChild(el('span', 'rule-title', ruleTitle(f.rule)));
      head.appendChild(el('code', 'rule-id', f.rule));
      c.appendChild(head);
      c.appendChild(el('p', 'c-loc', location(f)));
      if (f.excerpt) c.appendChild(el('blockquote', 'c-excerpt', f.excerpt));
      c.appendChild(el('p', 'c-msg', f.message));
      if (f.suggestion) c.appendChild(el('p', 'c-sugg', '建议：' + f.suggestion));
      var r = state.rules[f.rule];
      if (r && r.rationale) c.title = '为什么：' + r.rationale;
      c.addEventListener('click', function () { fromComment(f.i); });
      c.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          fromComment(f.i);
        }
      });
      li.appendChild(c);
      frag.appendChild(li);
    });
    commentsEl.appendChild(frag);
    document.getElementById('no-comments').hidden = shown.length > 0;
  }

  // ---- coverage of the higher-level plans ----

  function renderCoverage(data) {
    var section = document.getElementById('coverage');
    var tbody = document.querySelector('#coverage-table tbody');
    var parentsEl = document.getElementById('parents');
    tbody.textContent = '';
    parentsEl.textContent = '';
    section.hidden = data.coverage.length === 0;
    if (section.hidden) return;

    var tally = {};
    data.coverage.forEach(function (c) { tally[c.verdict] = (tally[c.verdict] || 0) + 1; });
    document.getElementById('coverage-summary').textContent = '共 ' + data.coverage.length + ' 项：' +
      Object.keys(VERDICT_LABEL).filter(function (v) { return tally[v]; }).map(function (v) {
        return VERDICT_LABEL[v] + ' ' + tally[v];
      }).join('，') + '。结论由文字相似度得出，请逐项核对。';

    data.coverage.forEach(function (c) {
      var tr = el('tr');
      var task = el('td');
      var name = (c.label || '') + c.title;
      if (c.parent > 0 && c.span) {
        var parent = data.parents[c.parent - 1];
        var a = lineLink('p' + c.parent, c.span.start.line, name);
        a.title = '在上级工作要点“' + parent.name + '”第' + c.span.start.line + '行';
        task.appendChild(a);
        if (data.parents.length > 1) task.appendChild(el('span', 'evidence', '（上级文件 ' + c.parent + '）'));
      } else {
        task.appendChild(document.createTextNode(name + '（规则要求）'));
      }
      tr.appendChild(task);
      var v = el('td');
      v.appendChild(el('span', 'verdict ' + c.verdict, VERDICT_LABEL[c.verdict] || c.verdict));
      tr.appendChild(v);
      tr.appendChild(el('td', 'num', c.score.toFixed(2)));
      var where = el('td');
      // The best unit, and the others that score at least half as well:
      // lower ones are noise to a reader.
      var shown = c.verdict === 'missing' ? [] : c.matches.filter(function (m, k) {
        return k === 0 || m.score >= c.matches[0].score / 2;
      });
      if (shown.length) {
        var ul = el('ul');
        shown.forEach(function (m) {
          var li = el('li');
          var label = m.path && m.path.length ? m.path.join(' › ') : (m.label || '');
          li.appendChild(lineLink('d', m.start.line, '第' + m.start.line + '行' + (label ? ' ' + label : '')));
          var ev = m.evidence && m.evidence.length ? '：' + m.evidence.slice(0, 4).join('、') : '';
          li.appendChild(el('span', 'evidence', ev + '（' + m.score.toFixed(2) + '）'));
          ul.appendChild(li);
        });
        where.appendChild(ul);
      } else {
        where.appendChild(el('span', 'evidence', '本稿中没有找到对应内容'));
      }
      tr.appendChild(where);
      tbody.appendChild(tr);
    });

    data.parents.forEach(function (p, k) {
      var det = el('details', 'parent-doc');
      det.id = 'p' + (k + 1);
      det.appendChild(el('summary', '', '上级工作要点 ' + (k + 1) + '：' + (p.title || p.name) + '（' + p.name + '）'));
      var d = el('div', 'doc');
      d.setAttribute('lang', 'zh-CN');
      renderDoc(d, p, 'p' + (k + 1), []);
      det.appendChild(d);
      parentsEl.appendChild(det);
    });
  }

  // lineLink links to line n of the document drawn with prefix; following
  // it opens a closed parent text, scrolls to the line and focuses it.
  function lineLink(prefix, n, text) {
    var a = el('a', '', text);
    a.href = '#' + prefix + '-L' + n;
    a.addEventListener('click', function (ev) {
      ev.preventDefault();
      var target = document.getElementById(prefix + '-L' + n);
      if (!target) return;
      var det = target.closest('details');
      if (det) det.open = true;
      target.tabIndex = -1;
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
      target.classList.add('flash');
      setTimeout(function () { target.classList.remove('flash'); }, 1600);
    });
    return a;
  }
})();
