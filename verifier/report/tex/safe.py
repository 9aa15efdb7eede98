"""Which LaTeX from a file may be typeset as math: a command allowlist, names and numbers, steps as written."""

from __future__ import annotations

import re

from verifier.report.tex.escape import escape_text

# Commands a title or a remark may use in its math parts. Step LaTeX was already accepted by the
# reader's grammar; titles and prose were not, so their math is vetted before it reaches pdflatex or
# KaTeX: an unknown or dangerous command (\input, \def, \write ...) makes the text print verbatim.
_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi "
    "varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi "
    "Pi Sigma Upsilon Phi Psi Omega"
)
_MATH_COMMANDS = frozenset(
    (
        _GREEK + " frac dfrac tfrac sqrt sum prod int partial nabla cdot times div pm mp log ln exp sin cos "
        "tan sinh cosh tanh max min arg argmax argmin lim left right big Big bigg Bigg bigl bigr Bigl "
        "Bigr biggl biggr Biggl Biggr hat widehat bar overline tilde widetilde vec dot ddot mathbf "
        "boldsymbol mathrm mathit mathbb mathcal mathsf operatorname text textrm prime neq ne le leq ge geq "
        "approx sim simeq equiv propto to rightarrow leftarrow Rightarrow Leftrightarrow mapsto infty quad "
        "qquad ldots cdots dots in notin subset subseteq forall exists mid top intercal lbrace rbrace "
        "langle rangle lVert rVert lvert rvert vert Vert ell cdotp land lor neg"
    ).split()
)
_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
_ALLOWED_SYMBOL_COMMANDS = frozenset({",", ";", "!", ":", "{", "}", "|", "_", " "})


def is_safe_math(tex: str) -> bool:
    """True when `tex` is ASCII math that pdflatex and KaTeX both accept as far as a quick look can tell:
    known commands only, balanced braces, none of `# % & $` and no line breaks."""
    if not tex.strip() or not tex.isascii() or any(c in tex for c in "#%&$\n\r"):
        return False
    depth = 0
    for ch in tex.replace("\\{", "").replace("\\}", ""):
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    if depth != 0:
        return False
    for m in _COMMAND.finditer(tex):
        name = m.group(1)
        if name not in _MATH_COMMANDS and name not in _ALLOWED_SYMBOL_COMMANDS:
            return False
    return True


_ATOM = r"(?:[A-Za-z]+|\\[A-Za-z]+(?:\s*\{[A-Za-z]+\}|\s+[A-Za-z])?)"
_SCRIPT = r"(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|[A-Za-z0-9]|\\[A-Za-z]+)"
_NAME = re.compile(rf"{_ATOM}(?:_{_SCRIPT})?(?:\^{_SCRIPT})?|{_ATOM}\^{_SCRIPT}_{_SCRIPT}")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?:/\d+)?")


def is_math_name(spelling: str) -> bool:
    """A symbol spelling such as `w`, `x_i`, `\\hat{y}_i`, `x^{(i)}_j` that is safe to typeset as math."""
    return bool(_NAME.fullmatch(spelling.strip())) and is_safe_math(spelling)


def is_number(value: str) -> bool:
    return bool(_NUMBER.fullmatch(value.strip()))


def math_key(spelling: str) -> str:
    """A declared spelling as math: a Latin word (`eta`, `lr_i`) in upright-italic `\\mathit`, else as is."""
    m = re.fullmatch(r"([A-Za-z]{2,})(.*)", spelling)
    if m:
        return r"\mathit{" + m.group(1) + "}" + m.group(2)
    return spelling



def step_math(tex: str, ascii_only: bool = True) -> str:
    """A step as the author wrote it; text the quick check does not trust is shown verbatim instead.

    `ascii_only`: pdflatex needs non-ASCII mapped; KaTeX (Markdown) takes it as it is.
    """
    flat = " ".join(tex.split())
    if is_safe_math(flat):
        return flat
    return r"\text{\texttt{" + escape_text(flat, ascii_only=ascii_only) + "}}"

