"""Self-contained HTML pages for a `DiffReport` (and the index of a directory comparison).

One file, no network: CSS and JS inline, page-image crops as data: URIs. A and B are shown
side by side per line pair, each changed pair with its CER at the end of the row; words
with letter changes are underlined in red, and graphemes are coloured by kind:
diacritic-only (amber), letter (red), deleted from A / inserted in B (red with a bottom
rule, padded apart: never struck through, a line through "I" between two others draws an
"H" / green), not compared (grey). A strip along the right edge maps where the changes
and low-confidence rows are; the confusion tables (most frequent grapheme and word
differences, with links to examples) sit above the rows. When B carries no confidences
the header says so. Tokens whose confidence is below
the threshold get a dashed purple outline and a tooltip with confidence, OCR text and
alternatives.

Long documents stay light: runs of unchanged lines are folded (kept in the page, not laid
out) and the size is linear in the document. Keys: n/j next difference, p/k previous,
l/L next/previous low-confidence line, a toggles all unchanged lines, Escape hides the
page-image panel. ``#diff-3`` in the URL focuses the third difference on load.
Review: on a focused change, y keeps B, r restores A, e opens a field to type the line as
it should be (Enter saves, Escape cancels), x undoes; ArrowDown/ArrowUp (or a click) move
a line cursor over every row, so a line restoration left unchanged but wrong can be typed
right too (e on it); s (or the button) downloads the decisions as
NAME.corrections.json for ``ocr-pipeline apply`` (see `diff.corrections`; the changed
pairs' texts and line numbers are embedded as JSON, ``#review``; an unchanged line's are
read from its row, as change 0). ``?keys=jjk`` replays keys on load (into an open
correction field they type, ``\b`` clears it, newline is Enter, ↓ and ↑ the arrows) and
writes the focused row id and the corrections into ``<output id="selftest">`` (used by
the browser test).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ocr_pipeline.diff.confusion import ConfusionTable
from ocr_pipeline.diff.metrics import rate
from ocr_pipeline.diff.report import DiffReport, LineDiff, Metrics
from ocr_pipeline.diff.sides import SideLine, Token
from ocr_pipeline.diff.summary import BatchSummary

MAP_SLOTS = 400  # minimap resolution: changes closer than 1/400 of the document share a mark
CONFUSION_ROWS = 25  # rows per confusion table in the page (the JSON keeps more)
HIGH_LINE_CER = 0.2  # line scores at or above this are drawn in bold red
CONTEXT = 1  # unchanged lines shown around each change; longer runs are folded
CHUNK = 40  # rows per block with CSS content-visibility:auto (off-screen blocks skip layout)
CropFn = Callable[[Token], "int | None"]

# short tags keep long reports small: <i> diacritic-only, <b> letter, <s> deleted (A) or
# inserted (B), <var> not compared; <mark> a changed word, class "lc" low confidence
_TAG = {"d": "i", "l": "b", "x": "s", ".": "var"}

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
.r{display:grid;grid-template-columns:4.2em 1fr 4.2em 1fr 3.4em;border-bottom:1px solid var(--line)}
.sc{color:var(--mut);text-align:right;padding:.15rem .3rem;font:.75rem/2 system-ui,sans-serif}
.sc.hi{color:#b3261e;font-weight:bold}
.hd{font-weight:bold;text-align:center;border-bottom:1px solid #bbb}
.k{content-visibility:auto}
.n{color:var(--mut);text-align:right;padding:.15rem .4rem;font:.8rem/1.9 system-ui,sans-serif;
user-select:none}
.t{padding:.15rem .4rem;white-space:pre-wrap;overflow-wrap:anywhere;min-width:0}
.ta{border-right:2px solid #ddd}
.r.c .t{background:#fffdf4}
.r:focus{outline:3px solid var(--cur);outline-offset:-3px}
.r.c:focus .t{background:#eef5ff}
.t i,.d{font-style:normal;background:var(--d)}
.t b,.l{font-weight:normal;background:var(--l)}
.ta s,.del{background:var(--del);text-decoration:none;box-shadow:inset 0 -2px #c0392b}
.tb s,.ins{text-decoration:none;background:var(--ins)}
.t s{padding:0 .12em;margin:0 .06em;border-radius:2px}
.t var,.ign{font-style:normal;color:#9a9a9a}
.t mark{background:none;color:inherit;border-bottom:2px solid #c0392b}
.lc{outline:2px dashed var(--lc);outline-offset:1px;border-radius:2px}
.abs{color:var(--mut);font-style:italic}
.fold{display:none}
.fold.open,body.all .fold{display:block}
.fold .t{color:#444}
.fb{border-bottom:1px dashed #bbb}
.fb button{all:unset;box-sizing:border-box;cursor:pointer;display:block;width:100%;
padding:.1rem 1rem;font:.8rem system-ui,sans-serif;color:var(--mut);background:#fafafa}
body.all .fb{display:none}
#insp{position:fixed;right:.8rem;bottom:.8rem;max-width:45vw;background:#fff;z-index:3;
border:1px solid #999;box-shadow:0 2px 8px #0003;padding:.4rem;font:.8rem system-ui,sans-serif}
#insp{max-height:70vh;overflow:auto}
#inspimgs{display:flex;flex-wrap:wrap;gap:.2rem .6rem;align-items:flex-end}
#insp img{display:block;margin:.2rem 0;max-width:100%;image-rendering:auto;border:1px solid #ddd}
[data-k]{cursor:zoom-in}
.note{color:#8a4b00}
.r.acc .tb{box-shadow:inset 4px 0 #2e7d32}.r.rev .ta{box-shadow:inset 4px 0 #1565c0}
.r.edt .tb{box-shadow:inset 4px 0 #8e24aa}
.dec{font:.75rem system-ui,sans-serif;color:#444}
input.ed{display:block;width:100%;font:inherit;margin:.2rem 0}
#map{position:fixed;right:0;top:var(--top,7rem);bottom:0;width:12px;background:#f1f1f4;
border-left:1px solid #ddd;z-index:1}
#map a{position:absolute;left:1px;right:1px;height:3px;min-height:2px}
#map .ml{background:#d93025}#map .md{background:#e3a008}#map .mlc{background:var(--lc)}
body.hasmap main{padding-right:1.6rem}
details.cf{font:.85rem system-ui,sans-serif;margin:.6rem 0}
details.cf summary{cursor:pointer;font-weight:bold}
.cft{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:flex-start}
.cft table{border-collapse:collapse}
.cft td,.cft th{border:1px solid #ddd;padding:.1rem .4rem;vertical-align:top}
.cft td.g{font:1rem "Noto Serif","Liberation Serif",serif;white-space:pre}
.cft a{color:inherit}
@media (max-width:700px){body{font-size:13px}.r{grid-template-columns:2.4em 1fr 2.4em 1fr 2.6em}
main{padding:0 .2rem}}
"""

