"""Deterministic synthetic datasets in dataset v1 (docs/analytics.md §4) for load tests.

:func:`generate` builds a whole portfolio of accounts with the shapes real key-account
data has: a tier mix, 4–8 departments per account (some key), a ``REPORTS_TO`` tree
rooted at the top executive, about one ``INFLUENCES`` tie per contact, political
camps, stances with many UNKNOWN, contacts who left, one or two opportunities with
their buying-centre roles, reps and teams with a coverage model (and a few coverage
faults), ``KNOWS`` edges whose recency spreads over the decay bands, interactions over
the last 18 months and the change events of stances and statuses.

Everything is drawn from one ``random.Random(seed)`` in a fixed order over lists (never
sets), so the same arguments give byte-identical JSON on any run.

Ids: companies ``acc-0001``, departments ``acc-0001-d3``, contacts ``acc-0001-c042``,
opportunities ``acc-0001-o1``, reps ``rep-0001``, teams ``team-01``, interactions
``int-000001``, competitors ``cmp-01``.

Run ``python -m stakegraph.seeds.synthetic ACCOUNTS CONTACTS SEED > out.json`` to write a file.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

__all__ = ["generate"]

# ------------------------------------------------------------------ vocabularies

REGIONS: dict[str, tuple[str, ...]] = {
    "North China": ("北京", "天津", "石家庄", "太原"),
    "East China": ("上海", "苏州", "杭州", "南京", "宁波", "合肥"),
    "South China": ("广州", "深圳", "佛山", "东莞", "厦门"),
    "Central China": ("武汉", "长沙", "郑州", "南昌"),
    "Southwest": ("成都", "重庆", "昆明", "贵阳"),
    "Northwest": ("西安", "兰州", "乌鲁木齐"),
    "Northeast": ("沈阳", "大连", "长春", "哈尔滨"),
}
REGION_NAMES = list(REGIONS)
REGION_CN = {
    "North China": "华北",
    "East China": "华东",
    "South China": "华南",
    "Central China": "华中",
    "Southwest": "西南",
    "Northwest": "西北",
    "Northeast": "东北",
}

#: industry, relative weight, company-name suffix
INDUSTRIES: tuple[tuple[str, int, str], ...] = (
    ("Manufacturing", 30, "精密制造有限公司"),
    ("Banking", 10, "银行"),
    ("Insurance", 6, "保险股份有限公司"),
    ("Retail", 12, "商贸有限公司"),
    ("Logistics", 9, "物流有限公司"),
    ("Energy", 8, "能源集团"),
    ("Healthcare", 9, "医疗科技有限公司"),
    ("Telecom", 5, "通信技术有限公司"),
    ("Government", 11, ""),
)
GOV_BUREAUS = ("大数据管理局", "交通运输局", "卫生健康委员会", "市场监督管理局", "税务局", "教育局")
BRANDS = (
    "恒瑞", "华信", "博远", "中科", "天成", "汇通", "新源", "瑞丰", "鼎盛", "金桥", "长风",
    "宏图", "启明", "蓝海", "安泰", "正航", "海纳", "远景", "同创", "德润", "嘉禾", "万象",
)  # fmt: skip

#: function, Chinese name, English name, relative size, probability of is_key
DEPARTMENT_POOL: tuple[tuple[str, str, str, int, float], ...] = (
    ("TECHNICAL", "信息技术部", "Information Technology", 14, 0.8),
    ("BUSINESS", "生产运营部", "Operations", 22, 0.7),
    ("FINANCE_PROCUREMENT", "财务部", "Finance", 8, 0.6),
    ("FINANCE_PROCUREMENT", "采购中心", "Procurement", 6, 0.3),
    ("LEGAL", "法务合规部", "Legal & Compliance", 4, 0.1),
    ("BUSINESS", "市场营销部", "Marketing", 10, 0.2),
    ("BUSINESS", "客户服务部", "Customer Service", 10, 0.1),
    ("OTHER", "人力资源部", "Human Resources", 6, 0.05),
)
EXEC_DEPT = ("EXECUTIVE", "总经理办公室", "Executive Office", 6, 0.9)
#: departments every account has besides the executive office (indexes into the pool)
CORE_DEPTS = (0, 1, 2)

SENIORITIES = ("EXECUTIVE", "VP", "DIRECTOR", "MANAGER", "STAFF")
TITLES: dict[str, tuple[str, str, str, str, str]] = {
    "EXECUTIVE": (
        "General Manager", "Vice President", "Director, Executive Office",
        "Strategy Manager", "Executive Assistant",
    ),
    "TECHNICAL": ("CTO", "CIO", "IT Director", "IT Manager", "Systems Engineer"),
    "BUSINESS": (
        "COO", "VP, Business", "Business Director", "Business Manager", "Business Specialist",
    ),
    "FINANCE_PROCUREMENT": (
        "CFO", "VP, Finance", "Finance Director", "Finance Manager", "Accountant",
    ),
    "LEGAL": (
        "General Counsel", "VP, Legal", "Legal Director", "Legal Manager", "Legal Specialist",
    ),
    "OTHER": ("CHRO", "VP, HR", "HR Director", "HR Manager", "HR Specialist"),
}  # fmt: skip

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江薛段雷侯龙陶黎顾"
)
GIVEN_NAMES = (
    "伟", "芳", "娜", "敏", "静", "磊", "军", "洋", "勇", "杰", "涛", "超", "霞", "刚", "亮",
    "建国", "志强", "海燕", "晓东", "红梅", "鹏飞", "慧敏", "宇航", "浩然", "欣怡", "子轩",
    "思远", "雨婷", "嘉琪", "俊杰", "雪峰", "晓琳", "文博", "立新", "国梁", "佳怡", "振华",
    "明辉", "丽华", "志明", "春燕", "晨阳", "一鸣", "书瑶", "天宇", "凯文", "若曦", "建华",
)  # fmt: skip
#: reps get pinyin so that they can have e-mail addresses
REP_NAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("胡", "hu"), ("郭", "guo"), ("林", "lin"),
)  # fmt: skip
REP_GIVEN: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("敏", "min"), ("磊", "lei"), ("婷", "ting"), ("浩", "hao"),
    ("静", "jing"), ("鹏", "peng"), ("丹", "dan"), ("晓峰", "xiaofeng"), ("雨晴", "yuqing"),
    ("志远", "zhiyuan"), ("佳琪", "jiaqi"), ("俊", "jun"), ("欣", "xin"),
)  # fmt: skip

HOMETOWNS = ("湖南长沙", "江苏南通", "浙江温州", "山东青岛", "四川绵阳", "湖北荆州", "河南洛阳")
SCHOOLS = ("清华大学", "浙江大学", "复旦大学", "上海交通大学", "华中科技大学", "武汉大学", "哈工大")
HOBBIES = ("golf", "badminton", "marathon", "tea", "calligraphy", "fishing", "photography", "go")
GOALS = (
    "cut unplanned downtime",
    "pass the group's digital maturity review",
    "get promoted to the group board",
    "reduce IT run cost by 15%",
    "ship the data platform before the annual audit",
)

PRODUCTS = (
    "Industrial Data Platform",
    "Smart Risk Platform",
    "Data Governance Suite",
    "Production Analytics",
    "Equipment IoT Monitoring",
    "Customer 360 Analytics",
    "Supply Chain Control Tower",
)
COMPETITORS = (
    "云启科技 Yunqi Tech",
    "恒达软件 Hengda Software",
    "Sentinel Analytics",
    "蓝鲸数智 Bluewhale Data",
    "Apex Cloud Systems",
    "智联天下 Zhilian",
)
INTERACTION_NOTES = (
    "Walked through the solution outline; follow-up on integration scope.",
    "Quarterly relationship dinner.",
    "客户关心交付周期和本地化服务。",
    "Reviewed the pilot results with the user department.",
    "Budget not confirmed yet; CFO wants a phased plan.",
    "Security questionnaire sent back with open items.",
    "Met at the industry forum; agreed to a site visit.",
)

STANCES = ("CHAMPION", "SUPPORTER", "NEUTRAL", "OPPONENT", "BLOCKER", "UNKNOWN")
STANCE_WEIGHTS = (5, 17, 28, 10, 3, 37)
STANCE_RANK = {"CHAMPION": 2, "SUPPORTER": 1, "NEUTRAL": 0, "OPPONENT": -1, "BLOCKER": -2}
RATINGS = ("HIGH", "MEDIUM", "LOW")
#: influence rating weights by seniority rank
RATING_WEIGHTS = ((6, 3, 1), (5, 4, 1), (3, 5, 2), (1, 5, 4), (1, 3, 6))
LEVELS = (0, 1, 2, 3, 4)
LEVEL_WEIGHTS = (5, 30, 35, 20, 10)
KINDS = ("VISIT", "CALL", "EMAIL", "MEETING", "EVENT")
KIND_WEIGHTS = (30, 25, 20, 20, 5)
PURPOSES = ("SIGNING", "RELATIONSHIP", "PROGRESS", "SOLUTION", "RESEARCH")
PURPOSE_WEIGHTS = (5, 30, 30, 20, 15)
ROLES = ("ECONOMIC_BUYER", "TECHNICAL_EVALUATOR", "FINANCIAL_CONTROLLER", "USER", "INFLUENCER")

HISTORY_DAYS = 548  # interactions spread over the 18 months before "today"


# --------------------------------------------------------------------- helpers


class _Clock:
    """ISO texts of days and datetimes relative to ``today``, cached."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._days: dict[int, str] = {}

    def day(self, days_ago: int) -> str:
        text = self._days.get(days_ago)
        if text is None:
            text = (self.today - timedelta(days=days_ago)).isoformat()
            self._days[days_ago] = text
        return text

    def at(self, days_ago: int, hour: int, minute: int = 0) -> str:
        """A UTC datetime ``days_ago`` days before today; hour is UTC (09–18 Beijing)."""
        return f"{self.day(days_ago)}T{hour:02d}:{minute:02d}:00Z"


