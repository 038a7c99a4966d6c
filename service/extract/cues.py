"""Language data of status (targets.md §5): the words that tell a plan from a report of what was
done, kept apart from the code that reads them (status.py), as lexicon.py keeps the rest.

Entries are regular-expression fragments in simplified script with ASCII punctuation, because
they run on the normalised view. A cue is `target`, `result` or `fact`; the one nearest to a
quantity (left of it, in its sentence) decides, else the table column, else the section.
"""

# Section headings (`一、` `（一）` Markdown) and document titles that head a review or a plan.
REVIEW_HEADINGS = (
    "工作回顾", "年度回顾", "工作总结", "年度总结", "主要工作成效", "工作成效", "主要成效", "取得的成绩",
    "取得的成效", "主要成绩", "工作成绩", "进展情况", "完成情况", "进度情况", "工作进展", "进度表",
    "过去一年", "过去五年", "五年来", "十年来", "一年来", "主要做法", "工作开展情况", "落实情况",
    "执行情况", "发展基础", "发展成就", "主要成就", "取得的成就", "显著成效",
    "回顾", "工作亮点", "亮点工作", "推进情况", "施政总结", "执行基本情况", "预算执行", "执行成果", "执行成效", "工作成果",
    "施政成果", "主要成果",  # `一、2025年工作简要回顾`, `一、回顾2025年工作`
)
# Headings of a section on problems (`二、存在的不足`): its figures describe the existing state.
PROBLEM_HEADINGS = (
    "存在的问题", "存在问题", "存在的不足", "问题和不足", "问题与不足", "不足之处", "困难和问题",
    "问题和困难", "主要问题", "短板弱项", "存在的困难", "差距和不足", "短板和弱项", "工作中的不足", "问题与挑战",
    "面临的困难", "困难和挑战", "存在的差距",
)
# Headings of the existing state (`一、基本情况`, `学情分析`) and of the conditions a candidate must
# meet (`二、推荐条件`): their figures are facts or conditions, returned nowhere.
BACKGROUND_HEADINGS = (
    "基本情况", "学情分析", "班级情况", "学校概况", "学校基本情况", "年级情况", "现状分析", "形势分析",
    "推荐条件", "申报条件", "报考条件", "评选条件", "基本条件", "资格条件", "报名条件", "申报范围", "评选范围",
    "评分标准", "计分办法", "评分办法",
)
PLAN_HEADINGS = (
    "工作要点", "工作安排", "工作计划", "主要预期目标", "预期目标", "重点任务", "主要任务",
    "下一步", "工作打算", "工作思路", "工作建议", "工作任务", "目标任务", "重点工作", "预算草案", "预算安排",
    "计划草案", "预算(草案)", "发展目标",
    "总体要求", "政府工作的建议", "主要目标", "目标任务", "工作目标", "下步打算", "工作措施",
)

