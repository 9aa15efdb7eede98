"""Every message the reader gives, one small class each with its template (one catalogue, as pyflakes
keeps its messages.py).

A message is raised inside a `ReadError` (at an offset of the LaTeX string being read) or at a
declaration (`at_decl`). Templates use `string.Template` placeholders (`$name`), so that the LaTeX
braces they quote (`x_{ij}`, `\\frac{a}{b}`) stay literal. Fields ending in `hint` are optional
suffixes, already formatted (` (did you mean 'x_i'?)`) or empty.
"""

from __future__ import annotations

from string import Template
from typing import Any, ClassVar, dataclass_transform


@dataclass_transform(frozen_default=True)
class Message:
    """A reader message: the subclass's `template`, filled from its fields.

    Each subclass is a small frozen record whose fields are its annotations (with their defaults), like
    a frozen dataclass, but its methods are the ones written here, shared by all: a frozen dataclass
    compiles six methods per class, and 125 classes of that cost about 0.1 s at every start-up.
    """

    template: ClassVar[str] = ""
    field_names: ClassVar[tuple[str, ...]] = ()  # every field, the base class's first
    _defaults: ClassVar[dict[str, object]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [n for n, kind in vars(cls).get("__annotations__", {}).items() if not str(kind).startswith("ClassVar")]
        cls.field_names = tuple(dict.fromkeys([*cls.field_names, *own]))
        cls._defaults = {**cls._defaults, **{n: vars(cls)[n] for n in own if n in vars(cls)}}

    def __init__(self, *args: object, **kwargs: object) -> None:
        if len(args) > len(self.field_names):
            raise TypeError(f"{type(self).__name__} takes {len(self.field_names)} fields, {len(args)} given")
        values = dict(zip(self.field_names, args, strict=False))
        for name, value in kwargs.items():
            if name not in self.field_names or name in values:
                raise TypeError(f"{type(self).__name__}: unexpected or repeated field {name!r}")
            values[name] = value
        for name in self.field_names:
            if name not in values:
                if name not in self._defaults:
                    raise TypeError(f"{type(self).__name__}: missing field {name!r}")
                values[name] = self._defaults[name]
        self.__dict__.update(values)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, n) for n in self.field_names)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(self.field_names, self._values(), strict=True))
        return f"{type(self).__name__}({shown})"

    def __str__(self) -> str:
        return Template(self.template).substitute(dict(zip(self.field_names, self._values(), strict=True)))


# --------------------------------------------------------------------------------------------------
# scanning: characters, brackets, arguments, sizes


class TooLong(Message):
    template = "expression too long ($length characters, at most $limit)"
    length: int
    limit: int


class UnexpectedCharacter(Message):
    template = "unexpected character '$char'$hint"
    char: str
    hint: str = ""


class LineBreak(Message):
    template = "line break '\\\\' inside an expression: write one expression per step"


class Environment(Message):
    template = (
        "the environment \\begin{$name} is not read: a step is one expression; a vector is declared "
        "with components and written by its name (contract §5.1)"
    )
    name: str


class OperatorName(Message):
    template = "\\operatorname takes a name of letters in braces, as in \\operatorname{softmax}"


class EquationLabel(Message):
    template = (
        "'$label' looks like an equation label, which is not part of a step: leave it out "
        "(mention it in the step's `by`)"
    )
    label: str


class Dots(Message):
    template = (
        "'$dots' is not read: write the pattern as a sum, e.g. \\sum_{j=0}^{n} \\theta_j x_j for "
        "\\theta_0 + \\theta_1 x_1 + \\dots + \\theta_n x_n (j needs no declaration)"
    )
    dots: str


class ScientificNotation(Message):
    template = "scientific notation is not read: write $number \\cdot 10^{$power} for $written"
    number: str
    power: str
    written: str


class NumberTooLong(Message):
    template = "number too long ($digits digits, at most $limit)"
    digits: int
    limit: int


class BracketsTooDeep(Message):
    template = "brackets nested too deeply (more than $limit)"
    limit: int


class NothingToClose(Message):
    template = "unbalanced '$bracket': nothing to close"
    bracket: str


