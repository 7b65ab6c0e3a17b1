"""Codes of the scenario format and their Chinese names (SCENARIO.md "Chinese values").

Plain data, below planner.scenario (which validates with it) and planner.roster (which writes and
reads the Excel roster with it).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

PersonId = str
Body = Literal["party_committee", "residents_committee", "supervisory_committee"]
BODIES: tuple[Body, ...] = ("party_committee", "residents_committee", "supervisory_committee")
TEAM_BODIES: tuple[Body, ...] = ("party_committee", "residents_committee")
POSTS: dict[str, tuple[str, ...]] = {
    "party_committee": ("secretary", "deputy_secretary", "discipline_inspector", "member"),
    "residents_committee": ("director", "deputy_director", "member"),
    "supervisory_committee": ("director", "member"),
}
BODY_NAMES = {
    "party_committee": ("社区党组织委员会", "Party committee"),
    "residents_committee": ("居民委员会", "residents' committee"),
    "supervisory_committee": ("居务监督委员会", "supervisory committee"),
}
POST_NAMES = {
    "secretary": ("书记", "secretary"),
    "deputy_secretary": ("专职副书记", "deputy secretary"),
    "discipline_inspector": ("纪检委员", "discipline inspector"),
    "director": ("主任", "director"),
    "deputy_director": ("副主任", "deputy director"),
    "member": ("委员", "member"),
}
EDUCATION_LEVELS = (
    "primary",
    "junior_high",
    "high_school",
    "vocational",
    "college",
    "bachelor",
    "master",
    "doctorate",
)
Education = Literal[
    "primary", "junior_high", "high_school", "vocational", "college", "bachelor", "master", "doctorate"
]
PREFERRED_TAGS = (
    "university_graduate",
    "veteran",
    "property_management",
    "grid_party_secretary",
    "grid_worker",
)
DISQUALIFICATION_CODES = tuple(f"D{i:02d}" for i in range(1, 18))
ETHNICITIES = (  # noqa: SIM905 (56 names read better as one text)
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 "
    "傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 "
    "仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 "
    "鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()
assert len(ETHNICITIES) == 56
RELATIONS = ("spouse", "parent", "child", "sibling", "grandparent", "grandchild")
INCUMBENT_POSTS = tuple(f"{b}.{p}" for b, posts in POSTS.items() for p in posts)
REVIEW_RESULTS = ("passed", "pending", "failed", "not_submitted")
ReviewResult = Literal["passed", "pending", "failed", "not_submitted"]

# Chinese values (SCENARIO.md "Chinese values"): each code's Chinese name first (what the roster writes),
# then further synonyms. YAML/JSON files and the Excel roster accept any of them for the code.
CHINESE: dict[str, dict[str, tuple[str, ...]]] = {
    "gender": {"F": ("女",), "M": ("男",)},
    "education": {
        "primary": ("小学",),
        "junior_high": ("初中",),
        "high_school": ("高中",),
        "vocational": ("中专", "中职", "技校"),
        "college": ("大专", "专科"),
        "bachelor": ("本科", "大学本科"),
        "master": ("硕士", "硕士研究生", "研究生"),
        "doctorate": ("博士", "博士研究生"),
    },
    "review": {
        "passed": ("通过", "已通过"),
        "pending": ("待反馈", "待审", "审查中"),
        "failed": ("未通过", "不通过"),
        "not_submitted": ("未提交", "未报送"),
    },
    "relation": {
        "spouse": ("配偶", "夫妻", "丈夫", "妻子"),
        "parent": ("父母", "父亲", "母亲"),
        "child": ("子女", "儿子", "女儿"),
        "sibling": ("兄弟姐妹", "兄弟", "姐妹"),
        "grandparent": ("祖父母", "外祖父母", "祖父母/外祖父母"),
        "grandchild": ("孙子女", "外孙子女", "孙子女/外孙子女"),
    },
    "post": {
        "party_committee.secretary": ("书记", "党组织书记"),
        "party_committee.deputy_secretary": ("副书记", "专职副书记", "党组织副书记"),
        "party_committee.discipline_inspector": ("纪检委员",),
        "party_committee.member": ("党组织委员", "党委委员", "支委委员"),
        "residents_committee.director": ("主任", "居委会主任"),
        "residents_committee.deputy_director": ("副主任", "居委会副主任"),
        "residents_committee.member": ("居委会委员", "委员"),
        "supervisory_committee.director": ("监委会主任", "居务监督委员会主任"),
        "supervisory_committee.member": ("监委会委员", "居务监督委员会委员"),
    },
    "body": {
        "party_committee": ("党组织", "党组织委员会", "社区党组织委员会", "党委"),
        "residents_committee": ("居委会", "居民委员会"),
        "supervisory_committee": ("监委会", "居务监督委员会"),
    },
    "waiver": {"age": ("年龄",), "education": ("学历",)},
    "tag": {
        "university_graduate": ("高校毕业生", "大学生"),
        "veteran": ("退役军人",),
        "property_management": ("物业服务企业", "物业"),
        "grid_party_secretary": ("网格党支部书记",),
        "grid_worker": ("网格员",),
    },
    "bool": {"true": ("是", "√"), "false": ("否",)},
    "election": {"full": ("换届", "换届选举"), "by_election": ("补选",)},
}


def chinese_name(kind: str, code: str) -> str:
    """The Chinese name of a code (女 for F, 本科 for bachelor, 书记 for party_committee.secretary)."""
    names = CHINESE[kind].get(code)
    return names[0] if names else code


@cache
def _from_chinese(kind: str) -> dict[str, str]:
    return {name: code for code, names in CHINESE[kind].items() for name in names}


def code_of(kind: str, value: Any) -> Any:
    """The code of a Chinese value (女 -> F); anything else unchanged (validated as it is)."""
    if isinstance(value, str):
        text = value.strip()
        found = _from_chinese(kind).get(text)
        if found is not None:
            return (found == "true") if kind == "bool" else found
    return value


def ethnicity_of(value: Any) -> Any:
    """An official ethnic-group name, also from its short form (汉 -> 汉族, 蒙古 -> 蒙古族); else unchanged."""
    if isinstance(value, str):
        text = value.strip()
        if text in ETHNICITIES:
            return text
        if text + "族" in ETHNICITIES:
            return text + "族"
    return value
