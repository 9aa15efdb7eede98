"""Every message the reader gives, one small class each with its template (one catalogue, as pyflakes
keeps its messages.py).

A message is raised inside a `ReadError` (at an offset of the LaTeX string being read) or at a
declaration (`at_decl`). Templates use `string.Template` placeholders (`$name`), so that the LaTeX
braces they quote (`x_{ij}`, `\\frac{a}{b}`) stay literal. Fields ending in `hint` are optional
suffixes, already formatted (` (did you mean 'x_i'?)`) or empty.
"""

from __future__ import annotations

import dataclasses
from string import Template
from typing import ClassVar


@dataclasses.dataclass(frozen=True)
class Message:
    """A reader message: the subclass's `template`, filled from its fields."""

    template: ClassVar[str] = ""

    def __str__(self) -> str:
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return Template(self.template).substitute(values)


# --------------------------------------------------------------------------------------------------
# scanning: characters, brackets, arguments, sizes


@dataclasses.dataclass(frozen=True)
class TooLong(Message):
    template = "expression too long ($length characters, at most $limit)"
    length: int
    limit: int


@dataclasses.dataclass(frozen=True)
class UnexpectedCharacter(Message):
    template = "unexpected character '$char'$hint"
    char: str
    hint: str = ""


@dataclasses.dataclass(frozen=True)
class LineBreak(Message):
    template = "line break '\\\\' inside an expression: write one expression per step"


@dataclasses.dataclass(frozen=True)
class Environment(Message):
    template = (
        "the environment \\begin{$name} is not read: a step is one expression; a vector is declared "
        "with components and written by its name (contract §5.1)"
    )
    name: str


@dataclasses.dataclass(frozen=True)
class OperatorName(Message):
    template = "\\operatorname takes a name of letters in braces, as in \\operatorname{softmax}"


@dataclasses.dataclass(frozen=True)
class EquationLabel(Message):
    template = (
        "'$label' looks like an equation label, which is not part of a step: leave it out "
        "(mention it in the step's `by`)"
    )
    label: str


@dataclasses.dataclass(frozen=True)
class Dots(Message):
    template = (
        "'$dots' is not read: write the pattern as a sum, e.g. \\sum_{j=0}^{n} \\theta_j x_j for "
        "\\theta_0 + \\theta_1 x_1 + \\dots + \\theta_n x_n (j needs no declaration)"
    )
    dots: str


@dataclasses.dataclass(frozen=True)
class ScientificNotation(Message):
    template = "scientific notation is not read: write $number \\cdot 10^{$power} for $written"
    number: str
    power: str
    written: str


@dataclasses.dataclass(frozen=True)
class NumberTooLong(Message):
    template = "number too long ($digits digits, at most $limit)"
    digits: int
    limit: int


@dataclasses.dataclass(frozen=True)
class BracketsTooDeep(Message):
    template = "brackets nested too deeply (more than $limit)"
    limit: int


@dataclasses.dataclass(frozen=True)
class NothingToClose(Message):
    template = "unbalanced '$bracket': nothing to close"
    bracket: str


@dataclasses.dataclass(frozen=True)
class ClosedByWrong(Message):
    template = "unbalanced '$opener': closed by '$closer' instead of '$expected'"
    opener: str
    closer: str
    expected: str


@dataclasses.dataclass(frozen=True)
class NeverClosed(Message):
    template = "unbalanced '$bracket': never closed"
    bracket: str


@dataclasses.dataclass(frozen=True)
class LimitTakesOneToken(Message):
    template = (
        "'^$bound$sign' takes only $bound as the upper limit: write ^{$bound$sign…} for the limit, "
        "or ^{$bound} ($sign…) for the summand"
    )
    bound: str
    sign: str


@dataclasses.dataclass(frozen=True)
class MissingArgument(Message):
    template = "missing argument after '$owner'"
    owner: str


@dataclasses.dataclass(frozen=True)
class DecimalArgument(Message):
    template = "put braces around the decimal argument of '$owner'"
    owner: str


