"""The messages of document reading, one template each: a located Problem for the caller to raise or list."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.errors import InputError
from verifier.model import Loc, Problem


@dataclass(frozen=True)
class Message:
    """A message template; `at` fills it and locates it."""

    template: str

    def text(self, **values: object) -> str:
        return self.template.format(**values)

    def at(self, loc: Loc | None, file: str, source_line: str | None = None, **values: object) -> InputError:
        if loc is None:
            return InputError(Problem(self.text(**values), file))
        return InputError(Problem(self.text(**values), file, loc.line, loc.column, source_line))


DOCS = "see docs/documents.md"
TOO_LARGE = Message("the document is larger than {limit} bytes; split it into smaller files")
BINARY = Message("not a text document: it holds binary data (a NUL byte) at byte {offset}")
NOT_UTF8 = Message("the document is not valid UTF-8")
NO_BLOCK = Message(
    "no ```verify-derivation block: a document is checked in place once it declares its notation "
    f"(run `verify-derivation init {{path}}` for a starter; {DOCS})"
)
TEX_NO_BLOCK = Message(
    "no verify-derivation declarations: a LaTeX document declares its notation in a `%```verify-derivation` "
    f"comment block or a verifyderivation environment (run `verify-derivation init {{path}}`; {DOCS})"
)
UNCLOSED_DISPLAY = Message("unclosed display math: this `{opening}` has no closing `{closing}`")
UNCLOSED_ENV = Message("unclosed environment: \\begin{{{env}}} has no \\end{{{env}}}")
UNCLOSED_BLOCK = Message("unclosed ```verify-derivation block: it has no closing fence")
UNKNOWN_COMMENT = Message(
    "unknown `% verify:` instruction {word!r}: write `% verify: skip`, `% verify: expect refuted` "
    "or `% verify: assume <relation>`"
)
EMPTY_ASSUME = Message("`% verify: assume` needs a relation, e.g. `% verify: assume i = j`")
AMBIGUOUS_EXPECT = Message(
    "`expect refuted` names the step on this line, but {count} steps start on it: name one by its place "
    "(`expect refuted 2` is the second) or put the slip on a line of its own"
)
BAD_NTH = Message(
    "`expect refuted {written}`: after `expect refuted` comes nothing or the place of the step on its line "
    "(1 for the first step compared with a predecessor, 2 for the second, …)"
)
NTH_OUT_OF_RANGE = Message(
    "`expect refuted {nth}` names step {nth} on line {line}, but {count} step(s) on it are compared with a predecessor"
)
NO_STEP_ON_LINE = Message("`{instruction}` names line {line}, which holds no step of a checked display")
BAD_VERIFY_TABLE = Message(
    '[verify] maps a line number to instructions, e.g. [verify] 57 = "expect refuted" or 57 = ["skip"]'
)
BAD_BARE = Message('`bare_functions` must be a list of words, e.g. ["log", "exp"]; allowed: {allowed}')
NO_CHAINS = Message(f"no display math after the declarations is a chain of equalities: nothing to check ({DOCS})")
NOT_A_DERIVATION = Message(
    "not a derivation file: expected a .toml derivation file, or a Markdown (.md) or LaTeX (.tex) "
    f"document, checked in place when it holds a ```verify-derivation block ({DOCS})"
)
UNBALANCED = Message("the braces of this display do not balance, so its steps cannot be told apart")
TOML_HINT = Message(
    " (a derivation file is TOML with [[chain]] tables; Markdown or LaTeX notes are checked in place "
    f"as .md or .tex documents: {DOCS})"
)
BAD_INHERIT = Message("`inherit` is true (the default: add to the earlier blocks) or false (start afresh)")
UNCONFIRMED = Message(
    "this declaration is marked `# confirm`: check what `verify-derivation init` guessed, then delete the mark"
)
