"""A flowchart page as a PNG, drawn with Pillow from the same operations as its SVG (for the
Excel workbook, which shows pictures but not SVG). No other converter is needed: lines,
polygons, rounded rectangles, circles and text in Liberation Sans (or DejaVu Sans, or
Pillow's own font when neither is installed)."""

from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_FILES = {
    (False, False): ["LiberationSans-Regular.ttf", "DejaVuSans.ttf"],
    (True, False): ["LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"],
    (False, True): ["LiberationSans-Italic.ttf", "DejaVuSans-Oblique.ttf"],
    (True, True): ["LiberationSans-BoldItalic.ttf", "DejaVuSans-BoldOblique.ttf"],
}
FONT_DIRS = [
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/dejavu",
]
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


@cache
def _font(size, bold, italic):
    for name in FONT_FILES[(bold, italic)]:
        for folder in FONT_DIRS:
            path = Path(folder) / name
            if path.is_file():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _dashes(points, on=4.0, off=3.0):
    """The pieces of a dashed polyline."""
    pieces = []
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        if length == 0:
            continue
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        at = 0.0
        while at < length:
            end = min(at + on, length)
            pieces.append([(x0 + ux * at, y0 + uy * at), (x0 + ux * end, y0 + uy * end)])
            at = end + off
    return pieces


def render_png(ops, width, height, scale=2.0):
    """PNG bytes of a drawing `width` x `height` units, `scale` pixels per unit."""
    size = (round((width + 2) * scale), round((height + 2) * scale))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)

    def at(x, y):
        return ((x + 1) * scale, (y + 1) * scale)

    def stroke(width):
        return max(1, round(width * scale))

    for op in ops:
        kind = op[0]
        if kind == "rect":
            _kind, x, y, w, h, fill, rx, line = op
            box = [at(x, y), at(x + w, y + h)]
            fill = None if fill == "none" else fill
            if rx:
                draw.rounded_rectangle(
                    box, radius=rx * scale, fill=fill, outline="black", width=stroke(line)
                )
            else:
                draw.rectangle(box, fill=fill, outline="black", width=stroke(line))
        elif kind == "line":
            _kind, points, line, dashed = op
            pieces = _dashes(points) if dashed else [points]
            for piece in pieces:
                draw.line([at(*p) for p in piece], fill="black", width=stroke(line), joint="curve")
        elif kind == "poly":
            _kind, points, fill, line = op
            outline = "black" if line else None
            draw.polygon(
                [at(*p) for p in points], fill=fill, outline=outline, width=stroke(line or 1)
            )
        elif kind == "circle":
            _kind, x, y, r, fill, line = op
            draw.ellipse(
                [at(x - r, y - r), at(x + r, y + r)], fill=fill, outline="black", width=stroke(line)
            )
        elif kind == "text":
            _kind, x, y, text, anchor, font_size, bold, italic = op
            font = _font(round(font_size * scale), bold, italic)
            draw.text(at(x, y), text, fill="black", font=font, anchor=ANCHORS[anchor])
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
