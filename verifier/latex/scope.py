"""What a LaTeX string may refer to while it is read: the notation's names, plus a function's parameters."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import sympy

from verifier.latex import messages as m
from verifier.latex.errors import ReadError
from verifier.latex.names import Entry, Item, Pattern, Spelling, parse_spelling
from verifier.latex.shapes import Mat
from verifier.model import Layout
from verifier.notation import Family, FunctionSpec, IndexRange, Notation


@dataclass(frozen=True)
class VecInfo:
    """A vector or matrix as the reader uses it: its entry base, how many fixed indices it takes, its
    length (`comp`), and where its free indices sit among the family's indices (default: the last)."""

    spelling: str
    base: sympy.IndexedBase
    fixed: int
    comp: IndexRange | None  # None: a function's vector parameter, whose length comes from its partner
    free_at: tuple[int, ...] = (-1,)  # positions of the free indices (two for a matrix)
    ranges: tuple[IndexRange | None, ...] = ()  # the range of each free index
    row: bool = False

    def element(self, fixed: tuple[sympy.Expr, ...], free: tuple[sympy.Expr, ...]) -> sympy.Expr:
        """The family element with the written fixed indices and the given free ones."""
        n = len(fixed) + len(free)
        slots: list[sympy.Expr | None] = [None] * n
        for pos, value in zip(self.free_at, free, strict=True):
            slots[pos % n] = value
        rest = iter(fixed)
        return sympy.Indexed(self.base, *[v if v is not None else next(rest) for v in slots])


@dataclass
class Scope:
    """Names visible to the reader, by declared key."""

    entries: list[Entry] = field(default_factory=list)
    symbols: dict[str, sympy.Expr] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    vectors: dict[str, VecInfo] = field(default_factory=dict)
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    indices: dict[sympy.Symbol, IndexRange] = field(default_factory=dict)
    # vector functions whose body is not compiled yet (declaration order), for a clear message
    pending: set[str] = field(default_factory=set)
    # defined plain symbol (key) → every name its definition uses, through other definitions too;
    # `J(\theta)` with J defined in θ is refused as ambiguous (product or application?)
    uses: dict[str, frozenset[sympy.Basic]] = field(default_factory=dict)
    layout: Layout = Layout.DENOMINATOR
    # assumption words of each plain symbol: the domain on which an infinite series must converge
    words: dict[sympy.Symbol, frozenset[str]] = field(default_factory=dict)
    # a function's vector or matrix parameter (matrix_args) while its define is read: the Mat it stands for
    bound: dict[str, Mat] = field(default_factory=dict)
    # function key → the scope its define is read in (matrix_args functions, read at each application);
    # one dict shared by a scope and every body scope made from it, so a define may apply another
    bodies: dict[str, Scope] = field(default_factory=dict)
    # defined symbols whose value is a vector or matrix: key → (its declared Symbol, its value); read in
    # place of the name (a function parameter of the same spelling shadows it: its Symbol differs).
    # One dict shared by every body scope made from this one, filled as the definitions are read.
    shaped: dict[str, tuple[sympy.Symbol, Mat]] = field(default_factory=dict)


def pattern(content: tuple[str, ...] | None, index_names: set[str], key: str) -> Pattern | None:
    """A script as a pattern: declared index names are slots; `(i)`, `i,j`, `ij` shapes only."""
    if content is None:
        return None
    items: list[Item] = [("slot", v) if v in index_names else ("lit", v) for v in content]
    if not any(k == "slot" for k, _ in items):
        return tuple(items)
    inner = items
    if items[0] == ("lit", "(") and items[-1] == ("lit", ")"):
        inner = items[1:-1]
    for k, v in inner:
        if k == "lit" and v != ",":
            raise ReadError(m.FamilyScript(key), 0)
    return tuple(items)


def entry_for(
    kind: str, key: str, spelling: Spelling, index_names: set[str], form: tuple[int, int, int] | None = None
) -> Entry:
    """The resolver entry for a declared key (`form`: a conditional's call, P(v \\mid u; t))."""
    if kind in ("symbol", "function"):
        index_names = set()  # plain names and functions never take index slots
    return Entry(
        kind,
        key,
        spelling.base,
        pattern(spelling.sub, index_names, key),
        pattern(spelling.sup, index_names, key),
        form,
        spelling.primes,
    )


