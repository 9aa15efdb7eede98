"""The teaching formats' languages: gettext catalogs extracted with Babel, complete, compiled correctly,
and a Chinese handout Chinese throughout (its fixed text; the author's own prose stays as written)."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
import sample
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from verifier import loader
from verifier.model import Report
from verifier.report import Audience, ReportOptions, get
from verifier.report.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, compile_mo, parse_po, translation

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
SOURCE = Path(LOCALE_DIR).parent / "report"


def _catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as fh:
        return read_po(fh)


def test_template_is_up_to_date_with_the_source() -> None:
    found = {m[2] if isinstance(m[2], str) else m[2][0] for m in extract_from_dir(SOURCE, keywords=KEYWORDS)}
    template = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(LOCALE_DIR / f"{DOMAIN}.pot") if m.id}
    assert found == template, "run the pybabel extract command of README's Development section"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_is_translated(lang: str) -> None:
    po = _catalog(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po")
    template = _catalog(LOCALE_DIR / f"{DOMAIN}.pot")
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    done = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in po
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    assert ids <= done, sorted(ids - done)


def test_compiled_catalog_reads_back_through_gettext() -> None:
    po = (LOCALE_DIR / "zh" / "LC_MESSAGES" / f"{DOMAIN}.po").read_text(encoding="utf-8")
    entries = parse_po(po)
    t = gettext.GNUTranslations(io.BytesIO(compile_mo(entries)))
    assert t.gettext("proved") == "已证明"
    assert t.ngettext("{n} step", "{n} steps", 5) == "{n} 步"
    assert translation("zh").gettext("refuted") == "已否定"
    assert translation("en").gettext("refuted") == "refuted"
    with pytest.raises(ValueError):
        translation("xx")


ENGLISH = re.compile(r"Checked by|\bwhere\b|\bStep \d|\bproved\b|\brefuted\b|Counterexample|Assuming|For example")


@pytest.mark.parametrize("fmt", ["markdown", "html", "latex"])
def test_chinese_handout_is_chinese_throughout(fmt: str) -> None:
    data = Path(__file__).resolve().parent.parent / "data" / "zh_handout.toml"
    report = Report((sample.fabricated(loader.load(data)),))
    buf = io.StringIO()
    get(fmt).write(report, buf, ReportOptions(standalone=True, lang="zh", audience=Audience.STUDENT))
    out = buf.getvalue()
    # drop the markup's own words (tags, commands, MathML) before looking for English prose
    text = re.sub(r"<[^>]*>|\\[A-Za-z]+|\{[a-z]+\}", " ", re.sub(r"(?s)<style>.*?</style>", "", out))
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert "已证明" in out or "已否定" in out
    assert "由 verify-derivation 检查" in out
