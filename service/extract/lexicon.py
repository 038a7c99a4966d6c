"""Language data, kept apart from the matching code (as Recognizers-Text does).

Every word list the extractor consults lives here: adding a measure word, a comparator or an
exclusion cue is a one-line change. All entries are written in simplified script with ASCII
punctuation, because matching runs on the normalised view of the text (see source.py).
"""

# --- numerals -------------------------------------------------------------------------------
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
# Magnitudes that multiply whatever number precedes them (`1.7万`, `十二万`, `3千万`).
MAGNITUDES = {"千": 10**3, "万": 10**4, "亿": 10**8, "千万": 10**7, "百万": 10**6, "十万": 10**5, "万亿": 10**12}

# --- measure words -----------------------------------------------------------------------------
# unit as written -> (normalised unit, category). Category may be refined by the metric
# (a `个` of 学位 is a seat, a `个` of 基地校 a school).
MEASURE_WORDS = {
    "所": ("所", "schools"),
    "学位": ("学位", "seats"),
    "托位": ("托位", "seats"),
    "人次": ("人次", "people"),
    "人": ("人", "people"),
    "名": ("人", "people"),
    "位": ("人", "people"),
    "个": ("个", "other"),
    "项": ("项", "other"),
    "次": ("次", "other"),
    "场次": ("场次", "other"),
    "场": ("场", "other"),
    "节": ("节", "other"),
    "堂": ("堂", "other"),
    "篇": ("篇", "other"),
    "期": ("期", "other"),
    "套": ("套", "other"),
    "台件套": ("台件套", "other"),  # equipment counted in pieces and sets alike
    "台套": ("台套", "other"),
    "台": ("台", "other"),
    "件次": ("件次", "other"),
    "件": ("件", "other"),
    "处": ("处", "other"),
    "家": ("家", "other"),
    "支": ("支", "other"),
    "课时": ("课时", "other"),
    "学时": ("学时", "other"),
    "平方米": ("平方米", "other"),
    "㎡": ("平方米", "other"),
    "平米": ("平方米", "other"),
    "亩": ("亩", "other"),
    "间": ("间", "other"),
    "门": ("门", "other"),
    "本": ("本", "other"),
    "册": ("册", "other"),
    "部": ("部", "other"),
    "座": ("座", "other"),
    "栋": ("栋", "other"),
    "幢": ("幢", "other"),
    "所次": ("所次", "other"),  # schools visited, counted once a visit
    "条": ("条", "other"),
    "种": ("种", "other"),
    "户": ("户", "other"),
    "批次": ("批次", "other"),
    "块": ("块", "other"),
    "辆": ("辆", "other"),
    "张": ("张", "other"),
    "份": ("份", "other"),
    "轮": ("轮", "other"),
    "班": ("班", "other"),
    "个班": ("班", "other"),
    "组": ("组", "other"),
    "队": ("队", "other"),
    "只": ("只", "other"),
    "片": ("片", "other"),  # 建设篮球场10片
    "对": ("对", "other"),  # 结对师徒120对 (not 1对1: context.exclusion)
    "盏": ("盏", "other"),
    "棵": ("棵", "other"),
    "株": ("株", "other"),
    # Physical units and other counters: measure words are an open list (targets.md §3), kept as
    # written, their magnitude multiplied out like any count's (`1.3万亿斤`, `5万公里`).
    "公里": ("公里", "other"),
    "千米": ("千米", "other"),
    "平方公里": ("平方公里", "other"),
    "公顷": ("公顷", "other"),
    "立方米": ("立方米", "other"),
    "吨": ("吨", "other"),
    "斤": ("斤", "other"),
    "公斤": ("公斤", "other"),
    "千克": ("千克", "other"),
    "千瓦": ("千瓦", "other"),
    "千瓦时": ("千瓦时", "other"),
    "倍": ("倍", "other"),
    "人日": ("人日", "other"),  # training measured in person-days (`培训12000人日`), not people
    "人天": ("人天", "other"),
    "字": ("字", "other"),  # 课外阅读总量不少于145万字
    "首": ("首", "other"),  # 背诵古诗词20首
    "学分": ("学分", "other"),
    "起": ("起", "other"),  # 安全责任事故0起 (not 一起: CN_ONE_BLOCKED_UNITS)
    "副": ("副", "other"),
    "架": ("架", "other"),
    "幅": ("幅", "other"),
    "梯次": ("梯次", "other"),
    # schools counted as Taiwan and Hong Kong texts count them (`新增双语实验学校6校`, `增设非营利幼儿园3园`)
    "校": ("校", "schools"),
    "园": ("园", "schools"),
    "枚": ("枚", "other"),  # 金牌10枚
    "餐次": ("餐次", "other"), "车次": ("车次", "other"),
    "款": ("款", "other"),
    # visits and sessions counted per time (`送教100节次`, `督导60校次`, `家访480户次`)
    "节次": ("节次", "other"), "校次": ("校次", "other"), "课次": ("课次", "other"), "户次": ("户次", "other"),
    "班次": ("班次", "other"), "项次": ("项次", "other"),
}
# A unit is none where it starts a longer word: `5个班级` counts 个 (of 班级), `2名班主任` 名.
UNITS_NOT_BEFORE = {"人": ("口",),  # `30万人口以上的县`: a population, no count of people
                    "校": ("区", "园", "长", "内", "外", "际", "本", "级", "友", "训", "庆", "服", "车", "舍", "医", "领导"),
                    "园": ("区", "长", "所", "内", "外", "本", "级", "际", "丁", "林", "艺", "地", "博会"),
                    "个班": ("级", "主任", "子"), "班": ("级", "主任", "子", "车", "会"), "首": ("届", "批", "次", "个"),
                    "起": ("步", "点", "来", "始"), "字": ("号", "第", "体", "样", "幕")}
