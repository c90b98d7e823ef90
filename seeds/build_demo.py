"""Build ``seeds/demo.json``: the hand-designed demo portfolio in dataset v1.

The demo's "today" is 2026-11-20; interactions run over the 18 months before it.
All times are Beijing time (``+08:00``) during office hours, as a CRM in China
records them. The portfolio:

* 华夏联合银行 Huaxia United Bank: headquarters (STRATEGIC) with three branches.
  Shanghai won the Smart Risk Platform that Shenzhen and Chengdu lack (whitespace);
  Shenzhen and Chengdu both won the Data Governance Suite within seven months (a
  likely headquarters programme), and headquarters runs a group-wide opportunity.
  Shenzhen is claimed by two owners (a conflict, 相互争); Chengdu has no owner and a
  stale map.
* 东方精工集团 Orient Precision Manufacturing (KEY): the full decision chain of an
  open deal: 33 contacts, a reporting tree, influence ties, two camps, every role, a
  blocker, a champion (procurement director) who left last month, a VP whose stance
  dropped two steps, a competitor favoured, and a usage drop.
* 苏州市大数据管理局 (KEY, government team), and four SMB accounts in two regions
  (one owned by a regional team, one owned by a rep of the wrong region).

Run ``python -m stakegraph.seeds.build_demo`` to rewrite the JSON; the output is deterministic
and ``tests/seeds/test_demo.py`` checks that the committed file is up to date.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from stakegraph.seeds import DEMO_TODAY
from stakegraph.seeds._format import dumps_dataset

__all__ = ["TODAY", "build", "main"]

TODAY = DEMO_TODAY
DEMO_PATH = Path(__file__).with_name("demo.json")


def bj(text: str) -> str:
    """``"2026-03-18 14:30"`` → ISO datetime in Beijing time."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").strftime("%Y-%m-%dT%H:%M:00+08:00")


# ------------------------------------------------------------------------- sales org

COMPETITORS = [
    ("cmp-yunqi", "云启科技 Yunqi Tech"),
    ("cmp-hengda", "恒达软件 Hengda Software"),
    ("cmp-sentinel", "Sentinel Analytics"),
]

# id, name, kind, region, industry
TEAMS = [
    ("team-fin-strategic", "金融战略客户部 Financial Services Strategic Accounts", "STRATEGIC",
     None, "Banking"),
    ("team-mfg-ka", "制造业大客户部 Manufacturing Key Accounts", "KEY_ACCOUNT",
     "East China", "Manufacturing"),
    ("team-gov", "政府事业部 Public Sector", "GOVERNMENT", "East China", "Government"),
    ("team-east", "华东区域销售部 East China Regional Sales", "REGIONAL", "East China", None),
    ("team-south", "华南区域销售部 South China Regional Sales", "REGIONAL", "South China", None),
    ("team-solution", "解决方案中心 Solution Centre", "SOLUTION", None, None),
]  # fmt: skip

# id, name, industry_expert, teams
REPS = [
    ("rep-lin-wei", "林伟", True, ["team-fin-strategic"]),
    ("rep-zhou-min", "周敏", False, ["team-fin-strategic"]),
    ("rep-chen-hao", "陈浩", False, ["team-mfg-ka"]),
    ("rep-wang-lei", "王磊", False, ["team-mfg-ka"]),
    ("rep-liu-yang", "刘洋", False, ["team-gov"]),
    ("rep-sun-li", "孙丽", False, ["team-east"]),
    ("rep-he-jun", "何军", False, ["team-south"]),
    ("rep-zhao-qing", "赵晴", False, ["team-solution"]),
    ("rep-xu-fan", "徐帆", False, ["team-solution", "team-gov"]),
]

# coverer, account, kind
COVERS = [
    ("rep-lin-wei", "co-hx-hq", "OWNER"),
    ("rep-zhou-min", "co-hx-hq", "SUPPORT"),
    ("rep-zhou-min", "co-hx-sh", "OWNER"),
    ("rep-zhao-qing", "co-hx-sh", "SUPPORT"),
    ("rep-zhou-min", "co-hx-sz", "OWNER"),  # both claim Shenzhen: CONFLICT
    ("rep-he-jun", "co-hx-sz", "OWNER"),
    ("rep-zhou-min", "co-hx-cd", "SUPPORT"),  # Chengdu: nobody owns it
    ("team-solution", "co-hx-cd", "SUPPORT"),
    ("rep-chen-hao", "co-orient", "OWNER"),
    ("rep-wang-lei", "co-orient", "SUPPORT"),
    ("rep-zhao-qing", "co-orient", "SUPPORT"),
    ("team-solution", "co-orient", "SUPPORT"),
    ("rep-liu-yang", "co-gov-sz", "OWNER"),
    ("rep-xu-fan", "co-gov-sz", "SUPPORT"),
    ("rep-sun-li", "co-smb-mingda", "OWNER"),
    ("team-east", "co-smb-jinxiu", "OWNER"),
    ("rep-he-jun", "co-smb-nanfeng", "OWNER"),
    ("rep-sun-li", "co-smb-lvyuan", "OWNER"),  # East China rep, South China account
]

# ------------------------------------------------------------------------- accounts

ICP = ("strategic_fit", "profit_potential", "stability", "market_influence")
HEALTH = (
    "usage_current", "usage_prior", "tickets_current", "tickets_prior",
    "negative_feedback_90d", "overdue_invoices", "renewal_intent",
)  # fmt: skip

# id, name, industry, region, tier, revenue (CNY), employees, icp scores, health metrics
COMPANIES: list[tuple[Any, ...]] = [
    ("co-hx-hq", "华夏联合银行总行 Huaxia United Bank HQ", "Banking", "North China",
     "STRATEGIC", 1.2e11, 48000, (5, 5, 4, 5), (52000, 50500, 20, 22, 0, 0, True)),
    ("co-hx-sh", "华夏联合银行上海分行 Huaxia United Bank Shanghai Branch", "Banking",
     "East China", "KEY", 6.5e9, 2100, (4, 4, 4, 4), (4200, 3800, 6, 9, 0, 0, True)),
    ("co-hx-sz", "华夏联合银行深圳分行 Huaxia United Bank Shenzhen Branch", "Banking",
     "South China", "KEY", 5.8e9, 1900, (4, 3, 4, 3), None),
    ("co-hx-cd", "华夏联合银行成都分行 Huaxia United Bank Chengdu Branch", "Banking",
     "Southwest", "KEY", 3.1e9, 1200, (3, 3, 4, None), None),
    ("co-orient", "东方精工集团 Orient Precision Manufacturing", "Manufacturing", "East China",
     "KEY", 1.86e10, 12800, (4, 4, 3, 4), (6200, 8100, 14, 9, 1, 0, True)),
    ("co-gov-sz", "苏州市大数据管理局 Suzhou Municipal Bureau of Big Data", "Government",
     "East China", "KEY", None, 260, (4, 3, 5, 4), (3100, 2900, 4, 4, 0, 0, True)),
    ("co-smb-mingda", "苏州明达机电有限公司 Suzhou Mingda Electromechanical", "Manufacturing",
     "East China", "SMB", 3.2e8, 420, (3, 3, 3, 2), (1800, 1750, 12, 5, 2, 0, True)),
    ("co-smb-jinxiu", "杭州锦绣服饰有限公司 Hangzhou Jinxiu Apparel", "Retail", "East China",
     "SMB", 1.5e8, 230, None, None),
    ("co-smb-nanfeng", "广州南风物流有限公司 Guangzhou Nanfeng Logistics", "Logistics",
     "South China", "SMB", 4.6e8, 680, (2, 2, 3, 2), (950, 1000, 3, 4, 0, 2, False)),
    ("co-smb-lvyuan", "深圳绿源生物科技有限公司 Shenzhen Lvyuan Biotech", "Biotech",
     "South China", "SMB", 9.0e7, 150, (3, 2, 2, 3), None),
]  # fmt: skip

BRANCHES = [("co-hx-sh", "co-hx-hq"), ("co-hx-sz", "co-hx-hq"), ("co-hx-cd", "co-hx-hq")]

# id, name, function, is_key, parent (a company, or a department for a sub-department)
DEPARTMENTS = [
    ("dept-hx-exec", "行领导 Executive Management", "EXECUTIVE", True, "co-hx-hq"),
    ("dept-hx-it", "信息科技部 Information Technology", "TECHNICAL", True, "co-hx-hq"),
    ("dept-hx-risk", "风险管理部 Risk Management", "BUSINESS", True, "co-hx-hq"),
    ("dept-hx-fin", "计划财务部 Planning & Finance", "FINANCE_PROCUREMENT", True, "co-hx-hq"),
    ("dept-hx-proc", "集中采购中心 Central Procurement", "FINANCE_PROCUREMENT", False,
     "co-hx-hq"),
    ("dept-hx-legal", "法律合规部 Legal & Compliance", "LEGAL", False, "co-hx-hq"),
    ("dept-hx-retail", "零售银行部 Retail Banking", "BUSINESS", False, "co-hx-hq"),
    ("dept-sh-exec", "分行行领导 Branch Management", "EXECUTIVE", True, "co-hx-sh"),
    ("dept-sh-it", "科技部 Technology", "TECHNICAL", True, "co-hx-sh"),
    ("dept-sh-risk", "风险管理部 Risk Management", "BUSINESS", True, "co-hx-sh"),
    ("dept-sh-fin", "计划财务部 Planning & Finance", "FINANCE_PROCUREMENT", False, "co-hx-sh"),
    ("dept-sz-exec", "分行行领导 Branch Management", "EXECUTIVE", True, "co-hx-sz"),
    ("dept-sz-it", "科技部 Technology", "TECHNICAL", False, "co-hx-sz"),
    ("dept-sz-corp", "公司金融部 Corporate Banking", "BUSINESS", True, "co-hx-sz"),
    ("dept-sz-fin", "计划财务部 Planning & Finance", "FINANCE_PROCUREMENT", False, "co-hx-sz"),
    ("dept-cd-exec", "分行行领导 Branch Management", "EXECUTIVE", True, "co-hx-cd"),
    ("dept-cd-it", "科技部 Technology", "TECHNICAL", False, "co-hx-cd"),
    ("dept-cd-risk", "风险管理部 Risk Management", "BUSINESS", True, "co-hx-cd"),
    ("dept-or-exec", "总裁办 President's Office", "EXECUTIVE", True, "co-orient"),
    ("dept-or-it", "信息中心 IT Centre", "TECHNICAL", True, "co-orient"),
    ("dept-or-mfg", "生产制造部 Production & Manufacturing", "BUSINESS", True, "co-orient"),
    ("dept-or-sfpmo", "智能工厂项目办 Smart Factory PMO", "BUSINESS", False, "dept-or-mfg"),
    ("dept-or-qa", "质量管理部 Quality Management", "BUSINESS", False, "co-orient"),
    ("dept-or-fin", "财务部 Finance", "FINANCE_PROCUREMENT", True, "co-orient"),
    ("dept-or-proc", "采购中心 Procurement Centre", "FINANCE_PROCUREMENT", False, "co-orient"),
    ("dept-or-legal", "法务部 Legal", "LEGAL", False, "co-orient"),
    ("dept-gv-lead", "局领导班子 Bureau Leadership", "EXECUTIVE", True, "co-gov-sz"),
    ("dept-gv-data", "数据资源处 Data Resources Division", "TECHNICAL", True, "co-gov-sz"),
    ("dept-gv-fin", "规划财务处 Planning & Finance Division", "FINANCE_PROCUREMENT", True,
     "co-gov-sz"),
    ("dept-gv-policy", "政策法规处 Policy & Regulations Division", "LEGAL", False, "co-gov-sz"),
    ("dept-gv-app", "应用推进处 Application Promotion Division", "BUSINESS", False, "co-gov-sz"),
    ("dept-md-exec", "总经理室 General Manager's Office", "EXECUTIVE", True, "co-smb-mingda"),
    ("dept-md-eng", "技术部 Engineering", "TECHNICAL", True, "co-smb-mingda"),
    ("dept-md-fin", "财务部 Finance", "FINANCE_PROCUREMENT", False, "co-smb-mingda"),
    ("dept-jx-exec", "总经办 Executive Office", "EXECUTIVE", False, "co-smb-jinxiu"),
    ("dept-jx-it", "信息部 IT", "TECHNICAL", False, "co-smb-jinxiu"),
    ("dept-nf-exec", "总经理办公室 General Manager's Office", "EXECUTIVE", True,
     "co-smb-nanfeng"),
    ("dept-nf-fin", "财务部 Finance", "FINANCE_PROCUREMENT", False, "co-smb-nanfeng"),
    ("dept-nf-ops", "运营部 Operations", "BUSINESS", True, "co-smb-nanfeng"),
    ("dept-lv-exec", "管理层 Management", "EXECUTIVE", True, "co-smb-lvyuan"),
    ("dept-lv-lab", "研发实验室 R&D Lab", "BUSINESS", False, "co-smb-lvyuan"),
]  # fmt: skip

