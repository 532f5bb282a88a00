"""The deck read back: PowerPoint through python-pptx, PDF pages rendered with pdftoppm."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from dashboard.export.deck import fits, pick_size, write_pdf, write_pptx


def test_the_pptx_has_a_title_slide_then_one_slide_per_view(
    renderer, zh_slides, zh_meta, tmp_path: Path
) -> None:
    path = write_pptx(zh_slides, zh_meta, tmp_path / "deck.pptx", renderer)
    prs = Presentation(str(path))
    slides = list(prs.slides)
    assert len(slides) == 1 + len(zh_slides)
    assert round(prs.slide_width / prs.slide_height, 2) == round(16 / 9, 2)
    cover = slides[0]
    assert cover.shapes.title.text == zh_meta.title
    cover_text = " ".join(s.text_frame.text for s in cover.shapes if s.has_text_frame)
    assert zh_meta.date in cover_text and zh_meta.filters in cover_text
    assert zh_meta.credit in cover_text
    for view, made in zip(slides[1:], zh_slides, strict=True):
        assert view.shapes.title.text == made.title
        pictures = [s for s in view.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        charts = [s for s in view.shapes if s.has_chart]
        if made.is_map:  # a map is a picture; a dumbbell a native chart (test_export_native)
            assert len(pictures) == 1 and not charts
            assert pictures[0].image.content_type == "image/png"
            assert pictures[0].image.size[0] >= 2000  # high DPI for a projector
        else:
            assert len(charts) == 1 and not pictures
        sizes = [
            r.font.size.pt
            for s in view.shapes
            if s.has_text_frame
            for p in s.text_frame.paragraphs
            for r in p.runs
        ]
        assert min(sizes) >= 14  # the footer and page number too
        text = " ".join(s.text_frame.text for s in view.shapes if s.has_text_frame)
        assert made.finding in text and made.n_text in text and made.source in text
        notes = view.notes_slide.notes_text_frame.text
        assert made.finding in notes and "/map?lang=zh" in notes
    run = slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    ea = run.font._element.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
    assert ea is not None and ea.get("typeface")  # Chinese text has a typeface of its own


def test_the_pdf_has_the_same_pages_none_blank(
    renderer, pdftoppm: str, zh_slides, zh_meta, tmp_path: Path
) -> None:
    path = write_pdf(zh_slides, zh_meta, tmp_path / "deck.pdf", renderer)
    assert path.read_bytes()[:5] == b"%PDF-"
    subprocess.run([pdftoppm, "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 1 + len(zh_slides)
    for page in pages:
        image = Image.open(page).convert("L")
        assert image.size[0] > image.size[1]  # landscape, 16:9
        dark = sum(image.histogram()[:200])
        assert dark > 0.005 * image.size[0] * image.size[1], f"{page.name} is blank"


def test_the_pdf_embeds_a_cjk_font(renderer, zh_slides, zh_meta, tmp_path: Path) -> None:
    path = write_pdf(zh_slides[:1], zh_meta, tmp_path / "one.pdf", renderer)
    assert b"NotoSansCJK" in path.read_bytes()


def test_text_is_sized_to_fit_its_box() -> None:
    short, long = "41% need it.", "In Pingshun, " * 30
    assert pick_size(short, (28, 20, 16), 4.0, 3.0) == 28
    assert pick_size(long, (28, 20, 16), 4.0, 3.0) < 28
    assert fits("平顺县" * 10, 24, 4.0, 3.0)
