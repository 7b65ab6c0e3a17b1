"""Every label of the app in Chinese and English; `t(key)` picks the session's language.

Chinese is the default (the planners' working language); the sidebar toggle switches
every label, rule name and reason to English. Rule names come from `planner.rules`,
body and post names from `planner.scenario`, so only app wording lives here.
"""

from __future__ import annotations

import streamlit as st

from planner.scenario import ETHNICITIES

LANG_KEY = "app_lang"
LANGS = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    # app frame
    "app_title": ("两委 Planner", "两委 Planner"),
    "language": ("语言 / Language", "语言 / Language"),
    "lang_zh": ("中文", "中文"),
    "lang_en": ("English", "English"),
    "page_scenario": ("场景", "Scenario"),
    "page_candidates": ("候选人", "Candidates"),
    "page_relatives": ("亲属关系", "Relatives"),
    "page_slates": ("班子方案", "Slates"),
    "page_schedule": ("日程", "Schedule"),
    "page_export": ("导出", "Export"),
    "current_scenario": ("当前场景", "Current scenario"),
    "no_scenario": (
        "尚未加载场景：请在“场景”页选择或上传一个场景文件。",
        "No scenario loaded: pick or upload a scenario on the Scenario page.",
    ),
    "community": ("社区", "Community"),
    "subdistrict": ("街道", "Sub-district"),
    "choose": ("请选择", "Choose"),
    "failed": ("出错了：{error}", "Something went wrong: {error}"),
    # issues table
    "issues_title": ("场景有 {n} 处问题，未应用：", "The scenario has {n} issue(s) and was not applied:"),
    "issue_file": ("文件", "File"),
    "issue_line": ("行", "Line"),
    "issue_record": ("记录", "Record"),
    "issue_field": ("字段", "Field"),
    "issue_message": ("问题", "Problem"),
    "issue_hint": ("修改建议", "How to fix"),
    # scenario page
    "scenario_title": ("场景", "Scenario"),
    "scenario_intro": (
        "选择内置场景或上传 YAML/JSON 场景文件；其他页面的修改都作用于当前场景，可随时下载。",
        (
            "Pick a bundled scenario or upload a YAML/JSON scenario file; edits on the other pages "
            "apply to the current scenario, which you can download at any time."
        ),
    ),
    "bundled": ("内置场景", "Bundled scenario"),
    "bundled_help": (
        "scenarios/ 目录中的示例场景（只读，不会被修改）",
        "The example scenarios in scenarios/ (read only, never overwritten)",
    ),
    "load": ("加载", "Load"),
    "upload": ("上传场景文件（YAML 或 JSON）", "Upload a scenario file (YAML or JSON)"),
    "upload_help": (
        (
            "上传一个社区或街道文件；街道文件列出的社区文件可一同上传（按文件名对应，不读取服务器上的文件）。"
            "上传的文件只在本次会话中使用，不会写入 scenarios/ 目录，每个文件不超过 10 MB"
        ),
        (
            "Upload one community or sub-district file; a sub-district's community files may be uploaded "
            "with it (matched by file name; no file on the server is read). Uploads are used in this "
            "session only, never written to scenarios/, at most 10 MB each"
        ),
    ),
    "upload_limit": (
        "每个文件不超过 10 MB，格式为 YAML 或 JSON；可把文件拖到上面的框内，或点击框中的按钮选择文件。",
        "At most 10 MB per file, YAML or JSON; drop the files on the box above or press its button to choose them.",
    ),
    "upload_browse": ("选择文件", "Choose files"),
    "loaded": ("已加载 {source}", "Loaded {source}"),
    "kept_previous": ("当前场景保持不变：{source}", "The current scenario is unchanged: {source}"),
    "download_yaml": ("下载当前场景（YAML）", "Download the current scenario (YAML)"),
    "summary": ("概况", "Summary"),
    "kind": ("类型", "Kind"),
    "kind_community": ("社区", "community"),
    "kind_subdistrict": ("街道", "sub-district"),
    "name": ("名称", "Name"),
    "reference_date": ("基准日", "Reference date"),
    "people_count": ("人选数", "People"),
    "relatives_count": ("登记亲属关系", "Listed relations"),
    "communities_count": ("社区数", "Communities"),
    "capacity": ("工作组容量（每天社区数）", "Work-group capacity (communities per day)"),
    "multi_ethnic": ("多民族社区", "Multi-ethnic"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "fingerprint": ("场景指纹（SHA-256）", "Scenario fingerprint (SHA-256)"),
    "edited": ("（已在本会话中修改）", "(edited in this session)"),
    "reset": ("恢复为原始文件", "Reset to the original file"),
    # candidates page
    "candidates_title": ("候选人", "Candidates"),
    "candidates_intro": (
        "直接在表格中修改人选信息；每次修改都会先校验，通过后才应用到当前场景。",
        (
            "Edit people directly in the table; every edit is validated and only applied to the "
            "current scenario when it is valid."
        ),
    ),
    "edit_applied": ("修改已应用", "Edit applied"),
    "eligibility": ("任职资格", "Eligibility"),
    "eligibility_intro": (
        "✓ 可任职，✗ 不可任职（有资格问题），— 本人未参选该机构（S15，不是资格问题）；原因列出规则编号，"
        "完整说明见下方“全部原因”。",
        (
            "✓ may hold a post, ✗ may not (a qualification problem), — does not stand for that body (S15, "
            "not a qualification problem); reasons give the rule ids, the full texts are under “All reasons”."
        ),
    ),
    "group_identity": ("基本信息", "Identity"),
    "group_eligibility": ("任职条件", "Eligibility"),
    "group_review": ("联审与标签", "Review & tags"),
    "not_standing": ("不参选", "Not standing for"),
    "not_standing_mark": ("—", "—"),
    "reasons_all": ("全部原因", "All reasons"),
    "reasons_none": ("没有资格问题。", "No qualification problems."),
    "why_not_not_standing": (
        "本人未参选（S15，不是资格问题）：{bodies}",
        "Does not stand for (S15, not a qualification problem): {bodies}",
    ),
    "allow_pending": ("允许联审待反馈（假设分析）", "Allow pending joint reviews (what-if)"),
    "allow_pending_help": (
        "联审待反馈的人选视为“待审”，可进入方案",
        ("People with a pending joint review count as “subject to review” and may be chosen"),
    ),
    "secretary": ("书记", "Secretary"),
    "subject_to_review": ("待审", "Subject to review"),
    "reasons": ("原因", "Reasons"),
    "col_id": ("编号", "Id"),
    "col_name": ("姓名", "Name"),
    "col_gender": ("性别", "Gender"),
    "col_birth_date": ("出生日期", "Birth date"),
    "col_ethnicity": ("民族", "Ethnicity"),
    "col_education": ("学历", "Education"),
    "col_party_member": ("党员", "Party member"),
    "col_party_joined": ("入党时间", "Joined the Party"),
    "col_resident_voter": ("登记选民", "Resident voter"),
    "col_incumbent": ("现任职务", "Incumbent posts"),
    "col_stands_for": ("参选机构", "Stands for"),
    "col_disqualifications": ("不得确定情形", "Disqualifications"),
    "col_joint_review": ("资格联审", "Joint review"),
    "col_waivers": ("书记条件放宽", "Waivers"),
    "col_tags": ("优先人选类别", "Preferred-source tags"),
    "col_support": ("民意支持度", "Support"),
    "gender_F": ("女", "F"),
    "gender_M": ("男", "M"),
    "waiver_age": ("年龄", "age"),
    "waiver_education": ("学历", "education"),
    "tag_university_graduate": ("大学毕业生", "university graduate"),
    "tag_veteran": ("退役军人", "veteran"),
    "tag_property_management": ("小区物业", "property management"),
    "tag_grid_party_secretary": ("网格党支部书记", "grid Party secretary"),
    "tag_grid_worker": ("网格员", "grid worker"),
    # relatives page
    "relatives_title": ("亲属关系", "Relatives"),
    "relatives_intro": (
        "每条登记的亲属关系画一次：箭头从父母（祖父母）指向子女（孙子女），顺着箭头读作“甲 是 乙 的 父母”；"
        "配偶、兄弟姐妹为无箭头的线。红色虚线为由此推出的近亲属（S07 回避），右侧列出全部近亲属及依据。",
        (
            "Each listed relation is drawn once: an arrow runs from the parent (grandparent) to the child "
            "(grandchild) and reads “A is the parent of B” along the arrow; spouses and siblings are plain "
            "lines. Red dashed lines are the close relatives derived from them (S07 recusal); every "
            "close-relative pair is listed beside the graph with its proof."
        ),
    ),
    "close_pairs": ("近亲属（S07）", "Close relatives (S07)"),
    "no_relatives": ("没有登记亲属关系。", "No relations are listed."),
    "no_pairs": ("没有近亲属。", "No close relatives."),
    "col_a": ("甲", "A"),
    "col_b": ("乙", "B"),
    "col_relation": ("关系", "Relation"),
    "col_proof": ("依据", "Proof"),
    "legend_candidate": ("人选", "candidate"),
    "legend_other": ("其他人（非人选）", "other (not a candidate)"),
    "legend_listed": ("登记关系（箭头：父母 → 子女）", "listed relation (arrow: parent → child)"),
    "legend_close": ("近亲属", "close relatives"),
    "legend_derived": ("推出的近亲属（未登记）", "derived close relatives (not listed)"),
    "pair_listed": ("登记", "listed"),
    "pair_derived": ("推出", "derived"),
    "pairs_table": (
        "近亲属及依据（表格，可排序、下载）",
        "Close relatives and proofs (a table to sort or download)",
    ),
    "rel_reads": ("{a} 是 {b} 的{rel}", "{a} is the {rel} of {b}"),
    "rel_between": ("{a} 与 {b}：{rel}", "{a} and {b}: {rel}"),
    "rel_spouse": ("配偶", "spouse"),
    "rel_parent": ("父母", "parent"),
    "rel_child": ("子女", "child"),
    "rel_sibling": ("兄弟姐妹", "sibling"),
    "rel_grandparent": ("祖父母", "grandparent"),
    "rel_grandchild": ("孙子女", "grandchild"),
    # slates page
    "slates_title": ("班子方案", "Slates"),
    "slates_intro": (
        "按规则求出最多 K 套班子方案（两委成员各不相同），并列比较。修改规则参数后点击“应用规则”重新求解。",
        (
            "Up to K slates with different teams, side by side. Change rule parameters and press "
            "“Apply rules” to solve again."
        ),
    ),
    "rule_params": ("规则参数", "Rule parameters"),
    "seats": ("职数", "Seats"),
    "rules_on": ("启用的规则", "Rules in force"),
    "quotas": ("结构要求", "Quotas"),
    "weights": ("目标权重", "Objective weights"),
    "apply_rules": ("应用规则", "Apply rules"),
    "rules_applied": ("规则已更新", "Rules updated"),
    "options": ("求解选项", "Solver options"),
    "top_k": ("方案数 K", "Number of slates K"),
    "locks": ("锁定进入班子", "Lock into the team"),
    "lock_where": ("{person} 锁定到", "Lock {person} to"),
    "lock_team": ("两委班子（任意职务）", "the 两委 team (any post)"),
    "excludes": ("排除", "Exclude"),
    "solving": ("正在求解……", "Solving…"),
    "solved_in": ("求解用时 {seconds:.1f} 秒", "Solved in {seconds:.1f} s"),
    "solved_cached": (
        "使用缓存结果（输入未变，未重新求解，{seconds:.1f} 秒）",
        "Served from the cache (same inputs, not solved again, {seconds:.1f} s)",
    ),
    "status": ("求解状态", "Status"),
    "status_optimal": ("最优", "optimal"),
    "status_feasible": ("可行（未证明最优）", "feasible (not proven optimal)"),
    "status_infeasible": ("无可行方案", "infeasible"),
    "status_unknown": ("未知（时限内未找到方案）", "unknown (nothing found within the time limit)"),
    "slate_n": ("方案 {rank}", "Slate {rank}"),
    "objective": ("目标值", "Objective"),
    "posts": ("职务", "Posts"),
    "candidate_lists": ("差额候选人名单", "Differential candidate lists"),
    "checks": ("规则检查", "Rule checks"),
    "rule_off": ("未启用", "off"),
    "col_body": ("机构", "Body"),
    "short_party_committee": ("党组织", "Party"),
    "short_residents_committee": ("居委会", "Residents"),
    "short_supervisory_committee": ("监委会", "Supervisory"),
    "col_post": ("职务", "Post"),
    "col_person": ("人员", "Person"),
    "col_rule": ("规则", "Rule"),
    "col_ok": ("结果", "Result"),
    "col_detail": ("说明", "Detail"),
    "fewer_slates": ("只找到 {n} 套两委成员不同的方案。", "Only {n} slates with different teams exist."),
    "no_slate": ("按当前规则没有可行的班子方案。", "No slate meets the current rules."),
    "conflict": ("最小冲突规则", "Minimal conflict"),
    "conflict_intro": (
        "这些规则不能同时满足（去掉其中任一条即可有解）：",
        "These rules cannot all hold (dropping any one of them makes a slate exist):",
    ),
    "suggestions": ("修改建议", "Suggested changes"),
    "apply": ("应用", "Apply"),
    "suggestion_applied": ("已应用：{text}", "Applied: {text}"),
    "suggest_disable": ("停用规则 {rule}", "Switch off {rule}"),
    "why_not": ("为什么没有选某人？", "Why not somebody?"),
    "why_not_person": ("人员", "Person"),
    "why_not_none": ("（请选择）", "(choose)"),
    "why_not_in": ("{person} 已在方案 1 中：{posts}", "{person} is already in slate 1: {posts}"),
    "why_not_cost": (
        "包含 {person} 的最佳方案目标值为 {objective}，比方案 1 少 {cost}。",
        "The best slate including {person} has objective {objective}, {cost} less than slate 1.",
    ),
    "why_not_impossible": (
        "{person} 无法进入任何满足规则的方案。",
        ("{person} cannot be in any slate that meets the rules."),
    ),
    "why_not_reasons": ("本人的资格问题：", "Their own eligibility problems:"),
    "why_not_best": ("包含该人的最佳方案", "Best slate including them"),
    "slate_details": (
        "方案详情：各职务人选、差额候选人名单和规则检查",
        "Details: posts, candidate lists and rule checks",
    ),
    "differs_legend": (
        "标色的人员只出现在部分方案中（各方案的区别）。",
        "Highlighted: people in some options only (how they differ).",
    ),
    "checks_all_ok": ("规则检查：全部满足 ✓", "Rule checks: all met ✓"),
    "checks_failed": ("规则检查：{n} 条未满足（{rules}）", "Rule checks: {n} not met ({rules})"),
    "solver_settings": ("求解器设置", "Solver settings"),
    "audit_record": ("审计记录（随每个文件导出）", "Audit record (carried by every file)"),
    # schedule page
    "schedule_title": ("日程", "Schedule"),
    "schedule_intro": (
        "按程序顺序、时间窗口、公示期和节假日排出各阶段日期；可固定选举日做假设分析。",
        (
            "Stage dates that follow the order, windows, publicity periods and holidays; pin election "
            "days for what-if questions."
        ),
    ),
    "pins": ("固定选举日", "Pin election days"),
    "pin_stage": ("固定 {stage}", "Pin {stage}"),
    "gantt": ("甘特图", "Gantt chart"),
    "stage": ("阶段", "Stage"),
    "start": ("开始", "Start"),
    "end": ("结束", "End"),
    "slack": ("机动天数", "Slack (days)"),
    "critical": ("关键路径", "Critical path"),
    "critical_path": ("关键路径（机动为0的阶段）", "Critical path (stages with zero slack)"),
    "window": ("时间窗口", "Window"),
    "holiday": ("法定节假日", "Public holiday"),
    "blackout": ("禁选日", "Blackout day"),
    "planned": ("计划", "Planned"),
    "capacity_used": ("每天使用的工作组容量", "Work-group capacity used per day"),
    "communities_per_day": ("社区数", "Communities"),
    "capacity_limit": ("容量上限", "Capacity"),
    "no_schedule": ("没有满足规则的日程。", "No schedule meets the rules."),
    "warnings": ("提示", "Warnings"),
    "date": ("日期", "Date"),
    # schedule page: pin scope, feasible dates, chart marks (issue 16 points 4, 5, 10)
    "pin_scope": ("固定日期适用于", "Pins apply to"),
    "pin_scope_all": ("全部社区（同一天）", "every community (one day)"),
    "pin_scope_all_warning": (
        "固定日期将把全部 {n} 个社区的该阶段放在同一天。",
        "The pin puts this stage of all {n} communities on one day.",
    ),
    "pin_feasible": (
        "{stage} 可行的日期：最早 {earliest}，最晚 {latest}",
        "{stage} can start from {earliest} to {latest}",
    ),
    "pin_apply_earliest": ("改为最早可行日期 {day}", "Use the earliest feasible day {day}"),
    "pin_apply_latest": ("改为最晚可行日期 {day}", "Use the latest feasible day {day}"),
    "pin_applied": ("已将 {stage} 固定在 {day}", "{stage} pinned to {day}"),
    "election_day": ("选举日", "Election day"),
    "makeup_day": ("调休上班", "Make-up working day"),
    "unpinned_plan": ("未固定时的计划", "Plan without pins"),
    "at_capacity": ("已满", "At capacity"),
    "below_capacity": ("未满", "Below capacity"),
    # schedule page: a new cycle
    "new_cycle": ("新周期", "New cycle"),
    "new_cycle_intro": (
        "按旗（县）工作方案填写新一届换届的五个阶段日期，选择规则配置，补充法定节假日和调休上班日，"
        "应用后整个日程按新日期重新排出（各阶段仍按模板的顺序和天数）。",
        (
            "Enter the five phase dates of the county's work plan for the new cycle, choose a rule "
            "profile and add official days off and make-up working days; on apply the whole schedule "
            "is planned again on the new dates (stages keep the template's order and durations)."
        ),
    ),
    "cycle_profile": ("规则配置", "Rule profile"),
    "cycle_profile_help": (
        "规则配置汇集各项规则的默认值、法律依据和有效期；场景自己的 rules 设置优先",
        "A profile bundles rule defaults, legal citations and an effective period; the scenario's own "
        "rules override it",
    ),
    "cycle_reference_date": ("基准日期（计算年龄和党龄）", "Reference date (ages and Party standing)"),
    "phase_mobilise": ("动员部署", "Mobilisation"),
    "phase_party": ("党组织选举", "Party organization elections"),
    "phase_residents": ("居委会选举", "Residents' committee elections"),
    "phase_supporting": ("配套组织推选", "Supporting bodies"),
    "phase_follow_up": ("后续工作", "Follow-up work"),
    "phase_help": ("第一天和最后一天（含）", "First and last day (inclusive)"),
    "cycle_holidays": ("补充放假日", "Extra days off"),
    "cycle_workdays": ("补充调休上班日", "Extra make-up working days"),
    "cycle_days_help": (
        "每行或用逗号分隔写一个日期（YYYY-MM-DD），如国务院放假通知所列；加入场景已有的日期",
        "One date (YYYY-MM-DD) per line or separated by commas, as the State Council notice lists "
        "them; added to the scenario's own days",
    ),
    "cycle_apply": ("应用新周期", "Apply the new cycle"),
    "cycle_applied": ("已按新周期重新排出日程。", "The schedule was planned again for the new cycle."),
    "cycle_bad_date": ("“{text}”不是日期（YYYY-MM-DD）", "'{text}' is not a date (YYYY-MM-DD)"),
    "cycle_need_range": (
        "{phase}：请选择第一天和最后一天",
        "{phase}: choose the first and the last day",
    ),
    # export page
    "export_title": ("导出", "Export"),
    "export_intro": (
        "下载方案和日程：JSON（可用 planner verify 复核）、Excel、Word 和 iCalendar 日历。",
        (
            "Download the plan and schedule: JSON (re-checkable with planner verify), Excel, Word and "
            "iCalendar."
        ),
    ),
    "include_sensitive": (
        "包含敏感信息（不得确定情形、联审结果等）",
        ("Include sensitive details (disqualifications, joint reviews, …)"),
    ),
    "include_sensitive_help": (
        "默认不导出个人敏感信息",
        "Personal sensitive details are left out by default",
    ),
    "prepare_exports": ("生成导出文件", "Prepare the files"),
    "preparing": ("正在生成导出文件……", "Preparing the files…"),
    "download_json": ("下载 JSON", "Download JSON"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "download_docx": ("下载 Word", "Download Word"),
    "download_ics": ("下载 iCalendar", "Download iCalendar"),
    "export_whatif": (
        "导出的正是“班子方案”和“日程”页所示内容：方案数 K = {top}，待审视为通过：{pending}，固定日期 {pins} 个。"
        "如需修改，请回到这两页。",
        "The files hold exactly what the Slates and Schedule pages show: K = {top} slates, allow pending: "
        "{pending}, {pins} pinned dates. Change them on those pages.",
    ),
    "export_whatif_people": ("锁定：{locks}；排除：{excludes}", "locked: {locks}; excluded: {excludes}"),
    "export_none": ("无", "none"),
    # ---- roster labels: start (insert between start and end) ----
    "roster_upload": (
        "上传场景文件（YAML、JSON 或 Excel 花名册 .xlsx / .csv）",
        "Upload a scenario file (YAML, JSON, or an Excel roster .xlsx / .csv)",
    ),
    "roster_upload_limit": (
        "每个文件不超过 10 MB，格式为 YAML、JSON、Excel 花名册（.xlsx）或人员表 CSV；可把文件拖到上面的框内，或点击框中的按钮选择文件。",
        "At most 10 MB per file: YAML, JSON, an Excel roster (.xlsx) or a CSV of its people sheet; drop the files on the "
        "box above or press its button to choose them.",
    ),
    "roster_download": ("下载当前场景（Excel 花名册）", "Download the current scenario (Excel roster)"),
    "roster_blank": ("下载空白花名册", "Download a blank roster"),
    "roster_help": (
        "花名册的填写方法见其中的“说明”表；填好后在上方上传即可。",
        "The roster's first sheet (the guide) says how to fill it in; upload it above when it is filled in.",
    ),
    # ---- roster labels: end ----
    # ---- workspace labels: start (insert between start and end) ----
    "page_history": ("历史", "History"),
    "ws_save_plan": ("保存方案到工作区", "Save the plan to the workspace"),
    "ws_status": ("状态", "Status"),
    "ws_save_plan_from_slates": (
        "保存的方案与“导出”页导出的相同：各社区按本页的锁定、排除和方案数求解，日程按“日程”页的固定日期。",
        "The plan saved is the one the Export page exports: every community solved with this page's locks, "
        "excludes and K, the schedule with the Schedule page's pinned dates.",
    ),
    "ws_notes": ("备注", "Notes"),
    "ws_save_plan_button": ("保存方案", "Save the plan"),
    "ws_plan_saved": (
        "已保存为 {plan}（场景版本 {version}），可在“历史”页查看",
        "Saved as {plan} (scenario version {version}); see the History page",
    ),
    "ws_unavailable": ("工作区不可用：{reason}", "The workspace cannot be used: {reason}"),
    "ws_location": ("工作区：{location}", "Workspace: {location}"),
    "history_title": ("历史", "History"),
    "history_intro": (
        "工作区保存每个场景的所有版本（加载或修改时自动保存）和在“导出”页保存的方案；可选两个版本或两个方案并排比较，或重新打开任一版本。",
        (
            "The workspace keeps every version of each scenario (saved when you load or edit it) and the plans "
            "saved on the Export page; compare two versions or two plans side by side, or open any version again."
        ),
    ),
    "history_empty": ("工作区中还没有场景。", "The workspace holds no scenario yet."),
    "history_scenario": ("场景", "Scenario"),
    "history_count": ("{versions} 个版本，{plans} 个方案", "{versions} version(s), {plans} plan(s)"),
    "history_versions": ("版本", "Versions"),
    "history_version": ("版本", "Version"),
    "history_time": ("时间", "Time"),
    "history_note": ("说明", "Note"),
    "history_source": ("来源", "Source"),
    "history_summary": ("变化", "What changed"),
    "history_current_mark": ("← 为当前使用的版本。", "← marks the version in use."),
    "history_compare_versions": ("比较两个版本", "Compare two versions"),
    "history_a": ("版本 A（之前）", "Version A (before)"),
    "history_b": ("版本 B（之后）", "Version B (after)"),
    "history_version_facts": (
        "**{ref}** · {when} · {people} 人 · 说明：{note}",
        "**{ref}** · {when} · {people} people · note: {note}",
    ),
    "history_change": ("变化", "Change"),
    "history_subject": ("对象", "Who / what"),
    "history_edit_note": ("修改版本说明", "Change a version's note"),
    "history_save_note": ("保存说明", "Save the note"),
    "history_note_saved": ("已更新 {ref} 的说明", "The note of {ref} is updated"),
    "history_open": ("打开版本", "Open a version"),
    "history_download_file": ("下载原始文件 {name}", "Download the original file {name}"),
    "history_open_button": ("设为当前场景", "Make it the current scenario"),
    "history_opened": ("已打开 {ref}", "Opened {ref}"),
    "history_plans": ("方案", "Plans"),
    "history_plan": ("方案", "Plan"),
    "history_no_plans": (
        "还没有保存的方案：在“导出”页保存。",
        "No plan saved yet: save one on the Export page.",
    ),
    "history_compare_plans": ("比较两个方案", "Compare two plans"),
    "history_plan_a": ("方案 A（之前）", "Plan A (before)"),
    "history_plan_b": ("方案 B（之后）", "Plan B (after)"),
    "history_edit_plan": ("修改方案状态或备注", "Change a plan's status or notes"),
    "history_update_plan": ("保存修改", "Save the change"),
    "history_plan_updated": ("已更新 {plan}", "Updated {plan}"),
    # ---- workspace labels: end ----
    # ---- editing labels: start (insert between start and end) ----
    "page_settings": ("社区设置", "Settings"),
    "edit_undo": ("撤销上一次修改", "Undo the last edit"),
    "edit_undo_help": (
        "恢复到上一次修改之前的场景（在其他页面又修改过则不再提供）",
        "Restore the scenario as it was before the last edit (not offered once another page changed it)",
    ),
    "edit_undone": ("已撤销上一次修改", "The last edit was undone"),
    "edit_refused_kept": (
        "修改未应用，场景保持修改前的状态。",
        "The edit was not applied; the scenario is as it was before.",
    ),
    "edit_relatives": ("编辑亲属关系", "Edit relations"),
    "edit_relatives_intro": (
        "读作“甲 是 乙 的 …”。添加或删除后，上方的关系图和近亲属列表立即更新；"
        "自己与自己、重复登记、相互矛盾的关系（如父母只比子女大 10 岁）会列出问题且不被应用。",
        'Reads "A is the … of B". After an addition or removal the graph and the close-relative pairs '
        "above update at once; a relation to oneself, one already listed, or one that contradicts the others "
        "(a parent only 10 years older, say) is listed with its issues and not applied.",
    ),
    "rel_person_a": ("甲", "Person A"),
    "rel_person_b": ("乙", "Person B"),
    "rel_kind": ("甲是乙的…", "A is B's …"),
    "rel_add": ("添加关系", "Add relation"),
    "rel_listed": ("已登记的关系", "Listed relations"),
    "rel_remove": ("删除", "Remove"),
    "others_title": ("其他人（非人选）", "Others (not candidates)"),
    "others_intro": (
        "不是人选、但把人选联系成近亲属的人（如已故的共同父母）。删除仍出现在亲属关系中的人时，"
        "须勾选“连同其亲属关系一并删除”。",
        "People who are not candidates but link candidates as close relatives (a late shared parent, say). "
        'Removing one that relations still name needs "also remove their relations" ticked.',
    ),
    "others_relations": ("所在关系数", "Relations"),
    "others_new_id": ("编号", "Id"),
    "others_new_id_help": (
        "字母、数字、- 或 _，不得与人选或其他人重复，如 x02",
        "Letters, digits, - or _, unique among people and others, e.g. x02",
    ),
    "others_new_name": ("姓名", "Name"),
    "others_add": ("添加其他人", "Add other"),
    "others_pick": ("其他人", "Other"),
    "others_rename": ("改名", "Rename"),
    "others_with_relations": ("连同其亲属关系一并删除", "Also remove their relations"),
    "others_remove": ("删除其他人", "Remove other"),
    "settings_title": ("社区设置", "Community settings"),
    "settings_intro": (
        "社区的名称、所属街道、基准日、是否多民族社区、上届班子构成和规则配置；班子职数、比例等规则参数在"
        "“班子方案”页设置。每次修改都像载入文件一样校验，有问题时列出并保持原状，可撤销，下载的 YAML 包含修改。",
        "The community's name, sub-district, reference date, multi-ethnic flag, previous term and rule "
        "profile; seats, quotas and other rule parameters are set on the Slates page. Every edit is validated "
        "as a loaded file (shown with its issues and not applied when bad), can be undone, and is in the "
        "downloaded YAML.",
    ),
    "settings_subdistrict": ("所属街道", "Sub-district"),
    "settings_reference_date_help": (
        "年龄和党龄按此日期计算（S06、S08）",
        "Ages and Party standing are measured on this date (S06, S08)",
    ),
    "settings_multi_ethnic_help": (
        "多民族社区：启用 S19（少数民族成员）",
        "Multi-ethnic: turns on S19 (minority members)",
    ),
    "settings_previous_term": ("上届班子", "Previous term"),
    "settings_college_share": ("上届大专及以上学历比例（S10）", "Previous term's college share (S10)"),
    "settings_rc_party_share": ("上届居委会党员比例（S11）", "Previous term's RC Party share (S11)"),
    "settings_share_help": (
        "0 到 1 之间，如 0.4；留空表示未知（跳过该项比较）",
        "Between 0 and 1, e.g. 0.4; empty: not known (that comparison is skipped)",
    ),
    "settings_profile": ("规则配置", "Rule profile"),
    "settings_profile_help": (
        "更换规则配置时，新配置的默认值生效，场景自己设置的规则参数保留",
        "On a change of profile the new profile's defaults apply; the rule parameters the scenario sets "
        "itself are kept",
    ),
    "settings_own_profile": ("本县规则配置文件", "the county's own profile file"),
    "settings_departments": ("资格联审部门（每行一个）", "Joint-review (资格联审) departments, one a line"),
    "settings_departments_help": (
        "留空则用规则配置中的部门（灰色所示）；删除仍有人员联审记录的部门会被拒绝",
        "Empty: the profile's departments (shown greyed); removing a department that people's joint-review "
        "replies name is refused",
    ),
    "settings_subdistrict_title": ("街道设置", "Sub-district settings"),
    "settings_concentrated": ("集中选举日", "Concentrated election day"),
    "settings_concentrated_help": (
        "勾选后，各社区的居委会选举都安排在这一天",
        "When ticked, every community's residents' committee election is held on that day",
    ),
    "settings_concentrated_day": ("选举日期", "Election date"),
    "settings_subdistrict_apply": ("应用街道设置", "Apply sub-district settings"),
    "settings_apply": ("应用设置", "Apply settings"),
    "settings_applied": ("社区设置已更新", "Community settings updated"),
    "settings_unchanged": ("设置没有变化", "Nothing changed"),
    "calendar_title": ("日历：补充放假日与调休上班日", "Calendar: extra days off and make-up working days"),
    "calendar_intro": (
        "内置国务院放假安排（2004-2026 年）。在此补充本场景的放假日（如当地节假日）或调休上班日；"
        "“日程”页立即按这些日期重新排期。调休上班日优先于放假日，一天只能登记为其中一种。",
        "The State Council's official days off are built in (2004-2026). Add this scenario's own days off "
        "(a local holiday, say) or make-up working days here; the Schedule page plans on them at once. A "
        "make-up working day wins over a day off; a day is listed as one of them only.",
    ),
    "calendar_day": ("日期", "Date"),
    "calendar_kind": ("类别", "Kind"),
    "calendar_weekday": ("星期", "Weekday"),
    "calendar_holidays": ("放假日", "Day off"),
    "calendar_workdays": ("调休上班日", "Make-up working day"),
    "calendar_add": ("添加日期", "Add day"),
    "calendar_remove_pick": ("已登记的日期", "Listed days"),
    "calendar_remove": ("删除日期", "Remove day"),
    "calendar_none": ("尚未补充任何日期。", "No extra days listed."),
    "calendar_file_days": (
        "日历文件另有放假日 {holidays} 天、调休上班日 {workdays} 天（在场景文件中修改）。",
        "The calendar file adds {holidays} day(s) off and {workdays} make-up working day(s) (edit them in "
        "the scenario file).",
    ),
    "weekday_0": ("星期一", "Monday"),
    "weekday_1": ("星期二", "Tuesday"),
    "weekday_2": ("星期三", "Wednesday"),
    "weekday_3": ("星期四", "Thursday"),
    "weekday_4": ("星期五", "Friday"),
    "weekday_5": ("星期六", "Saturday"),
    "weekday_6": ("星期日", "Sunday"),
    # ---- editing labels: end ----
    # ---- replan labels: start (insert between start and end) ----
    "replan_adopt": ("采用", "Adopt"),
    "replan_adopt_help": (
        "采用此方案为基础：此后的假设分析按最小变动重新规划，并列出调整说明。",
        "Adopt this option as the base: later what-ifs re-plan from it with the least change and list what changed.",
    ),
    "replan_adopted": (
        "已采用{label}为基础方案。下面的假设分析（排除、锁定、事件）按最小变动重新规划：先少调动人员，再少变动职务，再求最优。",
        "{label} is adopted as the base. What-ifs below (excludes, locks, events) re-plan with the least change: "
        "fewest people moved, then fewest posts changed, then the best objective.",
    ),
    "replan_clear": ("取消采用", "Clear the adopted plan"),
    "replan_base_dropped": (
        "采用的方案与当前场景不符，已取消采用。",
        "The adopted option no longer fits the scenario and was cleared.",
    ),
    "replan_changes": ("调整说明（与采用方案相比）", "Changes from the adopted plan"),
    "replan_counts": (
        "调动{moved}人，变动{posts}个职务，名单变动{lists}处。",
        "{moved} people moved, {posts} posts changed, {lists} list places changed.",
    ),
    "replan_no_change": ("与采用方案相比无变动。", "No change from the adopted plan."),
    "replan_col_kind": ("类别", "Kind"),
    "replan_col_change": ("变动及原因", "Change and reason"),
    "replan_kind_moved": ("人员调动", "Person moved"),
    "replan_kind_post": ("职务变动", "Post changed"),
    "replan_kind_list": ("名单变动", "List changed"),
    "replan_second_title": ("另行选举 Second round", "Second round (另行选举)"),
    "replan_second_intro": (
        "第一轮选举后仍有空缺时：填写第一轮当选人，求另行选举的差额候选人名单（当选人保留席位并计入各项结构要求）。",
        "When round one leaves seats unfilled: enter who was elected; the planner proposes the second round's "
        "differential lists (the elected keep their seats and count toward every rule).",
    ),
    "replan_second_elected": ("{body}第一轮当选", "{body}: elected in round one"),
    "replan_second_limit": (
        "候选人限于第一轮未当选的人",
        "Candidates only from round one's candidates not elected",
    ),
    "replan_second_not_elected": ("第一轮未当选的候选人", "Round-one candidates not elected"),
    "replan_second_run": ("计算另行选举名单", "Compute the second round"),
    "replan_second_clear": ("清除", "Clear"),
    "replan_second_col_elected": ("第一轮当选", "Elected in round one"),
    "replan_second_col_left": ("空缺席位", "Seats left"),
    "replan_second_col_list": ("另行选举候选人", "Second-round candidates"),
    "replan_second_best": (
        "另行选举后的最佳班子（目标值 {objective}）：",
        "The best team after the second round (objective {objective}):",
    ),
    "replan_second_none": ("无法组成符合全部规则的另行选举名单。", "No second round meets all the rules."),
    # ---- replan labels: end ----
    # ---- byelection labels: start ----
    "by_election_banner": (
        "补选：只填补空缺职务，在任成员保留原职务；每条规则仍对补选后的整个班子适用。",
        "By-election (补选): only the vacant posts are filled and the sitting members keep their posts; "
        "every rule still holds for the whole team after it.",
    ),
    "by_election_vacancies": ("空缺职务：{posts}", "Vacant posts: {posts}"),
    "by_election_sitting": ("在任成员：{people}", "Sitting members: {people}"),
    "by_election_objective": (
        "目标值只计新进入班子的人员（在任成员在每个方案中都相同）。",
        "The objective counts the newcomers to the team only (the sitting members are in every option).",
    ),
    "by_election_schedule": (
        "补选日程：{template}，只安排有空缺的机构的环节（推荐、审查、公示、选举）；法定最低天数照常适用。",
        "By-election schedule: {template}, with the stages of the bodies that have vacancies only "
        "(recommendation, review, publicity, election); the statutory minimums apply as usual.",
    ),
    "by_election_stage": ("补选：{name}", "By-election: {name}"),
    "col_seat": ("席位", "Seat"),
    "seat_sitting": ("在任", "sitting"),
    "seat_new": ("补选", "new"),
    # ---- byelection labels: end ----
    # ---- documents labels: start (insert between start and end) ----
    "documents_title": ("公文", "Official documents"),
    "documents_intro": (
        "上方的 Word 文件为班子人选方案（讨论稿）。下列为各环节所需公文，按 GB/T 9704 格式排版（A4），"
        "日期取自日程，人选取自方案一，可直接打印；待填写处留有横线。",
        "The Word file above is the draft of the slate options (讨论稿). Below, the documents of each stage, "
        "laid out after GB/T 9704 (A4), dates from the schedule and people from option 1, ready to print; "
        "blanks are left where the office fills in by hand.",
    ),
    "download_document_docx": ("下载 Word", "Download Word"),
    "download_document_xlsx": ("下载 Excel", "Download Excel"),
    # ---- documents labels: end ----
    # ---- progress labels: start (insert between start and end) ----
    "progress_part": ("正在求解：{what}（第 {done}/{total} 项）", "Solving: {what} ({done} of {total})"),
    "progress_slates_of": ("{name} 的班子方案", "slates of {name}"),
    "progress_schedule": ("日程", "the schedule"),
    "progress_slates_found": (
        "正在求解 {name} 的班子方案：已得到 {done}/{total} 个",
        "Solving the slates of {name}: {done} of {total} found",
    ),
    "progress_stop": ("停止求解", "Stop solving"),
    "progress_stopped": (
        "已停止求解；再次打开本页或更改设置即重新求解。",
        "Solving stopped; open this page again or change a setting to solve again.",
    ),
    # ---- progress labels: end ----
}


# The 56 official ethnic groups by their usual English names, in the order of planner.scenario.ETHNICITIES.
ETHNICITIES_EN = (
    "Han",
    "Mongol",
    "Hui",
    "Tibetan",
    "Uyghur",
    "Miao",
    "Yi",
    "Zhuang",
    "Buyei",
    "Korean",
    "Manchu",
    "Dong",
    "Yao",
    "Bai",
    "Tujia",
    "Hani",
    "Kazakh",
    "Dai",
    "Li",
    "Lisu",
    "Va",
    "She",
    "Gaoshan",
    "Lahu",
    "Shui",
    "Dongxiang",
    "Naxi",
    "Jingpo",
    "Kyrgyz",
    "Tu",
    "Daur",
    "Mulao",
    "Qiang",
    "Blang",
    "Salar",
    "Maonan",
    "Gelao",
    "Xibe",
    "Achang",
    "Pumi",
    "Tajik",
    "Nu",
    "Uzbek",
    "Russian",
    "Evenki",
    "De'ang",
    "Bonan",
    "Yugur",
    "Jing",
    "Tatar",
    "Derung",
    "Oroqen",
    "Hezhen",
    "Monba",
    "Lhoba",
    "Jino",
)
ETHNICITY_EN: dict[str, str] = dict(zip(ETHNICITIES, ETHNICITIES_EN, strict=True))

# English names of the template stages (planner/timeline/templates/seed-2020.yaml), keyed by stage id; a
# county's own stage without an entry shows its template name.
STAGE_NAMES_EN: dict[str, str] = {
    "rectify": "Review and rectification",
    "audit": "Outgoing-term economic audit and its publication",
    "training_publicity": "Publicity and training",
    "opinion_survey": "Opinion survey",
    "pc_recommend": "Recommendation by Party members and residents",
    "pc_shortlist": "Preliminary candidates and persons to inspect",
    "pc_joint_review": "Eligibility check and joint review",
    "pc_inspection": "Organisational inspection",
    "pc_publicity": "Publicity of the prospective candidates",
    "pc_approval": "Approval by the Party working committee (secretary to the banner committee)",
    "pc_election": "Party members' election meeting",
    "rc_committee": "Residents' election committee formed",
    "rc_rules": "Election rules adopted by the residents' representatives",
    "rc_registration": "Voter registration",
    "rc_voter_list": "Voter list published",
    "rc_nomination": "Candidate registration",
    "rc_joint_review": "Eligibility check, joint review and inspection",
    "rc_candidates": "Official candidates published",
    "rc_election": "Residents' committee election meeting",
    "representatives": "Residents' representatives chosen",
    "sc_election": "Supervisory committee chosen",
    "training": "Induction training",
    "five_year_plan": "Community five-year plan",
}


def ethnicity_name(zh: str | None) -> str:
    """An ethnic group in the session's language (汉族 / Han); empty for none."""
    if not zh:
        return ""
    return zh if lang() == "zh" else ETHNICITY_EN.get(zh, zh)


def stage_name(stage_id: str, name: str | None = None) -> str:
    """A stage's name in the session's language: its template name in Chinese, STAGE_NAMES_EN in English."""
    if lang() == "zh":
        return name or stage_id
    return STAGE_NAMES_EN.get(stage_id) or name or stage_id


def lang() -> str:
    """The session's language, "zh" (default) or "en"."""
    value = st.session_state.get(LANG_KEY, "zh")
    return value if value in LANGS else "zh"


def t(key: str, **fmt: object) -> str:
    """The label `key` in the session's language, formatted with `fmt`; unknown keys show as themselves."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    text = pair[0] if lang() == "zh" else pair[1]
    return text.format(**fmt) if fmt else text


def pick(zh: str, en: str) -> str:
    """Choose between a library's Chinese and English text."""
    return zh if lang() == "zh" else en