# id, name, title, seniority, is_kdm, influence rating, stance, department, reports to
CONTACTS: list[tuple[Any, ...]] = [
    # 华夏联合银行总行
    ("c-hx-01", "高振华", "President", "EXECUTIVE", True, "HIGH", "NEUTRAL", "dept-hx-exec", None),
    ("c-hx-02", "林慧敏", "Vice President, Technology & Risk", "VP", True, "HIGH", "SUPPORTER",
     "dept-hx-exec", "c-hx-01"),
    ("c-hx-03", "丁一鸣", "General Manager, IT Department", "VP", True, "HIGH", "CHAMPION",
     "dept-hx-it", "c-hx-02"),
    ("c-hx-04", "方晓", "Deputy General Manager, IT", "DIRECTOR", False, "MEDIUM", "SUPPORTER",
     "dept-hx-it", "c-hx-03"),
    ("c-hx-05", "曾国梁", "Head of Architecture", "MANAGER", False, "MEDIUM", "NEUTRAL",
     "dept-hx-it", "c-hx-04"),
    ("c-hx-06", "白雪", "Chief Risk Officer", "VP", True, "HIGH", "SUPPORTER", "dept-hx-risk",
     "c-hx-02"),
    ("c-hx-07", "秦川", "Head of Credit Risk Models", "DIRECTOR", False, "MEDIUM", "CHAMPION",
     "dept-hx-risk", "c-hx-06"),
    ("c-hx-08", "胡立新", "Chief Financial Officer", "VP", True, "HIGH", "OPPONENT",
     "dept-hx-fin", "c-hx-01"),
    ("c-hx-09", "罗佳", "Budget Manager", "MANAGER", False, "LOW", "NEUTRAL", "dept-hx-fin",
     "c-hx-08"),
    ("c-hx-10", "袁明", "Director, Central Procurement", "DIRECTOR", True, "MEDIUM", "NEUTRAL",
     "dept-hx-proc", "c-hx-08"),
    ("c-hx-11", "邱莉", "General Manager, Legal & Compliance", "DIRECTOR", False, "MEDIUM",
     "UNKNOWN", "dept-hx-legal", "c-hx-01"),
    ("c-hx-12", "潘伟", "General Manager, Retail Banking", "VP", False, "MEDIUM", "UNKNOWN",
     "dept-hx-retail", "c-hx-01"),
    ("c-hx-13", "任国栋", "Former General Manager, IT Department", "VP", True, "HIGH",
     "SUPPORTER", "dept-hx-it", "c-hx-02", {"status": "MOVED"}),
    ("c-hx-14", "宋佳怡", "Assistant to the President", "STAFF", False, "HIGH", "UNKNOWN",
     "dept-hx-exec", "c-hx-01"),
    # 上海分行
    ("c-sh-01", "陆海涛", "Branch President", "EXECUTIVE", True, "HIGH", "CHAMPION",
     "dept-sh-exec", None),
    ("c-sh-02", "沈佳", "Head of Technology", "DIRECTOR", True, "HIGH", "SUPPORTER",
     "dept-sh-it", "c-sh-01"),
    ("c-sh-03", "蔡文博", "Head of Risk Management", "DIRECTOR", True, "HIGH", "CHAMPION",
     "dept-sh-risk", "c-sh-01"),
    ("c-sh-04", "叶晓琳", "Risk Analyst", "STAFF", False, "LOW", "SUPPORTER", "dept-sh-risk",
     "c-sh-03"),
    ("c-sh-05", "孔德", "Head of Planning & Finance", "DIRECTOR", True, "MEDIUM", "NEUTRAL",
     "dept-sh-fin", "c-sh-01"),
    ("c-sh-06", "汪洋", "System Administrator", "STAFF", False, "LOW", "UNKNOWN", "dept-sh-it",
     "c-sh-02"),
    # 深圳分行
    ("c-sz-01", "任国栋", "Branch President", "EXECUTIVE", True, "HIGH", "SUPPORTER",
     "dept-sz-exec", None),
    ("c-sz-02", "黎志华", "Vice President", "VP", True, "MEDIUM", "NEUTRAL", "dept-sz-exec",
     "c-sz-01"),
    ("c-sz-03", "欧阳琦", "Head of Technology", "DIRECTOR", False, "MEDIUM", "SUPPORTER",
     "dept-sz-it", "c-sz-02"),
    ("c-sz-04", "钟丽", "Head of Corporate Banking", "DIRECTOR", True, "MEDIUM", "OPPONENT",
     "dept-sz-corp", "c-sz-02"),
    ("c-sz-05", "谭明", "Finance Manager", "MANAGER", False, "LOW", "UNKNOWN", "dept-sz-fin",
     "c-sz-02"),
    # 成都分行
    ("c-cd-01", "邓勇", "Branch President", "EXECUTIVE", True, "HIGH", "NEUTRAL", "dept-cd-exec",
     None),
    ("c-cd-02", "刘倩", "Head of Technology", "DIRECTOR", False, "MEDIUM", "SUPPORTER",
     "dept-cd-it", "c-cd-01"),
    ("c-cd-03", "熊伟", "Head of Risk Management", "DIRECTOR", True, "MEDIUM", "UNKNOWN",
     "dept-cd-risk", "c-cd-01"),
    ("c-cd-04", "杜娟", "Data Engineer", "STAFF", False, "LOW", "UNKNOWN", "dept-cd-it",
     "c-cd-02"),
    # 东方精工集团: the full decision chain
    ("c-or-01", "赵建国", "Chairman & President", "EXECUTIVE", True, "HIGH", "NEUTRAL",
     "dept-or-exec", None),
    ("c-or-02", "钱丽华", "Executive Vice President", "VP", True, "HIGH", "SUPPORTER",
     "dept-or-exec", "c-or-01"),
    ("c-or-03", "孙志远", "Vice President, Manufacturing", "VP", True, "HIGH", "OPPONENT",
     "dept-or-exec", "c-or-01"),
    ("c-or-04", "李婷", "Director, President's Office", "DIRECTOR", False, "MEDIUM", "SUPPORTER",
     "dept-or-exec", "c-or-01"),
    ("c-or-05", "周小雨", "Executive Assistant to the President", "STAFF", False, "HIGH",
     "UNKNOWN", "dept-or-exec", "c-or-04"),
    ("c-or-06", "韩志明", "Strategy Manager", "MANAGER", False, "LOW", "NEUTRAL", "dept-or-exec",
     "c-or-04"),
    ("c-or-07", "郑凯", "Chief Information Officer", "VP", True, "HIGH", "CHAMPION", "dept-or-it",
     "c-or-02"),
    ("c-or-08", "冯静", "Head of Enterprise Architecture", "DIRECTOR", True, "MEDIUM",
     "SUPPORTER", "dept-or-it", "c-or-07"),
    ("c-or-09", "陈晓东", "Infrastructure Manager", "MANAGER", False, "MEDIUM", "NEUTRAL",
     "dept-or-it", "c-or-08"),
    ("c-or-10", "杨帆", "Data Platform Lead", "MANAGER", False, "HIGH", "CHAMPION", "dept-or-it",
     "c-or-08"),
    ("c-or-11", "许文", "Information Security Manager", "MANAGER", False, "MEDIUM", "OPPONENT",
     "dept-or-it", "c-or-07"),
    ("c-or-12", "黄磊", "Systems Engineer", "STAFF", False, None, "UNKNOWN", "dept-or-it",
     "c-or-09"),
    ("c-or-13", "林欣", "Business Analyst", "STAFF", False, "LOW", "SUPPORTER", "dept-or-it",
     "c-or-10"),
    ("c-or-14", "刘大伟", "Director of Production", "DIRECTOR", True, "HIGH", "BLOCKER",
     "dept-or-mfg", "c-or-03"),
    ("c-or-15", "张建军", "Plant Manager, Suzhou", "DIRECTOR", False, "MEDIUM", "NEUTRAL",
     "dept-or-mfg", "c-or-14"),
    ("c-or-16", "王芳", "Plant Manager, Wuxi", "DIRECTOR", False, "MEDIUM", "SUPPORTER",
     "dept-or-mfg", "c-or-14"),
    ("c-or-17", "赵磊", "Workshop Supervisor, Suzhou", "MANAGER", False, "LOW", "UNKNOWN",
     "dept-or-mfg", "c-or-15"),
    ("c-or-18", "孙敏", "Production Planning Manager", "MANAGER", False, "LOW", "SUPPORTER",
     "dept-or-mfg", "c-or-14"),
    ("c-or-19", "周强", "Equipment Engineer, Wuxi", "STAFF", False, "LOW", "NEUTRAL",
     "dept-or-mfg", "c-or-16"),
    ("c-or-20", "吴昊", "Smart Factory Programme Manager", "MANAGER", False, "MEDIUM", "CHAMPION",
     "dept-or-sfpmo", "c-or-14"),
    ("c-or-21", "郭佳", "MES Specialist", "STAFF", False, "LOW", "UNKNOWN", "dept-or-sfpmo",
     "c-or-20"),
    ("c-or-22", "马丽", "Quality Director", "DIRECTOR", False, "MEDIUM", "NEUTRAL", "dept-or-qa",
     "c-or-03"),
    ("c-or-23", "罗斌", "Quality Engineer", "STAFF", False, None, "UNKNOWN", "dept-or-qa",
     "c-or-22"),
    ("c-or-24", "吴海燕", "Chief Financial Officer", "VP", True, "HIGH", "NEUTRAL", "dept-or-fin",
     "c-or-01"),
    ("c-or-25", "蒋涛", "Budget Manager", "MANAGER", False, "MEDIUM", "NEUTRAL", "dept-or-fin",
     "c-or-24"),
    ("c-or-26", "宋雪", "Cost Accountant", "STAFF", False, None, "UNKNOWN", "dept-or-fin",
     "c-or-25"),
    ("c-or-27", "王建华", "Procurement Director", "DIRECTOR", True, "HIGH", "CHAMPION",
     "dept-or-proc", "c-or-24", {"status": "LEFT"}),
    ("c-or-28", "马骏", "Acting Procurement Director", "DIRECTOR", False, "MEDIUM", "UNKNOWN",
     "dept-or-proc", "c-or-24"),
    ("c-or-29", "高峰", "Senior Buyer, IT Category", "MANAGER", False, "MEDIUM", "OPPONENT",
     "dept-or-proc", "c-or-28"),
    ("c-or-30", "曹颖", "Sourcing Specialist", "STAFF", False, None, "NEUTRAL", "dept-or-proc",
     "c-or-29"),
    ("c-or-31", "邓华", "General Counsel", "DIRECTOR", False, "MEDIUM", "NEUTRAL",
     "dept-or-legal", "c-or-02"),
    ("c-or-32", "谢琳", "Contract Manager", "MANAGER", False, "LOW", "UNKNOWN", "dept-or-legal",
     "c-or-31"),
    ("c-or-33", "彭博", "Compliance Specialist", "STAFF", False, "LOW", "SUPPORTER",
     "dept-or-legal", "c-or-31"),
    # 苏州市大数据管理局
    ("c-gv-01", "顾建平", "Director-General", "EXECUTIVE", True, "HIGH", "NEUTRAL",
     "dept-gv-lead", None),
    ("c-gv-02", "沈红", "Deputy Director-General", "VP", True, "HIGH", "SUPPORTER",
     "dept-gv-lead", "c-gv-01"),
    ("c-gv-03", "朱磊", "Director, Data Resources Division", "DIRECTOR", True, "MEDIUM",
     "CHAMPION", "dept-gv-data", "c-gv-02"),
    ("c-gv-04", "陶然", "Deputy Director, Data Resources Division", "MANAGER", False, "MEDIUM",
     "SUPPORTER", "dept-gv-data", "c-gv-03"),
    ("c-gv-05", "金玲", "Director, Planning & Finance Division", "DIRECTOR", True, "MEDIUM",
     "NEUTRAL", "dept-gv-fin", "c-gv-01"),
    ("c-gv-06", "范志刚", "Director, Policy & Regulations Division", "DIRECTOR", False, "LOW",
     "UNKNOWN", "dept-gv-policy", "c-gv-02"),
    ("c-gv-07", "石静", "Director, Application Promotion Division", "DIRECTOR", False, "MEDIUM",
     "OPPONENT", "dept-gv-app", "c-gv-02"),
    ("c-gv-08", "魏东", "Section Officer, Data Resources", "STAFF", False, "LOW", "UNKNOWN",
     "dept-gv-data", "c-gv-04"),
    # SMB accounts
    ("c-md-01", "张伟", "General Manager", "EXECUTIVE", True, "HIGH", "SUPPORTER",
     "dept-md-exec", None),
    ("c-md-02", "许晨", "Technical Manager", "MANAGER", False, "MEDIUM", "CHAMPION",
     "dept-md-eng", "c-md-01"),
    ("c-md-03", "何婷", "Finance Manager", "MANAGER", False, "LOW", "NEUTRAL", "dept-md-fin",
     "c-md-01"),
    ("c-jx-01", "沈梦", "Founder & CEO", "EXECUTIVE", True, "HIGH", "UNKNOWN", "dept-jx-exec",
     None),
    ("c-jx-02", "钱小峰", "IT Manager", "MANAGER", False, "MEDIUM", "NEUTRAL", "dept-jx-it",
     "c-jx-01"),
    ("c-nf-01", "梁志刚", "General Manager", "EXECUTIVE", True, "HIGH", "NEUTRAL",
     "dept-nf-exec", None),
    ("c-nf-02", "罗小燕", "Finance Director", "DIRECTOR", True, "MEDIUM", "OPPONENT",
     "dept-nf-fin", "c-nf-01"),
    ("c-nf-03", "邹杰", "Operations Manager", "MANAGER", False, "LOW", "SUPPORTER",
     "dept-nf-ops", "c-nf-01"),
    ("c-lv-01", "韦嘉", "CEO", "EXECUTIVE", True, "MEDIUM", "SUPPORTER", "dept-lv-exec", None),
    ("c-lv-02", "贺敏", "Lab Director", "DIRECTOR", False, "LOW", "UNKNOWN", "dept-lv-lab",
     "c-lv-01"),
]  # fmt: skip

