"""Spreadsheet and CRM import (graph.tables): Salesforce exports, the Chinese template,
every encoding, bad cells — on both stores."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from stakegraph.graph.dataset import export_dataset
from stakegraph.graph.errors import InvalidTables, TableError
from stakegraph.graph.model import Contact, Label, Relationship, RelType, Stance
from stakegraph.graph.store import GraphBatch, GraphStore
from stakegraph.graph.table_mapping import load_mapping, packaged_mappings
from stakegraph.graph.table_sources import decode_text, read_table_bytes, read_tables
from stakegraph.graph.table_values import natural_id, salesforce_id
from stakegraph.graph.tables import import_tables, tables_to_dataset
from tests.fixtures.make_salesforce_export import ACC, CON, LEAD, OPP, USERS
from tests.graph.test_dataset import _without_timestamps

SALESFORCE = Path(__file__).parent.parent / "fixtures" / "salesforce"


def _rels(doc: dict[str, Any], rel_type: str) -> set[tuple[str, str]]:
    return {(r["from"], r["to"]) for r in doc["relationships"] if r["type"] == rel_type}


def _by_id(doc: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in doc[key]}


# ------------------------------------------------------------------ Salesforce


def test_salesforce_export_imports_into_both_stores_and_exports_identically(
    embedded_store: GraphStore, neo4j_store: GraphStore
) -> None:
    for s in (embedded_store, neo4j_store):
        result = import_tables(s, [SALESFORCE], "salesforce")
        assert result.summary.nodes_created == 27
    a, b = export_dataset(embedded_store), export_dataset(neo4j_store)
    assert _without_timestamps(a) == _without_timestamps(b)
    assert a["changes"] == b["changes"] == []
    assert len(a["contacts"]) == 9 and len(a["companies"]) == 2


def test_salesforce_reports_to_chain_ids_and_roles_follow_the_export(store: GraphStore) -> None:
    import_tables(store, [SALESFORCE], "salesforce")
    doc = export_dataset(store)
    assert all(len(c["id"]) == 18 for c in doc["contacts"])
    # the chain engineer → director → CIO → CEO; the director's ReportsToId was 15 chars
    assert {(CON[3], CON[2]), (CON[2], CON[1]), (CON[1], CON[0])} <= _rels(doc, "REPORTS_TO")
    roles = {(r["from"], r["role"]) for r in doc["relationships"] if r["type"] == "HAS_ROLE"}
    assert (CON[0], "ECONOMIC_BUYER") in roles and (CON[1], "TECHNICAL_EVALUATOR") in roles
    assert (CON[5], "FINANCIAL_CONTROLLER") in roles and (CON[2], "INFLUENCER") in roles
    assert _rels(doc, "BRANCH_OF") == {(ACC[1], ACC[0])}
    assert (USERS[0], ACC[0]) in _rels(doc, "COVERS")
    opps = _by_id(doc, "opportunities")
    assert opps[OPP[0]]["status"] == "OPEN" and opps[OPP[0]]["stage"] == "DISCOVERY"
    assert opps[OPP[1]]["status"] == "WON" and opps[OPP[1]]["amount"] == 450000.0
    companies = _by_id(doc, "companies")
    assert companies[ACC[0]]["tier"] == "STRATEGIC" and companies[ACC[0]]["region"] == "Jiangsu"
    # departments come from Contact.Department, "General" when blank
    departments = {d["name"] for d in doc["departments"]}
    assert departments == {"Executive Office", "IT", "Finance", "General", "Management"}
    # the open task is not an interaction; the lead and the case are not linked
    interactions = _by_id(doc, "interactions")
    assert len(interactions) == 5  # 3 completed tasks, 2 events
    attended = _rels(doc, "ATTENDED")
    assert not any(LEAD in pair for pair in attended)
    assert (CON[1], next(i for i in interactions if i.startswith("00T"))) in attended
    contacts = _by_id(doc, "contacts")
    assert contacts[CON[0]]["seniority"] == "EXECUTIVE"  # "Chief Executive Officer"
    assert contacts[CON[2]]["seniority"] == "DIRECTOR"
    assert contacts[CON[5]]["seniority"] == "MANAGER"
    assert contacts[CON[8]]["seniority"] == "STAFF"  # "Consultant"; no account, no department
    assert not any(f == CON[8] for f, _ in _rels(doc, "WORKS_IN"))


def test_reimporting_the_export_changes_nothing_and_keeps_fields_it_lacks(
    store: GraphStore,
) -> None:
    import_tables(store, [SALESFORCE], "salesforce")
    ceo = store.get_node(Label.CONTACT, CON[0])
    assert isinstance(ceo, Contact)
    store.write(GraphBatch(nodes=[ceo.model_copy(update={"stance": Stance.CHAMPION})]))
    override = Relationship(
        type=RelType.HAS_ROLE,
        from_label=Label.CONTACT,
        from_id=CON[0],
        to_label=Label.OPPORTUNITY,
        to_id=OPP[0],
        properties={"role": "ECONOMIC_BUYER", "stance": "SUPPORTER"},
    )
    store.write(GraphBatch(relationships=[override]))
    counts = store.counts()
    again = import_tables(store, [SALESFORCE], "salesforce")
    assert store.counts() == counts
    assert again.summary.nodes_created == again.summary.nodes_updated == 0
    assert again.summary.relationships_created == again.summary.relationships_updated == 0
    kept = store.get_node(Label.CONTACT, CON[0])
    assert isinstance(kept, Contact) and kept.stance == Stance.CHAMPION
    (role,) = store.relationships(RelType.HAS_ROLE, from_ids=[CON[0]])
    assert role.properties == {"role": "ECONOMIC_BUYER", "stance": "SUPPORTER"}


def test_the_export_zip_and_upper_case_data_loader_headers_read_like_the_files() -> None:
    mapping = load_mapping("salesforce")
    plain = tables_to_dataset(read_tables([SALESFORCE]), mapping).document
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(SALESFORCE.glob("*.csv")):
            text = path.read_text("utf-8")
            header, _, rest = text.partition("\n")
            archive.writestr(f"export/{path.name}", header.upper() + "\n" + rest)
    zipped = tables_to_dataset(read_table_bytes("WE_00D.zip", buffer.getvalue()), mapping)
    assert zipped.document == plain


def test_an_18_character_id_with_a_wrong_suffix_is_refused() -> None:
    good = salesforce_id("0035g0000Co001A")
    assert salesforce_id(good.lower()[:15].upper()) != good  # the suffix encodes case
    text = (SALESFORCE / "Contact.csv").read_text("utf-8").replace(CON[3], CON[3][:15] + "AAA")
    tables = [
        t if t.name != "Contact" else read_table_bytes("Contact.csv", text.encode())[0]
        for t in read_tables([SALESFORCE])
    ]
    with pytest.raises(InvalidTables) as caught:
        tables_to_dataset(tables, load_mapping("salesforce"))
    (err,) = caught.value.errors
    assert (err.sheet, err.column, err.value) == ("Contact", "Id", CON[3][:15] + "AAA")
    assert "suffix" in err.reason


# --------------------------------------------------------------- Chinese template

CN_SHEETS: dict[str, list[list[Any]]] = {
    "客户": [
        ["客户名称", "行业", "区域", "客户等级", "年收入（万元）", "战略匹配"],
        ["东方制造集团", "制造", "华东", "战略", 150000, 5],
    ],
    "联系人": [
        ["客户", "部门", "姓名", "职位", "级别", "态度", "上级", "影响力", "爱好", "倾向友商"],
        ["东方制造集团", "总经办", "陈总", "总经理", "", "支持", "", "高", "高尔夫、茶", ""],
        ["东方制造集团", "信息部", "王磊", "CIO", "", "坚定支持", "陈总", "", "", ""],
        ["东方制造集团", "信息部", "李娜", "运维经理", "", "中立", "王磊", "", "", "云启科技"],
        ["东方制造集团", "财务部", "赵敏", "财务总监", "总监", "反对", "陈总", "中", "", ""],
        ["东方制造集团", "", "孙强", "车间主任", "经理", "未知", "陈总", "", "", ""],
    ],
    "商机": [
        ["客户", "商机名称", "阶段", "状态", "金额（万元）", "产品", "预计成交"],
        [
            "东方制造集团",
            "智能工厂数据平台",
            "方案",
            "进行中",
            680,
            "数据平台、生产分析",
            "2027-03-31",
        ],
    ],
    "决策链": [
        ["客户", "商机", "联系人", "角色", "态度"],
        ["东方制造集团", "智能工厂数据平台", "陈总", "最终决策者", ""],
        ["东方制造集团", "智能工厂数据平台", "王磊", "技术评估者", ""],
        ["东方制造集团", "智能工厂数据平台", "赵敏", "财务把关者", "中立"],
        ["东方制造集团", "智能工厂数据平台", "孙强", "使用者", ""],
    ],
    "关系": [
        ["销售", "客户", "联系人", "关系等级", "最近联系"],
        ["陈浩", "东方制造集团", "王磊", "信任", "2026-11-01 10:30"],
        ["陈浩", "东方制造集团", "陈总", "熟悉", "2026/10/20"],
    ],
    "拜访记录": [
        ["日期", "客户", "联系人", "销售", "方式", "目的", "商机", "备注"],
        [
            "2026-11-01 10:30",
            "东方制造集团",
            "王磊、李娜",
            "陈浩",
            "拜访",
            "方案",
            "智能工厂数据平台",
            "演示",
        ],
    ],
}


def _workbook_bytes(sheets: dict[str, list[list[Any]]], *, title_row: bool = False) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        if title_row:
            sheet.append([f"{name}（请勿删除表头）"])
        for row in rows:
            sheet.append([None if c == "" else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_bytes(rows: list[list[Any]], encoding: str) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def test_gbk_csv_files_and_an_xlsx_workbook_of_the_chinese_template_give_the_same_dataset(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "gbk"
    folder.mkdir()
    for name, rows in CN_SHEETS.items():
        (folder / f"{name}.csv").write_bytes(_csv_bytes(rows, "gbk"))
    mapping = load_mapping("cn-template")
    from_csv = read_tables([folder])
    assert {t.encoding for t in from_csv} == {"gb18030"}
    from_xlsx = read_table_bytes("客户联系人.xlsx", _workbook_bytes(CN_SHEETS, title_row=True))
    a = tables_to_dataset(from_csv, mapping).document
    b = tables_to_dataset(from_xlsx, mapping).document
    assert a == b
    assert {c["name"] for c in a["contacts"]} == {"陈总", "王磊", "李娜", "赵敏", "孙强"}


def test_the_chinese_template_imports_names_stances_ties_and_visits(store: GraphStore) -> None:
    tables = read_table_bytes("客户联系人.xlsx", _workbook_bytes(CN_SHEETS))
    import_tables(store, tables, "cn-template")
    doc = export_dataset(store)
    company = natural_id(Label.COMPANY, ["东方制造集团"])
    assert _by_id(doc, "companies")[company]["annual_revenue"] == 150000 * 10000
    assert _by_id(doc, "companies")[company]["tier"] == "STRATEGIC"
    cid = {c["name"]: c["id"] for c in doc["contacts"]}
    contacts = _by_id(doc, "contacts")
    assert contacts[cid["王磊"]]["stance"] == "CHAMPION"
    assert contacts[cid["赵敏"]]["stance"] == "OPPONENT"
    assert contacts[cid["陈总"]]["seniority"] == "EXECUTIVE"  # 总经理
    assert contacts[cid["李娜"]]["seniority"] == "MANAGER"  # 运维经理
    assert contacts[cid["陈总"]]["profile"]["hobbies"] == ["高尔夫", "茶"]
    assert _rels(doc, "REPORTS_TO") == {
        (cid["王磊"], cid["陈总"]),
        (cid["李娜"], cid["王磊"]),
        (cid["赵敏"], cid["陈总"]),
        (cid["孙强"], cid["陈总"]),
    }
    depts = {d["name"] for d in doc["departments"]}
    assert depts == {"总经办", "信息部", "财务部", "未分组"}
    (opp,) = doc["opportunities"]
    assert opp["amount"] == 6_800_000 and opp["products"] == ["数据平台", "生产分析"]
    roles = {
        (r["from"], r["role"], r.get("stance"))
        for r in doc["relationships"]
        if r["type"] == "HAS_ROLE"
    }
    assert (cid["赵敏"], "FINANCIAL_CONTROLLER", "NEUTRAL") in roles
    (rep,) = doc["reps"]
    knows = {(r["to"], r["level"]) for r in doc["relationships"] if r["type"] == "KNOWS"}
    assert knows == {(cid["王磊"], 3), (cid["陈总"], 2)}
    (visit,) = doc["interactions"]
    assert visit["at"] == "2026-11-01T02:30:00Z"  # 10:30 in Asia/Shanghai
    assert _rels(doc, "ATTENDED") == {
        (cid["王磊"], visit["id"]),
        (cid["李娜"], visit["id"]),
        (rep["id"], visit["id"]),
    }
    assert _rels(doc, "ABOUT") == {(visit["id"], opp["id"])}
    assert _rels(doc, "FAVORS") == {(cid["李娜"], doc["competitors"][0]["id"])}
    # the same workbook again: the same records, nothing new
    again = import_tables(store, tables, "cn-template")
    assert again.summary.nodes_created == again.summary.relationships_created == 0
    assert again.summary.nodes_updated == 0


def test_a_sheet_with_five_kinds_of_bad_cells_is_refused_one_line_each_writing_nothing(
    store: GraphStore,
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
    with pytest.raises(InvalidTables) as caught:
        import_tables(store, read_table_bytes("bad.xlsx", _workbook_bytes(sheets)), "cn-template")
    errors = caught.value.errors
    lines = [str(e) for e in errors]
    assert all(isinstance(e, TableError) for e in errors)
    got = {(e.sheet, e.row, e.column, e.value) for e in errors}
    assert got == {
        ("联系人", 2, "态度", "很支持"),
        ("联系人", 3, "姓名", None),
        ("联系人", 4, "上级", "刘备"),
        ("联系人", 5, "上级", "赵敏"),
        ("联系人", 6, "关键决策人", "也许"),
        ("商机", 2, "金额", "六百万"),
        ("商机", 2, "预计成交", "2027-02-30"),
    }, lines
    assert len(lines) == len(got)
    reasons = {e.column: e.reason for e in errors}
    assert "unknown value" in reasons["态度"] and "坚定支持" in reasons["态度"]
    assert "not a number" in reasons["金额"] and "date" in reasons["预计成交"]
    assert "yes/no" in reasons["关键决策人"]
    assert lines[0].startswith("sheet '联系人', row 2, column '态度', value '很支持': ")
    assert sum(store.counts().values()) == 0


def test_a_missing_key_column_is_reported_on_the_header_row() -> None:
    tables = read_table_bytes("联系人.csv", "客户,职位\n东方制造,CIO\n".encode())
    with pytest.raises(InvalidTables) as caught:
        tables_to_dataset(tables, load_mapping("cn-template"))
    assert [(e.sheet, e.row, e.column, e.reason) for e in caught.value.errors] == [
        ("联系人", 1, "姓名", "missing column")
    ]


def test_a_sheet_the_mapping_does_not_know_is_a_warning_not_an_error() -> None:
    tables = read_table_bytes(
        "t.xlsx", _workbook_bytes({"说明": [["填写说明", "见下"]], **CN_SHEETS})
    )
    result = tables_to_dataset(tables, load_mapping("cn-template"))
    assert any("'说明' ignored" in w for w in result.warnings)


# -------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "客户,姓名\n东方,王磊\n".encode(), "utf-8-sig"),
        ("客户,姓名\n东方,王磊\n".encode(), "utf-8"),
        ("客户,姓名\n东方,王磊\n".encode("gbk"), "gb18030"),
        ("客户,姓名\n东方,王磊\n".encode("gb18030"), "gb18030"),
        ("客户\t姓名\n东方\t王磊\n".encode("utf-16"), "utf-16"),
    ],
)
def test_csv_text_is_decoded_whatever_excel_wrote(data: bytes, expected: str) -> None:
    (table,) = read_table_bytes("联系人.csv", data)
    assert table.encoding == expected
    assert table.columns == ("客户", "姓名")
    assert table.rows[0].cells == {"客户": "东方", "姓名": "王磊"}


@pytest.mark.parametrize(
    "text",
    [
        "Name;Title\nRené Müller;Directeur\n",
        "Name,Title\nFrançois Lefèvre,Geschäftsführer\nÅsa Öberg,Directeur général\n",
    ],
)
def test_a_western_excel_csv_falls_back_to_windows_1252(text: str) -> None:
    # the second one also decodes as GB18030, into ideographs glued to Latin letters
    assert decode_text(text.encode("cp1252")) == (text, "cp1252")


def test_chinese_text_with_latin_words_stays_gb18030() -> None:
    text = "部门,职位\nIT部,CIO\n信息中心,ERP项目经理\n数据部,BI主管\n"
    assert decode_text(text.encode("gbk")) == (text, "gb18030")


def test_workbook_row_numbers_are_those_excel_shows() -> None:
    data = _workbook_bytes({"联系人": [["客户", "姓名"], ["东方", "王磊"]]}, title_row=True)
    (table,) = read_table_bytes("x.xlsx", data)
    assert table.header_row == 2 and table.rows[0].number == 3


def test_every_packaged_mapping_loads() -> None:
    assert packaged_mappings() == ["cn-template", "salesforce"]
    for name in packaged_mappings():
        assert load_mapping(name).sheets
