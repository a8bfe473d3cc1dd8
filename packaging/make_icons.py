"""Draw StarCoach's icon: resources/icons/starcoach.svg, PNGs at 256/128/64/48 px, and the
Windows (.ico) and macOS (.icns) icons the spec uses on those systems.

The SVG is the source; everything else is rendered from it with Qt's SVG renderer, so they
never drift. Run it again after changing the design:

    .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import math
import os
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (256, 128, 64, 48)
ICO_SIZES = (256, 128, 64, 48, 32, 24, 16)
# ICNS element types holding PNG data, by pixel size (Apple's "icns" format).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128),
    (b"ic08", 256), (b"ic09", 512), (b"ic10", 1024),
)  # fmt: skip


def star_points(cx: float, cy: float, outer: float, inner: float) -> str:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        points.append(f"{cx + radius * math.cos(angle):.1f},{cy + radius * math.sin(angle):.1f}")
    return " ".join(points)


def svg() -> str:
    star = star_points(128, 136, 86, 37)
    shadow = star_points(128, 142, 86, 37)
    root = 'xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"'
    return f"""<svg {root}>
  <title>StarCoach</title>
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3b4cca"/>
      <stop offset="1" stop-color="#1b2270"/>
    </linearGradient>
    <linearGradient id="gold" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#ffe27a"/>
      <stop offset="1" stop-color="#f5a21b"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="54" ry="54" fill="url(#bg)"/>
  <polygon points="{shadow}" fill="#0d1247" fill-opacity="0.45"
           stroke="#0d1247" stroke-opacity="0.45" stroke-width="12" stroke-linejoin="round"/>
  <polygon points="{star}" fill="url(#gold)"
           stroke="url(#gold)" stroke-width="12" stroke-linejoin="round"/>
</svg>
"""


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon holding PNG-compressed images (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in sorted(pngs.items(), reverse=True):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(elements: list[tuple[bytes, bytes]]) -> bytes:
    """A macOS icon: a big-endian 'icns' header and one PNG element per size."""
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in elements)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    text = svg()
    (ICONS / "starcoach.svg").write_text(text, encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(text.encode()))
    if not renderer.isValid():
        print("the SVG did not parse", file=sys.stderr)
        return 1

    def png(size: int) -> bytes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise RuntimeError(f"could not encode a {size} px PNG")
        return bytes(data.data())

    rendered = {size: png(size) for size in {*SIZES, *ICO_SIZES, *(s for _, s in ICNS_TYPES)}}
    for size in SIZES:
        target = ICONS / f"starcoach-{size}.png"
        target.write_bytes(rendered[size])
        print(target)
    (ICONS / "starcoach.ico").write_bytes(ico({s: rendered[s] for s in ICO_SIZES}))
    (ICONS / "starcoach.icns").write_bytes(
        icns([(kind, rendered[size]) for kind, size in ICNS_TYPES])
    )
    print(ICONS / "starcoach.ico", ICONS / "starcoach.icns", sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