JS = r"""
(function(){
const rows=[...document.querySelectorAll('.r.c')], lows=[...document.querySelectorAll('.r.lcr')];
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
  const f=r.closest('.fold'); if(f) f.classList.add('open');
  r.focus({preventScroll:true}); r.scrollIntoView({block:'center'});
  history.replaceState(null,'','#'+r.id);
  show([...r.querySelectorAll('[data-k]')]);
}
function step(list,i,d){
  if(!list.length) return -1;
  i = i<0 ? (d>0?0:list.length-1) : (i+d+list.length)%list.length;
  focusRow(list[i]); return i;
}
const REV=JSON.parse((document.getElementById('review')||{}).textContent||'null');
const dec={}, ndec=document.getElementById('ndec');
// a row's key in `dec` and what it holds: a change by its number (REV.changes), any other
// line pair by its B line, read from the row itself (its numbers and its B text)
function change(r){
  if(r.classList.contains('c')){const n=+r.id.slice(5); return {key:n,...REV.changes[n-1]};}
  const ns=r.querySelectorAll('.n'), tb=r.querySelector('.tb');
  const b=+((ns[1]&&ns[1].textContent)||0);
  if(!b||!tb||tb.querySelector('.abs')) return null;  // a line in A only: nothing to edit
  const a=+((ns[0]&&ns[0].textContent)||0), ta=r.querySelector('.ta');
  const bt=[...tb.childNodes].filter(x=>!(x.classList&&x.classList.contains('dec'))
    ).map(x=>x.textContent).join('');
  return {key:'b'+b,diff:0,a_lines:a?[a]:[],b_lines:[b],after_b:b-1,
          a:ta?ta.textContent:'',b:bt};
}
function decide(r,kind,text){
  const c=change(r); if(!c) return;
  r.classList.remove('acc','rev','edt');
  const old=r.querySelector('.dec'); if(old) old.remove();
  if(!kind){delete dec[c.key];}
  else{
    dec[c.key]={...c,decision:kind,text:kind==='accept'?c.b:kind==='revert'?c.a:text};
    r.classList.add({accept:'acc',revert:'rev',edit:'edt'}[kind]);
    const s=document.createElement('div'); s.className='dec';
    s.textContent=kind==='edit'?'\u270e '+text:kind==='accept'?'\u2713 B kept':'\u21a9 A restored';
    r.querySelector('.tb').append(s);
  }
  if(ndec) ndec.textContent=Object.keys(dec).length;
}
function edit(r){
  const c=change(r); if(!c) return;
  const inp=document.createElement('input');
  inp.className='ed'; inp.value=dec[c.key]?dec[c.key].text:c.b;
  inp.setAttribute('aria-label','correction');
  r.querySelector('.tb').append(inp); inp.focus();
  inp.addEventListener('keydown',e=>{
    if(e.key==='Enter'){decide(r,'edit',inp.value); inp.remove(); r.focus({preventScroll:true});}
    else if(e.key==='Escape'){inp.remove(); r.focus({preventScroll:true});}
    else return;
    e.preventDefault(); e.stopPropagation();
  });
}
function corrections(){
  const order=d=>d.b_lines.length?d.b_lines[0]:d.after_b+0.5;
  return {schema:'ocr_pipeline/corrections@1',a:REV.a,b:REV.b,
    decisions:Object.values(dec).sort((x,y)=>order(x)-order(y)).map(d=>
      ({diff:d.diff,decision:d.decision,a_lines:d.a_lines,b_lines:d.b_lines,
        after_b:d.after_b,a:d.a,b:d.b,text:d.text}))};
}
function exportCorrections(){
  const blob=new Blob([JSON.stringify(corrections(),null,1)+'\n'],{type:'application/json'});
  const a=document.createElement('a'); a.href=URL.createObjectURL(blob);
  a.download=REV.name+'.corrections.json'; document.body.append(a); a.click(); a.remove();
}
function nextDiff(d){cur=step(rows,cur,d); if(pos) pos.textContent=cur+1; at=rows[cur];}
function nextLow(d){curL=step(lows,curL,d); at=lows[curL];}
// the line cursor (ArrowDown/ArrowUp): any row, changed or not, that y/r/e/x then act on
let at=null;
function nextLine(d){
  const all=[...document.querySelectorAll('main div.r:not(.hd)')];
  if(!all.length) return;
  let i=at?all.indexOf(at):-1;
  i=i<0?(d>0?0:all.length-1):Math.min(all.length-1,Math.max(0,i+d));
  at=all[i]; if(!at.hasAttribute('tabindex')) at.tabIndex=-1;
  const k=rows.indexOf(at); if(k>=0){cur=k; if(pos) pos.textContent=k+1;}
  focusRow(at);
}
function target(){return at||(cur>=0?rows[cur]:null);}
document.addEventListener('keydown',e=>{
  const t=e.target;
  if(e.ctrlKey||e.metaKey||e.altKey||(t&&t.matches&&t.matches('input,textarea,select'))) return;
  switch(e.key){
    case 'n':case 'j':nextDiff(1);break;
    case 'p':case 'k':nextDiff(-1);break;
    case 'l':nextLow(1);break;
    case 'L':nextLow(-1);break;
    case 'a':document.body.classList.toggle('all');break;
    case 'Escape':if(insp) insp.hidden=true;break;
    case 'ArrowDown':nextLine(1);break;
    case 'ArrowUp':nextLine(-1);break;
    case 'y':if(REV&&target()) decide(target(),'accept');break;
    case 'r':if(REV&&target()) decide(target(),'revert');break;
    case 'x':if(REV&&target()) decide(target(),null);break;
    case 'e':if(REV&&target()) edit(target());break;
    case 's':if(REV) exportCorrections();break;
    default:return;
  }
  e.preventDefault();
});
const hdr=document.querySelector('header');  // read after the first layout, not forcing one
if(hdr) requestAnimationFrame(()=>document.body.style.setProperty('--top',hdr.offsetHeight+'px'));
document.addEventListener('click',e=>{
  const a=e.target.closest('#map a,.cft a');
  if(a){const r=document.getElementById(a.getAttribute('href').slice(1));
    if(r){e.preventDefault(); const i=rows.indexOf(r); if(i>=0){cur=i; if(pos) pos.textContent=i+1;}
      at=r; focusRow(r);} return;}
  if(e.target.closest('#export')){if(REV) exportCorrections(); return;}
  const b=e.target.closest('button[data-go]');
  if(b){nextDiff(+b.dataset.go);return;}
  const f=e.target.closest('.fb');
  if(f){f.nextElementSibling.classList.toggle('open');return;}
  const r=e.target.closest('main div.r:not(.hd)');
  if(r){at=r; const k=rows.indexOf(r); if(k>=0){cur=k; if(pos) pos.textContent=k+1;}}
});
document.addEventListener('mouseover',e=>{
  const w=e.target.closest&&e.target.closest('[data-k]'); if(w) show([w]);
});
const all=document.getElementById('all');
if(all) all.addEventListener('change',()=>document.body.classList.toggle('all',all.checked));
const m=/^#diff-(\d+)$/.exec(location.hash);
if(m&&rows[+m[1]-1]){cur=+m[1]-1; at=rows[cur]; focusRow(at); if(pos) pos.textContent=cur+1;}
const q=new URLSearchParams(location.search);
if(q.has('keys')){
  for(const ch of q.get('keys')){
    const t=document.activeElement;
    if(t&&t.matches('input.ed')&&ch!=='\n'&&ch!=='\x1b'){  // typing into a correction
      t.value=ch==='\b'?'':t.value+ch; continue;
    }
    const key={'\n':'Enter','\x1b':'Escape','\u2193':'ArrowDown','\u2191':'ArrowUp'}[ch]||ch;
    const to=t&&t!==document.body?t:document;
    to.dispatchEvent(new KeyboardEvent('keydown',{key,bubbles:true}));
  }
  const o=document.createElement('output'); o.id='selftest'; o.hidden=true;
  const a=document.activeElement; o.textContent=(a&&a.id)||'';
  o.dataset.imgs=ib?ib.querySelectorAll('img').length:0;
  o.dataset.ms=Math.round(performance.now());
  if(REV) o.dataset.corrections=JSON.stringify(corrections());
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
            tag = _TAG[s]
            out.append(f"<{tag}>{_esc(text)}</{tag}>")
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
        word_status = status[start:end]
        changed = "d" in word_status or "l" in word_status or "x" in word_status
        lettered = "l" in word_status or "x" in word_status
        low = tok is not None and tok.confidence is not None and tok.confidence < ctx.threshold
        attrs = ""
        if tok is not None and (
            changed or low or (interesting and tok.original not in (None, tok.text))
        ):
            title = _token_title(tok)
            if title:
                attrs += f' title="{_attr(title)}"'
            if ctx.crop is not None and (changed or low):
                k = ctx.crop(tok)
                if k is not None:
                    attrs += f' data-k="{k}"'
        inner = _runs(units, status, start, end)
        if low:
            attrs = ' class="lc"' + attrs
        if lettered:  # diacritic-only words are not wrapped: fewer elements in long reports
            out.append(f"<mark{attrs}>{inner}</mark>")
        elif attrs:
            out.append(f"<span{attrs}>{inner}</span>")
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
    return f'<span class="n"{page}>{label}</span>'


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
    head = '<div class="r' + "".join(" " + c for c in cls) + '"'
    if rid:
        head += f' id="{rid}" tabindex="-1"'
    na = _numbers(ld.a) or '<span class="n"></span>'
    nb = _numbers(ld.b) or '<span class="n"></span>'
    return (
        f'{head}>{na}<div class="t ta">{_cell(ld.a, ld.a_status, ctx, interesting)}</div>'
        f'{nb}<div class="t tb">{_cell(ld.b, ld.b_status, ctx, interesting)}</div>'
        f"{_score(ld)}</div>"
    )


def _score(ld: LineDiff) -> str:
    """The line's CER, shown at the end of a changed row (empty cell otherwise)."""
    if not ld.changed:
        return '<span class="sc"></span>'
    cer = rate(ld.distance, ld.ref_chars)
    title = (
        f"line CER {ld.distance}/{ld.ref_chars}: diacritic-only {ld.diacritic}, letter {ld.letter}"
    )
    hi = " hi" if cer >= HIGH_LINE_CER else ""
    return f'<span class="sc{hi}" title="{_attr(title)}">{cer:.0%}</span>'


