#!/usr/bin/env python3
"""Opens a report.html in headless Chromium (Debian's) and checks what a person would see.

Checks: the page loads with no console error and no failed resource request; the DOM after
parsing holds the Pareto plot (an <svg class="pareto"> with at least one point) and the bounds
table; a screenshot is taken and is not blank (it has many distinct colours). Keeps the
screenshot beside the report (report.png) for a person to look at.

Usage: check_html.py REPORT.html [--min-points N]
Exit 0 when every check passes; 1 with a reason otherwise; 1 when Chromium is missing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run(browser, args, profile):
    base = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=120)


def png_colours(path):
    """Counts distinct pixel values of an 8-bit RGB/RGBA PNG (no third-party module)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            ctype = body[9]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    bpp = {2: 3, 6: 4}.get(ctype)
    if bpp is None:
        return 2  # palette or grey: do not judge
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours = set()
    i = 0
    for _ in range(height):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp * 4):
            colours.add(bytes(line[x:x + 3]))
        prev = line
    return len(colours)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 1
    report = os.path.abspath(sys.argv[1])
    min_points = int(sys.argv[sys.argv.index("--min-points") + 1]) if "--min-points" in sys.argv else 1
    browser = chromium()
    if not browser:
        print("FAIL: chromium not found (scripts/setup-deps.sh installs it)")
        return 1
    url = "file://" + report
    with tempfile.TemporaryDirectory() as profile:
        dom = run(browser, ["--dump-dom", url], profile)
    errors = [l for l in dom.stderr.splitlines()
              if re.search(r"CONSOLE\(|Uncaught|Failed to load resource|ERR_FILE_NOT_FOUND", l)]
    if dom.returncode != 0:
        print("FAIL: chromium exited %d: %s" % (dom.returncode, dom.stderr[-500:]))
        return 1
    if errors:
        print("FAIL: the page logged errors:\n" + "\n".join(errors))
        return 1
    html = dom.stdout
    if not re.search(r'<svg[^>]*class="pareto"', html):
        print("FAIL: no Pareto plot in the rendered DOM")
        return 1
    points = len(re.findall(r'<circle class="point"', html))
    if points < min_points:
        print("FAIL: the Pareto plot shows %d points, expected at least %d" % (points, min_points))
        return 1
    if 'id="bounds"' not in html:
        print("FAIL: no bounds table in the rendered DOM")
        return 1
    shot = os.path.splitext(report)[0] + ".png"
    with tempfile.TemporaryDirectory() as profile:
        r = run(browser, ["--screenshot=" + shot, "--window-size=1200,1600", "--hide-scrollbars", url], profile)
    if r.returncode != 0 or not os.path.exists(shot):
        print("FAIL: no screenshot: " + r.stderr[-500:])
        return 1
    colours = png_colours(shot)
    if colours < 8:
        print("FAIL: the screenshot is nearly blank (%d colours)" % colours)
        return 1
    print("OK: %d Pareto points, screenshot %s (%d colours sampled)" % (points, shot, colours))
    return 0


if __name__ == "__main__":
    sys.exit(main())
