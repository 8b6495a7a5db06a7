"""The words and shapes the rules read: suffixes of parks, towns, companies and projects;
boundary words; the patterns of figures, dates and roles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .types import Attribute

# --------------------------------------------------------------------------- vocabulary

_PARK_STRONG = tuple(
    str.split(
        "高新技术产业开发区 经济技术开发区 高新技术开发区 综合保税区 "
        "自由贸易试验区 经济开发区 开发区 高新区 高新西区 高新东区 高新南区 高新北区 经开区 自贸区 保税区 新片区"
    )
)
"""Zone suffixes that are always proper names once something stands before them."""
_PARK_WEAK = tuple(
    str.split(
        "高新技术产业园区 工业园区 产业园区 科技园区 创业园区 物流园区 示范区 "
        "试验区 实验区 产业园 工业园 创业园 留创园 合作区 工业区 新区 园区"
    )
)
"""Zone suffixes that also make concept names (碳中和示范区): a place or other proper part is needed."""
_TOWN_SUFFIXES = ("专业镇", "特色小镇")
_COMPANY_SUFFIXES = tuple(str.split("股份有限公司 有限责任公司 有限公司 分公司 公司 集团 分行 支行 银行 协会 商会 局"))
_PROJECT_SUFFIX = "项目"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))


_SUFFIX_RE = re.compile(
    f"(?P<park>{_alternation(_PARK_STRONG + _PARK_WEAK)})|(?P<town>{_alternation(_TOWN_SUFFIXES)})"
    f"|(?P<company>{_alternation(_COMPANY_SUFFIXES)})|(?P<project>{_PROJECT_SUFFIX})"
)

_NAME_PUNCT = frozenset("（）()“”·-—+&＆./")
"""Punctuation that may stand inside a name; any other symbol (×, 👉, →) ends it."""
_HARD_STOPS = frozenset("，。、；：！？!?,;:…\n|｜【】[]<>〈〉「」『』/")
_OPENERS = frozenset("“‘《（(「『")
_BOUNDARY_WORDS = frozenset(
    str.split(
        "位于 地处 坐落于 来到 走进 走访 前往 参观 考察 调研 拜访 "
        "慰问 查看 视察 举办 举行 召开 签约 签署 签订 引进 引入 "
        "落户 入驻 进驻 推进 推动 加快 启动 设立 依托 围绕 聚焦 对接 携手 深化 探索 承建 承办 主办 协办 获批 入选 "
        "认定 成为 作为 包括 包含 涵盖 参与 参加 放眼 不止 表示 介绍 指出 透露 认为 获评 荣获 获得 列入 纳入 实施 开展 "
        "带领 率队 看望 邀请 面向 针对 关于 通过 借助 投资建设 打造 助力 帮助 扶持 鼓励 引导 公布 印发 出台 编制 制定 "
        "签发 授予 评为 挂牌 揭牌 开园 投用 旗下 下属 旗下企业 下属企业 合作方 投资方 建设方 承建方 运营方 甲方 乙方 "
        "其中 暨 会见 会晤 拜会 接见 陪同 招引 不断 领办 创办 以及 还有 "
        "同时 此外 另外 目前 近日 日前 近年来 今年 去年 明年 当天 当日 "
        "此次 本次 下一步 锚定 引领 期待 希望 欢迎 感谢 要求 带动 吸引 "
        "促进 丰富 满足 标志着 意味着 随着 力争 开创 加强 强化 确保 全力 "
        "积极 主动 使得 进一步 大力 全面 努力 更多 一个 这个 两个 极大 "
        "正式 成功 已经 共同 分别 先后 相继 率先 首家 紧邻 毗邻 前身 年度 "
        "近期 届时 此前 随后 当前 眼下 如今 赋能 助推 打响 擦亮 叫响 做强 "
        "做优 壮大 培育 服务于 服务周边 辐射 "
        "该 这 那 其 "
        "的 了 在 于 与 和 及 赴 到 从 由 向 对 把 被 将 是 为 等 让 给 "
        "同 跟 据 至 往 即 并 或 也 还 又 均 已 再 就 但 而 且 "
        "所 请 着 以 走 抓 因 任 兼 凭 如 摄 同日 次日 当日 中标"
    )
)
FOREIGN_COUNTRIES = tuple(
    str.split(
        "美国 法国 德国 英国 日本 韩国 意大利 西班牙 荷兰 瑞士 瑞典 丹麦 挪威 芬兰 比利时 奥地利 俄罗斯 加拿大 "
        "澳大利亚 新西兰 新加坡 马来西亚 泰国 越南 印度尼西亚 印尼 菲律宾 印度 巴基斯坦 哈萨克斯坦 吉尔吉斯斯坦 "
        "乌兹别克斯坦 塔吉克斯坦 土耳其 以色列 沙特 阿联酋 埃及 南非 巴西 阿根廷 墨西哥 智利 秘鲁 老挝 柬埔寨 缅甸"
    )
)
"""Countries that open a foreign company's short name (美国莫德纳公司); the gazetteer holds China only."""
_BOUNDARY_BY_LAST: dict[str, tuple[str, ...]] = {}
for _word in sorted(_BOUNDARY_WORDS, key=len, reverse=True):
    _BOUNDARY_BY_LAST[_word[-1]] = (*_BOUNDARY_BY_LAST.get(_word[-1], ()), _word)