# when each account's contacts were last verified, unless a contact says otherwise
VERIFIED = {
    "hx": "2026-09-01 10:00",
    "sh": "2026-10-20 10:00",
    "sz": "2025-12-19 15:00",
    "cd": "2025-06-20 11:00",
    "or": "2026-10-15 10:00",
    "gv": "2026-10-01 10:00",
    "md": "2026-08-01 10:00",
    "jx": "2026-09-01 16:00",
    "nf": "2026-06-30 10:00",
    "lv": "2026-01-20 10:00",
}
VERIFIED_OVERRIDES: dict[str, str | None] = {
    "c-sz-01": "2026-04-20 10:00",
    "c-cd-02": "2026-06-20 11:00",
    "c-or-27": "2026-09-30 17:00",
    "c-or-28": "2026-11-03 10:00",
    # never verified: what we believe about them is hearsay
    "c-or-05": None,
    "c-or-12": None,
    "c-or-17": None,
    "c-or-21": None,
    "c-or-23": None,
    "c-or-26": None,
    "c-or-32": None,
    "c-hx-11": None,
    "c-hx-12": None,
}
EMAILS = {
    "c-or-01": "zhaojianguo@orient-precision.example.cn",
    "c-or-07": "zhengkai@orient-precision.example.cn",
    "c-or-08": "fengjing@orient-precision.example.cn",
    "c-or-24": "wuhaiyan@orient-precision.example.cn",
    "c-hx-03": "dingyiming@huaxiabank.example.cn",
}

# the pre-visit KP profiles (访前 KP 画像)
PROFILES: dict[str, dict[str, Any]] = {
    "c-hx-01": {
        "hometown": "山东济南",
        "school": "中国人民大学",
        "hobbies": ["calligraphy", "tennis"],
        "goals": "Bring the cost-income ratio under 30% and one group-wide risk view",
        "notes": "Decides in the party committee meeting; briefs go through 宋佳怡.",
    },
    "c-hx-03": {
        "hometown": "江苏扬州",
        "school": "北京邮电大学",
        "hobbies": ["running", "go"],
        "goals": "Retire the branches' separate risk systems by 2028",
        "notes": "Our strongest sponsor at HQ; saw the Shanghai go-live in person.",
    },
    "c-hx-08": {
        "hometown": "湖北宜昌",
        "school": "中南财经政法大学",
        "hobbies": ["fishing"],
        "goals": "Hold 2027 IT capex flat",
        "notes": "Prefers Sentinel's subscription pricing; asks for the 5-year TCO every time.",
    },
    "c-sz-01": {
        "hometown": "广东梅州",
        "school": "华南理工大学",
        "hobbies": ["hiking"],
        "goals": "Make Shenzhen the bank's digital showcase branch",
        "notes": "Moved from HQ IT (c-hx-13) in April 2026; knows our team well.",
    },
    "c-or-01": {
        "hometown": "山东烟台",
        "school": "哈尔滨工业大学",
        "hobbies": ["golf", "calligraphy"],
        "goals": "Reach RMB 20bn revenue and list the precision-parts unit by 2028",
        "notes": (
            "Founder-style decision maker; listens to 周小雨 and 钱丽华 before deciding. "
            "Wants ROI on one page."
        ),
    },
    "c-or-02": {
        "hometown": "江苏无锡",
        "school": "复旦大学 (EMBA)",
        "hobbies": ["marathon", "reading"],
        "goals": "Lead the group's digital transformation office",
        "notes": "Sponsor of digitalisation; competes with 孙志远 to succeed the President.",
    },
    "c-or-03": {
        "hometown": "辽宁沈阳",
        "school": "东北大学",
        "hobbies": ["fishing", "Chinese chess"],
        "goals": "Keep OEE above 85% through the plant upgrade",
        "notes": "Turned against us after the Wuxi pilot overran by three weeks (Sept 2026).",
    },
    "c-or-05": {
        "hometown": "浙江宁波",
        "school": "上海外国语大学",
        "hobbies": ["yoga", "photography"],
        "notes": "Runs the President's calendar: every meeting request goes through her.",
    },
    "c-or-07": {
        "hometown": "湖南长沙",
        "school": "浙江大学",
        "hobbies": ["badminton", "tea"],
        "goals": "Ship the group data platform before the 2027 audit; become CDO",
        "notes": '上次会上他说："数据平台今年必须立项，不能再拖了。"\n'
        "Prefers WeChat voice messages to e-mail 👍",
    },
    "c-or-08": {
        "hometown": "江苏苏州",
        "school": "东南大学",
        "hobbies": ["piano"],
        "goals": "One architecture blueprint for all four plants",
        "notes": "University classmate of 许晨 at Mingda (东南大学 class of 2008).",
    },
    "c-or-10": {
        "hometown": "四川成都",
        "school": "电子科技大学",
        "hobbies": ["hiking", "Kaggle competitions"],
        "goals": "Build a real-time data team of ten",
        "notes": "The CIO asks him before every architecture decision.",
    },
    "c-or-11": {
        "hometown": "安徽合肥",
        "school": "中国科学技术大学",
        "hobbies": ["go"],
        "goals": "No critical findings in the MLPS 2.0 (等保) audit",
        "notes": "Wants on-premise deployment; data must not leave the plant network.",
    },
    "c-or-14": {
        "hometown": "河北唐山",
        "school": "燕山大学",
        "hobbies": ["fishing", "Chinese chess"],
        "goals": "No production stop during the MES migration",
        "notes": '在无锡试点复盘会上说："我们的MES用得好好的，为什么要换？"\n'
        "Close to 云启科技's regional GM.",
    },
    "c-or-15": {"hometown": "江苏苏州", "school": "江南大学", "hobbies": ["basketball"]},
    "c-or-16": {
        "hometown": "江苏无锡",
        "school": "江南大学",
        "hobbies": ["baking"],
        "goals": "Make Wuxi the group's reference smart plant",
    },
    "c-or-20": {
        "hometown": "江苏南通",
        "school": "同济大学",
        "hobbies": ["basketball"],
        "goals": "Get the smart-factory programme funded for all four plants",
    },
    "c-or-24": {
        "hometown": "浙江温州",
        "school": "上海财经大学",
        "hobbies": ["yoga", "travel"],
        "goals": "Keep 2027 capex flat; payback under 24 months on every IT project",
        "notes": "Reads the TCO appendix first; wants a phased payment plan.",
    },
    "c-or-27": {
        "hometown": "江苏常州",
        "school": "南京大学",
        "hobbies": ["golf"],
        "notes": "Left in October 2026 to become CPO of a battery maker; still friendly.",
    },
    "c-or-28": {
        "hometown": "湖北武汉",
        "school": "武汉大学",
        "hobbies": ["running"],
        "notes": "Acting director since October 2026; met once.",
    },
    "c-gv-03": {
        "hometown": "江苏苏州",
        "school": "南京大学",
        "hobbies": ["photography"],
        "goals": "A city data catalogue covering all 12 commissions",
    },
    "c-md-02": {
        "hometown": "江苏苏州",
        "school": "东南大学",
        "hobbies": ["cycling"],
        "notes": "Classmate of 冯静 (Orient); happy to introduce us.",
    },
}