class ClosedByWrong(Message):
    template = "unbalanced '$opener': closed by '$closer' instead of '$expected'"
    opener: str
    closer: str
    expected: str


class NeverClosed(Message):
    template = "unbalanced '$bracket': never closed"
    bracket: str


class LimitTakesOneToken(Message):
    template = (
        "'^$bound$sign' takes only $bound as the upper limit: write ^{$bound$sign…} for the limit, "
        "or ^{$bound} ($sign…) for the summand"
    )
    bound: str
    sign: str


class MissingArgument(Message):
    template = "missing argument after '$owner'"
    owner: str


class DecimalArgument(Message):
    template = "put braces around the decimal argument of '$owner'"
    owner: str


class ScriptTakesOneDigit(Message):
    template = "'$mark$digits' takes only the digit $first in TeX: write $mark{$digits} or $mark{$first} $rest"
    mark: str
    digits: str
    first: str
    rest: str


class BracketArgument(Message):
    template = "a bracket cannot be the argument of '$owner': use braces"
    owner: str


class InvisibleBraces(Message):
    template = (
        "'$written' is ambiguous: braces group in TeX but print nothing, so the sum inside runs into "
        "its neighbours in print; write ($inner) with visible brackets"
    )
    written: str
    inner: str


# --------------------------------------------------------------------------------------------------
# names


class EmptyName(Message):
    template = "empty name"


class NoBaseLetter(Message):
    template = "'$key' has no base letter"
    key: str


class TextAfterScripts(Message):
    template = "'$key' is not a name: text after its scripts"
    key: str


class KeyTwoScripts(Message):
    template = "'$key' has two ${which}s"
    key: str
    which: str  # "subscript" or "superscript"


class DoubleSubscript(Message):
    template = "double subscript: use braces, e.g. x_{ij}"


class DoubleSuperscript(Message):
    template = "double superscript: use braces, e.g. (x^{a})^{b}"


class NumbersSideBySide(Message):
    template = "two numbers side by side: write \\cdot between them"


class Factorial(Message):
    template = "factorials are not supported"


class PrimeNotAfterFunction(Message):
    template = "a prime ' may only follow a declared function, as in \\sigma'(z)"


class BareBar(Message):
    template = (
        "a bare '|' is not supported here: write \\left| x \\right| or \\lvert x \\rvert for an "
        "absolute value; a conditioning bar belongs inside the call of a function declared with "
        "`given` (conditioning variables), as in P(y \\mid x)"
    )


class Unexpected(Message):
    template = "unexpected '$text'"
    text: str


class FunctionWord(Message):
    template = "undeclared name '$word' (did you mean $command?)"
    word: str
    command: str


class SuperscriptFamilyPower(Message):
    template = (
        "'$written' is ambiguous: an element of the family '$key' or a power? "
        "Declare the family with parentheses (x^{(i)}) to write elements as x^{(2)}"
    )
    written: str
    key: str


class TooManyPrimes(Message):
    template = "at most $limit primes: write a higher derivative as \\frac{d^{n}}{du^{n}} f(u)"
    limit: int


class PowerOfFunction(Message):
    template = "a power of a function is ambiguous here: write (f(u))^{2}"


class VectorScript(Message):
    template = "a vector takes only ^T (transpose) here"


class ParenthesisedPower(Message):
    template = (
        "'$written': a parenthesised superscript is an index, never a power, and no family "
        "is declared with it (for a power write {(x)}^{2})"
    )
    written: str


class DifferentialScripts(Message):
    template = "a differential \\mathrm{d} takes no scripts"


class UnsupportedCommand(Message):
    template = "unsupported command $command"
    command: str


class Undeclared(Message):
    template = "undeclared name '$name'$hint"
    name: str
    hint: str = ""


class FamilyScript(Message):
    template = "'$key': a family's script may hold only declared indices, e.g. x_i, x_{ij}, x^{(i)}"
    key: str


class DerivativeOrders(Message):
    template = (
        "the orders do not add up: $top on top, $bottom below (write \\frac{\\partial^2 L}{\\partial w^2} "
        "or \\frac{\\partial^2 L}{\\partial w \\partial b})"
    )
    top: int
    bottom: int


