"""The briefing as a 16:9 deck: PowerPoint (python-pptx) and PDF (HTML printed by Chromium).

Both formats share one layout, in inches, made for the back of a room: the title across the top,
the chart on the left, the sentence of finding large on the right with its n and the filters
under it, and the source line (with the boundary credit on map slides) at the foot. The title
slide names the dataset, the filters, the date and the boundary credit; the speaker notes carry
the figures behind each sentence, the method and the suppression rule.

The PDF is an HTML page per slide printed by the same Chromium that draws the charts: the
browser sets Chinese text with the system's Noto CJK fonts, which PDF libraries cannot easily
embed. Charts go into the PDF as SVG (sharp at any size) and into the PPTX as high-DPI PNG.
"""

from __future__ import annotations

import base64
import html
import math
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard.briefing.meta import DeckMeta
from dashboard.briefing.records import Briefing, Slide
from dashboard.export import fit
from dashboard.export.images import Renderer, captioned, font_stack, presentation
from dashboard.figures import theme
from dashboard.figures.text import display_width
from dashboard.i18n import t

# -- the layout (inches; both formats) ------------------------------------------------------------

SLIDE_W, SLIDE_H = 13.333, 7.5


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float


TITLE = Box(0.5, 0.3, 12.33, 1.0)
CHART = Box(0.35, 1.4, 8.3, 5.35)
TEXT = Box(8.95, 1.5, 4.0, 5.2)
FOOTER = Box(0.5, 6.88, 11.3, 0.5)
PAGE_NO = Box(12.0, 6.88, 0.85, 0.4)
#: The chart picture in CSS pixels: the slide canvas's (dashboard.export.fit, CHART at 144 px
#: an inch), drawn at PNG_SCALE for the PPTX; the screen draws the very same figure.
CHART_PX = fit.CHART_PX
PNG_SCALE = 2
CHART_FONT_PX = fit.CHART_FONT_PX
#: Finding sizes tried, largest first (points), and the other type sizes.
FINDING_SIZES = (28, 26, 24, 22, 20, 18, 16)
TITLE_SIZES = (30, 26, 22)
#: The footer (source line, page number) and each slide's own filters: ≥ 14 pt, readable on a
#: projected slide (11 pt was not).
N_SIZE, FILTERS_SIZE, FOOTER_SIZE = 18, 14, 14
#: Type of a native chart's axes, legend and row names (points).
NATIVE_FONT_PT = 16
#: PowerPoint's fonts: one that Chinese offices have, for Latin and East Asian text alike
#: (elsewhere PowerPoint substitutes its own CJK font).
PPTX_FONT = "Microsoft YaHei"
INK, MUTED, ACCENT = theme.INK, theme.MUTED, theme.NEED


def lines(text: str, size: float, box_width: float) -> int:
    """Lines `text` likely takes at `size` points in a box `box_width` inches wide.

    Cautious: a half-em is taken as 0.62 em (Latin in Microsoft YaHei or DejaVu Sans, the widest
    faces a deck meets), plus slack for word wrapping.
    """
    per_line = box_width * 72 / (size * 0.62)  # half-ems per line
    return sum(max(1, math.ceil(display_width(p) * 1.1 / per_line)) for p in text.split("\n"))


def fits(
    text: str, size: float, box_width: float, box_height: float, leading: float = 1.25
) -> bool:
    """Whether `text` at `size` points likely fits the box."""
    return lines(text, size, box_width) * size * leading / 72 <= box_height


def pick_size(text: str, sizes: Iterable[int], width: float, height: float) -> int:
    """The largest size at which `text` fits (the smallest one offered otherwise)."""
    sizes = list(sizes)
    return next((s for s in sizes if fits(text, s, width, height)), sizes[-1])


def finding_size(slide: Slide) -> int:
    """Room for the finding: the text box less the n and filters under it (and their spacing)."""
    n_height = lines(slide.n_text, N_SIZE, TEXT.width) * N_SIZE * 1.25 + 18
    filters_height = lines(slide.filters, FILTERS_SIZE, TEXT.width) * FILTERS_SIZE * 1.3 + 10
    room = TEXT.height - (n_height + filters_height) / 72
    return pick_size(slide.finding, FINDING_SIZES, TEXT.width, room)


