"""summary.html: the batch's results on one self-contained page (inline style and script, no
network), for the office to open in any browser: files by result, counts by rule, each file's
findings folded under it; every column sorts with a click."""
from __future__ import annotations

from html import escape

from closure_app.check.findings import RULES, SEVERITY_LABEL, rule_clause
from closure_app.check.report import KIND_LABEL
from closure_app.check.summary import STATUS_LABEL, STATUS_ORDER, Entry, Summary

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em} h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;width:100%} th,td{border:1px solid #ccc;padding:.35em .6em;vertical-align:top;text-align:left}
th{background:#f3f3f3;cursor:pointer;user-select:none;white-space:nowrap} th[aria-sort=ascending]::after{content:" ▲"}
th[aria-sort=descending]::after{content:" ▼"} td.n{text-align:right;font-variant-numeric:tabular-nums}
.fail{color:#b00020;font-weight:bold} .could-not-check{color:#8a4b00;font-weight:bold} .warn{color:#8a6d00} .pass{color:#1b6e20}
.badges span{display:inline-block;margin-right:1.2em} .sev-error{color:#b00020} .sev-warning{color:#8a6d00} .sev-info{color:#555}
details summary{cursor:pointer} ol{margin:.4em 0 .4em 1.4em;padding:0} li{margin:.15em 0} small{color:#666}
label{margin-left:1em} td.nw,td.fail,td.warn,td.pass,td.could-not-check{white-space:nowrap}
"""

SCRIPT = """
document.querySelectorAll('table.sortable').forEach(function(table){
  table.querySelectorAll('th').forEach(function(th, col){
    th.addEventListener('click', function(){
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      rows.sort(function(a, b){
        var x = a.cells[col].getAttribute('data-sort'), y = b.cells[col].getAttribute('data-sort');
        var nx = parseFloat(x), ny = parseFloat(y), c;
        c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, 'zh');
        return asc ? c : -c;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
});
var only = document.getElementById('only-failing');
if (only) only.addEventListener('change', function(){
  document.querySelectorAll('#files tbody tr').forEach(function(r){
    r.hidden = only.checked && r.getAttribute('data-status') === 'pass';
  });
});
"""


def _cell(text: str, sort=None, cls: str = "") -> str:
    key = text if sort is None else sort
    klass = f' class="{cls}"' if cls else ""
    return f'<td data-sort="{escape(str(key))}"{klass}>{text}</td>'


def _finding(f) -> str:
    extra = f"（应为 {escape(f.expected or '—')}，实为 {escape(f.found or '—')}）" if f.expected or f.found else ""
    return (f'<li class="sev-{f.severity}">[{SEVERITY_LABEL[f.severity]}] {escape(f.place)}：{escape(f.message)}'
            f'{extra} <small>{escape(f.rule)}</small></li>')


def _details(e: Entry) -> str:
    r = e.report
    if r.could_not_check is not None:
        return escape(r.could_not_check)
    if not r.findings:
        return "未发现问题"
    link = ""
    if e.annotated:
        link = f'<p>批注副本：<a href="{escape(e.annotated)}">{escape(e.annotated)}</a></p>'
    elif e.annotate_error:
        link = f"<p>{escape(e.annotate_error)}</p>"
    items = "".join(_finding(f) for f in r.findings)
    return f"<details><summary>{len(r.findings)} 处问题</summary><ol>{items}</ol>{link}</details>"


def _file_row(n: int, e: Entry) -> str:
    c = e.counts()
    order = STATUS_ORDER.index(e.status)
    cells = [
        _cell(str(n), n, "n"),
        _cell(escape(e.name), e.name),
        _cell(STATUS_LABEL[e.status], order, e.status),
        _cell(escape(KIND_LABEL.get(e.report.kind, e.report.kind)), e.report.kind, "nw"),
        _cell(str(c["error"]), c["error"], "n"),
        _cell(str(c["warning"]), c["warning"], "n"),
        _cell(str(c["info"]), c["info"], "n"),
        _cell(_details(e), len(e.report.findings)),
    ]
    return f'<tr data-status="{e.status}" data-file="{escape(e.name)}">{"".join(cells)}</tr>'


def _rule_row(r: dict) -> str:
    cells = [_cell(f"<code>{escape(r['rule'])}</code>", r["rule"]), _cell(escape(r["title"]), r["title"]),
             _cell(escape(r["clause"]), r["clause"]), _cell(str(r["error"]), r["error"], "n"),
             _cell(str(r["warning"]), r["warning"], "n"), _cell(str(r["info"]), r["info"], "n"),
             _cell(str(r["files"]), r["files"], "n")]
    return f"<tr>{''.join(cells)}</tr>"


def to_html(summary: Summary) -> str:
    counts = summary.files_by_status
    badges = "".join(f'<span class="{s}">{STATUS_LABEL[s]}：{counts.get(s, 0)}</span>' for s in STATUS_ORDER)
    files = "".join(_file_row(n, e) for n, e in enumerate(summary.entries, start=1))
    rules = "".join(_rule_row(r) for r in summary.rule_counts())
    known = "".join(f"<li><code>{escape(k)}</code> {escape(v)}：{escape(rule_clause(k))}</li>" for k, v in RULES.items())
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>格式检查汇总（{len(summary.entries)} 个文件）</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>
<body>
<h1>格式检查汇总</h1>
<p>格式要求：{escape(summary.profile)}；共检查 {len(summary.entries)} 个文件，用时 {summary.seconds:.1f} 秒。</p>
<p class="badges">{badges}</p>
<h2>各文件结果 <label><input type="checkbox" id="only-failing"> 只看有问题的文件</label></h2>
<table id="files" class="sortable"><thead><tr><th>序号</th><th>文件</th><th>结果</th><th>类型</th><th>违规</th><th>警告</th><th>提示</th><th>问题</th></tr></thead>
<tbody>{files}</tbody></table>
<h2>按规则统计</h2>
<table id="rules" class="sortable"><thead><tr><th>规则</th><th>名称</th><th>条款</th><th>违规</th><th>警告</th><th>提示</th><th>涉及文件</th></tr></thead>
<tbody>{rules}</tbody></table>
<h2>规则一览</h2><ul>{known}</ul>
<script>{SCRIPT}</script>
</body></html>
"""