@dataclasses.dataclass(frozen=True)
class ScriptTakesOneDigit(Message):
    template = "'$mark$digits' takes only the digit $first in TeX: write $mark{$digits} or $mark{$first} $rest"
    mark: str
    digits: str
    first: str
    rest: str


@dataclasses.dataclass(frozen=True)
class BracketArgument(Message):
    template = "a bracket cannot be the argument of '$owner': use braces"
    owner: str


@dataclasses.dataclass(frozen=True)
class InvisibleBraces(Message):
    template = (
        "'$written' is ambiguous: braces group in TeX but print nothing, so the sum inside runs into "
        "its neighbours in print; write ($inner) with visible brackets"
    )
    written: str
    inner: str


# --------------------------------------------------------------------------------------------------
# names


@dataclasses.dataclass(frozen=True)
class EmptyName(Message):
    template = "empty name"


@dataclasses.dataclass(frozen=True)
class NoBaseLetter(Message):
    template = "'$key' has no base letter"
    key: str


@dataclasses.dataclass(frozen=True)
class TextAfterScripts(Message):
    template = "'$key' is not a name: text after its scripts"
    key: str


@dataclasses.dataclass(frozen=True)
class KeyTwoScripts(Message):
    template = "'$key' has two ${which}s"
    key: str
    which: str  # "subscript" or "superscript"


@dataclasses.dataclass(frozen=True)
class DoubleSubscript(Message):
    template = "double subscript: use braces, e.g. x_{ij}"


@dataclasses.dataclass(frozen=True)
class DoubleSuperscript(Message):
    template = "double superscript: use braces, e.g. (x^{a})^{b}"


@dataclasses.dataclass(frozen=True)
class NumbersSideBySide(Message):
    template = "two numbers side by side: write \\cdot between them"


@dataclasses.dataclass(frozen=True)
class Factorial(Message):
    template = "factorials are not supported"


@dataclasses.dataclass(frozen=True)
class PrimeNotAfterFunction(Message):
    template = "a prime ' may only follow a declared function, as in \\sigma'(z)"


@dataclasses.dataclass(frozen=True)
class BareBar(Message):
    template = (
        "a bare '|' is not supported here: write \\left| x \\right| or \\lvert x \\rvert for an "
        "absolute value; a conditioning bar belongs inside the call of a function declared with "
        "conditioning variables, as in P(y \\mid x)"
    )


@dataclasses.dataclass(frozen=True)
class Unexpected(Message):
    template = "unexpected '$text'"
    text: str


@dataclasses.dataclass(frozen=True)
class FunctionWord(Message):
    template = "undeclared name '$word' (did you mean $command?)"
    word: str
    command: str


@dataclasses.dataclass(frozen=True)
class SuperscriptFamilyPower(Message):
    template = (
        "'$written' is ambiguous: an element of the family '$key' or a power? "
        "Declare the family with parentheses (x^{(i)}) to write elements as x^{(2)}"
    )
    written: str
    key: str


@dataclasses.dataclass(frozen=True)
class TooManyPrimes(Message):
    template = "at most $limit primes: write a higher derivative as \\frac{d^{n}}{du^{n}} f(u)"
    limit: int


@dataclasses.dataclass(frozen=True)
class PowerOfFunction(Message):
    template = "a power of a function is ambiguous here: write (f(u))^{2}"


@dataclasses.dataclass(frozen=True)
class VectorScript(Message):
    template = "a vector takes only ^T (transpose) here"


@dataclasses.dataclass(frozen=True)
class ParenthesisedPower(Message):
    template = (
        "'$written': a parenthesised superscript is an index, never a power, and no family "
        "is declared with it (for a power write {(x)}^{2})"
    )
    written: str


@dataclasses.dataclass(frozen=True)
class DifferentialScripts(Message):
    template = "a differential \\mathrm{d} takes no scripts"


@dataclasses.dataclass(frozen=True)
class UnsupportedCommand(Message):
    template = "unsupported command $command"
    command: str


@dataclasses.dataclass(frozen=True)
class Undeclared(Message):
    template = "undeclared name '$name'$hint"
    name: str
    hint: str = ""