def _width(n: int, least: int) -> int:
    return max(least, len(str(n)))


def _recency(rng: random.Random) -> int | None:
    """Days since the last contact: spread over the decay bands of docs/analytics.md §3.2."""
    r = rng.random()
    if r < 0.5:
        return rng.randint(0, 180)
    if r < 0.75:
        return rng.randint(181, 365)
    if r < 0.95:
        return rng.randint(366, 900)
    return None


# -------------------------------------------------------------------- accounts


class _Account:
    """What later steps need to know about one generated account."""

    __slots__ = (
        "active",
        "by_dept",
        "contacts",
        "id",
        "industry",
        "opps",
        "region",
        "tier",
    )

    def __init__(self, acc_id: str, tier: str, industry: str, region: str) -> None:
        self.id = acc_id
        self.tier = tier
        self.industry = industry
        self.region = region
        self.contacts: list[tuple[str, int]] = []  # (id, seniority rank)
        self.active: list[str] = []
        self.by_dept: dict[str, list[str]] = {}  # function -> contact ids (heads first)
        self.opps: list[tuple[str, str]] = []  # (id, status)


class _Builder:
    def __init__(self, accounts: int, contacts_per_account: int, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.clock = _Clock(today)
        self.n_accounts = accounts
        self.n_contacts = contacts_per_account
        self.aw = _width(accounts, 4)
        self.cw = _width(contacts_per_account, 3)
        self.doc: dict[str, list[dict[str, Any]]] = {
            key: []
            for key in (
                "companies", "departments", "contacts", "opportunities", "reps", "teams",
                "interactions", "competitors", "plan_targets", "relationships", "changes",
            )
        }  # fmt: skip
        self.rels = self.doc["relationships"]
        self.changes = self.doc["changes"]
        self.accounts: list[_Account] = []
        self.hq_by_industry: dict[str, list[tuple[str, str]]] = {}  # industry -> (id, name)
        self.knows: dict[str, list[str]] = {}  # account id -> contacts some rep knows

    # ---------------------------------------------------------------- companies
    def company(self, index: int) -> _Account:
        rng = self.rng
        acc_id = f"acc-{index:0{self.aw}d}"
        industry = rng.choices([i[0] for i in INDUSTRIES], [i[1] for i in INDUSTRIES])[0]
        suffix = next(i[2] for i in INDUSTRIES if i[0] == industry)
        region = rng.choice(REGION_NAMES)
        city = rng.choice(REGIONS[region])
        tier = rng.choices(("STRATEGIC", "KEY", "SMB"), (5, 25, 70))[0]
        if industry == "Government" and tier == "SMB":
            tier = "KEY"
        hq = None
        hqs = self.hq_by_industry.get(industry)
        if tier == "KEY" and hqs and industry != "Government" and rng.random() < 0.25:
            hq = rng.choice(hqs)
        if industry == "Government":
            name = f"{city}市{rng.choice(GOV_BUREAUS)}"
        elif hq is not None:
            name = f"{hq[1]}{city}{'分行' if industry == 'Banking' else '分公司'}"
        else:
            name = f"{city}{rng.choice(BRANDS)}{suffix}"
        scale = {"STRATEGIC": 50.0, "KEY": 8.0, "SMB": 0.6}[tier]
        company: dict[str, Any] = {
            "id": acc_id,
            "name": name,
            "industry": industry,
            "region": region,
            "tier": tier,
            "annual_revenue": round(scale * rng.uniform(0.3, 3.0) * 1e8, -4),
            "employees": int(scale * rng.uniform(80, 400)),
        }
        if rng.random() < 0.8:
            for field in ("strategic_fit", "profit_potential", "stability", "market_influence"):
                if rng.random() < 0.95:  # now and then one score is a data gap
                    company[field] = rng.randint(1, 5)
        if rng.random() < 0.6:
            prior = rng.randint(200, 20_000)
            company["usage_prior"] = float(prior)
            company["usage_current"] = float(int(prior * rng.uniform(0.6, 1.3)))
            tickets = rng.randint(0, 30)
            company["tickets_prior"] = tickets
            company["tickets_current"] = int(tickets * rng.uniform(0.5, 2.5))
            company["negative_feedback_90d"] = rng.choices((0, 1, 2, 3), (70, 18, 8, 4))[0]
            company["overdue_invoices"] = rng.choices((0, 1, 2), (88, 9, 3))[0]
            company["renewal_intent"] = rng.random() < 0.85
        self.doc["companies"].append(company)
        if hq is not None:
            self.rels.append({"type": "BRANCH_OF", "from": acc_id, "to": hq[0]})
        elif tier == "STRATEGIC":
            self.hq_by_industry.setdefault(industry, []).append((acc_id, name))
        return _Account(acc_id, tier, industry, region)

    # -------------------------------------------------------------- departments
    def departments(self, acc: _Account) -> list[tuple[str, str, int, bool]]:
        """Create 4–8 departments; returns (id, function, size weight, is_key) of each."""
        rng = self.rng
        n = rng.randint(4, 8)
        extra = [i for i in range(len(DEPARTMENT_POOL)) if i not in CORE_DEPTS]
        chosen = [EXEC_DEPT] + [DEPARTMENT_POOL[i] for i in CORE_DEPTS]
        chosen += [DEPARTMENT_POOL[i] for i in sorted(rng.sample(extra, n - len(chosen)))]
        flag_keys = rng.random() < 0.9  # the others leave key departments to the KDM rule
        out = []
        for k, (function, cn, en, size, p_key) in enumerate(chosen, start=1):
            dept_id = f"{acc.id}-d{k}"
            name = "局领导班子" if acc.industry == "Government" and k == 1 else cn
            is_key = flag_keys and rng.random() < p_key
            self.doc["departments"].append(
                {
                    "id": dept_id,
                    "name": f"{name} {en}",
                    "function": function,
                    "is_key": is_key,
                    "company_id": acc.id,
                }
            )
            out.append((dept_id, function, size, is_key))
        return out

    # ----------------------------------------------------------------- contacts
    def contacts(self, acc: _Account, depts: list[tuple[str, str, int, bool]]) -> None:
        """Contacts in a REPORTS_TO tree rooted at the top executive."""
        rng = self.rng
        n = self.n_contacts
        if n == 0:
            return
        # plan (department index, parent index, seniority rank) for every contact
        plan: list[tuple[int, int, int]] = [(0, -1, 0)]
        execs = [0]
        for _ in range(min(rng.randint(1, 2), n - 1)):
            plan.append((0, 0, 1))
            execs.append(len(plan) - 1)
        members: list[list[int]] = [[] for _ in depts]
        members[0] = list(range(len(plan)))
        for d in range(1, len(depts)):
            if len(plan) >= n:
                break
            rank = 1 if rng.random() < 0.25 else 2
            plan.append((d, rng.choice(execs), rank))
            members[d].append(len(plan) - 1)
        weights = [size for _, _, size, _ in depts]
        while len(plan) < n:
            d = rng.choices(range(len(depts)), weights)[0]
            bosses = [i for i in members[d] if plan[i][2] < 4] or [0]
            parent = rng.choice(bosses)
            rank = min(4, plan[parent][2] + (1 if rng.random() < 0.6 else 2))
            plan.append((d, parent, rank))
            members[d].append(len(plan) - 1)

        ids = [f"{acc.id}-c{i + 1:0{self.cw}d}" for i in range(n)]
        contacts = self.doc["contacts"]
        for i, (d, parent, rank) in enumerate(plan):
            dept_id, function, _, is_key = depts[d]
            seniority = SENIORITIES[rank]
            status = rng.choices(("ACTIVE", "LEFT", "MOVED"), (94, 4, 2))[0] if i else "ACTIVE"
            stance = rng.choices(STANCES, STANCE_WEIGHTS)[0]
            kdm_p = (0.85, 0.7, 0.5 if is_key else 0.15, 0.04, 0.01)[rank]
            contact: dict[str, Any] = {
                "id": ids[i],
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
                "title": TITLES[function][rank],
                "seniority": seniority,
                "is_kdm": rng.random() < kdm_p,
                "stance": stance,
                "status": status,
                "department_id": dept_id,
            }
            if rng.random() < 0.7:
                contact["influence_rating"] = rng.choices(RATINGS, RATING_WEIGHTS[rank])[0]
            if rng.random() < 0.6:
                contact["last_verified_at"] = self.clock.at(rng.randint(0, 500), 2)
            if rng.random() < 0.25:
                contact["profile"] = {
                    "hometown": rng.choice(HOMETOWNS),
                    "school": rng.choice(SCHOOLS),
                    "hobbies": rng.sample(HOBBIES, rng.randint(1, 2)),
                    "goals": rng.choice(GOALS),
                }
            contacts.append(contact)
            acc.contacts.append((ids[i], rank))
            if status == "ACTIVE":
                acc.active.append(ids[i])
            acc.by_dept.setdefault(function, []).append(ids[i])
            if parent >= 0:
                self.rels.append({"type": "REPORTS_TO", "from": ids[i], "to": ids[parent]})
            self._history(ids[i], status, stance)
        self._ties(acc, plan, ids, members)

    def _history(self, contact_id: str, status: str, stance: str) -> None:
        """Change events: leaving, moving, and stance moves (some of them drops)."""
        rng = self.rng
        if status != "ACTIVE":
            self.changes.append(
                {
                    "entity": "Contact",
                    "entity_id": contact_id,
                    "contact_id": contact_id,
                    "field": "status",
                    "old": "ACTIVE",
                    "new": status,
                    "at": self.clock.at(rng.randint(1, 400), 3),
                    "by": "crm-sync",
                }
            )
        if stance != "UNKNOWN" and rng.random() < 0.06:
            rank = STANCE_RANK[stance]
            old = [s for s, r in STANCE_RANK.items() if r != rank and abs(r - rank) <= 2]
            self.changes.append(
                {
                    "entity": "Contact",
                    "entity_id": contact_id,
                    "contact_id": contact_id,
                    "field": "stance",
                    "old": rng.choice(old),
                    "new": stance,
                    "at": self.clock.at(rng.randint(1, 500), 4),
                    "by": "crm-sync",
                }
            )

    def _ties(
        self,
        acc: _Account,
        plan: list[tuple[int, int, int]],
        ids: list[str],
        members: list[list[int]],
    ) -> None:
        """About one INFLUENCES tie per contact, and a few ALLY_OF / RIVAL_OF camps."""
        rng = self.rng
        n = len(ids)
        if n < 2:
            return
        seen: set[tuple[int, int]] = set()
        sources = [i for i in range(1, n) if rng.random() < 0.95]
        sources += [rng.randrange(1, n) for _ in range(n // 8)]  # some sway two people
        for i in sources:
            d, parent, _ = plan[i]
            r = rng.random()
            if r < 0.3:
                a, b = i, parent  # sways the boss
            elif r < 0.4:
                a, b = parent, i  # the boss sways
            elif r < 0.7:
                a, b = i, rng.choice(members[d])
            else:
                a, b = i, rng.randrange(n)
            if a == b or (a, b) in seen:
                continue
            seen.add((a, b))
            self.rels.append(
                {
                    "type": "INFLUENCES",
                    "from": ids[a],
                    "to": ids[b],
                    "strength": rng.choices((1, 2, 3), (50, 35, 15))[0],
                }
            )
        pairs: set[tuple[int, int]] = set()
        for rel_type, count in (("ALLY_OF", max(1, n // 12)), ("RIVAL_OF", max(1, n // 20))):
            for _ in range(count):
                a, b = sorted(rng.sample(range(n), 2))
                if (a, b) in pairs:
                    continue
                pairs.add((a, b))
                self.rels.append({"type": rel_type, "from": ids[a], "to": ids[b]})

    # ------------------------------------------------------------ opportunities
    def opportunities(self, acc: _Account, competitors: Sequence[str]) -> None:
        rng = self.rng
        scale = {"STRATEGIC": 8_000_000, "KEY": 2_000_000, "SMB": 300_000}[acc.tier]
        favors: set[tuple[str, str]] = set()
        for k in range(1, rng.choice((1, 2)) + 1):
            opp_id = f"{acc.id}-o{k}"
            status = rng.choices(("OPEN", "WON", "LOST"), (65, 25, 10))[0]
            if status == "OPEN":
                stage = rng.choice(("DISCOVERY", "SOLUTION", "NEGOTIATION"))
                close = self.clock.day(-rng.randint(30, 300))
            else:
                stage = (
                    "IMPLEMENTATION" if status == "WON" else rng.choice(("SOLUTION", "NEGOTIATION"))
                )
                if status == "WON" and rng.random() < 0.3:
                    stage = "EXPANSION"
                close = self.clock.day(rng.randint(0, HISTORY_DAYS))
            products = rng.sample(PRODUCTS, rng.choice((1, 1, 2)))
            self.doc["opportunities"].append(
                {
                    "id": opp_id,
                    "name": f"{products[0]} ({acc.id})",
                    "stage": stage,
                    "status": status,
                    "amount": round(scale * rng.uniform(0.3, 2.5), -3),
                    "currency": "CNY",
                    "products": products,
                    "close_date": close,
                    "company_id": acc.id,
                }
            )
            acc.opps.append((opp_id, status))
            self._roles(acc, opp_id)
            for comp in rng.sample(list(competitors), rng.choice((0, 1, 1, 2))):
                self.rels.append({"type": "COMPETES_FOR", "from": comp, "to": opp_id})
                for contact_id in acc.active:
                    if rng.random() < 0.02 and (contact_id, comp) not in favors:
                        favors.add((contact_id, comp))
                        self.rels.append({"type": "FAVORS", "from": contact_id, "to": comp})

    def _roles(self, acc: _Account, opp_id: str) -> None:
        """HAS_ROLE holders: one role per contact and deal; now and then a role is missing."""
        rng = self.rng
        if not acc.active:
            return
        by_dept = acc.by_dept
        active = set(acc.active)
        taken: dict[str, str] = {}

        def pick(pool: Sequence[str], heads_only: bool = False) -> str | None:
            candidates = [c for c in pool if c in active and c not in taken]
            if not candidates:
                return None
            return candidates[0] if heads_only or rng.random() < 0.6 else rng.choice(candidates)

        senior = [c for c, rank in acc.contacts if rank <= 1]
        wanted = [
            ("ECONOMIC_BUYER", senior, True),
            ("TECHNICAL_EVALUATOR", by_dept.get("TECHNICAL", []), False),
            ("FINANCIAL_CONTROLLER", by_dept.get("FINANCE_PROCUREMENT", []), False),
            ("USER", by_dept.get("BUSINESS", []), False),
            ("USER", by_dept.get("BUSINESS", []), False),
            ("INFLUENCER", acc.active, False),
        ]
        for role, pool, heads in wanted:
            if rng.random() < 0.08:
                continue
            holder = pick(pool, heads)
            if holder is None:
                continue
            taken[holder] = role
            rel: dict[str, Any] = {"type": "HAS_ROLE", "from": holder, "to": opp_id, "role": role}
            if rng.random() < 0.06:
                rel["stance"] = rng.choice(STANCES[:5])
            self.rels.append(rel)

    # --------------------------------------------------------- reps and teams
    def coverage(self) -> dict[str, list[str]]:
        """Teams, reps, MEMBER_OF and COVERS; returns account id -> covering rep ids."""
        rng = self.rng
        teams = self.doc["teams"]
        team_ids: dict[tuple[str, str], str] = {}

        def team(kind: str, key: str, name: str, **extra: str) -> str:
            if (kind, key) not in team_ids:
                team_id = f"team-{len(teams) + 1:02d}"
                teams.append({"id": team_id, "name": name, "kind": kind, **extra})
                team_ids[(kind, key)] = team_id
            return team_ids[(kind, key)]

        reps: list[tuple[str, str]] = []  # (rep id, team id)

        def rep(team_id: str) -> str:
            k = len(reps) + 1
            surname, s_py = rng.choice(REP_NAMES)
            given, g_py = rng.choice(REP_GIVEN)
            rep_id = f"rep-{k:04d}"
            self.doc["reps"].append(
                {
                    "id": rep_id,
                    "name": surname + given,
                    "email": f"{g_py}.{s_py}{k}@sales.example.com",
                    "industry_expert": rng.random() < 0.2,
                }
            )
            self.rels.append({"type": "MEMBER_OF", "from": rep_id, "to": team_id})
            reps.append((rep_id, team_id))
            return rep_id

        covering: dict[str, list[str]] = {a.id: [] for a in self.accounts}

        def covers(src: str, acc_id: str, kind: str, label: str = "Rep") -> None:
            self.rels.append(
                {"type": "COVERS", "from": src, "from_label": label, "to": acc_id, "kind": kind}
            )
            if label == "Rep":
                covering[acc_id].append(src)

        # pools: (team kind, key) -> accounts in generation order
        pools: dict[tuple[str, str], list[_Account]] = {}
        for acc in self.accounts:
            if acc.industry == "Government":
                pool = ("GOVERNMENT", "gov")
            elif acc.tier == "SMB":
                pool = ("REGIONAL", acc.region)
            else:
                pool = ("KEY_ACCOUNT", acc.industry)
            pools.setdefault(pool, []).append(acc)

        owners: list[str] = []
        for (kind, key), accounts in pools.items():
            if kind == "REGIONAL":
                team_id = team(
                    kind, key, f"{REGION_CN[key]}区域销售部 {key} Regional Sales", region=key
                )
            elif kind == "GOVERNMENT":
                team_id = team(kind, key, "政府事业部 Public Sector", industry="Government")
            else:
                team_id = team(kind, key, f"{key} Key Accounts 大客户部", industry=key)
            strategic = [a for a in accounts if a.tier == "STRATEGIC"]
            rest = [a for a in accounts if a.tier != "STRATEGIC"]
            groups: list[tuple[str, list[_Account]]] = []
            for acc in strategic:  # one STRATEGIC account per rep, filled up with KEY ones
                take = rng.randint(4, 9)
                st = (
                    team_id
                    if kind == "GOVERNMENT"
                    else team(
                        "STRATEGIC", key, f"{key} Strategic Accounts 战略客户部", industry=key
                    )
                )
                groups.append((st, [acc, *rest[:take]]))
                rest = rest[take:]
            while rest:
                take = rng.randint(5, 10)
                groups.append((team_id, rest[:take]))
                rest = rest[take:]
            for group_team, group in groups:
                owner = rep(group_team)
                owners.append(owner)
                for acc in group:
                    r = rng.random()
                    if r < 0.02:
                        continue  # UNOWNED
                    if kind == "REGIONAL" and r < 0.12:
                        covers(group_team, acc.id, "OWNER", "Team")
                        continue
                    covers(owner, acc.id, "OWNER")
                    rivals = owners[:-1]
                    if r > 0.985 and rivals:  # CONFLICT: another rep claims it too
                        covers(rng.choice(rivals), acc.id, "OWNER")

        big = [a for a in self.accounts if a.tier != "SMB"]
        if big:
            sol_team = team("SOLUTION", "solution", "解决方案中心 Solution Centre")
            sol_reps = [rep(sol_team) for _ in range(max(1, math.ceil(len(big) / 40)))]
            for acc in big:
                if rng.random() < 0.3:
                    covers(rng.choice(sol_reps), acc.id, "SUPPORT")
                elif rng.random() < 0.07:
                    covers(sol_team, acc.id, "SUPPORT", "Team")
        return covering

    # ------------------------------------------------------ KNOWS, interactions
    def relationships_of_reps(self, covering: dict[str, list[str]]) -> None:
        rng = self.rng
        clock = self.clock
        interactions = self.doc["interactions"]
        share = {"STRATEGIC": 0.35, "KEY": 0.25, "SMB": 0.3}
        n_int = {"STRATEGIC": (20, 40), "KEY": (8, 20), "SMB": (2, 8)}
        for acc in self.accounts:
            reps = covering[acc.id]
            if not reps or not acc.contacts:
                continue
            known: dict[str, list[str]] = {}
            ranked = sorted(acc.contacts, key=lambda c: c[1])
            for k, rep_id in enumerate(reps):
                count = max(1, int(len(ranked) * share[acc.tier])) if k == 0 else rng.randint(1, 5)
                pool = [c for c, _ in ranked[: count * 2]]
                for contact_id in rng.sample(pool, min(count, len(pool))):
                    days = _recency(rng)
                    rel: dict[str, Any] = {
                        "type": "KNOWS",
                        "from": rep_id,
                        "to": contact_id,
                        "level": rng.choices(LEVELS, LEVEL_WEIGHTS)[0],
                        "since": clock.day((days or 0) + rng.randint(30, 1500)),
                    }
                    if days is not None:
                        rel["last_contact_at"] = clock.at(days, rng.randint(1, 10))
                    self.rels.append(rel)
                    known.setdefault(rep_id, []).append(contact_id)
            lo, hi = n_int[acc.tier]
            about = [acc.id] + [o for o, status in acc.opps if status != "LOST"]
            for _ in range(rng.randint(lo, hi)):
                rep_id = rng.choice(reps)
                pool = known.get(rep_id) or acc.active or [acc.contacts[0][0]]
                attendees = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 3))))
                int_id = f"int-{len(interactions) + 1:06d}"
                record: dict[str, Any] = {
                    "id": int_id,
                    "at": clock.at(rng.randint(0, HISTORY_DAYS - 1), rng.randint(1, 10)),
                    "kind": rng.choices(KINDS, KIND_WEIGHTS)[0],
                    "purpose": rng.choices(PURPOSES, PURPOSE_WEIGHTS)[0],
                    "rep_ids": [rep_id],
                    "contact_ids": attendees,
                }
                if rng.random() < 0.3:
                    record["notes"] = rng.choice(INTERACTION_NOTES)
                interactions.append(record)
                target = rng.choice(about)
                self.rels.append(
                    {
                        "type": "ABOUT",
                        "from": int_id,
                        "to": target,
                        "to_label": "Company" if target == acc.id else "Opportunity",
                    }
                )

    # ------------------------------------------------------------------- build
    def build(self) -> dict[str, Any]:
        comp_ids = []
        for k, name in enumerate(COMPETITORS, start=1):
            comp_ids.append(f"cmp-{k:02d}")
            self.doc["competitors"].append({"id": comp_ids[-1], "name": name})
        for index in range(1, self.n_accounts + 1):
            acc = self.company(index)
            depts = self.departments(acc)
            self.contacts(acc, depts)
            self.opportunities(acc, comp_ids)
            self.accounts.append(acc)
        self._cross_account_ties()
        covering = self.coverage()
        self.relationships_of_reps(covering)
        return {"version": 1, **self.doc}

    def _cross_account_ties(self) -> None:
        """A few ALLY_OF ties between contacts of different accounts (former colleagues)."""
        rng = self.rng
        with_contacts = [a for a in self.accounts if a.active]
        seen: set[tuple[str, str]] = set()
        for _ in range(len(with_contacts) // 10 if len(with_contacts) > 1 else 0):
            a, b = rng.sample(with_contacts, 2)
            pair = (rng.choice(a.active), rng.choice(b.active))
            if pair in seen:
                continue
            seen.add(pair)
            self.rels.append({"type": "ALLY_OF", "from": pair[0], "to": pair[1]})


def generate(
    accounts: int,
    contacts_per_account: int,
    seed: int,
    *,
    today: date = date(2026, 11, 20),
) -> dict[str, Any]:
    """A synthetic dataset v1 document (docs/analytics.md §4).

    Parameters
    ----------
    accounts : int
        Number of companies (``acc-0001`` …).
    contacts_per_account : int
        Contacts in each company (``acc-0001-c001`` …).
    seed : int
        Seed of the one ``random.Random`` used; same arguments → same document.
    today : date
        The data's "today": interactions fall in the 18 months before it, open
        opportunities close after it.

    Returns
    -------
    dict
        A document that :func:`stakegraph.graph.dataset.parse_dataset` accepts.

    Examples
    --------
    >>> doc = generate(3, 10, seed=7)
    >>> len(doc["companies"]), len(doc["contacts"])
    (3, 30)
    """
    if accounts < 0 or contacts_per_account < 0:
        raise ValueError("accounts and contacts_per_account must be >= 0")
    return _Builder(accounts, contacts_per_account, seed, today).build()


def main(argv: Sequence[str] | None = None) -> None:
    import json

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3:
        raise SystemExit(
            "usage: python -m stakegraph.seeds.synthetic ACCOUNTS CONTACTS_PER_ACCOUNT SEED"
        )
    doc = generate(int(args[0]), int(args[1]), int(args[2]))
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
