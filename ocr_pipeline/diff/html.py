"""Self-contained HTML pages for a `DiffReport` (and the index of a directory comparison).

One file, no network: CSS and JS inline, page-image crops as data: URIs. A and B are shown
side by side per line pair; within changed words, graphemes are coloured by kind:
diacritic-only (amber), letter (red), deleted from A / inserted in B (struck red / green),
not compared (grey). Tokens whose confidence is below the threshold get a dashed purple
outline and a tooltip with confidence, OCR text and alternatives.

Long documents stay light: runs of unchanged lines are folded (kept in the page, not laid
out) and the size is linear in the document. Keys: n/j next difference, p/k previous,
l/L next/previous low-confidence line, a toggles all unchanged lines. ``#diff-3`` in the URL
focuses the third difference on load. ``?keys=jjk`` replays keys on load and writes the
focused row id into ``<output id="selftest">`` (used by the browser test).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ocr_pipeline.diff.report import DiffReport, LineDiff, Metrics
from ocr_pipeline.diff.sides import SideLine, Token

CONTEXT = 1  # unchanged lines shown around each change; longer runs are folded
CropFn = Callable[[Token], "int | None"]

_CLASS = {"d": "d", "l": "l", "x": "x", ".": "i"}

CSS = """
:root{--d:#ffd166;--l:#ff8b8b;--del:#f6b0b0;--ins:#9be29a;--lc:#7b3fe4;--bg:#fff;--fg:#1b1b1b;
--mut:#6b6b6b;--line:#e4e4e4;--cur:#1f6feb}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 "Noto Serif","Liberation Serif",serif;color:var(--fg);
background:var(--bg)}
header{position:sticky;top:0;z-index:2;background:#f7f7f9;border-bottom:1px solid #ccc;
padding:.5rem 1rem}
h1{font-size:1.05rem;margin:0 0 .3rem;font-family:system-ui,sans-serif;word-break:break-all}
.metrics{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;font-family:system-ui,sans-serif;
font-size:.9rem;margin:.2rem 0}
.metrics b{font-size:1.05rem}
.bar{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;font:.85rem system-ui,sans-serif}
.bar button{font:inherit;padding:.1rem .6rem}
.legend span{padding:0 .3rem;border-radius:2px}
main{padding:0 1rem 4rem}
table.diff{width:100%;border-collapse:collapse;table-layout:fixed}
table.diff col.n{width:4.2em}
td{vertical-align:top;padding:.15rem .4rem;border-bottom:1px solid var(--line)}
td.n{color:var(--mut);text-align:right;font:.8rem/1.9 system-ui,sans-serif;user-select:none}
td.t{white-space:pre-wrap;overflow-wrap:anywhere}
td.ta{border-right:2px solid #ddd}
tr.c td.t{background:#fffdf4}
tr.c:focus,tr.lcr:focus{outline:3px solid var(--cur);outline-offset:-3px}
tr.c:focus td.t{background:#eef5ff}
.d{background:var(--d)}
.l{background:var(--l)}
td.ta .x{background:var(--del);text-decoration:line-through}
td.tb .x{background:var(--ins)}
.i{color:#9a9a9a}
.wc{border-bottom:2px solid #e0a500}
.lc{outline:2px dashed var(--lc);outline-offset:1px;border-radius:2px}
.abs{color:var(--mut);font-style:italic}
tbody.fold{display:none}
tbody.fold.open,body.all tbody.fold{display:table-row-group}
tbody.fold td.t{color:#444}
tr.fb td{padding:0;border-bottom:1px dashed #bbb}
tr.fb button{all:unset;box-sizing:border-box;cursor:pointer;display:block;width:100%;
padding:.1rem 1rem;
font:.8rem system-ui,sans-serif;color:var(--mut);background:#fafafa}
body.all tr.fb{display:none}
#insp{position:fixed;right:.8rem;bottom:.8rem;max-width:45vw;background:#fff;z-index:3;
border:1px solid #999;box-shadow:0 2px 8px #0003;padding:.4rem;font:.8rem system-ui,sans-serif}
#insp img{display:block;margin:.2rem 0;max-width:100%;image-rendering:auto;border:1px solid #ddd}
[data-k]{cursor:zoom-in}
@media (max-width:700px){body{font-size:13px}table.diff col.n{width:2.6em}main{padding:0 .2rem}}
"""

JS = r"""
(function(){
const rows=[...document.querySelectorAll('tr.c')], lows=[...document.querySelectorAll('tr.lcr')];
const pos=document.getElementById('pos');
const CROPS=JSON.parse((document.getElementById('crops')||{}).textContent||'[]');
const insp=document.getElementById('insp'), ib=document.getElementById('inspimgs');
let cur=-1, curL=-1;
function show(words){
  if(!insp) return;
  ib.textContent='';
  for(const w of words.slice(0,8)){
    const k=+w.dataset.k, f=document.createElement('figure'), im=document.createElement('img');
    f.style.margin='0'; im.src=CROPS[k]; im.alt=w.textContent;
    const c=document.createElement('figcaption'); c.textContent=w.textContent;
    f.append(im,c); ib.append(f);
  }
  insp.hidden=!ib.childElementCount;
}
function focusRow(r){
  const tb=r.parentElement; if(tb.classList.contains('fold')) tb.classList.add('open');
  r.focus({preventScroll:true}); r.scrollIntoView({block:'center'});
  history.replaceState(null,'','#'+r.id);
  show([...r.querySelectorAll('[data-k].wc,[data-k].lc')]);
}
function step(list,i,d){
  if(!list.length) return -1;
  i = i<0 ? (d>0?0:list.length-1) : (i+d+list.length)%list.length;
  focusRow(list[i]); return i;
}
function nextDiff(d){cur=step(rows,cur,d); if(pos) pos.textContent=cur+1;}
function nextLow(d){curL=step(lows,curL,d);}
document.addEventListener('keydown',e=>{
  const t=e.target;
  if(e.ctrlKey||e.metaKey||e.altKey||(t&&t.matches&&t.matches('input,textarea,select'))) return;
  switch(e.key){
    case 'n':case 'j':nextDiff(1);break;
    case 'p':case 'k':nextDiff(-1);break;
    case 'l':nextLow(1);break;
    case 'L':nextLow(-1);break;
    case 'a':document.body.classList.toggle('all');break;
    default:return;
  }
  e.preventDefault();
});
document.addEventListener('click',e=>{
  const b=e.target.closest('button[data-go]');
  if(b){nextDiff(+b.dataset.go);return;}
  const f=e.target.closest('tr.fb');
  if(f){f.parentElement.nextElementSibling.classList.toggle('open');return;}
  const r=e.target.closest('tr.c');
  if(r){cur=rows.indexOf(r); if(pos) pos.textContent=cur+1;}
});
document.addEventListener('mouseover',e=>{
  const w=e.target.closest&&e.target.closest('[data-k]'); if(w) show([w]);
});
const all=document.getElementById('all');
if(all) all.addEventListener('change',()=>document.body.classList.toggle('all',all.checked));
const m=/^#diff-(\d+)$/.exec(location.hash);
if(m&&rows[+m[1]-1]){cur=+m[1]-1; focusRow(rows[cur]); if(pos) pos.textContent=cur+1;}
const q=new URLSearchParams(location.search);
if(q.has('keys')){
  for(const ch of q.get('keys'))
    document.dispatchEvent(new KeyboardEvent('keydown',{key:ch,bubbles:true}));
  const o=document.createElement('output'); o.id='selftest';
  const a=document.activeElement; o.textContent=(a&&a.id)||'';
  o.dataset.imgs=ib?ib.querySelectorAll('img').length:0;
  document.body.append(o);
}
})();
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(slots=True)
class _Ctx:
    threshold: float
    crop: CropFn | None


def _token_title(tok: Token) -> str:
    parts = []
    if tok.confidence is not None:
        parts.append(f"confidence {tok.confidence:.2f}")
    if tok.ocr_confidence is not None:
        parts.append(f"OCR conf {tok.ocr_confidence:g}")
    if tok.original is not None and tok.original != tok.text:
        parts.append(f"OCR: {tok.original}")
    if tok.alternatives:
        parts.append("alternatives: " + ", ".join(tok.alternatives[:5]))
    if tok.page is not None:
        parts.append(f"page {tok.page}")
    return "; ".join(parts)


def _runs(units: Sequence[str], status: str, start: int, end: int) -> str:
    out: list[str] = []
    i = start
    while i < end:
        s = status[i]
        j = i + 1
        while j < end and status[j] == s:
            j += 1
        text = "".join(units[i:j])
        if s == "=":
            out.append(_esc(text))
        else:
            if s == "x" and text.isspace():
                text = "\u2423" * (j - i)
            out.append(f'<span class="{_CLASS[s]}">{_esc(text)}</span>')
        i = j
    return "".join(out)


def _cell(line: SideLine | None, status: str, ctx: _Ctx, interesting: bool) -> str:
    if line is None:
        return '<span class="abs">(absent)</span>'
    units = line.units
    plain = line.tokens is None
    if plain and status.count("=") == len(status):
        return _esc(line.text)
    out: list[str] = []
    prev = 0
    for start, end, tok in line.word_spans():
        if start > prev:
            out.append(_runs(units, status, prev, start))
        changed = any(c in "dlx" for c in status[start:end])
        low = tok is not None and tok.confidence is not None and tok.confidence < ctx.threshold
        cls = ("wc " if changed else "") + ("lc" if low else "")
        attrs = ""
        if tok is not None and (changed or low or (interesting and tok.original not in (None,
                                                                                     tok.text))):
            title = _token_title(tok)
            if title:
                attrs += f' title="{_attr(title)}"'
            if ctx.crop is not None and (changed or low):
                k = ctx.crop(tok)
                if k is not None:
                    attrs += f' data-k="{k}"'
        inner = _runs(units, status, start, end)
        if cls or attrs:
            out.append(f'<span class="{cls.strip()}"{attrs}>{inner}</span>')
        else:
            out.append(inner)
        prev = end
    if prev < len(units):
        out.append(_runs(units, status, prev, len(units)))
    return "".join(out)


def _numbers(line: SideLine | None) -> str:
    if line is None:
        return ""
    nums = line.numbers or (line.number,)
    label = str(nums[0]) if len(nums) == 1 else f"{nums[0]}\u2013{nums[-1]}"
    page = f' title="page {line.page}"' if line.page is not None else ""
    return f'<td class="n"{page}>{label}</td>'


def _has_low(line: SideLine | None, threshold: float) -> bool:
    return line is not None and any(
        t.confidence is not None and t.confidence < threshold for t in line.tokens or ()
    )


def _row(ld: LineDiff, ctx: _Ctx, low_index: list[int]) -> str:
    low = _has_low(ld.a, ctx.threshold) or _has_low(ld.b, ctx.threshold)
    cls = []
    rid = ""
    if ld.changed:
        cls.append("c")
        rid = f"diff-{ld.diff_number}"
    if low:
        cls.append("lcr")
        low_index[0] += 1
        rid = rid or f"low-{low_index[0]}"
    interesting = ld.changed or low
    head = "<tr"
    if cls:
        head += f' class="{" ".join(cls)}"'
    if rid:
        head += f' id="{rid}" tabindex="-1"'
    na = _numbers(ld.a) or '<td class="n"></td>'
    nb = _numbers(ld.b) or '<td class="n"></td>'
    return (
        f'{head}>{na}<td class="t ta">{_cell(ld.a, ld.a_status, ctx, interesting)}</td>'
        f'{nb}<td class="t tb">{_cell(ld.b, ld.b_status, ctx, interesting)}</td></tr>'
    )


def _metric_items(m: Metrics) -> list[tuple[str, str]]:
    edits = m.char_distance or 1
    return [
        ("CER", f"{m.cer:.2%}"),
        ("WER", f"{m.wer:.2%}"),
        ("char edits", f"{m.char_distance} / {m.ref_chars}"),
        ("diacritic-only", f"{m.diacritic_only} ({m.diacritic_only / edits:.0%})"),
        ("letter", f"{m.letter} (sub {m.substitutions - m.diacritic_only}, ins {m.insertions},"
                   f" del {m.deletions})"),
        ("word edits", f"{m.word_distance} / {m.ref_words}"
                       f" ({m.word_diacritic_only} diacritic-only)"),
        ("lines changed", f"{m.lines_changed} / {m.lines_paired + m.lines_only_a + m.lines_only_b}"
                          f" (only A {m.lines_only_a}, only B {m.lines_only_b})"),
        ("low confidence", f"A {m.low_confidence_a}, B {m.low_confidence_b}"),
    ]


def render_html(
    report: DiffReport,
    *,
    crop: CropFn | None = None,
    crops: Sequence[str] = (),
    title: str | None = None,
) -> str:
    """The report page. `crop(token)` returns an index into `crops` (data: URIs) or None.

    `crops` may be filled while rendering (pass a list that `crop` appends to).
    """
    ctx = _Ctx(report.low_confidence, crop)
    m = report.metrics
    body: list[str] = []
    low_index = [0]
    lines = report.lines
    keep = [ld.changed or _has_low(ld.a, ctx.threshold) or _has_low(ld.b, ctx.threshold)
            for ld in lines]
    visible = list(keep)
    for i, k in enumerate(keep):
        if k:
            for j in range(max(0, i - CONTEXT), min(len(lines), i + CONTEXT + 1)):
                visible[j] = True
    if len(lines) <= 2 * CONTEXT + 3:
        visible = [True] * len(lines)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and visible[j] == visible[i]:
            j += 1
        rows = "".join(_row(lines[t], ctx, low_index) for t in range(i, j))
        if visible[i]:
            body.append(f"<tbody>{rows}</tbody>")
        else:
            first = lines[i].a.number if lines[i].a else None
            last = lines[j - 1].a.number if lines[j - 1].a else None
            where = f" (A {first}\u2013{last})" if first and last else ""
            body.append(
                f'<tbody><tr class="fb"><td colspan="4"><button type="button">'
                f"\u25b8 {j - i} unchanged line{'s' if j - i > 1 else ''}{where}"
                f"</button></td></tr></tbody><tbody class=\"fold\">{rows}</tbody>"
            )
        i = j
    a_name, b_name = report.a.path, report.b.path
    page_title = title or f"{a_name} \u2194 {b_name}"
    metrics_html = "".join(f"<span>{_esc(k)} <b>{_esc(v)}</b></span>"
                           for k, v in _metric_items(m))
    crops_json = json.dumps(list(crops)).replace("</", "<\\/")
    insp = ('<aside id="insp" hidden><div>page image</div><div id="inspimgs"></div></aside>'
            if crops else "")
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="ocr-pipeline diff">
<title>{_esc(page_title)}</title><style>{CSS}</style></head>
<body>
<header>
<h1>A: {_esc(a_name)} &nbsp;\u2194&nbsp; B: {_esc(b_name)}</h1>
<div class="metrics" id="metrics" data-cer="{m.cer:.6f}" data-wer="{m.wer:.6f}"
 data-diacritic="{m.diacritic_only}" data-letter="{m.letter}">{metrics_html}</div>
<div class="bar"><span>difference <b id="pos">0</b> / <b id="total">{m.lines_changed}</b></span>
<button type="button" data-go="-1" title="previous (p or k)">\u25b2 prev</button>
<button type="button" data-go="1" title="next (n or j)">\u25bc next</button>
<label><input type="checkbox" id="all"> show unchanged lines (a)</label>
<span class="legend"><span class="d">diacritic</span> <span class="l">letter</span>
<span class="x" style="background:var(--del);text-decoration:line-through">deleted</span>
<span class="x" style="background:var(--ins)">inserted</span>
<span class="lc">confidence &lt; {report.low_confidence:g}</span>
<span class="i">ignored</span></span>
<span>keys: n/j next, p/k previous, l/L low confidence</span>
<span>normalisation: {_esc(report.normalization.describe())}</span></div>
</header>
<main><table class="diff"><colgroup><col class="n"><col><col class="n"><col></colgroup>
<thead><tr><th></th><th>A</th><th></th><th>B</th></tr></thead>
{"".join(body)}
</table></main>
{insp}<script type="application/json" id="crops">{crops_json}</script>
<script>{JS}</script>
</body></html>
"""


@dataclass(slots=True)
class IndexEntry:
    """One row of the directory index: a pair's name, report file and metrics."""

    name: str
    report_file: str
    metrics: Metrics | None
    error: str | None = None


def render_index(
    entries: Sequence[IndexEntry],
    only_a: Sequence[str],
    only_b: Sequence[str],
    *,
    dir_a: str,
    dir_b: str,
) -> str:
    """The index page of a directory comparison: one summary row per document."""
    rows = []
    total = Metrics()
    for e in entries:
        if e.metrics is None:
            rows.append(f'<tr><td>{_esc(e.name)}</td><td colspan="7" class="err">'
                        f"{_esc(e.error or 'failed')}</td></tr>")
            continue
        m = e.metrics
        for f in ("char_distance", "ref_chars", "word_distance", "ref_words", "diacritic_only",
                  "letter", "lines_changed", "low_confidence_b"):
            setattr(total, f, getattr(total, f) + getattr(m, f))
        rows.append(
            f'<tr><td><a href="{_attr(e.report_file)}">{_esc(e.name)}</a></td>'
            f'<td class="r">{m.cer:.2%}</td><td class="r">{m.wer:.2%}</td>'
            f'<td class="r">{m.diacritic_only}</td><td class="r">{m.letter}</td>'
            f'<td class="r">{m.lines_changed}</td><td class="r">{m.low_confidence_b}</td>'
            f'<td class="r">{m.ref_chars}</td></tr>'
        )
    cer = total.char_distance / total.ref_chars if total.ref_chars else 0.0
    wer = total.word_distance / total.ref_words if total.ref_words else 0.0

    def listing(title: str, names: Sequence[str]) -> str:
        if not names:
            return ""
        items = "".join(f"<li>{_esc(n)}</li>" for n in names)
        return f"<h2>{_esc(title)} ({len(names)})</h2><ul>{items}</ul>"

    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Diff index: {_esc(dir_a)} \u2194 {_esc(dir_b)}</title>
<style>body{{font:15px/1.4 system-ui,sans-serif;margin:1rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.2rem .6rem}}th{{background:#f3f3f3}}.r{{text-align:right}}
.err{{color:#b00}}tfoot td{{font-weight:bold}}</style></head>
<body><h1>A: {_esc(dir_a)} \u2194 B: {_esc(dir_b)}</h1>
<table id="summary"><thead><tr><th>document</th><th>CER</th><th>WER</th><th>diacritic-only</th>
<th>letter</th><th>lines changed</th><th>low conf. (B)</th><th>chars (A)</th></tr></thead>
<tbody>{"".join(rows)}</tbody>
<tfoot><tr><td>all ({len(entries)})</td><td class="r">{cer:.2%}</td><td class="r">{wer:.2%}</td>
<td class="r">{total.diacritic_only}</td><td class="r">{total.letter}</td>
<td class="r">{total.lines_changed}</td><td class="r">{total.low_confidence_b}</td>
<td class="r">{total.ref_chars}</td></tr></tfoot></table>
{listing("only in A", only_a)}{listing("only in B", only_b)}
</body></html>
"""
