"""The command line's own words in English and Chinese (``--help`` stays English).

Every line a command prints for people goes through :func:`t`: a key of the catalogue
and its parameters (data — ids, names, paths — is never translated). The language is
one setting: ``stakegraph --lang zh …`` or ``STAKEGRAPH_LANG=zh`` (a command's own
``--lang`` wins for that command).
"""

from __future__ import annotations

from typing import Literal

__all__ = ["CATALOGUE", "Lang", "current", "t", "use"]

Lang = Literal["en", "zh"]

_EN: dict[str, str] = {
    "error": "error:",
    "warning": "warning:",
    "yes": "yes",
    "no": "no",
    # common
    "no_store": "no store at {where}: {first_step}",
    "no_account": "the store at {where} holds no account: {first_step}",
    "first_step": "load data first: `stakegraph demo --no-serve`, `stakegraph seed` or "
    "`stakegraph import FILE`",
    "bad_date": "{option} {value!r} is not a date (YYYY-MM-DD)",
    "bad_moment": "{option} {value!r} is not a date (YYYY-MM-DD) or date-time",
    "bad_choice": "{option} {value!r}: one of {allowed}",
    "wrote": "wrote {path} ({kib} KiB)",
    "wrote_plain": "wrote {path}",
    "wrote_in": "wrote {path} in {seconds:.1f}s",
    "not_found": "{label} {id!r} not found",
    "label.Company": "Company",
    "label.Department": "Department",
    "label.Contact": "Contact",
    "label.Opportunity": "Opportunity",
    "label.Rep": "Rep",
    "label.Team": "Team",
    "label.Interaction": "Interaction",
    "label.Competitor": "Competitor",
    "label.PlanTarget": "PlanTarget",
    "invalid_records": "{n} invalid record(s); nothing was written.",
    # report / export-graph
    "give_account_or_portfolio": "give ACCOUNT_ID, or --portfolio [--rep R | --team T]",
    "method_formats": "--method reports are html or md, not {fmt!r}",
    "method_needs_account": "--method needs ACCOUNT_ID",
    "analysing": "analysing accounts ({n} per batch)",
    # grade
    "col.rep": "rep",
    "col.grade": "grade",
    "col.basic": "b (>= BASIC)",
    "col.intermediate": "m (>= INTERMEDIATE)",
    "col.strong": "s (STRONG)",
    "col.expert": "expert",
    "col.account": "account",
    "col.tier": "tier",
    "col.score": "score",
    "col.counted": "counted",
    "as_of": "as of {day}",
    # whatif
    "whatif.need_change": "give at least one of --leave, --stance, --level, --tie",
    "col.metric": "metric",
    "col.before": "before",
    "col.after": "after",
    "whatif.title": "what-if on {account} as of {day}",
    "whatif.summary": "{changed} of {total} metrics change",
    "whatif.hidden": "; {hidden} unchanged hidden (--all shows them)",
    # plan
    "col.target": "target",
    "col.status": "status",
    "col.level": "level",
    "col.target_level": "target level",
    "col.due": "due",
    "col.owner": "owner",
    "col.work_on": "work on",
    "col.best_path": "best path",
    "col.score_gain": "score gain",
    "col.note": "note",
    "plan.title": "relationship plan of {account} as of {day}",
    "plan.any": "{role} (any)",
    "plan.met": "met",
    "plan.overdue": "overdue",
    "plan.open": "open",
    "plan.none": "{account} has no relationship plan: no targets set",
    # whitespace
    "col.branch": "branch",
    "col.product_not_bought": "product not bought",
    "col.bought_by": "bought by",
    "ws.none": "no headquarters with branches in the store",
    "ws.title": "group of {hq} ({n} branches) as of {day}",
    "ws.won": ", won {first} … {last}",
    "ws.coverage": "; headquarters KDM coverage {ratio:.0%}",
    "ws.programme": "likely headquarters programme: {product} (branches {branches}{when}){ratio}",
    # data
    "col.created": "created",
    "col.updated": "updated",
    "col.unchanged": "unchanged",
    "col.deleted": "deleted",
    "row.records": "records",
    "row.relationships": "relationships",
    "changes_recorded": "change events recorded: {n}",
    "importing": "importing {name}",
    "import.completed": "the last import of this file was interrupted ({done} of {total} "
    "accounts written); this import completed it",
    "import.after_interrupted": "the last import, of another file, was interrupted ({done} "
    "of {total} accounts written); its written accounts stay",
    "importing_tables": "importing tables",
    "sheet_rows": "{sheet}: {rows} row(s)",
    "col.label_type": "label / type",
    "col.count": "count",
    "seeding": "seeding",
    "seed.not_empty": "the store already holds accounts: nothing seeded (--if-empty)",
    # serve / demo
    "serve.no_key": "no API key and not in demo mode, so every request would be refused: set "
    "STAKEGRAPH_API_KEYS or STAKEGRAPH_ADMIN_KEY_FILE (or STAKEGRAPH_DEMO_MODE=true on a "
    "machine of your own)",
    "admin_key.generated": "generated an ADMIN API key (kept in {path}, shown only now):\n"
    "  {key}\n  send it as `X-API-Key: <key>`",
    "admin_key.kept": "ADMIN API key: the one kept in {path}",
    "demo.kept": "{where} already holds accounts: kept as they are "
    "(`stakegraph seed` reloads the demo)",
    "demo.loading": "loading demo",
    "demo.loaded": "demo data loaded into {where}",
    "demo.on": "stakegraph demo on {base}",
    "demo.front": "front page",
    "demo.map": "a map",
    "demo.graphiql": "GraphiQL",
    "demo.health": "health",
    # neo4j
    "neo4j.failed": "Neo4j did not start:",
    "neo4j.running": "Neo4j running at {uri} (pid {pid}, data {data})",
    "neo4j.stopped": "stopped",
    "neo4j.not_running": "not running",
    "neo4j.status": "running at {uri} (pid {pid})",
    # capture
    "col.outcome": "outcome",
    "col.when_utc": "when (UTC)",
    "col.title": "title",
    "col.interaction": "interaction",
    "col.attendees": "attendees",
    "capture.no_events": "no events",
    "capture.summary": "{counts}; interactions written: {n}",
    "capture.upcoming": "; {n} upcoming left out",
    "col.address": "address",
    "col.name": "name",
    "col.events": "events",
    "capture.unmatched": "unmatched addresses (not guessed)",
    "sugg.bad_name": "{value!r}: a suggestion is named REP:CONTACT",
    "sugg.needs": "suggestions {action} needs REP:CONTACT",
    "sugg.accepted": "accepted",
    "sugg.dismissed": "dismissed",
    "sugg.done": "{done} {id}: level {level} → {suggested} ({account})",
    "sugg.give_one": "give one ACCOUNT, or accept / dismiss REP:CONTACT",
    "sugg.none": "no open level suggestion as of {day}",
    "col.id": "id",
    "col.suggested": "suggested",
    "col.interactions": "interactions",
    "col.visits": "visits/meetings",
    "col.last": "last",
    "sugg.title": "suggested levels as of {day}",
}

