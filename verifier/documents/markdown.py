"""Scanning Markdown: fenced blocks (declarations), headings, display and inline math, formula images.

One pass over the text: fenced code and HTML comments are passed over (their `$` are not math); the
rest is searched for `$$ … $$`, `\\[ … \\]`, display environments, `$ … $`, `\\( … \\)` and
`<img … src=".../equation?tex=…" alt="…">` (Zhihu's exports). An image that starts its line (after
an optional mark such as ①) is a display; one inside a sentence is inline math.
"""

from __future__ import annotations

import html
import re
import urllib.parse

from verifier.documents import messages
from verifier.documents.displays import CIRCLED, DISPLAY_ENVIRONMENTS
from verifier.documents.parts import Block, Display, Inline, Scan
from verifier.documents.source import Lines

BLOCK_INFO = "verify-derivation"
_FENCE = re.compile(r"(?m)^( {0,3})(`{3,}|~{3,})[ \t]*([^\n]*)$")
_HEADING = re.compile(r"(?m)^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$")
_SPECIAL = re.compile(r"\\\$|\$\$|\$|\\\[|\\\(|\\begin\{([^}\n]*)\}|`+|<img\b|<!--")
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_LINE_LEAD = re.compile(r"[ \t>*+\-]*(?:[" + CIRCLED + r"]|\(\*+\)|\(\d+\))?[ \t]*$")


def scan(text: str, lines: Lines) -> Scan:
    found = Scan()
    front_end = _front_matter(text, found)
    position = front_end
    for fence in _fences(text, front_end, lines):
        start, end, info, content_start, content_end = fence
        _scan_text(text, position, start, lines, found)
        if info.split()[:1] == [BLOCK_INFO]:
            found.blocks.append(Block(content_start, lines.line_of(content_start), text[content_start:content_end]))
        position = end
    _scan_text(text, position, len(text), lines, found)
    found.headings = [(m.start(), m[1].strip()) for m in _HEADING.finditer(text, front_end)]
    fenced = [(start, end) for start, end, *_ in _fences(text, front_end, lines)]
    found.headings = [(at, h) for at, h in found.headings if not any(s <= at < e for s, e in fenced)]
    if found.title is None and found.headings:
        found.title = found.headings[0][1]
    return found


def _front_matter(text: str, found: Scan) -> int:
    """A YAML front matter's `title:` (blog engines); returns where the Markdown starts."""
    match = re.match(r"---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|$)", text, re.S)
    if match is None:
        return 0
    title = re.search(r"(?m)^title:[ \t]*(.+?)[ \t]*$", match[1])
    if title:
        found.title = title[1].strip("\"'")
    return match.end()


def _fences(text: str, start: int, lines: Lines) -> list[tuple[int, int, str, int, int]]:
    """Fenced code blocks: (start, end, info string, content start, content end)."""
    out: list[tuple[int, int, str, int, int]] = []
    position = start
    while True:
        opening = _FENCE.search(text, position)
        if opening is None:
            return out
        marker, info = opening[2], opening[3].strip()
        if marker[0] == "`" and "`" in info:  # not a fence: an inline code span at the start of a line
            position = opening.end()
            continue
        closing = re.compile(r"(?m)^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$")
        content_start = min(opening.end() + 1, len(text))
        close = closing.search(text, content_start)
        if close is None:
            if info.split()[:1] == [BLOCK_INFO]:
                raise lines.error(messages.UNCLOSED_BLOCK, opening.start())
            out.append((opening.start(), len(text), info, content_start, len(text)))
            return out
        out.append((opening.start(), close.end(), info, content_start, close.start()))
        position = close.end()


def _paragraph_end(text: str, start: int, end: int) -> int:
    blank = re.compile(r"\n[ \t]*\n").search(text, start, end)
    return blank.start() if blank else end