# ------------------------------------------------------------------ opportunities

# id, name, stage, status, amount (CNY), products, close date, company
OPPORTUNITIES = [
    ("opp-hx-grp", "集团智能风控统一平台 Group Smart Risk Programme", "SOLUTION", "OPEN",
     28_000_000, ["Smart Risk Platform", "Data Governance Suite"], "2027-06-30", "co-hx-hq"),
    ("opp-hx-sh-srp", "上海分行智能风控平台 Shanghai Smart Risk Platform", "IMPLEMENTATION",
     "WON", 3_600_000, ["Smart Risk Platform"], "2026-03-27", "co-hx-sh"),
    ("opp-hx-sh-exp", "上海分行反欺诈图谱扩容 Fraud Graph Module", "EXPANSION", "OPEN",
     900_000, ["Fraud Graph Module"], "2027-01-31", "co-hx-sh"),
    ("opp-hx-sz-dgs", "深圳分行数据治理 Shenzhen Data Governance", "IMPLEMENTATION", "WON",
     1_500_000, ["Data Governance Suite"], "2025-12-19", "co-hx-sz"),
    ("opp-hx-sz-mba", "深圳分行手机银行分析 Mobile Banking Analytics", "NEGOTIATION", "LOST",
     800_000, ["Customer 360 Analytics"], "2025-08-28", "co-hx-sz"),
    ("opp-hx-cd-dgs", "成都分行数据治理 Chengdu Data Governance", "IMPLEMENTATION", "WON",
     1_300_000, ["Data Governance Suite"], "2026-06-20", "co-hx-cd"),
    ("opp-or-iot", "设备物联监控一期 Equipment IoT Monitoring Phase 1", "IMPLEMENTATION", "WON",
     1_200_000, ["Equipment IoT Monitoring"], "2025-06-27", "co-orient"),
    ("opp-or-sfdp", "智能工厂数据平台 Smart Factory Data Platform", "SOLUTION", "OPEN",
     6_800_000, ["Industrial Data Platform", "Production Analytics"], "2027-03-31",
     "co-orient"),
    ("opp-gov-hub1", "城市数据中台一期 City Data Hub Phase I", "EXPANSION", "WON", 2_600_000,
     ["Data Governance Suite"], "2025-07-30", "co-gov-sz"),
    ("opp-gov-hub2", "城市数据中台二期 City Data Hub Phase II", "SOLUTION", "OPEN", 4_500_000,
     ["Data Governance Suite", "Data Sharing Gateway"], "2027-02-28", "co-gov-sz"),
    ("opp-md-iot", "设备物联监控 Equipment IoT Monitoring", "IMPLEMENTATION", "WON", 260_000,
     ["Equipment IoT Monitoring"], "2025-10-15", "co-smb-mingda"),
    ("opp-md-pa", "生产分析 Production Analytics", "NEGOTIATION", "OPEN", 380_000,
     ["Production Analytics"], "2026-12-31", "co-smb-mingda"),
    ("opp-jx-fc", "门店需求预测 Retail Demand Forecasting", "DISCOVERY", "OPEN", 150_000,
     ["Customer 360 Analytics"], "2027-03-31", "co-smb-jinxiu"),
    ("opp-nf-scct", "供应链控制塔 Supply Chain Control Tower", "IMPLEMENTATION", "WON",
     420_000, ["Supply Chain Control Tower"], "2024-12-20", "co-smb-nanfeng"),
    ("opp-lv-dgs", "实验数据治理 Lab Data Governance", "DISCOVERY", "OPEN", 120_000,
     ["Data Governance Suite"], "2027-02-28", "co-smb-lvyuan"),
]  # fmt: skip

# contact, opportunity, role, per-deal stance
ROLES: list[tuple[str, str, str, str | None]] = [
    ("c-hx-01", "opp-hx-grp", "ECONOMIC_BUYER", None),
    ("c-hx-03", "opp-hx-grp", "TECHNICAL_EVALUATOR", None),
    ("c-hx-08", "opp-hx-grp", "FINANCIAL_CONTROLLER", None),
    ("c-hx-10", "opp-hx-grp", "FINANCIAL_CONTROLLER", None),
    ("c-hx-06", "opp-hx-grp", "USER", None),
    ("c-hx-07", "opp-hx-grp", "USER", None),
    ("c-hx-02", "opp-hx-grp", "INFLUENCER", None),
    ("c-hx-14", "opp-hx-grp", "INFLUENCER", None),
    ("c-sh-01", "opp-hx-sh-srp", "ECONOMIC_BUYER", None),
    ("c-sh-02", "opp-hx-sh-srp", "TECHNICAL_EVALUATOR", None),
    ("c-sh-05", "opp-hx-sh-srp", "FINANCIAL_CONTROLLER", None),
    ("c-sh-03", "opp-hx-sh-srp", "USER", None),
    ("c-sh-01", "opp-hx-sh-exp", "ECONOMIC_BUYER", None),
    ("c-sh-02", "opp-hx-sh-exp", "TECHNICAL_EVALUATOR", None),
    ("c-sh-05", "opp-hx-sh-exp", "FINANCIAL_CONTROLLER", None),
    ("c-sh-03", "opp-hx-sh-exp", "USER", None),
    ("c-sh-04", "opp-hx-sh-exp", "INFLUENCER", None),
    ("c-sz-02", "opp-hx-sz-dgs", "ECONOMIC_BUYER", None),
    ("c-sz-03", "opp-hx-sz-dgs", "TECHNICAL_EVALUATOR", None),
    ("c-sz-05", "opp-hx-sz-dgs", "FINANCIAL_CONTROLLER", None),
    ("c-sz-04", "opp-hx-sz-mba", "USER", None),
    ("c-cd-01", "opp-hx-cd-dgs", "ECONOMIC_BUYER", None),
    ("c-cd-02", "opp-hx-cd-dgs", "TECHNICAL_EVALUATOR", None),
    ("c-cd-03", "opp-hx-cd-dgs", "USER", None),
    ("c-or-02", "opp-or-iot", "ECONOMIC_BUYER", None),
    ("c-or-07", "opp-or-iot", "TECHNICAL_EVALUATOR", None),
    ("c-or-27", "opp-or-iot", "FINANCIAL_CONTROLLER", None),
    ("c-or-16", "opp-or-iot", "USER", None),
    ("c-or-01", "opp-or-sfdp", "ECONOMIC_BUYER", None),
    ("c-or-08", "opp-or-sfdp", "TECHNICAL_EVALUATOR", None),
    ("c-or-11", "opp-or-sfdp", "TECHNICAL_EVALUATOR", None),
    ("c-or-24", "opp-or-sfdp", "FINANCIAL_CONTROLLER", None),
    ("c-or-27", "opp-or-sfdp", "FINANCIAL_CONTROLLER", None),  # left; the record stays
    ("c-or-28", "opp-or-sfdp", "FINANCIAL_CONTROLLER", None),
    ("c-or-14", "opp-or-sfdp", "USER", None),
    # neutral in general, but the Suzhou plant wants the shop-floor dashboards
    ("c-or-15", "opp-or-sfdp", "USER", "SUPPORTER"),
    ("c-or-20", "opp-or-sfdp", "USER", None),
    ("c-or-10", "opp-or-sfdp", "INFLUENCER", None),
    ("c-or-05", "opp-or-sfdp", "INFLUENCER", None),
    ("c-or-03", "opp-or-sfdp", "INFLUENCER", None),
    ("c-gv-02", "opp-gov-hub1", "ECONOMIC_BUYER", None),
    ("c-gv-03", "opp-gov-hub1", "TECHNICAL_EVALUATOR", None),
    ("c-gv-01", "opp-gov-hub2", "ECONOMIC_BUYER", None),
    ("c-gv-03", "opp-gov-hub2", "TECHNICAL_EVALUATOR", None),
    ("c-gv-05", "opp-gov-hub2", "FINANCIAL_CONTROLLER", None),
    ("c-gv-07", "opp-gov-hub2", "USER", None),
    ("c-gv-02", "opp-gov-hub2", "INFLUENCER", None),
    ("c-md-01", "opp-md-pa", "ECONOMIC_BUYER", None),
    ("c-md-02", "opp-md-pa", "TECHNICAL_EVALUATOR", None),
    ("c-md-03", "opp-md-pa", "FINANCIAL_CONTROLLER", None),
    ("c-jx-01", "opp-jx-fc", "ECONOMIC_BUYER", None),
    ("c-jx-02", "opp-jx-fc", "TECHNICAL_EVALUATOR", None),
    ("c-nf-01", "opp-nf-scct", "ECONOMIC_BUYER", None),
    ("c-nf-02", "opp-nf-scct", "FINANCIAL_CONTROLLER", None),
    ("c-nf-03", "opp-nf-scct", "USER", None),
    ("c-lv-01", "opp-lv-dgs", "ECONOMIC_BUYER", None),
    ("c-lv-02", "opp-lv-dgs", "USER", None),
]

