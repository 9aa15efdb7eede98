"""The reader's message catalogue: every template's placeholders are exactly its class's fields."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from string import Template

import pytest

from verifier.latex import messages

CLASSES = [c for c in vars(messages).values() if inspect.isclass(c) and issubclass(c, messages.Message) and c.template]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_template_placeholders_are_the_fields(cls: type[messages.Message]) -> None:
    names = {m.group("named") or m.group("braced") for m in Template.pattern.finditer(cls.template)}
    names.discard(None)
    assert names == set(cls.field_names)
    filled = cls(**{name: f"<{name}>" for name in cls.field_names})
    assert "$" not in str(filled) and "\n" not in str(filled)


def test_no_inline_message_text_outside_the_catalogue() -> None:
    # ReadError and at_decl take a catalogued Message, never a string built on the spot
    for path in Path(messages.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("ReadError", "at_decl"):
                arg = node.args[-2] if getattr(node.func, "id", "") == "ReadError" else node.args[1]
                assert not isinstance(arg, ast.Constant | ast.JoinedStr), f"{path.name}:{node.lineno}"


def test_a_message_is_a_frozen_record_of_its_fields() -> None:
    # the shared methods of messages.Message stand in for a frozen dataclass's
    slip = messages.EmptyBrackets("x")
    assert slip.at == "x" and str(slip) == "empty brackets (at x)"
    assert slip == messages.EmptyBrackets(at="x") != messages.EmptyBrackets("y")
    assert slip != messages.NoLeftOperand("x") and hash(slip) == hash(messages.EmptyBrackets("x"))
    assert repr(slip) == "EmptyBrackets(at='x')"
    char = messages.UnexpectedCharacter("@")
    assert char.hint == "" and str(char) == "unexpected character '@'"
    with pytest.raises(AttributeError):
        slip.at = "y"  # type: ignore[misc]
    with pytest.raises(TypeError):
        messages.EmptyBrackets()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        messages.EmptyBrackets("x", at="y")  # type: ignore[misc]
    with pytest.raises(TypeError):
        messages.TooLong(1, 2, 3)  # type: ignore[call-arg]