class DerivativeOrder(Message):
    template = "the order of a derivative is a whole number from 1 to $limit, not $order"
    order: str
    limit: int


# --------------------------------------------------------------------------------------------------
# parsing


class EmptyExpression(Message):
    template = "empty expression"


class ExpectedRelation(Message):
    template = "expected a relation such as 'i = j' or 'i \\neq j'"


class EndsTooEarly(Message):
    template = "the expression ends too early"


class FunctionNeedsParentheses(Message):
    template = "a function needs its argument in parentheses, before $before"
    before: str


class StrayD(Message):
    template = "undeclared name 'd' (a differential d appears only in \\frac{d}{dx})"


class RelationInStep(Message):
    template = "a step is one expression, not a relation: write each side as its own step"


class TransposeWithoutVector(Message):
    template = (
        "^T must follow what it transposes, a name or a bracket (a derivative is taken with respect to "
        "a vector as declared, without ^T)"
    )


class ParseSlip(Message):
    """A common mistake recognised by the parser state it leaves (reader._EXAMPLES), shown at a token."""

    at: str


class EmptyBrackets(ParseSlip):
    template = "empty brackets (at $at)"


class NoLeftOperand(ParseSlip):
    template = "an operator without a left operand (at $at)"


class NoRightOperand(ParseSlip):
    template = "an operator without a right operand (at $at)"


class StrayComma(ParseSlip):
    template = "a comma outside an argument list (at $at)"


class UnexpectedToken(Message):
    template = "unexpected $token$hint"
    token: str
    hint: str = ""


class NumberAfterFactor(Message):
    template = (
        "a number after a factor ('$number'): write the number first (2 x), use \\cdot, "
        "or 10^{5} for scientific notation"
    )
    number: str


class DeclaredD(Message):
    template = (
        "'d' is declared as a symbol, so this is a fraction, not a derivative: write "
        "\\frac{\\mathrm{d} y}{\\mathrm{d} x} or \\frac{\\partial y}{\\partial x}"
    )


class AmbiguousSlash(Message):
    template = "'a/b c' is ambiguous: write \\frac{a}{b c}, or \\frac{a}{b} c, or (a/b) c"


class ProductInIndex(Message):
    template = (
        "one index slot holds a product of names (x_{ij} read with a family of one "
        "index): write x_{i,j} for two indices, or x_{i \\cdot j} for a product"
    )


class AmbiguousBareArgument(Message):
    template = "'$name x y' is ambiguous: write $name(x y), or ($name x) y, or y $name x"
    name: str


class DefinedSymbolCall(Message):
    template = (
        "'$written' is ambiguous: '$name' is a defined symbol whose definition uses $args, so this "
        "reads as a product but looks like an application; declare '$name' in [functions] with "
        "parameters, declare the key '$written' as its spelling, or write $name \\cdot ($args)"
    )
    written: str
    name: str
    args: str


class NestedTooDeeply(Message):
    template = "expression nested too deeply"


# --------------------------------------------------------------------------------------------------
# building: values, vectors, functions, sums, derivatives


class VectorAsNumber(Message):
    template = (
        "the vector '$vector' is used where a number is needed $where "
        "(vectors appear only in dot products \\mathbf{w} \\cdot \\mathbf{x}, \\theta^T x, "
        "or as vector arguments of functions)"
    )
    vector: str
    where: str


class CrossProduct(Message):
    template = (
        "'\\times' before the vector '$vector' is a cross product, which is not supported "
        "(a dot product is written \\mathbf{w} \\cdot \\mathbf{x} or \\theta^T x)"
    )
    vector: str


class NotFinite(Message):
    template = "this expression divides by zero or is infinite (SymPy reads it as $shown)"
    shown: str


class ZeroOverZero(Message):
    template = (
        "this fraction divides by $shown, which is identically 0 (0/0): SymPy would cancel it to a number, "
        "so it is refused"
    )
    shown: str


class DotLengthUnknown(Message):
    template = "cannot tell the length of this dot product: neither vector is declared"


class DifferentLengths(Message):
    template = "'$a' and '$b' have different lengths ($range_a and $range_b)"
    a: str
    b: str
    range_a: str
    range_b: str