@dataclasses.dataclass(frozen=True)
class FamilyScript(Message):
    template = "'$key': a family's script may hold only declared indices, e.g. x_i, x_{ij}, x^{(i)}"
    key: str


@dataclasses.dataclass(frozen=True)
class DerivativeOrders(Message):
    template = (
        "the orders do not add up: $top on top, $bottom below (write \\frac{\\partial^2 L}{\\partial w^2} "
        "or \\frac{\\partial^2 L}{\\partial w \\partial b})"
    )
    top: int
    bottom: int


@dataclasses.dataclass(frozen=True)
class DerivativeOrder(Message):
    template = "the order of a derivative is a whole number from 1 to $limit, not $order"
    order: str
    limit: int


# --------------------------------------------------------------------------------------------------
# parsing


@dataclasses.dataclass(frozen=True)
class EmptyExpression(Message):
    template = "empty expression"


@dataclasses.dataclass(frozen=True)
class ExpectedRelation(Message):
    template = "expected a relation such as 'i = j' or 'i \\neq j'"


@dataclasses.dataclass(frozen=True)
class EndsTooEarly(Message):
    template = "the expression ends too early"


@dataclasses.dataclass(frozen=True)
class FunctionNeedsParentheses(Message):
    template = "a function needs its argument in parentheses, before $before"
    before: str


@dataclasses.dataclass(frozen=True)
class StrayD(Message):
    template = "undeclared name 'd' (a differential d appears only in \\frac{d}{dx})"


@dataclasses.dataclass(frozen=True)
class RelationInStep(Message):
    template = "a step is one expression, not a relation: write each side as its own step"


@dataclasses.dataclass(frozen=True)
class TransposeWithoutVector(Message):
    template = (
        "^T must follow what it transposes, a name or a bracket (a derivative is taken with respect to "
        "a vector as declared, without ^T)"
    )


@dataclasses.dataclass(frozen=True)
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


@dataclasses.dataclass(frozen=True)
class UnexpectedToken(Message):
    template = "unexpected $token$hint"
    token: str
    hint: str = ""


@dataclasses.dataclass(frozen=True)
class NumberAfterFactor(Message):
    template = (
        "a number after a factor ('$number'): write the number first (2 x), use \\cdot, "
        "or 10^{5} for scientific notation"
    )
    number: str


@dataclasses.dataclass(frozen=True)
class DeclaredD(Message):
    template = (
        "'d' is declared as a symbol, so this is a fraction, not a derivative: write "
        "\\frac{\\mathrm{d} y}{\\mathrm{d} x} or \\frac{\\partial y}{\\partial x}"
    )


@dataclasses.dataclass(frozen=True)
class AmbiguousSlash(Message):
    template = "'a/b c' is ambiguous: write \\frac{a}{b c}, or \\frac{a}{b} c, or (a/b) c"


@dataclasses.dataclass(frozen=True)
class ProductInIndex(Message):
    template = (
        "one index slot holds a product of names (x_{ij} read with a family of one "
        "index): write x_{i,j} for two indices, or x_{i \\cdot j} for a product"
    )


@dataclasses.dataclass(frozen=True)
class AmbiguousBareArgument(Message):
    template = "'$name x y' is ambiguous: write $name(x y), or ($name x) y, or y $name x"
    name: str


@dataclasses.dataclass(frozen=True)
class DefinedSymbolCall(Message):
    template = (
        "'$written' is ambiguous: '$name' is a defined symbol whose definition uses $args, so this "
        "reads as a product but looks like an application; declare '$name' in [functions] with "
        "parameters, declare the key '$written' as its spelling, or write $name \\cdot ($args)"
    )
    written: str
    name: str
    args: str


@dataclasses.dataclass(frozen=True)
class NestedTooDeeply(Message):
    template = "expression nested too deeply"


# --------------------------------------------------------------------------------------------------
# building: values, vectors, functions, sums, derivatives


@dataclasses.dataclass(frozen=True)
class VectorAsNumber(Message):
    template = (
        "the vector '$vector' is used where a number is needed $where "
        "(vectors appear only in dot products \\mathbf{w} \\cdot \\mathbf{x}, \\theta^T x, "
        "or as vector arguments of functions)"
    )
    vector: str
    where: str


