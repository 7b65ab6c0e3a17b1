"""选举公告 第1号 to 第4号: the residents' committee election's numbered notices, as fill-in drafts.

Per community, each notice on a page of its own, dated from the schedule: 第1号 the residents' election
committee (rc_committee), 第2号 voter registration (rc_registration), 第3号 the voter list (rc_voter_list),
第4号 the official candidates (rc_candidates: option 1's residents' committee list, in the order of their
names) and the day of the election (rc_election). What the plan cannot know (the committee's members, the
number of voters, places and times) is left as blanks to fill in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from docx.document import Document as DocumentType

import planner.export.documents.facts as facts
import planner.export.documents.style as style
from planner.export.common import PlanData
from planner.scenario import Community, Subdistrict

FILE = "选举公告"
BLANK = facts.BLANK
LAW = "根据《中华人民共和国城市居民委员会组织法》和本届换届选举有关规定"


def _notice(doc: DocumentType, c: Community, number: int, first: bool) -> None:
    heading = style.title(doc, f"{facts.community_name(c)}居民委员会选举公告\n第{number}号")
    heading.paragraph_format.page_break_before = not first


def _sign(doc: DocumentType, c: Community, day: date | None) -> None:
    style.para(doc)
    style.para(doc, f"{facts.community_name(c)}居民选举委员会", right=True)
    style.para(doc, facts.day(day), right=True)


def committee(doc: DocumentType, data: PlanData, c: Community) -> None:
    d = facts.dates(data, c)
    style.para(
        doc,
        f"{LAW}，经{facts.community_name(c)}居民会议（居民代表会议）推选，产生了{facts.community_name(c)}"
        f"居民选举委员会，由{BLANK}名成员组成，主持本届居民委员会选举工作。现将名单公告如下：",
    )
    style.para(doc, f"主　任：{BLANK}")
    style.para(doc, f"副主任：{BLANK}")
    style.para(doc, f"委　员：{BLANK}、{BLANK}、{BLANK}")
    style.para(
        doc, "居民选举委员会成员被提名为居民委员会成员候选人的，应当退出居民选举委员会，所缺名额依法递补。"
    )
    _sign(doc, c, d.end("rc_committee"))


def registration(doc: DocumentType, data: PlanData, c: Community) -> None:
    d = facts.dates(data, c)
    row = d.of("rc_registration")
    style.para(
        doc,
        f"{LAW}，本社区选民登记工作定于{facts.span(row.start if row else None, row.end if row else None)}进行，"
        f"登记地点：{BLANK}。现将有关事项公告如下：",
    )
    style.para(
        doc,
        "一、年满十八周岁的本社区居民，不分民族、种族、性别、职业、家庭出身、宗教信仰、教育程度、财产状况、"
        "居住期限，都有选举权和被选举权；但依照法律被剥夺政治权利的人除外。",
    )
    style.para(
        doc,
        f"二、年龄计算以选举日为准，出生日期以居民身份证为准（选举日：{facts.day(d.start('rc_election'))}）。",
    )
    style.para(
        doc,
        "三、户籍不在本社区、在本社区居住一年以上的居民，本人申请参加选举并经居民选举委员会确认的，可以登记参加选举。",
    )
    style.para(doc, "四、选民不得重复登记。对登记有不同意见的，可向居民选举委员会提出。")
    _sign(doc, c, row.start if row else None)


def voter_list(doc: DocumentType, data: PlanData, c: Community) -> None:
    d = facts.dates(data, c)
    row = d.of("rc_voter_list")
    election = d.start("rc_election")
    style.para(
        doc,
        f"{LAW}，经登记和审核，本社区本届居民委员会选举共有选民{BLANK}名，选民名单于"
        f"{facts.day(row.start if row else None)}在{BLANK}张榜公布（选举日{facts.day(election)}前二十日公布）。",
    )
    style.para(
        doc,
        "对公布的选民名单有不同意见的，可以自名单公布之日起五日内向居民选举委员会提出申诉，"
        "居民选举委员会应当自收到申诉之日起三日内作出处理决定。",
    )
    _sign(doc, c, row.start if row else None)


def candidates(doc: DocumentType, data: PlanData, c: Community) -> None:
    d = facts.dates(data, c)
    row = d.of("rc_candidates")
    election = d.start("rc_election")
    slate = facts.chosen(data, c)
    listed = facts.by_name(c, facts.candidate_list(slate, "residents_committee")) if slate else []
    seats = facts.seats_elected(c, slate, "residents_committee") if slate else 0
    style.para(
        doc,
        f"{LAW}，经选民报名、资格审查和组织考察，确定本社区本届居民委员会成员正式候选人"
        f"{len(listed) or BLANK}名（应选{seats or BLANK}名），现按姓名排列（排名不分先后）公告如下：",
    )
    style.para(doc, "、".join(facts.name(c, pid) for pid in listed) or BLANK)
    style.para(
        doc,
        f"选举大会定于{facts.day(election)}{BLANK}时在{BLANK}举行，采取无记名投票、公开计票的方式进行。"
        "请全体选民届时携带选民证参加选举。",
    )
    _sign(doc, c, row.start if row else None)


NOTICES: tuple[Callable[[DocumentType, PlanData, Community], None], ...] = (
    committee,
    registration,
    voter_list,
    candidates,
)


def docx_bytes(data: PlanData) -> bytes:
    where = (
        facts.subdistrict_name(data) + "各社区"
        if isinstance(data.scenario, Subdistrict)
        else facts.community_name(data.communities[0])
    )
    doc = style.new_document(f"{where}居民委员会选举公告（第1号至第4号）", keywords=facts.keywords(data))
    first = True
    for c in data.communities:
        for number, notice in enumerate(NOTICES, start=1):
            _notice(doc, c, number, first)
            notice(doc, data, c)
            first = False
    return style.save(doc)
