"""Render packaging/linux/petsapp-desktop.svg into packaging/windows/petsapp-desktop.ico.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/windows/make_ico.py

The .ico is committed (Windows builds use it: build.spec's EXE icon, the installer's
SetupIconFile); run this again after changing the SVG. Sizes below 256 px are stored as
32-bit bitmaps (what every part of Windows reads), 256 px as PNG (as Windows expects).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SVG = HERE.parent / "linux" / "petsapp-desktop.svg"
ICO = HERE / "petsapp-desktop.ico"
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)  # BGRA in memory on x86
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def dib_bytes(image: QImage) -> bytes:
    """A BITMAPINFOHEADER + bottom-up 32-bit BGRA pixels + an all-zero AND mask."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = [bytes(image.constScanLine(y))[: size * 4] for y in range(size)]
    mask_row = bytes(((size + 31) // 32) * 4)
    return header + b"".join(reversed(rows)) + mask_row * size


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)  # noqa: T201
        return 1
    images = [
        png_bytes(render(renderer, s)) if s >= 256 else dib_bytes(render(renderer, s))
        for s in SIZES
    ]
    offset = 6 + 16 * len(SIZES)
    directory = b""
    for size, data in zip(SIZES, images, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    ICO.write_bytes(struct.pack("<HHH", 0, 1, len(SIZES)) + directory + b"".join(images))
    print(f"wrote {ICO} ({ICO.stat().st_size} bytes)")  # noqa: T201
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
