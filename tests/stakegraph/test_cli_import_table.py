"""``stakegraph import-table``: Salesforce exports, the Chinese template (GBK CSV and
.xlsx) and bad cells, through the command line on both stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.graph.test_dataset import _without_timestamps
from tests.graph.test_tables import CN_SHEETS, SALESFORCE, _csv_bytes, _workbook_bytes
from tests.stakegraph.cli_helpers import cli, exported, store_args_of


@pytest.fixture(params=["embedded", "neo4j"])
def store_args(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    return store_args_of(request, tmp_path, request.param)


def _summary(stdout: str) -> dict[str, int]:
    summary: dict[str, int] = json.loads(stdout)
    return summary


def test_a_salesforce_export_imports_into_both_stores_and_exports_identically(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    docs = []
    for backend in ("embedded", "neo4j"):
        args = store_args_of(request, tmp_path, backend)
        first = cli("import-table", str(SALESFORCE), "--json", "--mapping", "salesforce", *args)
        assert first.exit_code == 0, first.stderr
        assert _summary(first.stdout)["nodes_created"] == 27
        assert "Contact (Contact): 9 row(s)" in first.stderr
        before = exported(args)
        again = cli("import-table", str(SALESFORCE), "--json", "--mapping", "salesforce", *args)
        assert again.exit_code == 0, again.stderr
        summary = _summary(again.stdout)
        assert summary["nodes_created"] == summary["nodes_updated"] == 0
        assert summary["relationships_created"] == summary["relationships_updated"] == 0
        assert exported(args) == before  # idempotent: not even a timestamp moves
        docs.append(before)
    embedded, neo4j = docs
    assert _without_timestamps(embedded) == _without_timestamps(neo4j)
    assert len(embedded["contacts"]) == 9 and len(embedded["companies"]) == 2
    assert all(len(c["id"]) == 18 for c in embedded["contacts"])


def test_a_gbk_csv_folder_and_an_xlsx_of_the_chinese_template_import_alike(
    store_args: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "gbk"
    folder.mkdir()
    for name, rows in CN_SHEETS.items():
        (folder / f"{name}.csv").write_bytes(_csv_bytes(rows, "gbk"))
    book = tmp_path / "客户联系人.xlsx"
    book.write_bytes(_workbook_bytes(CN_SHEETS, title_row=True))

    from_csv = cli("import-table", str(folder), "--json", "--mapping", "cn-template", *store_args)
    assert from_csv.exit_code == 0, from_csv.stderr
    assert _summary(from_csv.stdout)["nodes_created"] > 0
    doc = exported(store_args)
    assert {c["name"] for c in doc["contacts"]} == {"陈总", "王磊", "李娜", "赵敏", "孙强"}
    assert {c["stance"] for c in doc["contacts"] if c["name"] == "王磊"} == {"CHAMPION"}

    from_xlsx = cli("import-table", str(book), "--json", "-m", "cn-template", *store_args)
    assert from_xlsx.exit_code == 0, from_xlsx.stderr
    summary = _summary(from_xlsx.stdout)
    # the workbook holds what the GBK files held: it lands on the same records
    assert summary["nodes_created"] == summary["nodes_updated"] == 0
    assert summary["relationships_created"] == summary["relationships_updated"] == 0
    assert exported(store_args) == doc


def test_five_kinds_of_bad_cells_are_refused_one_line_each_writing_nothing(
    store_args: list[str], tmp_path: Path
) -> None:
    sheets = {
        "联系人": [
            ["客户", "部门", "姓名", "职位", "态度", "上级", "关键决策人"],
            ["东方制造", "信息部", "王磊", "CIO", "很支持", "", "是"],  # unknown stance
            ["东方制造", "信息部", "", "工程师", "支持", "王磊", ""],  # blank key (name)
            ["东方制造", "信息部", "李娜", "经理", "中立", "刘备", ""],  # superior nobody is
            ["东方制造", "财务部", "赵敏", "总监", "反对", "赵敏", ""],  # reports to herself
            ["东方制造", "财务部", "钱多", "会计", "支持", "", "也许"],  # not a yes/no
        ],
        "商机": [
            ["客户", "商机名称", "金额", "预计成交"],
            ["东方制造", "数据平台", "六百万", "2027-02-30"],  # not a number, not a date
        ],
    }
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_workbook_bytes(sheets))
    result = cli("import-table", str(bad), "--json", "--mapping", "cn-template", *store_args)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1] == "7 invalid record(s); nothing was written."
    cells = lines[:-1]
    assert len(cells) == 7
    for where in (
        "sheet '联系人', row 2, column '态度', value '很支持': unknown value",
        "sheet '联系人', row 3, column '姓名', value (blank): ",
        "sheet '联系人', row 4, column '上级', value '刘备': ",
        "sheet '联系人', row 5, column '上级', value '赵敏': ",
        "sheet '联系人', row 6, column '关键决策人', value '也许': ",
        "sheet '商机', row 2, column '金额', value '六百万': not a number",
        "sheet '商机', row 2, column '预计成交', value '2027-02-30': ",
    ):
        assert sum(line.startswith(where) for line in cells) == 1, (where, cells)
    assert result.stdout == ""
    doc = exported(store_args)
    assert all(doc[k] == [] for k in doc if isinstance(doc[k], list)), doc


def test_an_unknown_mapping_is_named_and_nothing_is_written(
    store_args: list[str], tmp_path: Path
) -> None:
    result = cli("import-table", str(SALESFORCE), "--json", "--mapping", "hubspot", *store_args)
    assert result.exit_code == 1
    assert "'hubspot'" in result.stderr and "no such mapping file" in result.stderr
    assert "salesforce" in result.stderr  # the shipped ones are listed
    assert exported(store_args)["contacts"] == []