# Units of time are measure words only where a length of time is itself the goal (`平均受教育年限
# 达12.3年`, `承包期再延长30年`, `书面作业时间不超过60分钟`, `审批时限压缩到5个工作日`): a noun of
# duration or a verb that limits it stands before the number in its sentence. Elsewhere a number
# before `年` is a calendar year or a programme's span (`三年行动`), and `24小时热线` or `每天一小时
# 体育活动` name a service or a programme.
DURATION_UNITS = {"年": ("年", "other"), "个月": ("个月", "other"), "小时": ("小时", "other"), "个小时": ("小时", "other"),
                  "分钟": ("分钟", "other"), "工作日": ("工作日", "other"), "个工作日": ("工作日", "other"),
                  "天": ("天", "other")}
# A limit on the number (`每天…体育活动不少于2小时`, `课后服务每周不少于5天`) makes it a goal too.
DURATION_NOUNS = ("年限", "期限", "承包期", "有效期", "使用期", "服务期", "时间", "时长", "时限", "用时", "每周", "每月", "每天", "每日",
                  "压缩", "缩短", "控制在", "不少于", "不低于", "至少", "不超过", "不多于")
MEASURE_WORDS.update(DURATION_UNITS)
# Points of a score count only after a noun of scoring (`中考平均分提高5分`, `考核分值100分`);
# elsewhere `30分` is a time of day or part of a word.
SCORE_UNITS = {"分": ("分", "other")}
SCORE_NOUNS = ("平均分", "均分", "分数", "成绩", "得分", "分值", "总分", "满分", "考核", "评分", "计分", "赋分")
MEASURE_WORDS.update(SCORE_UNITS)

# A unit written once after a list of numbers is shared by all of them (`分别新增学位2.35万和6000个`,
# `分别新建幼儿园15、12、9所`): the joiners between the numbers, and the cue that must open the list
# (without it `1、2所` may be an item number before a count).
LIST_JOINERS = ("、", "和", "及", "与", "以及")
LIST_CUES = ("分别", "依次")
# A breakdown after these inherits the metric, category and direction of the quantity before it
# with the same unit (`新增学位3.2万个,其中A区3505个、B区3705个`: three seat counts, each an increase).
BREAKDOWN_CUES = ("其中", "分别为", "分别是", "分别用于", "包括")
# Measure words a bare Chinese `一` must not be read with: `一部分`, `一件事` and the like are
# words, not counts. (Arabic `1部` stays a count.)
# Measure words read only after Arabic digits: `两校`, `三园` are names and phrases (两校联动).
ARABIC_ONLY_UNITS = {"校", "园"}
CN_ONE_BLOCKED_UNITS = {"只", "支", "部", "条", "种", "班", "组", "队", "本", "门", "块", "张", "份", "轮", "届", "间", "处", "位", "台", "件",
                        "起", "副", "首", "字", "架", "幅"}  # 一起, 一副, 一首, 一字之差

