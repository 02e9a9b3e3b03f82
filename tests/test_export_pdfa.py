"""PDF/A exporter: the restored text layer survives OCRmyPDF's PDF/A-2b conversion, images
are kept byte for byte, the file claims PDF/A-2B and is well-formed; a missing OCRmyPDF or
Ghostscript is one MissingDependencyError (exit 3) and leaves no output.

The conversion tests need OCRmyPDF >= 17.13 (the `pdfa` extra) and skip without it; the
missing-dependency tests always run.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from test_export_pdf import HAVE_TOOLS, cer, norm, pdftotext, process, render

from ocr_pipeline.errors import ExitCode, MissingDependencyError
from ocr_pipeline.export import output_paths
from ocr_pipeline.export import pdfa as pdfa_mod
from ocr_pipeline.model import Document, Page, SourceInfo


def _have_ocrmypdf() -> bool:
    try:
        pdfa_mod.ocrmypdf_version()
    except MissingDependencyError:
        return False
    return True


HAVE_OCRMYPDF = _have_ocrmypdf()
needs_ocrmypdf = pytest.mark.skipif(
    not HAVE_OCRMYPDF, reason="OCRmyPDF >= 17.13 not installed (pip install '.[pdfa]')"
)
needs_tools = pytest.mark.skipif(not HAVE_TOOLS, reason="tesseract/poppler not installed")


def images(path: Path) -> list[tuple[int, int, int, str, str]]:
    """(width, height, bits, colour space, sha256 of the raw stream) of every page image."""
    out = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for obj in page.obj.Resources.XObject.values():
                if obj.get("/Subtype") == "/Image":
                    digest = hashlib.sha256(obj.read_raw_bytes()).hexdigest()
                    out.append((int(obj.Width), int(obj.Height), int(obj.BitsPerComponent),
                                str(obj.ColorSpace), digest))  # fmt: skip
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """One synthetic page OCR'd once; its plain searchable PDF and its PDF/A, for a PDF
    and a PNG source."""
    if not (HAVE_OCRMYPDF and HAVE_TOOLS):
        pytest.skip("needs OCRmyPDF >= 17.13, tesseract and poppler")
    from ocr_pipeline.export.pdf import write_searchable_pdf
    from ocr_pipeline.pipeline import page_images

    tmp = tmp_path_factory.mktemp("pdfa")
    result = {}
    for kind in ("pdf", "png"):
        source = render(tmp, kind=kind)
        doc = process(source)
        pixels = page_images(source)
        plain = write_searchable_pdf(doc, source, tmp / kind / "plain.ocr.pdf", pixels)
        archived = pdfa_mod.write_pdfa(doc, source, tmp / kind / "page.ocr.pdf", pixels)
        result[kind] = (doc, plain, archived)
    return result


@pytest.mark.parametrize("kind", ["pdf", "png"])
def test_pdfa_keeps_restored_text(made, kind):
    doc, plain, out = made[kind]
    text = pdftotext(out)
    assert cer(doc.text, text) < 0.01
    assert "khen thưởng" in norm(text)
    assert unicodedata.is_normalized("NFC", text)
    assert norm(text) == norm(pdftotext(plain))  # the conversion changed no word


@pytest.mark.parametrize("kind", ["pdf", "png"])
def test_pdfa_claims_pdfa_2b_and_is_well_formed(made, kind):
    import pypdf

    _, _, out = made[kind]
    assert pdfa_mod.pdfa_status(out) == "2B"
    with pikepdf.open(out) as pdf:
        assert len(pdf.Root.OutputIntents) == 1
        assert pdf.check_pdf_syntax() == []
    reader = pypdf.PdfReader(out, strict=True)
    assert len(reader.pages) == 1 and "khen" in reader.pages[0].extract_text()
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", "--check", str(out)], check=True, capture_output=True)


@pytest.mark.parametrize("kind", ["pdf", "png"])
def test_pdfa_keeps_page_images_byte_for_byte(made, kind):
    _, plain, out = made[kind]
    got = images(out)
    assert got and got == images(plain)


def test_pdfa_passes_pikepdf_validator(made):
    from pikepdf import pdfa

    for _, _, out in made.values():
        report = pdfa.validate_written(out, "2b")
        assert report.passed, report.findings


def test_pdfa_written_atomically(made):
    _, _, out = made["pdf"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["page.ocr.pdf", "plain.ocr.pdf"]


# ------------------------------------------------------------------ missing dependencies


def _empty_doc(source: str = "x.pdf") -> Document:
    page = Page(number=1, width=600, height=400, dpi=72)
    return Document(SourceInfo(source, "0" * 64, 1, "application/pdf"), [page])


def test_missing_ocrmypdf_is_one_line_exit_3(monkeypatch, tmp_path):
    def absent(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(pdfa_mod.importlib.metadata, "version", absent)
    with pytest.raises(MissingDependencyError) as err:
        pdfa_mod.write_pdfa(_empty_doc(), tmp_path / "in.pdf", tmp_path / "out" / "x.ocr.pdf")
    assert err.value.exit_code == ExitCode.missing_dependency == 3
    assert "pip install 'ocrmypdf>=17.13'" in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_old_ocrmypdf_refused(monkeypatch):
    monkeypatch.setattr(pdfa_mod.importlib.metadata, "version", lambda name: "16.10.4")
    with pytest.raises(MissingDependencyError, match="17.13 or newer, found 16.10.4"):
        pdfa_mod.ocrmypdf_version()


def test_bad_ghostscript_versions_not_used(monkeypatch):
    for version, usable in (((10, 0, 0), False), ((10, 2, 0), False), ((10, 2, 1), True),
                            ((9, 56, 1), True), ((9, 20), False), (None, False)):  # fmt: skip
        monkeypatch.setattr(pdfa_mod, "ghostscript_version", lambda v=version: v)
        assert pdfa_mod.ghostscript_available() is usable


def test_both_pdf_and_pdfa_write_one_pdfa(tmp_path):
    paths = output_paths(tmp_path, "doc", ("pdf", "pdfa", "alto"))
    assert "pdf" not in paths and paths["pdfa"] == tmp_path / "doc.ocr.pdf"
    assert output_paths(tmp_path, "doc", ("pdf",))["pdf"] == tmp_path / "doc.ocr.pdf"


@needs_ocrmypdf
def test_file_needing_ghostscript_is_missing_dependency(monkeypatch, tmp_path):
    """A source page with a non-embedded font cannot be approved without Ghostscript:
    one line naming Ghostscript, exit 3, and nothing left in the output folder."""
    source = tmp_path / "font.pdf"
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(300, 200))
        font = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        ))  # fmt: skip
        page.add_resource(font, pikepdf.Name.Font, pikepdf.Name.F1)
        page.contents_add(pikepdf.Stream(pdf, b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET"))
        pdf.save(source)
    monkeypatch.setattr(pdfa_mod, "ghostscript_available", lambda: False)
    outdir = tmp_path / "out"
    with pytest.raises(MissingDependencyError) as err:
        pdfa_mod.write_pdfa(_empty_doc("font.pdf"), source, outdir / "font.ocr.pdf")
    message = str(err.value)
    assert "Ghostscript" in message and "font" in message.lower() and "\n" not in message
    assert err.value.exit_code == ExitCode.pdfa_conversion_failed == 10  # that file only
    assert list(outdir.iterdir()) == []


@needs_tools
def test_cli_without_ocrmypdf_exits_3_before_any_work(monkeypatch, tmp_path, capsys):
    from ocr_pipeline import cli

    def absent(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(pdfa_mod.importlib.metadata, "version", absent)
    source = render(tmp_path)
    outdir = tmp_path / "out"
    code = cli.main(["run", str(source), "-o", str(outdir), "--output-type", "pdf,pdfa", "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 3
    assert len(err) == 1 and "ocrmypdf" in err[0].lower() and "Traceback" not in err[0]
    assert not outdir.exists() or not [p for p in outdir.rglob("*") if p.is_file()]
