#!/usr/bin/env python3
"""Checks screenshots of Quintet's editor by their pixels (no image library needed).

    screenshot.py check  WINDOW.ppm [--loose] -> prints JSON facts, exits 1 if a view is missing
                                            (--loose: a picture zoomed out and sampled back up,
                                            whose one-pixel lines are blended with the panel)
    screenshot.py differ BEFORE.ppm AFTER.ppm -> prints JSON facts, exits 1 if the views did not change
    screenshot.py refused WINDOW.ppm L T R B  -> exits 1 unless the box L..R x T..B has a red frame
    screenshot.py dimmed BEFORE.ppm AFTER.ppm L T R B -> exits 1 unless that region faded into the panel

Regions follow the editor's layout in egui points at zoom 1 (src/editor.rs): header 0-26 px,
controls column 0-290 px, meter column the last 62 px, waveform and spectrum between them,
waveform above spectrum. Colours come from the editor: the trace colour (120, 220, 255), the
partials' colours PARTIAL_COLORS, egui's dark-theme panel and slider fill, and the red frame of
a value box whose typed text was refused (REFUSAL_COLOR in src/editor/param_slider.rs).
"""

import json
import sys

TRACE = (120, 220, 255)
PARTIAL_COLORS = [(255, 110, 110), (255, 185, 80), (125, 215, 135), (90, 180, 255), (190, 145, 255)]
CONTROLS_RIGHT = 290
METER_WIDTH = 62
HEADER_BOTTOM = 26
PANEL = (27, 27, 27)
REFUSAL = (255, 80, 80)
# A muted partial's row is drawn at 35 % opacity: how far it stands out from the panel (its mean
# luminance above the panel's) must fall to at most this share.
DIMMED_AT_MOST = 0.6


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    # Binary PPM: "P6\n<w> <h>\n<max>\n" then RGB bytes (imagemagick writes no comments).
    fields = data.split(maxsplit=4)
    assert fields[0] == b"P6", "not a binary PPM"
    width, height = int(fields[1]), int(fields[2])
    pixels = fields[4][: width * height * 3]
    return width, height, pixels


class Image:
    def __init__(self, path):
        self.width, self.height, self.pixels = read_ppm(path)

    def rgb(self, x, y):
        i = 3 * (y * self.width + x)
        return self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]

    def coords(self, x0, y0, x1, y1, predicate):
        # Row by row, each row's pixels zipped from one slice: the GUI test checks a dozen
        # screenshots, and indexing pixel by pixel took most of its Python time.
        x0, x1 = max(x0, 0), min(x1, self.width)
        found = []
        for y in range(max(y0, 0), min(y1, self.height)):
            row = self.pixels[3 * (y * self.width + x0) : 3 * (y * self.width + x1)]
            pixels = zip(row[0::3], row[1::3], row[2::3])
            found.extend((x, y) for x, color in enumerate(pixels, x0) if predicate(color))
        return found


def near(color, target, tolerance=40):
    (r, g, b), (tr, tg, tb) = color, target
    return abs(r - tr) <= tolerance and abs(g - tg) <= tolerance and abs(b - tb) <= tolerance


def traced(color, loose=False):
    """Whether a pixel belongs to the waveform or spectrum trace. A loose match takes the trace's
    colour blended with the dark background too (the proportions stay; egui's grey grid and
    its gray-blue fills do not have them)."""
    if not loose:
        return near(color, TRACE, 30)
    r, g, b = color
    return b >= 90 and g >= 0.6 * b and r <= 0.65 * b


def luminance(color):
    r, g, b = color
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def is_slider_fill(color):
    # egui's dark theme selection colour, rgb(0, 92, 128), a little brighter when hovered.
    r, g, b = color
    return r < 40 and 70 <= g <= 130 and 100 <= b <= 175 and b > g


def regions(image):
    views_left, views_right = CONTROLS_RIGHT + 4, image.width - METER_WIDTH - 4
    # Waveform takes the upper 45 % of the views' height, the spectrum the rest.
    split = HEADER_BOTTOM + int(0.47 * (image.height - HEADER_BOTTOM))
    return {
        "controls": (0, HEADER_BOTTOM, CONTROLS_RIGHT, image.height),
        "waveform": (views_left, HEADER_BOTTOM, views_right, split),
        "spectrum": (views_left, split, views_right, image.height),
        "meter": (image.width - METER_WIDTH, HEADER_BOTTOM, image.width, image.height),
    }