def title_size(text: str) -> int:
    return pick_size(text, TITLE_SIZES, TITLE.width, TITLE.height)


# -- pictures -------------------------------------------------------------------------------------


def chart_figure(slide: Slide, lang: str):
    """The slide's figure restyled for its place on the slide, its labels measured
    (dashboard.export.fit): the same figure the screen shows."""
    return fit.chart_for_slide(slide.figure, lang)


#: Told (slides done, slides in all) after each slide's chart is drawn: the export's progress.
Progress = Callable[[int, int], None]


def render(
    slides: list[Slide],
    renderer: Renderer,
    fmt: str,
    lang: str,
    progress: Progress | None = None,
) -> list[bytes]:
    """Every slide's chart as PNG (for PowerPoint) or SVG (for the PDF), in one browser; a
    slide PowerPoint draws as a native chart (`native.supported`) needs no picture (b"")."""
    from dashboard.export import native

    width, height = CHART_PX
    scale = PNG_SCALE if fmt == "png" else 1
    out: list[bytes] = []
    for i, s in enumerate(slides, start=1):
        if fmt == "png" and native.supported(s.figure):
            out.append(b"")
        else:
            out.append(
                renderer.image(chart_figure(s, lang), fmt, width=width, height=height, scale=scale)
            )
        if progress is not None:
            progress(i, len(slides))
    return out


# -- PowerPoint -----------------------------------------------------------------------------------


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _font(run, size: float, *, colour: str = INK, bold: bool = False, lang: str = "en") -> None:
    """Size, colour and the same typeface for Latin and East Asian text (python-pptx sets only
    the Latin one, so the East Asian one is written into the run's XML)."""
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(colour)
    run.font.name = PPTX_FONT
    rpr = run.font._element
    rpr.set("lang", "zh-CN" if lang == "zh" else "en-US")
    for tag in ("a:ea", "a:cs"):
        node = rpr.find(qn(tag))
        if node is None:
            node = rpr.makeelement(qn(tag), {})
            rpr.append(node)
        node.set("typeface", PPTX_FONT)


def _place(shape, box: Box) -> None:
    shape.left, shape.top = Inches(box.left), Inches(box.top)
    shape.width, shape.height = Inches(box.width), Inches(box.height)