class ExponentTooLarge(Message):
    template = "exponent $exponent is too large (at most $limit)"
    exponent: str
    limit: int


class PowerTooLarge(Message):
    template = "this power has about $digits digits: too large"
    digits: int


class LogBase(Message):
    template = "a logarithm's base must be positive and not 1, not $base"
    base: str


class IndexNotInteger(Message):
    template = "an index must be an integer, not $value"
    value: str


class ArgumentCount(Message):
    template = "$name takes $expected argument$plural, got $got"
    name: str
    expected: int
    got: int
    plural: str = ""


class MaxMinArguments(Message):
    template = "$name takes at least two arguments, as in $name(a, b)"
    name: str


class NegativeFunctionPower(Message):
    template = (
        "'$name^{-1}' is ambiguous: the inverse function, or 1 over $name? "
        "Write \\arcsin-style names for the inverse, or \\frac{1}{$name x}"
    )
    name: str


class VectorFunctionPrime(Message):
    template = "the derivative $name' of a function of a vector is not supported"
    name: str


class PrimeNeedsOneArgument(Message):
    template = "$name' needs a function of one argument"
    name: str


class VectorFunctionOrder(Message):
    template = "$name must be declared before it is used (it takes a vector)"
    name: str


class VectorArgumentExpected(Message):
    template = "$name takes a vector for $param"
    name: str
    param: str


class MatrixArgumentExpected(Message):
    template = "$name takes a vector or matrix for $param (it is in matrix_args), not $a"
    name: str
    param: str
    a: str


class MatrixFunctionPrime(Message):
    template = "the derivative $name' of a function declared with matrix_args is not supported"
    name: str


class InDefinition(Message):
    template = "in the definition of $name, applied here: $inner"
    name: str
    inner: str


class ShapeInDefinition(Message):
    template = "$name($args): in its definition, $inner"
    name: str
    args: str
    inner: str


class NotAnIndex(Message):
    template = "'$name' is not a declared index (declare it with a range)"
    name: str


class BoundIndexNeedsLimits(Message):
    template = (
        "'$name' is not declared, so it is bound by this sum and needs both limits written, as in "
        "\\sum_{$name=1}^{N} (or declare $name with a range to write \\sum_$name)"
    )
    name: str


class BoundIndexOutside(Message):
    template = "'$name' is bound by this sum (it is not declared) but is also used outside it"
    name: str


class DerivativeByVector(Message):
    template = "derivatives with respect to a whole vector are not supported"


class DerivativeByIndex(Message):
    template = "'$name' is an index: a derivative is taken with respect to a variable"
    name: str


# --------------------------------------------------------------------------------------------------
# declarations


class UnknownWord(Message):
    template = "unknown assumption word '$word' for '$key'$hint"
    word: str
    key: str
    hint: str = ""


class ContradictoryWords(Message):
    template = "contradictory assumption words for '$key': $words"
    key: str
    words: str


class UnreadableName(Message):
    template = "cannot read the name '$key': $reason"
    key: str
    reason: str


class DeclaredTwice(Message):
    template = "'$key' is declared twice (also as '$other')"
    key: str
    other: str


class IndexShape(Message):
    template = "an index must be one letter or Greek command, not '$key'"
    key: str


class IndexWithDefine(Message):
    template = "the index '$key' cannot also have a define or components"
    key: str


class IndexWords(Message):
    template = "the index '$key' is an integer by its range; it takes no words"
    key: str


class DefinedWithWords(Message):
    template = "'$key' is defined, so it takes no assumption words"
    key: str


class FamilyIndexTwice(Message):
    template = "'$key' uses the same index twice"
    key: str


class ShadowsElement(Message):
    template = (
        "'$key' names the same thing as the element $key of the family '$family': declare only "
        "the family (and write $key for its element), or give the symbol another name"
    )
    key: str
    family: str


class VectorWords(Message):
    template = "the vector '$key' takes no words or define: declare its components"
    key: str


class ComponentsNotFamily(Message):
    template = "the components '$components' of '$key' are not a declared family$hint"
    components: str
    key: str
    hint: str = ""