# Currencies: written word -> ISO code. Money is normalised to 亿 of its currency.
# Where 元 is not the yuan: words (in traditional script, as those texts are written) that only a
# Taiwan or Hong Kong text holds; a document holding one counts its bare 元 in that currency.
REGION_CURRENCY_MARKERS = (("MOP", ("澳門特區", "澳門特別行政區", "澳門元", "澳門幣", "澳門居民")),
                           ("TWD", ("新臺幣", "新台幣", "立法院", "行政院", "臺灣", "台灣", "民國")),
                           ("HKD", ("立法會", "財政預算案", "特區政府", "特區")))
CURRENCIES = {"元": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "港元": "HKD", "港币": "HKD", "日元": "JPY", "英镑": "GBP",
              "澳门元": "MOP", "澳门币": "MOP", "美金": "USD"}
# A currency's name written before the amount (`港币180万元`, `约新台币200亿元`, `澳门元2,500万元`):
# the 元 after the number counts in it.
CURRENCY_PREFIXES = {"人民币": "CNY", "港币": "HKD", "港元": "HKD", "新台币": "TWD", "台币": "TWD",
                     "澳门元": "MOP", "澳门币": "MOP", "美元": "USD", "美金": "USD", "欧元": "EUR"}

PERCENT_UNITS = {"%": "%", "‰": "‰", "个百分点": "百分点", "百分点": "百分点"}

# Category by the noun a count is about, for measure words that do not fix it (`个`, `家`).
METRIC_CATEGORY_SUFFIXES = (
    ("seats", ("学位", "托位", "学额")),
    ("schools", ("学校", "幼儿园", "中学", "小学", "公办园", "民办园", "普惠园", "示范园", "中心园", "分园", "校")),
)
# Nouns right after the measure word that make `N人`/`N名` etc. a seat count (`300个学位`).
SEAT_NOUNS = ("学位", "托位", "学额")
# Words holding 学位 that name a degree, not a school place (`新增硕士学位授权点2个`).
DEGREE_WORDS = ("学位授权", "学位点", "专业学位", "学位课程", "学位论文", "学士学位", "硕士学位", "博士学位", "学位教育")

# --- comparators ---------------------------------------------------------------------------
# Words before the number. Longest first at match time.
COMPARATORS_BEFORE = {
    "不低于": "ge", "不少于": "ge", "不小于": "ge", "至少": "ge", "最少": "ge", "不下于": "ge",
    "超过": "gt", "逾": "gt", "高于": "gt", "多于": "gt", "大于": "gt", "突破": "gt",
    "不超过": "le", "不高于": "le", "至多": "le", "不多于": "le", "最多": "le", "不大于": "le",
    "≥": "ge", "⩾": "ge", "≤": "le", "⩽": "le", "最高": "le", "最低": "ge",
    "控制在": "le", "限报": "le", "低于": "lt", "少于": "lt", "不足": "lt", "小于": "lt", "不到": "lt",
    "守住": "ge",  # 守住…的底线/红线: never below
    "约": "approx", "大约": "approx", "近": "approx", "接近": "approx", "大概": "approx",
}
# Comparator words that only count when they touch the number (`近` is also 近视, `约` 约谈).
# `最低`/`最高` touch it as a floor or a cap (`每校最高50万元`); apart they name a standard
# (`最低标准提高20元`).
COMPARATORS_ADJACENT_ONLY = {"近", "约", "逾", "最高", "最低", "≥", "⩾", "≤", "⩽"}
# Words after the quantity.
COMPARATORS_AFTER = {
    "以上": "ge", "及以上": "ge", "以下": "le", "及以下": "le", "以内": "le", "之内": "le",
    "左右": "approx", "上下": "approx",
}
# Between number and unit: `300余人`, `50多所`.
COMPARATORS_INFIX = {"余": "gt", "多": "gt"}

