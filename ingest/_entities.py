"""Offline entity and fact extraction: places, towns, parks, projects, companies and their figures.

Rules and a gazetteer, no model: extraction runs for every ingested article (68k of them), so it
must cost a few milliseconds, give the same answer every time and never invent a figure. The
labelling rules it follows are ``eval/entities/GUIDELINES.md``; ``python -m bench.eval_entities``
measures it against the hand labels.

How it works, in order:

1. *Named things by suffix.* 开发区 / 高新区 / 产业园 …, 专业镇 / 特色小镇, 项目, and 有限公司 /
   集团 / 银行 / 局 / 协会 …: each suffix is found, and the name's left edge is where a clause
   starts, a verb or function word (位于, 引进, 的, 与 …) stands, or another name ends. Generic
   forms (重点项目, 各专业镇, 该公司, 体教融合示范区) are dropped.
2. *Places and towns by gazetteer* (``ingest/data/places.tsv``). A place only counts where it
   stands on its own: not inside a longer name (忻州市工信局, 济南高新区), a book title or a
   quoted name, and a county's short name (青浦, 海淀) only when the article also names its full
   form or a place above it.
3. *Merging.* Forms of one entity become aliases: 忻州 ↔ 忻州市, 定襄法兰 ↔ 定襄法兰专业镇,
   临夏经开区 ↔ 临夏经济开发区, 汉钟精机 ↔ 上海汉钟精机股份有限公司.
4. *Facts.* A figure is kept only when its owner is clear: the entity named in the same clause,
   the subject of the sentence, or the project that 该项目 / 项目 at the head of a clause refers to.
   Precision matters more than recall: a wrong figure is worse than a missing one.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ._gazetteer import Gazetteer, Place, PlaceMatch, gazetteer
from ._lexicon import is_ordinary_phrase, known_words, verbs
from ._regions import SEPARATOR, article_place, chain_of, head_place, join
from ._types import Article, Span

ENTITY_INDEX_VERSION = "2026-12-02"
"""Changes when what extraction stores changes (2026-12-02: region chains); a store whose
entity index is older is re-extracted when it opens (see ``DocsStore``)."""

EntityKind = Literal["place", "town", "park", "project", "company"]
Attribute = Literal[
    "产值", "营收", "投资", "总投资", "产能", "税收", "就业", "面积", "签约", "开工", "投产", "获批", "入选"
]

DATE_ATTRIBUTES: frozenset[str] = frozenset({"签约", "开工", "投产", "获批", "入选"})
"""Attributes whose value is a date or a designation, compared as strings (no number)."""


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: ``article.text[start:end] == name``."""

    name: str
    start: int
    end: int
    sentence: Span
    paragraph: int


@dataclass(frozen=True)
class EntityRecord:
    """One real-world entity of an article, under its fullest name, with the other forms used."""

    name: str
    kind: EntityKind
    aliases: tuple[str, ...]
    region: str
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class FactRecord:
    """A figure or event the article states about one entity, in one sentence.

    ``value`` is verbatim (``article.text[start:end] == value``); ``number``/``unit`` make
    amounts comparable (170亿元 → 1.7e10 元); dates and designations have ``number=None``.
    """

    entity: str
    attribute: Attribute
    value: str
    number: float | None
    unit: str
    period: str
    start: int
    end: int
    sentence: Span
    paragraph: int


@dataclass(frozen=True)
class Extraction:
    """Everything one article yielded."""

    entities: tuple[EntityRecord, ...]
    facts: tuple[FactRecord, ...]


# --------------------------------------------------------------------------- vocabulary

_PARK_STRONG = tuple(
    str.split(
        "高新技术产业开发区 经济技术开发区 高新技术开发区 综合保税区 "
        "自由贸易试验区 经济开发区 开发区 高新区 经开区 自贸区 保税区"
    )
)
"""Zone suffixes that are always proper names once something stands before them."""
_PARK_WEAK = tuple(
    str.split(
        "高新技术产业园区 工业园区 产业园区 科技园区 创业园区 物流园区 示范区 "
        "试验区 实验区 产业园 工业园 创业园 留创园 合作区 新区 园区"
    )
)
"""Zone suffixes that also make concept names (碳中和示范区): a place or other proper part is needed."""
_TOWN_SUFFIXES = ("专业镇", "特色小镇")
_COMPANY_SUFFIXES = tuple(str.split("股份有限公司 有限责任公司 有限公司 分公司 公司 集团 分行 支行 银行 协会 商会 局"))
_PROJECT_SUFFIX = "项目"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(set(words), key=len, reverse=True))


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
        "签发 授予 评为 挂牌 揭牌 开园 投用 旗下 下属 其中 暨 "
        "以及 还有 同时 此外 另外 目前 近日 日前 近年来 今年 去年 明年 当天 当日 此次 本次 下一步 锚定 引领 期待 希望 "
        "欢迎 感谢 要求 带动 吸引 促进 丰富 满足 标志着 意味着 随着 力争 开创 加强 强化 确保 全力 积极 主动 使得 "
        "进一步 大力 全面 努力 更多 一个 这个 两个 极大 正式 成功 已经 共同 分别 先后 相继 率先 首家 紧邻 毗邻 前身 "
        "年度 近期 届时 此前 随后 当前 眼下 如今 赋能 助推 打响 擦亮 叫响 做强 做优 壮大 培育 服务于 服务周边 辐射 "
        "该 这 那 其 "
        "的 了 在 于 与 和 及 赴 到 从 由 向 对 把 被 将 是 为 等 让 给 "
        "同 跟 据 至 往 即 并 或 也 还 又 均 已 再 就 但 而 且 "
        "所 请 着 以 走 抓 因 任 兼 凭 如 摄 同日 次日 当日 中标"
    )
)
_BOUNDARY_BY_LAST: dict[str, tuple[str, ...]] = {}
for _word in sorted(_BOUNDARY_WORDS, key=len, reverse=True):
    _BOUNDARY_BY_LAST[_word[-1]] = (*_BOUNDARY_BY_LAST.get(_word[-1], ()), _word)
_PROTECTED = frozenset(
    str.split(
        "协和 中和 平和 太和 永和 共和 祥和 人和 和平 和美 和谐 和林 和田 和顺 于都 于洪 向阳 同心 同江 从化 从江 将乐 "
        "与利 在线 为民 有为 至诚 和城乡 和旅游 和社会 和信息 和规划 和改革 和科技 和人力 和自然 和生态 和农村 "
        "和水利 和国防 对外 对口 还原 已经 而且 但是 并购 并网 均衡 再生 就业 所属 请示 给水 跟踪 往来 同步 同创 以色 "
        "走廊 着力 以上 以下 以来 以及 如东 如皋 如意 比如 例如 整个"
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
)
_COUNT_RE = re.compile(r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千几]+)[个家项批所座条]")
_MACRO_REGIONS = tuple(
    str.split("长三角 珠三角 京津冀 粤港澳 大湾区 成渝 中新 中德 中欧 中法 中日 中韩 中俄 中以 中意 海峡 两岸 东盟")
)
_LATIN_RE = re.compile(r"[A-Za-z]{2,}")
_ORG_WORD_RE = re.compile(r"支队|大队|中队|委员会|党委|政府|公司|集团|[局厅委办院校]")
_COMPANY_GENERIC_PARTS = ("相关", "这些", "各类", "多家", "一家", "两家", "众多", "某", "涉案", "他们", "我们", "你们")
_BYLINE_RE = re.compile(r"\s|记者|通讯员|摄|供图|图片|来源|编辑")
_EVENT_AFTER_PROJECT_RE = re.compile(r"集中签约|集中开工|集中竣工|集中投产|观摩|推介会|路演|对接会|招商会")
_BAD_BUREAU_PREV = frozenset("格布大结开全当时棋骗饭赌出入定残困破变僵终对政邮药赛事")