class VectorLeadingIndices(Message):
    template = (
        "the vector '$key' must show the indices of '$components' that stay fixed, in order, and leave "
        "one free (a vector) or two (a matrix)"
    )
    key: str
    components: str


class ParameterTwice(Message):
    template = "'$key' lists a parameter twice"
    key: str


class VectorArgsUnknown(Message):
    template = "vector_args of '$key' names '$name', which is not in args"
    key: str
    name: str


class VectorFunctionNeedsDefine(Message):
    template = "'$key' takes a vector, so it needs a define"
    key: str


class MatrixArgsUnknown(Message):
    template = "matrix_args of '$key' names '$name', which is not in args"
    key: str
    name: str


class MatrixAndVectorArgs(Message):
    template = (
        "'$key' has both vector_args (a define that uses a vector's components) and matrix_args (a define "
        "that uses vectors and matrices as a whole): list every vector or matrix parameter in matrix_args"
    )
    key: str


class VectorValuedDefine(Message):
    template = (
        "the definition of '$key' is a vector or matrix, but its vector_args take components: list the "
        "parameters that stand for a whole vector or matrix in matrix_args instead (docs/notation.md, "
        "\"Functions of a vector or matrix\")"
    )
    key: str


class VectorDefinedSymbol(Message):
    template = (
        "the definition of '$key' is $what, but an element of a defined family is a number: define the "
        "whole vector as a plain symbol (h = { define = '\\sigma(X\\theta)' }) or declare a function of "
        "the vectors or matrices it uses (docs/notation.md, \"Functions of a vector or matrix\")"
    )
    key: str
    what: str


class ShapedSymbolOrder(Message):
    template = (
        "'$used' is a defined vector or matrix, read in place where its name is used, so it must be "
        "defined before '$key' uses it; a function's define cannot use it: pass it as an argument "
        "(matrix_args)"
    )
    used: str
    key: str


class ShapedSymbolItself(Message):
    template = "'$key' is a defined vector or matrix: its define cannot use '$key' itself"
    key: str


class DefinitionNotFormed(Message):
    template = "the definition of '$key' cannot be formed: $inner"
    key: str
    inner: str


class DefinitionUsesIndex(Message):
    template = (
        "the definition of '$key' uses the index $index freely: declare a family (e.g. '${key}_$index') or sum over it"
    )
    key: str
    index: str


class DefinitionCycle(Message):
    template = "the definition of '$key' refers to itself ($path)"
    key: str
    path: str


class DeclarationsTooDeep(Message):
    template = "declarations nested too deeply"


class RowMatrix(Message):
    template = "'$key' is a matrix: `row = true` is for vectors"
    key: str


# --------------------------------------------------------------------------------------------------
# vectors and matrices (verifier/latex/shapes.py). The `Shape…` messages are not reading errors: they
# are the diagnosis of a refuted step that holds an operation that cannot be formed (contract §5.1).


class ShapedAsNumber(Message):
    template = "$what is used where a number is needed $where"
    what: str
    where: str


class PowerOfVector(Message):
    template = "a power of a vector is ambiguous: write x^T x (a number), x \\odot x (entrywise) or \\|x\\|^2"


class PowerOfMatrix(Message):
    template = "a power of a matrix is not supported: write the product A A, or A \\odot A entrywise"


class ShapedExponent(Message):
    template = "only e^{…} takes a vector or matrix exponent (entry by entry)"


class UnknownSize(Message):
    template = "cannot tell the size of $what here: write \\mathbf{1}_m or I_n"
    what: str


class HadamardOfNumbers(Message):
    template = "\\odot is the entrywise product of two vectors or matrices: use \\cdot for numbers"


class NormOfNumber(Message):
    template = "\\|…\\| is the norm of a vector: write \\left| x \\right| for an absolute value"


class MatrixNorm(Message):
    template = "the norm of a matrix is ambiguous: write \\|A\\|_F for the Frobenius norm"


class RaggedMatrix(Message):
    template = "this row of the matrix has $cells cell(s), its first row $width: every row needs as many"
    cells: int
    width: int


class MatrixTooLarge(Message):
    template = (
        "a matrix written out has at most $limit rows and $limit columns: declare a larger one with "
        "components (contract §5.1)"
    )
    limit: int