def _row_kinds(lines: Sequence[LineDiff], threshold: float) -> list[tuple[str, str] | None]:
    """Per line pair: (row id, minimap class) for changed or low-confidence rows, else None.

    Ids follow `_row`'s numbering (diff-N for changes, low-K for the other low rows)."""
    out: list[tuple[str, str] | None] = []
    low = 0
    for ld in lines:
        is_low = _has_low(ld.a, threshold) or _has_low(ld.b, threshold)
        low += is_low
        if ld.changed:
            out.append((f"diff-{ld.diff_number}", "ml" if ld.letter else "md"))
        elif is_low:
            out.append((f"low-{low}", "mlc"))
        else:
            out.append(None)
    return out


_MAP_RANK = {"ml": 3, "md": 2, "mlc": 1}


def _minimap(lines: Sequence[LineDiff], threshold: float) -> str:
    """A strip along the window: where the changes (red: letters, amber: diacritics only)
    and low-confidence rows (purple) are in the document; a click jumps there."""
    kinds = _row_kinds(lines, threshold)
    n = len(kinds)
    slots: dict[int, tuple[str, str]] = {}
    for i, kind in enumerate(kinds):
        if kind is None:
            continue
        slot = i * MAP_SLOTS // max(1, n)
        if slot not in slots or _MAP_RANK[kind[1]] > _MAP_RANK[slots[slot][1]]:
            slots[slot] = kind
    if not slots:
        return ""
    marks = "".join(
        f'<a href="#{rid}" class="{cls}" style="top:{slot * 100 / MAP_SLOTS:.2f}%"'
        f' title="{rid}"></a>'
        for slot, (rid, cls) in sorted(slots.items())
    )
    return f'<nav id="map" aria-label="where the differences are">{marks}</nav>'


