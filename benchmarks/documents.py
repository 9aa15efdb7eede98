"""Reading a large notes file: `python -m benchmarks.documents` times `load_document` (scan, blanking, chains;
no checking) on generated Markdown notes of 1 000 to 10 000 lines, to show that reading is linear in size.

Each section of the generated file has a heading, prose with inline math, an `aligned` display of three
steps with a `\\text` justification and a `\\tag`, and an update `w = w - \\eta a = …`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from verifier.documents import load_document

HEAD = """# Notes

```verify-derivation
[symbols]
a = "real"
b = "real"
w = "real"
'\\eta' = "positive"
```
"""
SECTION = """
## Section {k}

Some prose with inline $a + b$ and $w$ math, and a [link](https://example.com).

$$
\\begin{{aligned}}
(a + b)^2 &= a^2 + 2ab + b^2 \\quad \\text{{expand}} \\\\
&= b^2 + 2ab + a^2 \\tag{{{k}}}
\\end{{aligned}}
$$

$$ w = w - \\eta a = w - a \\eta $$
"""


def notes(lines: int) -> str:
    parts = [HEAD]
    total, k = HEAD.count("\n"), 0
    while total < lines:
        k += 1
        section = SECTION.format(k=k)
        parts.append(section)
        total += section.count("\n")
    return "".join(parts)


def measure(sizes: tuple[int, ...], runs: int) -> list[tuple[int, int, int, float]]:
    """(lines, characters, steps, best seconds of `runs`) for each size."""
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            text = notes(size)
            path = Path(folder) / f"notes-{size}.md"
            path.write_text(text, encoding="utf-8")
            best, steps = float("inf"), 0
            for _ in range(runs):
                start = time.perf_counter()
                derivations = load_document(path)
                best = min(best, time.perf_counter() - start)
                steps = sum(len(c.steps) for d in derivations for c in d.chains)
            out.append((text.count("\n"), len(text), steps, best))
    return out


SIZES = (1_000, 2_000, 5_000, 10_000)


def table(rows: list[tuple[int, int, int, float]], runs: int) -> list[str]:
    """The figures as a Markdown table: one row per size, with the time per 1 000 lines (flat when linear)."""
    out = [
        f"| lines | characters | steps | reading (best of {runs}) | per 1 000 lines |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for lines, chars, steps, seconds in rows:
        out.append(f"| {lines} | {chars} | {steps} | {seconds * 1000:.0f} ms | {seconds * 1e6 / lines:.0f} ms |")
    return out


def section(rows: list[tuple[int, int, int, float]], runs: int) -> list[str]:
    """The docs/benchmarks.md section (`python -m benchmarks` measures `rows` with the speed figures)."""
    return [
        "Reading a notes file checked in place (`load_document`: scanning, blanking and chain building, no "
        "checking) on generated Markdown notes: each section holds a heading, prose with inline math, an "
        "`aligned` display of three steps with a `\\text` justification and a `\\tag`, and an update "
        "`w = w - \\eta a = …` (`benchmarks/documents.py`). Reading is linear in the document's size when the "
        "time per 1 000 lines stays flat.",
        "",
        *table(rows, runs),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.documents", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="best of this many reads (default 3)")
    args = parser.parse_args()
    rows = measure(SIZES, args.runs)
    print("\n".join(table(rows, args.runs)))


if __name__ == "__main__":
    main()
