"""An archive profile: what reviewers' corrections teach restoration about one collection.

A collection OCR'd by one engine has one channel, and its own names. From corrected text
(the reviewer's truth beside the OCR it was made from, line for line) a `Profile` keeps:

- ``pairs``: (OCR word, correct syllable) counts, from aligning each OCR line with its
  corrected line word by word; at restore time the shipped channel is re-estimated from
  them (``Channel.adapted``, the shipped table as the prior, ``PROFILE_STRENGTH``
  pseudo-counts), before any per-document adaptation;
- ``lexicon``: the names of the corrected text (runs of two or more title-case words that
  do not open a sentence, e.g. "Bảo Thanh", "Nà Hang"): their words are preferred together
  as a user lexicon's are (`restore.lexicon`), but not forced (a single capitalised word,
  "Ban", is as often a common word);
- ``readings()``, from the same pairs: what the reviewers corrected each *garbled* OCR
  token to (one that is no syllable as written: "Tqxn" for "Tuấn", and an unaccented
  "dien" whose letters need a mark), proposed and preferred for that very token
  (`Decoder.readings`, a bonus of ``READING_WEIGHT`` times the reading's share of the
  token's corrections, shrunk by one pseudo-count). The channel generalises
  character confusions, which per-document adaptation mostly learns too; an archive's
  idiosyncratic misreadings of whole words it does not. Valid syllables ("ngay") are left
  to the channel and the context: their corrections are ambiguous.

Saved as JSON (``ocr_pipeline/profile@1``); ``ocr-pipeline learn`` writes one,
``ocr-pipeline restore --profile`` and ``restore_text(..., profile=...)`` use it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import regex
from rapidfuzz.distance import Levenshtein

from ocr_pipeline.footnote_markers import BODY_NUMBER
from ocr_pipeline.restore.decoder import SENTENCE_END
from ocr_pipeline.restore.orthography import (
    is_valid_syllable,
    nfc,
    normalize_tone_placement,
    strip_marks,
)

SCHEMA = "ocr_pipeline/profile@1"
PROFILE_STRENGTH = 60.0  # Dirichlet pseudo-counts of the shipped table against the pairs
#: bonus (log units, as the channel's) of a reviewer's reading of a garbled token; 2-4 gave
#: the same gains on the dev halves (scripts/bench_profile.py), 8 lost 1 point
READING_WEIGHT = 3.0
_EDGE_PUNCT = regex.compile(r"^[\p{P}\p{S}]+|[\p{P}\p{S}]+$")
_SENTENCE_END = tuple(SENTENCE_END)
_BULLETS = frozenset("-–+•")


@dataclass(slots=True)
class Profile:
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    lexicon: list[str] = field(default_factory=list)
    # SHA-256 of each piece of evidence learned (`evidence_digest`): learning it again
    # would count its pairs twice
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA,
            "pairs": [[o, s, n] for (o, s), n in sorted(self.pairs.items())],
            "lexicon": sorted(set(self.lexicon)),
            "sources": sorted(set(self.sources)),
        }

    def to_json(self) -> str:
        """The profile as JSON text, one pair a line (readable, and diffs well)."""
        d = self.to_dict()
        rows = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in d["pairs"])
        return (
            f'{{\n "schema": {json.dumps(SCHEMA)},\n'
            f' "lexicon": {json.dumps(d["lexicon"], ensure_ascii=False)},\n'
            f' "sources": {json.dumps(d["sources"])},\n'
            f' "pairs": [\n{rows}\n ]\n}}\n'
        )

    @classmethod
    def from_dict(cls, data: dict) -> Profile:
        """A profile from its JSON form; ValueError when it is not one."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ValueError(f"not an archive profile (schema {SCHEMA!r} expected)")
        pairs: Counter[tuple[str, str]] = Counter()
        rows, lexicon = data.get("pairs", []), data.get("lexicon", [])
        if not isinstance(rows, list) or not isinstance(lexicon, list):
            raise ValueError("'pairs' and 'lexicon' must be lists")
        for row in rows:
            if (
                not isinstance(row, list)
                or len(row) != 3
                or not isinstance(row[0], str)
                or not isinstance(row[1], str)
                or not isinstance(row[2], int)
                or isinstance(row[2], bool)
                or row[2] <= 0
            ):
                raise ValueError(f"bad pair {row!r}: [OCR word, syllable, count > 0] expected")
            pairs[(row[0], row[1])] += row[2]
        if not all(isinstance(x, str) for x in lexicon):
            raise ValueError("'lexicon' must be a list of names")
        sources = data.get("sources", [])  # absent in profiles written before it was kept
        if not isinstance(sources, list) or not all(isinstance(x, str) for x in sources):
            raise ValueError("'sources' must be a list of digests")
        return cls(pairs, list(lexicon), list(sources))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Profile:
        """Read a profile file; InputFileError for a FIFO, device or folder (never waited
        on), OSError / ValueError otherwise."""
        from ocr_pipeline.fileio import open_regular

        with open_regular(os.fspath(path)) as fh:
            data = fh.read()
        try:
            parsed = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ValueError("not an archive profile (not JSON text)") from None
        return cls.from_dict(parsed)

    def readings(self) -> dict[str, dict[str, float]]:
        """Garbled OCR token (lowercase) -> {syllable: bonus} (see the module docstring)."""
        by_token: dict[str, Counter[str]] = {}
        for (ocr, syl), n in self.pairs.items():
            if not is_valid_syllable(ocr):
                by_token.setdefault(ocr, Counter())[syl] += n
        return {
            ocr: {syl: READING_WEIGHT * n / (sum(found.values()) + 1) for syl, n in found.items()}
            for ocr, found in by_token.items()
        }

    def merge(self, other: Profile) -> Profile:
        return Profile(
            self.pairs + other.pairs,
            [*self.lexicon, *other.lexicon],
            [*self.sources, *other.sources],
        )