_PROTECTED = frozenset(
    str.split(
        "协和 中和 平和 太和 永和 共和 祥和 人和 和平 和美 和谐 和林 和田 和顺 于都 于洪 向阳 同心 同江 从化 从江 将乐 "
        "与利 在线 为民 有为 至诚 和城乡 和旅游 和社会 和信息 和规划 和改革 和科技 和人力 和自然 和生态 和农村 "
        "和水利 和国防 对外 对口 还原 已经 而且 但是 并购 并网 均衡 再生 就业 所属 请示 给水 跟踪 往来 同步 同创 以色 "
        "走廊 着力 以上 以下 以来 以及 如东 如皋 如意 比如 例如 整个 摄影 摄像 华为 迈为 顺为 同意"
    )
)
"""Words inside names that contain a single-character boundary word (协和, 碳中和, 从化 …)."""
_STEM_END_BOUNDARY = frozenset(
    str.split(
        "的 了 在 与 和 及 等 将 把 被 对 向 从 由 到 赴 于 是 为 以 着 走 抓 推进 推动 加快 力争 开创 期待 希望 欢迎 "
        "下一步 锚定 引领 标志着 意味着 随着 满足 丰富 成为 作为 包括 落户 入驻 引进 对接 聚焦 围绕 依托 参与 推介 "
        "谋划 招引 储备 实施 开展 更多 一批 多个 一个 这个 该 此 本 各"
    )
)
"""What may stand right before a suffix and still end the prose before it: 的项目 and 推进项目
have no name, but 发展示范区 and 服务局 end real names."""

_DATE_BOUNDARY_RE = re.compile(r"(?:\d{2,4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|\d{1,2}日)$")