# --- direction -----------------------------------------------------------------------------
# A growth rate is an amount of change upward (`增长5%左右`, `涨幅3%`, `增速不低于6%`).
INCREASE_VERBS = ("新增", "增加", "增长", "增设", "扩大", "提高", "提升", "增幅", "扩增", "新扩", "增量", "多增",
                  "涨幅", "增速", "上涨", "上升", "延长", "增产", "扩招", "上调", "调升", "调高", "增拨",
                  "上年多", "去年多", "同期多")  # `比上年多650个`
DECREASE_VERBS = ("下降", "降低", "减少", "压减", "缩减", "压缩", "降幅", "减幅", "缩短", "减产", "下调", "调降", "调低",
                  "上年少", "去年少", "同期少")
# In an enumeration that shares its opening verb, a member named as a stock is a level, not a
# change (`增加投入2000万元、总规模1.2亿元`, `新增学位3000个、学位总数5.2万个`).
STOCK_NOUNS = ("规模", "总量", "总数", "总额", "余额", "存量")
# A member of an enumeration that opens with a verb of its own (`新增学位900个、培训教师500人次`)
# does not share the direction verb of the member before it.
OWN_VERBS = ("培训", "轮训", "覆盖", "惠及", "资助", "建设", "新建", "改扩建", "改建", "扩建", "建成", "招聘",
             "开展", "组织", "举办", "创建", "认定", "评选", "培养", "完成", "实现", "发放", "投入", "接待",
             "开设", "配备", "打造", "引进", "选派", "遴选", "推荐", "改造", "维修", "购置", "达到", "达")
# After a direction verb these make the number a level (`提升至56%`), not an amount of change.
# Right after 提升/提高 these make one compound verb (`提升改造`), not a change in amount.
COMPOUND_VERB_TAILS = ("改造", "建设", "打造", "完善", "改建", "改善")
LEVEL_MARKERS = ("至", "到", "为", "达到", "达")

# --- per --------------------------------------------------------------------------------------
# Periods and units a frequency is counted over (`每学期`, `每两周`, `每个乡(镇)`).
PER_NOUNS = ("学期", "学年", "季度", "半月", "半年", "周", "月", "天", "日", "年", "次", "乡(镇)", "乡镇", "县(区)", "县区",
             "县", "区", "校", "学校", "所学校", "园", "班", "班级", "生", "人", "名", "课", "节",
             "学区", "片区", "社区", "街道", "村", "教师", "学生", "幼儿园", "中小学", "集团",
             # kinds of school, unit and group a count is made for (`每所职业院校至少配备2名…`,
             # `每位班主任家访不少于20户`, `每个县(市、区)至少建成1所…`); the longer word first
             "半年", "晚", "单元", "批次", "批", "期", "届", "班主任", "年级组", "年级", "教研组", "备课组",
             "学科", "专业群", "专业", "职业院校", "中职学校", "高职院校", "高校", "院校", "农村学校",
             "寄宿制学校", "义务教育学校", "初中", "小学", "高中", "教学班", "教学点", "县(市、区)",
             "县(市,区)", "县(市区)", "县市区", "县(市)", "市(州)", "乡镇中心校", "中心校", "家长", "申报人",
             "团队", "学时", "课时", "件", "场", "篇", "小组", "组", "考点", "基地", "社团", "家庭")

# --- money per head ----------------------------------------------------------------------------
# Money per head or per unit is no total (targets.md §3): it stays in 元 and `per` names the head.
# Words before the amount, in its comma-delimited stretch, that name the head ...
PER_HEAD_WORDS = {"人均": "人", "生均": "生", "户均": "户", "校均": "校", "每人": "人", "每名": "人", "每位": "人",
                  "每生": "生", "每名学生": "生", "每个学生": "生", "每学生": "生", "每户": "户", "每所学校": "校",
                  "每所": "校", "每校": "校", "每园": "园", "每班": "班", "每个班": "班", "每名教师": "教师",
                  "每位教师": "教师", "每家": "家", "每项": "项", "每个项目": "项目"}