def _paragraphs(frame, items: list[tuple[str, float, str, bool, int]], lang: str) -> None:
    """Fill a text frame: (text, size, colour, bold, space before in points) per paragraph."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for i, (text, size, colour, bold, before) in enumerate(items):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.space_before = Pt(before)
        para.line_spacing = 1.1
        run = para.add_run()
        run.text = text
        _font(run, size, colour=colour, bold=bold, lang=lang)


def _text_box(pptx_slide, box: Box, items: list, lang: str, anchor=MSO_ANCHOR.TOP):
    shape = pptx_slide.shapes.add_textbox(
        Inches(box.left), Inches(box.top), Inches(box.width), Inches(box.height)
    )
    frame = shape.text_frame
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Emu(0))
    _paragraphs(frame, items, lang)
    return shape


def _title_slide(prs: Presentation, meta: DeckMeta) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    _place(title, Box(0.8, 1.3, 11.7, 1.6))
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _paragraphs(
        title.text_frame, [(meta.title, title_size(meta.title) + 10, INK, True, 0)], meta.lang
    )
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    _place(subtitle, Box(0.8, 3.1, 11.7, 3.4))
    lines = [
        (meta.subtitle, 26, ACCENT, True, 0),
        (meta.dataset, 18, INK, False, 18),
        (meta.filters, 16, MUTED, False, 10),
        (meta.date, 16, MUTED, False, 10),
    ]
    if meta.skipped:
        lines.append((meta.skipped, 14, MUTED, False, 10))
    _paragraphs(subtitle.text_frame, lines, meta.lang)
    for para in subtitle.text_frame.paragraphs:
        para.alignment = PP_ALIGN.LEFT
    if meta.credit:
        _text_box(slide, FOOTER, [(meta.credit, FOOTER_SIZE, MUTED, False, 0)], meta.lang)
    slide.notes_slide.notes_text_frame.text = "\n".join(
        x for x in (meta.title, meta.dataset, meta.filters, meta.skipped, meta.credit) if x
    )


def _view_slide(prs: Presentation, slide: Slide, png: bytes, number: str, lang: str) -> None:
    out = prs.slides.add_slide(prs.slide_layouts[5])
    title = out.shapes.title
    _place(title, TITLE)
    title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _paragraphs(title.text_frame, [(slide.title, title_size(slide.title), INK, True, 0)], lang)
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    if png:
        with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
            tmp.write(png)
            tmp.flush()
            out.shapes.add_picture(
                tmp.name,
                Inches(CHART.left),
                Inches(CHART.top),
                Inches(CHART.width),
                Inches(CHART.height),
            )
    else:  # a chart PowerPoint draws itself: editable in the deck (dashboard.export.native)
        from dashboard.export import native

        box = (CHART.left, CHART.top, CHART.width, CHART.height)
        native.add_chart(out, slide.figure, box, NATIVE_FONT_PT, lang)
    _text_box(
        out,
        TEXT,
        [
            (slide.finding, finding_size(slide), INK, False, 0),
            (slide.n_text, N_SIZE, theme.RECEIVED, True, 18),
            (slide.filters, FILTERS_SIZE, MUTED, False, 10),
        ],
        lang,
    )
    _text_box(out, FOOTER, [(slide.source, FOOTER_SIZE, MUTED, False, 0)], lang)
    page = _text_box(out, PAGE_NO, [(number, FOOTER_SIZE, MUTED, False, 0)], lang)
    page.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    out.notes_slide.notes_text_frame.text = "\n".join(
        [slide.finding, slide.n_text, "", slide.notes]
    )


def write_pptx(
    briefing_slides: list[Slide],
    meta: DeckMeta,
    path: Path,
    renderer: Renderer | None = None,
    progress: Progress | None = None,
) -> Path:
    """The deck as PowerPoint: a title slide, then one slide per view (chart, finding, n, filters,
    source; details in the speaker notes). Bar charts and dumbbells are native PowerPoint
    charts; maps and heat maps are pictures drawn in `renderer` (one is started if none is
    given)."""
    pictures = _with_renderer(
        renderer, lambda r: render(briefing_slides, r, "png", meta.lang, progress)
    )
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    prs.core_properties.title = meta.title
    prs.core_properties.subject = meta.dataset
    prs.core_properties.author = "CareGap"
    _title_slide(prs, meta)
    total = len(briefing_slides)
    for i, (slide, png) in enumerate(zip(briefing_slides, pictures, strict=True), start=1):
        number = t("briefing.slide_of", meta.lang, i=i, n=total)
        _view_slide(prs, slide, png, number, meta.lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path


def _with_renderer(renderer: Renderer | None, work: Callable[[Renderer], object]):
    if renderer is not None:
        return work(renderer)
    with Renderer() as own:
        return work(own)


# -- PDF ------------------------------------------------------------------------------------------

CSS = """
@page { size: %(w)sin %(h)sin; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: %(font)s; color: %(ink)s; -webkit-print-color-adjust: exact; }
.slide { position: relative; width: %(w)sin; height: %(h)sin; overflow: hidden;
  page-break-after: always; break-after: page; background: white; }
.slide:last-child { page-break-after: auto; break-after: auto; }
.box { position: absolute; overflow: hidden; }
.title { font-weight: 700; display: flex; flex-direction: column; justify-content: center;
  line-height: 1.15; }