# ------------------------------------------------------------------ political map

# (from, to, strength): the first sways the second
INFLUENCES = [
    ("c-hx-14", "c-hx-01", 3), ("c-hx-02", "c-hx-01", 2), ("c-hx-08", "c-hx-01", 2),
    ("c-hx-03", "c-hx-02", 2), ("c-hx-07", "c-hx-06", 2), ("c-hx-05", "c-hx-03", 1),
    ("c-hx-04", "c-hx-03", 1), ("c-hx-10", "c-hx-08", 1), ("c-hx-09", "c-hx-08", 1),
    ("c-hx-11", "c-hx-01", 1), ("c-hx-06", "c-hx-02", 2),
    ("c-sh-03", "c-sh-01", 3), ("c-sh-02", "c-sh-01", 2), ("c-sh-04", "c-sh-03", 1),
    ("c-sh-06", "c-sh-02", 1), ("c-sh-05", "c-sh-01", 1),
    ("c-sz-02", "c-sz-01", 2), ("c-sz-04", "c-sz-02", 2), ("c-sz-03", "c-sz-02", 1),
    ("c-cd-02", "c-cd-01", 1), ("c-cd-03", "c-cd-01", 2),
    ("c-or-05", "c-or-01", 3), ("c-or-02", "c-or-01", 2), ("c-or-03", "c-or-01", 2),
    ("c-or-24", "c-or-01", 2), ("c-or-04", "c-or-01", 1), ("c-or-10", "c-or-07", 3),
    ("c-or-10", "c-or-08", 2), ("c-or-07", "c-or-02", 2), ("c-or-07", "c-or-20", 2),
    ("c-or-14", "c-or-03", 3), ("c-or-20", "c-or-14", 1), ("c-or-11", "c-or-08", 2),
    ("c-or-22", "c-or-03", 1), ("c-or-28", "c-or-24", 1), ("c-or-29", "c-or-28", 2),
    ("c-or-31", "c-or-24", 1), ("c-or-18", "c-or-14", 1), ("c-or-15", "c-or-14", 2),
    ("c-or-16", "c-or-14", 1), ("c-or-09", "c-or-08", 1), ("c-or-13", "c-or-10", 1),
    ("c-or-25", "c-or-24", 2), ("c-or-06", "c-or-04", 1), ("c-or-27", "c-or-24", 2),
    ("c-or-12", "c-or-09", 1), ("c-or-17", "c-or-15", 1), ("c-or-19", "c-or-16", 1),
    ("c-or-21", "c-or-20", 1), ("c-or-23", "c-or-22", 1), ("c-or-26", "c-or-25", 1),
    ("c-or-30", "c-or-29", 1), ("c-or-32", "c-or-31", 1), ("c-or-33", "c-or-11", 1),
    ("c-gv-02", "c-gv-01", 3), ("c-gv-03", "c-gv-02", 2), ("c-gv-04", "c-gv-03", 1),
    ("c-gv-05", "c-gv-01", 1), ("c-gv-07", "c-gv-02", 1), ("c-gv-08", "c-gv-04", 1),
    ("c-md-02", "c-md-01", 2), ("c-md-03", "c-md-01", 1),
    ("c-nf-02", "c-nf-01", 2), ("c-nf-03", "c-nf-01", 1),
    ("c-lv-02", "c-lv-01", 1), ("c-jx-02", "c-jx-01", 1),
    # across accounts: the HQ IT chief and his former deputy-turned-branch-president
    ("c-hx-03", "c-sz-01", 2),
    # classmates: Mingda's technical manager has the ear of Orient's architect
    ("c-md-02", "c-or-08", 1),
]  # fmt: skip

ALLIES = [
    ("c-or-03", "c-or-14"), ("c-or-03", "c-or-22"), ("c-or-02", "c-or-07"),
    ("c-or-07", "c-or-10"), ("c-or-07", "c-or-20"), ("c-or-14", "c-or-29"),
    ("c-hx-02", "c-hx-03"), ("c-hx-03", "c-hx-13"), ("c-hx-06", "c-hx-07"),
    ("c-sh-01", "c-sh-03"), ("c-gv-02", "c-gv-03"),
    ("c-hx-03", "c-sz-01"), ("c-md-02", "c-or-08"),
]  # fmt: skip
RIVALS = [
    ("c-or-02", "c-or-03"), ("c-or-07", "c-or-14"), ("c-or-10", "c-or-11"),
    ("c-hx-02", "c-hx-08"), ("c-gv-03", "c-gv-07"),
]  # fmt: skip
FAVORS = [
    ("c-or-14", "cmp-yunqi"), ("c-or-03", "cmp-yunqi"), ("c-or-29", "cmp-hengda"),
    ("c-hx-08", "cmp-sentinel"), ("c-sz-04", "cmp-sentinel"), ("c-gv-07", "cmp-yunqi"),
]  # fmt: skip
COMPETES_FOR = [
    ("cmp-yunqi", "opp-or-sfdp"), ("cmp-hengda", "opp-or-sfdp"),
    ("cmp-sentinel", "opp-hx-grp"), ("cmp-sentinel", "opp-hx-sz-mba"),
    ("cmp-yunqi", "opp-gov-hub2"),
]  # fmt: skip

# ----------------------------------------------------------- our relationships

# rep, contact, level, since, last contact (None: never dated, so no decay)
KNOWS: list[tuple[str, str, int, str, str | None]] = [
    ("rep-lin-wei", "c-hx-01", 2, "2023-03-01", "2026-08-20 16:00"),
    ("rep-lin-wei", "c-hx-02", 3, "2022-09-15", "2026-10-28 15:00"),
    ("rep-lin-wei", "c-hx-03", 4, "2021-06-01", "2026-11-10 11:00"),
    ("rep-lin-wei", "c-hx-06", 2, "2024-02-20", "2026-01-15 10:30"),
    ("rep-lin-wei", "c-hx-08", 1, "2025-01-10", "2025-06-18 15:00"),
    ("rep-lin-wei", "c-hx-10", 1, "2026-06-01", "2026-06-01 14:00"),
    ("rep-lin-wei", "c-hx-13", 3, "2020-05-01", "2026-03-20 18:00"),
    ("rep-lin-wei", "c-hx-14", 2, "2024-11-11", "2026-07-02 12:00"),
    ("rep-zhou-min", "c-hx-07", 3, "2025-02-10", "2026-09-08 10:00"),
    ("rep-zhao-qing", "c-hx-05", 2, "2026-02-01", "2026-10-15 14:00"),
    ("rep-zhou-min", "c-sh-01", 3, "2024-05-06", "2026-11-06 10:00"),
    ("rep-zhou-min", "c-sh-02", 3, "2024-05-06", "2026-10-16 14:00"),
    ("rep-zhou-min", "c-sh-03", 4, "2023-11-20", "2026-11-13 10:00"),
    ("rep-zhou-min", "c-sh-04", 2, "2025-12-01", "2026-08-12 09:30"),
    ("rep-zhou-min", "c-sh-05", 2, "2025-01-09", "2026-09-24 15:00"),
    ("rep-zhao-qing", "c-sh-02", 2, "2025-09-10", "2026-07-07 14:00"),
    ("rep-zhao-qing", "c-sh-06", 2, "2025-11-19", "2026-07-07 14:00"),
    ("rep-zhou-min", "c-sz-01", 2, "2026-04-20", "2026-10-09 10:00"),
    ("rep-he-jun", "c-sz-02", 2, "2025-06-05", "2026-02-11 11:00"),
    ("rep-he-jun", "c-sz-04", 1, "2025-06-05", "2025-08-28 16:00"),
    ("rep-zhou-min", "c-cd-02", 2, "2024-10-10", "2025-06-20 11:00"),
    ("rep-zhao-qing", "c-cd-02", 3, "2026-03-02", "2026-06-20 11:00"),
    ("rep-chen-hao", "c-or-01", 2, "2025-03-20", "2026-09-15 15:00"),
    ("rep-chen-hao", "c-or-03", 1, "2024-06-01", "2026-09-28 14:00"),
    ("rep-chen-hao", "c-or-04", 2, "2025-04-10", "2026-07-30 10:00"),
    ("rep-chen-hao", "c-or-07", 4, "2023-05-10", "2026-11-12 10:00"),
    ("rep-chen-hao", "c-or-08", 3, "2024-03-15", "2026-04-18 14:00"),
    ("rep-chen-hao", "c-or-10", 3, "2024-09-03", "2026-10-30 17:30"),
    ("rep-chen-hao", "c-or-15", 2, "2025-09-01", "2026-05-20 10:00"),
    ("rep-chen-hao", "c-or-16", 3, "2025-05-20", "2026-08-26 14:00"),
    ("rep-chen-hao", "c-or-20", 2, "2025-06-18", "2026-11-05 15:00"),
    ("rep-chen-hao", "c-or-24", 1, "2025-08-12", "2025-10-20 10:00"),
    ("rep-chen-hao", "c-or-27", 4, "2022-11-08", "2026-09-30 17:00"),
    ("rep-chen-hao", "c-or-28", 1, "2026-10-28", "2026-11-03 10:00"),
    ("rep-chen-hao", "c-or-31", 0, "2026-10-22", "2026-10-22 16:00"),
    ("rep-wang-lei", "c-or-02", 3, "2024-01-15", "2025-09-01 19:00"),
    ("rep-wang-lei", "c-or-14", 1, "2025-11-05", "2026-03-05 10:00"),
    ("rep-zhao-qing", "c-or-08", 2, "2026-01-12", "2026-10-22 10:00"),
    ("rep-zhao-qing", "c-or-09", 2, "2026-01-12", "2026-08-01 11:00"),
    ("rep-zhao-qing", "c-or-11", 1, "2026-03-03", "2026-10-22 10:00"),
    ("rep-xu-fan", "c-or-21", 2, "2026-02-10", None),
    ("rep-liu-yang", "c-gv-01", 2, "2024-12-10", "2026-03-10 10:00"),
    ("rep-liu-yang", "c-gv-02", 3, "2024-08-15", "2026-10-21 15:00"),
    ("rep-liu-yang", "c-gv-03", 4, "2023-09-01", "2026-11-17 10:00"),
    ("rep-liu-yang", "c-gv-04", 2, "2025-03-01", "2026-11-17 10:00"),
    ("rep-liu-yang", "c-gv-05", 1, "2025-06-15", "2025-12-20 10:00"),
    ("rep-xu-fan", "c-gv-04", 2, "2026-05-14", "2026-07-08 14:00"),
    ("rep-sun-li", "c-md-01", 3, "2024-04-01", "2026-10-10 10:00"),
    ("rep-sun-li", "c-md-02", 4, "2024-04-01", "2026-11-02 16:00"),
    ("rep-sun-li", "c-md-03", 1, "2025-10-15", "2025-10-15 10:00"),
    ("rep-sun-li", "c-jx-02", 1, "2026-09-01", "2026-09-01 16:00"),
    ("rep-he-jun", "c-nf-01", 2, "2024-07-01", "2026-06-30 10:00"),
    ("rep-he-jun", "c-nf-03", 3, "2024-07-01", "2026-09-09 11:00"),
    ("rep-sun-li", "c-lv-01", 2, "2025-05-28", "2026-01-20 10:00"),
]

