"""Scanning LaTeX: declarations, the title, display and inline math.

Declarations take a form that leaves the document compiling unchanged:
- a comment block, the Markdown fence behind `%` (no preamble needed):
      % ```verify-derivation
      % [symbols]
      % w = "real"
      % ```
- or an environment the document defines as a comment (`\\usepackage{comment}`,
  `\\excludecomment{verifyderivation}`): `\\begin{verifyderivation} … \\end{verifyderivation}`.
Comments elsewhere are passed over, except inside displays, where `% verify: …` instructions live.
"""

from __future__ import annotations

import re

from verifier.documents import messages
from verifier.documents.displays import DISPLAY_ENVIRONMENTS
from verifier.documents.markdown import BLOCK_INFO, environment_end
from verifier.documents.parts import Block, Display, Inline, Scan
from verifier.documents.source import Lines

ENVIRONMENT = "verifyderivation"
VERBATIM = frozenset({"verbatim", "verbatim*", "lstlisting", "minted", "comment", ENVIRONMENT})
_COMMENT_FENCE = re.compile(r"(?m)^[ \t]*%+[ \t]*```[ \t]*" + re.escape(BLOCK_INFO) + r"[ \t]*$")
_COMMENT_CLOSE = re.compile(r"(?m)^[ \t]*%+[ \t]*```[ \t]*$")
_COMMENT_LEAD = re.compile(r"(?m)^([ \t]*%+)")
_SPECIAL = re.compile(r"\\\\|\\[$%]|%|\$\$|\$|\\\[|\\\(|\\begin\{([^}\n]*)\}|\\(?:title|section\*?)\{")


def scan(text: str, lines: Lines) -> Scan:
    found = Scan()
    for opening in _COMMENT_FENCE.finditer(text):
        content = min(opening.end() + 1, len(text))
        close = _COMMENT_CLOSE.search(text, content)
        if close is None:
            raise lines.error(messages.UNCLOSED_BLOCK, opening.start())
        body = _COMMENT_LEAD.sub(lambda m: " " * len(m[1]), text[content : close.start()])
        found.blocks.append(Block(content, lines.line_of(content), body))
    _scan_body(text, lines, found)
    found.blocks.sort(key=lambda b: b.start)
    return found


def _scan_body(text: str, lines: Lines, found: Scan) -> None:
    position = 0
    end = len(text)
    while True:
        match = _SPECIAL.search(text, position)
        if match is None:
            return
        token, at = match[0], match.start()
        if token in ("\\\\", "\\$", "\\%"):
            position = match.end()
        elif token == "%":
            newline = text.find("\n", at)
            position = end if newline < 0 else newline
        elif token == "$$":
            close = text.find("$$", match.end())
            if close < 0:
                raise lines.error(messages.UNCLOSED_DISPLAY, at, opening="$$", closing="$$")
            found.displays.append(Display(match.end(), text[match.end() : close], True, "$$"))
            position = close + 2
        elif token == "\\[":
            close = text.find("\\]", match.end())
            if close < 0:
                raise lines.error(messages.UNCLOSED_DISPLAY, at, opening="\\[", closing="\\]")
            found.displays.append(Display(match.end(), text[match.end() : close], True, "\\["))
            position = close + 2
        elif token.startswith("\\begin"):
            env = match[1].strip()
            if env not in DISPLAY_ENVIRONMENTS and env not in VERBATIM:
                position = match.end()
                continue
            close = environment_end(text, env, match.end(), end)
            if close < 0:
                raise lines.error(messages.UNCLOSED_ENV, at, env=env)
            if env == ENVIRONMENT:
                inner = text[match.end() : close - len(f"\\end{{{env}}}")]
                start = match.end() + (1 if inner.startswith("\n") else 0)
                found.blocks.append(Block(start, lines.line_of(start), text[start : close - len(f"\\end{{{env}}}")]))
            elif env in DISPLAY_ENVIRONMENTS:
                found.displays.append(Display(at, text[at:close], True, f"\\begin{{{env}}}"))
            position = close
        elif token == "$":
            dollar = re.compile(r"(?<!\\)\$").search(text, match.end())
            if dollar is None:
                raise lines.error(messages.UNCLOSED_DISPLAY, at, opening="$", closing="$")
            found.inlines.append(Inline(match.end(), text[match.end() : dollar.start()]))
            position = dollar.end()
        elif token == "\\(":
            close = text.find("\\)", match.end())
            if close < 0:
                raise lines.error(messages.UNCLOSED_DISPLAY, at, opening="\\(", closing="\\)")
            found.inlines.append(Inline(match.end(), text[match.end() : close]))
            position = close + 2
        else:  # \title{ or \section{
            close = text.find("}", match.end())
            if close > 0 and (token.startswith("\\title") or found.title is None):
                found.title = " ".join(text[match.end() : close].split()) or found.title
            position = match.end()