# Clause cues. Order inside a tuple does not matter: the alternation is built longest first.
RESULT_CUES = (
    r"已经", r"已(?![经知有])", r"累计", r"截至",  # 累计 yields to a plan's cue before it (pipeline) r"截止(?:到|至)?", r"共完成", r"完成了", r"实现了",
    r"达到了", r"建成了", r"新增了", r"增加了", r"提高了", r"下降了", r"同比", r"比上年",
    # a verb in the perfective (`招聘了新教师326名`, `组建了10个工作组`): done
    r"(?:招聘|培训|新建|改建|扩建|改扩建|投入|改造|组建|开展|举办|组织|招收|资助|发放|配备|购置|创建|表彰|评选|完成|实施)了",
    r"较上年", r"比去年", r"较去年", r"比五年前", r"较五年前", r"是十年前",
    r"今年以来", r"今年前[一二三四五六七八九十两\d]+(?:个)?月", r"今年上半年", r"前三季度",
    r"过去一年", r"过去一学年", r"过去五年", r"过去十年", r"五年来", r"十年来", r"一年来", r"多年来", r"去年",
    r"十[一二三]五”?(?:期间|时期|以来)",  # a past five-year plan's period (`“十三五”期间`)
    r"十[一二三四五]五”?以来",  # since a plan's start (`“十四五”以来，全市累计…`): so far
    r"上学期", r"上学年", r"上一学年", r"上一学期",  # a school's past term
    r"上年度", r"上一年度", r"上届", r"上一届",  # the last year or round (`上年度全省共表彰…`)
    # a change against the last term (`力争优秀率比上学期提高3个百分点`): see _COMPARISON_CUES
    r"(?:比|较|由|从)(?:上一?学期|上一?学年|上一?年度)(?:的)?",
    # the months of this year so far (`1-9月，全市新增学位…`), and a row's progress label
    rf"(?:今年|20\d\d年)?(?:1|一)(?:至|-|—|–|~|到)(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})月(?:份)?(?=[,，])",
    r"(?:进展|进度|进展情况|完成情况|工作进展|实际完成)[:：]",
    r"去年底", r"目前", r"现已", r"先后",
    r"已有(?=[^,，。;；\n]{0,8}[\d一二三四五六七八九十两])",  # `全市已有30所学校开设课后服务`
    r"共为", r"共评出", r"评选出", r"揭晓",  # `共评出一等奖37名`: an event held
    r"占(?:[^,，。;；\n]{0,10})(?:计划|规划|任务|目标)[^,，。;；\n的]{0,4}的",  # `占计划总投资的64.3%`
    r"完成(?:年度)?(?:投资)?(?:计划|任务|目标)的",
    # (not after a plan's word or time limit: `下一步，将于12月底前全面完成9个子项目`)
    r"(?<!前)(?<!将)(?<!要)(?<!确保)(?<!力争)(?<!争取)(?:全面|顺利|超额|圆满|如期)完成",
    # `新建有6所,改扩建有48所`: 有 after a verb counts what the verb has produced
    r"(?:新建|改扩建|扩建|改建|建成|新增|增加|开工|竣工|投用|开办|招收|招聘|培训|认定|创建|评选)有"
    r"(?=[^,，。;；\n]{0,4}[\d一二三四五六七八九十两])", r"实际(?=完成|建成|建设|补充|配备|新增|投入|开工|招聘|培训|发放|到位)", r"取得了", r"获得了", r"共获得", r"先后获得", r"荣获",  # bare 取得/获得 is also what a plan aims at (`力争获得一等奖3项`)
)
# Weak result cues: words that report an event held (`今年秋季开学，全市新投用学校18所`, `共新增学位
# 2.1万个`), except under a plan's heading, where they name the time the plan works to or the sum it
# is to reach (`确保今年秋季开学，新增学位1500个`, `全年共新增学位1200个`).
WEAK_RESULT_CUES = (
    r"共增加", r"共新增",
    r"(?<![^。!?！？\n,，;；:：])(?:今年|20\d\d年)(?:秋季|春季)(?:学期)?开学(?:以来|时)?(?=[,，])",
)
TARGET_CUES = (
    r"拟", r"(?<![主重需纲摘提概只简])要(?![求点素闻件])",
    r"力争", r"确保", r"预计", r"(?<![于及超到])预期", r"(?<!截至)(?<!截止)(?<!截至到)今年(?!以来|前|上半年|秋季|春季)",
    r"下一步", r"力求", r"年底前", r"明年", r"下半年",
    # 将 before a word of time or manner is the future, also in a report (`将每半月通报一次`,
    # `将继续新增学位450个`); before a noun it may be the disposal marker (`将税率从17%降至13%`)
    r"(?<![即必])将(?=每|于|在|继续|进一步|持续|加快|全面|重点|逐步|力争|确保)",
    r"全年计划", r"今年计划", r"本年度计划",  # the year's plan, restated in a mid-year report
    r"(?:年度目标|目标任务|工作目标|年度任务|年度计划)[:：]",  # a row's label: `年度目标：筛查12万人`
    r"任务数", r"目标任务(?=[:：为是0-9一二三四五六七八九十两])", r"(?:全年|年度)(?:目标)?任务(?=[:：为是])", r"任务(?=[^,，。;；\n]{1,8}数)",  # the quota a report measures against
)
# Weak cues: words that name a plan rather than commit to one (`规划总投资`, `年度计划为29个`) and
# `将`, which is also the disposal marker (`将税率从17%降至13%`): they make a target in a plan or in
# no section, but not in a section headed as a review.
WEAK_TARGET_CUES = (
    r"(?<![即必])将(?![近来])", r"年内", r"争取", r"本学期", r"本学年",  # a school's term planned
    # `建成后可新增学位2160个`: what a project will give (in a review, what the school built gives)
    r"(?:建成|投用|投入使用|竣工|完工)后(?:可|将|能)",
    r"到20\d\d年",  # in a review, `到2025年底，…达到92.3%` reports the year reviewed  # `争取上级资金12.6亿元` in a review obtained it  # `年内完成建设23所` in a summary reports the year
    r"(?<!按)计划(?!量|的|数|生育|单列|经济|[”」』\"])", r"(?<!按)规划(?!量|的|数)",  # (`“双高计划”` is a name) r"目标(?!的)", r"任务数",
)
# Of the fact cues, those that state the existing stock: it goes on through the clauses of its
# sentence that list more of it (`现有中小学校82所，在校学生4.6万人`); 共有/拥有 may also be a stock
# a plan commits to reach or a report reached (`确保…共有20所`, `截至12月底…共有6840人`).
EXISTING_STATE_CUES = ("现有", "共有", "拥有", "全市有", "全区有", "全县有", "全省有", "全州有", "全国有", "目前有", "仍有", "尚有")
STOCK_CUES = ("共有", "拥有")
FACT_CUES = (
    # counts of what came in (questions asked, entries received): background, not a result
    # (a place or service named after 咨询/留言 is built or held: `建设心理咨询室15间`)
    r"(?:(?:提出|反映|提交)(?:问题|意见|建议)|提问|收到|咨询(?![室站点师台]|中心|服务|活动|热线|窗口)"
    r"|留言(?![板箱墙台]))(?=[^,，。;；\n]{0,8}[\d一二三四五六七八九十两])",
    r"影响(?=[^,，。;；\n]{0,4}[\d一二三四五六七八九十两])",  # `将影响约2000名学生`: who is affected, not a goal
    r"(?:现有(?!基础|水平)|共有|拥有|仍有|尚有)(?=[^,，。;；\n]{0,12}[\d一二三四五六七八九十两])", r"基期(?:值)?", r"现状",
    # a web page's counters (`浏览次数：1286次`, `已有 1234 人阅读`, `本文共3200字`): no figure of the text
    r"(?:浏览|阅读|点击|访问|下载|在线|被浏览)(?:次数|量|人数|人次|数)?[ \t]*[:：]?(?=[ \t]*[\d])",
    r"本站|本文共|访客|有效期[:：]", r"全(?:市|区|县|省|州|国)有", r"目前有",
)

