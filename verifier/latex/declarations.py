"""compile_notation: a Derivation's [symbols] and [functions] → Notation, with every declaration checked."""

from __future__ import annotations

import dataclasses

import sympy

from verifier import words as assumption_words
from verifier.errors import InputError
from verifier.latex import messages as m
from verifier.latex.errors import ReadError, at_decl, located, suggest
from verifier.latex.names import Spelling, numeric_element, parse_spelling
from verifier.latex.reader import read_in_scope
from verifier.latex.scope import Scope, body_scope, entry_for, vec_info
from verifier.latex.shapes import COL, ROW, Fault, Mat, describe
from verifier.model import INDICATOR_WORD, Derivation, FunctionDecl, Loc, SymbolDecl, Tex
from verifier.notation import Definition, Family, FunctionSpec, IndexRange, Notation, Vector

# The assumption words and their SymPy flags are defined once, in verifier/words.py.
WORDS: dict[str, dict[str, bool]] = {name: assumption_words.flags((name,)) for name in assumption_words.WORDS}
_DISJOINT = assumption_words.DISJOINT


def _assumptions(decl: SymbolDecl) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for w in decl.assume:
        if w not in WORDS:
            raise at_decl(decl.loc, m.UnknownWord(w, decl.key, suggest(w, WORDS)))
        out.update(WORDS[w])
    for pair in _DISJOINT:
        if pair <= set(decl.assume):
            raise at_decl(decl.loc, m.ContradictoryWords(decl.key, " ".join(decl.assume)))
    return out


def _spell(key: str, loc: Loc) -> Spelling:
    try:
        return parse_spelling(key)
    except ReadError as err:
        raise at_decl(loc, m.UnreadableName(key, err.message)) from None


