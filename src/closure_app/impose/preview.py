"""PNG previews of each sheet side, with the spine drawn, to see the fold before printing."""
from __future__ import annotations

from pathlib import Path

from closure_app.errors import UserError
from closure_app.impose.pdf import ImposeResult

PREVIEW_DPI = 50
SPINE_RGB = (220, 0, 0)
SPINE_DASH_PX = 6


def preview_pages(result: ImposeResult) -> list[tuple[Path, int, str]]:
    """(PDF, 0-based page, PNG name) for every sheet side the result wrote."""
    if len(result.outputs) == 2:   # manual duplex: fronts in order, backs last sheet first
        fronts, backs = result.outputs
        return ([(fronts, i, f"sheet{i + 1:02d}-front.png") for i in range(result.sheets)]
                + [(backs, i, f"sheet{result.sheets - i:02d}-back.png") for i in range(result.sheets)])
    (pdf,) = result.outputs
    return [(pdf, i, f"sheet{i // 2 + 1:02d}-{'front' if i % 2 == 0 else 'back'}.png")
            for i in range(2 * result.sheets)]


def preview_dir(out: Path) -> Path:
    return out.with_name(f"{out.stem}-preview")


def write_previews(result: ImposeResult, dest: Path) -> list[Path]:
    """Render each sheet side to ``dest``/sheetNN-front.png / -back.png; return the files."""
    try:
        import pypdfium2
        from PIL import ImageDraw
    except ImportError as exc:
        raise UserError(f"预览需要 pypdfium2 和 Pillow：{exc}") from None
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    documents: dict[Path, pypdfium2.PdfDocument] = {}
    try:
        for pdf, index, name in preview_pages(result):
            doc = documents.setdefault(pdf, pypdfium2.PdfDocument(str(pdf)))
            image = doc[index].render(scale=PREVIEW_DPI / 72).to_pil()
            draw = ImageDraw.Draw(image)
            spine = image.width // 2
            for y in range(0, image.height, 2 * SPINE_DASH_PX):
                draw.line([(spine, y), (spine, y + SPINE_DASH_PX)], fill=SPINE_RGB, width=1)
            path = dest / name
            image.save(path)
            written.append(path)
    finally:
        for doc in documents.values():
            doc.close()
    return written
