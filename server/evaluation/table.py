# ruff: noqa: RUF001 (the form's Chinese wording keeps its full-width punctuation)
"""The 100-point table (附件4, 考核评价表) as data: sections and items with their code, points,
wording in Chinese and English, and whether the data decides them (docs/evaluation.md).

The order here is the paper form's order; the form, the screens and the totals all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import floor

# Grades by total: below 70 不合格, 70 to 84 合格, 85 and above 示范型 (the form's 备注 2).
PASS_FROM, MODEL_FROM = 70.0, 85.0
FAIL, PASS, MODEL = "fail", "pass", "model"
GRADES = (FAIL, PASS, MODEL)
GRADE_NAMES = {FAIL: ("不合格", "Fail"), PASS: ("合格", "Pass"), MODEL: ("示范型", "Model")}


@dataclass(frozen=True)
class Item:
    code: str
    section: str
    points: float
    zh: str
    en: str
    computed: bool = False
    # Figures a person scoring a manual item reads beside it (`process`): never the points.
    hinted: bool = False


@dataclass(frozen=True)
class Section:
    code: str
    zh: str
    en: str
    points: float


SECTIONS = (
    Section("facilities", "设施建设", "Facilities", 20),
    Section("team", "队伍建设", "Team", 14),
    Section("management", "制度管理", "Management", 36),
    Section("service", "服务规范", "Service", 30),
)

ITEMS = (
    Item("premises", "facilities", 8, "有固定的办公场所，配备必要的办公设备",
         "A fixed office with the equipment it needs"),
    Item("sign_board", "facilities", 8, "有统一醒目的工作室标识牌",
         "The office's standard sign board, clearly visible"),
    Item("environment", "facilities", 4, "环境整洁、美观", "Clean and pleasant surroundings"),
    Item("head", "team", 6, "配备工作室负责人1名", "A head of the office", computed=True),
    Item("staff", "team", 8, "除负责人外，有专职社工1名，有专兼职社工或志愿者至少2名",
         "Besides the head, one full-time social worker and at least two more social workers "
         "or volunteers", computed=True),
    Item("rules_complete", "management", 3, "工作室各项管理规章制度齐全",
         "The office's rules complete"),
    Item("rules_posted", "management", 3, "工作室各项管理规章制度上墙",
         "The office's rules posted on the wall"),
    Item("staff_posted", "management", 6, "工作人员信息公示上墙",
         "The staff introduction posted on the wall", computed=True),
    Item("finance", "management", 6, "财务制度健全，经费使用公开",
         "Sound finance rules, spending made public"),
    Item("annual_plan", "management", 6, "制定年度活动计划", "An annual plan of activities",
         computed=True),
    Item("service_files", "management", 6, "建立老年社会服务档案",
         "A service file for every elder served", computed=True),
    Item("ledgers_complete", "management", 4, "建立完整的工作台账", "Complete ledgers",
         computed=True),
    Item("ledgers_tidy", "management", 2, "建立整齐的工作台账", "Tidy ledgers"),
    Item("service_types", "service", 3,
         "可为老年人提供救助服务、照顾安排、适老化环境改造、家庭辅导、精神慰藉等社会工作服务"
         "（1项得1分，最高不超3分）",
         "Social work services such as relief, care arrangement, home adaptation, family "
         "counselling, emotional support (1 point each, at most 3)", computed=True),
    Item("reception_day", "service", 5, "设立每月老年社会服务接待日",
         "A reception day every month", computed=True),
    Item("activities", "service", 5, "每月至少开展1次老年社会服务活动",
         "At least one activity every month", computed=True),
    Item("visits", "service", 6,
         "经常性走访养老服务机构或老年人家庭，一年不少于6次（1次得1分，最高不超6分）",
         "Visits to care institutions or elders' homes, at least 6 a year (1 point each, at "
         "most 6)", computed=True),
    Item("process", "service", 6, "服务流程合理，操作规范，质量良好",
         "A sound process, proper practice, good quality", hinted=True),
    Item("satisfaction", "service", 5, "建立服务评价机制，被服务老人或亲属满意率在80%以上",
         "Service rated by the elders or their families, satisfaction above the target",
         computed=True),
)  # fmt: skip

# The figures behind the computed items and the process hints, as the printed form names them.
FIGURE_NAMES = {
    "heads": "负责人 heads",
    "qualified": "持证 qualified",
    "fulltime": "专职社工 full-time",
    "parttime": "兼职社工 part-time",
    "volunteer": "志愿者 volunteers",
    "others": "其他社工或志愿者 others",
    "documents": "文件 documents",
    "in_care": "在册长者 in care",
    "with_record": "有服务记录 with a record",
    "visits": "探访 visits",
    "complete": "完整 complete",
    "incomplete": "不完整 incomplete",
    "services": "服务 services",
    "count": "项数 kinds",
    "required_per_month": "每月要求 a month",
    "months": "月数 months",
    "months_met": "达标月数 months met",
    "months_missed": "未达标月份 months missed",
    "days": "天数 days",
    "rated": "已评价 rated",
    "satisfied": "满意 satisfied",
    "basically_satisfied": "基本满意 basically satisfied",
    "unsatisfied": "不满意 unsatisfied",
    "satisfied_share": "满意率 share satisfied",
    "target": "目标 target",
    "records": "记录数 records",
    "reviewed_share": "审阅率 reviewed",
    "returned_share": "退回率 returned",
    "tasks_closed": "已完成跟进任务 tasks closed",
    "on_time_share": "按时完成率 on time",
}

BY_CODE = {item.code: item for item in ITEMS}
CODES = tuple(BY_CODE)
COMPUTED = tuple(item.code for item in ITEMS if item.computed)
MANUAL = tuple(item.code for item in ITEMS if not item.computed)
TOTAL = sum(item.points for item in ITEMS)


def round_down(points: float) -> float:
    """Fractional points round down to the half point: 5.9 is 5.5, 5.4 is 5."""
    return floor(points * 2 + 1e-9) / 2


def grade_of(total: float) -> str:
    """The grade a total earns on the form: <70 fail, 70 to 84.5 pass, ≥85 model."""
    if total >= MODEL_FROM:
        return MODEL
    if total >= PASS_FROM:
        return PASS
    return FAIL


def items_of(section: str) -> list[Item]:
    return [item for item in ITEMS if item.section == section]