class _Compiler:
    """Builds the Notation in passes: indices, names, ranges, function bodies, definitions, cycle check."""

    def __init__(self, d: Derivation) -> None:
        self.d = d
        self.scope = Scope(layout=d.layout)
        self.symbols: dict[str, sympy.Symbol] = {}
        self.families: dict[str, Family] = {}
        self.vectors: dict[str, Vector] = {}
        self.functions: dict[str, FunctionSpec] = {}
        self.indices: dict[sympy.Symbol, IndexRange] = {}
        self.definitions: dict[sympy.Basic, Definition] = {}
        self.words: dict[sympy.Symbol, frozenset[str]] = {}
        self.scope.words = self.words  # the same dict: definitions read after the symbols see their words
        self.loc_of: dict[sympy.Basic, tuple[Loc, str]] = {}
        self.family_loc: dict[str, Loc] = {}
        self.index_tok: dict[str, sympy.Symbol] = {}  # index token (`i`, `\\ell`) → its Symbol
        self.indicators: set[str] = set()
        self.shaped: dict[str, Mat] = {}  # defined symbols whose value is a vector or matrix
        self.shaped_bodies: dict[str, sympy.Expr] = {}  # their defines' entries (in ROW, COL)

    def run(self) -> Notation:
        spellings = self._spellings()
        index_names = self._indices(spellings)
        self._names(spellings, index_names)
        self._vectors(spellings, index_names)
        self._function_heads()
        self._ranges()
        self._function_bodies()
        self._definitions(spellings)
        self._cycles()
        return Notation(
            symbols=dict(self.symbols),
            families=self.families,
            vectors=self.vectors,
            functions=self.functions,
            indices=self.indices,
            definitions=self.definitions,
            words=self.words,
            layout=self.d.layout,
            indicators=frozenset(self.indicators),
            shaped=self.shaped,
        )

    # -- pass 1: spellings, duplicates
    def _spellings(self) -> dict[str, Spelling]:
        seen: dict[Spelling, str] = {}
        out: dict[str, Spelling] = {}
        decls: list[SymbolDecl | FunctionDecl] = [*self.d.symbols, *self.d.functions]
        for decl in decls:
            sp = _spell(decl.key, decl.loc)
            if sp in seen:
                raise at_decl(decl.loc, m.DeclaredTwice(decl.key, seen[sp]))
            seen[sp] = decl.key
            out[decl.key] = sp
        return out

    # -- pass 2: index symbols (keys with a range)
    def _indices(self, spellings: dict[str, Spelling]) -> set[str]:
        names: set[str] = set()
        for decl in self.d.symbols:
            if decl.range is None:
                continue
            sp = spellings[decl.key]
            if len(sp.base) != 1 or sp.sub is not None or sp.sup is not None:
                raise at_decl(decl.loc, m.IndexShape(decl.key))
            if decl.define is not None or decl.components is not None:
                raise at_decl(decl.loc, m.IndexWithDefine(decl.key))
            if set(decl.assume) - {"integer"}:
                raise at_decl(decl.loc, m.IndexWords(decl.key))
            sym = sympy.Symbol(sp.text(), integer=True)
            self._add_symbol(decl, sym, frozenset({"integer"}))
            names.add(sp.base[0])
            self.index_tok[sp.base[0]] = sym
        return names

    def _add_symbol(self, decl: SymbolDecl, sym: sympy.Symbol, words: frozenset[str]) -> None:
        self.symbols[decl.key] = sym
        self.scope.symbols[decl.key] = sym
        self.words[sym] = words
        self.loc_of[sym] = (decl.loc, decl.key)

    # -- pass 3: plain symbols and families
    def _names(self, spellings: dict[str, Spelling], index_names: set[str]) -> None:
        for decl in self.d.symbols:
            sp = spellings[decl.key]
            if INDICATOR_WORD in decl.assume:
                self._indicator(decl, sp)
                continue
            kind = self._kind(decl, sp, index_names)
            if decl.range is not None:
                kind = "symbol"
            elif kind == "vector":
                continue
            else:
                if decl.define is not None and decl.assume:
                    raise at_decl(decl.loc, m.DefinedWithWords(decl.key))
                assumptions = _assumptions(decl)
                try:
                    if kind == "symbol":
                        self._add_symbol(decl, sympy.Symbol(sp.text(), **assumptions), frozenset(decl.assume))
                    else:
                        self._add_family(decl, sp, index_names, assumptions)
                except ValueError:  # SymPy's InconsistentAssumptions, e.g. "positive negative"
                    words = " ".join(decl.assume)
                    raise at_decl(decl.loc, m.ContradictoryWords(decl.key, words)) from None
            try:
                self.scope.entries.append(entry_for(kind, decl.key, sp, index_names))
            except ReadError as err:
                raise at_decl(decl.loc, err.what) from None
        self._no_shadowed_elements()
        # A family label equal to a symbol's name (L_i and L) or to another family's (x_i and x^{(i)}_j)
        # would be hit by substitutions of that symbol: wrap it in braces, which print as the same letter.
        taken = {s.name for s in self.symbols.values()}
        for key, fam in list(self.families.items()):
            label = fam.base.name
            while label in taken:
                label = "{" + label + "}"
            taken.add(label)
            if label != fam.base.name:
                base = sympy.IndexedBase(label, **fam.base.assumptions0)
                self.families[key] = Family(fam.spelling, base, fam.indices, fam.words)
                self.scope.families[key] = self.families[key]
            self.loc_of[self.families[key].base] = (self.family_loc[key], key)

    def _indicator(self, decl: SymbolDecl, sp: Spelling) -> None:
        """`I = "indicator"`: the name reads as the indicator of the relation in braces after it."""
        if sp.sub is not None or sp.sup is not None or decl.define or decl.range or decl.components:
            raise at_decl(decl.loc, m.IndicatorShape(decl.key))
        self.indicators.add(decl.key)
        self.scope.entries.append(entry_for("indicator", decl.key, sp, set()))

    def _no_shadowed_elements(self) -> None:
        """A plain symbol `w_0` next to a family `w_j`: `w_0` would name both; refuse the pair."""
        families = [e for e in self.scope.entries if e.kind == "family"]
        for e in self.scope.entries:
            if e.kind != "symbol" or (e.sub is None and e.sup is None):
                continue
            for fam in families:
                if numeric_element(fam, e):
                    decl = next(d for d in self.d.symbols if d.key == e.key)
                    raise at_decl(decl.loc, m.ShadowsElement(e.key, fam.key))

    def _kind(self, decl: SymbolDecl, sp: Spelling, index_names: set[str]) -> str:
        if decl.components is not None:
            return "vector"
        scripts = (sp.sub or ()) + (sp.sup or ())
        return "family" if any(v in index_names for v in scripts) else "symbol"

    def _add_family(
        self,
        decl: SymbolDecl,
        sp: Spelling,
        index_names: set[str],
        assumptions: dict[str, bool],
    ) -> None:
        try:
            entry = entry_for("family", decl.key, sp, index_names)
        except ReadError as err:
            raise at_decl(decl.loc, err.what) from None
        slots = entry.slot_names()
        if len(set(slots)) != len(slots):
            raise at_decl(decl.loc, m.FamilyIndexTwice(decl.key))
        indices = tuple(self.index_tok[s] for s in slots)
        base = sympy.IndexedBase(_render_base(sp), **assumptions)
        fam = Family(decl.key, base, indices, frozenset(decl.assume))
        self.families[decl.key] = fam
        self.scope.families[decl.key] = fam
        self.family_loc[decl.key] = decl.loc

    # -- pass 4: vectors
    def _vectors(self, spellings: dict[str, Spelling], index_names: set[str]) -> None:
        by_spelling = {spellings[k]: k for k in self.families}
        for decl in self.d.symbols:
            if decl.components is None or decl.range is not None:
                continue
            if decl.assume or decl.define is not None:
                raise at_decl(decl.loc, m.VectorWords(decl.key))
            comp = _spell(decl.components, decl.loc)
            fam_key = by_spelling.get(comp)
            if fam_key is None:
                hint = suggest(decl.components, self.families)
                raise at_decl(decl.loc, m.ComponentsNotFamily(decl.components, decl.key, hint))
            fam = self.families[fam_key]
            try:
                entry = entry_for("vector", decl.key, spellings[decl.key], index_names)
            except ReadError as err:
                raise at_decl(decl.loc, err.what) from None
            shown = entry.slot_names()
            spelled = tuple(self._index_spelling(s) for s in fam.indices)
            free = tuple(s for s, name in zip(fam.indices, spelled, strict=True) if name not in shown)
            fixed = tuple(s for s, name in zip(fam.indices, spelled, strict=True) if name in shown)
            if tuple(n for n in spelled if n in shown) != shown or not 1 <= len(free) <= 2:
                raise at_decl(decl.loc, m.VectorLeadingIndices(decl.key, decl.components))
            if decl.row and len(free) != 1:
                raise at_decl(decl.loc, m.RowMatrix(decl.key))
            self.vectors[decl.key] = Vector(decl.key, fam, fixed, free, decl.row)
            self.scope.entries.append(entry)

    def _index_spelling(self, sym: sympy.Symbol) -> str:
        return next(t for t, s in self.index_tok.items() if s == sym)

    # -- pass 5: function heads (bodies later: they may use any name)
    def _function_heads(self) -> None:
        for f in self.d.functions:
            sp = _spell(f.key, f.loc)
            if len(set(f.args)) != len(f.args):
                raise at_decl(f.loc, m.ParameterTwice(f.key))
            unknown = set(f.vector_args) - set(f.args)
            if unknown:
                raise at_decl(f.loc, m.VectorArgsUnknown(f.key, sorted(unknown)[0]))
            if f.vector_args and f.define is None:
                raise at_decl(f.loc, m.VectorFunctionNeedsDefine(f.key))
            unknown = set(f.matrix_args) - set(f.args)
            if unknown:
                raise at_decl(f.loc, m.MatrixArgsUnknown(f.key, sorted(unknown)[0]))
            if f.matrix_args and f.vector_args:
                raise at_decl(f.loc, m.MatrixAndVectorArgs(f.key))
            if f.matrix_args and f.define is None:
                raise at_decl(f.loc, m.VectorFunctionNeedsDefine(f.key))
            whole = set(f.vector_args) | set(f.matrix_args)
            params = tuple(sympy.Dummy(a) if a in whole else sympy.Dummy(a, real=True) for a in f.args)
            head = sympy.Function(sp.text())
            form = None
            if f.given or f.parameters:  # P(v \mid u; t): written with a bar and a semicolon
                form = (len(f.args) - len(f.given) - len(f.parameters), len(f.given), len(f.parameters))
            spec = FunctionSpec(
                f.key, head, params, None, frozenset(f.vector_args), form, frozenset(f.matrix_args)
            )
            self.functions[f.key] = spec
            self.scope.functions[f.key] = spec
            self.scope.entries.append(entry_for("function", f.key, sp, set(), form))
            if f.define is not None:
                self.loc_of[head] = (f.loc, f.key)

    # -- pass 6: index ranges
    def _ranges(self) -> None:
        pending = []
        for decl in self.d.symbols:
            if decl.range is None:
                continue
            sym = self.symbols[decl.key]
            lo, hi = (self._read(t, self.scope) for t in decl.range)
            pending.append((sym, lo, hi))
        for sym, lo, hi in pending:
            self.indices[sym] = IndexRange(sym, lo, hi)
            self.scope.indices[sym] = self.indices[sym]
        view = Notation(vectors=self.vectors, indices=self.indices)
        for key in self.vectors:
            self.scope.vectors[key] = vec_info(view, key)

    def _read(self, tex: Tex, scope: Scope) -> sympy.Expr:
        try:
            value = read_in_scope(tex, scope)
        except ReadError as err:
            raise located(tex, err) from None
        except RecursionError:
            raise located(tex, ReadError(m.NestedTooDeeply(), 0)) from None
        assert isinstance(value, sympy.Expr)
        return value

    # -- pass 7: function bodies, in a scope where the parameters shadow declared names
    def _function_bodies(self) -> None:
        for f in self.d.functions:
            if f.define is None:
                continue
            for name in f.args:
                _spell(name, f.loc)  # an unreadable parameter name is an error at the declaration
            spec = self.functions[f.key]
            local = body_scope(self.scope, spec, frozenset(f.vector_args))
            if spec.matrix_params:
                self._shaped_body(f, spec, local)
                continue
            body = self._vector_body(f, local) if f.vector_args else self._read(f.define, local)
            self.functions[f.key] = dataclasses.replace(spec, body=body)
            self.scope.functions[f.key] = self.functions[f.key]

    def _vector_body(self, f: FunctionDecl, local: Scope) -> sympy.Expr:
        """The body of a function of vector components; a define that is itself a vector or matrix is
        refused with the way to declare it (matrix_args)."""
        assert f.define is not None
        try:
            value = read_in_scope(f.define, local, shaped=True)
        except ReadError as err:
            if err.what == m.UnknownSize("\\mathbf{1} or I"):  # sized by the parameter: a vector
                raise at_decl(f.loc, m.VectorValuedDefine(f.key)) from None
            raise located(f.define, err) from None
        except RecursionError:
            raise located(f.define, ReadError(m.NestedTooDeeply(), 0)) from None
        if isinstance(value, Mat):
            raise at_decl(f.loc, m.VectorValuedDefine(f.key))
        if isinstance(value, Fault):
            raise located(f.define, ReadError(m.DefinitionNotFormed(f.key, value.message), value.offset))
        assert isinstance(value, sympy.Expr)
        return value

    def _shaped_body(self, f: FunctionDecl, spec: FunctionSpec, local: Scope) -> None:
        """A function of whole vectors or matrices (matrix_args): its define is read at each application,
        with the arguments in place. Here it is read once with each such parameter sized by context (a
        vector or matrix of any size), so that what does not depend on the arguments' shapes (names,
        syntax, an operation that can never be formed) is an error at the declaration."""
        assert f.define is not None
        local.bound.update(
            {p.name: Mat(None, None, sympy.Indexed(sympy.IndexedBase(p), ROW, COL)) for p in spec.params
             if p.name in spec.matrix_params}
        )  # fmt: skip
        try:
            value = read_in_scope(f.define, local, shaped=True)
        except ReadError as err:
            if not isinstance(err.what, m.UnknownSize):  # a size the arguments will fix
                raise located(f.define, err) from None
        except RecursionError:
            raise located(f.define, ReadError(m.NestedTooDeeply(), 0)) from None
        else:
            if isinstance(value, Fault):
                raise located(f.define, ReadError(m.DefinitionNotFormed(f.key, value.message), value.offset))
        local.bound.clear()
        self.functions[f.key] = dataclasses.replace(spec, shaped=f.define)
        self.scope.functions[f.key] = self.functions[f.key]
        self.scope.bodies[f.key] = local

    # -- pass 8: definitions of symbols and families
    def _definitions(self, spellings: dict[str, Spelling]) -> None:
        for decl in self.d.symbols:
            if decl.define is None:
                continue
            body = self._defined_value(decl)
            if isinstance(body, Mat):
                self._shaped_definition(decl.key, body)
                continue
            if decl.key in self.families:
                fam = self.families[decl.key]
                allowed = set(fam.indices)
                target: sympy.Basic = fam.base
                params: tuple[sympy.Symbol, ...] = fam.indices
            else:
                target = self.symbols[decl.key]
                allowed = set()
                params = ()
            free = sorted((s for s in body.free_symbols if s in self.indices and s not in allowed), key=str)
            if free:
                raise located(
                    decl.define,
                    ReadError(m.DefinitionUsesIndex(decl.key, str(free[0])), 0),
                )
            self.definitions[target] = Definition(body, params)
        self._shaped_read_in_place()

    def _shaped_definition(self, key: str, value: Mat) -> None:
        """A defined vector or matrix is read as a declared one whose entries are a defined family: its
        entry (r, c) is h[r, c], defined as the define's entry there. So a step written with h means its
        define's entries once unfolded, and a derivative with respect to h, or the chain rule through
        it, unfolds through those entries like any defined family element (∂J/∂h holds h[r, c] while
        differentiating J). The base's label is a Dummy: it never meets a declared family's base."""
        base = sympy.IndexedBase(sympy.Dummy(key))
        self.definitions[base] = Definition(value.entry, (ROW, COL))
        folded = Mat(value.rows, value.cols, sympy.Indexed(base, ROW, COL), 0, name=key)
        self.shaped[key] = folded
        self.shaped_bodies[key] = value.entry
        self.scope.shaped[key] = (self.symbols[key], folded)

    def _shaped_read_in_place(self) -> None:
        """A defined vector or matrix has its shape only once its define is read, so whatever was read before
        its define (an earlier define, a function's body) holds the bare name: a number that means
        nothing. That is refused, located at the define that uses it, never left to be misread."""
        if not self.shaped:
            return
        names = {self.symbols[k]: k for k in self.shaped}
        users: list[tuple[Tex, str, set[sympy.Basic]]] = []
        for decl in self.d.symbols:
            if decl.define is None:
                continue
            shaped = self.shaped_bodies.get(decl.key)
            body = shaped if shaped is not None else self.definitions[self._target(decl.key)].body
            users.append((decl.define, decl.key, body.free_symbols))
        for f in self.d.functions:
            spec = self.functions[f.key]
            if f.define is not None and spec.body is not None:
                users.append((f.define, f.key, spec.body.free_symbols))
        for tex, key, free in users:
            used = sorted((names[s] for s in free if s in names), key=str)
            if used:
                what = m.ShapedSymbolItself(key) if key in used else m.ShapedSymbolOrder(used[0], key)
                raise located(tex, ReadError(what, 0))

    def _target(self, key: str) -> sympy.Basic:
        return self.families[key].base if key in self.families else self.symbols[key]

    def _defined_value(self, decl: SymbolDecl) -> sympy.Expr | Mat:
        """A defined symbol's value: a number, or a vector or matrix of a known shape (read in place of
        the name wherever it is used). A defined family's element stays a number."""
        assert decl.define is not None
        try:
            value = read_in_scope(decl.define, self.scope, shaped=True)
        except ReadError as err:
            raise located(decl.define, err) from None
        except RecursionError:
            raise located(decl.define, ReadError(m.NestedTooDeeply(), 0)) from None
        if isinstance(value, Mat) and decl.key in self.families:
            raise located(decl.define, ReadError(m.VectorDefinedSymbol(decl.key, describe(value)), value.offset))
        if isinstance(value, Mat) and (value.rows is None or value.cols is None):
            raise located(decl.define, ReadError(m.UnknownSize("\\mathbf{1} or I"), value.offset))
        if isinstance(value, Fault):
            raise located(decl.define, ReadError(m.DefinitionNotFormed(decl.key, value.message), value.offset))
        if isinstance(value, Mat):
            return dataclasses.replace(value, offset=0, name=None, kind=None)
        assert isinstance(value, sympy.Expr)
        return value

    # -- pass 9: no definition may refer to itself, directly or through others
    def _cycles(self) -> None:
        graph: dict[sympy.Basic, set[sympy.Basic]] = {}
        for target, definition in self.definitions.items():
            graph[target] = self._refs(definition.body)
        for spec in self.functions.values():
            if spec.body is not None:
                graph[spec.head] = self._refs(spec.body)
        state: dict[sympy.Basic, int] = {}

        def visit(node: sympy.Basic, path: list[sympy.Basic]) -> None:
            state[node] = 1
            for nxt in sorted(graph.get(node, ()), key=str):
                if state.get(nxt) == 1:
                    cycle = [*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt]
                    loc, key = self.loc_of[nxt]
                    names = " → ".join(self.loc_of[n][1] for n in cycle)
                    raise at_decl(loc, m.DefinitionCycle(key, names))
                if state.get(nxt) is None and nxt in graph:
                    visit(nxt, [*path, nxt])
            state[node] = 2

        for node in sorted(graph, key=str):
            if state.get(node) is None:
                visit(node, [node])

    def _refs(self, body: sympy.Basic) -> set[sympy.Basic]:
        refs: set[sympy.Basic] = {s for s in body.free_symbols if s in self.definitions}
        refs |= {i.base for i in body.atoms(sympy.Indexed) if i.base in self.definitions}
        heads = {type(a) for a in body.atoms(sympy.core.function.AppliedUndef)}
        refs |= {
            h
            for h in heads
            if any(spec.head == h and spec.body is not None for spec in self.functions.values())
        }
        return refs


def _render_base(sp: Spelling) -> str:
    return Spelling(sp.base, None, None, sp.primes).text()  # x_i' is the family x'


def compile_notation(d: Derivation) -> Notation:
    """Compile the declarations of d (raises InputError at the offending declaration)."""
    try:
        return _Compiler(d).run()
    except InputError:
        raise
    except RecursionError:
        raise InputError.at(None, str(m.DeclarationsTooDeep()), d.file) from None