def _show(text: str) -> str:
    return _esc(text.replace(" ", "\u2423")) if text else "\u2205"


def _confusion_html(report: DiffReport, limit: int = CONFUSION_ROWS) -> str:
    chars, words = report.char_confusions, report.word_confusions
    if not chars.total:
        return ""

    def table(tid: str, title: str, rows: list[dict], word_examples: bool) -> str:
        body = []
        for r in rows:
            links = []
            for ex in r["examples"]:
                label = f"#{ex['diff']}" if word_examples else f"{ex['a']} \u2192 {ex['b']}"
                links.append(f'<a href="#diff-{ex["diff"]}">{_esc(label)}</a>')
            body.append(
                f'<tr class="{r["kind"][0]}"><td class="g">{_show(r["a"])}</td>'
                f'<td class="g">{_show(r["b"])}</td><td>{r["kind"]}</td>'
                f'<td class="r">{r["count"]}</td><td>{", ".join(links)}</td></tr>'
            )
        return (
            f'<table id="{tid}"><caption>{_esc(title)}</caption><tr><th>A</th><th>B</th>'
            f"<th>kind</th><th>count</th><th>examples</th></tr>{''.join(body)}</table>"
        )

    char_table = table("conf-chars", "graphemes (A \u2192 B)", chars.rows(limit), False)
    word_table = table("conf-words", "words (A \u2192 B)", words.rows(limit), True)
    return (
        f'<details class="cf" id="confusions"><summary>Most frequent confusions: '
        f"{chars.total} grapheme edits in {len(chars.counts)} kinds, {words.total} changed"
        f' words</summary><div class="cft">{char_table}{word_table}</div></details>'
    )