def _scan_text(text: str, start: int, end: int, lines: Lines, found: Scan) -> None:
    position = start
    while True:
        match = _SPECIAL.search(text, position, end)
        if match is None:
            return
        token = match[0]
        at = match.start()
        if token == "\\$":
            position = match.end()
        elif token == "<!--":
            close = text.find("-->", match.end(), end)
            position = end if close < 0 else close + 3
        elif token == "$$":
            close = text.find("$$", match.end(), end)
            if close < 0:
                raise lines.error(messages.UNCLOSED_DISPLAY, at, opening="$$", closing="$$")
            found.displays.append(Display(match.end(), _unquote(text, at, text[match.end() : close]), True, "$$"))
            position = close + 2
        elif token == "\\[":
            close = text.find("\\]", match.end(), end)
            if close < 0:
                raise lines.error(messages.UNCLOSED_DISPLAY, at, opening="\\[", closing="\\]")
            found.displays.append(Display(match.end(), _unquote(text, at, text[match.end() : close]), True, "\\["))
            position = close + 2
        elif token.startswith("\\begin"):
            env = match[1].strip()
            if env not in DISPLAY_ENVIRONMENTS:
                position = match.end()
                continue
            close = environment_end(text, env, match.end(), end)
            if close < 0:
                raise lines.error(messages.UNCLOSED_ENV, at, env=env)
            found.displays.append(Display(at, text[at:close], True, f"\\begin{{{env}}}"))
            position = close
        elif token == "$":
            stop = _paragraph_end(text, match.end(), end)
            dollar = re.compile(r"(?<!\\)\$").search(text, match.end(), stop)
            if dollar is None or dollar.start() == match.end():
                position = match.end()  # a lone dollar sign: prose
                continue
            found.inlines.append(Inline(match.end(), text[match.end() : dollar.start()]))
            position = dollar.end()
        elif token == "\\(":
            close = text.find("\\)", match.end(), _paragraph_end(text, match.end(), end))
            if close < 0:
                position = match.end()
                continue
            found.inlines.append(Inline(match.end(), text[match.end() : close]))
            position = close + 2
        elif token.startswith("`"):
            close = text.find(token, match.end(), end)
            position = match.end() if close < 0 else close + len(token)
        else:  # <img
            position = _image(text, match.start(), end, found)


def _unquote(text: str, at: int, body: str) -> str:
    """A display inside a block quote: the `>` that start its lines are blanked (same length)."""
    line_start = text.rfind("\n", 0, at) + 1
    if not re.match(r"[ \t]*>", text[line_start:at]):
        return body
    return re.sub(r"(?m)(?<=\n)([ \t]*>)", lambda m: " " * len(m[1]), body)


def environment_end(text: str, env: str, start: int, end: int) -> int:
    """The offset just after the `\\end{env}` that closes an environment opened before `start`, or -1."""
    pattern = re.compile(r"\\(begin|end)\{" + re.escape(env) + r"\}")
    depth = 1
    for match in pattern.finditer(text, start, end):
        depth += 1 if match[1] == "begin" else -1
        if depth == 0:
            return match.end()
    return -1


def _image(text: str, at: int, end: int, found: Scan) -> int:
    close = text.find(">", at, end)
    if close < 0:
        return at + 4
    attributes = {m[1].lower(): (m.start(2) if m[2] is not None else m.start(3), m[2] if m[2] is not None else m[3])
                  for m in _ATTRIBUTE.finditer(text, at, close)}  # fmt: skip
    src = attributes.get("src", (0, ""))[1]
    # unquote, not unquote_plus: Zhihu writes `p+1` for p + 1 in its URLs
    tex_param = re.search(r"[?&]tex=([^&]*)", src)
    tex_values = [urllib.parse.unquote(tex_param[1])] if tex_param else []
    if "equation" not in src or not (tex_values or "alt" in attributes):
        return close + 1
    if "alt" in attributes:
        start, raw = attributes["alt"]
        body = html.unescape(raw)
        exact = body == raw
    else:
        start, body, exact = attributes["src"][0], tex_values[0], False
    line_start = text.rfind("\n", 0, at) + 1
    if _LINE_LEAD.fullmatch(text, line_start, at):
        found.displays.append(Display(start, body, exact, "<img>", (at, close + 1)))
    else:
        found.inlines.append(Inline(start, body))
    return close + 1
