"""The teaching reports through the real renderers: pdflatex or xelatex (the engine each file names)
compiles the LaTeX and pdftotext reads the text back, KaTeX renders the Markdown's math.

Locally a missing renderer skips these tests with a message; when the environment variable CI is
set they fail instead, so CI cannot pass without running them. `.ci/install-renderers` installs them:
  apt-get install -y texlive-latex-base texlive-latex-recommended texlive-xetex texlive-lang-chinese \
      fonts-noto-cjk poppler-utils chromium
  mkdir -p /opt/katex && npm install --prefix /opt/katex katex   (or point KATEX_DIR at a folder with katex)
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sample

from verifier import loader, model
from verifier.library import Target, builtins, load_target
from verifier.report import ReportOptions, get

IN_CI = bool(os.environ.get("CI"))
HOSTILE = r"[/] \input{/etc/hostname} $\write18{id}$ 100% & _ # ~ ^ {x} ::error::forged"


def _unavailable(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required when CI is set (see the module docstring for the install)")
    pytest.skip(f"{what} is not installed; see tests/integration/test_renderers.py for the install commands")


DATA = Path(__file__).resolve().parent.parent / "data"


def _reports() -> dict[str, model.Report]:
    """Fabricated reports (seed 000, hostile titles) and every built-in derivation with made-up verdicts."""
    out = {
        "seed-000": sample.report(),
        "seed-000-strict": sample.report(strict=True),
        "hostile-titles": sample.report(title=HOSTILE, chain_title=HOSTILE),
        "empty": model.Report(()),
    }
    for ident, entry in sorted(builtins().items()):
        # a document (derivations/notes-*.md) may hold several derivations, one per declarations block
        derivations = load_target(Target(entry.path, str(entry.path)))
        out[f"builtin-{ident}"] = model.Report(tuple(sample.fabricated(d) for d in derivations))
    out["chinese-handout"] = model.Report((sample.fabricated(loader.load(DATA / "zh_handout.toml")),))
    return out


REPORTS = _reports()


def _render(fmt: str, report: model.Report, standalone: bool = False, **options: object) -> str:
    buf = io.StringIO()
    get(fmt).write(report, buf, ReportOptions(standalone=standalone, **options))  # type: ignore[arg-type]
    return buf.getvalue()


# --- pdflatex ----------------------------------------------------------------------------------------


def _engine(tex: str) -> str:
    """The engine the file names on its first line (`% !TEX program = xelatex`), pdflatex for a fragment."""
    m = re.match(r"% !TEX program = (\w+)", tex)
    return m.group(1) if m else "pdflatex"


def _pdflatex(tex: str, tmp_path: Path, engine: str | None = None) -> tuple[int, str]:
    engine = engine or _engine(tex)
    exe = shutil.which(engine)
    if exe is None:
        _unavailable(engine)
    (tmp_path / "doc.tex").write_text(tex, encoding="utf-8")
    # Debian's default lets \input read any file: restrict reading and writing to the working folder.
    env = dict(os.environ, openin_any="p", openout_any="p")
    proc = subprocess.run(
        [str(exe), "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    log = (
        (tmp_path / "doc.log").read_text(errors="replace") if (tmp_path / "doc.log").exists() else proc.stdout
    )
    return proc.returncode, log


def _pdftotext(pdf: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        _unavailable("pdftotext (poppler-utils)")
    proc = subprocess.run([str(exe), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8")


def _cjk(text: str) -> list[str]:
    return re.findall(r"[\u4e00-\u9fff]+", text)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_standalone_latex_compiles(name: str, tmp_path: Path) -> None:
    tex = _render("latex", REPORTS[name], standalone=True)
    code, log = _pdflatex(tex, tmp_path)
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert code == 0 and not errors, f"{_engine(tex)} failed on {name}: {errors[:3]}\n{log[-2000:]}"
    assert (tmp_path / "doc.pdf").stat().st_size > 1000
    # every Chinese run of the source is typeset, none replaced by […]
    chinese = _cjk(tex)
    if chinese:
        assert _engine(tex) == "xelatex"
        shown = "".join(_pdftotext(tmp_path / "doc.pdf").split())
        missing = [run for run in chinese if run not in shown]
        assert not missing, f"Chinese text missing from the PDF of {name}: {missing[:5]}"
        assert "[…]" not in tex and r"[\dots]" not in tex
        if "①" in tex:  # the seeds' circled equation marks come from the CJK font (pdftotext reads ➀)
            assert "①" in shown or "➀" in shown


def test_chinese_handout_keeps_its_chinese_in_the_pdf(tmp_path: Path) -> None:
    report = REPORTS["chinese-handout"]
    tex = _render("latex", report, standalone=True, lang="zh", audience="student")
    assert tex.startswith("% !TEX program = xelatex\n")
    code, log = _pdflatex(tex, tmp_path)
    assert code == 0, log[-2000:]
    text = "".join(_pdftotext(tmp_path / "doc.pdf").split())
    for phrase in ("交叉熵损失对", "第一步：对", "常见错误：符号写反", "代入σ的定义", "本讲义逐步推导"):
        assert phrase in text, (phrase, text[:500])


def test_engine_option_is_obeyed_and_pdflatex_loses_chinese_visibly(tmp_path: Path) -> None:
    tex = _render("latex", REPORTS["chinese-handout"], standalone=True, engine="pdflatex")
    assert tex.startswith("% !TEX program = pdflatex\n") and r"[\dots]" in tex and not _cjk(tex)
    code, log = _pdflatex(tex, tmp_path)
    assert code == 0, log[-2000:]


def test_latex_fragment_compiles_inside_a_minimal_document(tmp_path: Path) -> None:
    body = _render("latex", REPORTS["seed-000"])
    doc = (
        "\\documentclass{article}\n\\usepackage{amsmath,amssymb,xcolor}\n\\begin{document}\n"
        + body
        + "\\end{document}\n"
    )
    code, log = _pdflatex(doc, tmp_path)
    assert code == 0, log[-2000:]


def test_hostile_title_is_typeset_not_executed(tmp_path: Path) -> None:
    tex = _render("latex", REPORTS["hostile-titles"], standalone=True)
    assert r"\input{" not in tex and r"\write18" not in tex
    code, log = _pdflatex(tex, tmp_path)
    assert code == 0, log[-2000:]


# --- KaTeX -------------------------------------------------------------------------------------------

_KATEX_SCRIPT = r"""
const katex = require(process.argv[1]);
const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const errors = [];
for (const [tex, display] of items) {
  try { katex.renderToString(tex, {throwOnError: true, displayMode: display}); }
  catch (e) { errors.push([tex, String(e.message)]); }
}
process.stdout.write(JSON.stringify(errors));
"""


def _katex_module() -> str | None:
    """Where `require` finds KaTeX: $KATEX_DIR, /opt/katex, or node's own resolution."""
    for folder in filter(None, [os.environ.get("KATEX_DIR"), "/opt/katex"]):
        for candidate in (Path(folder) / "node_modules" / "katex", Path(folder)):
            package = candidate / "package.json"
            if package.is_file() and json.loads(package.read_text()).get("name") == "katex":
                return str(candidate)
    node = shutil.which("node")
    if node is None:
        return None
    proc = subprocess.run(
        [node, "-e", "console.log(require.resolve('katex'))"], capture_output=True, text=True
    )
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def math_of(markdown: str) -> list[tuple[str, bool]]:
    """Every math expression of a Markdown document: `$$` blocks (display) and `$…$` (inline).

    In a table row, `\\|` is how a `|` is written inside a cell; GitHub unescapes it before the math.
    """
    block = re.compile(r"^\$\$\n(.*?)\n\$\$$", re.M | re.S)
    found = [(m, True) for m in block.findall(markdown)]
    rest = re.sub(r"```.*?```", "", block.sub("", markdown), flags=re.S)
    for line in rest.splitlines():
        if line.startswith("|"):
            line = line.replace(r"\|", "|")
        line = re.sub(r"`[^`]*`", "", line)
        found.extend((m, False) for m in re.findall(r"(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$", line))
    return found