class HessianForm(Message):
    template = (
        "a second derivative with respect to a vector is read as the Hessian only when written "
        "\\nabla^2_\\theta J or \\frac{\\partial^2 J}{\\partial \\theta \\partial \\theta^T} "
        "(one vector, one of the two transposed)"
    )


class OtherNorm(Message):
    template = "only the Euclidean norm \\|x\\| = \\|x\\|_2 of a vector is supported"


class DiagOfNonVector(Message):
    template = "\\operatorname{diag} takes a vector"


class ProductOfMatrices(Message):
    template = "a product \\prod of vectors or matrices is not supported"


class SizeDependsOnIndex(Message):
    template = "the size of this vector depends on the summation index"


class NablaOfNumber(Message):
    template = "\\nabla_v takes a vector or matrix v"


class NablaOfVector(Message):
    template = "\\nabla_v is taken of a number (a scalar function): use \\frac{\\partial u}{\\partial v}"


class DerivativeByExpression(Message):
    template = "a derivative is taken with respect to a declared vector or matrix as written, not an expression"


class UnsupportedDerivative(Message):
    template = "the derivative of $what with respect to $by is not supported"
    what: str
    by: str


class ShapeProduct(Message):
    template = "the product ($left)($right) cannot be formed: $a times $b$hint"
    left: str
    right: str
    a: str
    b: str
    hint: str = ""


class ShapeFunctionArgument(Message):
    template = "$name takes a vector for $param, not $a"
    name: str
    param: str
    a: str


class ShapeFunctionArgumentLength(Message):
    template = "$name takes a vector of length $wanted for $param (its definition sums over that many), not $a"
    name: str
    param: str
    wanted: str
    a: str


class ShapeSum(Message):
    template = "cannot add $a and $b: $why"
    a: str
    b: str
    why: str


class ShapeEntrywise(Message):
    template = "the entrywise $operation of $a and $b cannot be formed$hint"
    operation: str
    a: str
    b: str
    hint: str = ""


# the classic slips a shape fault points to (suffixes of ShapeProduct, ShapeEntrywise, ShapeStepDiffers)
class HintTransposeLeft(Message):
    template = ": the left factor transposed would fit (a transpose missing?)"


class HintTransposeRight(Message):
    template = ": the right factor transposed would fit (a transpose missing?)"


class HintReversed(Message):
    template = ": the two factors in the other order would fit (the product reversed?)"


class HintMatrixProduct(Message):
    template = ": the matrix product would fit (⊙ where a matrix product was meant?)"


class HintTransposedStep(Message):
    template = ": this step is shaped like the previous step transposed (a transpose missing or one too many?)"


class ShapeChainRuleDenominator(Message):
    template = (
        ": in denominator layout a gradient ∂L/∂a is a column and the Jacobian ∂a/∂z has entry (r, c) = "
        "∂a_c/∂z_r, so the chain rule is written Jacobian first: "
        "\\frac{\\partial a}{\\partial z}\\frac{\\partial L}{\\partial a}"
    )


class ShapeChainRuleNumerator(Message):
    template = (
        ": in numerator layout a gradient ∂L/∂a is a row, so the chain rule reads left to right, as in one "
        "variable: \\frac{\\partial L}{\\partial a}\\frac{\\partial a}{\\partial z}"
    )


class ShapeStepDiffers(Message):
    template = "this step is $this, the previous step $previous: $a cannot equal $b$hint"
    this: str
    previous: str
    a: str
    b: str
    hint: str = ""


class EntryValues(Message):
    template = "; at the counterexample, entry ($row, $col) is $previous in the previous step and $this in this step"
    row: str
    col: str
    previous: str
    this: str


class TransposedStep(Message):
    template = (
        "; this step is the previous step transposed, entry for entry (a transpose missing or one too many, "
        "or an outer product reversed: b aᵀ for a bᵀ)"
    )


# the one slip inside a same-shaped step that a single edit repairs, proved (verifier/latex/repairs.py)
class RepairNamed(Message):
    template = "; one edit makes this step equal to the previous step, proved: $what"
    what: str