_PLACE_ORG_HEADS = tuple(
    str.split(
        "政协 县委 市委 区委 省委 州委 党委 党工委 人大 政府 人民政府 "
        "委员会 公安 消防 税务 法院 检察院 纪委 监委 商务委 "
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
    str.split("在 赴 到 从 于 来自 位于 地处 落户 对于 覆盖 扎根 深耕 遍布 前往 走进 来到 助力 服务 支持 为")
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
    r"\d{4}年(?:[上下]半年|年底|年初|底|初|内)?|(?:今|明)年(?:[上下]半年|年底|年初|底|初|内)?|年内|年底)"
)

# --------------------------------------------------------------------------- facts vocabulary

_NUM = r"(?P<num>\d+(?:\.\d+)?)(?P<approx>余|多)?(?P<mult>万亿|亿|万|千)?"
_QUAL = r"(?:[约近超逾达为共计合总将可预了有]|突破|超过|达到|实现|左右|累计|合计|总计|计划|预计|预期){0,3}"
_MONEY = r"(?P<unit>元|美元|欧元|港元|日元|英镑|人民币)"
_AREA = r"(?P<unit>平方公里|平方千米|平方米|公顷|亩)"
_CAPACITY = (
    r"(?P<unit>万千瓦|千瓦时|千瓦|兆瓦|吉瓦|立方米|平方米|千克|公斤|吨|件|台|套|辆|片|只|颗|块|条|箱|瓶|头|羽|株|支|个|升|"
    r"GWh|MWh|GW|MW|kW)(?!级)"
)
_JOBS = r"(?P<unit>人|名|个)"

_FACT_PATTERNS: tuple[tuple[Attribute, re.Pattern[str]], ...] = (
    ("总投资", re.compile(f"(?:计划总投资|总投资额|总投资){_QUAL}{_NUM}{_MONEY}")),
    ("投资", re.compile(f"(?<![总资])(?:投资额|投资|投入)(?!增长|总额){_QUAL}{_NUM}{_MONEY}")),
    ("产值", re.compile(f"(?:工业总产值|总产值|(?<!\\d)年产值|产值){_QUAL}{_NUM}{_MONEY}")),
    ("营收", re.compile(f"(?:主营业务收入|营业收入|销售收入|营收|销售额){_QUAL}{_NUM}{_MONEY}")),
    ("税收", re.compile(f"(?:税收收入|实现税收|上缴税金|纳税|缴税|税收){_QUAL}{_NUM}{_MONEY}")),
    ("就业", re.compile(f"(?:带动就业|吸纳就业|解决就业|新增就业|提供就业岗位|就业岗位|就业){_QUAL}{_NUM}{_JOBS}")),
    (
        "面积",
        re.compile(
            f"(?:总占地面积|占地面积|规划面积|总建筑面积|建筑面积|总用地面积|用地面积|规划用地|建设用地|总面积|占地)"
            f"{_QUAL}{_NUM}{_AREA}"
        ),
    ),
    ("产能", re.compile(f"(?:(?<!\\d)(?:年产能|年生产能力|年产|年加工)|产能){_QUAL}{_NUM}{_CAPACITY}")),
)
_MORE_CAPACITY_RE = re.compile(f"[^，。；]{{0,16}}?[和及、]{_NUM}{_CAPACITY}")
_NAME_CAPACITY_RE = re.compile(f"(?:年产)?{_NUM}{_CAPACITY}")
_EVENT_PATTERNS: tuple[tuple[Attribute, re.Pattern[str]], ...] = (
    ("签约", re.compile(r"签约|签署|签订")),
    ("开工", re.compile(r"开工|破土动工|奠基")),
    ("投产", re.compile(r"投产|投入生产|启动生产|竣工验收|竣工|开园|投用|投入使用|投入运营")),
)
_PARTY_RE = re.compile(r"[与和同]")
"""What joins the parties to a signing: 开发区与公司."""
ROLES = (
    "副董事长", "董事长", "副总经理", "总经理", "总裁", "党委书记", "党工委书记", "县委书记", "市委书记", "区委书记",
    "县长", "市长", "区长", "镇长", "局长", "主任", "负责人",
)  # fmt: skip
"""Roles whose holder is a fact about the organisation or place named before them."""
_ROLE_RE = re.compile(
    rf"(?:党委|党工委|管委会)?(?P<role>{'|'.join(ROLES)})(?P<person>[\u4e00-\u9fff]{{2,3}}?)"
    r"(?=对|表示|说|指出|介绍|强调|认为|称|在|一行|等|[，。：、（“,:])"
)
_NOT_NAME_START = frozenset("表说指介强对在称认也还就等一和与及")
_DESIGNATION_RE = re.compile(r"获批(?:成为|为)?|被(?:新)?认定为|被评为|被命名为|获评为?|入选(?:为)?")
_DESIGNATION_END_RE = re.compile(
    r"(?:区|园|基地|中心|试点|单位|企业|称号|项目|平台|名单|城市|县|镇|村|品牌|商标|总部|实验室|工作站|站|库|标杆|典范|"
    r"样板|案例|奖|榜|TOP\d+|强|集群|街区|景区|工程|学校|医院|示范|先进|模范|冠军)$"
)
_REFERENT_RE = re.compile(r"(?:该|这个|这一|此|本)?(?P<head>项目|基地|园区|产业园|工程)")
_COUNT_SUBJECT_RE = re.compile(r"\d+[个家项座](?:[^，。；]{0,8})(?:项目|企业|专业镇|园区|镇)")
_CLAUSE_END = frozenset("，,：:；;。！？!?")

_MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
_UNIT_NORMAL = {"人民币": "元", "名": "人", "平方千米": "平方公里", "公斤": "千克", "万千瓦": "千瓦"}


# --------------------------------------------------------------------------- article context


@dataclass(frozen=True)
class _Context:
    text: str
    starts: tuple[int, ...]
    spans: tuple[Span, ...]
    paragraphs: tuple[int, ...]
    titles: tuple[Span, ...]  # 《…》
    quotes: tuple[Span, ...]  # “…”, quote marks included
    places: tuple[PlaceMatch, ...]  # the gazetteer scan of the whole text
    place_at: dict[int, PlaceMatch]

    def locate(self, offset: int) -> int:
        """Index of the sentence holding ``offset``."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def in_title(self, start: int, end: int) -> bool:
        return any(s < start and end <= e for s, e in self.titles)

    def quote_around(self, start: int, end: int) -> Span | None:
        for s, e in self.quotes:
            if s < start and end < e:
                return s, e
        return None

    def leading_places(self, start: int, end: int) -> list[PlaceMatch]:
        """Gazetteer names that open ``text[start:end]`` one after another (上海市闵行区…)."""
        chain = []
        pos = start
        while pos in self.place_at:
            match = self.place_at[pos]
            if match.end > end or any(p.level == "town" for p in match.places):
                break
            chain.append(match)
            pos = match.end
        return chain


def _context(article: Article, gaz: Gazetteer) -> _Context:
    text = article.text
    spans: list[Span] = []
    paragraphs: list[int] = []
    for paragraph in article.paragraphs:
        for span in paragraph.sentences:
            spans.append(span)
            paragraphs.append(paragraph.index)
    places = tuple(gaz.scan(text))
    return _Context(
        text,
        tuple(s for s, _ in spans),
        tuple(spans),
        tuple(paragraphs),
        tuple(_paired(text, "《", "》")),
        tuple(_paired(text, "“", "”")),
        places,
        {m.start: m for m in places},
    )


def _paired(text: str, opener: str, closer: str) -> list[Span]:
    pairs = []
    pos = text.find(opener)
    while pos >= 0:
        close = text.find(closer, pos + 1)
        if close < 0:
            break
        inner_open = text.rfind(opener, pos, close)
        if "\n" not in text[inner_open:close]:
            pairs.append((inner_open, close + 1))
        pos = text.find(opener, close + 1)
    return pairs


# --------------------------------------------------------------------------- name edges


def _is_boundary(text: str, i: int) -> bool:
    """Whether a boundary word (or a verb) ends right before ``text[i]``."""
    lexicon_verbs = verbs()
    if text[i - 2 : i] in lexicon_verbs or text[i - 3 : i] in lexicon_verbs:
        known = known_words()
        if not any(text[a:b] in known for a, b in ((i - 3, i + 1), (i - 2, i + 1), (i - 1, i + 2))):
            return True
    words = _BOUNDARY_BY_LAST.get(text[i - 1])
    if not words:
        return False
    for word in words:
        if text.startswith(word, i - len(word)):
            if len(word) == 1 and (
                text[i - 2 : i] in _PROTECTED or text[i - 1 : i + 1] in _PROTECTED or text[i - 1 : i + 2] in _PROTECTED
            ):
                continue
            return True
    return False


def _ends_with_word(text: str, i: int, words: frozenset[str]) -> bool:
    for size in (3, 2, 1):
        word = text[max(0, i - size) : i]
        if len(word) == size and word in words:
            if size == 1 and (text[i - 2 : i] in _PROTECTED or text[i - 1 : i + 1] in _PROTECTED):
                continue
            return True
    return False


def _left_edge(text: str, stem_end: int, floor: int, max_len: int, stops: set[int]) -> int | None:
    """Where the name whose stem ends at ``stem_end`` begins (``stem_end`` itself when the
    stem is empty), or None when no edge is found within ``max_len`` characters: then the
    'name' is a run of prose, not a name."""
    i = stem_end
    while i > floor:
        if i in stops and i < stem_end:
            return i
        ch = text[i - 1]
        if not (_is_cjk(ch) or ch.isalnum() or ch in _NAME_PUNCT):
            return i
        if ch == "/" and text[i : i + 1] == "年" and max_len >= 40:
            i -= 1  # 30万吨/年煤制甲醇项目
            continue
        if ch in _HARD_STOPS or ch in _OPENERS or ch in "》—" or ch.isspace() or (ch == "·" and max_len < 40):
            return i
        if ch == "”":
            opener = text.rfind("“", max(floor, i - 30), i - 1)
            if opener < 0 or any(c in _HARD_STOPS for c in text[opener:i]):
                return i
            i = opener
            continue
        if ch in "）)":
            opener = max(text.rfind("（", max(floor, i - 12), i - 1), text.rfind("(", max(floor, i - 12), i - 1))
            if opener < 0 or _BYLINE_RE.search(text, opener, i):
                return i
            i = opener
            continue
        if i == stem_end:
            if (
                _ends_with_word(text, i, _STEM_END_BOUNDARY)
                or _ends_with_word(text, i, _BOUNDARY_WORDS)
                or text[i - 2 : i] in verbs()
                or _DATE_BOUNDARY_RE.search(text, max(floor, i - 11), i)
            ):
                return i
        elif _is_boundary(text, i) or _DATE_BOUNDARY_RE.search(text, max(floor, i - 11), i):
            return i
        i -= 1
        if stem_end - i > max_len:
            return None
    return i


_PROSE_CHARS = frozenset(
    ""
    "后原过设在于向为从对到和与及等是将把被让给首老旧前该此其各每某所属据经由之则即又也还都就才再曾已正要会能可应须需请使令"
)


def _prose_before(text: str, start: int, place_start: int) -> bool:
    """Whether the text before a place inside a would-be name is prose: three characters or
    more (下一步阳曲…), or one or two function characters (后武汉经开区, 原湘乡经济开发区)."""
    gap = text[start:place_start]
    return len(gap) >= 3 or (bool(gap) and all(ch in _PROSE_CHARS for ch in gap))


def _strip_generic(stem: str) -> str:
    """The stem without generic words at its head (省级, 首批 …)."""
    changed = True
    while changed and stem:
        changed = False
        for size in (4, 3, 2, 1):
            if stem[:size] in _GENERIC_WORDS:
                stem = stem[size:]
                changed = True
                break
    return stem


def _has_proper_part(stem: str, gaz: Gazetteer) -> bool:
    if not stem:
        return False
    if _LATIN_RE.search(stem) or "“" in stem or any(region in stem for region in _MACRO_REGIONS):
        return True
    return bool(gaz.scan(stem)) or gaz.contains_any_short(stem)


# --------------------------------------------------------------------------- named candidates


@dataclass
class _Cand:
    kind: EntityKind
    start: int
    end: int
    name: str
    suffix: str
    proper: bool = True
    outer: int = -1  # where the name began before an address was cut off it


def _named_candidates(ctx: _Context, gaz: Gazetteer) -> list[_Cand]:
    """Parks, special towns, companies and projects found by their suffix."""
    text = ctx.text
    matches = list(_SUFFIX_RE.finditer(text))
    org_ends = {m.end() for m in matches if m.lastgroup in ("park", "company")}
    project_ends = {m.end() for m in matches if m.lastgroup == "project"}
    cands: list[_Cand] = []
    for m in matches:
        kind = m.lastgroup
        floor = ctx.spans[ctx.locate(m.start())][0]
        cand: _Cand | None
        if kind == "park":
            cand = _park(ctx, m, floor, org_ends, gaz)
        elif kind == "town":
            cand = _special_town(ctx, m, floor, org_ends)
        elif kind == "company":
            cand = _company(ctx, m, floor, org_ends | project_ends)
        else:
            cand = _project(text, m, floor, gaz)
        if cand is not None and (cand := _refined(cand, ctx)) is not None:
            cands.append(cand)
    return _reanchor(_drop_nested(cands))


_RANKING_PREFIX_RE = re.compile(r"^(?:世界|中国|全国|全球|国内|国际)?\d+强")
_LIST_NUMBER_RE = re.compile(r"\d+(?![万亿千百吨件台套辆个米级期号年月日座条])(?=[\u4e00-\u9fff])")
_BARE_SUFFIXES = ("公司", "局")


def _refined(cand: _Cand, ctx: _Context) -> _Cand | None:
    """General repairs of a name's left edge, and names that are no names:

    - a closing quote inside a company or park name ends the prose before it
      (下福然德“5G+智慧工厂”福然德股份有限公司 → 福然德股份有限公司);
    - a ranking before a name is not part of it (世界500强奥钢联集团 → 奥钢联集团);
    - a number inside a name that is no capacity or year is a list's numbering
      (规划红线图02泰华北路东段项目 → 泰华北路东段项目);
    - the same place twice: the name starts at the second (成都大运会成都高新区 → 成都高新区);
    - a name with an unmatched bracket was cut in the middle (宜昌）锂电池…产业园);
    - 公司 or 局 with nothing proper before it is a common noun (投促局, …驶出公司).
    """
    stem = cand.name[: len(cand.name) - len(cand.suffix)] if cand.suffix else cand.name
    cut = 0
    if cand.kind in ("company", "park") and "”" in stem[:-1]:
        cut = stem.rindex("”") + 1
    if ranking := _RANKING_PREFIX_RE.match(stem[cut:]):
        cut += ranking.end()
    if cand.kind == "project" and not _NAME_CAPACITY_RE.search(stem):
        numbers = [m for m in _LIST_NUMBER_RE.finditer(stem, cut) if not stem.startswith("年", m.end())]
        if numbers:
            cut = numbers[-1].end()
    places = [p for p in ctx.places if cand.start + cut <= p.start and p.end <= cand.start + len(stem)]
    repeated = [p for p in places if any(q.surface == p.surface and q.start < p.start for q in places)]
    if repeated:
        cut = repeated[-1].start - cand.start
    name = cand.name[cut:]
    if name.count("（") != name.count("）") or name.count("(") != name.count(")"):
        return None
    if cand.suffix in _BARE_SUFFIXES and not _proper_bare(name[: len(name) - len(cand.suffix)], ctx, cand.start + cut):
        return None
    if len(name) <= len(cand.suffix) + 1:
        return None
    if cut == 0:
        return cand
    return _Cand(cand.kind, cand.start + cut, cand.end, name, cand.suffix, cand.proper, cand.outer)


def _proper_bare(stem: str, ctx: _Context, start: int) -> bool:
    """Is ``stem`` + 公司/局 a proper name? It must hold a place, or an administrative level
    (省/市/县/区 能源局), and no adverb or digit (冷藏车缓缓驶出公司, 郑州720大水发公司)."""
    if re.search(r"\d|缓缓|逐步|不断|已经|正在|驶|走|跑|出", stem):
        return False
    if stem[:1] in ("省", "市", "县", "区", "州") or stem.startswith("国家"):
        return True
    if re.search(r"[一二三四五六七八九十]$", stem) and len(stem) >= 3:
        return True  # 中建八局: an engineering bureau is a company
    return any(start <= p.start and p.end <= start + len(stem) for p in ctx.places)


def _park(ctx: _Context, m: re.Match[str], floor: int, stops: set[int], gaz: Gazetteer) -> _Cand | None:
    text, suffix = ctx.text, m.group()
    if suffix in ("新区", "园区") and text[m.end() : m.end() + 1] in ("域", "内", "外"):
        return None
    if any(p.start < m.start() and p.end == m.end() and not p.short for p in ctx.places):
        return None  # 浦东新区 is a place
    start = _left_edge(text, m.start(), floor, 20, stops)
    if start is None or start == m.start():
        return None
    # prose before a place name is not part of the name: 下一步阳曲工业园区 → 阳曲工业园区
    first_place = next((p for p in ctx.places if start < p.start < m.start()), None)
    if (
        first_place is not None
        and not ctx.leading_places(start, m.start())
        and _prose_before(text, start, first_place.start)
    ):
        start = first_place.start
    elif first_place is None or first_place.start > start:
        region = min(
            (text.find(r, start, m.start()) for r in _MACRO_REGIONS if r in text[start : m.start()]), default=-1
        )
        if region > start and (first_place is None or region < first_place.start):
            start = region
    outer = start
    chain = ctx.leading_places(start, m.start())
    if chain:
        last = chain[-1]
        # an address before a name: 上海市闵行区马桥AI试验区 → 马桥AI试验区; only places: 广东肇庆新区 → 肇庆新区
        start = next((c.start for c in chain if c.short), last.end) if last.end < m.start() else last.start
    name = text[start : m.end()]
    stem = name[: -len(suffix)]
    if len(stem) < 2 or not _strip_generic(stem) or _COUNT_RE.search(stem):
        return None
    if any(marker in stem for marker in _GENERIC_MARKERS) or gaz.lookup(name):
        return None
    if _ORG_WORD_RE.search(stem):
        return None
    proper = (suffix in _PARK_STRONG and len(stem) <= 6) or _has_proper_part(stem, gaz)
    return _Cand("park", start, m.end(), name, suffix, proper=proper, outer=outer)


def _special_town(ctx: _Context, m: re.Match[str], floor: int, stops: set[int]) -> _Cand | None:
    text = ctx.text
    start = _left_edge(text, m.start(), floor, 14, stops)
    if start is None or start == m.start():
        return None
    chain = ctx.leading_places(start, m.start())
    if chain and chain[-1].end < m.start() and not any(c.short for c in chain):
        start = chain[-1].end  # 太谷区广誉远中医药特色小镇 → 广誉远中医药特色小镇
        chain = []
    core = text[chain[-1].end if chain else start : m.start()].strip("“”")
    if len(core) < 2 or not _strip_generic(core) or core.endswith(("类", "性")) or _COUNT_RE.search(core):
        return None
    quoted = "“" in text[start : m.start()]
    if core[0] in "式性型化" or (not chain and not quoted and is_ordinary_phrase(core)):
        return None
    if any(marker in core for marker in _GENERIC_MARKERS):
        return None
    return _Cand("town", start, m.end(), text[start : m.end()], m.group())


_COMPANY_AFTER_BLOCK = {"银行": "业卡账贷间家行", "集团": "化军", "局": "长面势部限促级", "公司": "法"}
_LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "分公司", "分行", "支行")
_ORG_END_RE = re.compile(r"(?:银行|总局|集团|公司|局|委|厅|部|院)$")
_BRANCH_RE = re.compile(r"[^，。、；：！？“”\s]{0,8}?(?:分行|支行|分公司|分局)")


def _company(ctx: _Context, m: re.Match[str], floor: int, stops: set[int]) -> _Cand | None:
    text = ctx.text
    suffix = m.group()
    nxt = text[m.end() : m.end() + 1]
    if nxt and nxt in _COMPANY_AFTER_BLOCK.get(suffix, ""):
        return None
    if suffix == "局" and text[m.start() - 1 : m.start()] in _BAD_BUREAU_PREV:
        return None
    if suffix in ("银行", "公司", "集团", "局") and _BRANCH_RE.match(text, m.end()):
        return None  # 交通银行山西省分行: the branch that follows is the entity
    own_stops = {s for s in stops if s < m.start()}
    if suffix in ("分行", "支行", "分公司", "局"):
        parents = ("银行", "总局", "集团", "公司") if suffix == "分公司" else ("银行", "总局", "集团")
        own_stops = {s for s in own_stops if text[s - 2 : s] not in parents}
    start = _left_edge(text, m.start(), floor, 30, own_stops)
    if start is None or start == m.start():
        return None
    # prose before a place that opens the name: 离不开宜昌市公安局 → 宜昌市公安局
    if not ctx.leading_places(start, m.start()):
        first_place = next((p for p in ctx.places if start < p.start < m.start()), None)
        if (
            first_place is not None
            and suffix not in ("分公司", "分行", "支行")
            and (first_place.start - start >= 2 or _prose_before(text, start, first_place.start))
            and not _ORG_END_RE.search(text, start, first_place.start)
            and text[first_place.start - 1] not in "（("
        ):
            start = first_place.start
    name = text[start : m.end()]
    stem = name[: -len(suffix)]
    core = stem.lstrip("省市区县州")
    if len(core) < 2 or core in _GENERIC_WORDS or not _strip_generic(core) or _COUNT_RE.search(stem):
        return None
    if stem.endswith(("子", "母", "企业")) or any(w in stem for w in _COMPANY_GENERIC_PARTS + _GENERIC_MARKERS):
        return None
    described = is_ordinary_phrase(_strip_generic(core)) and not (suffix in ("协会", "商会") and len(core) >= 5)
    if suffix not in _LEGAL_SUFFIXES and core == stem and not ctx.leading_places(start, m.start()) and described:
        return None  # 建材公司, 市场监管局: a description, not a name
    return _Cand("company", start, m.end(), name, suffix)


_ORG_WORD_IN_PROJECT_RE = re.compile(r"委员会|管委会|[局厅]$")
_GENERIC_PROJECT_ENDS = (
    "建设", "服务", "比赛", "示范", "志愿服务", "公益", "专家", "人才", "帮扶", "培训", "招商", "引资", "农旅", "改建",
    "扩建", "新建", "民生", "惠民", "试点", "合作", "交流", "活动", "计划", "工程",
)  # fmt: skip


def _project(text: str, m: re.Match[str], floor: int, gaz: Gazetteer) -> _Cand | None:
    if text.startswith(
        ("办", "部", "组", "库", "群", "化", "制", "负责", "经理", "方", "单位", "数", "建设者"), m.end()
    ):
        return None  # 项目部, 项目负责人, 项目经理, 项目方: people and offices, not a project
    start = _left_edge(text, m.start(), floor, 40, set())
    if start is None or start == m.start():
        return None
    stem = text[start : m.start()]
    capacity = _NAME_CAPACITY_RE.search(stem)
    if capacity and capacity.start() > 0 and not re.search(r"\d", stem[: capacity.start()]):
        start += capacity.start()  # 代县雁门王酒业10万吨有机黄酒生产项目 → 10万吨有机黄酒生产项目
        stem = text[start : m.start()]
    if stem.endswith("等") or _COUNT_RE.search(stem) or any(marker in stem for marker in _GENERIC_MARKERS):
        return None
    if stem.endswith(_PARK_STRONG) or _EVENT_AFTER_PROJECT_RE.match(text, m.end()):
        return None  # 开发区项目建设, 外资项目集中签约仪式: projects in general, not one project
    places = gaz.scan(stem[:10])
    opening = places[0] if places and places[0].start == 0 else None
    if opening is not None and opening.short and not any(p.level in ("province", "city") for p in opening.places):
        opening = None  # 安多 in 安多集团… is a brand here, not the county
    bare = stem[opening.end :] if opening is not None else stem
    core = _strip_generic(bare.replace("“", "").replace("”", ""))
    if core.endswith(
        ("指定", "品牌", "关爱", "训练", "民生", "相关", "有关", "立法", "医疗", "类", "企业", "性", "获奖")
    ):
        return None
    if _ORG_WORD_IN_PROJECT_RE.search(stem):
        return None  # 开发区管理委员会项目: an organisation's projects in general
    # a capacity (年产10万吨), a phase (二期) or a Latin brand marks one project; a number
    # alone does not (01长盛路… is a list's numbering), nor a slogan in quotes (“即来即办”项目)
    marked = bool(_NAME_CAPACITY_RE.search(stem) or re.search(r"[A-Za-z]{2,}|期", stem))
    if not marked and is_ordinary_phrase(core):
        return None  # 人才公寓项目, 长效规划项目: a kind of project, not one project
    specific = marked or _has_proper_part(stem, gaz)
    if not specific and (core.endswith(_GENERIC_PROJECT_ENDS) or "“" in stem):
        return None  # 特聘专家项目, 服务项目, “红色物业”示范项目: programmes, not a named project
    if len(core) < (3 if specific or bare != stem else 4):
        return None
    return _Cand("project", start, m.end(), text[start : m.end()], _PROJECT_SUFFIX)


def _drop_nested(cands: list[_Cand]) -> list[_Cand]:
    """Drop a candidate that lies inside a longer one of the same kind."""
    by_kind: dict[str, list[_Cand]] = {}
    for cand in cands:
        by_kind.setdefault(cand.kind, []).append(cand)
    kept = []
    for cand in cands:
        if any(
            o is not cand and o.start <= cand.start and cand.end <= o.end and o.end - o.start > cand.end - cand.start
            for o in by_kind[cand.kind]
        ):
            continue
        kept.append(cand)
    return kept


def _reanchor(cands: list[_Cand]) -> list[_Cand]:
    """Cut prose off a company name that ends in another one's bare name (期待稳卓汽车部件有限公司)."""
    companies = [c for c in cands if c.kind == "company"]
    gaz = gazetteer()
    bares = set()
    for cand in companies:
        chain = gaz.scan(cand.name[:8])
        if chain and chain[0].start == 0:
            bares.add(cand.name[chain[0].end :])
    for cand in companies:
        for bare in bares:
            if len(bare) >= 6 and cand.name.endswith(bare) and len(cand.name) > len(bare):
                head = cand.name[: -len(bare)]
                if not gaz.lookup(head) and not (gaz.scan(head) and gaz.scan(head)[0].start == 0):
                    cand.start = cand.end - len(bare)
                    cand.name = bare
                    break
    return cands


# --------------------------------------------------------------------------- places and towns


def _standalone(ctx: _Context, match: PlaceMatch, inside: Sequence[Span], index: int) -> bool:
    """Whether a gazetteer match names a place on its own, not as part of a longer name."""
    start, end = match.start, match.end
    j = bisect.bisect_right(inside, (start, 10**9)) - 1
    while j >= 0 and j >= bisect.bisect_right(inside, (start, 10**9)) - 6:
        s, e = inside[j]
        if s <= start and end <= e and (s, e) != (start, end):
            return False
        j -= 1
    if ctx.in_title(start, end) or _SOURCE_RE.search(ctx.text, max(0, start - 12), start):
        return False
    quote = ctx.quote_around(start, end)
    if quote is not None and len(match.surface) + 1 < quote[1] - quote[0] - 2 <= 25:
        return False
    text = ctx.text
    # a chain such as 湖北省黄石市… shares what follows its last link
    last = match
    k = index + 1
    while k < len(ctx.places) and ctx.places[k].start == last.end:
        last = ctx.places[k]
        k += 1
    after = text[last.end : last.end + 14]
    if after.startswith(_PLACE_ORG_HEADS):
        return False
    tail = _PLACE_ORG_TAIL_RE.match(after)
    if tail and not _PLACE_VERB_RE.search(tail.group()):
        return False
    if not match.short or last is not match:
        return True
    before = text[max(0, start - 2) : start]
    chained_before = index > 0 and ctx.places[index - 1].end == start
    return (
        not after
        or not _is_cjk(after[0])
        or after.startswith(_SHORT_NEXT_OK)
        or bool(_NUMBERED_RE.match(after))
        or before.endswith(_SHORT_PREV_OK)
        or chained_before
    )


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _resolve_place(
    match: PlaceMatch, full_names: set[str], mentioned: set[str], prev: PlaceMatch | None
) -> Place | None:
    """Which unit a match means, or None when a short name has no support in the article."""
    places = [p for p in match.places if p.level != "town"]
    if not places:
        return None
    if not match.short:
        full = [p for p in places if p.name == match.surface]
        for place in full:
            if any(a.name in mentioned or a.short in mentioned for a in place.ancestors()):
                return place
        return full[0] if full else None
    for place in places:
        if place.name in full_names:
            return place
    for place in places:
        ancestors = place.ancestors()
        if prev is not None and prev.end == match.start and any(a in prev.places for a in ancestors):
            return place
        if place.level == "county" and any(
            (a.level == "city" or _is_municipality(a)) and (a.name in mentioned or a.short in mentioned)
            for a in ancestors
        ):
            return place
    higher = sorted((p for p in places if p.level in ("province", "city")), key=lambda p: p.level != "province")
    return higher[0] if higher else None


def _is_municipality(place: Place) -> bool:
    return place.level == "province" and place.name in ("北京市", "上海市", "天津市", "重庆市")


# --------------------------------------------------------------------------- entities


@dataclass
class _Entity:
    kind: EntityKind
    name: str
    forms: dict[str, list[Span]]
    place: Place | None = None

    def add(self, surface: str, start: int, end: int) -> None:
        spans = self.forms.setdefault(surface, [])
        if (start, end) not in spans:
            spans.append((start, end))

    def spans(self) -> list[Span]:
        return [span for spans in self.forms.values() for span in spans]


def _build_entities(ctx: _Context, gaz: Gazetteer) -> list[_Entity]:
    text = ctx.text
    cands = _named_candidates(ctx, gaz)
    # a park named inside a project's name (中车新能源装备制造产业园项目) is a park too
    for cand in list(cands):
        if cand.kind == "project":
            stem = cand.name[:-2]
            suffix = next((s for s in _PARK_STRONG + _PARK_WEAK if stem.endswith(s)), "")
            if suffix and len(stem) > len(suffix) + 1:
                same = [c for c in cands if c.kind == "park" and c.name == stem]
                for other in same:
                    other.proper = True
                if not same:
                    cands.append(_Cand("park", cand.start, cand.start + len(stem), stem, suffix))
    records: list[_Entity] = []
    by_key: dict[tuple[str, str], _Entity] = {}
    for cand in sorted((c for c in cands if c.proper), key=lambda c: (c.start, -len(c.name))):
        record = by_key.get((cand.kind, cand.name))
        if record is None:
            record = by_key[(cand.kind, cand.name)] = _Entity(cand.kind, cand.name, {})
            records.append(record)
        record.add(cand.name, cand.start, cand.end)
    records = _merge_aliases(records)
    for cand in cands:
        if not cand.proper:
            target = _alias_target(cand.name, cand.kind, records)
            if target is not None:
                target.add(cand.name, cand.start, cand.end)
    for record in records:
        _short_forms(record, text, gaz, records)

    # places and towns from the gazetteer, where they stand on their own
    inside = [span for record in records for span in record.spans()]
    inside.extend((c.outer, c.end) for c in cands if not c.proper and c.outer >= 0)  # 湖北省体教融合示范区
    inside.extend(m.span(1) for m in _DESIGNATION_VALUE_RE.finditer(text))
    inside.sort()
    full_names = {m.surface for m in ctx.places if not m.short}
    mentioned = {m.surface for m in ctx.places}
    place_records: dict[int, _Entity] = {}
    towns: dict[str, _Entity] = {}
    prev: PlaceMatch | None = None
    for index, match in enumerate(ctx.places):
        standalone = _standalone(ctx, match, inside, index)
        town = next((p for p in match.places if p.level == "town"), None)
        if town is not None:
            if _ordinary_town(text, match) or _inside_any(match.start, match.end, inside, strict=True):
                prev = match
                continue
            if ctx.in_title(match.start, match.end):
                prev = match
                continue
            record = towns.get(match.surface)
            if record is None:
                record = towns[match.surface] = _Entity("town", match.surface, {}, town)
            record.add(match.surface, match.start, match.end)
            prev = match
            continue
        place = _resolve_place(match, full_names, mentioned, prev)
        prev = match
        if place is None or not standalone:
            continue
        record = place_records.get(id(place))
        if record is None:
            record = place_records[id(place)] = _Entity("place", place.name, {}, place)
        record.add(match.surface, match.start, match.end)
    for record in place_records.values():
        full = record.place.name if record.place else record.name
        if full not in record.forms and full not in text:
            record.name = max(record.forms, key=lambda s: (len(record.forms[s]), len(s)))
    named_towns = {r.name for r in records if r.kind == "town"}
    all_records = records + [r for r in towns.values() if r.name not in named_towns] + list(place_records.values())
    return sorted(all_records, key=lambda r: min(s for s, _ in r.spans()))


def _ordinary_town(text: str, match: PlaceMatch) -> bool:
    """A town name that is read as ordinary words here: 促进乡村, 新城镇化."""
    stem = re.sub(r"(?:镇|乡|街道)$", "", match.surface)
    nxt = text[match.end : match.end + 1]
    return (match.surface.endswith("乡") and nxt == "村") or nxt == "化" or stem in verbs()


def _inside_any(start: int, end: int, spans: Sequence[Span], *, strict: bool) -> bool:
    j = bisect.bisect_right(spans, (start, 10**9)) - 1
    while j >= 0 and j >= bisect.bisect_right(spans, (start, 10**9)) - 6:
        s, e = spans[j]
        if s <= start and end <= e and (not strict or (s, e) != (start, end)):
            return True
        j -= 1
    return False


def _alias_of(short: str, long: str, kind: str) -> bool:
    """Whether ``short`` is a shortened form of ``long`` (临夏经开区 ↔ 临夏经济开发区)."""
    if kind == "company" and long.startswith(short) and long[len(short) :] in _LEGAL_SUFFIXES[:3]:
        return True  # 伊春森工集团 ↔ 伊春森工集团有限责任公司
    if len(short) >= len(long) or short[-1] != long[-1]:
        return False
    it = iter(long)
    if not all(ch in it for ch in short):
        return False
    if long.endswith(short):
        head = long[: -len(short)]
        if short[0] in "省市区县州" or (kind == "company" and len(short) >= 6):
            return True
        chain = gazetteer().scan(head)
        return len(short) >= 4 and (
            head in ("国家", "中国") or (bool(chain) and chain[0].start == 0 and chain[-1].end == len(head))
        )
    if short[0] == long[0]:
        return len(short) >= 4
    chain = gazetteer().scan(long[:8])
    return bool(chain) and chain[0].start == 0 and long[chain[0].end :].startswith(short[0]) and len(short) >= 4


def _alias_target(name: str, kind: str, records: list[_Entity]) -> _Entity | None:
    targets = [r for r in records if r.kind == kind and _alias_of(name, r.name, kind)]
    return targets[0] if len(targets) == 1 else None


def _merge_aliases(records: list[_Entity]) -> list[_Entity]:
    kept = list(records)
    for record in sorted(records, key=lambda r: len(r.name)):
        target = _alias_target(record.name, record.kind, [r for r in kept if r is not record])
        if target is not None:
            for surface, spans in record.forms.items():
                for start, end in spans:
                    target.add(surface, start, end)
            kept.remove(record)
    return kept


def _short_forms(record: _Entity, text: str, gaz: Gazetteer, records: list[_Entity]) -> None:
    """Add the shortened forms the article uses for a named entity (定襄法兰 for 定襄法兰专业镇)."""
    name = record.name
    candidates: list[str] = []
    if record.kind in ("town", "park", "project"):
        suffix = next(
            (s for s in (*_TOWN_SUFFIXES, *_PARK_STRONG, *_PARK_WEAK, _PROJECT_SUFFIX) if name.endswith(s)), ""
        )
        stem = name[: -len(suffix)] if suffix else name
        candidates = [stem, stem.strip("“”")]
        if record.kind == "project" and stem.endswith("新"):
            candidates += [stem[:-1], stem[:-1].strip("“”")]
    elif record.kind == "company" and record.name.endswith(("公司", "集团")):
        body = re.sub(r"(?:（[^）]{1,6}）)?(?:股份有限公司|有限责任公司|有限公司|集团|公司)$", "", name)
        chain = gaz.scan(body[:8])
        bare = body[chain[0].end :] if chain and chain[0].start == 0 else body
        candidates = [body[:n] for n in range(len(body), 3, -1)] + [bare[:n] for n in range(len(bare), 3, -1)]
        if bare != body and name.endswith("有限公司"):
            candidates.append(name[len(body) - len(bare) :])
    owned = record.spans()
    taken = sorted(span for other in records if other is not record for span in other.spans())
    for form in sorted(set(candidates), key=len, reverse=True):
        if len(form) < (4 if record.kind == "company" else 3) or form == name or form in _GENERIC_WORDS:
            continue
        if is_ordinary_phrase(form.strip("“”")):
            continue
        scan = gaz.scan(form)
        if gaz.lookup(form) or (scan and scan[0].start == 0 and scan[-1].end == len(form)):
            continue
        found = False
        pos = text.find(form)
        while pos >= 0:
            end = pos + len(form)
            if not _inside_any(pos, end, sorted(owned), strict=False) and not _inside_any(
                pos, end, taken, strict=False
            ):
                record.add(form, pos, end)
                owned.append((pos, end))
                found = True
            pos = text.find(form, pos + 1)
        if found and record.kind == "company":
            break


# --------------------------------------------------------------------------- regions


def _region(record: _Entity, records: list[_Entity], ctx: _Context) -> str:
    """The place the article says an entity lies in: the nearest unit above it that the
    article names, else a place at the head of its name, else the place named right before it."""
    places = {id(r.place): r for r in records if r.kind == "place" and r.place is not None}
    if record.place is not None:
        for ancestor in record.place.ancestors():
            if id(ancestor) in places:
                return places[id(ancestor)].name
        if record.kind == "place":
            return ""
    by_surface = {surface: r for r in records if r.kind == "place" for surface in r.forms}
    by_surface.update({r.place.name: r for r in records if r.kind == "place" and r.place is not None})
    first_start, first_end = min(record.spans())
    for match in reversed(ctx.leading_places(first_start, first_end)):
        for place in match.places:  # 定襄法兰专业镇 → 定襄县, named in full elsewhere
            if id(place) in places and places[id(place)] is not record:
                return places[id(place)].name
        if match.surface in by_surface and by_surface[match.surface] is not record:
            return by_surface[match.surface].name
    best, best_pos = "", -1
    for other in records:
        if other is record or other.kind not in ("place", "park", "town"):
            continue
        if other.kind != "place" and record.kind != "project":
            continue
        for start, end in other.spans():
            if end <= first_start and first_start - end <= 6 and start > best_pos:
                best, best_pos = other.name, start
    return best


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class _Occurrence:
    entity: str
    kind: EntityKind
    start: int
    end: int
    quoted: bool


def normalise_amount(value: str) -> tuple[float | None, str]:
    """Number and normalised unit of an amount as printed: "170亿元" → (1.7e10, "元").

    >>> normalise_amount("3000余万元")
    (30000000.0, '元')
    >>> normalise_amount("10.9万平方米")
    (109000.0, '平方米')
    """
    m = re.match(r"(?P<num>\d+(?:\.\d+)?)(?:余|多)?(?P<mult>万亿|亿|万|千)?(?P<unit>.*)$", value)
    if not m:
        return None, ""
    number = float(m.group("num")) * _MULTIPLIERS.get(m.group("mult") or "", 1.0)
    unit = m.group("unit") or ("元" if m.group("mult") in ("亿", "万亿") else "")
    if unit == "万千瓦":
        number *= 1e4
    return round(number, 6), _UNIT_NORMAL.get(unit, unit)


def _clause_spans(text: str, sentence: Span) -> list[Span]:
    spans = []
    start = sentence[0]
    for i in range(sentence[0], sentence[1]):
        if text[i] in _CLAUSE_END or text.startswith("——", i):
            if i > start:
                spans.append((start, i))
            start = i + 1
    if start < sentence[1]:
        spans.append((start, sentence[1]))
    return spans


_MODIFIER_RE = re.compile(r"[^，。；的]{0,6}的")
_CONTINUES_RE = re.compile(r"(?:预计|计划|将|建成后|达产后|投产后|全部投产|全部建成|项目建成|届时|建成投产后)")
_SUBJECT_HEAD_RE = re.compile(r"(?:在|据|截至|今年|去年|目前|近年来|\d{4}年)")


class _Sentence:
    """One sentence's clauses, the entities in it and the subject each clause carries."""

    def __init__(
        self,
        text: str,
        span: Span,
        occurrences: list[_Occurrence],
        last_project: _Occurrence | None,
        carried: _Occurrence | None,
    ):
        self.span = span
        self.clauses = _clause_spans(text, span)
        self.occurrences = [o for o in occurrences if span[0] <= o.start and o.end <= span[1]]
        self.subjects: list[_Occurrence | None] = []
        # a sentence with no name of its own that goes on about the project of the one before
        current = carried if not self.occurrences and _CONTINUES_RE.match(text, span[0]) else None
        for c_start, c_end in self.clauses:
            opener = None
            for occ in self.occurrences:
                if c_start <= occ.start < c_end and not occ.quoted:
                    head = text[c_start : occ.start]
                    # 在原平市，… opens a clause, but not 在济宁市上半年观摩会中
                    if (not head or _SUBJECT_HEAD_RE.fullmatch(head)) and (head != "在" or occ.end >= c_end - 1):
                        opener = occ
                    break
            referent = _REFERENT_RE.match(text, c_start)
            if opener is not None:
                # 勃林格殷格翰工厂屋顶的太阳能发电系统: the name only qualifies the subject
                current = None if _MODIFIER_RE.match(text, opener.end, c_end) else opener
            elif referent is not None:
                head = referent.group("head")
                current = last_project if last_project is not None and head in last_project.entity else None
            elif text[c_start : c_start + 1] in '“"' or text[c_start - 1 : c_start] in "：:":
                current = None  # quoted speech has subjects of its own
            self.subjects.append(current)

    def clause_at(self, k: int) -> int:
        for index, (start, end) in enumerate(self.clauses):
            if start <= k < end:
                return index
        return len(self.clauses) - 1


class _FactFinder:
    def __init__(self, ctx: _Context, records: list[_Entity]) -> None:
        self.ctx = ctx
        self.text = ctx.text
        occurrences = []
        for record in records:
            for start, end in record.spans():
                quoted = self.text[start - 1 : start] == "“" and self.text[end : end + 1] == "”"
                occurrences.append(_Occurrence(record.name, record.kind, start, end, quoted))
        self.occurrences = sorted(occurrences, key=lambda o: (o.start, -o.end))
        self.projects = [o for o in self.occurrences if o.kind == "project" and not o.quoted]
        names = {r.name for r in records if r.kind == "project"}
        self.redirect = {r.name: r.name + "项目" for r in records if r.kind == "park" and r.name + "项目" in names}
        self.facts: list[FactRecord] = []
        self.seen: set[tuple[str, str, int]] = set()
        self._sentences: dict[int, _Sentence] = {}

    def sentence(self, index: int) -> _Sentence:
        if index not in self._sentences:
            span = self.ctx.spans[index]
            earlier = [o for o in self.projects if o.end <= span[0]]
            carried = None
            if index > 0 and self.ctx.paragraphs[index - 1] == self.ctx.paragraphs[index]:
                before = self.sentence(index - 1)
                first = before.subjects[0] if before.subjects else None
                if first is not None and first.kind == "project":
                    carried = first
            self._sentences[index] = _Sentence(
                self.text, span, self.occurrences, earlier[-1] if earlier else None, carried
            )
        return self._sentences[index]

    def emit(self, entity: str, attribute: Attribute, start: int, end: int, period: str) -> None:
        entity = self.redirect.get(entity, entity)
        if (entity, attribute, start) in self.seen:
            return
        self.seen.add((entity, attribute, start))
        value = self.text[start:end]
        index = self.ctx.locate(start)
        number, unit = (None, "") if attribute in DATE_ATTRIBUTES else normalise_amount(value)
        self.facts.append(
            FactRecord(
                entity,
                attribute,
                value,
                number,
                unit,
                period,
                start,
                end,
                self.ctx.spans[index],
                self.ctx.paragraphs[index],
            )
        )

    def run(self, records: list[_Entity]) -> list[FactRecord]:
        text = self.text
        for record in records:  # capacity written into a project's name: 年产120万件…项目
            if record.kind == "project" and record.name in record.forms:
                m = _NAME_CAPACITY_RE.search(record.name)
                if m:
                    base = record.forms[record.name][0][0]
                    self.emit(record.name, "产能", base + m.start("num"), base + m.end("unit"), "")
        for attribute, pattern in _FACT_PATTERNS:
            for m in pattern.finditer(text):
                self._amount(attribute, m)
        for attribute, pattern in _EVENT_PATTERNS:
            for m in pattern.finditer(text):
                self._event(attribute, m)
        for m in _DESIGNATION_RE.finditer(text):
            self._designation(m)
        self._roles()
        unique: dict[tuple[str, str, str], FactRecord] = {}
        for fact in sorted(self.facts, key=lambda f: f.start):
            unique.setdefault((fact.entity, fact.attribute, fact.value), fact)
        return list(unique.values())

    def _amount(self, attribute: Attribute, m: re.Match[str]) -> None:
        text, k = self.text, m.start()
        if self.ctx.quote_around(m.start("num"), m.end("unit")) is not None:
            return  # a slogan or target in quotes, not a reported figure
        sentence = self.sentence(self.ctx.locate(k))
        index = sentence.clause_at(k)
        c_start, c_end = sentence.clauses[index]
        rest = text[m.end() : c_end]
        owner = self._owner(sentence, index, k, m.start("num"), attribute)
        if owner is None or _COUNT_SUBJECT_RE.search(text[owner.end : k]):
            return
        between = text[owner.end : k]
        if owner.kind != "project" and ("项目" in between or "一批" in between):
            return  # 服务一批…重点项目，总投资达459亿元: the figure is about those projects
        if attribute != "就业" and re.search(r"带动|拉动", text[c_start:k]) and not owner.start >= c_start:
            return  # 带动…新增产值: an indirect effect, not the entity's own figure
        if not (owner.start <= k < owner.end) and ("项目" in rest or re.match(r"[^，。；]{0,6}的", rest)):
            return  # the figure describes something else named after it
        period = _period(text, sentence.span[0], c_start, k)
        self.emit(owner.entity, attribute, m.start("num"), m.end("unit"), period)
        if attribute == "产能":
            more = _MORE_CAPACITY_RE.match(text, m.end(), c_end)
            if more:
                self.emit(owner.entity, attribute, more.start("num"), more.end("unit"), period)

    def _owner(self, sentence: _Sentence, index: int, k: int, num: int, attribute: Attribute) -> _Occurrence | None:
        """Who a figure belongs to: the entity whose name holds it, the one named before it in
        its clause, else the subject carried from an earlier clause (a project named there wins
        for project figures)."""
        c_start, c_end = sentence.clauses[index]
        inside = [o for o in sentence.occurrences if c_start <= o.start < c_end and not o.quoted]
        holding = [o for o in inside if o.start <= num < o.end]
        if holding:
            return holding[-1]
        before = [o for o in inside if o.end <= k]
        if before:
            between = self.text[before[-1].end : k]
            return before[-1] if "的" not in between and len(between) <= 14 else None
        if any(o.start >= k for o in inside):
            return None
        subject = sentence.subjects[index]
        if subject is None:
            return None
        if attribute in ("总投资", "投资", "面积", "产能", "产值") and subject.kind != "project":
            projects = [
                o for o in sentence.occurrences if subject.start <= o.start and o.end <= k and o.kind == "project"
            ]
            if projects:
                return projects[-1]
        return subject

    def _event(self, attribute: Attribute, m: re.Match[str]) -> None:
        text, k = self.text, m.start()
        sentence = self.sentence(self.ctx.locate(k))
        index = sentence.clause_at(k)
        c_start, c_end = sentence.clauses[index]
        inside = [o for o in sentence.occurrences if c_start <= o.start < c_end and not o.quoted]
        owners = [o for o in inside if o.end <= k and o.kind == "project"]
        if not owners:  # a park only when it is the clause's subject, not where something happens
            owners = [o for o in inside if o.end <= k and o.kind == "park" and text[o.start - 1 : o.start] != "在"]
        owner = owners[-1] if owners else None
        if owner is None and not any(o.end <= k for o in inside):
            subject = sentence.subjects[index]
            owner = subject if subject is not None and subject.kind in ("project", "park") else None
        if owner is None or (attribute == "签约" and owner.kind != "project"):
            return
        dates = [d for d in _DATE_RE.finditer(text, c_start, k) if not text[d.end() : d.end() + 1].isdigit()]
        if not dates and index > 0:
            head_start, head_end = sentence.clauses[0]
            if not any(head_start <= o.start < head_end and o.kind != "place" for o in sentence.occurrences):
                dates = [d for d in _DATE_RE.finditer(text, head_start, head_end) if d.end() == head_end]
        if not dates or text[dates[-1].start() - 1 : dates[-1].start()] in ("从", "自"):
            return
        if text[dates[-1].end() : dates[-1].end() + 1] in ("前", "后", "起") or _COUNT_RE.match(text, m.end()):
            return  # 年底前…投产一批: a deadline for projects in general
        if text.startswith(("一批", "一批次"), m.end()):
            return
        self.emit(owner.entity, attribute, dates[-1].start(), dates[-1].end(), "")
        if attribute == "签约":  # the parties that sign it: 兴县经济技术开发区与安徽稳卓…公司…签约
            for party in inside:
                if party.end <= owner.start and party.kind in ("company", "park") and _PARTY_RE.match(text, party.end):
                    self.emit(party.entity, attribute, dates[-1].start(), dates[-1].end(), "")
                    partner = _PARTY_RE.match(text, party.end)
                    other = next((o for o in inside if partner and o.start == partner.end()), None)
                    if other is not None and other.kind in ("company", "park"):
                        self.emit(other.entity, attribute, dates[-1].start(), dates[-1].end(), "")

    def _roles(self) -> None:
        """People in roles, named right after their organisation or place: 安徽稳卓汽车部件有限
        公司董事长周伦强 → (安徽稳卓汽车部件有限公司, 董事长, 周伦强)."""
        for o in self.occurrences:
            if o.kind == "project" or o.quoted:
                continue
            m = _ROLE_RE.match(self.text, o.end)
            if m and m.group("person")[0] not in _NOT_NAME_START:
                self.emit(o.entity, m.group("role"), m.start("person"), m.end("person"), "")  # type: ignore[arg-type]

    def _designation(self, m: re.Match[str]) -> None:
        text, k = self.text, m.start()
        attribute: Attribute = "入选" if m.group().startswith("入选") else "获批"
        sentence = self.sentence(self.ctx.locate(k))
        index = sentence.clause_at(k)
        c_start, c_end = sentence.clauses[index]
        v_start = m.end()
        if text.startswith("“", v_start):
            close = text.find("”", v_start, c_end)
            if close <= v_start + 1:
                return
            v_start, v_end = v_start + 1, close
        else:
            cut = re.search(r"[，。；！？、（]", text[v_start:c_end])
            v_end = v_start + (cut.start() if cut else c_end - v_start)
        value = text[v_start:v_end]
        if len(value) < 4 or re.search(r"\d+[家个项]$", value) or "”" in text[c_start:k]:
            return
        after = text[v_end + (1 if text[v_end : v_end + 1] == "”" else 0) : c_end]
        if re.match(r"[^，。；]{0,12}的", after):
            return  # 普陀区入选“海聚基地”的7个园区平台: the honour belongs to what follows 的
        if not _DESIGNATION_END_RE.search(value) or is_ordinary_phrase(value[:2]) and value[:2] in verbs():
            return  # 获批建设…以来: not the name of what it became
        inside = [o for o in sentence.occurrences if c_start <= o.start < c_end and not o.quoted]
        before = [o for o in inside if o.end <= k]
        if not before and re.search(r"项目|\d+[个家项]|[一二三四五六七八九十两]+[个家项]", text[c_start:k]):
            return  # 三个项目全部入选…: the clause has a subject of its own
        if before:
            gap = text[before[-1].end : k]
            if len(gap) > 6 or gap.strip("正式成功已经也还被新") != "":
                return
            owners = [before[-1]]
            for occ in reversed(before[:-1]):
                if text[occ.end : owners[0].start] in ("和", "、", "及", "与"):
                    owners.insert(0, occ)
                else:
                    break
        else:
            if any(o.quoted and c_start <= o.start < k for o in sentence.occurrences):
                return
            subject = sentence.subjects[index]
            if subject is None:
                return
            owners = [subject]
        for owner in owners:
            self.emit(owner.entity, attribute, v_start, v_end, "")


def _period(text: str, sentence_start: int, clause_start: int, k: int) -> str:
    found = list(_TIME_RE.finditer(text, clause_start, k)) or list(_TIME_RE.finditer(text, sentence_start, k))
    return found[-1].group() if found else ""


# --------------------------------------------------------------------------- public


def extract_entities(article: Article) -> Extraction:
    """Entities (places, towns, parks, projects, companies) and their facts in one article.

    Every mention and fact points at verbatim text: ``article.text[m.start:m.end] == m.name``
    and its ``sentence`` is one of the article's sentence spans, so a fact can be cited like
    an answer. The result is deterministic and needs no model; the gazetteer is loaded once.
    """
    gaz = gazetteer()
    ctx = _context(article, gaz)
    if not ctx.spans:
        return Extraction((), ())
    records = _build_entities(ctx, gaz)
    facts = _FactFinder(ctx, records).run(records)
    about = _article_place(article.title, records, gaz)
    entities = []
    for record in records:
        mentions = []
        for surface, spans in record.forms.items():
            for start, end in spans:
                index = ctx.locate(start)
                sentence = ctx.spans[index]
                if end <= sentence[1]:
                    mentions.append(Mention(surface, start, end, sentence, ctx.paragraphs[index]))
        if not mentions:
            continue
        mentions.sort(key=lambda m: m.start)
        aliases = tuple(sorted({m.name for m in mentions if m.name != record.name}, key=lambda s: (-len(s), s)))
        region = _region_chain(record, records, ctx, gaz, about)
        entities.append(EntityRecord(record.name, record.kind, aliases, region, tuple(mentions)))
    return Extraction(tuple(entities), tuple(facts))


def _earlier_in_sentence(record: _Entity, records: list[_Entity], ctx: _Context) -> _Entity | None:
    """The place (or, for a project, the town or park) named last before the entity's first
    mention in the same sentence."""
    first_start, _ = min(record.spans())
    sentence_start = ctx.spans[ctx.locate(first_start)][0]
    kinds = ("place", "town", "park") if record.kind == "project" else ("place",)
    best: tuple[int, _Entity] | None = None
    for other in records:
        if other is record or other.kind not in kinds:
            continue
        for start, end in other.spans():
            if sentence_start <= start and end <= first_start and (best is None or start > best[0]):
                best = (start, other)
    return best[1] if best else None


def _article_place(title: str, records: list[_Entity], gaz: Gazetteer) -> Place | None:
    named = [r.place for r in records if r.kind == "place" and r.place is not None]
    counted = Counter(id(r.place) for r in records if r.kind == "place" and r.place is not None for _ in r.spans())
    in_title = [p for m in gaz.scan(title) for p in m.places[:1] if len(m.places) == 1]
    return article_place(in_title, counted, {id(p): p for p in named})


def _region_chain(record: _Entity, records: list[_Entity], ctx: _Context, gaz: Gazetteer, about: Place | None) -> str:
    """Every unit the entity lies in, nearest first, as stored ("定襄县/忻州市/山西省"); see
    ``_regions``. A place's own chain starts above it."""
    named = [r.place for r in records if r.kind == "place" and r.place is not None]
    if record.kind == "place":
        return join(chain_of(record.place)[1:]) if record.place is not None else ""
    nearest = _region(record, records, ctx)
    holder = next((r for r in records if r.name == nearest), None)
    if holder is not None and holder is not record:
        if holder.kind == "place" and holder.place is not None:
            return join(chain_of(holder.place))
        if holder.kind != "place":  # a project in a park: the park, then the park's own chain
            above = _region_chain(holder, [r for r in records if r is not record], ctx, gaz, about)
            return join([nearest, *above.split(SEPARATOR)])
    place = head_place(record.name, gaz, named)
    if place is None and record.kind in ("town", "park", "project"):
        holder = _earlier_in_sentence(record, records, ctx)
        if holder is not None:  # 五寨县建成……，为“特色杂粮”专业镇扩规提质
            if holder.kind == "place" and holder.place is not None:
                return join(chain_of(holder.place))
            return join(
                [
                    holder.name,
                    *_region_chain(holder, [r for r in records if r is not record], ctx, gaz, about).split(SEPARATOR),
                ]
            )
        place = about
    return join([nearest, *chain_of(place)]) if place is not None else nearest
