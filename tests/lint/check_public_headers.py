#!/usr/bin/env python3
"""Keeps the public API deliberate (docs/api.md). Every header under include/dnnchip/ is exactly
one of: public (included by the umbrella header include/dnnchip/dnnchip.h, installed) or internal
(listed in DNNCHIP_INTERNAL_HEADERS in CMakeLists.txt, not installed). A public header must not
include an internal one (an installed consumer could not compile it), and each internal header
says so in its \\file comment. A new header therefore fails this check until someone decides.

usage: check_public_headers.py SOURCE_DIR INTERNAL_HEADER...   (paths relative to include/dnnchip)
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"dnnchip/([^"]+)"', re.M)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    root = pathlib.Path(sys.argv[1]) / "include" / "dnnchip"
    internal = set(sys.argv[2:])
    umbrella = root / "dnnchip.h"
    if not umbrella.is_file():
        print(f"check_public_headers: {umbrella} is missing")
        return 1
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*.h")} - {"dnnchip.h"}
    public = set(INCLUDE.findall(umbrella.read_text(encoding="utf-8")))
    errors = []
    for h in sorted(internal - on_disk):
        errors.append(f"{h}: listed as internal in CMakeLists.txt but not under include/dnnchip/")
    for h in sorted(public - on_disk):
        errors.append(f"dnnchip.h includes {h}, which does not exist")
    for h in sorted(public & internal):
        errors.append(f"{h}: both in the umbrella header and in the internal list")
    for h in sorted(on_disk - public - internal):
        errors.append(f"{h}: neither public (include it from dnnchip.h) nor internal (list it in "
                      "DNNCHIP_INTERNAL_HEADERS); decide, and say so in docs/api.md")
    for h in sorted(public & on_disk):
        for inc in INCLUDE.findall((root / h).read_text(encoding="utf-8")):
            if inc in internal:
                errors.append(f"{h}: public header includes internal {inc}")
    for h in sorted(internal & on_disk):
        head = (root / h).read_text(encoding="utf-8")[:600]
        if "Internal:" not in head:
            errors.append(f"{h}: internal header without 'Internal:' in its \\file comment")
    for e in errors:
        print("check_public_headers: " + e)
    if errors:
        return 1
    print(f"check_public_headers: {len(public)} public and {len(internal)} internal headers, consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