class RepairTransposeMissing(Message):
    template = "the factor $factor is missing its transpose ($meant was meant)"
    factor: str
    meant: str


class RepairTransposeExtra(Message):
    template = "the transpose on $factor is one too many ($factor was meant)"
    factor: str


class RepairHadamardForProduct(Message):
    template = "⊙ where the matrix product was meant ($left $right)"
    left: str
    right: str


class RepairProductForHadamard(Message):
    template = "the matrix product where ⊙ was meant ($left \\odot $right)"
    left: str
    right: str


class RepairSwapped(Message):
    template = "the factors $left and $right are in the wrong order ($right $left was meant)"
    left: str
    right: str


class RepairOuterReversed(Message):
    template = "the outer product $written is reversed ($meant was meant)"
    written: str
    meant: str


class ExplainBroadcast(Message):
    template = (
        "$label: a number is added to a vector or matrix here, to every entry (only a number broadcasts: "
        "a column plus a row is a shape error)"
    )
    label: str


class ShapeNotFormed(Message):
    template = "this step cannot be formed: $why"
    why: str


class ShapePreviousNotFormed(Message):
    template = "the previous step cannot be formed ($why), so this step cannot equal it"
    why: str


# --------------------------------------------------------------------------------------------------
# conditionals, the declared indicator, primed names' indices, infinite series (issue 14)


class MidOutsideConditional(Message):
    template = (
        "a conditioning bar ($written) belongs inside the call of a function declared with `given`, as in "
        "P(y \\mid x; \\theta) (docs/notation.md, Conditionals)"
    )
    written: str


class SemicolonOutsideConditional(Message):
    template = (
        "';' separates the parameters of a conditional, as in P(y \\mid x; \\theta): it belongs inside the call "
        "of a function declared with `parameters` (docs/notation.md, Conditionals)"
    )


class ConditionalForm(Message):
    template = "$name is declared as a conditional written $form; this call has $got"
    name: str
    form: str
    got: str


class ConditionalPrime(Message):
    template = "$name is a conditional: it takes no prime (declare a function of its own for a derivative)"
    name: str


class EventNotAName(Message):
    template = (
        "an event inside $name(…) names an outcome and gives its value, as in $name(y = 1 \\mid x): "
        "its left side must be one declared name"
    )
    name: str


class IndicatorShape(Message):
    template = (
        "'$key' is declared \"indicator\": an indicator is one plain name (I), with no script, definition, "
        "range or components; it is written $key\\{y = 1\\}"
    )
    key: str


class IndicatorNeedsRelation(Message):
    template = "$key is the indicator: write it before a relation in braces, as in $key\\{y = 1\\}"
    key: str


class IndexNotIntegerName(Message):
    template = (
        "the index $index of this family element is not an integer (it is declared as a number that need "
        "not be one): an element's index is a declared index or an integer expression; for a power, put the "
        "element or symbol in brackets, e.g. (x^{i})^{2}"
    )
    index: str


class InfinityOnlyAsUpperLimit(Message):
    template = "\\infty is read only as the upper limit of a sum, as in \\sum_{k=0}^{\\infty} r^k"


class InfiniteSeriesKind(Message):
    template = (
        "only an infinite sum of numbers with its lower limit written (\\sum_{k=0}^{\\infty}) is read: "
        "not an infinite product, nor a sum of vectors"
    )


class SeriesDiverges(Message):
    template = "this series diverges (its sum is $value), so it has no value to compare"
    value: str


class SeriesNoClosedForm(Message):
    template = (
        "this infinite series has no closed form that SymPy finds: it is not checked by partial sums "
        "(a truncation proves nothing); write its closed form, or a finite sum"
    )


class SeriesConvergenceUnknown(Message):
    template = (
        "this series converges only where $condition, and the declared domain does not show that it "
        'holds$hint; declare the symbols so that it does (e.g. "unit" for 0 < r < 1)'
    )
    condition: str
    hint: str = ""


class SeriesTooLarge(Message):
    template = (
        "this infinite series is summed when it is read, and only a modest summand is (at most $limit "
        "operations, no sum, product or derivative inside): write its closed form"
    )
    limit: int