_GENERIC_WORDS = frozenset(
    str.split(
        "重点 重大 一批 首批 多个 一系列 系列 各类 各项 多项 这些 相关 优质 民生 品牌 训练 重要 关爱 暖心 新 老 大 好 "
        "在建 签约 该 此 本 其 各 全市 全省 全国 全区 全县 国家级 省级 市级 县级 区级 标杆 高水平 特色 示范 试点 "
        "众多 多家 两家 一家 以上 以下 指定 类 等 全 诸多 若干 部分 其他 其它 有关 上述 前述 同类 新建 续建 储备 招商 "
        "产业 立法 医疗 转型升级 产业化 合作 投资 建设 开发 保险 物业 子 全资子 母 分 总 上市 科技 跨国 国有 民营 外资 "
        "商业 地方 行业 董事 管理 邮政 政 我 我市 我省 我区 我县 本市 本省 当地 省 市 区 县 州 镇 乡 村 一流 一个 唯一 "
        "高质量 高效能 高标准 高起点 保障 外资 内资 民间 政府 社会 公益 惠民 实事"
    )
)
"""Words that make a name generic when nothing else stands before the suffix (重点项目, 该公司)."""
_GENERIC_MARKERS = (
    "重点",
    "重大",
    "首批",
    "一批",
    "首个",
    "多个",
    "系列",
    "各类",
    "各项",
    "众多",
    "以上",
    "若干",
    "这些",
    "部分",
    "某",
    "十佳",
    "十大",
    "百强",
    "新开工",
    "新签约",
    "新落地",
    "整个",
    "优秀",
    "获奖",
    "优质",
    "不少",
    "亿元",
    "特大",
    "首家",
    "一名",
    "多项",
    "每个",
    "一些",
    "我国",
)
_COUNT_RE = re.compile(r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千几]+)[个家项批所座条]")
_MACRO_REGIONS = tuple(
    str.split("长三角 珠三角 京津冀 粤港澳 大湾区 成渝 中新 中德 中欧 中法 中日 中韩 中俄 中以 中意 海峡 两岸 东盟")
)
_LATIN_RE = re.compile(r"[A-Za-z]{2,}|[A-Z]\d+")
"""A Latin brand or code in a name: AMD, G60."""
_ORG_WORD_RE = re.compile(r"支队|大队|中队|委员会|党委|政府|公司|集团|[局厅委办院校]")
_COMPANY_GENERIC_PARTS = ("相关", "这些", "各类", "多家", "一家", "两家", "众多", "某", "涉案", "他们", "我们", "你们")
_BYLINE_RE = re.compile(r"\s|记者|通讯员|摄|供图|图片|来源|编辑")
_EVENT_AFTER_PROJECT_RE = re.compile(r"集中签约|集中开工|集中竣工|集中投产|观摩|推介会|路演|对接会|招商会")
_BAD_BUREAU_PREV = frozenset("格布大结开全当时棋骗饭赌出入定残困破变僵终对政邮药赛事")

_PLACE_ORG_HEADS = tuple(
    str.split(
        "政协 县委 市委 区委 省委 州委 党委 党工委 人大 政府 人民政府 "
        "委员会 公安 消防 税务 法院 检察院 人民法院 中级人民法院 高级人民法院 人民检察院 纪委 监委 商务委 "
        "总工会 工会 职工 "
        "交通委 发改委 卫健委 网 报 日报 晚报 卫视 电视台 广播 新闻 大学 学院 中学 小学 医院 代表团 分团 党政 海关 "
        "供电 移动 联通 电信 团 队 大队 中队 支队 厅 局 办 委 署 站 馆 "
        "院 所 社 台 军 籍 人 话 菜 企业 品牌 制造 特产 方言 "
        "·"
    )
)
"""Words that, right after a place, make it part of an organisation's or product's name."""
_PLACE_ORG_TAIL_RE = re.compile(
    r"[^，。、；：！？“”《》（）\s的等和与及一二三四五六七八九十两\d]{0,10}?(?:中心|公司|集团|酒业|药业|乳业|实业|矿业|控股|传媒|协会|商会|研究院|大学|学院|医院|"
    r"科学院|实验室|基金会|联合会|管委会|工作站|大队|支队|仪式|大会|论坛|博览会|发布会|运动会|推介会|洽谈会|交易会|峰会|"
    r"条例|办法|方案|规划|意见|通知)"
)
_PLACE_VERB_RE = re.compile(r"召开|举办|举行|开幕|启动|发布|印发|出台|制定|编制|实施|的")
_SHORT_NEXT_OK = tuple(
    str.split(
        "的 在 与 和 及 、 是 以 为 等 将 把 也 还 要 已 正 各 全 "
        "都 共 有 向 对 作为 成为 实现 推出 启动 召开 举办 举行 "
        "发布 出台 开展 推进 加快 打造 不仅 持续 正在 近年 今年 去年 目前 首 这 那 人民 地区 境内 当地 市民 一带 方面 "
        "两地 三地 等地 各地 段 高质量 经济 发展 代表"
    )
)
"""What may follow a short place name that stands on its own (忻州实现…, 长治而言 is caught by 于/在 before)."""
_SHORT_PREV_OK = tuple(
    str.split("在 赴 到 从 于 来 来自 位于 地处 落户 对于 覆盖 扎根 深耕 遍布 前往 走进 来到 助力 服务 支持 为")
)
_SOURCE_RE = re.compile(r"(?:来源|稿源|出处|转自|编辑|责编|原标题)[:：][^，。；]*$")
_NUMBERED_RE = re.compile(r"[一二两三四五六七八九十\d]+[个地区县市方]")
_DESIGNATION_VALUE_RE = re.compile(
    r"(?:获批(?:成为|为)?|认定为|被评为|被命名为|获评为?|入选为?)“?([^，。；！？、”]{2,40})"
)

