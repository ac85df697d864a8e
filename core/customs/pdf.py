"""The commercial invoice and the packing list as PDF pages (fpdf2), from a `core.customs.papers.Papers`.

Text is shaped by HarfBuzz (`set_text_shaping`): Arabic letters join and a right-to-left name or street runs
as it is written. The font is one TrueType file with Latin and Arabic glyphs (IBM Plex Sans Arabic from its
package unless `[papers] font` names another); fpdf2 embeds the glyphs used, with a ToUnicode map so the text
can be searched and extracted. Change what is printed here and raise `papers.LAYOUT`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import fontpkg_ibm_plex_sans_arabic
from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from core.customs.models import ShipmentDocumentKind
from core.settings import PapersSettings

if TYPE_CHECKING:  # papers imports this module (lazily) to render: a type only, no cycle
    from core.customs.papers import Papers

PACKAGED = Path(fontpkg_ibm_plex_sans_arabic.ROOT) / "files"
TITLES = {
    ShipmentDocumentKind.COMMERCIAL_INVOICE: "COMMERCIAL INVOICE",
    ShipmentDocumentKind.PACKING_LIST: "PACKING LIST",
}
DECLARATION = (
    "I declare that the information on this invoice is true and correct, and that the goods are of the origin shown."
)


def fonts(settings: PapersSettings) -> tuple[Path, Path]:
    """(regular, bold): the configured files, else the packaged IBM Plex Sans Arabic."""
    regular = Path(settings.font) if settings.font else PACKAGED / "IBMPlexSansArabic-Regular.ttf"
    if settings.font_bold:
        bold = Path(settings.font_bold)
    else:
        bold = regular if settings.font else PACKAGED / "IBMPlexSansArabic-Bold.ttf"
    for path in (regular, bold):
        if not path.is_file():
            raise FileNotFoundError(f"[papers] font: no TrueType file at {path}")
    return regular, bold


def _kg(grams: int) -> str:
    return f"{Decimal(grams) / 1000:.3f}"


def render(papers: Papers, kind: ShipmentDocumentKind, settings: PapersSettings) -> bytes:
    regular, bold = fonts(settings)
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(datetime.fromisoformat(papers.date).replace(tzinfo=UTC))  # the paper's date, not the clock
    pdf.set_title(f"{TITLES[kind].title()} {papers.invoice_number}")
    pdf.set_author(papers.seller[0])
    pdf.add_font("paper", "", str(regular))
    pdf.add_font("paper", "B", str(bold))
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font("paper", "B", 16)
    pdf.cell(width, 9, TITLES[kind], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("paper", "", 9)
    facts = [
        ("Invoice number", papers.invoice_number),
        ("Date", papers.date),
        ("Order", str(papers.order_number)),
        ("Incoterm", papers.incoterm),
        ("Currency", papers.currency),
        ("Reason for export", papers.reason),
        ("Carrier", " ".join(p for p in (papers.carrier, papers.tracking_number) if p)),
    ]
    for label, value in facts:
        pdf.set_font("paper", "B", 9)
        pdf.cell(38, 5, f"{label}:")
        pdf.set_font("paper", "", 9)
        pdf.cell(width - 38, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    top, half = pdf.get_y(), (width - 6) / 2
    for offset, heading, rows in (
        (0.0, "Seller / exporter", papers.seller),
        (half + 6, "Buyer / consignee", papers.buyer),
    ):
        pdf.set_xy(pdf.l_margin + offset, top)
        pdf.set_font("paper", "B", 10)
        pdf.cell(half, 6, heading, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font("paper", "", 9)
        for row in rows:
            pdf.multi_cell(half, 5, row, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + 6 + 5 * max(len(papers.seller), len(papers.buyer))) + 4)

    invoice = kind is ShipmentDocumentKind.COMMERCIAL_INVOICE
    head: tuple[str, ...]
    widths: tuple[int, ...]
    if invoice:
        head = ("#", "Description", "HS code", "Origin", "Qty", "Unit value", "Total value", "Net kg", "Gross kg")
        widths = (6, 60, 20, 12, 10, 22, 24, 14, 14)
    else:
        head = ("#", "Description", "SKU", "HS code", "Origin", "Qty", "Net kg", "Gross kg")
        widths = (6, 74, 26, 20, 12, 10, 16, 18)
    align = ("LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")
    pdf.set_font("paper", "", 8)
    with pdf.table(
        col_widths=widths,
        text_align=align[: len(head)] if invoice else ("LEFT",) * 5 + ("RIGHT",) * 3,
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
        cell_fill_mode=TableCellFillMode.NONE,
        line_height=4.5,
        width=width,
    ) as table:
        header = table.row()
        for title in head:
            header.cell(title)
        for number, line in enumerate(papers.lines, start=1):
            table_row = table.row()
            if invoice:
                cells = [str(number), line.description, line.hs_code, line.origin, str(line.quantity)]
                cells += [line.unit_value, line.total_value]
            else:
                cells = [str(number), line.description, line.sku, line.hs_code, line.origin, str(line.quantity)]
            for text in (*cells, _kg(line.net_grams), _kg(line.gross_grams)):
                table_row.cell(text)
    pdf.ln(3)

    totals = [
        ("Total quantity", str(papers.total_quantity)),
        ("Total net weight", f"{_kg(papers.net_grams)} kg"),
        ("Total gross weight", f"{_kg(papers.gross_grams)} kg"),
    ]
    if invoice:
        totals.insert(0, ("Total declared value", f"{papers.currency} {papers.total_value}"))
    else:
        totals.append(("Packages", "1"))
    for label, value in totals:
        pdf.set_font("paper", "B", 9)
        pdf.cell(50, 5, f"{label}:")
        pdf.set_font("paper", "", 9)
        pdf.cell(width - 50, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font("paper", "", 8)
    if invoice:
        pdf.multi_cell(width, 4.5, papers.duties, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        pdf.multi_cell(width, 4.5, DECLARATION, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.multi_cell(
            width,
            4.5,
            f"Goods as listed on commercial invoice {papers.invoice_number}.",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.ln(8)
    pdf.cell(width, 5, f"For {papers.seller[0]}, {papers.date}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