# ----------------------------------------------------------------- visit log

# account key, time, kind, purpose, reps, contacts, about (company or opportunity), notes
INTERACTIONS: list[tuple[Any, ...]] = [
    ("or", "2025-05-26 10:00", "VISIT", "RESEARCH", ["rep-chen-hao"], ["c-or-02", "c-or-07"],
     "co-orient", "Kick-off for IoT monitoring phase 1; toured the Wuxi plant."),
    ("sh", "2025-05-28 14:00", "MEETING", "RELATIONSHIP", ["rep-zhou-min"], ["c-sh-01"],
     "co-hx-sh", None),
    ("lv", "2025-05-28 10:00", "VISIT", "RESEARCH", ["rep-sun-li"], ["c-lv-01"],
     "co-smb-lvyuan", "Referral from 明达's GM. Lab data scattered over 40 Excel files."),
    ("sz", "2025-06-05 10:00", "VISIT", "RESEARCH", ["rep-he-jun"], ["c-sz-02", "c-sz-04"],
     "opp-hx-sz-mba", None),
    ("or", "2025-06-12 14:00", "MEETING", "SOLUTION", ["rep-chen-hao", "rep-zhao-qing"],
     ["c-or-07", "c-or-16"], "opp-or-iot", "Sensor layout for Wuxi lines 1-3 agreed."),
    ("hx", "2025-06-18 15:00", "MEETING", "RELATIONSHIP", ["rep-lin-wei"], ["c-hx-08"],
     "co-hx-hq", "Courtesy call in budget season; CFO very cautious about new platforms."),
    ("cd", "2025-06-20 11:00", "MEETING", "RESEARCH", ["rep-zhou-min"], ["c-cd-02"],
     "co-hx-cd", None),
    ("or", "2025-06-27 10:00", "VISIT", "SIGNING", ["rep-chen-hao"], ["c-or-02", "c-or-27"],
     "opp-or-iot", "Phase 1 contract signed."),
    ("or", "2025-07-15 12:00", "MEETING", "RELATIONSHIP", ["rep-chen-hao"], ["c-or-03"],
     "co-orient", "Lunch with VP Sun after the signing; friendly and curious about phase 2."),
    ("sh", "2025-07-22 10:00", "VISIT", "RESEARCH", ["rep-zhou-min"], ["c-sh-03"], "co-hx-sh",
     "Fraud losses up 30% year on year; rules maintained by hand."),
    ("gv", "2025-07-30 10:00", "VISIT", "SIGNING", ["rep-liu-yang"], ["c-gv-02", "c-gv-03"],
     "opp-gov-hub1", "Phase I acceptance signed; final payment released."),
    ("hx", "2025-08-06 09:00", "EVENT", "RELATIONSHIP", ["rep-lin-wei", "rep-zhou-min"],
     ["c-hx-02", "c-hx-03"], "co-hx-hq", "Beijing fintech summit; dinner afterwards."),
    ("or", "2025-08-12 10:00", "VISIT", "RELATIONSHIP", ["rep-chen-hao"], ["c-or-24", "c-or-27"],
     "co-orient", "王建华 introduced us to the CFO."),
    ("md", "2025-08-20 10:00", "VISIT", "RESEARCH", ["rep-sun-li"], ["c-md-01", "c-md-02"],
     "co-smb-mingda", None),
    ("sz", "2025-08-28 16:00", "MEETING", "PROGRESS", ["rep-he-jun"], ["c-sz-04"],
     "opp-hx-sz-mba", "Lost to Sentinel on price (-18%)."),
    ("or", "2025-09-01 19:00", "EVENT", "RELATIONSHIP", ["rep-wang-lei"], ["c-or-02"],
     "co-orient", "Intelligent manufacturing summit dinner, Shanghai."),
    ("sh", "2025-09-10 14:00", "MEETING", "SOLUTION", ["rep-zhou-min", "rep-zhao-qing"],
     ["c-sh-02", "c-sh-03"], "opp-hx-sh-srp", "Smart Risk Platform demo on their own data."),
    ("gv", "2025-09-16 14:00", "MEETING", "RESEARCH", ["rep-liu-yang"], ["c-gv-03", "c-gv-04"],
     "co-gov-sz", "Phase II needs: a data catalogue for 12 commissions."),
    ("or", "2025-09-18 11:00", "CALL", "PROGRESS", ["rep-chen-hao"], ["c-or-27"], "opp-or-iot",
     None),
    ("hx", "2025-10-14 10:00", "VISIT", "RESEARCH", ["rep-lin-wei"], ["c-hx-03", "c-hx-13"],
     "co-hx-hq", "Survey of the branches' risk systems: five vendors, no common data model."),
    ("md", "2025-10-15 10:00", "VISIT", "SIGNING", ["rep-sun-li"], ["c-md-01", "c-md-03"],
     "opp-md-iot", None),
    ("or", "2025-10-20 10:00", "MEETING", "PROGRESS", ["rep-chen-hao"], ["c-or-24", "c-or-25"],
     "opp-or-iot", "Payment milestone review."),
    ("sz", "2025-10-22 14:00", "MEETING", "SOLUTION", ["rep-zhao-qing"], ["c-sz-03"],
     "opp-hx-sz-dgs", None),
    ("or", "2025-11-05 10:00", "VISIT", "RESEARCH", ["rep-wang-lei"], ["c-or-14"], "co-orient",
     "Suzhou plant walk with 刘大伟."),
    ("nf", "2025-11-11 14:00", "MEETING", "PROGRESS", ["rep-he-jun"], ["c-nf-02", "c-nf-03"],
     "opp-nf-scct", None),
    ("sh", "2025-11-19 14:00", "MEETING", "SOLUTION", ["rep-zhao-qing"], ["c-sh-02", "c-sh-06"],
     "opp-hx-sh-srp", "POC environment up in the branch data centre."),
    ("or", "2025-11-25 09:30", "MEETING", "RESEARCH", ["rep-chen-hao"],
     ["c-or-07", "c-or-10", "c-or-20"], "co-orient",
     "Discovery workshop: data silos across four plants, three MES versions."),
    ("or", "2025-12-16 18:00", "EMAIL", "PROGRESS", ["rep-chen-hao"], ["c-or-07"],
     "opp-or-sfdp", "Sent the discovery summary and a draft architecture."),
    ("sz", "2025-12-19 15:00", "VISIT", "SIGNING", ["rep-he-jun"], ["c-sz-02"],
     "opp-hx-sz-dgs", "Data Governance Suite signed."),
    ("gv", "2025-12-20 10:00", "MEETING", "PROGRESS", ["rep-liu-yang"], ["c-gv-05"],
     "opp-gov-hub2", "Is Phase II in the 2026 fiscal plan? Not yet confirmed."),
    ("or", "2026-01-12 09:30", "MEETING", "SOLUTION", ["rep-chen-hao", "rep-zhao-qing"],
     ["c-or-08", "c-or-09", "c-or-10"], "opp-or-sfdp", "Architecture workshop."),
    ("sh", "2026-01-14 10:00", "VISIT", "PROGRESS", ["rep-zhou-min"], ["c-sh-01", "c-sh-05"],
     "opp-hx-sh-srp", "Price and phased payment agreed in principle."),
    ("hx", "2026-01-15 10:30", "MEETING", "RESEARCH", ["rep-lin-wei"], ["c-hx-06"], "co-hx-hq",
     "Risk data requirements for a group-wide view."),
    ("lv", "2026-01-20 10:00", "CALL", "PROGRESS", ["rep-sun-li"], ["c-lv-01"], "opp-lv-dgs",
     None),
    ("sz", "2026-02-11 11:00", "CALL", "PROGRESS", ["rep-he-jun"], ["c-sz-02"], "opp-hx-sz-dgs",
     None),
    ("hx", "2026-02-26 14:00", "MEETING", "SOLUTION", ["rep-zhao-qing"], ["c-hx-05"],
     "co-hx-hq", None),
    ("cd", "2026-03-02 10:00", "MEETING", "SOLUTION", ["rep-zhao-qing"], ["c-cd-02", "c-cd-04"],
     "opp-hx-cd-dgs", None),
    ("or", "2026-03-03 14:00", "MEETING", "SOLUTION", ["rep-zhao-qing"], ["c-or-11"],
     "opp-or-sfdp", "Security review round 1: on-premise vs hybrid."),
    ("or", "2026-03-05 10:00", "VISIT", "PROGRESS", ["rep-wang-lei"], ["c-or-14"], "opp-or-sfdp",
     "刘大伟 refused to commit the Suzhou plant to a pilot."),
    ("gv", "2026-03-10 10:00", "VISIT", "RELATIONSHIP", ["rep-liu-yang"], ["c-gv-01"],
     "co-gov-sz", "New-year visit to the Director-General."),
    ("or", "2026-03-18 14:30", "MEETING", "PROGRESS", ["rep-chen-hao"], ["c-or-02", "c-or-07"],
     "opp-or-sfdp", "EVP 钱丽华 agreed to sponsor; the CIO now backs us openly."),
    ("hx", "2026-03-20 18:00", "CALL", "RELATIONSHIP", ["rep-lin-wei"], ["c-hx-13"], "co-hx-hq",
     "任国栋 confirmed his move to Shenzhen as branch president in April."),
    ("sh", "2026-03-27 10:00", "VISIT", "SIGNING", ["rep-zhou-min"],
     ["c-sh-01", "c-sh-03", "c-sh-05"], "opp-hx-sh-srp",
     "Contract signed 🎉 First branch on the Smart Risk Platform."),
    ("hx", "2026-04-09 14:00", "VISIT", "SOLUTION", ["rep-lin-wei", "rep-zhao-qing"],
     ["c-hx-03", "c-hx-04", "c-hx-05"], "opp-hx-grp",
     "Presented the Shanghai case to HQ IT. 丁总: \"Why is every branch buying its own?\""),
    ("or", "2026-04-18 14:00", "VISIT", "SOLUTION", ["rep-chen-hao"], ["c-or-08"],
     "opp-or-sfdp", "Draft architecture sign-off."),
    ("sz", "2026-04-20 10:00", "VISIT", "RELATIONSHIP", ["rep-zhou-min"], ["c-sz-01"],
     "co-hx-sz", "Congratulated 任国栋 on the new role; introduced by 林伟."),
    ("md", "2026-04-22 15:00", "CALL", "PROGRESS", ["rep-sun-li"], ["c-md-02"], "opp-md-iot",
     "Support ticket backlog on the vibration sensors."),
    ("sh", "2026-05-12 10:00", "MEETING", "PROGRESS", ["rep-zhao-qing"], ["c-sh-02"],
     "opp-hx-sh-srp", "Rules engine live."),
    ("gv", "2026-05-14 09:30", "EVENT", "SOLUTION", ["rep-liu-yang", "rep-xu-fan"],
     ["c-gv-03", "c-gv-07"], "opp-gov-hub2",
     "Digital government expo; demo for 应用推进处, who prefer 云启."),
    ("or", "2026-05-20 10:00", "VISIT", "RESEARCH", ["rep-chen-hao"], ["c-or-15", "c-or-17"],
     "co-orient", "Suzhou shop-floor interviews: supervisors want live OEE on the line."),
    ("hx", "2026-06-01 14:00", "MEETING", "PROGRESS", ["rep-lin-wei"], ["c-hx-10"], "opp-hx-grp",
     "How a group framework agreement would be procured."),
    ("or", "2026-06-15 14:00", "MEETING", "SOLUTION", ["rep-zhao-qing", "rep-xu-fan"],
     ["c-or-10", "c-or-20"], "opp-or-sfdp", "Pilot ingestion from Wuxi line 3."),
    ("cd", "2026-06-20 11:00", "VISIT", "SIGNING", ["rep-zhao-qing"], ["c-cd-02"],
     "opp-hx-cd-dgs", "Signed at the HQ framework price."),
    ("nf", "2026-06-30 10:00", "VISIT", "RELATIONSHIP", ["rep-he-jun"], ["c-nf-01"],
     "co-smb-nanfeng", "Renewal discussion; GM non-committal."),
    ("hx", "2026-07-02 12:00", "CALL", "RELATIONSHIP", ["rep-lin-wei"], ["c-hx-14"], "co-hx-hq",
     None),
    ("sh", "2026-07-07 14:00", "MEETING", "PROGRESS", ["rep-zhao-qing"], ["c-sh-02", "c-sh-06"],
     "opp-hx-sh-srp", "Hypercare review: false positives down 42%."),
    ("gv", "2026-07-08 14:00", "MEETING", "SOLUTION", ["rep-xu-fan"], ["c-gv-04", "c-gv-08"],
     "opp-gov-hub2", None),
    ("or", "2026-07-30 10:00", "MEETING", "RELATIONSHIP", ["rep-chen-hao"], ["c-or-04"],
     "co-orient", "Coffee with 李婷 to get on the President's calendar."),
    ("or", "2026-08-01 11:00", "CALL", "PROGRESS", ["rep-zhao-qing"], ["c-or-09"],
     "opp-or-sfdp", None),
    ("sh", "2026-08-12 09:30", "EMAIL", "RELATIONSHIP", ["rep-zhou-min"], ["c-sh-04"],
     "co-hx-sh", None),
    ("hx", "2026-08-20 16:00", "MEETING", "SOLUTION", ["rep-lin-wei"], ["c-hx-01", "c-hx-02"],
     "opp-hx-grp", "The President asked whether branches should keep buying separately."),
    ("or", "2026-08-26 14:00", "VISIT", "PROGRESS", ["rep-chen-hao"], ["c-or-16", "c-or-19"],
     "opp-or-sfdp", "Wuxi pilot review: the line 3 OEE dashboard is live."),
    ("sh", "2026-09-01 15:00", "MEETING", "PROGRESS", ["rep-zhou-min"], ["c-sh-03"],
     "opp-hx-sh-exp", None),
    ("jx", "2026-09-01 16:00", "EVENT", "RESEARCH", ["rep-sun-li"], ["c-jx-02"],
     "co-smb-jinxiu", "Met at the Hangzhou retail-tech meetup."),
    ("hx", "2026-09-08 10:00", "VISIT", "SOLUTION", ["rep-zhou-min"], ["c-hx-07"], "opp-hx-grp",
     "The credit-model team wants Shanghai's rules engine."),
    ("nf", "2026-09-09 11:00", "CALL", "PROGRESS", ["rep-he-jun"], ["c-nf-03"],
     "co-smb-nanfeng", "Two invoices 60+ days overdue; finance says the budget is frozen."),
    ("or", "2026-09-15 15:00", "MEETING", "SOLUTION", ["rep-chen-hao"],
     ["c-or-01", "c-or-02", "c-or-07"], "opp-or-sfdp",
     "Executive briefing. The President wants a phased plan and a reference visit."),
    ("sh", "2026-09-24 15:00", "MEETING", "PROGRESS", ["rep-zhou-min"], ["c-sh-05"],
     "opp-hx-sh-exp", "Budget for the Fraud Graph Module."),
    ("or", "2026-09-28 14:00", "MEETING", "PROGRESS", ["rep-chen-hao"], ["c-or-03", "c-or-14"],
     "opp-or-sfdp",
     "Pilot overran by three weeks.\n孙总: \"Not on my production lines until this is stable.\""),
    ("or", "2026-09-30 17:00", "CALL", "RELATIONSHIP", ["rep-chen-hao"], ["c-or-27"],
     "co-orient", "王建华 is leaving mid-October 😟 He will introduce his successor."),
    ("sz", "2026-10-09 10:00", "MEETING", "RESEARCH", ["rep-zhou-min"], ["c-sz-01", "c-sz-03"],
     "co-hx-sz", "Interest in the Smart Risk Platform after hearing about Shanghai."),
    ("md", "2026-10-10 10:00", "VISIT", "SOLUTION", ["rep-sun-li"], ["c-md-01", "c-md-02"],
     "opp-md-pa", None),
    ("hx", "2026-10-15 14:00", "MEETING", "SOLUTION", ["rep-zhao-qing"], ["c-hx-05"],
     "opp-hx-grp", "Architecture deep-dive."),
    ("sh", "2026-10-16 14:00", "VISIT", "SOLUTION", ["rep-zhou-min"], ["c-sh-02", "c-sh-03"],
     "opp-hx-sh-exp", None),
    ("gv", "2026-10-21 15:00", "MEETING", "PROGRESS", ["rep-liu-yang"], ["c-gv-02"],
     "opp-gov-hub2", "Tender expected in Q1 2027."),
    ("or", "2026-10-22 10:00", "MEETING", "SOLUTION", ["rep-zhao-qing"], ["c-or-08", "c-or-11"],
     "opp-or-sfdp", "Security review round 2: data residency clause."),
    ("or", "2026-10-22 16:00", "MEETING", "PROGRESS", ["rep-chen-hao"], ["c-or-31"],
     "opp-or-sfdp", "First meeting with the General Counsel on the contract template."),
    ("hx", "2026-10-28 15:00", "MEETING", "PROGRESS", ["rep-lin-wei"], ["c-hx-02"], "opp-hx-grp",
     None),
    ("or", "2026-10-30 17:30", "CALL", "PROGRESS", ["rep-chen-hao"], ["c-or-10"], "opp-or-sfdp",
     None),
    ("md", "2026-11-02 16:00", "CALL", "PROGRESS", ["rep-sun-li"], ["c-md-02"], "opp-md-pa",
     "Sensor firmware issues: 12 tickets this quarter 😓"),
    ("or", "2026-11-03 10:00", "VISIT", "RELATIONSHIP", ["rep-chen-hao"], ["c-or-28"],
     "co-orient", "Intro meeting with the acting procurement director 马骏."),
    ("or", "2026-11-05 15:00", "MEETING", "PROGRESS", ["rep-chen-hao"], ["c-or-20"],
     "opp-or-sfdp", None),
    ("sh", "2026-11-06 10:00", "MEETING", "RELATIONSHIP", ["rep-zhou-min"], ["c-sh-01"],
     "co-hx-sh", "Quarterly business review."),
    ("hx", "2026-11-10 11:00", "VISIT", "PROGRESS", ["rep-lin-wei"], ["c-hx-03"], "opp-hx-grp",
     "Programme RFP expected in January."),
    ("or", "2026-11-12 10:00", "VISIT", "PROGRESS", ["rep-chen-hao"], ["c-or-07"],
     "opp-or-sfdp", "CIO: the budget request goes to the board in December."),
    ("sh", "2026-11-13 10:00", "VISIT", "PROGRESS", ["rep-zhou-min"], ["c-sh-03"],
     "opp-hx-sh-exp", None),
    ("gv", "2026-11-17 10:00", "VISIT", "PROGRESS", ["rep-liu-yang"], ["c-gv-03", "c-gv-04"],
     "opp-gov-hub2", "Drafting the technical specification together 📝"),
    ("or", "2026-11-18 18:00", "EMAIL", "PROGRESS", ["rep-chen-hao"], ["c-or-25"],
     "opp-or-sfdp", "Sent the revised 3-phase proposal (24-month payback) to finance."),
]  # fmt: skip