# Headings of table columns (a header row of a pipe table or of a table flattened one cell a
# line) and what a number in that column is.
COLUMN_ROLES = (
    ("number", ("序号", "编号")),
    ("units", ("牵头单位", "责任单位", "责任科室", "责任处室", "配合单位", "协办单位", "主办单位", "实施单位", "承办单位", "责任部门", "牵头部门",
               "责任股室", "牵头股室", "牵头科室", "责任股", "配合科室", "配合股室", "牵头处室")),
    ("leaders", ("分管领导", "责任领导", "分管区领导", "分管县领导", "牵头领导", "责任人")),
    ("deadline", ("完成时限", "时间节点", "完成时间", "时限要求", "时限", "竣工时间", "时间安排")),
    ("result", ("完成情况", "进展情况", "当前进度", "工作进度", "进度", "实际完成", "实际", "执行情况", "落实情况",
                "当前进展", "工作进展", "项目进展", "目前进展", "推进情况", "进展")),
    ("baseline", ("基期", "现状", "基数", "现值")),
    ("target", ("目标值", "目标任务", "目标", "任务", "计划", "主要内容", "工作内容", "项目内容", "建设内容", "具体内容", "内容")),
    ("name", ("项目名称", "指标", "项目", "名称", "事项", "工作事项", "重点工作", "任务名称")),
    ("measure", ("单位", "计量单位")),  # the unit of the row's bare numbers (`%`, `所`)
    ("note", ("备注", "属性", "类别", "说明")),
)
# Verbs and scopes that open a task's content after its name, where the cells of a table run
# together (`增加教育资源供给实施新建…`: the name `增加教育资源供给`, the content from `实施`); they
# also end a run of unit names (`轨道公司推进大庙弄…`).
TASK_OPENERS = (
    "实施", "落实", "完成", "推进", "新建", "改建", "扩建", "改扩建", "新改扩建", "续建", "开展", "建设", "建成", "提升",
    "加快", "加强", "全面", "深化", "持续", "继续", "组织", "启动", "推动", "改造", "新增", "打造", "确保", "力争",
    "计划", "为", "对", "全年", "年内", "今年", "全区", "全县", "全市", "全镇", "投入", "投资", "支持", "举办", "创建",
    "招聘", "培训", "资助", "免费", "提供", "实现", "争创", "规范", "做好", "开工", "新开工", "改善", "扩大", "筹建",
    "培养", "组建", "配备", "引进", "招录", "完善", "制定", "修订", "增设",
)