_TIME_RE = re.compile(
    r"(?:\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?(?:[至到—\-~]\d{1,2}月(?:\d{1,2}日)?)?|"
    r"[上下]半年|前?[一二三四1-4]季度|第[一二三四]季度|前三季度|年底|年初|年末|底|初|内|全年)?|"
    r"\d{1,2}月(?:\d{1,2}日)?[至到—\-~]\d{1,2}月(?:\d{1,2}日)?|"
    r"(?:今|去|明|前)年(?:[上下]半年|前?[一二三四1-4]季度|前三季度|年底|年初|底|初|内)?|"
    r"全年|[上下]半年|前三季度|一季度|年内|年底)"
)
_DATE_RE = re.compile(
    r"(?:\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月(?:底|初|中旬|上旬|下旬)?|\d{1,2}月\d{1,2}日|"
    r"(?:[今去明]年)?(?<![\d—\-－～~至到])\d{1,2}月(?:底|初|中旬|上旬|下旬)?(?![\d份])|"
    r"\d{4}年(?:[上下]半年|年底|年初|底|初|内)?|(?:今|明)年(?:[上下]半年|年底|年初|底|初|内)?|年内|年底)"
)

# --------------------------------------------------------------------------- facts vocabulary

_NUM = r"(?P<num>\d+(?:\.\d+)?)(?P<approx>余|多)?(?P<mult>万亿|亿|万|千)?"
_QUAL = r"(?:[约近超逾达为共计合总将可预了有]|突破|超过|达到|实现|左右|累计|合计|总计|计划|预计|预期){0,3}"
_MONEY = r"(?P<unit>元|美元|欧元|港元|日元|英镑|人民币)"
_AREA = r"(?P<unit>平方公里|平方千米|平方米|公顷|亩)"
_CAPACITY = (
    r"(?P<unit>万千瓦|千瓦时|千瓦|兆瓦|吉瓦|立方米|立方|平方米|千克|公斤|吨|件|台|套|辆|片|只|颗|块|条|箱|瓶|头|羽|株|支|个|升|"
    r"GWh|MWh|GW|MW|kW)(?!级)"
)
_JOBS = r"(?P<unit>人|名|个)"