def _review_changes(report: DiffReport) -> Iterator[dict]:
    """What the review script needs per changed line pair (see `diff.corrections`)."""
    after_b = 0
    for ld in report.lines:
        if ld.changed:
            yield {
                "diff": ld.diff_number,
                "a_lines": list(ld.a.numbers or (ld.a.number,)) if ld.a else [],
                "b_lines": list(ld.b.numbers or (ld.b.number,)) if ld.b else [],
                "after_b": after_b,
                "a": ld.a.text if ld.a else "",
                "b": ld.b.text if ld.b else "",
            }
        if ld.b is not None:
            after_b = max(ld.b.numbers or (ld.b.number,))


def _review_head(report: DiffReport) -> dict:
    """Names and kinds of A and B; their paths absolute so `apply` finds them from
    anywhere (a path relative to where `diff` ran could name another file where `apply`
    runs)."""
    return {
        "name": report.b.name,
        "a": {"path": _absolute(report.a.path), "kind": report.a.kind},
        "b": {"path": _absolute(report.b.path), "kind": report.b.kind},
    }


def _absolute(path: str) -> str:
    """`path` made absolute when it names a file (not stdin)."""
    return str(Path(path).resolve()) if Path(path).is_file() else path


def _review_data(report: DiffReport) -> dict:
    """The review data as one dict (tests; the page streams it, `_review_json`)."""
    return {**_review_head(report), "changes": list(_review_changes(report))}