def test_math_extraction_finds_blocks_and_inline_math() -> None:
    md = "# $a_i$\n\n$$\n\\begin{aligned}x &= y\\end{aligned}\n$$\n\n| 1 | $\\|x\\|$ | costs \\$5 |\n"
    assert math_of(md) == [("\\begin{aligned}x &= y\\end{aligned}", True), ("a_i", False), ("|x|", False)]


def test_markdown_math_renders_in_katex() -> None:
    module = _katex_module()
    node = shutil.which("node")
    if node is None or module is None:
        _unavailable("node with the katex package")
    items: list[tuple[str, bool]] = []
    for report in REPORTS.values():
        items.extend(math_of(_render("markdown", report)))
    assert len(items) > 100  # every chain and definition list contributes
    proc = subprocess.run(
        [str(node), "-e", _KATEX_SCRIPT, str(module)],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    errors = json.loads(proc.stdout)
    assert not errors, "\n".join(f"{msg}\n  in: {tex[:300]}" for tex, msg in errors[:5])


def test_katex_rejects_broken_math() -> None:
    """The KaTeX check itself can fail: an unbalanced brace is reported."""
    module = _katex_module()
    node = shutil.which("node")
    if node is None or module is None:
        _unavailable("node with the katex package")
    proc = subprocess.run(
        [str(node), "-e", _KATEX_SCRIPT, str(module)],
        input=json.dumps([["\\frac{1}{", True]]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert len(json.loads(proc.stdout)) == 1
