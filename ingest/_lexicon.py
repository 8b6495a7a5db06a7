"""Common Chinese words and verbs, from jieba's dictionary, for telling names from prose.

Entity extraction needs two judgements a suffix pattern cannot make: where the prose before
a name ends (a verb such as 离不开 / 扩大 / 发挥 stands there) and whether the words before a
suffix are a name at all (建材公司, 光伏项目 are ordinary nouns; 福耀集团, 大铲湾项目 are
not). jieba's dictionary (already a dependency, the same file ``cut_words`` loads) tags each
word; it is read once, lazily, under a lock.
"""

from __future__ import annotations

import threading

_PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "eng", "x"})
_MIN_COMMON_FREQ = 50
_MIN_VERB_FREQ = 100
_MIN_PROPER_AS_COMMON = 600
"""jieba tags some everyday words as names or abbreviations (房地产 j, 许可 nr); frequent ones count as common."""
_PROSE_TAGS = frozenset({"v", "c", "p", "r"})
"""Verbs, conjunctions, prepositions and pronouns: words that end the prose before a name."""

NAME_VERBS = frozenset(
    str.split("""
    创新 开发 制造 改造 应用 保护 示范 孵化 种植 转化 提升 共享 扩建 联动 承接 集聚 回归 加工 养殖 研发 生产 设计
    发展 建设 服务 投资 合作 管理 运营 检测 融合 升级 综合 循环 配套 改扩建 智造 创业 创意 培训 发电 储能 物流
    交易 展示 体验 运输 装备 装配 控制 监测 治理 修复 开采 冶炼 利用 处置 回收 捕集 传动 驱动 研究 教育 康养 养老
    旅游 度假 生活 居住 办公 育种 育苗 科创 实验 试验 检验 测试 计量 认证 焊接 锻造 铸造 冲压 注塑 包装 印刷 仓储
    配送 分拣 结算 支付 共建 合资 控股 协同 集成 规划 建造 安装 施工 监理 勘察 咨询 租赁 改革 开放 引领 振兴
    转型 节能 减排 环保 降温 保障 防治 救援 消防 保险 搬迁 安置 更新 提质 扩容 扩能 增效 互联 通信 传媒 出版 发行
    营销 销售 批发 零售 贸易 进出口 流通 加油 充电 换电 供热 供气 供水 排水 净化 过滤 处理 利用 再生 循环利用 整治
    提升改造 延伸 拓展 扩展 补链 延链 强链 链接 连接 贯通 通道 集中 集散 分销 采购 经营 开采 探矿 勘探 选矿 炼化
    精制 提炼 制备 合成 纺织 印染 服装 编织 酿造 烘焙 冷藏 冷链 保鲜 屠宰 育肥 繁育 栽培 采摘 收储 加固 改建 新建
    续建 修缮 维修 保养 清洗 检修 运维 监控 调度 指挥 应急 救助 帮扶 援建 托管 托育 照护 医养 护理 康复 诊疗 诊断
    审批 监督 监管 执法 审计 统计 公证 仲裁 调解 登记 备案 招商 引资 投促 促进 评估 鉴定 征收 采购 拍卖 保卫 维护
    管控 开放 交流 发展改革 信息化 产业化 现代化 一体化 示范区 快递
    """)
)
"""Verbs (jieba tag ``v``/``vn``) that are ordinary parts of names (智能制造基地, 碳捕集与利用示范项目)."""

_lock = threading.Lock()
_words: tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]] | None = None
_NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})


def _load() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    import jieba

    common: set[str] = set()
    verbs: set[str] = set()
    known: set[str] = set()
    names: set[str] = set()
    with jieba.get_dict_file() as f:
        for raw in f:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            parts = line.split()
            if len(parts) < 3:
                continue
            word, freq, tag = parts[0], int(parts[1]), parts[2]
            if len(word) < 2:
                continue
            if freq >= _MIN_COMMON_FREQ and len(word) <= 4:
                known.add(word)
            if tag in _PROPER_TAGS and not (tag in ("j", "nr") and freq >= _MIN_PROPER_AS_COMMON):
                if tag in _NAME_TAGS and len(word) <= 4:
                    names.add(word)
                continue
            if freq >= _MIN_COMMON_FREQ:
                common.add(word)
            if tag in _PROSE_TAGS and freq >= _MIN_VERB_FREQ and word not in NAME_VERBS and len(word) <= 3:
                verbs.add(word)
    return frozenset(common), frozenset(verbs), frozenset(known), frozenset(names)


def _lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    global _words
    if _words is None:
        with _lock:
            if _words is None:
                _words = _load()
    return _words


def common_words() -> frozenset[str]:
    """Ordinary words of two or more characters (not names: jieba's nr/ns/nt/nz/j tags excluded)."""
    return _lexicon()[0]


def known_words() -> frozenset[str]:
    """Every dictionary word of two to four characters, names included (二氧化碳, 长兴岛)."""
    return _lexicon()[2]


def proper_words() -> frozenset[str]:
    """Words of two to four characters that jieba tags as names of people, places,
    organisations or brands (李时珍, 比亚迪, 腾讯), for telling a named park from a described one."""
    return _lexicon()[3]


def verbs() -> frozenset[str]:
    """Two- and three-character verbs, conjunctions, prepositions and pronouns that do not
    usually stand inside names (离不开, 虽然, 根据, 他们)."""
    return _lexicon()[1]


_FILLER_CHARS = frozenset("式性型化业类级新老大小多各全总副省市区县州镇乡村的之和与及等个项")


def is_ordinary_phrase(text: str) -> bool:
    """Whether ``text`` is made only of ordinary words (建材, 生态农业, 综合式主题活动), so that
    ``text`` + a suffix is a description, not a name."""
    if not text:
        return True
    common = common_words()
    n = len(text)
    reach = [False] * (n + 1)
    reach[0] = True
    for i in range(1, n + 1):
        if text[i - 1] in _FILLER_CHARS and reach[i - 1]:
            reach[i] = True
            continue
        for size in (2, 3, 4):
            if i - size >= 0 and reach[i - size] and text[i - size : i] in common:
                reach[i] = True
                break
    return reach[n]