@dataclasses.dataclass(frozen=True)
class CrossProduct(Message):
    template = (
        "'\\times' before the vector '$vector' is a cross product, which is not supported "
        "(a dot product is written \\mathbf{w} \\cdot \\mathbf{x} or \\theta^T x)"
    )
    vector: str


@dataclasses.dataclass(frozen=True)
class NotFinite(Message):
    template = "this expression divides by zero or is infinite (SymPy reads it as $shown)"
    shown: str


@dataclasses.dataclass(frozen=True)
class DotLengthUnknown(Message):
    template = "cannot tell the length of this dot product: neither vector is declared"


@dataclasses.dataclass(frozen=True)
class DifferentLengths(Message):
    template = "'$a' and '$b' have different lengths ($range_a and $range_b)"
    a: str
    b: str
    range_a: str
    range_b: str


@dataclasses.dataclass(frozen=True)
class ExponentTooLarge(Message):
    template = "exponent $exponent is too large (at most $limit)"
    exponent: str
    limit: int


@dataclasses.dataclass(frozen=True)
class PowerTooLarge(Message):
    template = "this power has about $digits digits: too large"
    digits: int


@dataclasses.dataclass(frozen=True)
class LogBase(Message):
    template = "a logarithm's base must be positive and not 1, not $base"
    base: str


@dataclasses.dataclass(frozen=True)
class IndexNotInteger(Message):
    template = "an index must be an integer, not $value"
    value: str


@dataclasses.dataclass(frozen=True)
class ArgumentCount(Message):
    template = "$name takes $expected argument$plural, got $got"
    name: str
    expected: int
    got: int
    plural: str = ""


@dataclasses.dataclass(frozen=True)
class MaxMinArguments(Message):
    template = "$name takes at least two arguments, as in $name(a, b)"
    name: str


@dataclasses.dataclass(frozen=True)
class NegativeFunctionPower(Message):
    template = (
        "'$name^{-1}' is ambiguous: the inverse function, or 1 over $name? "
        "Write \\arcsin-style names for the inverse, or \\frac{1}{$name x}"
    )
    name: str


@dataclasses.dataclass(frozen=True)
class VectorFunctionPrime(Message):
    template = "the derivative $name' of a function of a vector is not supported"
    name: str


@dataclasses.dataclass(frozen=True)
class PrimeNeedsOneArgument(Message):
    template = "$name' needs a function of one argument"
    name: str


@dataclasses.dataclass(frozen=True)
class VectorFunctionOrder(Message):
    template = "$name must be declared before it is used (it takes a vector)"
    name: str


@dataclasses.dataclass(frozen=True)
class VectorArgumentExpected(Message):
    template = "$name takes a vector for $param"
    name: str
    param: str


@dataclasses.dataclass(frozen=True)
class NotAnIndex(Message):
    template = "'$name' is not a declared index (declare it with a range)"
    name: str


@dataclasses.dataclass(frozen=True)
class BoundIndexNeedsLimits(Message):
    template = (
        "'$name' is not declared, so it is bound by this sum and needs both limits written, as in "
        "\\sum_{$name=1}^{N} (or declare $name with a range to write \\sum_$name)"
    )
    name: str


@dataclasses.dataclass(frozen=True)
class BoundIndexOutside(Message):
    template = "'$name' is bound by this sum (it is not declared) but is also used outside it"
    name: str


@dataclasses.dataclass(frozen=True)
class InfiniteSeries(Message):
    template = (
        "\\infty is not read yet: an infinite series needs a symbolic convergence check, and a finite "
        "truncation proves nothing; write the closed form or a finite sum"
    )


@dataclasses.dataclass(frozen=True)
class DerivativeByVector(Message):
    template = "derivatives with respect to a whole vector are not supported"


@dataclasses.dataclass(frozen=True)
class DerivativeByIndex(Message):
    template = "'$name' is an index: a derivative is taken with respect to a variable"
    name: str


# --------------------------------------------------------------------------------------------------
# declarations


