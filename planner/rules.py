"""The rule catalogue (RULES.md): id, key, Chinese term, English name, source clause, kind.

Rule ids are the vocabulary of the whole product: solver constraint names, checker
results, explanations, UI labels and exports all use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RuleId = str
RuleKind = Literal["hard", "soft", "schedule"]


@dataclass(frozen=True)
class Rule:
    id: RuleId
    key: str
    zh: str
    en: str
    text_zh: str
    text_en: str
    source: str
    kind: RuleKind = "hard"

    def label(self, lang: str = "zh") -> str:
        """`S09 女性` in Chinese, `S09 women` in English."""
        return f"{self.id} {self.zh if lang == 'zh' else self.en}"


RULES: dict[RuleId, Rule] = {
    r.id: r
    for r in [
        Rule(
            "S01",
            "seats",
            "班子职数",
            "seats",
            "各机构职数固定，每个职务一人",
            "each body has exactly its seats, each post filled once",
            "三(一), 四(二)3(1)",
        ),
        Rule(
            "S02",
            "one_shoulder",
            "一肩挑",
            "one shoulder",
            "党组织书记担任居民委员会主任",
            "the Party secretary is the residents' committee director",
            "三(一)",
        ),
        Rule(
            "S03",
            "party_only",
            "党员身份",
            "Party members only",
            "党组织委员会成员均为党员",
            "every Party committee member is a Party member",
            "党章",
        ),
        Rule(
            "S04",
            "eligible",
            "资格条件",
            "eligibility",
            "有17种不能确定为候选人情形之一的人员不任职",
            "nobody with a disqualification D01-D17 holds a post",
            "三(二)",
        ),
        Rule(
            "S05",
            "joint_review",
            "资格联审",
            "joint review",
            "未通过资格联审的人员不任职",
            "nobody whose joint review has not passed holds a post",
            "三(三), 四(二)1(3), 四(二)2(4)",
        ),
        Rule(
            "S06",
            "secretary_terms",
            "书记任职条件",
            "secretary conditions",
            "新选任书记党龄1年以上、大专以上学历、45周岁以下（连选连任不受年龄学历限制，审批可放宽）",
            "a new secretary has >= 1 year of Party standing, college education, age <= 45 "
            "(incumbents exempt from age and education; waivers lift a condition)",
            "三(二)5",
        ),
        Rule(
            "S07",
            "recusal",
            "近亲属回避",
            "recusal of close relatives",
            "近亲属不得同时进入两委班子（及居务监督委员会）",
            "no two close relatives both in the team (or between the supervisory committee and the team)",
            "三(三)",
        ),
        Rule(
            "S08",
            "young",
            "年轻干部",
            "young member",
            "两委班子中年轻干部（默认35周岁以下）不少于规定人数（默认1名）",
            "at least min_young team members (default 1) aged <= young_max_age (default 35)",
            "三(四)",
        ),
        Rule(
            "S09",
            "women",
            "女性",
            "women",
            "两委班子中女性不少于规定人数（默认1名）",
            "at least min_women women in the team (default 1)",
            "三(四)",
        ),
        Rule(
            "S10",
            "college_share",
            "学历结构",
            "college share",
            "大专以上文化程度比例高于上届",
            "share with college education above the previous term's",
            "三(四)",
        ),
        Rule(
            "S11",
            "rc_party_share",
            "居委会党员比例",
            "residents' committee Party share",
            "居委会成员中党员比例高于50%且高于上届",
            "Party share of the residents' committee above 50% and above the previous term's",
            "三(四)",
        ),
        Rule(
            "S12",
            "deputy_director_cross",
            "副主任交叉任职",
            "deputy director cross-holding",
            "居委会副主任进入党组织委员会",
            "the residents' committee deputy director sits on the Party committee",
            "三(一)",
        ),
        Rule(
            "S13",
            "supervisory_director",
            "监委会主任",
            "supervisory director",
            "居务监督委员会主任由纪检委员担任",
            "the supervisory committee director is the Party committee's discipline inspector",
            "四(二)3(1)",
        ),
        Rule(
            "S14",
            "supervisory_separation",
            "不得兼任",
            "supervisory separation",
            "居委会成员不得兼任居务监督委员会成员",
            "no residents' committee member sits on the supervisory committee",
            "四(二)3(1)",
        ),
        Rule(
            "S15",
            "willing",
            "参选意愿",
            "willingness",
            "只在本人表明参选的机构任职",
            "a person holds a post only in a body they stand for",
            "四(二)2(4)",
        ),
        Rule(
            "S16",
            "adult_resident",
            "选民资格",
            "adult resident voter",
            "任职者年满18周岁且为登记选民",
            "every post holder is at least 18 and a registered resident voter",
            "居委会组织法",
        ),
        Rule(
            "S17",
            "differential",
            "差额",
            "differential lists",
            "党组织候选人差额不少于20%，居委会候选人多于应选人数",
            "Party list >= ceil(seats x 1.2); residents' list >= seats + 1",
            "四(二)1(1)",
        ),
        Rule(
            "S18",
            "robust_list",
            "差额稳健",
            "robust lists",
            "无论差额名单中谁落选，当选班子仍满足S08-S11，且不会有两名近亲属同时当选（S07，含与居务监督委员会成员的近亲属），"
            "居务监督委员会成员不列入居委会候选人名单（S14）",
            "whichever listed candidates lose, the elected team still meets S08-S11, no outcome puts two close "
            "relatives in the team or one next to a supervisory member (S07), and no supervisory member is on "
            "the residents' list (S14)",
            "beyond the plan",
        ),
        Rule(
            "S19",
            "minority",
            "少数民族成员",
            "ethnic minority member",
            "多民族居住社区的居委会中至少有1名少数民族成员",
            "in a multi-ethnic community the residents' committee has a minority member",
            "居委会组织法 第七条",
        ),
        Rule(
            "P01",
            "support",
            "民意",
            "survey support",
            "优先民意支持度高的人选",
            "prefer higher survey support",
            "四(一)3",
            "soft",
        ),
        Rule(
            "P02",
            "preferred_sources",
            "优先人选",
            "preferred sources",
            "优先大学毕业生、退役军人、小区物业、网格党支部书记、网格员",
            "prefer university graduates, veterans, property staff, grid Party secretaries, grid workers",
            "三(三), 四(一)3",
            "soft",
        ),
        Rule(
            "P03",
            "continuity",
            "连选连任",
            "continuity",
            "优先连选连任（默认权重0）",
            "prefer incumbents (weight 0 by default)",
            "三(二)5",
            "soft",
        ),
        Rule(
            "T01",
            "window",
            "时间窗口",
            "window",
            "每个阶段在其时间窗口内开始和结束",
            "every stage starts and ends inside its window",
            "四",
            "schedule",
        ),
        Rule(
            "T02",
            "precedence",
            "程序顺序",
            "precedence",
            "前一阶段结束（加间隔）后才开始",
            "a stage starts only after the stages it follows have ended",
            "四(二)",
            "schedule",
        ),
        Rule(
            "T03",
            "publicity",
            "公示",
            "publicity",
            "公示期不少于5日",
            "a publicity stage lasts at least 5 days",
            "四(二)1(3)",
            "schedule",
        ),
        Rule(
            "T04",
            "calendar",
            "工作日",
            "working days",
            "按国务院放假安排计算工作日；选举日只在允许的日期",
            "working-day stages count official working days; election days on allowed days only",
            "国务院放假安排",
            "schedule",
        ),
        Rule(
            "T05",
            "party_first",
            "先党组织后居委会",
            "Party first",
            "居委会选举日在党组织选举日之后",
            "the residents' committee election is after the Party election",
            "四(二)2",
            "schedule",
        ),
        Rule(
            "T06",
            "deadline",
            "完成时限",
            "deadline",
            "在规定时限前完成选举",
            "each election is done by its deadline",
            "二, 四",
            "schedule",
        ),
        Rule(
            "T07",
            "capacity",
            "工作组",
            "work-group capacity",
            "同一天由工作组指导的社区不超过容量",
            "at most `capacity` communities use the work group per day",
            "四(一)1",
            "schedule",
        ),
        Rule(
            "T08",
            "blackout",
            "禁选日",
            "blackout dates",
            "禁选日不安排任何阶段",
            "no stage day on a blackout date",
            "五(三)",
            "schedule",
        ),
        Rule(
            "T09",
            "voter_list_notice",
            "选民名单公布",
            "voter list notice",
            "选民名单在选举日20日前公布",
            "the voter list is published at least 20 days before election day",
            "村委会组织法 第十四条",
            "schedule",
        ),
        Rule(
            "T10",
            "candidate_notice",
            "候选人公布",
            "candidate notice",
            "正式候选人在选举日5日前公布",
            "final candidates are published at least 5 days before election day",
            "provincial election measures",
            "schedule",
        ),
    ]
}

SLATE_RULES: list[RuleId] = [r for r in RULES if r.startswith("S")]
SOFT_RULES: list[RuleId] = [r for r in RULES if r.startswith("P")]
SCHEDULE_RULES: list[RuleId] = [r for r in RULES if r.startswith("T")]
ALWAYS_ON: frozenset[RuleId] = frozenset({"S01"})

# The 17 conditions of 三(二), verbatim, in the order printed there.
DISQUALIFICATIONS: dict[str, tuple[str, str]] = {
    "D01": (
        "受过刑事处罚，或犯罪情节轻微、人民检察院依法作出不起诉决定或人民法院免于刑事处罚的",
        "criminal penalty, or exempted from prosecution or penalty for a minor crime",
    ),
    "D02": (
        "因吸毒、卖淫、嫖娼等行为受过行政处罚，或因赌博受过行政拘留的",
        "administrative penalty for drugs or prostitution, or detention for gambling",
    ),
    "D03": ("涉及黑恶势力或被认定为“村霸”的", "involved with organised crime, or a 'village tyrant'"),
    "D04": (
        "因恶意失信行为被有关部门处理未满3年的",
        "sanctioned for malicious breach of trust less than 3 years ago",
    ),
    "D05": (
        "参加邪教组织、从事非法宗教活动、组织封建迷信活动的",
        "cult membership, illegal religious activity or organising superstition",
    ),
    "D06": (
        "受到党纪政务处分影响期未满的",
        "within the effect period of a Party or government disciplinary sanction",
    ),
    "D07": (
        "在推行国家统编教材工作中，因不担当、不作为受到党纪政务处分，或利用民族问题蛊惑、煽动他人消极抵制造成不良影响的",
        "sanctioned over the national textbooks, or inciting resistance through ethnic issues",
    ),
    "D08": (
        "在担任嘎查村、社区“两委”干部期间，因侵占集体资金资产资源或涉农涉牧资金、帮扶资金、社会救助资金被有关部门查处的",
        "punished for embezzling collective or relief funds while a 两委 cadre",
    ),
    "D09": ("在任期经济责任审计或其他专项审计中存在问题线索尚未查清的", "unresolved leads from an audit"),
    "D10": (
        "涉嫌违纪违法正在接受纪律审查、监察调查或涉嫌犯罪司法程序尚未终结的",
        "under disciplinary review, supervisory investigation or criminal proceedings",
    ),
    "D11": (
        "原社区“两委”成员近2年内被责令辞职及以上或罢免，民主评议连续两次不称职或被评议为不合格党员的",
        "former member dismissed in the last 2 years, or rated incompetent or unqualified",
    ),
    "D12": ("道德品行低劣，在群众中影响较坏的", "poor moral conduct with a bad public reputation"),
    "D13": (
        "长期无理上访或组织、煽动群众上访，影响社会稳定的",
        "long-term unreasonable petitioning or inciting petitions",
    ),
    "D14": (
        "存在拉票贿选等违反换届纪律行为，或以造谣、诬告、暴力、威胁、欺骗等手段干扰破坏换届的",
        "canvassing, vote buying or disrupting the election",
    ),
    "D15": (
        "党员发展过程中存在“带病入党”、弄虚作假、徇私舞弊、严重违反入党程序等4类违规违纪问题，且经分析认定本人不符合党员条件、不予承认党员身份的",
        "Party membership not recognised after irregular admission",
    ),
    "D16": (
        "在新冠肺炎疫情防控工作中，因不担当、不作为受到党纪政务处分，或造成严重不良影响的",
        "sanctioned for failures in COVID-19 prevention and control",
    ),
    "D17": (
        "丧失行为能力等其他不宜确定为候选人的情形",
        "incapacity or another condition unfit for candidacy",
    ),
}


def rule_label(rule_id: RuleId, lang: str = "zh") -> str:
    """A rule's id with its name in the chosen language; pins (`pin:STAGE`) pass through."""
    rule = RULES.get(rule_id)
    return rule.label(lang) if rule else rule_id