# A time or period a result is reported for (`as_of`), as written.
AS_OF = (
    r"截[至止](?:到|至)?[ \t]*(?:20\d\d年|今年|去年)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}[日号])?(?:底|末)?",
    r"截[至止](?:到|至)?[ \t]*(?:目前|今年底|年底|去年底|20\d\d年(?:底|末)?)",
    r"今年以来", r"今年前[一二三四五六七八九十两\d]+(?:个)?月", r"(?:今年|20\d\d年)?上半年", r"(?:今年|20\d\d年)?前三季度",
    r"近[一二三四五六七八九十两\d]{1,2}年(?:来|以来)?(?!内|之内)",  # `近三年，学校累计投入…`
    r"(?:20\d\d年)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:至|-|—|到)(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?",
    r"过去一年", r"过去一学年", r"过去五年", r"过去十年", r"五年来", r"十年来", r"一年来", r"多年来", r"近年来",
    r"“?十[一二三]五”?(?:期间|时期|以来)", r"“?十[四五]五”?以来", r"(?<![比较])上一?学期", r"(?<![比较])上一?学年",
    r"(?<![比较])上一?年度", r"上一?届",
    r"(?:今年|去年|20\d\d年)(?:秋季|春季|暑期|暑假|寒假)(?=[,，])",  # opening: `2025年秋季，…`, `今年暑期，…`
    r"(?:今年|20\d\d年)?(?:第)?[一二三四1-4]季度",  # a quarter's report: `一季度完成投资4500万元`
    r"(?:今年|去年|20\d\d年)?(?:秋季|春季)(?:学期)?开学(?:以来|时|前)?",  # `今年秋季开学，新增学位…`
    # 全年 before 任务, 目标 or 计划 names the year's quota (`3项已完成全年任务`), not a period.
    r"去年底", r"(?<![较比同])去年(?!同期)", r"年末", r"全年(?!任务|目标|计划)", r"目前", r"(?:五|十|三|两|八)年(?=[^,，。;；\n]{0,3}(?:年均|累计|增加|增长|下降|共))",
    r"(?<!\d)20\d\d年(?:底|末|度)?(?=[,，]|[^,，。\n]{0,2}(?:全[市区县省州国]|共|累计|已))",  # `表示，2024年已完成…`
    r"(?<!\d)20\d\d年度",  # `我县2020年度…项目建设任务为…6栋`: the year a result is counted in
    r"(?<![\d年])(?:民国)?1[01]\d年度|民国1[01]\d年(?:底|末)?",  # the Republic of China era (`113年度`)
)

# A heading that tells what went well (`（三）重点任务扎实推进`) reviews, whatever plan word it holds.
DONE_HEADING_WORDS = ("扎实推进", "稳步推进", "成效", "显著", "取得", "圆满", "有力", "持续向好", "稳中向好", "全面完成")
# Something done before a share of a plan (`完成投资…，占年度计划的60%`): the share is reported.
DONE_WORDS = ("完成", "已", "累计", "实际", "到位", "建成", "开工", "竣工", "截至", "截止", "拨付", "支出", "执行")
# A project's scope (`总投资860万元`) followed in its sentence by what is done of it: the plan.
PROJECT_SCOPE_WORDS = ("总投资", "计划投资", "概算投资", "估算投资", "规划用地", "建设规模", "可提供学位", "可新增学位")
# In a review, these opening a clause or sentence still plan its figures (`计划新建学校18所，实际完成20所`).
OWN_PLAN_WORDS = ("计划", "目标", "任务数")
# Labels of a table's sum row, whose values add up the rows above.
SUM_ROW_LABELS = ("合计", "总计", "小计", "共计", "合 计", "总 计")
# Lines that open a web page's links to other pages: the text ends there.
LINKS_HEADERS = ("相关链接", "相关推荐", "往期推荐", "相关阅读", "推荐阅读", "相关文章", "热门推荐", "热点推荐", "猜你喜欢",
                 "延伸阅读", "上一篇", "下一篇", "上一条", "下一条")