@dataclasses.dataclass(frozen=True)
class UnknownWord(Message):
    template = "unknown assumption word '$word' for '$key'$hint"
    word: str
    key: str
    hint: str = ""


@dataclasses.dataclass(frozen=True)
class ContradictoryWords(Message):
    template = "contradictory assumption words for '$key': $words"
    key: str
    words: str


@dataclasses.dataclass(frozen=True)
class UnreadableName(Message):
    template = "cannot read the name '$key': $reason"
    key: str
    reason: str


@dataclasses.dataclass(frozen=True)
class DeclaredTwice(Message):
    template = "'$key' is declared twice (also as '$other')"
    key: str
    other: str


@dataclasses.dataclass(frozen=True)
class IndexShape(Message):
    template = "an index must be one letter or Greek command, not '$key'"
    key: str


@dataclasses.dataclass(frozen=True)
class IndexWithDefine(Message):
    template = "the index '$key' cannot also have a define or components"
    key: str


@dataclasses.dataclass(frozen=True)
class IndexWords(Message):
    template = "the index '$key' is an integer by its range; it takes no words"
    key: str


@dataclasses.dataclass(frozen=True)
class DefinedWithWords(Message):
    template = "'$key' is defined, so it takes no assumption words"
    key: str


@dataclasses.dataclass(frozen=True)
class FamilyIndexTwice(Message):
    template = "'$key' uses the same index twice"
    key: str


@dataclasses.dataclass(frozen=True)
class ShadowsElement(Message):
    template = (
        "'$key' names the same thing as the element $key of the family '$family': declare only "
        "the family (and write $key for its element), or give the symbol another name"
    )
    key: str
    family: str


@dataclasses.dataclass(frozen=True)
class VectorWords(Message):
    template = "the vector '$key' takes no words or define: declare its components"
    key: str


@dataclasses.dataclass(frozen=True)
class ComponentsNotFamily(Message):
    template = "the components '$components' of '$key' are not a declared family$hint"
    components: str
    key: str
    hint: str = ""


@dataclasses.dataclass(frozen=True)
class VectorLeadingIndices(Message):
    template = (
        "the vector '$key' must show the indices of '$components' that stay fixed, in order, and leave "
        "one free (a vector) or two (a matrix)"
    )
    key: str
    components: str


@dataclasses.dataclass(frozen=True)
class ParameterTwice(Message):
    template = "'$key' lists a parameter twice"
    key: str


@dataclasses.dataclass(frozen=True)
class VectorArgsUnknown(Message):
    template = "vector_args of '$key' names '$name', which is not in args"
    key: str
    name: str


@dataclasses.dataclass(frozen=True)
class VectorFunctionNeedsDefine(Message):
    template = "'$key' takes a vector, so it needs a define"
    key: str


@dataclasses.dataclass(frozen=True)
class DefinitionUsesIndex(Message):
    template = (
        "the definition of '$key' uses the index $index freely: declare a family (e.g. '${key}_$index') or sum over it"
    )
    key: str
    index: str


@dataclasses.dataclass(frozen=True)
class DefinitionCycle(Message):
    template = "the definition of '$key' refers to itself ($path)"
    key: str
    path: str


@dataclasses.dataclass(frozen=True)
class DeclarationsTooDeep(Message):
    template = "declarations nested too deeply"


@dataclasses.dataclass(frozen=True)
class RowMatrix(Message):
    template = "'$key' is a matrix: `row = true` is for vectors"
    key: str


# --------------------------------------------------------------------------------------------------
# vectors and matrices (verifier/latex/shapes.py). The `Shape…` messages are not reading errors: they
# are the diagnosis of a refuted step that holds an operation that cannot be formed (contract §5.1).


@dataclasses.dataclass(frozen=True)
class ShapedAsNumber(Message):
    template = "$what is used where a number is needed $where"
    what: str
    where: str


@dataclasses.dataclass(frozen=True)
class PowerOfVector(Message):
    template = "a power of a vector is ambiguous: write x^T x (a number), x \\odot x (entrywise) or \\|x\\|^2"


@dataclasses.dataclass(frozen=True)
class PowerOfMatrix(Message):
    template = "a power of a matrix is not supported: write the product A A, or A \\odot A entrywise"


