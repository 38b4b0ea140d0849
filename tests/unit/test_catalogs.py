"""The gettext catalogs: every language complete, placeholders intact, every key in code known."""

from __future__ import annotations

import ast
import io
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.plantfile import check_plant, read_plant
from handlers.i18n import CATALOGS, DEFAULT, catalog, languages, read_catalog, t
from handlers.locales import languages_in, po_file, template

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("handlers", "bot", "scheduler", "reports")  # the packages that speak to people
KEY = re.compile(r"[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_]+)+")
PREFIX = re.compile(r"[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_]+)*\.")
FILE_NAME = re.compile(r".*\.(?:jpe?g|png|gif|webp|pdf|xlsx|csv|html|json|md|po|py|txt|ya?ml)")
OTHERS = [lang for lang in languages() if lang != DEFAULT]


def po(text: str) -> dict[str, str]:
    return read_catalog(io.BytesIO(text.encode()))


def untranslated(default: Mapping[str, str], other: Mapping[str, str]) -> list[str]:
    return [key for key in default if key not in other]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def placeholder_problems(default: Mapping[str, str], other: Mapping[str, str]) -> list[str]:
    problems = []
    for key, text in other.items():
        try:
            found = fields(text)
        except ValueError as exc:  # a lone { or } makes str.format raise at send time
            problems.append(f"{key}: {exc}")
            continue
        if key in default and found != fields(default[key]):
            problems.append(f"{key}: {sorted(found)} != {sorted(fields(default[key]))}")
    return problems


def referenced_keys(source: str) -> Iterator[tuple[str, bool]]:
    """(key, is_prefix) for each string that looks like a catalog key, f-string prefixes too."""
    tree = ast.parse(source)
    fstrings = [node for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)]
    in_fstring = {id(part) for node in fstrings for part in node.values}
    for node in fstrings:  # f"status.{ticket.status}" names the keys starting "status."
        head = node.values[0] if node.values else None
        if isinstance(head, ast.Constant) and PREFIX.fullmatch(str(head.value)):
            yield str(head.value), True
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        # photo.jpg is a file name, not a message of the photo.* family
        looks_like_key = isinstance(text, str) and bool(KEY.fullmatch(text))
        if looks_like_key and id(node) not in in_fstring and not FILE_NAME.fullmatch(str(text)):
            yield str(text), False


def unknown_keys(references: Iterator[tuple[str, bool]], keys: Mapping[str, str]) -> set[str]:
    """References into a catalog namespace (`ticket.`, `status.`…) that name no message."""
    namespaces = {key.split(".")[0] for key in keys}
    return {
        ref + ("*" if is_prefix else "")
        for ref, is_prefix in references
        if ref.split(".")[0] in namespaces
        and not (any(key.startswith(ref) for key in keys) if is_prefix else ref in keys)
    }


def python_sources() -> Iterator[Path]:
    for package in SCANNED:
        yield from sorted((ROOT / package).rglob("*.py"))


def test_there_is_a_second_language_to_compare_with_the_default() -> None:
    assert languages()[0] == DEFAULT
    assert "en" in OTHERS
    assert len(catalog(DEFAULT)) > 200


@pytest.mark.parametrize("lang", OTHERS)
def test_every_key_of_the_default_catalog_is_translated(lang: str) -> None:
    assert untranslated(catalog(DEFAULT), catalog(lang)) == []


@pytest.mark.parametrize("lang", OTHERS)
def test_a_language_has_no_key_the_default_lacks(lang: str) -> None:
    assert [key for key in catalog(lang) if key not in catalog(DEFAULT)] == []


@pytest.mark.parametrize("lang", languages())
def test_every_translation_uses_exactly_the_placeholders_of_the_default(lang: str) -> None:
    assert placeholder_problems(catalog(DEFAULT), catalog(lang)) == []


@pytest.mark.parametrize("lang", languages())
def test_no_message_starts_or_ends_with_a_line_break(lang: str) -> None:
    # msgfmt -c (and so Poedit on save) rejects a msgstr whose first or last \n its msgid lacks
    assert [key for key, text in catalog(lang).items() if text.strip("\n") != text] == []


