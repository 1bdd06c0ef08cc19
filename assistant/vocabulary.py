"""Words that signal a role, a grade, a kind of question. Data, not logic.

The grade→role mapping itself is in the corpus (from the seed's note); the job
words below are our reading of the seed's role descriptions and are listed here
so trainers can see and change them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

# Job titles, roles and occupations are data a trainer edits: assistant/data/titles.toml.
_TITLES = tomllib.loads((Path(__file__).resolve().parent / "data" / "titles.toml").read_text(encoding="utf-8"))
GRADE_WORDS: dict[str, list[str]] = _TITLES["grades"]
ROLE_WORDS: dict[str, list[str]] = _TITLES["roles"]
REPLY_ROLE_WORDS: dict[str, list[str]] = _TITLES.get("replies", {})
OCCUPATION_WORDS: list[str] = _TITLES["occupations"]["words"]
# An occupation this close to the start of a message is the user's own (「衛生所護理師想學AI」).
OCCUPATION_LEAD: int = _TITLES["occupations"]["lead_chars"]
# Any title, role or occupation word: a message made only of one is a self-description.
TITLE_WORDS: list[str] = [w for words in [*GRADE_WORDS.values(), *ROLE_WORDS.values(), OCCUPATION_WORDS] for w in words if len(w) >= 2 and w not in ("有規劃", "能應用", "會開發")]

# Within 中階: words that lean one way.
MID_PLANNER = ["主管", "督導", "管理", "帶領", "決策", "規劃", "政策", "制度", "策略", "治理", "manager"]
MID_APPLIER = ["承辦", "執行", "業務", "同仁", "非主管", "科員", "專員", "辦事員", "工具", "操作", "行政工作", "行政作業", "日常業務"]

SUPERVISOR_WORDS = ["主管", "長官"]

STAGE_WORDS = {
    "入門": ["入門", "初階", "第一階段", "第1階段", "第一個階段", "第1個階段", "beginner", "intro"],
    "進階": ["進階", "第二階段", "第2階段", "第二個階段", "第2個階段", "advanced"],
    "實作": ["實作", "實務演練", "第三階段", "第3階段", "第三個階段", "第3個階段", "practice"],
}

DOMAIN_WORDS = [
    "課", "學", "訓練", "研習", "進修", "時數", "小時", "模組", "角色", "職等", "路徑", "大綱", "教學", "ai", "人工智慧",
    "生成式", "chatgpt", "資料", "數據", "模型", "演算法", "課綱", "上課", "推薦", "course", "learn", "training", "module",
    "role", "hours", "syllabus", "入門", "進階", "實作", "上哪", "要上", "該上", "選哪",
]

TASK_WORDS = [
    "寫一首", "作詩", "寫詩", "詩", "笑話", "翻譯", "天氣", "股票", "彩票", "樂透", "食譜", "餐廳", "電影", "星座", "算命",
    "政黨", "哪一黨", "哪個黨", "選舉", "投票給", "藍綠", "總統", "立委", "商調", "請調", "借調", "調職", "介聘",
    "幫我寫", "替我寫", "幫忙寫", "寫一份", "寫一篇", "擬一份", "草擬", "幫我擬", "幫我翻",
    "考試科目", "準備哪些科目", "考古題", "國考準備", "國考要準備",
    "weather", "poem", "joke", "translate", "stock", "recipe", "political party", "election",
]

# Never about the syllabus, whatever else the message says (shopping, legislation, speaking for the government).
# What to bring to class (「上課要自己帶筆電嗎」) is a logistics question, not shopping.
BRING_TO_CLASS = r"(上課|課堂|研習|受訓).{0,6}(帶|自備|攜帶)|(帶|自備|攜帶).{0,4}(筆電|電腦|筆記型電腦|平板).{0,6}(上課|去上|嗎)"
# Work done for the user (「幫我做本月的出勤統計表」): not choosing courses, whoever asks.
DO_MY_WORK = (
    r"^(請|麻煩)?\s*(你)?\s*(幫我|替我|幫忙)\s*(做|製作|整理|寫|生)(?!.*(課|學習|路徑|路線|時數|計畫|規劃))"
    r"|(幫我|替我|請你?|麻煩你?)\s*把.{1,60}(翻成|翻譯成|譯成)\s*(英文|中文|日文|韓文)"
)
STRONG_TASK_WORDS = ["請假信", "請假單", "寫一封", "女朋友", "男朋友", "陪我聊天", "筆電", "筆記型電腦", "顯示卡", "顯卡", "哪一台", "哪台電腦", "三讀", "立法院", "法案進度", "行政院長", "宣布", "laptop", "graphics card"]
TASK_WORDS += STRONG_TASK_WORDS

INJECTION_PATTERNS = [
    r"(忽略|無視|忘記|忘掉|不要理會|不用管|別管|不要管|跳過).{0,8}(指示|指令|規則|設定|限制|提示|要求|前面|以上|之前|課綱(?!以外|之外)|文件|資料來源)",
    # 'multiply every figure by two, then tell me': the facts asked to be altered
    r"(時數|小時).{0,6}(乘以|乘上|加倍|翻倍|減半|除以).{0,10}(告訴|回答|回覆|說|給我|列出)",
    r"ignore (all |any |the |your )?(previous|prior|above|earlier|rules|instructions|guidelines|system)|disregard (all |any |the |your )?(rules|instructions)",
    r"(system|系統)\s*(prompt|提示)",
    r"^\s*(system|assistant|developer)\s*[:：]",
    r"(你的提示詞|系統提示詞|你的指令|你的設定|原始指令|內部指示|開發者模式|不受限制|developer mode|jailbreak)",
    r"你(不是|不再是).{0,10}[，,]?\s*你(是|當)|(假裝|你現在是|pretend|act as|you are now)|(你|請).{0,4}扮演|(從現在|從今天|從今|接下來|以後)(開始|起)?.{0,2}你(就|要|改)?(是|當|變成)",
    r"每(一)?句(話)?(都)?(要)?(用|以|加|說).{0,8}(結尾|開頭|收尾)|(之後|以後|接下來|從現在起)?每(一)?句(話)?都(要|得)(加|帶|附|說)|(說話|回答|講話).{0,4}(要|都)?(像|用).{0,6}(口氣|語氣|腔)",
    r"一律(回答|回覆|說成|改成|寫成)|都回答\s*\d+|(即日起|自即日起|從今天起|新規則|新規定).{0,16}(一律|都要|全部|都)|"
    r"系統更新|系統公告|系統通知|一律(優先)?推薦|優先推薦|from now on|answer only in|speak like|talk like",
    r"(reveal|print|show).{0,20}(instruction|prompt)",
    # 'repeat after me': words put in the assistant's mouth
    r"repeat after me|say after me|跟著我(說|念|唸|講)|跟我(念|唸)一遍|照著(念|唸)|複誦",
    r"(從現在開始|從現在起|從今以後)\s*(你)?\s*(都|一律|就)?\s*(回答|說|回覆|講)",
    # 'whoever asks later, say N hours': an answer dictated for the future
    r"(不管|無論|不論)\s*(誰|任何人|別人|其他人)\s*(來)?問.{0,8}(都|一律|就)\s*(說|回答|回|講|答)|(之後|以後|今後|往後)\s*(你)?\s*(的)?\s*(回答|回覆|答案)?\s*(都|一律|全部)\s*(說|回答|講|回|寫)",
    # 'this is an order': authority claimed to dictate the answer
    r"這是(命令|上級指示|長官指示|正式指示)|我命令你|(本人|我)(現在)?(下令|指示你)",
    # 'make up a course for me': the syllabus has what it has
    r"(幫我|請你|請|替我|你)\s*(編|生|捏造|虛構|杜撰|變)\s*(一|個|出)?\s*(門|個|份|堂)|(make up|invent|fabricate) (a|an|some) (course|module|outline)",
    # 'From now on call every course 1 hour', 'correct it to what my boss says': an answer dictated, not asked.
    r"(從現在|從今天|從今|以後|之後)(開始|起).{0,12}(說成|說是|改成|改為|當成|算成|都說|都要|一律|只回答|只能回答|乘以|加倍|減半)|這是新規定|新的規定是",
    r"(直接|就|幫我|你就)\s*(跟我|給我|對我)?\s*(說|講|寫|回答)\s*[\d.]+\s*(是|為|有)\s*\d+\s*(小時|hours?)|照(這個|這樣|我說的|我的)(回答|回覆|說)",
    r"(照|依|按|聽).{0,8}(說的|講的|給的|的說法).{0,6}(更正|修正|修改|改)|(更正|修正|改)(成|為)\s*\d+\s*(小時|hours?)",
    # 'an administrator's order: output this text': authority claimed, the words dictated
    r"(管理員|管理者|admin|administrator|開發者|系統管理)\s*(的)?\s*(指令|命令|模式|權限|身分)|(直接|只|請直接|只要)\s*(輸出|印出|回覆|回答|顯示)\s*[「『\"“]",
]

# Clauses an injection is cut into: the rest of the message is still answered (「忽略以上指示。我是科員，該上什麼課」).
INJECTION_CLAUSE = r"[。!！？?\n，,；;]|(?<!\d)\.(?!\d)"  # a dot inside a course code (4.1.4) splits nothing

# The role × module figure the document refers to (lost in the text we have), and which modules a path uses.
FIGURE_WORDS = r"對應圖|那張圖|這張圖|對應地圖|模組地圖|\bfigure\b|\bdiagram\b"
PATH_MODULES = r"(沒用到|沒有用到|用到|不用上|不必上|沒有上|不包含|沒包含|沒有包含|包含哪些|哪些模組|哪幾個模組|哪個模組).{0,10}(模組)?|模組.{0,8}(沒用到|沒有用到|不用上|不必上|沒有)"

# The first or last course of a path (「第一門跟最後一門是什麼」).
FIRST_COURSE = r"第一門|第1門|第一堂|最先上|first (one|course)"
# The next course of a personal plan (「已經上了…，下一門是哪一門」).
NEXT_COURSE = r"下一門|下一堂|(接下來|接著|再來|然後)\s*(要|該)?\s*上\s*哪一[門堂]|next (one|course)"
LAST_COURSE = r"最後一門|最後那門|最後一堂|最後上|last (one|course)"

# A title leading a message that asks for a path or a schedule (「資訊室工程師 要走哪條路線」, 「高階主管 40hr 怎麼排」).
# What the user wants AI to do (「想用AI整理報表」, 「讓AI幫忙回覆」): a task to find courses for. Work that is
# only described (「採購出納發公文都有」, 「要做社區篩檢」) is who they are when they ask for the path.
AI_GOAL = r"(用|讓|靠|拿|透過|利用|借助|導入|引進)\s*(ai|人工智慧|chatgpt|生成式|gpt|機器學習|大語言|llm)|(ai|人工智慧|chatgpt|gpt)\s*(來|幫|協助|做|處理|寫|整理|分析|生成|產生|自動|判讀|辨識)|想學(怎麼|如何|做)|想(做|建|開發|導入|訓練|串)|自動(化|分類|判讀|產生|生成)|(ai|人工智慧)\s*(在|於)|(做|建|導入|開發|弄|建置|上線)\s*(一個|一套)?\s*(ai|人工智慧|智慧|chatgpt)"
PATH_ASKED = r"(課|課程|學習)\S{0,3}(怎麼|如何|要怎麼|該怎麼)規劃|怎麼選|如何選|路線|路徑|走哪條|走哪一條|怎麼排|幫我排|安排|要上|該上|上什麼|上哪|學什麼|學哪|修哪|修什麼|要修|該修|怎麼修|如何修|\d+\s*(hr|h|小時)|\bpath\b|which course|what should i|what courses"

# Words asking to schedule: hours said with them and a role are the plan's budget.
SCHEDULE_WORDS = r"安排|怎麼排|幫我排|排一下|排課|排什麼|可以排|規劃一下|schedule|plan"

# Courses the paths share (「三條路徑都有的課」), and whether a course is on a path.
COMMON_WORDS = r"共同|都有|共通|重疊|交集|都會上|都要上|in common|shared"
MEMBERSHIP = r"(怎麼|為什麼|為何|怎)\s*(沒有|沒排|不排|沒列|不列)|是不是有|是否有|(是|排)在\s*(入門|進階|實作)|哪(個|一)?階段|什麼階段|第幾階段|有沒有|有.{0,12}嗎|包含|包括|在不在|是否在|裡面有|路徑裡|路徑中|路徑上|(是|要|會|需要|得|也會)\s*上(到)?.{0,10}(嗎|吗)|會上到|上得到"

# A bare request for the path (「路徑?」, 「給我課表」, 「學習路徑給我」): after the user said who they are, theirs.
BARE_PATH_REQUEST = r"^(那|那麼|好|好的|ok)?\s*[，,]?\s*(請|麻煩)?(你)?(給我|幫我|我要|我的|推薦的?|建議的?|列出|看|看一下)?\s*(一下)?\s*(我的|建議的?)?\s*(學習)?(路徑|路線|課表|課程表|課程規劃|學習計畫)\s*(給我|呢|是什麼|是啥|咧|勒|吧|好了|列出來|看看)?\s*[?？!！。~～]*$|^(那)?(路徑|路線)呢[?？]*$|^(then )?(my )?(path|learning path)\??$"

# Asking for a plan with nothing said about oneself: whose path is asked (「幫我排課」).
PLAN_REQUEST = r"^(請|麻煩)?(你)?(幫我|幫忙|替我|給我)?\s*(排一下\s*(ai)?\s*(課程|課表|課)|排個?\s*(ai)?\s*(課表|課程表)|排課|排一下課|排個課|排課程|規劃課程|安排課程|排一下學習路徑|排學習路徑|規劃學習路徑|規劃一下學習路徑|排個學習計畫|做學習計畫)"

# After an injection, what is left is answered only if it asks something and dictates nothing.
QUESTION_MARKS = r"[?？]|嗎|呢|多少|幾|什麼|甚麼|哪|如何|怎麼|有沒有|是否|能否|可否|\b(what|which|how|is there|are there|should|can)\b"
DICTATED = r"都要回答|都得回答|一定要回答|沒有任何限制|不受任何限制|說成|說它|說是|改成|改為|寫成|新增|加上|刪除|只回答|只回|answer only|say (that|it)|tell (me|them) that|\d+\s*(小時|hours?)\s*$"

COMPARE_WORDS = ["差在哪", "差別", "差異", "不同", "比較", "哪個好", "哪一門好", "vs", "還是", "difference", "compare"]
TOTAL_WORDS = ["總共", "合計", "加起來", "加總", "一共", "總時數", "總計", "全部上完", "全部要", "total", "in total", "altogether", "sum"]
DETAIL_FOCUS = {
    "outline": ["教什麼", "大綱", "內容", "上什麼", "學什麼", "outline", "content"],
    "hours": ["幾小時", "多少小時", "時數", "多久", "how many hours", "how long"],
    "methods": ["教學方法", "教法", "怎麼上", "上課方式", "教學方式", "上課形式", "怎麼教", "聽講", "方法", "method"],
    "goals": ["目標", "學到", "goal"],
}
LIST_MODULE_WORDS = ["有哪些模組", "八大模組", "幾個模組", "模組有哪些", "所有模組", "課程模組", "哪些模組", "modules"]
LIST_ROLE_WORDS = ["有哪些角色", "三種角色", "角色有哪些", "什麼角色", "哪些角色", "幾種角色", "roles"]
LIST_METHOD_WORDS = ["教學方法有哪些", "有哪些教學方法", "哪些教學方法", "教學方式有哪些", "teaching methods"]
GREETING_WORDS = ["你好", "您好", "哈囉", "嗨", "hello", "hi", "你是誰", "你會什麼", "你能做什麼", "怎麼用", "使用說明", "help"]

# Teaching-method families: a question word → every method containing it.
METHOD_FAMILIES = ["專題演講", "專題實作", "個案研究", "小組討論", "分組討論", "案例分析", "案例討論", "實作練習", "實作教學", "示範教學", "講授法", "情境模擬", "實作", "案例", "討論", "講授", "演講", "示範", "工作坊", "PBL", "模擬", "演練", "角色扮演", "參訪", "互動", "研習", "練習"]
METHOD_HINTS = ["教學", "教法", "方法", "方式", "動手", "上課", "授課", "進行", "帶課"]

CHINESE_NUMBERS = {"零": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

SELF_MARKERS = [
    "我是", "我在", "我負責", "我擔任", "我當", "身為", "擔任", "我們是", "我的工作", "我做", "我目前", "我主要", "主要負責",
    "其實是", "我其實", "其實我", "升任", "剛升", "我升", "調任", "本人", "我只是", "我算是", "我就是", "平常", "每天", "我負責", "負責撰寫", "i am", "i'm", "as a", "my job",
    "i work", "i'm working", "we work",
]

# Words of a request for one's learning path, taken out before asking whether a self-description
# also names a task (「我是局長，想知道怎麼用ChatGPT輔助決策」 → 「用ChatGPT輔助決策」).
PATH_REQUEST_WORDS = [
    "學習路徑", "學習路線", "怎麼規劃", "如何規劃", "規劃一下", "學習規劃", "課程規劃", "本人", "任職於", "服務於", "哪幾門", "選修", "要修", "該修", "修哪", "主管", "長官", "路徑", "路線", "完整", "全部", "整條", "列出", "列", "同事說", "聽說", "怎麼選", "如何選", "比較好", "角色", "哪一種", "哪一條", "哪條", "怎麼排", "如何排", "排課", "適合我", "適合",
    "對我", "有什麼幫助", "幫助", "想知道", "知道", "請問", "請教", "課程", "該上", "要上", "應該", "哪些", "什麼", "甚麼", "啥",
    "也要", "要學", "想學", "哪一門", "哪門", "最對口", "對口", "對應", "這份課綱", "課綱裡", "課綱", "這套課", "有沒有", "有嗎", "可以上",
    "可以", "相關", "常常", "經常", "每天", "平常", "很忙", "工作", "業務", "ai", "學", "嗎", "呢", "我們", "我", "的", "是", "在",
    "想", "要", "該", "上", "課", "有", "裡",
    "which", "path", "course", "courses", "should", "take", "what", "learn",
]

ROLE_NAMES = ["有規劃", "能應用", "會開發"]
# A task the user wants to learn or do (「想用AI做報表」), as opposed to describing their daily work
# (「每天寫公文」, which asks for their path).
WANTS = r"要做(?!什麼|哪)|要建置|要推動|要開發|想(?!上|要上|走|參加|進修|學ai|學習ai|知道|請教|問)|希望|打算|怎麼(?!排|上|走|安排)|如何(?!排|上|走|安排)|需要|要導入|want|how to|how do|how can"
# AI words dropped before reading a course request (「有沒有AI的課」 asks as 「有沒有課」 does).
AI_WORDS = r"(生成式)?\s*(ai|人工智慧|人工智能)\s*(的|相關的?)?\s*"
# Asking whether a course teaches something (with a self-description, the subject is what is asked).
SEEKS_COURSE = r"有沒有(教|課|相關|對應)|哪[一]?門(課)?(合適|適合|可以參考|比較好|最好)|有什麼課|什麼課(適合|可以)|在哪(個|一)?模組(教|上)?|哪個模組(有|教|在教)|附錄二(有|裡有)?哪|有沒有(適合|推薦).{0,10}課|有教|有課|哪[一]?門課[?？]?$|哪[一]?門課(在講|有講|在教|有教|講|教)|課綱有沒有|課綱(裡|裡面|中|內)?(有嗎|有教嗎|有沒有)|(哪些|哪門|哪一門|什麼)課(可以|能|適合|有教|在教)|用什麼課|上什麼課可以|可以用的課|有.{0,6}的課嗎|課嗎|哪[一]?門.{0,4}(最|比較)|對口|對應的課|課綱裡有|這套課裡|(該|應該|要|可以|適合)(去)?(上|選|報|修)哪[一]?(門|堂)|is there (a|any) course|any course|有沒有.{1,24}的那種|有沒有.{1,12}的課|哪[一]?門課?(是)?(在)?(教|講)|有沒有(比較|更)?(偏|著重|側重|針對|專門講)|課程?有嗎|有(相關|適合|對應)的?課程?(嗎|可以|能)|(什麼|哪些|哪門)課程?(能|可以)?(幫上忙|幫得上|用得上|派上用場)|課程?(能|可以)幫(上|到)|有哪些課(程)?[?？]?$|(哪(幾|些|一)|有什麼).{0,6}(跟|和|與|關於).{1,12}(有關|相關)"
# What a module or role is (its description in the document), as opposed to its courses.
ABOUT_PATTERN = (
    r"對象|給什麼人|給哪些人|什麼人|哪些人|哪一類|哪類人|指的是|定義|哪個職系|什麼職系|intended for|meant for|who is|who are|"
    r"在講什麼|講什麼|講些什麼|在講啥|講啥|重點|定位|主要內容|內容是什麼|目的|宗旨|核心|內涵|是什麼意思|什麼意思|意思是|是指|代表什麼|"
    r"是要自己|要自己|要做什麼|要寫程式|寫程式嗎|會寫程式|"
    r"涵蓋哪些面向|哪些面向|涵蓋什麼|涵蓋哪些|要會什麼|需要會什麼|要具備|需具備|在幹嘛|幹嘛的|在做什麼|做什麼的|負責什麼|負責哪些|主要負責|職責|是什麼樣的|到底叫|叫什麼|怎麼寫|寫法|介紹一下|簡介|what is .* about|what does .* mean"
)
# Words that ask for courses: an "about" question with these is a course list after all.
COURSE_LIST_WORDS = ["哪些課", "有哪些", "什麼課", "哪幾門", "幾門", "列出", "列表", "課程有", "的課", "上什麼", "要上", "該上", "which courses", "list"]

# The whole curriculum, as opposed to the courses of the previous answer.
WHOLE_WORDS = ["整份課綱", "課綱上所有", "所有列出的", "列出的時數", "全部列出的", "不重複計算", "不重複計", "扣掉重複", "扣除重複", "整套", "整個課綱", "全部課程", "所有課程", "所有的課", "全部的課", "課綱列出的所有", "所有時數", "所有的時數", "全部時數", "全部的時數", "時數全部加", "課綱全部", "課綱總共", "課綱一共", "附錄二", "the whole curriculum", "all courses", "entire curriculum"]

# What a syllabus does not say: running the training. A question about these is answered
# "the curriculum does not say" with whom to ask, never with courses.
LOGISTICS_WORDS = [
    "報名", "開課", "開班", "梯次", "有沒有開這", "有開這些", "開這些課", "開這門課", "人力發展學院", "文官學院", "lifelong learning", "learning hours", "終身學習", "count toward", "credit hours", "上課地點", "地點在", "在哪上", "哪間教室", "哪一間教室", "哪個教室", "教室在哪", "在哪一間", "線上", "實體", "視訊", "遠距", "講師", "老師是誰", "師資",
    "費用", "收費", "自費", "免費", "學費", "要錢", "付費", "付錢", "收錢", "證書", "結業", "證明", "先修課", "先修條件", "先備知識", "前置課程", "prerequisite", "下載來看", "可以下載", "先下載", "講義下載", "教材下載", "指定教材", "教科書", "指定用書", "參考書目", "經費", "鐘點費", "講座費", "講師費", "學分", "終身學習時數", "認證時數", "名額", "考試", "及格", "前後測", "前測", "後測", "評量方式", "學習評量", "課後評量", "考核方式", "怎麼考核", "成績",
    "錄影", "回放", "公假", "便當", "午餐", "停車位", "停車場", "可以停車", "好停車", "截止", "必修", "強制", "一定要上幾", "規定每年", "每年一定要", "每年要上幾", "每年必須", "每年至少", "至少要上幾", "最低時數", "最少要上幾", "班次", "幾個班", "幾班", "每班", "班級", "人數", "幾個人", "多少人", "幾位學員", "register for", "registration for", "how to register", "registration deadline", "enroll", "sign up", "fee", "certificate",
    "instructor", "venue", "online", "in person", "schedule", "e-learning", "elearning", "platform", "mooc",
    "mandatory", "compulsory", "deadline", "required to take", "cost of", "the cost", "costs", "price", "how much does", "證照", "執照",
    "去哪裡", "去哪", "合格率", "通過率", "結訓率", "課程滿意度", "學員滿意度", "上課滿意度", "滿意度調查表", "評量學員", "有測驗", "測驗嗎", "要測驗", "隨堂測驗", "課後測驗", "去哪裡參訪", "去哪參訪", "哪裡參訪", "參訪地點",
    "哪裡下載", "哪下載", "去哪下載", "在哪報", "哪裡報", "去哪報",
    "帶筆電", "自備筆電", "自備電腦", "攜帶筆電", "帶電腦",
    "連續兩天", "連續三天", "幾天上完", "分幾天", "分幾次上", "一天上幾", "每天上幾", "週末上", "假日上", "晚上上課",
    "年底前", "期限", "幾年內上完", "時限", "開始實施", "何時實施", "什麼時候實施", "實施日期", "施行日期", "生效",
    "哪一年發布", "何時發布", "什麼時候發布", "發布日期", "發布時間", "出版日期", "哪年出的", "published",
    "誰寫的", "作者", "撰寫者", "哪個學者", "哪位學者", "誰編的", "編撰", "who wrote", "author",
]

# Someone's own learning records (「查同事王小明上過哪些課」): kept by agencies, not in the curriculum.
RECORDS_ASKED = r"(學習|修課|上課|完訓|受訓|研習|時數)\s*(紀錄|記錄|歷程)|查\S{0,10}(上過|修過|上了|修了|完成了?)\s*(哪|什麼|幾)|(同事|同仁|部屬|屬下|他|她)\S{0,6}(上過|修過)(了)?\s*(哪些|什麼|幾門)"

# 「線上」 naming the agency's own online service, not whether a class is online.
ONLINE_SERVICE = r"線上(詢問|申辦|服務|客服|問答|諮詢|回覆|申請|表單|陳情|系統|預約)"

# Personnel matters: about the courses (「上完AI課考績會比較好嗎」) the curriculum does not say;
# on their own (「考績甲等比例上限」) they are not about the curriculum at all.
HR_WORDS = ["考績", "升遷", "陞遷", "陞任", "加分", "敘獎", "升官", "加薪", "升等", "升職等", "晉級", "嘉獎", "performance review", "promotion"]
TRAINING_WORDS = ["課", "訓練", "研習", "學習", "進修", "上完", "course", "training"]

# "How many": a count over whatever the slots select.
COUNT_WORDS = ["幾門", "多少門", "幾堂", "多少堂", "幾個課", "how many courses", "number of courses"]

# "How long": with a module named, a question for its total hours.
HOURS_WORDS = ["幾小時", "幾個小時", "多少小時", "幾個鐘頭", "多久", "多少時間", "how many hours", "how long"]

# A personal plan (issue 13). Courses already taken: 「上過 1.1.1」, 「4.1.1 修過了」.
TAKEN_WORDS = [
    "上過", "修過", "也上了", "也修了", "有上了", "我有上", "已上", "已修", "已經上", "已經修", "已完成", "完成了", "讀過", "學過", "上完", "修完", "學完", "讀完", "修畢",
    "都上了", "上好了", "taken", "completed", "already took", "finished", "done with", "are done", "is done", "have done",
]
NOT_TAKEN = r"(沒|未|沒有|還沒|尚未|不曾|從沒)\s*(有)?\s*(上|修|讀|學|完成)"
# Taken said of someone else, or as a condition: 「4.1.1 上過的人還要上 4.1.4 嗎」, 「入門全部上完要多久」.
TAKEN_HYPOTHETICAL = r"(如果|假如|要是|若|假設)[^，,。]{0,6}(上完|修完|學完|讀完)(?!了)|(等於|等同|視同|才算|算是?)\s*(上過|修過|上完|修完)|(上完|修完|學完|讀完)\s*(到底|究竟|大概|一共)\s*(要|需要|得|是|幾|多少)|(上過|修過|上完|修完|學過|讀過)\s*[\d.、,，和跟與及\s]{0,24}的?(人(?!工)|同仁|學員|同事|者)|(上完|修完|學完|讀完)\s*(要|需要|得|大概|總共|一共|共|會是|是|幾|多少|需|花|的話)"
# A whole stage or module said as taken needs a word that it is done (「都修完了」, 「已上過」), so that
# 「入門上完的話」 stays a condition; any of these in the clause will do.
TAKEN_DONE = ["了", "已", "過", "都", "全", "done", "finished", "completed", "taken"]
# Modules left out: 「不要模組3」, 「跳過模組 5 和 6」, 「模組3先不上」, 「用AI的課不需要」.
EXCLUDE_BEFORE = ["用不到", "不打算上", "不會上", "先不開", "不開", "不要", "不上", "不想上", "不想要", "不用上", "不用", "不需要", "跳過", "略過", "除了", "排除", "扣掉", "去掉", "不含", "不包括", "拿掉", "除去", "先不排", "不排", "skip", "except", "without"]
EXCLUDE_AFTER = [
    "不要", "不上", "先不上", "先不要", "先不開", "不開", "不用", "跳過", "就免了", "免了", "除外", "不考慮", "不需要", "用不到", "不必", "略過",
    "暫時不上", "不打算上", "不想上", "不想要", "不想排", "不想學", "不打算", "先不排", "不排", "不用排", "不必排", "不需要排", "不用上了", "拿掉", "去掉", "扣掉", "排除", "沒興趣", "not needed", "don't need", "do not need",
    "no need", "skip",
]
# Single courses left out of a plan: words of not wanting them (「不用上」 and 「不必」 more often say a course is credited).
EXCLUDE_COURSE_WORDS = [
    "不想上", "不想要", "不想排", "不要上", "不要", "不上", "先不上", "先不開", "不開", "拿掉", "去掉", "扣掉", "跳過", "略過", "排除", "不排", "先不排",
    "免了", "沒興趣", "不考慮", "不打算上", "沒辦法去", "沒辦法上", "沒辦法參加", "無法參加", "不能去", "去不了", "上不了", "沒空上", "用不到",
    "skip", "drop", "without",
]
# Said right after a module or stage (a few words between): it is covered another way, so it is left
# out of the plan (not credited as taken): 「模組8我已經自學很熟了」, 「模組7那幾門我們機關自己有辦」,
# 「模組8那些工具操作的我請秘書去學就好」, 「入門跟進階我都會了」.
EXCLUDE_COVERED = [
    "會了", "學會了", "很熟", "熟了", "懂了", "自學過", "自學", "請秘書", "請同事", "請助理", "請別人", "叫秘書", "交給", "去學就好",
    "自己有辦", "自己辦", "自己會辦", "自己開", "自己有開", "有開過", "辦過了", "有辦過", "已經辦", "already know", "know it", "self-taught", "in-house",
]
# Taken said of the courses of the clause before: 「4.1.1、4.1.2、4.1.3，這三門我前年分開上完了」.
TAKEN_BACKREF = r"(這|那|上面|前面|上述)(\s*[一二兩三四五六七八九十\d]+|\s*幾)?\s*(門|堂|些)|以上|上述|它們|these|those|them|all of them"
# A budget said as such (so never a course-size filter): the year, the term, the word 預算…
BUDGET_STRONG = [
    "今年", "明年", "每年", "一年", "年度", "這一年", "這學期", "本學期", "下學期", "這半年", "上半年", "下半年", "預算", "總共只有",
    "總共只能", "加起來只有", "時數上限", "每個月", "每月", "budget", "per year", "this year", "this semester", "this term",
    "per month", "each month", "every month",
]
# Read as a budget only with a role or another plan slot (「最多 30 小時的課」 stays a filter).
BUDGET_WEAK = [
    "只有", "只剩", "只能上", "只能", "只排得出", "只擠得出", "排得出", "擠得出", "頂多", "最多", "不超過", "上限", "還可以上", "還能上",
    "還有", "還剩", "剩下", "剩", "擠出", "排出", "撥出", "at most", "up to", "only have", "i have", "can spend",
]
# With more than one year: a budget said for all the years together (「兩年內時數上限100小時」)…
BUDGET_TOTAL = ["上限", "總共", "加起來", "合計", "一共", "全部", "總時數", "年內", "年之內", "in total", "altogether", "total"]
# …unless its clause says it is a year's (「三年內，每年最多20小時」).
BUDGET_PER_YEAR = ["每年", "一年", "每一年", "今年", "明年", "年度", "per year", "a year", "each year", "every year", "this year"]
# A budget a month (「每個月頂多6小時」): times the months of the span said (「剩一年」, 「剩半年」), a year when none is.
BUDGET_PER_MONTH = ["每個月", "每月", "一個月", "月均", "per month", "a month", "each month", "every month", "monthly"]
MONTHS_IN_YEAR = 12
# After a personal plan: 「還剩多少小時」, 「剩下的呢」, 「接下來上什麼」 ask for what is left of it.
REMAINING_WORDS = [
    "還剩", "剩下", "剩多少", "剩哪", "剩幾", "接下來", "下一步", "之後要上", "然後要上", "再來要上", "還要上", "還需要上", "還差",
    "what's left", "what is left", "remaining", "what next", "what's next", "left to take",
]
# Which courses a consolidated course replaces (「4.2.4 取代哪幾門」), or which one replaces a course (「4.1.2 被哪門整併」).
REPLACES_ASKED = r"(還|再)\s*(需要|要|得|必須)?\s*(再)?\s*上\s*[\d.]+\s*(嗎|吗|[?？])|[\d.]+\s*(還|再)\s*(需要|要|得|必須)?\s*(再)?\s*上\s*(嗎|吗)|有什麼關係|什麼關係|(取代|整併|合併|等同|等於|替代|代替)了?\s*(哪|那幾|幾|什麼)|(?<!大綱)(?<!內容)(?<!目標)(涵蓋|包含|包括)了?\s*(哪幾門|哪些課|幾門|哪幾堂|哪|那幾|什麼課)|分段課|分段開|改成分段|拆開上|拆開開|拆成哪|拆開是|補(上)?(哪|幾)|要補|被\s*(哪|什麼).{0,4}(取代|整併|合併|涵蓋)|(取代|整併|合併)的是|(由|是)\s*(哪|那|幾)\S{0,4}(整併|合併)|(哪|幾)\S{0,3}(門|堂)\S{0,3}(整併|合併)(而成|成的|的)|which .{0,20}replace|replaces? which|consolidat"

# Courses no role's path lists (「哪幾門沒有被排進任何一條路徑」).
OFF_PATH = r"(沒有|沒|未|不)\s*(被)?\s*(排|列|放|安排|納|收)\s*(進|入|在|到)?.{0,8}(路徑|路線)|不在\s*(任何|任一|每)?.{0,8}(路徑|路線)(上|裡|中|內)?|(路徑|路線).{0,8}(都)?(沒有|沒)\s*(排|列|用|收)(到|進|入)|not (on|in) any (path|role)"

# The user says the previous answer is wrong (「你錯了，其實是12小時」, 「不對吧，應該是320才對」): it is
# checked against the syllabus again and said again, whatever figure the user offers.
PUSHBACK = r"你錯了|你說錯|你搞錯|你算錯|錯了吧|不對吧|不對喔|不對啦|^(不對|錯了|不是吧|亂講|騙人)|應該是.{0,12}才對|你再(確認|查|看|算)|再確認一次|再算一次|你確定|確定嗎|有沒有搞錯|are you sure|that'?s wrong|you'?re wrong|that is wrong"
# A teaching method named by the way it is asked for (「採用翻轉教學」, 「用個案教學法」): when no course's
# methods hold it, the answer says so and lists the methods the syllabus uses.
METHOD_NAMED = r"(?:採用|採取|使用|運用|用|以)\s*([\u4e00-\u9fff]{2,6}?)\s*(?:教學法|教學|授課|方式上課|的方式教)|([\u4e00-\u9fff]{2,4})教學法"

# A statement the user asks to have checked (「有規劃是給基層的，對吧」)
CHECK_ASKED = r"對吧|對嗎|對不對|是嗎|是不是|沒錯吧|正確嗎|嗎[?？]?$"
# A figure said to be checked (「入門階段是36小時對嗎」): the subject's real figure is the answer, not a filter by it.
CHECKING = r"(對嗎|對吧|是嗎|沒錯吧|沒錯嗎|對不對|是不是)\s*[?？]*\s*$|^(是不是|是否)|(是不是|是否為?)\s*(只有|就|共|總共)?\s*\d+\s*(小時|門)|\d+\s*(小時|門)\s*(吧|喔|嗎)\s*[?？]*\s*$|^(?!.*(哪|幾|什麼|多少|which|how)).*(是|有|共|總共|合計)\s*\d+\s*(小時|門)\s*[?？]+\s*$"
# The consolidated courses named as a group, with their hours or which they are asked (「那兩門整併課各幾小時」).
CONSOLIDATED_GROUP = r"(兩門|那兩門|這兩門|哪兩門|哪幾門|哪些)?\s*整併(的|版|後的)?\s*(那門|課程|課)\s*.{0,4}(各|分別|幾小時|多少小時|時數|哪|是哪)"

# Which role a grade or title maps to, asked about the grade rather than oneself (「中階主管對應哪個角色？」).
WHICH_ROLE = r"(對應|屬於|算|是|歸)\s*(的是)?\s*(哪|什麼)\s*(一)?\s*(個|種|類)?\s*角色|(選|屬)\s*哪\s*(一)?\s*(種|個|類)|which role"

# Two paths together, each course once (「有規劃跟會開發合起來不重複的課有幾門」).
UNION_WORDS = r"合起來|不重複算|不重複計算|重複的不算|都上.{0,8}不重複|聯集|加起來.{0,8}不重複|不重複的課|合併起來|一共有幾門不同|in total without duplicates|union"
# How many people take a path (「全機關50個人都上這條，總共幾人時」): hours times people.
HEADCOUNT = r"(\d{1,5}|[一二兩三四五六七八九十百]{1,4})\s*(個|位|名)?\s*(人|同仁|員工|學員|主管|科員|同事|people|staff)(?!工|員|事|文|力)"
PERSON_HOURS = r"人時|人次時數|總共|合計|一共|全部|加起來|total"
# The one course that matters most (the syllabus ranks none; the path's order starts with it).
MOST_IMPORTANT = r"最重要|最優先|第一優先|最該先上|最該上|只能上一門|只上一門|必上的?是?哪|most important"
# Which course of the path one need not take after what was taken (「哪一門我就不用上了」).
NOT_NEEDED = r"(哪|那)\s*(一|幾)?\s*(門|些|堂)\s*.{0,6}(不用|不必|免|可以不)\s*(再)?(上|修)|不用再?上(哪|那)|which .{0,20}(skip|no longer)"

# Which modules are split into levels (基礎/進階), asked as such.
LEVELS_ASKED = r"(哪個|哪些|哪幾個|有沒有)\s*模組.{0,8}(分|有)\s*(基礎|進階|等級)|(基礎|初階)\s*[/／跟和與、]?\s*進階\s*之分|有沒有分\s*(基礎|等級)|分(成)?(基礎|初階)(跟|和|與)進階"

# After the user said who they are: their path asked for again, in other words (「所以我該走哪條路徑？」,
# 「那現在我的學習路徑是？」, 「那該怎麼排課？」, 「整條學習路徑幫我列出來」).
PATH_FOLLOW = r"路徑|路線|排課|怎麼排|幫我排|課表|學習計畫|(該|要|應該)(上|走)(哪|什麼)"
# The grade note itself asked for (「職等跟角色要怎麼對應」).
GRADE_NOTE_ASKED = r"職等.{0,8}角色.{0,8}(對應|對照|怎麼|原則|關係)|角色.{0,8}職等.{0,8}(對應|對照|關係)"

# Whom to tell or ask about the syllabus: its contact section.
# Arithmetic asked for (「12+7等於多少」): not a question about the syllabus (hours sums are asked with course words)
ARITHMETIC = r"^\s*\d+(\.\d+)?\s*[+\-*/×÷]\s*\d+(\.\d+)?\s*(等於|=|是)?\s*(多少|幾)?\s*[?？]?\s*$"
CONTACT_ASKED = r"(誰|哪個機關|哪個部會|哪個單位|哪個部|哪一個部會)\s*(出|發布|訂|制定|編|做)的|(部|署|委員會)\s*(出|發布|訂|制定|編)的|(提供|有沒有|哪個|是誰|什麼|找)[^，,。我]{0,10}窗口|窗口\s*(是|在哪|是誰|為何|呢)|找誰|問誰|聯絡誰|跟誰反映|向誰反映|找哪個單位|要寄給誰|寄到哪|聯絡方式|聯絡信箱|聯繫信箱|聯絡email|聯絡e-mail|聯絡電話|窗口.{0,4}電話|thliu|contact"
# What to add to finish a consolidated course after some of its parts (「安全這塊我還要補什麼」).
# A path's figure asked, not its courses (「有規劃路徑合計幾小時」, 「進階階段的時數是多少」, 「總共200小時，對嗎」)
PATH_FIGURE = r"幾\s*個?\s*小時|多少\s*(個)?\s*小時|時數\s*(是|有|共)?\s*(多少|幾)|(總共|合計|一共|加起來|總計|共)\s*(要|需要|是|有)?\s*(幾|多少)|總時數|(多少|幾個?)\s*時數|還?剩\s*(下)?\s*(幾|多少)|幾\s*門|多少\s*門|how many hours"
# A figure said to be checked (「總共200小時，對嗎」, 「是160小時吧？」)
FIGURE_CLAIM = r"(\d+)\s*(?:小時|hr|h)\s*(?:吧|嗎|喔|耶|啊)?\s*[?？,，]?\s*(?:對嗎|對吧|對不對|是嗎|沒錯吧?|正確嗎|嗎|吧)"
# …while these ask for the courses themselves (「路徑有哪些課，共幾小時」 lists them)
PATH_LIST_ASKED = r"哪些|哪幾|各(是|要|上|需要)?幾小時|各多少小時|分別(是|要)?幾小時|每門(各)?(是|要)?幾小時|每一門(各)?幾小時|哪一?門|列出|列給|列一下|清單|是什麼|有什麼|上什麼|修什麼|什麼課|怎麼走|怎麼排|怎麼處理|要上哪|該上|內容|順序|(課|課程)(表|名)|which courses"
TO_ADD = r"補(什麼|哪|上哪|幾)|還缺|缺哪|還要補|缺什麼"

# One year of a plan (「第二年要上哪些」), and each year one stage (「一年上一個階段」, 「一個階段一年」).
YEAR_ASKED = r"第\s*([一二兩三四五六七八九十]|\d{1,2})\s*年(?!度|級|資)|(?:the\s+)?(first|second|third|1st|2nd|3rd)\s+year"
STAGE_A_YEAR = r"(今年|第一年).{0,3}入門.{0,6}(明年|第二年).{0,3}進階|(一|每|1)\s*年\s*(只)?(上|排|學|修)?\s*(一|1)\s*個?\s*階段|(一|每)\s*個?\s*階段\s*(排|上)?\s*(一|1)\s*年|one stage (a|per|each) year"
RELATIVE_YEARS = {"今年": 1, "明年": 2, "後年": 3, "大後年": 4}  # in a plan by years, said after it
ENGLISH_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}

# The consolidated course taken as its three 6-hour parts.
SPLIT_WORDS = ["分段上", "分段", "分開上", "拆開上", "拆成", "拆開", "分成三門", "三門 6 小時", "三門6小時", "改上三門", "split"]