# ... the period it recurs over (`每生每年` -> `生·年`; a period alone is per head only for an
# amount written without 万/亿: `每年安排500万元` is a yearly total) ...
PER_HEAD_PERIODS = {"每年": "年", "每月": "月", "每学年": "学年", "每学期": "学期", "每季度": "季度",
                    "每天": "天", "每日": "天", "每周": "周"}
# ... or a standard being set (`最低标准提高25元`, not `标准化`), which names no head.
PER_HEAD_STANDARD = "标准"

# --- deadlines -----------------------------------------------------------------------------
# A month as plans write it (`6月`, `十二月`): a fragment of the deadline and date patterns.
MONTH = r"(?:\d{1,2}[ \t]?|[一二三四五六七八九十]{1,3})月"  # `6 月` as Word spaces digits
# The period a change is measured against (`比上年`, `较2024年`, `比上学期`): a pattern.
PREVIOUS_PERIOD = r"(?:20\d\d年|上年度|上学年|上学期|上年|去年)"
DEADLINE_WORDS = ("年内", "年底前", "年底", "年末", "年底之前", "贯穿全年", "全年内", "上半年", "下半年",
                  "春季学期", "秋季学期", "寒假", "暑假", "暑期", "春季开学", "秋季开学", "开学",
                  # the school calendar: a time limit with 前 (`国庆节前完成…`, `期中考试前组织…`)
                  "国庆节", "元旦", "春节", "期中考试", "期末考试", "学期结束", "学期末")

# --- verbs that place a quantity ----------------------------------------------------------------
# Completion: after a time limit they make it a deadline (`…5个,计划年内全部竣工`), and after a count
# a plan (`2所幼儿园于11月底前完工`).
COMPLETION_VERBS = ("竣工", "完工", "完成", "建成", "投用", "投入使用", "交付使用", "到位", "到岗", "交付", "结业")
# What a completion verb may take and still close the building it bounds (`年底前完成竣工验收`,
# `8月底前竣工交付`); any other object is a task of its own (`年底前完成全区督导评估`).
COMPLETION_OBJECTS = ("竣工验收", "验收", "交付", "主体工程", "主体建设", "建设", "招标", "招聘")
# What was won or granted (`共有15名教师获奖`, `全县有5所学校被评为…`): after a count of what exists,
# the count is of those who achieved it, a result.
ACHIEVEMENT_VERBS = ("获奖", "被评为", "获评", "荣获", "入选", "立项", "被认定为", "获批")
# Progress reported on a scope: `七项工程已完成投资4900万元` (the seven is the scope, a target).
PROGRESS_VERBS = ("完成", "建成", "开工", "竣工", "投入", "完工")
# Holding or reaching a level: a date between a metric and one of these (`达标率年内达到95%`) ends
# the metric.
LEVEL_VERBS = ("达到", "达", "控制在", "保持在", "稳定在", "维持在", "提高到", "提升到", "提高至", "提升至",
               "降至", "降到", "不低于", "不少于", "不高于", "超过")
# Building or adding: before a number inside a quotation they make it a goal
# (`指标就是“全市新建幼儿园80所”`), not a name.
GOAL_VERBS = ("新建", "新增", "增加", "建成", "改扩建", "扩建", "新(扩)建", "建设", "创建", "完成", "招聘",
              "培训", "实现", "达到", "提高")

# --- exclusions ------------------------------------------------------------------------------
# Characters that turn a following numeral into an ordinal or label.
# `前10名` is a rank, not a count.
ORDINAL_PREFIXES = ("第", "序号", "初", "届", "前", "No.", "NO.", "#", "排名后", "名次后", "倒数", "一式")  # 一式两份: copies of a form
# Right before a count, these make it a promise about none (`不让一名学生因贫失学`).
NEGATION_BEFORE = ("不让", "不使", "不落下", "不漏掉", "无一")
# After `一`+measure word, these make it a description (`一项重要内容`, `一个好心态`).
# `一个都不能少`, `上一个新台阶` likewise.
CN_ONE_DESCRIPTIVE_AFTER = ("重要", "主要", "基本", "关键", "好", "新的", "全新", "都", "也", "不",
                            "新台阶", "新水平", "新高度", "新阶段", "新局面", "新境界")