# -------------------------------------------------------------------- history

# entity, entity id, contact, field, old, new, at, by
CHANGES: list[tuple[Any, ...]] = [
    ("Contact", "c-sz-04", "c-sz-04", "stance", "NEUTRAL", "OPPONENT", "2025-08-28 17:00",
     "rep-he-jun"),
    ("Contact", "c-sh-03", "c-sh-03", "stance", "SUPPORTER", "CHAMPION", "2025-09-10 17:00",
     "rep-zhou-min"),
    ("Contact", "c-or-07", "c-or-07", "stance", "NEUTRAL", "SUPPORTER", "2025-11-25 18:00",
     "rep-chen-hao"),
    ("Contact", "c-sh-01", "c-sh-01", "stance", "NEUTRAL", "SUPPORTER", "2026-01-14 18:00",
     "rep-zhou-min"),
    ("Contact", "c-or-10", "c-or-10", "stance", "UNKNOWN", "CHAMPION", "2026-01-12 18:00",
     "rep-chen-hao"),
    ("Contact", "c-or-07", "c-or-07", "stance", "SUPPORTER", "CHAMPION", "2026-03-18 18:00",
     "rep-chen-hao"),
    ("KNOWS", "rep-chen-hao->c-or-07", "c-or-07", "level", 3, 4, "2026-03-18 18:00",
     "rep-chen-hao"),
    ("Contact", "c-sh-01", "c-sh-01", "stance", "SUPPORTER", "CHAMPION", "2026-03-27 18:00",
     "rep-zhou-min"),
    ("Contact", "c-hx-13", "c-hx-13", "status", "ACTIVE", "MOVED", "2026-04-01 09:00",
     "rep-lin-wei"),
    ("Contact", "c-gv-07", "c-gv-07", "stance", "NEUTRAL", "OPPONENT", "2026-05-14 18:00",
     "rep-liu-yang"),
    ("HAS_ROLE", "c-or-15->opp-or-sfdp", "c-or-15", "stance", None, "SUPPORTER",
     "2026-05-20 18:00", "rep-chen-hao"),
    ("Contact", "c-or-14", "c-or-14", "stance", "OPPONENT", "BLOCKER", "2026-07-22 18:00",
     "rep-wang-lei"),
    ("Contact", "c-hx-08", "c-hx-08", "stance", "NEUTRAL", "OPPONENT", "2026-08-20 18:00",
     "rep-lin-wei"),
    ("Contact", "c-nf-02", "c-nf-02", "stance", "NEUTRAL", "OPPONENT", "2026-09-09 18:00",
     "rep-he-jun"),
    # a KDM's stance fell two steps within the last 90 days (STANCE_DROP)
    ("Contact", "c-or-03", "c-or-03", "stance", "SUPPORTER", "OPPONENT", "2026-09-28 18:00",
     "rep-chen-hao"),
    ("KNOWS", "rep-chen-hao->c-or-03", "c-or-03", "level", 2, 1, "2026-09-30 09:00",
     "rep-chen-hao"),
    # a KDM (and champion) left within the last 90 days (KDM_LEFT, CHAMPION_LOST)
    ("Contact", "c-or-27", "c-or-27", "status", "ACTIVE", "LEFT", "2026-10-12 09:00",
     "rep-chen-hao"),
    ("HAS_ROLE", "c-or-28->opp-or-sfdp", "c-or-28", "role", None, "FINANCIAL_CONTROLLER",
     "2026-10-20 10:00", "rep-chen-hao"),
]  # fmt: skip


