#!/usr/bin/env python3
"""The library never prints: no library source (src/ except src/cli/, the driver, which is the
one place that writes to the terminal, and the headers in include/dnnchip/) writes to stdout or stderr. Diagnostics are returned
(diag::Expected), progress goes to a diag::ProgressObserver the caller implements.

Flags, outside comments: std::cout/cerr/clog, <iostream>, printf/fprintf/puts/fputs/fwrite/
perror/putchar and their v- forms, stdout/stderr, STDOUT_FILENO/STDERR_FILENO, write(1|2, ...).
Not flagged: snprintf into a buffer, and Verilog system tasks ($fwrite, $display) in the
generated text. Before scanning the tree it proves itself on planted lines: each must be caught,
and each allowed line must pass, so the check cannot silently match nothing.

usage: check_library_silent.py SOURCE_DIR
"""
import pathlib
import re
import sys

FORBIDDEN = re.compile(
    r"std::(cout|cerr|clog)\b"
    r"|#\s*include\s*<iostream>"
    r"|(?<![\w$])(printf|fprintf|vprintf|vfprintf|puts|fputs|fwrite|perror|putchar)\s*\("
    r"|(?<![\w$])(stdout|stderr)(?!\w)"
    r"|\b(STDOUT_FILENO|STDERR_FILENO)\b"
    r"|(?<![\w$])write\s*\(\s*[12]\s*,"
)

PLANTED_BAD = [
    'std::cerr << "x";',
    '  std::cout << v << "\\n";',
    '#include <iostream>',
    'std::fprintf(stderr, "%d\\n", n);',
    'fprintf(stdout, "x");',
    'printf("%d", 3);',
    'std::puts("hi");',
    'fputs(s, f);',
    'perror("open");',
    'fflush(stderr);',
    'isatty(STDERR_FILENO)',
    '::write(2, buf, n);',
]
PLANTED_OK = [
    'std::snprintf(buf, sizeof buf, "%.3f", v);',
    'os << "      if (done) $fwrite(fd, \\"total %0d\\\\n\\", n);\\n";',
    '// goes to stderr only on a terminal',
    'int n = x; /* printf("%d") */',
    'const ssize_t k = ::write(fd, data, size);',
    'std::string stdoutText;',
]


def strip_comments(text):
    """Removes // and /* */ comments, keeping string literals (a "//" inside a string stays)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def offending_lines(text):
    return [(k + 1, line.strip()) for k, line in enumerate(strip_comments(text).split("\n"))
            if FORBIDDEN.search(line)]


def self_test():
    ok = True
    for line in PLANTED_BAD:
        if not offending_lines(line):
            print(f"check_library_silent: self-test: planted print not caught: {line}")
            ok = False
    for line in PLANTED_OK:
        if offending_lines(line):
            print(f"check_library_silent: self-test: allowed line flagged: {line}")
            ok = False
    return ok


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    if not self_test():
        return 1
    root = pathlib.Path(sys.argv[1])
    src = root / "src"
    files = sorted(p for p in src.rglob("*") if p.suffix in (".cpp", ".h") and p.relative_to(src).parts[0] != "cli")
    files += sorted((root / "include" / "dnnchip").rglob("*.h"))
    if len(files) < 2:
        print(f"check_library_silent: no sources under {root}")
        return 1
    bad = 0
    for p in files:
        for lineno, line in offending_lines(p.read_text(encoding="utf-8")):
            print(f"{p.relative_to(root)}:{lineno}: library code writes to a std stream: {line}")
            bad += 1
    if bad:
        print("return a diag::Diagnostic, or report through a diag::ProgressObserver; only src/cli prints")
        return 1
    print(f"check_library_silent: {len(files)} library files, none writes to stdout or stderr")
    return 0


if __name__ == "__main__":
    sys.exit(main())