# Right before `一`+measure word, a copula makes it a description (`我国是一个发展中大国`,
# `建设成为一所现代化学校`), not a count.
COPULA_BEFORE_ONE = ("是", "为", "成为", "作为")
# A web page's links to the neighbouring articles (`[上一篇]`, `下一条`): no count of anything.
PAGE_NAVIGATION = ("上一篇", "下一篇", "上一条", "下一条", "上一页", "下一页")
# Characters glued before `一` that make it part of a word (统一, 唯一, 之一, 进一步 …).
CN_ONE_WORD_PREFIXES = set("统唯之同划单专逐如归万合均择择其另某任每")
# After the measure word: the count is part of a name or rule (`八项规定`, `十项准则`).
# After 期, the phase of a project or a programme is its name (`一期工程`, `四期行动计划`), no count.
PHASE_NAMES_AFTER = ("工程", "项目", "行动", "建设", "改造", "扩建", "校区")
NAME_SUFFIXES_AFTER_UNIT = ("一体", "全会", "气", "制", "代表大会", "规定", "准则", "禁令", "纪律", "原则", "要求", "精神", "讲话", "方针",
                            "性", "会议", "数", "方针", "经", "诀", "一贯制")  # 五次会议 (a session's name), 两位数增长, 三字经
# Before the number, makes the whole quantity a condition, not a commitment (`40周岁以下`).
# Ages and spans carry their own units (岁, 周岁, 年, 小时) that are not measure words at all.

# After a count of people with 以上/以下, these nouns show the count is a condition on them
# (`5人以上随班就读的学校`, `56人以上的大班额`), not people to reach.
CONDITION_HEADS = ("学校", "幼儿园", "班级", "大班额", "班额", "家庭", "单位")
# After `两个“…”`, `一次“…”`: nouns (up to three characters after the quotation) showing the
# quotation names what is counted (`建设三个“智慧课堂”示范点`, `举行一场“红五月”歌咏比赛`), not a slogan.
COUNTED_AFTER_QUOTE = ("示范点", "示范校", "示范区", "示范基地", "基地", "活动", "项目", "品牌", "称号", "团队", "工作室",
                       "课程", "案例", "学校", "站点", "中心", "场馆", "赛事", "论坛", "评比", "比赛", "竞赛", "评选",
                       "讲座", "座谈会", "研讨会", "展演", "展示", "演讲", "征文", "班会", "交流会", "培训", "讲堂",
                       "检查", "演练", "开放日", "宣传周", "宣传月")
# After a count of a condition (`超过1000人的学校`, `低于60分的，不得…`): the nouns a rule holds for,
# and the words of the rule that follows the case it names.
CONDITION_NOUNS = ("学校", "项目", "单位", "班级", "企业", "幼儿园", "地区", "乡镇", "家庭", "学生", "教师", "班", "考生",
                   "岗位", "人员", "申报人", "作品", "新生", "个人", "团队", "中学", "小学", "课题", "教学点")
CONDITION_CONSEQUENCES = ("不", "取消", "扣", "加", "得", "视为", "按", "须", "可", "予以", "给予")
# Before a count, these make it the step of a scoring rule (`每少1节扣0.2分`, `发现一次扣5分`).
SCORING_STEPS = ("每少", "每多", "每低", "每高", "每超", "每超过", "每降低", "每减少", "每增加", "每下降", "每发现",
                 "每缺", "每差", "发现")