def _review_json(report: DiffReport) -> Iterator[str]:
    """`_review_data` as script-safe JSON, one change at a time."""
    yield _json_script(_review_head(report))[:-1] + ', "changes": ['
    for i, change in enumerate(_review_changes(report)):
        yield ("," if i else "") + _json_script(change)
    yield "]}"


def _json_script(data: object) -> str:
    """JSON safe inside <script type="application/json">."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _confidence_note(report: DiffReport) -> str:
    """Says why no word is outlined when B carries no confidences at all."""
    if report.b.has_confidence:
        return ""
    return (
        f'<span class="note" id="noconf">B ({_esc(report.b.kind)}) carries no word'
        " confidences, so low-confidence words cannot be shown; compare the words table,"
        " ALTO or hOCR of ocr-pipeline run, or restore --format json, to see them</span>"
    )


def _chunks(pieces: list[str], *, rows: int) -> str:
    """Rows (and folds) in a block the browser may skip laying out while off screen,
    sized for the scroll bar by its `rows` shown rows until it is first drawn."""
    return (
        f'<div class="k" style="contain-intrinsic-size:auto {rows * 30}px">{"".join(pieces)}</div>'
    )


def _metric_items(m: Metrics) -> list[tuple[str, str]]:
    edits = m.char_distance or 1
    return [
        ("CER", f"{m.cer:.2%}"),
        ("WER", f"{m.wer:.2%}"),
        ("char edits", f"{m.char_distance} / {m.ref_chars}"),
        ("diacritic-only", f"{m.diacritic_only} ({m.diacritic_only / edits:.0%})"),
        (
            "letter",
            f"{m.letter} (sub {m.substitutions - m.diacritic_only}, ins {m.insertions},"
            f" del {m.deletions})",
        ),
        (
            "word edits",
            f"{m.word_distance} / {m.ref_words} ({m.word_diacritic_only} diacritic-only)",
        ),
        (
            "lines changed",
            f"{m.lines_changed} / {m.lines_paired + m.lines_only_a + m.lines_only_b}"
            f" (only A {m.lines_only_a}, only B {m.lines_only_b})",
        ),
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
    return "".join(iter_html(report, crop=crop, crops=crops, title=title))


def _visible(lines: Sequence[LineDiff], threshold: float) -> list[bool]:
    """Rows shown unfolded: changes, low-confidence rows and `CONTEXT` rows around them."""
    keep = [ld.changed or _has_low(ld.a, threshold) or _has_low(ld.b, threshold) for ld in lines]
    if len(lines) <= 2 * CONTEXT + 3:
        return [True] * len(lines)
    visible = list(keep)
    for i, k in enumerate(keep):
        if k:
            for j in range(max(0, i - CONTEXT), min(len(lines), i + CONTEXT + 1)):
                visible[j] = True
    return visible


def _body(lines: Sequence[LineDiff], ctx: _Ctx) -> Iterator[str]:
    """The rows, run by run (folded runs of unchanged lines), in blocks of about `CHUNK`
    shown rows: short runs (a change and its context, a fold's button) are gathered into
    one block, so a long document of scattered changes is skipped off screen too."""
    visible = _visible(lines, ctx.threshold)
    low_index = [0]
    pending: list[str] = []
    shown = 0
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and visible[j] == visible[i]:
            j += 1
        if visible[i] and j - i > CHUNK:  # a long run: blocks of its own
            if pending:
                yield _chunks(pending, rows=shown)
                pending, shown = [], 0
            for k in range(i, j, CHUNK):
                part = [_row(lines[t], ctx, low_index) for t in range(k, min(j, k + CHUNK))]
                yield _chunks(part, rows=len(part))
        elif visible[i]:
            pending.extend(_row(lines[t], ctx, low_index) for t in range(i, j))
            shown += j - i
        else:
            a_first, a_last = lines[i].a, lines[j - 1].a
            first = a_first.number if a_first else None
            last = a_last.number if a_last else None
            where = f" (A {first}\u2013{last})" if first and last else ""
            head = (
                f'<div class="fb"><button type="button">'
                f"\u25b8 {j - i} unchanged line{'s' if j - i > 1 else ''}{where}"
                f'</button></div><div class="fold">'
            )
            if j - i > CHUNK:  # a long fold: written piece by piece, its rows in blocks
                if pending:
                    yield _chunks(pending, rows=shown)
                    pending, shown = [], 0
                yield head
                for k in range(i, j, CHUNK):
                    part = [_row(lines[t], ctx, low_index) for t in range(k, min(j, k + CHUNK))]
                    yield _chunks(part, rows=len(part))
                yield "</div>"
            else:
                rows = "".join(_row(lines[t], ctx, low_index) for t in range(i, j))
                pending.append(head + rows + "</div>")
                shown += 1
        if shown >= CHUNK:
            yield _chunks(pending, rows=shown)
            pending, shown = [], 0
        i = j
    if pending:
        yield _chunks(pending, rows=shown)


def iter_html(
    report: DiffReport,
    *,
    crop: CropFn | None = None,
    crops: Sequence[str] = (),
    title: str | None = None,
) -> Iterator[str]:
    """`render_html` piece by piece, so a large report is written without being held whole
    in memory."""
    ctx = _Ctx(report.low_confidence, crop)
    m = report.metrics
    lines = report.lines
    a_name, b_name = report.a.path, report.b.path
    page_title = title or f"{a_name} \u2194 {b_name}"
    metrics_html = "".join(f"<span>{_esc(k)} <b>{_esc(v)}</b></span>" for k, v in _metric_items(m))
    minimap = _minimap(lines, ctx.threshold)
    yield f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="ocr-pipeline diff">
<title>{_esc(page_title)}</title><style>{CSS}</style></head>
<body{' class="hasmap"' if minimap else ""}>
<header>
<h1>A: {_esc(a_name)} &nbsp;\u2194&nbsp; B: {_esc(b_name)}</h1>
<div class="metrics" id="metrics" data-cer="{m.cer:.6f}" data-wer="{m.wer:.6f}"
 data-diacritic="{m.diacritic_only}" data-letter="{m.letter}">{metrics_html}</div>
<div class="bar"><span>difference <b id="pos">0</b> / <b id="total">{m.lines_changed}</b></span>
<button type="button" data-go="-1" title="previous (p or k)">\u25b2 prev</button>
<button type="button" data-go="1" title="next (n or j)">\u25bc next</button>
<label><input type="checkbox" id="all"> show unchanged lines (a)</label>
<span class="legend"><span class="d">diacritic</span> <span class="l">letter</span>
<span class="del">deleted</span> <span class="ins">inserted</span>
<span class="lc">confidence &lt; {report.low_confidence:g}</span>
<span class="ign">ignored</span></span>
<span>keys: n/j next, p/k previous, l/L low confidence, ↓/↑ any line, a all lines</span>
<span>review: y keep B, r restore A, e type a correction, x undo; s or
<button type="button" id="export">export corrections</button> (<b id="ndec">0</b> decided)</span>
<span>normalisation: {_esc(report.normalization.describe())}</span>
{_confidence_note(report)}</div>
</header>
{minimap}<main>{_confusion_html(report)}
<div class="r hd"><span></span><span>A</span><span></span><span>B</span>
<span title="CER of the line">line</span></div>
<div id="rows">"""
    yield from _body(lines, ctx)
    crops_json = json.dumps(list(crops)).replace("</", "<\\/")
    insp = (
        '<aside id="insp" hidden><div>page image</div><div id="inspimgs"></div></aside>'
        if crops
        else ""
    )
    yield f"""</div></main>
{insp}<script type="application/json" id="crops">{crops_json}</script>
<script type="application/json" id="review">"""
    yield from _review_json(report)
    yield f"""</script>
<script>{JS}</script>
</body></html>
"""


INDEX_CSS = """body{font:15px/1.4 system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .6rem}th{background:#f3f3f3}.r{text-align:right}
th[data-col]{cursor:pointer}.err{color:#b00}tfoot td{font-weight:bold}
.cft{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:flex-start;margin-top:1rem}
.cft td.g{font:1rem "Noto Serif","Liberation Serif",serif;white-space:pre}"""

INDEX_JS = r"""
document.querySelectorAll('#summary th[data-col]').forEach(th=>th.addEventListener('click',()=>{
  const tb=document.querySelector('#summary tbody'), c=+th.dataset.col;
  const rows=[...tb.rows].filter(r=>r.cells.length>2);
  const v=r=>parseFloat(r.cells[c].dataset.v??r.cells[c].textContent)||0;
  const down=th.dataset.dir!=='down'; th.dataset.dir=down?'down':'up';
  rows.sort((x,y)=>down?v(y)-v(x):v(x)-v(y)).forEach(r=>tb.insertBefore(r,tb.querySelector('tr.fail')));
}));
"""


def _batch_confusions(batch: BatchSummary, limit: int = CONFUSION_ROWS) -> str:
    def table(tid: str, title: str, table: ConfusionTable) -> str:
        body = []
        for r in table.rows(limit):
            examples = ", ".join(
                f'<a href="{_attr(ex["document"])}.diff.html#diff-{ex.get("diff", "")}">'
                f"{_esc(ex['document'])}</a>"
                for ex in r["examples"]
            )
            body.append(
                f'<tr><td class="g">{_show(r["a"])}</td><td class="g">{_show(r["b"])}'
                f'</td><td>{r["kind"]}</td><td class="r">{r["count"]}</td>'
                f"<td>{examples}</td></tr>"
            )
        return (
            f'<table id="{tid}"><caption>{_esc(title)}</caption><tr><th>A</th><th>B</th>'
            f"<th>kind</th><th>count</th><th>in</th></tr>{''.join(body)}</table>"
        )

    if not batch.chars.total:
        return ""
    chars = table("conf-chars", "graphemes (A \u2192 B)", batch.chars)
    words = table("conf-words", "words (A \u2192 B)", batch.words)
    return f'<h2>Most frequent confusions over the batch</h2><div class="cft">{chars}{words}</div>'


def render_index(
    batch: BatchSummary,
    only_a: Sequence[str] = (),
    only_b: Sequence[str] = (),
    *,
    title: str,
) -> str:
    """The index page of a batch: documents ranked worst first, confusions over the batch."""
    rows = []
    for rank, e in enumerate(batch.ranked(), start=1):
        if e.metrics is None:
            rows.append(
                f'<tr class="fail"><td></td><td>{_esc(e.name)}</td><td colspan="8" '
                f'class="err">{_esc(e.error or "failed")}</td></tr>'
            )
            continue
        m = e.metrics
        share = m.low_confidence_share
        share_cell = (
            f'<td class="r" data-v="{share:.6f}">{share:.1%}</td>'
            if share is not None
            else '<td class="r" data-v="-1" title="B carries no confidences">n/a</td>'
        )
        rows.append(
            f'<tr><td class="r">{rank}</td>'
            f'<td><a href="{_attr(e.report_file)}">{_esc(e.name)}</a></td>'
            f'<td class="r" data-v="{m.cer:.6f}">{m.cer:.2%}</td>'
            f'<td class="r" data-v="{m.wer:.6f}">{m.wer:.2%}</td>{share_cell}'
            f'<td class="r">{m.diacritic_only}</td><td class="r">{m.letter}</td>'
            f'<td class="r">{m.lines_changed}</td><td class="r">{m.low_confidence_b}</td>'
            f'<td class="r">{m.ref_chars}</td></tr>'
        )
    total = batch.totals()
    share = total.low_confidence_share
    total_share = f"{share:.1%}" if share is not None else "n/a"

    def listing(heading: str, names: Sequence[str]) -> str:
        if not names:
            return ""
        items = "".join(f"<li>{_esc(n)}</li>" for n in names)
        return f"<h2>{_esc(heading)} ({len(names)})</h2><ul>{items}</ul>"

    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Diff index: {_esc(title)}</title>
<style>{INDEX_CSS}</style></head>
<body><h1>{_esc(title)}</h1>
<p>Worst first (CER, then the share of B's words below the confidence threshold): the
documents to review first. Click a column heading to sort by it.</p>
<table id="summary"><thead><tr><th>#</th><th>document</th><th data-col="2">CER</th>
<th data-col="3">WER</th><th data-col="4">low-conf. share (B)</th>
<th data-col="5">diacritic-only</th><th data-col="6">letter</th>
<th data-col="7">lines changed</th><th data-col="8">low conf. (B)</th>
<th data-col="9">chars (A)</th></tr></thead>
<tbody>{"".join(rows)}</tbody>
<tfoot><tr><td></td><td>all ({len(batch.entries)})</td><td class="r">{total.cer:.2%}</td>
<td class="r">{total.wer:.2%}</td><td class="r">{total_share}</td>
<td class="r">{total.diacritic_only}</td><td class="r">{total.letter}</td>
<td class="r">{total.lines_changed}</td><td class="r">{total.low_confidence_b}</td>
<td class="r">{total.ref_chars}</td></tr></tfoot></table>
{_batch_confusions(batch)}
{listing("only in A", only_a)}{listing("only in B", only_b)}
<script>{INDEX_JS}</script>
</body></html>
"""