_ZH: dict[str, str] = {
    "error": "错误：",
    "warning": "警告：",
    "yes": "是",
    "no": "否",
    "no_store": "{where} 处没有数据库：{first_step}",
    "no_account": "{where} 处的数据库中没有客户：{first_step}",
    "first_step": "请先载入数据：`stakegraph demo --no-serve`、`stakegraph seed` 或 "
    "`stakegraph import 文件`",
    "bad_date": "{option} {value!r} 不是日期（YYYY-MM-DD）",
    "bad_moment": "{option} {value!r} 不是日期（YYYY-MM-DD）或日期时间",
    "bad_choice": "{option} {value!r}：可选值为 {allowed}",
    "wrote": "已写入 {path}（{kib} KiB）",
    "wrote_plain": "已写入 {path}",
    "wrote_in": "已写入 {path}，用时 {seconds:.1f} 秒",
    "not_found": "找不到 {label} {id!r}",
    "label.Company": "客户公司",
    "label.Department": "部门",
    "label.Contact": "联系人",
    "label.Opportunity": "商机",
    "label.Rep": "销售",
    "label.Team": "团队",
    "label.Interaction": "互动",
    "label.Competitor": "竞争对手",
    "label.PlanTarget": "计划目标",
    "invalid_records": "{n} 条记录无效；未写入任何数据。",
    "give_account_or_portfolio": "请给出 ACCOUNT_ID，或 --portfolio [--rep R | --team T]",
    "method_formats": "--method 报告只支持 html 或 md，不支持 {fmt!r}",
    "method_needs_account": "--method 需要 ACCOUNT_ID",
    "analysing": "正在分析客户（每批 {n} 个）",
    "col.rep": "销售",
    "col.grade": "等级",
    "col.basic": "b（≥ 初级）",
    "col.intermediate": "m（≥ 中级）",
    "col.strong": "s（强关系）",
    "col.expert": "行业专家",
    "col.account": "客户",
    "col.tier": "客户级别",
    "col.score": "得分",
    "col.counted": "计入",
    "as_of": "截至 {day}",
    "whatif.need_change": "请至少给出 --leave、--stance、--level、--tie 之一",
    "col.metric": "指标",
    "col.before": "变化前",
    "col.after": "变化后",
    "whatif.title": "{account} 的假设分析，截至 {day}",
    "whatif.summary": "{total} 项指标中有 {changed} 项变化",
    "whatif.hidden": "；隐藏了 {hidden} 项未变化的指标（--all 显示全部）",
    "col.target": "目标",
    "col.status": "状态",
    "col.level": "关系等级",
    "col.target_level": "目标等级",
    "col.due": "期限",
    "col.owner": "负责人",
    "col.work_on": "需经营的联系人",
    "col.best_path": "最佳路径",
    "col.score_gain": "得分提升",
    "col.note": "备注",
    "plan.title": "{account} 的关系计划，截至 {day}",
    "plan.any": "{role}（任意）",
    "plan.met": "已达成",
    "plan.overdue": "已逾期",
    "plan.open": "进行中",
    "plan.none": "{account} 没有关系计划：未设定目标",
    "col.branch": "分公司",
    "col.product_not_bought": "未购买的产品",
    "col.bought_by": "已购买的分公司",
    "ws.none": "数据库中没有带分公司的总部",
    "ws.title": "{hq} 集团（{n} 家分公司），截至 {day}",
    "ws.won": "，成交于 {first} … {last}",
    "ws.coverage": "；总部关键决策人覆盖率 {ratio:.0%}",
    "ws.programme": "可能的总部统一项目：{product}（分公司 {branches}{when}）{ratio}",
    "col.created": "新建",
    "col.updated": "更新",
    "col.unchanged": "未变",
    "col.deleted": "删除",
    "row.records": "记录",
    "row.relationships": "关系",
    "changes_recorded": "已记录变更事件：{n}",
    "importing": "正在导入 {name}",
    "import.completed": "上次导入此文件时被中断（已写入 {done}/{total} 个客户）；本次导入已将其补全",
    "import.after_interrupted": "上次导入（另一个文件）被中断（已写入 {done}/{total} 个客户）；"
    "已写入的客户保留",
    "importing_tables": "正在导入表格",
    "sheet_rows": "{sheet}：{rows} 行",
    "col.label_type": "标签 / 类型",
    "col.count": "数量",
    "seeding": "正在载入",
    "seed.not_empty": "数据库中已有客户：未载入任何数据（--if-empty）",
    "serve.no_key": "没有 API 密钥且不在演示模式，所有请求都会被拒绝：请设置 "
    "STAKEGRAPH_API_KEYS 或 STAKEGRAPH_ADMIN_KEY_FILE（或在自己的机器上设置 "
    "STAKEGRAPH_DEMO_MODE=true）",
    "admin_key.generated": "已生成 ADMIN API 密钥（保存在 {path}，仅此一次显示）：\n"
    "  {key}\n  请以 `X-API-Key: <密钥>` 发送",
    "admin_key.kept": "ADMIN API 密钥：使用保存在 {path} 的密钥",
    "demo.kept": "{where} 中已有客户：保持不变（`stakegraph seed` 可重新载入演示数据）",
    "demo.loading": "正在载入演示数据",
    "demo.loaded": "演示数据已载入 {where}",
    "demo.on": "stakegraph 演示服务：{base}",
    "demo.front": "首页",
    "demo.map": "客户地图",
    "demo.graphiql": "GraphiQL 调试台",
    "demo.health": "健康检查",
    "neo4j.failed": "Neo4j 启动失败：",
    "neo4j.running": "Neo4j 运行于 {uri}（进程 {pid}，数据目录 {data}）",
    "neo4j.stopped": "已停止",
    "neo4j.not_running": "未运行",
    "neo4j.status": "运行于 {uri}（进程 {pid}）",
    "col.outcome": "结果",
    "col.when_utc": "时间（UTC）",
    "col.title": "主题",
    "col.interaction": "互动",
    "col.attendees": "参与人",
    "capture.no_events": "没有事件",
    "capture.summary": "{counts}；已写入互动：{n}",
    "capture.upcoming": "；{n} 个未来事件未计入",
    "col.address": "邮箱地址",
    "col.name": "姓名",
    "col.events": "事件数",
    "capture.unmatched": "未匹配的地址（不做猜测）",
    "sugg.bad_name": "{value!r}：建议的名称格式为 REP:CONTACT",
    "sugg.needs": "suggestions {action} 需要 REP:CONTACT",
    "sugg.accepted": "已接受",
    "sugg.dismissed": "已忽略",
    "sugg.done": "{done} {id}：关系等级 {level} → {suggested}（{account}）",
    "sugg.give_one": "请给出一个客户，或 accept / dismiss REP:CONTACT",
    "sugg.none": "截至 {day} 没有待处理的关系等级建议",
    "col.id": "编号",
    "col.suggested": "建议等级",
    "col.interactions": "互动次数",
    "col.visits": "拜访/会议",
    "col.last": "最近一次",
    "sugg.title": "建议的关系等级，截至 {day}",
}

#: Both languages, key by key (a test checks they have the same keys).
CATALOGUE: dict[str, dict[str, str]] = {"en": _EN, "zh": _ZH}

_current: list[Lang] = ["en"]


def use(lang: Lang) -> None:
    """Make ``lang`` the language of every line printed from now on."""
    _current[0] = lang


def current() -> Lang:
    return _current[0]


def t(key: str, /, **params: object) -> str:
    """The line ``key`` in the current language, its parameters filled in."""
    table = CATALOGUE[_current[0]]
    if key == "not_found":
        params = {**params, "label": table.get(f"label.{params.get('label')}", params.get("label"))}
    return table[key].format(**params)