.finding { line-height: 1.25; }
.n { color: %(accent)s; font-weight: 700; margin-top: 18pt; }
.filters { color: %(muted)s; margin-top: 10pt; line-height: 1.3; }
.muted { color: %(muted)s; }
.chart { width: 100%%; height: 100%%; object-fit: contain; }
.cover-title { font-weight: 700; line-height: 1.15; }
.cover-sub { color: %(ink2)s; font-weight: 700; }
.cover p { margin: 0 0 10pt 0; }
"""

#: Shrinks any text box whose text still overflows (fonts measured by the browser itself).
FIT_SCRIPT = """
for (const box of document.querySelectorAll('[data-fit]')) {
  let size = parseFloat(getComputedStyle(box).fontSize);
  while (box.scrollHeight > box.clientHeight + 1 && size > 10) {
    size -= 1; box.style.fontSize = size + 'px';
  }
}
"""


def _style(box: Box) -> str:
    return f"left:{box.left}in;top:{box.top}in;width:{box.width}in;height:{box.height}in"


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _cover_html(meta: DeckMeta) -> str:
    lines = [
        f'<p class="cover-sub" style="font-size:26pt">{_esc(meta.subtitle)}</p>',
        f'<p style="font-size:18pt;margin-top:18pt">{_esc(meta.dataset)}</p>',
        f'<p class="muted" style="font-size:16pt">{_esc(meta.filters)}</p>',
        f'<p class="muted" style="font-size:16pt">{_esc(meta.date)}</p>',
    ]
    if meta.skipped:
        lines.append(f'<p class="muted" style="font-size:14pt">{_esc(meta.skipped)}</p>')
    credit = (
        f'<div class="box muted" style="{_style(FOOTER)};font-size:{FOOTER_SIZE}pt">'
        f"{_esc(meta.credit)}</div>"
        if meta.credit
        else ""
    )
    return (
        '<section class="slide cover">'
        f'<div class="box cover-title" data-fit style="{_style(Box(0.8, 1.3, 11.7, 1.6))};'
        f'font-size:{title_size(meta.title) + 10}pt"><div>{_esc(meta.title)}</div></div>'
        f'<div class="box" style="{_style(Box(0.8, 3.1, 11.7, 3.4))}">{"".join(lines)}</div>'
        f"{credit}</section>"
    )


def _slide_html(slide: Slide, svg: bytes, number: str) -> str:
    image = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return (
        '<section class="slide">'
        f'<div class="box title" data-fit style="{_style(TITLE)};'
        f'font-size:{title_size(slide.title)}pt">'
        f"<div>{_esc(slide.title)}</div></div>"
        f'<div class="box" style="{_style(CHART)}"><img class="chart" alt="" src="{image}"></div>'
        # the browser measures the text itself: start large, FIT_SCRIPT shrinks what overflows
        f'<div class="box" data-fit style="{_style(TEXT)};font-size:{FINDING_SIZES[0]}pt">'
        f'<div class="finding">{_esc(slide.finding)}</div>'
        f'<div class="n" style="font-size:{N_SIZE}pt">{_esc(slide.n_text)}</div>'
        f'<div class="filters" style="font-size:{FILTERS_SIZE}pt">{_esc(slide.filters)}</div>'
        "</div>"
        f'<div class="box muted" data-fit style="{_style(FOOTER)};font-size:{FOOTER_SIZE}pt">'
        f"{_esc(slide.source)}</div>"
        f'<div class="box muted" style="{_style(PAGE_NO)};font-size:{FOOTER_SIZE}pt;'
        f'text-align:right">{_esc(number)}</div>'
        "</section>"
    )


def deck_html(slides: list[Slide], svgs: list[bytes], meta: DeckMeta) -> str:
    """The deck as one HTML document, a page per slide (what the PDF is printed from)."""
    css = CSS % {
        "w": SLIDE_W,
        "h": SLIDE_H,
        "font": font_stack(meta.lang),
        "ink": INK,
        "ink2": ACCENT,
        "muted": MUTED,
        "accent": theme.RECEIVED,
    }
    total = len(slides)
    pages = [_cover_html(meta)] + [
        _slide_html(s, svg, t("briefing.slide_of", meta.lang, i=i, n=total))
        for i, (s, svg) in enumerate(zip(slides, svgs, strict=True), start=1)
    ]
    lang = "zh-CN" if meta.lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_esc(meta.title)}</title><style>{css}</style></head><body>"
        + "".join(pages)
        + f"<script>{FIT_SCRIPT}</script></body></html>"
    )


def write_pdf(
    briefing_slides: list[Slide],
    meta: DeckMeta,
    path: Path,
    renderer: Renderer | None = None,
    progress: Progress | None = None,
) -> Path:
    """The same deck as PDF pages, printed by Chromium from HTML (see `deck_html`)."""

    def work(r: Renderer) -> bytes:
        svgs = render(briefing_slides, r, "svg", meta.lang, progress)
        with tempfile.TemporaryDirectory(prefix="caregap-deck-") as tmp:
            page = Path(tmp) / "deck.html"
            page.write_text(deck_html(briefing_slides, svgs, meta), encoding="utf-8")
            return r.print_pdf(page)

    pdf = _with_renderer(renderer, work)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)  # type: ignore[arg-type]
    return path


# -- the whole export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    """What was written: `slides` views after the title slide (`pages` in all)."""

    path: Path
    slides: int
    skipped: list[str]
    seconds: dict[str, float]

    @property
    def pages(self) -> int:
        return self.slides + 1  # the title slide


def export_briefing(
    con,
    fmt: str,
    out: Path,
    *,
    lang: str,
    filters: str | None = None,
    renderer: Renderer | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """The default briefing for `filters` (a URL query) written as `fmt` ('pptx' or 'pdf')."""
    from dashboard.briefing.meta import deck_meta
    from dashboard.briefing.slides import build_sequence

    started = time.perf_counter()
    slides, skipped = build_sequence(con, filters, lang)
    meta = deck_meta(con, filters, lang, skipped, slides=slides)
    reasons = [s.reason for s in skipped]
    return _write(slides, meta, fmt, out, renderer, started, reasons, progress)


def export_views(
    con,
    briefing: Briefing,
    fmt: str,
    out: Path,
    *,
    filters: str | None = None,
    renderer: Renderer | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """A composed briefing (its views, in its language) written as `fmt` ('pptx' or 'pdf').

    The slides are computed again from the data (`open_briefing`). The title slide names the
    filters the slides use: theirs when they all share them, else says each slide has its own;
    `filters` (a URL query, e.g. the page's) only supplies the date range of the data.
    """
    from dashboard.briefing.meta import deck_meta
    from dashboard.briefing.slides import open_briefing

    started = time.perf_counter()
    slides = open_briefing(con, briefing)
    meta = deck_meta(con, filters, briefing.lang, slides=slides)
    return _write(slides, meta, fmt, out, renderer, started, [], progress)


def _write(
    slides: list[Slide],
    meta: DeckMeta,
    fmt: str,
    out: Path,
    renderer: Renderer | None,
    started: float,
    skipped: list[str],
    progress: Progress | None = None,
) -> ExportResult:
    computed = time.perf_counter()
    writer = write_pptx if fmt == "pptx" else write_pdf

    def work(r: Renderer) -> dict[str, float]:
        writer(slides, meta, out, r, progress)
        return dict(r.seconds)

    seconds = _with_renderer(renderer, work)
    seconds.update(data=computed - started, total=time.perf_counter() - started)
    return ExportResult(out, len(slides), skipped, seconds)


#: One chart exported on its own: its size in CSS pixels and the PNG's pixel scale.
PICTURE_PX = (1200, 800)
PICTURE_SCALE = 2


def slide_picture(slide: Slide, fmt: str, lang: str, renderer: Renderer | None = None) -> bytes:
    """A slide's chart on its own as PNG or SVG, with its title above and its n, filters and
    source (with the boundary credit on a map) below: what a chart must carry out of context."""
    width, height = PICTURE_PX
    styled = presentation(slide.figure, width=width, height=height, lang=lang)
    figure = captioned(styled, slide.title, [f"{slide.n_text} · {slide.filters}", slide.source])
    scale = PICTURE_SCALE if fmt == "png" else 1
    return _with_renderer(  # type: ignore[return-value]
        renderer,
        lambda r: r.image(figure, fmt, width=width, height=height, scale=scale),
    )
