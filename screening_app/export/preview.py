"""Render a clinician summary to PNG pages, so anyone can look at it without a PDF viewer.

    python -m screening_app.export.preview SUBMISSION --db PATH --out DIR [--scale 1.333]
    python -m screening_app.export.preview --pdf FILE --out DIR

Writes `DIR/summary-<id>.pdf` (first form) and `DIR/<pdf name>-page-01.png`, ... The
default scale (96/72) shows a page as a PDF viewer does at 100 % on an ordinary screen.
Needs pypdfium2 (in the `test` extra).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SCALE_100_PERCENT = 96 / 72


def render_pages(pdf: Path, out_dir: Path, scale: float = SCALE_100_PERCENT) -> list[Path]:
    """Every page of `pdf` as a PNG in `out_dir`; returns the PNG paths."""
    import pypdfium2 as pdfium

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=scale)
            target = out_dir / f"{pdf.stem}-page-{index + 1:02d}.png"
            bitmap.to_pil().save(target)
            written.append(target)
            bitmap.close()
            page.close()
    finally:
        document.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m screening_app.export.preview",
                                     description="render a clinician summary to PNG pages")
    parser.add_argument("submission", nargs="?", help="submission id or code")
    parser.add_argument("--db", default=None, help="database file or postgresql:// address")
    parser.add_argument("--pdf", type=Path, default=None, help="render this PDF instead")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PDF and PNGs")
    parser.add_argument("--scale", type=float, default=SCALE_100_PERCENT,
                        help="pixels per point (default: 100 %% on a 96 dpi screen)")
    args = parser.parse_args(argv)
    if (args.pdf is None) == (args.submission is None):
        parser.error("give a submission or --pdf FILE")
    pdf = args.pdf
    if pdf is None:
        from screening_app.export.pdf import export_pdf
        from screening_app.store import Store, StoreError

        args.out.mkdir(parents=True, exist_ok=True)
        try:
            with Store.open(args.db, existing=True, check=False) as store:
                submission_id = store.resolve_submission(args.submission)
                pdf = export_pdf(store, submission_id, args.out / f"summary-{submission_id}.pdf")
        except StoreError as error:
            print(f"error: {error.message}", file=sys.stderr)
            return 1
    for path in render_pages(pdf, args.out, args.scale):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
