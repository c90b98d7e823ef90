"""The command line speaks one language, chosen once: ``stakegraph --lang zh …`` or
``STAKEGRAPH_LANG=zh``. Every command's lines in Chinese contain no piece of the English
CLI catalogue (the test iterates the catalogue); the same commands in English do print
catalogue pieces, so the check has something to find."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from stakegraph.cli import app, serve
from stakegraph.cli.messages import CATALOGUE
from stakegraph.seeds import DEMO_TODAY, load_demo

DAY = DEMO_TODAY.isoformat()


def _placeholders(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _english_pieces() -> list[str]:
    """The fixed pieces of the English templates that are not Chinese text too (a
    command name, ``GraphiQL`` or ``REP:CONTACT`` is the same in both). The English
    words of the labels are the schema's own names (``counts`` lists them as such)."""
    zh_text = " ".join(CATALOGUE["zh"].values())
    pieces: set[str] = set()
    for key, template in CATALOGUE["en"].items():
        if key.startswith("label."):
            continue
        for literal, *_ in string.Formatter().parse(template):
            for piece in re.split(r"[\n():;,.]+", literal):
                piece = piece.strip(" '`")
                if len(piece) >= 3 and re.search(r"[a-z]{3}", piece) and piece not in zh_text:
                    pieces.add(piece)
    return sorted(pieces)


PIECES = _english_pieces()


def _data_strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value} if len(value) >= 3 else set()
    if isinstance(value, dict):
        return set().union(*(_data_strings(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_data_strings(v) for v in value))
    return set()


#: The demo's own texts (notes, titles, names): data is printed as it is, never translated.
DATA = sorted(_data_strings(load_demo()), key=len, reverse=True)


def english_in(text: str) -> list[str]:
    """The English catalogue pieces in ``text``, once the demo's own texts are left out."""
    for value in DATA:
        text = text.replace(value, " ")
    return [p for p in PIECES if re.search(rf"(?<![\w/-]){re.escape(p)}(?![\w/-])", text)]


def test_both_languages_have_every_line_with_the_same_parameters() -> None:
    assert CATALOGUE["en"].keys() == CATALOGUE["zh"].keys()
    for key, template in CATALOGUE["en"].items():
        assert _placeholders(template) == _placeholders(CATALOGUE["zh"][key]), key
    assert "holds no account" in PIECES and "not found" in PIECES


Run = Callable[..., Result]


def _runner(lang: str, tmp_path: Path) -> Run:
    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(
            app,
            ["--lang", lang, *args],
            env={"COLUMNS": "250", "STAKEGRAPH_DEMO_MODE": "false", **(env or {})},
        )

    return run


def _every_command(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Result]:
    """Each command once, on the demo (and its mistakes), in the runner's language."""
    monkeypatch.setattr(serve, "_run", lambda *a, **k: None)  # demo prints, never serves
    db = ["--store", "embedded", "--db", str(tmp_path / "demo.db")]
    empty = ["--store", "embedded", "--db", str(tmp_path / "none.db")]
    dump = tmp_path / "dump.json"
    out: list[Result] = [
        run("grade", "--rep", "rep-chen-hao", *empty),  # no store at …
        run("seed", *db),
        run("seed", "--if-empty", *db),
        run("demo", *db),
        run("counts", *db),
        run("export", str(dump), *db),
        run("import", str(dump), *db),
        run("grade", "--rep", "rep-chen-hao", "--as-of", DAY, *db),
        run("whatif", "co-orient", "--leave", "c-or-01", "--as-of", DAY, *db),
        run("whatif", "co-orient", *db),  # give at least one change
        run("plan", "co-orient", "--as-of", DAY, *db),
        run("whitespace", "--as-of", DAY, *db),
        run("report", "co-orient", "-o", str(tmp_path / "r.html"), "--as-of", DAY, *db),
        run("report", "--rep", "rep-chen-hao", *db),  # ACCOUNT_ID or --portfolio
        run("report", "co-nope", "-f", "md", *db),  # Company 'co-nope' not found
        run("report", "co-orient", "--method", "altify", "-f", "csv", *db),
        run("map", "co-orient", "-o", str(tmp_path / "m.html"), "--as-of", DAY, *db),
        run("grade", "--rep", "rep-chen-hao", "--as-of", "yesterday", *db),
        run("suggestions", "--as-of", DAY, *db),
        run("suggestions", "accept", *db),
        run("suggestions", "accept", "nocolon", *db),
        run("capture-calendar", str(tmp_path / "missing.ics"), *db),
        run("serve", *db, env={"STAKEGRAPH_API_KEYS": "[]"}),
        run("neo4j", "status", "--port", "1"),
    ]
    return out


@pytest.mark.parametrize("how", ["option", "setting"])
def test_every_command_in_chinese_prints_no_english_catalogue_line(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "setting":
        monkeypatch.setenv("STAKEGRAPH_LANG", "zh")

        def run(*args: str, env: dict[str, str] | None = None) -> Result:
            return CliRunner().invoke(
                app,
                list(args),
                env={"COLUMNS": "250", "STAKEGRAPH_DEMO_MODE": "false", **(env or {})},
            )
    else:
        run = _runner("zh", tmp_path)
    for result in _every_command(run, tmp_path, monkeypatch):
        text = result.stdout + result.stderr
        assert text.strip(), result
        assert english_in(text) == [], text
        assert re.search(r"[\u4e00-\u9fff]", text), text


def test_the_same_commands_in_english_print_catalogue_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _every_command(_runner("en", tmp_path), tmp_path, monkeypatch)
    for result in results:
        assert english_in(result.stdout + result.stderr), result.stdout + result.stderr
    missing, _, *_ = results
    assert "no store at" in missing.stderr and missing.exit_code == 1


def test_chinese_errors_and_demo_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _runner("zh", tmp_path)
    results = _every_command(run, tmp_path, monkeypatch)
    by_args = dict(zip(range(len(results)), results, strict=True))
    assert "处没有数据库" in by_args[0].stderr and by_args[0].exit_code == 1
    demo = by_args[3].stderr
    assert "首页" in demo and "/?lang=zh" in demo and "map?lang=zh&view=political" in demo
    not_found = by_args[14]
    assert not_found.exit_code == 1 and "找不到 客户公司 'co-nope'" in not_found.stderr