def evidence_digest(*texts: str) -> str:
    """The SHA-256 that names one piece of evidence (an OCR text and its correction, as
    given or as a corrections file's decided lines) in `Profile.sources`: of the lines
    `learn` aligns (NFC, blank lines and line ends aside), so the same evidence saved
    with CRLF or with blank lines is the same."""
    h = hashlib.sha256()
    for text in texts:
        lines = [nfc(ln).strip() for ln in text.splitlines() if ln.strip()]
        h.update("\n".join(lines).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def as_profile(value: object) -> Profile | None:
    """A Profile from what an API caller gives: None, a Profile or a file path; a clear
    TypeError / FileNotFoundError / ValueError for anything else."""
    if value is None or isinstance(value, Profile):
        return value
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(
            f"profile must be a Profile or the path of a profile file, not {type(value).__name__}"
        )
    if not os.path.exists(value):
        raise FileNotFoundError(
            f"profile file {os.fspath(value)!r} not found (an archive profile is the JSON "
            "file `ocr-pipeline learn` writes)"
        )
    try:
        return Profile.load(value)
    except ValueError as err:
        raise ValueError(
            f"profile {os.fspath(value)!r}: {err}; an archive profile is the JSON file "
            "`ocr-pipeline learn` writes"
        ) from None


def _word(token: str) -> str:
    return _EDGE_PUNCT.sub("", token)


def aligned_pairs(ocr_line: str, truth_line: str) -> Iterable[tuple[str, str]]:
    """(OCR word, correct syllable) for the words of two lines that align one to one
    (compared without marks and case); words that split or merge are skipped."""
    ocr = [_word(t) for t in nfc(ocr_line).split()]
    truth = [_word(t) for t in nfc(truth_line).split()]
    key_o = [strip_marks(w).lower() for w in ocr]
    key_t = [strip_marks(w).lower() for w in truth]
    for op in Levenshtein.opcodes(key_o, key_t):
        i1, i2, j1, j2 = op.src_start, op.src_end, op.dest_start, op.dest_end
        if op.tag not in ("equal", "replace") or i2 - i1 != j2 - j1:
            continue
        for o, t in zip(ocr[i1:i2], truth[j1:j2], strict=True):
            syl = normalize_tone_placement(t.lower())
            if o and syl and is_valid_syllable(syl) and len(o) <= 2 * len(syl) + 2:
                yield o.lower(), syl


def names(truth_text: str, joins: Callable[[str, str], bool] | None = None) -> list[str]:
    """Runs of two or more capitalised words that do not open a sentence ("Nà Hang"). A
    line continues the sentence of the line above unless that one ended it, is a heading
    (opens with a label, "II.", "Điều 3."; or is written in capitals), a list item (opens
    with a dash: "- Như Điều 3;") or a blank line is between: a name at the start of a
    wrapped line is a name, and so is a line of two to four capitalised words alone (a
    signer's name under the title); "Chánh Văn phòng" under "Điều 3. Tổ chức thực hiện"
    opens a sentence. A number opening a line (a footnote body's, "1 Theo Kế hoạch ...", a
    list row's) is no word: the line opens a sentence or goes on as it would without it.
    `joins(a, b)`: whether the run's last word and the small word after it make one common
    phrase ("Chuyên viên", "Tài chính", "Giấy khen"); such a word is that phrase's, not
    the name's (a table row's cells run "Lý Thu Hằng Chuyên viên Phòng Tài chính")."""
    from ocr_pipeline.structure.labels import parse_label

    out: list[str] = []
    previous = ""  # the token before, across line breaks; "" at the start of a paragraph
    for line in nfc(truth_text).splitlines():
        body = BODY_NUMBER.match(line.strip())
        if body:  # "1 Theo Kế hoạch ..." (a footnote body) or "3 Lò Văn An" (a list row):
            # the number is no word; the line goes on or opens a sentence as without it
            line = line.strip()[body.end() :]
        tokens = line.split()
        heading = bool(tokens) and (parse_label(line.strip()) is not None or line.isupper())
        if tokens and tokens[0] in _BULLETS:  # "- Như Điều 3;": an item opens a sentence
            tokens = tokens[1:]
            previous = ""
        if not tokens or heading:
            previous = ""
        elif 2 <= len(tokens) <= 4 and all(_word(t) == t and t[:1].isupper() for t in tokens):
            previous = ","  # a line that is only a name (a signer under the title) is one
        run: list[str] = []
        for tok in tokens:
            w = _word(tok)
            starts = not previous or previous.endswith(_SENTENCE_END)
            previous = tok
            if w and w[:1].isupper() and not w.isupper() and w.isalpha() and not starts:
                run.append(w)
            else:
                if run and w and w.islower() and joins is not None and joins(run[-1], w):
                    run.pop()  # "Chuyên" of "Chuyên viên"
                if run:
                    out.append(" ".join(run))
                run = []
            if tok != w and run:  # punctuation after the word ends the name
                out.append(" ".join(run))
                run = []
        if run:
            out.append(" ".join(run))
        if heading:
            previous = ""  # the line under a heading opens a sentence
    return [n for n in out if " " in n]


#: a run's last word and the small word after it are one phrase when the language model
#: finds them together this much more often than apart at least (pointwise mutual
#: information, log10: "công an" 1.35, "giấy khen" 1.54, "chuyên viên" 1.71, "giám đốc"
#: 3.36; a name and the word after it, "An làm" -0.01, "Nam và" 0.41)
JOINED_PMI = 1.0


def lm_joins() -> Callable[[str, str], bool]:
    """`names`' `joins` from the shipped language model (loaded once per process)."""
    from ocr_pipeline.restore import get_decoder

    decoder = get_decoder("vie")

    def joins(a: str, b: str) -> bool:
        a_id, b_id = decoder._id(a.lower()), decoder._id(b)
        lm = decoder.lm
        return lm.logprob((a_id,), b_id) - lm.logprob((), b_id) >= JOINED_PMI

    return joins


def learn(ocr_text: str, truth_text: str) -> Profile:
    """A profile from an OCR text and its correction, line for line (the same number of
    lines that hold text: blank lines are left out on both sides, as raw Tesseract text
    has one after each line or paragraph that a transcription seldom keeps)."""
    ocr_lines = [ln for ln in ocr_text.splitlines() if ln.strip()]
    truth_lines = [ln for ln in truth_text.splitlines() if ln.strip()]
    if len(ocr_lines) != len(truth_lines):
        raise ValueError(
            f"the texts are not line-aligned: {len(ocr_lines)} OCR lines, "
            f"{len(truth_lines)} corrected lines (blank lines not counted); give the "
            "corrected text with one line for each OCR line"
        )
    pairs: Counter[tuple[str, str]] = Counter()
    for o, t in zip(ocr_lines, truth_lines, strict=True):
        pairs.update(aligned_pairs(o, t))
    return Profile(pairs, names(truth_text, lm_joins()))


__all__ = [
    "PROFILE_STRENGTH",
    "READING_WEIGHT",
    "Profile",
    "SCHEMA",
    "aligned_pairs",
    "learn",
    "names",
]