@dataclasses.dataclass(frozen=True)
class ShapedExponent(Message):
    template = "only e^{…} takes a vector or matrix exponent (entry by entry)"


@dataclasses.dataclass(frozen=True)
class UnknownSize(Message):
    template = "cannot tell the size of $what here: write \\mathbf{1}_m or I_n"
    what: str


@dataclasses.dataclass(frozen=True)
class HadamardOfNumbers(Message):
    template = "\\odot is the entrywise product of two vectors or matrices: use \\cdot for numbers"


@dataclasses.dataclass(frozen=True)
class NormOfNumber(Message):
    template = "\\|…\\| is the norm of a vector: write \\left| x \\right| for an absolute value"


@dataclasses.dataclass(frozen=True)
class MatrixNorm(Message):
    template = "the norm of a matrix is ambiguous: write \\|A\\|_F for the Frobenius norm"


@dataclasses.dataclass(frozen=True)
class OtherNorm(Message):
    template = "only the Euclidean norm \\|x\\| = \\|x\\|_2 of a vector is supported"


@dataclasses.dataclass(frozen=True)
class DiagOfNonVector(Message):
    template = "\\operatorname{diag} takes a vector"


@dataclasses.dataclass(frozen=True)
class ProductOfMatrices(Message):
    template = "a product \\prod of vectors or matrices is not supported"


@dataclasses.dataclass(frozen=True)
class SizeDependsOnIndex(Message):
    template = "the size of this vector depends on the summation index"


@dataclasses.dataclass(frozen=True)
class NablaOfNumber(Message):
    template = "\\nabla_v takes a vector or matrix v"


@dataclasses.dataclass(frozen=True)
class NablaOfVector(Message):
    template = "\\nabla_v is taken of a number (a scalar function): use \\frac{\\partial u}{\\partial v}"


@dataclasses.dataclass(frozen=True)
class DerivativeByExpression(Message):
    template = "a derivative is taken with respect to a declared vector or matrix as written, not an expression"


@dataclasses.dataclass(frozen=True)
class UnsupportedDerivative(Message):
    template = "the derivative of $what with respect to $by is not supported"
    what: str
    by: str


@dataclasses.dataclass(frozen=True)
class ShapeProduct(Message):
    template = "the product ($left)($right) cannot be formed: $a times $b$hint"
    left: str
    right: str
    a: str
    b: str
    hint: str = ""


@dataclasses.dataclass(frozen=True)
class ShapeSum(Message):
    template = "cannot add $a and $b: $why"
    a: str
    b: str
    why: str


@dataclasses.dataclass(frozen=True)
class ShapeEntrywise(Message):
    template = "the entrywise $operation of $a and $b cannot be formed"
    operation: str
    a: str
    b: str


@dataclasses.dataclass(frozen=True)
class ShapeChainRuleDenominator(Message):
    template = (
        ": in denominator layout a gradient ∂L/∂a is a column and the Jacobian ∂a/∂z has entry (r, c) = "
        "∂a_c/∂z_r, so the chain rule is written Jacobian first: "
        "\\frac{\\partial a}{\\partial z}\\frac{\\partial L}{\\partial a}"
    )


@dataclasses.dataclass(frozen=True)
class ShapeChainRuleNumerator(Message):
    template = (
        ": in numerator layout a gradient ∂L/∂a is a row, so the chain rule reads left to right, as in one "
        "variable: \\frac{\\partial L}{\\partial a}\\frac{\\partial a}{\\partial z}"
    )


@dataclasses.dataclass(frozen=True)
class ShapeStepDiffers(Message):
    template = "this step is $this, the previous step $previous: $a cannot equal $b"
    this: str
    previous: str
    a: str
    b: str


@dataclasses.dataclass(frozen=True)
class ShapeNotFormed(Message):
    template = "this step cannot be formed: $why"
    why: str


@dataclasses.dataclass(frozen=True)
class ShapePreviousNotFormed(Message):
    template = "the previous step cannot be formed ($why), so this step cannot equal it"
    why: str