def slider_rows(image):
    """Rows of slider fills in the controls column: a list of (top, bottom, left, right)."""
    x0, y0, x1, y1 = regions(image)["controls"]
    rows = []
    for y in range(y0, y1):
        xs = [x for x in range(x0, x1) if is_slider_fill(image.rgb(x, y))]
        if len(xs) >= 8:
            if rows and rows[-1][1] == y - 1:
                top, _, left, right = rows[-1]
                rows[-1] = (top, y, min(left, min(xs)), max(right, max(xs)))
            else:
                rows.append((y, y, min(xs), max(xs)))
    return [row for row in rows if row[1] - row[0] >= 4]


def value_boxes(image, rows):
    """Each slider's value box, (left, right): the last run of non-panel pixels on its row's
    centre line in the controls column."""
    boxes = []
    for top, bottom, _, _ in rows:
        y = (top + bottom) // 2
        # Short of the panel's right edge, which has a border line.
        lit = [x for x in range(CONTROLS_RIGHT - 4) if not near(image.rgb(x, y), PANEL, 6)]
        right = lit[-1] if lit else None
        left = right
        while left is not None and left - 1 in lit:
            left -= 1
        boxes.append((left, right) if lit else None)
    return boxes


def mute_buttons(image, rows, boxes):
    """Centre (x, y) of each partial's M button: right-aligned with its value boxes, just above
    its frequency slider (rows 0, 2, 4, 6 and 8)."""
    buttons = []
    for k in range(0, min(len(rows), 10), 2):
        if boxes[k] is None:
            buttons.append(None)
            continue
        x = boxes[k][1] - 6
        y = (rows[k][0] + rows[k][1]) // 2
        # Up out of the value box, across the gap, then through the button.
        while y > 0 and not near(image.rgb(x, y), PANEL, 6):
            y -= 1
        while y > 0 and near(image.rgb(x, y), PANEL, 6):
            y -= 1
        bottom = y
        while y > 0 and not near(image.rgb(x, y), PANEL, 6):
            y -= 1
        buttons.append((x - 6, (y + bottom) // 2))
    return buttons


def mean_luminance(image, x0, y0, x1, y1):
    lums = [luminance(image.rgb(x, y)) for y in range(y0, y1) for x in range(x0, x1)]
    return sum(lums) / len(lums)


def glyph_widths(image):
    """Widths of the bright glyphs of the first word of the header ("Quintet")."""
    columns = [
        any(luminance(image.rgb(x, y)) > 150 for y in range(2, HEADER_BOTTOM - 2))
        for x in range(0, 200)
    ]
    widths, run, gap = [], 0, 0
    for lit in columns:
        if lit:
            if widths and gap > 8:
                break  # the end of the first word
            run, gap = run + 1, 0
        else:
            if run:
                widths.append(run)
            run, gap = 0, gap + 1
    return widths


def facts(image, loose=False):
    result = {"size": [image.width, image.height]}
    lums = [luminance(image.rgb(x, y)) for y in range(0, image.height, 3) for x in range(0, image.width, 3)]
    mean = sum(lums) / len(lums)
    result["luminance_stddev"] = (sum((l - mean) ** 2 for l in lums) / len(lums)) ** 0.5
    result["distinct_colours"] = len(
        {image.rgb(x, y) for y in range(0, image.height, 2) for x in range(0, image.width, 2)}
    )
    result["slider_rows"] = slider_rows(image)
    result["value_boxes"] = value_boxes(image, result["slider_rows"])
    result["mute_buttons"] = mute_buttons(image, result["slider_rows"], result["value_boxes"])
    result["header_glyph_widths"] = glyph_widths(image)
    for name in ("waveform", "spectrum"):
        x0, y0, x1, y1 = regions(image)[name]
        trace = image.coords(x0, y0, x1, y1, lambda c: traced(c, loose))
        xs = {x for x, _ in trace}
        ys = [y for _, y in trace]
        result[name] = {
            "trace_pixels": len(trace),
            "columns_covered": len(xs) / (x1 - x0),
            "vertical_span": (max(ys) - min(ys)) / (y1 - y0) if ys else 0.0,
        }
    x0, y0, x1, y1 = regions(image)["spectrum"]
    trace = image.coords(x0, y0, x1, y1, lambda c: near(c, TRACE, 30))
    markers, peaks = [], []
    for color in PARTIAL_COLORS:
        points = image.coords(x0, y0, x1, y1, lambda c, color=color: near(c, color, 15))
        if not points:
            markers.append(None)
            peaks.append(None)
            continue
        xs = sorted(x for x, _ in points)
        marker_x = xs[len(xs) // 2]
        markers.append(marker_x)
        # The top of the spectrum curve at the marker, as a fraction of the region's height.
        tops = [y for x, y in trace if abs(x - marker_x) <= 4]
        peaks.append((min(tops) - y0) / (y1 - y0) if tops else None)
    result["marker_x"] = markers
    result["peak_top_at_marker"] = peaks
    return result


def problems(f, loose=False):
    found = []
    if f["luminance_stddev"] < 10 or f["distinct_colours"] < 100:
        found.append("the window looks blank")
    # Frequency and level of each partial, the gain, then voices, attack, decay, sustain and
    # release (MIDI glide at 0 ms and the bend range at 2 of 96 show too little fill to count).
    # Below them the "Each partial" section starts, as much of it as the window's height shows
    # (its tab row and first sliders at the default size): those rows may or may not count.
    if not 16 <= len(f["slider_rows"]) <= 18:
        found.append(
            f"expected 16 sliders (5 partials x frequency and level, gain, voices and the four "
            f"envelope times) and at most two rows of the per-partial section, found "
            f"{len(f['slider_rows'])}"
        )
    widths = f["header_glyph_widths"]
    # "Quintet": 7 glyphs of several widths. Missing fonts draw identical boxes ("tofu").
    if len(widths) < 5 or len(set(widths)) < 3:
        found.append(f"header text does not look like glyphs (widths {widths})")
    wave = f["waveform"]
    if wave["columns_covered"] < 0.8 or wave["vertical_span"] < 0.4:
        found.append(f"no waveform across the scope: {wave}")
    spectrum = f["spectrum"]
    if spectrum["trace_pixels"] < 200 or spectrum["vertical_span"] < 0.3:
        found.append(f"no spectrum curve: {spectrum}")
    if loose:
        pass  # dashed one-pixel markers do not survive zooming out
    elif any(x is None for x in f["marker_x"]):
        found.append(f"missing partial markers in the spectrum: {f['marker_x']}")
    # Each partial (-14 dBFS on a 0 to -100 dB axis) peaks near the top, on its marker.
    elif any(top is None or top > 0.4 for top in f["peak_top_at_marker"]):
        found.append(f"the spectrum has no peak on every marker: {f['peak_top_at_marker']}")
    return found


def main():
    command = sys.argv[1]
    if command == "check":
        loose = "--loose" in sys.argv[3:]
        f = facts(Image(sys.argv[2]), loose)
        issues = problems(f, loose)
        print(json.dumps({"facts": f, "problems": issues}))
        return 1 if issues else 0
    if command == "refused":
        image = Image(sys.argv[2])
        x0, y0, x1, y1 = (int(a) for a in sys.argv[3:7])
        red = len(image.coords(x0, y0, x1 + 1, y1 + 1, lambda c: near(c, REFUSAL, 40)))
        print(json.dumps({"refusal_red_pixels": red}))
        # The 1.5 pt frame around an 88 x 18 pt box has about 300 red pixels.
        return 0 if red >= 100 else 1
    if command == "dimmed":
        before, after = Image(sys.argv[2]), Image(sys.argv[3])
        region = [int(a) for a in sys.argv[4:8]]
        above = [mean_luminance(image, *region) - luminance(PANEL) for image in (before, after)]
        print(json.dumps({"luminance_above_panel": above, "share": above[1] / above[0]}))
        return 0 if above[1] <= DIMMED_AT_MOST * above[0] else 1
    if command == "differ":
        before, after = Image(sys.argv[2]), Image(sys.argv[3])
        changed = {}
        for name, (x0, y0, x1, y1) in regions(before).items():
            count = sum(
                1
                for y in range(y0, y1, 2)
                for x in range(x0, x1, 2)
                if before.rgb(x, y) != after.rgb(x, y)
            )
            changed[name] = count / (((x1 - x0) // 2) * ((y1 - y0) // 2))
        marker_before, marker_after = facts(before)["marker_x"][0], facts(after)["marker_x"][0]
        issues = []
        if changed["waveform"] < 0.02:
            issues.append("the waveform did not change")
        if changed["spectrum"] < 0.01:
            issues.append("the spectrum did not change")
        if marker_before is None or marker_after is None or marker_after <= marker_before + 5:
            issues.append(f"partial 1's marker did not move right: {marker_before} -> {marker_after}")
        print(
            json.dumps(
                {"changed_fraction": changed, "marker1_x": [marker_before, marker_after], "problems": issues}
            )
        )
        return 1 if issues else 0
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    sys.exit(main())