# How a score is read, not a goal: grades after it (`90分以上为优秀`), its scale before it (`满分为150分`).
GRADE_WORDS = ("优秀", "良好", "合格", "不合格", "及格", "不及格", "一等", "二等", "三等", "四等")
SCORE_SCALE_WORDS = ("满分", "分数线", "合格线", "及格线", "总分")
# After a count, a web page's counter (`已有 1234 人阅读`).
PAGE_COUNTER_WORDS = ("阅读", "浏览", "点击", "访问", "次阅读", "次浏览", "位访客")
# `每学年办理二次`: Taiwan writes 二 where the mainland writes 两, after these verbs and before these units.
HOLDING_VERBS = ("办理", "举办", "开展", "组织", "召开", "进行", "举行", "实施")
EVENT_UNITS = ("次", "场", "场次", "梯次", "期")
# Fixed expressions built on a numeral: `两节` (元旦、春节) before these words is the holiday pair.
FIXED_NUMERAL_EXPRESSIONS = {"两节": ("期间", "送温暖", "慰问", "走访", "前后")}

# After `N个`, these make it a span of time (`为期三个月`), not a count.
DURATION_AFTER_GE = ("月", "星期", "工作日", "小时", "学期", "学年", "年度")

# Right before a number these make it vague: `数十所`, `几个`.
VAGUE_BEFORE = ("数", "几")

# After a Chinese `N个`, these make it a political formula (`两个维护`, `四个意识`), not a count.
FORMULA_AFTER_CN_COUNT = ("维护", "确立", "意识", "自信", "务必", "毫不动摇", "一百年", "代表", "全面",
                          "只增不减", "至上", "优先", "面向", "服从", "结合", "必须",
                          "大局", "积极性", "中国", "市场", "有机整体")  # 两个大局, 一个中国原则

# Vague quantity words (not numbers at all: listed for documentation and for the corpus).
VAGUE_WORDS = ("一批", "若干", "多项", "部分", "一些", "一系列")

# Sentence and clause boundaries on the normalised text.
SENTENCE_ENDS = "。;!?\n"
CLAUSE_ENDS = "。;!?\n,:，、"

# --- structure --------------------------------------------------------------------------------
# Every title keyword holds 工作, every task-list keyword 分解 or 清单 (structure.py uses that as a
# quick test).
TITLE_KEYWORDS = ("工作要点", "工作计划", "工作计画", "工作安排", "工作思路", "重点工作", "工作意见", "工作任务", "工作打算",
                  "工作的总结", "工作的报告",
                  "工作安排意见", "工作的安排意见",
                  "工作总结", "工作报告")  # reports are documents too: their results need an issuer and year
# Task lists, often an attachment; a line ending in one is a title only with a year in it (a bare
# `细化任务分解` is a heading in a plan's body).
TASK_LIST_KEYWORDS = ("任务清单", "任务分解", "任务分解表", "责任分解表", "责任清单", "项目清单", "任务分工表", "分工表",
                      "工作台账", "任务台账", "目标任务表", "工作清单", "分工方案")
# Plans and reports of other names; a line ending in one is a title only with a year in it or a
# place opening it (`西河县学前教育普及普惠提升行动实施方案`; a bare `实施三年行动计划` is a line of a
# plan's body).
NAMED_PLAN_KEYWORDS = ("实施方案", "工作方案", "行动计划", "行动方案", "情况的报告", "情况报告", "情况的通报",
                       "情况的公示", "进展情况", "工作安排的报告", "情况汇报", "推进情况表", "完成情况表",
                       # livelihood projects, responsibility letters and assessment rules
                       "民生实事项目", "为民办实事项目", "民生实事", "目标责任书", "责任书", "考核细则", "考核办法",
                       # the plans of Hong Kong, Macau and Taiwan (計畫 reads 计画), and a school's year plan
                       "施政报告", "施政计画", "施政计划", "施政方针", "财政预算案", "周年计划", "学期计划",
                       "招聘公告", "公告", "发展规划", "进展情况表", "情况表")
# A notice (`河南省教育厅关于开展2024年…评选表彰工作的通知`, `关于印发《…工作要点》的通知`) is a
# document's title where it names a year or a place; its issuer stands before 关于 or in the 《》.
NOTICE_ENDS = ("的通知", "的意见", "的通报", "的报告", "的公告", "的批复")
# A title line holds one of these (every keyword above does): a quick test before the pattern.
TITLE_PRETEST_WORDS = ("工作", "分解", "清单", "方案", "计划", "报告", "通报", "公示", "情况", "实事", "责任",
                       "细则", "办法", "施政", "预算", "计画", "公告", "的通知", "的意见", "的批复", "规划", "分工",
                       "台账", "任务表")