_FACT_PATTERNS: tuple[tuple[Attribute, re.Pattern[str]], ...] = (
    ("总投资", re.compile(f"(?:计划总投资|总投资额|总投资规模|总投资){_QUAL}{_NUM}{_MONEY}")),
    ("投资", re.compile(f"(?<![总资])(?:投资金额|投资额|投资|投入)(?!增长|总额){_QUAL}{_NUM}{_MONEY}")),
    ("产值", re.compile(f"(?:工业总产值|总产值|(?<!\\d)年产值|产值){_QUAL}{_NUM}{_MONEY}")),
    ("营收", re.compile(f"(?:主营业务收入|营业收入|销售收入|营收|销售额|营业额){_QUAL}{_NUM}{_MONEY}")),
    ("税收", re.compile(f"(?:税收收入|实现税收|上缴税金|纳税|缴税|税收){_QUAL}{_NUM}{_MONEY}")),
    ("就业", re.compile(f"(?:带动就业|吸纳就业|解决就业|新增就业|提供就业岗位|就业岗位|就业){_QUAL}{_NUM}{_JOBS}")),
    (
        "面积",
        re.compile(
            f"(?:总占地面积|占地面积|规划面积|总建筑面积|建筑面积|总用地面积|用地面积|规划用地|建设用地|总面积|占地)"
            f"{_QUAL}{_NUM}{_AREA}"
        ),
    ),
    (
        "产能",
        re.compile(
            f"(?:(?<!\\d)(?:年产能|年生产能力[\u4e00-\u9fff]{{0,6}}?|年产|年加工|年处理能力)|产能|处理能力)"
            f"(?:由原来的|由){{0,1}}{_QUAL}(?:每年)?{_NUM}{_CAPACITY}"
        ),
    ),
)
_MORE_CAPACITY_RE = re.compile(
    f"[^，。；]{{0,16}}?(?:[和及、]|(?:扩大|提升|提高|增加|增长|扩产)[到至]|增至){_NUM}{_CAPACITY}"
)
"""A second capacity in the same clause: 年产12万吨和2亿支, 由原来的3.5万吨扩大到16.5万吨."""
_NAME_CAPACITY_RE = re.compile(f"(?:年产)?{_NUM}{_CAPACITY}")
_EVENT_PATTERNS: tuple[tuple[Attribute, re.Pattern[str]], ...] = (
    ("签约", re.compile(r"签约|签署|签订")),
    ("开工", re.compile(r"开工|破土动工|动工|奠基|开建")),
    (
        "投产",
        re.compile(
            r"投产|投入生产|启动生产|竣工验收|竣工|开园|投用|投入使用|投入运营|投入运行|正式运营|开始运营|建成运营"
        ),
    ),
)
_PARTY_RE = re.compile(r"[与和同]")
"""What joins the parties to a signing: 开发区与公司."""
ROLES = (
    "副董事长", "董事长", "副总经理", "总经理", "总裁", "党委书记", "党工委书记", "县委书记", "市委书记", "区委书记",
    "县长", "市长", "区长", "镇长", "局长", "主任", "负责人",
)  # fmt: skip
"""Roles whose holder is a fact about the organisation or place named before them."""
_DESIGNATION_RE = re.compile(
    r"获批(?:成为|为)?|被(?:新)?认定为|被评为|被命名为|被列为|被确定为|被[^，。；“”《》]{2,10}?(?:评为|认定为|确定为|列为)|"
    r"获评为?|入选(?:为)?|位列|跻身|入围|进入"
)
_LISTED = ("入选", "位列", "跻身", "入围", "获评", "进入")
"""The designation verbs that put an entity on a list or give it an honour (入选, 获评); the others
are approvals (获批)."""
_DESIGNATION_END_RE = re.compile(
    r"(?:区|园|基地|中心|试点|单位|企业|称号|项目|平台|名单|城市|县|镇|村|街道|社区|品牌|商标|总部|实验室|工作站|站|库|标杆|典范|地区|"
    r"样板|案例|奖|榜|TOP\d+|强|集群|街区|景区|工程|学校|医院|示范|先进|模范|冠军)$"
)
_REFERENT_RE = re.compile(
    r"(?:(?:本次|此次)[\u4e00-\u9fff]{0,4}的)?(?:该|这个|这一|此|本)?(?:[一二三四五六七八九]期)?"
    r"(?P<head>项目|基地|园区|产业园|工程|公司)"
)
"""A clause that opens on what was named before: 该项目, 本次启动的项目一期, 公司先后投入…."""
_COUNT_SUBJECT_RE = re.compile(r"\d+[个家项座](?:[^，。；]{0,8})(?:项目|企业|专业镇|园区|镇)")
_CLAUSE_END = frozenset("，,：:；;。！？!?")

_MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
_UNIT_NORMAL = {"人民币": "元", "名": "人", "平方千米": "平方公里", "公斤": "千克", "万千瓦": "千瓦"}