def test_the_template_lists_every_key_of_the_default_catalog_and_translates_none() -> None:
    with template().open("rb") as pot:
        messages = [m for m in read_po(pot) if m.id]
    keys = {str(m.id) for m in messages}
    missing, extra = set(catalog(DEFAULT)) - keys, keys - set(catalog(DEFAULT))
    assert (missing, extra) == (set(), set())
    assert [m.id for m in messages if m.string] == []


def test_every_key_named_in_the_code_is_in_the_default_catalog() -> None:
    sources = list(python_sources())
    assert len(sources) > 30
    found = {
        f"{path.relative_to(ROOT)}: {key}"
        for path in sources
        if "locales" not in path.parts
        for key in unknown_keys(referenced_keys(path.read_text(encoding="utf-8")),
                                catalog(DEFAULT))
    }
    assert found == set()


def test_the_checks_catch_a_missing_key_a_wrong_placeholder_and_an_unknown_reference() -> None:
    default = {"report.ask": "请拍照 {code}", "report.done": "好", "status.open": "开"}
    other = {"report.ask": "Photo {cod}", "status.open": "open {"}
    assert untranslated(default, other) == ["report.done"]
    assert placeholder_problems(default, other) == [
        "report.ask: ['cod'] != ['code']",
        "status.open: Single '{' encountered in format string",
    ]
    source = (
        'reply("report.ask")\nreply("report.gone")\nname = "report.jpg"\nlog = "bot.app"\n'
        'x = f"status.{s}"\ny = f"report.nothing.{s}"\nz = f"{a}.report.x"\n'
    )
    assert unknown_keys(referenced_keys(source), default) == {"report.gone", "report.nothing.*"}


def test_an_empty_or_fuzzy_translation_is_left_out_so_the_default_text_shows() -> None:
    messages = po(
        'msgid "a.done"\nmsgstr "Done"\n\n'
        'msgid "a.empty"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "a.guess"\nmsgstr "Maybe"\n'
    )
    assert messages == {"a.done": "Done"}


def test_an_unknown_language_and_an_untranslated_key_fall_back_to_the_default() -> None:
    assert t("de", "status.closed") == t(DEFAULT, "status.closed") == "已关闭"
    assert t("en", "status.closed") == "closed"


def test_a_new_po_file_in_the_folder_is_a_new_language(tmp_path: Path) -> None:
    for lang in ("zh-CN", "en", "vi", "pt-BR"):
        target = Path(str(po_file(lang, tmp_path)))
        target.parent.mkdir(parents=True)
        target.write_text('msgid "a"\nmsgstr "b"\n', encoding="utf-8")
    (tmp_path / "notes").mkdir()  # a folder without a catalog is no language
    assert languages_in(tmp_path) == ("zh-CN", "en", "pt-BR", "vi")


def test_plant_yaml_may_name_exactly_the_languages_that_have_a_catalog(tmp_path: Path) -> None:
    demo = (ROOT / "config" / "demo-plant.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: zh-CN" in demo
    for lang, errors in (("en", 0), ("de", 1)):
        path = tmp_path / f"{lang}.yaml"
        path.write_text(demo.replace("\nlanguage: zh-CN", f"\nlanguage: {lang}"), "utf-8")
        found = check_plant(path)  # as `safetyloop config check` reads it
        assert len(found) == errors, found
    assert "unsupported language 'de'" in found[0]


def test_the_plant_check_accepts_the_languages_its_caller_has_catalogs_for() -> None:
    plant = replace(read_plant(ROOT / "config" / "demo-plant.yaml"), language="vi")
    assert plant.problems(languages=(DEFAULT, "en", "vi")) == []
    assert plant.problems(languages=languages()) == [("language", "unsupported language 'vi'")]


def test_the_catalogs_mapping_walks_the_languages_that_have_a_po_file() -> None:
    assert list(CATALOGS) == list(languages())
    assert CATALOGS["en"]["status.closed"] == "closed"
    assert "de" not in CATALOGS