ISSUER_SUFFIXES = ("局", "委", "厅", "府", "会", "部", "室", "中心", "办", "处", "院", "所", "校", "工委",
                   "中学", "小学", "大学", "幼儿园", "科", "股")
RESPONSIBILITY_LABELS = {
    "责任领导": "leader", "分管领导": "leader", "牵头领导": "leader", "责任人": "leader", "负责人": "leader",
    "责任单位": "unit", "牵头单位": "unit", "配合单位": "unit", "协办单位": "unit", "参与单位": "unit",
    "责任处室": "unit", "责任科室": "unit", "牵头科室": "unit", "配合科室": "unit", "责任部门": "unit",
    "牵头部门": "unit", "配合部门": "unit", "牵头处室": "unit", "配合处室": "unit", "责任股室": "unit",
    "牵头股室": "unit", "配合股室": "unit", "牵头": "unit", "配合": "unit", "责任股": "unit",
    # written beside them (`（牵头单位：县教育局；完成时限：2025年8月底前）`): the item's time limit
    "完成时限": "deadline", "完成时间": "deadline", "时间节点": "deadline", "时限要求": "deadline",
    "完成期限": "deadline", "时限": "deadline",
}
# Government departments by the short names a responsibility column writes (`教育局`, `人社局`),
# a place before them optional (`区教育局`). A table whose cells run together (`何海平教育局经开区…`)
# is parted by them: the leader's name ends where a department begins.
DEPARTMENTS = (
    "教育局", "教体局", "教育体育局", "教育和体育局", "人社局", "人力资源和社会保障局", "民政局", "住建局", "住房和城乡建设局",
    "财政局", "发改委", "发改局", "发展和改革委员会", "卫健委", "卫健局", "卫生健康委", "公安局", "自然资源局",
    "自然资源和规划局", "资规局", "生态环境局", "交通运输局", "交通局", "农业农村局", "农业局", "水利局", "水务局",
    "城管局", "综合执法局", "市场监管局", "市场监督管理局", "应急管理局", "应急局", "科技局", "工信局", "经信局",
    "商务局", "公安分局", "文旅局", "文广旅局", "文体旅局", "文化和旅游局", "文广新局", "体育局", "司法局", "审计局", "统计局",
    "医保局", "退役军人事务局", "人防办", "机关事务管理局", "行政审批局", "数据局", "大数据局", "税务局", "信访局",
    "编办", "委编办", "编委办", "组织部", "委组织部", "宣传部", "委宣传部", "统战部", "政法委", "团委", "妇联", "残联", "总工会", "科协", "关工委", "教育工委",
    "规划局", "国土局", "林业局", "园林局", "城投公司", "供电公司", "融媒体中心", "管委会", "消防救援大队",
)
# How the name of a unit ends where no department is known (`经开区`, `五星街道`, `市国有公司`,
# `高新园(邹区镇)`).
UNIT_NAME_SUFFIXES = ("街道", "公司", "集团", "中心", "管委会", "人民政府", "政府", "县市区", "区县", "县区", "市县", "局", "委", "办", "院", "镇", "乡", "区", "园",
                      "校", "会", "站", "馆", "队", "部", "厅", "科", "股", "处", "室")
# Nouns and verbs of money that make an amount written without 元 one in yuan (`总投资3000万`,
# `投入资金3个亿`, `争取上级资金5亿以上`), as news writes it.
MONEY_NOUNS = ("投资", "资金", "经费", "投入", "拨付", "拨款", "预算", "补助", "补贴", "奖补", "奖励", "金额",
               "筹措", "筹集", "支出", "造价", "费用", "资助", "融资")
# Words that put a report in someone's mouth before its sentence's own opening
# (`据介绍，2024年…`, `会议通报，2025年…`): what follows opens the sentence as if they were not there.
REPORTED_BY_AFTER_JU = ("介绍", "了解", "悉")  # after 据
REPORTING_VERBS = ("介绍", "表示", "指出", "通报", "获悉", "了解到", "透露")
