"""Build hook: compile the gettext catalogs (`verifier/locale/*/LC_MESSAGES/*.po`) into `.mo` files.

The `.mo` files are build output (ignored by git, shipped in the wheel as artifacts); an editable
install gets them next to their `.po` too. The compiler is the package's own (verifier/report/i18n.py,
standard library only), loaded by path because the package is not importable while it is being built.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogsHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        spec = importlib.util.spec_from_file_location("_verify_derivation_i18n", root / "verifier/report/i18n.py")
        assert spec is not None and spec.loader is not None
        i18n = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(i18n)
        for po in sorted((root / "verifier" / "locale").glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            mo.write_bytes(i18n.compile_mo(i18n.parse_po(po.read_text(encoding="utf-8"))))