# ----------------------------------------------------------------------- build


def _company(row: tuple[Any, ...]) -> dict[str, Any]:
    cid, name, industry, region, tier, revenue, employees, icp, health = row
    record: dict[str, Any] = {
        "id": cid,
        "name": name,
        "industry": industry,
        "region": region,
        "tier": tier,
    }
    if revenue is not None:
        record["annual_revenue"] = revenue
    record["employees"] = employees
    for field, value in zip(ICP, icp or (), strict=False):
        if value is not None:
            record[field] = value
    for field, value in zip(HEALTH, health or (), strict=False):
        record[field] = value
    return record


def _contact(row: tuple[Any, ...]) -> dict[str, Any]:
    cid, name, title, seniority, kdm, rating, stance, dept, _boss, *extra = row
    record: dict[str, Any] = {"id": cid, "name": name, "title": title, "seniority": seniority}
    record["is_kdm"] = kdm
    if rating is not None:
        record["influence_rating"] = rating
    record["stance"] = stance
    record["status"] = extra[0]["status"] if extra else "ACTIVE"
    if cid in EMAILS:
        record["email"] = EMAILS[cid]
    if cid in PROFILES:
        record["profile"] = PROFILES[cid]
    verified = VERIFIED_OVERRIDES.get(cid, VERIFIED[cid.split("-")[1]])
    if verified is not None:
        record["last_verified_at"] = bj(verified)
    record["department_id"] = dept
    return record


def _interactions() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    records: list[dict[str, Any]] = []
    about: list[dict[str, Any]] = []
    seen: dict[str, int] = defaultdict(int)
    for account, at, kind, purpose, reps, contacts, target, notes in sorted(
        INTERACTIONS, key=lambda r: (r[1], r[0])
    ):
        base = f"int-{account}-{at[:10].replace('-', '')}"
        seen[base] += 1
        iid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        record: dict[str, Any] = {"id": iid, "at": bj(at), "kind": kind, "purpose": purpose}
        if notes:
            record["notes"] = notes
        record["rep_ids"] = reps
        record["contact_ids"] = contacts
        records.append(record)
        label = "Opportunity" if target.startswith("opp-") else "Company"
        about.append({"type": "ABOUT", "from": iid, "to": target, "to_label": label})
    return records, about


def _relationships(about: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rels: list[dict[str, Any]] = []
    rels += [{"type": "BRANCH_OF", "from": b, "to": hq} for b, hq in BRANCHES]
    rels += [
        {"type": "PART_OF", "from": d[0], "to": d[4], "to_label": "Department"}
        for d in DEPARTMENTS
        if d[4].startswith("dept-")
    ]
    rels += [{"type": "REPORTS_TO", "from": c[0], "to": c[8]} for c in CONTACTS if c[8]]
    rels += [{"type": "INFLUENCES", "from": a, "to": b, "strength": s} for a, b, s in INFLUENCES]
    rels += [{"type": "ALLY_OF", "from": a, "to": b} for a, b in ALLIES]
    rels += [{"type": "RIVAL_OF", "from": a, "to": b} for a, b in RIVALS]
    for rep, contact, level, since, last in KNOWS:
        rel: dict[str, Any] = {"type": "KNOWS", "from": rep, "to": contact, "level": level}
        rel["since"] = since
        if last is not None:
            rel["last_contact_at"] = bj(last)
        rels.append(rel)
    for contact, opp, role, stance in ROLES:
        rel = {"type": "HAS_ROLE", "from": contact, "to": opp, "role": role}
        if stance is not None:
            rel["stance"] = stance
        rels.append(rel)
    rels += [{"type": "FAVORS", "from": c, "to": comp} for c, comp in FAVORS]
    rels += [{"type": "COMPETES_FOR", "from": comp, "to": o} for comp, o in COMPETES_FOR]
    rels += [
        {"type": "MEMBER_OF", "from": rep, "to": team} for rep, *_, teams in REPS for team in teams
    ]
    rels += [
        {
            "type": "COVERS",
            "from": who,
            "from_label": "Team" if who.startswith("team-") else "Rep",
            "to": account,
            "kind": kind,
        }
        for who, account, kind in COVERS
    ]
    return rels + about


#: The Orient account's relationship plan (§3.18): (id, level, contact or role,
#: opportunity, owning rep, due, note).
PLAN_TARGETS = [
    ("plan-or-chair", 3, "c-or-01", None, "rep-chen-hao", "2026-12-31",
     "Trusted access to the chairman before the budget round"),
    ("plan-or-fc", 2, "FINANCIAL_CONTROLLER", "opp-or-sfdp", "rep-wang-lei", "2026-10-31",
     "Someone in Finance who will argue the business case"),
    ("plan-or-cio", 3, "c-or-07", None, "rep-chen-hao", "2027-03-31", None),
]  # fmt: skip


def _plan_target(row: tuple[Any, ...]) -> dict[str, Any]:
    tid, level, who, opp, rep, due, note = row
    record: dict[str, Any] = {"id": tid, "level": level, "company_id": "co-orient"}
    record |= {"contact_id": who} if who.startswith("c-") else {"role": who}
    record |= {"opportunity_id": opp} if opp else {}
    record |= {"rep_id": rep, "due": due}
    return record | ({"note": note} if note else {})


def build() -> dict[str, Any]:
    """The demo dataset v1 document (deterministic; checked by :func:`check`)."""
    interactions, about = _interactions()
    doc: dict[str, Any] = {
        "version": 1,
        "companies": [_company(row) for row in COMPANIES],
        "departments": [
            {"id": d[0], "name": d[1], "function": d[2], "is_key": d[3]}
            | ({"company_id": d[4]} if d[4].startswith("co-") else {})
            for d in DEPARTMENTS
        ],
        "contacts": [_contact(row) for row in CONTACTS],
        "opportunities": [
            {
                "id": oid,
                "name": name,
                "stage": stage,
                "status": status,
                "amount": amount,
                "currency": "CNY",
                "products": products,
                "close_date": close,
                "company_id": company,
            }
            for oid, name, stage, status, amount, products, close, company in OPPORTUNITIES
        ],
        "reps": [
            {
                "id": rid,
                "name": name,
                "email": rid.removeprefix("rep-").replace("-", ".") + "@sales.example.com",
                "industry_expert": expert,
            }
            for rid, name, expert, _ in REPS
        ],
        "teams": [
            {"id": tid, "name": name, "kind": kind}
            | ({"region": region} if region else {})
            | ({"industry": industry} if industry else {})
            for tid, name, kind, region, industry in TEAMS
        ],
        "interactions": interactions,
        "competitors": [{"id": cid, "name": name} for cid, name in COMPETITORS],
        "plan_targets": [_plan_target(row) for row in PLAN_TARGETS],
        "relationships": _relationships(about),
        "changes": [
            {
                "entity": entity,
                "entity_id": entity_id,
                "contact_id": contact,
                "field": field,
                "old": old,
                "new": new,
                "at": bj(at),
                "by": by,
            }
            for entity, entity_id, contact, field, old, new, at, by in CHANGES
        ],
    }
    check(doc)
    return doc


def check(doc: dict[str, Any]) -> None:
    """Consistency the hand-written tables must keep; raises ``AssertionError``.

    * every KNOWS ``last_contact_at`` is the latest time that rep met that contact, so
      the recency band intended for each tie (§3.2) is the one the analytics see;
      a KNOWS with no date has no logged meeting either;
    * nothing happens after the demo's "today".
    """
    met: dict[tuple[str, str], str] = {}
    for record in doc["interactions"]:
        assert record["at"][:10] <= TODAY.isoformat(), record["id"]
        for rep in record["rep_ids"]:
            for contact in record["contact_ids"]:
                key = (rep, contact)
                met[key] = max(met.get(key, ""), record["at"])
    for rel in doc["relationships"]:
        if rel["type"] != "KNOWS":
            continue
        key = (rel["from"], rel["to"])
        last = rel.get("last_contact_at")
        if last is None:
            assert key not in met, f"KNOWS {key} has no date but a logged meeting"
        else:
            assert met.get(key, "") <= last, f"KNOWS {key}: met at {met[key]} after {last}"
    for event in doc["changes"]:
        assert event["at"][:10] <= TODAY.isoformat(), event


def main() -> None:
    DEMO_PATH.write_text(dumps_dataset(build()), encoding="utf-8")
    print(f"wrote {DEMO_PATH}")


if __name__ == "__main__":
    main()
