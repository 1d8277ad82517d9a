"""Draw the app icons (PNG) into webapp/static/icons. Run once after changing the design; the PNGs are committed.

The mark is abstract on purpose: a compass on a calm blue ground, no words. An icon that said 逾期 ("overdue") on
a phone's home screen would tell anyone who glances at it what the owner is going through.

Run: .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "webapp" / "static" / "icons"
GROUND = (29, 94, 140)
MARK = (255, 255, 255)
NEEDLE = (255, 196, 120)
SCALE = 4  # draw large, then downsample for smooth edges


def mark(draw: ImageDraw.ImageDraw, size: int, extent: float) -> None:
    """A compass ring and needle, centred, filling `extent` of the canvas."""
    c = size / 2
    r = size * extent / 2
    ring = r * 0.14
    draw.ellipse((c - r, c - r, c + r, c + r), outline=MARK, width=round(ring))
    n = r * 0.62
    w = r * 0.22
    draw.polygon([(c, c - n), (c + w, c), (c - w, c)], fill=NEEDLE)
    draw.polygon([(c, c + n), (c + w, c), (c - w, c)], fill=MARK)


def icon(size: int, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        # Full bleed; the mark stays inside the 80% safe zone that any mask shape keeps.
        draw.rectangle((0, 0, big, big), fill=GROUND)
        mark(draw, big, 0.5)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.22, fill=GROUND)
        mark(draw, big, 0.64)
    # A small palette keeps each file a few KB for readers on slow connections; the edges stay smooth.
    return image.resize((size, size), Image.Resampling.LANCZOS).quantize(colors=48, method=Image.Quantize.FASTOCTREE)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        icon(size, maskable=True).save(OUT / f"maskable-{size}.png", optimize=True)
    # iOS draws its own rounded corners and ignores transparency: the full-bleed version.
    icon(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    icon(32, maskable=False).save(OUT / "favicon-32.png", optimize=True)


if __name__ == "__main__":
    main()
