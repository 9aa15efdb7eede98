"""The reader's message catalogue: every template's placeholders are exactly its class's fields."""

from __future__ import annotations

import ast
import dataclasses
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
    assert names == {f.name for f in dataclasses.fields(cls)}
    filled = cls(**{f.name: f"<{f.name}>" for f in dataclasses.fields(cls)})
    assert "$" not in str(filled) and "\n" not in str(filled)


def test_no_inline_message_text_outside_the_catalogue() -> None:
    # ReadError and at_decl take a catalogued Message, never a string built on the spot
    for path in Path(messages.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("ReadError", "at_decl"):
                arg = node.args[-2] if getattr(node.func, "id", "") == "ReadError" else node.args[1]
                assert not isinstance(arg, ast.Constant | ast.JoinedStr), f"{path.name}:{node.lineno}"