def body_scope(root: Scope, spec: FunctionSpec, vector_params: frozenset[str]) -> Scope:
    """The scope a function's define is read in: root's names, with the parameters shadowing any declared
    name of the same spelling. A parameter in `vector_params` (vector_args) is a vector whose components
    the define uses; one in spec.matrix_params is bound to a whole vector or matrix (`bound`, filled
    where the define is read); any other is a number."""
    entries: list[Entry] = []
    symbols = dict(root.symbols)
    vectors = dict(root.vectors)
    shadowed = set()
    for p in spec.params:
        sp = parse_spelling(p.name)
        shadowed.add((sp.base, sp.sub, sp.sup))
        if p.name in vector_params or p.name in spec.matrix_params:
            vectors[p.name] = VecInfo(p.name, sympy.IndexedBase(p), 0, None)
            entries.append(entry_for("vector", p.name, sp, set()))
        else:
            symbols[p.name] = p
            entries.append(entry_for("symbol", p.name, sp, set()))
    entries += [e for e in root.entries if (e.base, _lits(e.sub), _lits(e.sup)) not in shadowed]
    return dataclasses.replace(root, entries=entries, symbols=symbols, vectors=vectors, bound={})


def _lits(p: Pattern | None) -> tuple[str, ...] | None:
    return None if p is None else tuple(v for _, v in p)


def index_names_of(notation: Notation) -> set[str]:
    """The spellings of the declared indices."""
    return {k for k, s in notation.symbols.items() if s in notation.indices}


_CACHE: dict[int, tuple[Notation, Scope]] = {}


def scope_for(notation: Notation) -> Scope:
    """The reading scope of a compiled notation (cached per Notation object)."""
    hit = _CACHE.get(id(notation))
    if hit is not None and hit[0] is notation:
        return hit[1]
    idx = {_canon(k) for k in index_names_of(notation)}
    scope = Scope(indices=dict(notation.indices), layout=notation.layout, words=dict(notation.words))
    for key, sym in notation.symbols.items():
        scope.entries.append(entry_for("symbol", key, parse_spelling(key), idx))
        scope.symbols[key] = sym
    for key, fam in notation.families.items():
        scope.entries.append(entry_for("family", key, parse_spelling(key), idx))
        scope.families[key] = fam
    for key in notation.vectors:
        scope.entries.append(entry_for("vector", key, parse_spelling(key), idx))
        scope.vectors[key] = vec_info(notation, key)
    for key, fn in notation.functions.items():
        scope.entries.append(entry_for("function", key, parse_spelling(key), idx, fn.form))
        scope.functions[key] = fn
    for key in notation.indicators:
        scope.entries.append(entry_for("indicator", key, parse_spelling(key), idx))
    for key, value in notation.shaped.items():
        scope.shaped[key] = (notation.symbols[key], value)
    for key, sym in notation.symbols.items():
        if sym in notation.definitions:
            scope.uses[key] = _uses(sym, notation)
    for key, fn in notation.functions.items():
        if fn.matrix_params:
            scope.bodies[key] = body_scope(scope, fn, frozenset())
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[id(notation)] = (notation, scope)
    return scope


def _names_in(body: sympy.Basic) -> set[sympy.Basic]:
    return set(body.atoms(sympy.Symbol)) | {ix.base for ix in body.atoms(sympy.Indexed)}


def _uses(target: sympy.Basic, notation: Notation) -> frozenset[sympy.Basic]:
    """The names target's definition uses, directly or through the definitions it refers to."""
    seen: set[sympy.Basic] = set()
    todo = [target]
    while todo:
        definition = notation.definitions.get(todo.pop())
        if definition is None:
            continue
        for name in _names_in(definition.body) - seen:
            seen.add(name)
            todo.append(name)
    return frozenset(seen)


def vec_info(notation: Notation, key: str) -> VecInfo:
    """The reader's view of a declared vector or matrix."""
    vec = notation.vectors[key]
    indices = vec.family.indices
    free = vec.free or indices[-1:]
    free_at = tuple(indices.index(s) for s in free)
    ranges = tuple(notation.indices.get(s) for s in free)
    return VecInfo(key, vec.family.base, len(vec.fixed), ranges[0], free_at, ranges, vec.row)


def _canon(key: str) -> str:
    """The single token an index key spells (`i`, `\\ell`)."""
    return parse_spelling(key).base[0]
