"""News web pages: the article body without the page around it, and the date and author
from the page's info line and metadata."""

from __future__ import annotations

import pytest

from ingest import IngestError, parse_file

MODERN_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>晋中高新区：上半年新签约项目26个_地方动态_山西新闻网</title>
<meta name="keywords" content="晋中高新区,招商引资">
<meta name="description" content="今年上半年，晋中高新区新签约项目26个，总投资138.6亿元。">
<meta property="article:published_time" content="2025-07-01T22:00:00+08:00">
<script>var _hmt = _hmt || []; (function(){ var hm = document.createElement("script"); })();</script>
<style>.nav{color:red}</style>
</head>
<body>
<div class="top-bar"><a href="/">首页</a> | <a href="/login">登录</a> | <a href="/reg">注册</a></div>
<nav class="main-nav"><ul><li><a href="/news">新闻</a></li><li><a href="/local">地方</a></li>
<li><a href="/econ">经济</a></li><li><a href="/video">视频</a></li></ul></nav>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/news">新闻中心</a> &gt; 地方动态</div>
<div class="main">
 <div class="article">
  <h1 class="title">晋中高新区：上半年新签约项目26个</h1>
  <div class="info"><span>2025-07-02 10:15</span>　<span>来源：晋中日报</span>　<span>作者：刘洋</span></div>
  <div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
  <div class="content" id="content">
   <p>本报讯 今年上半年，晋中高新区新签约项目 26 个，总投资 138.6 亿元，其中亿元以上项目 18 个。</p>
   <p>园区负责人介绍，今年以来，高新区围绕新材料、生物医药、信创三大主导产业，开展产业链精准招商，
   先后赴长三角、珠三角等地开展招商推介活动12场次。</p>
   <p>下一步，高新区将持续优化营商环境，推动签约项目早开工、早投产、早见效，为全市经济高质量发展贡献力量。</p>
  </div>
  <div class="editor">责任编辑：王敏</div>
 </div>
 <div class="related"><h3>相关阅读</h3><ul><li><a href="/a1">太原高新区一季度经济运行平稳</a></li>
 <li><a href="/a2">长治高新区获批全省首批绿电产业园试点园区</a></li><li><a href="/a3">阳曲工业园区招商大会成功举办</a></li></ul></div>
 <div class="comments" id="comments"><h3>网友评论</h3><div class="comment">网友A：支持高新区发展！</div>
 <div class="comment">网友B：希望多招点好项目。</div><form><textarea></textarea><button>发表评论</button></form></div>
</div>
<footer><p>版权所有：山西新闻网 晋ICP备12345678号</p><p>联系我们 | 关于我们 | 广告服务</p></footer>
</body>
</html>
"""

PORTAL_PAGE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>定襄法兰产业产值突破170亿元--忻州新闻网</title></head>
<body>
<div id="header"><div class="logo"><img src="logo.png" alt="忻州新闻网"/></div>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/xw">新闻</a></li><li><a href="/zw">政务</a></li></ul></div>
<table width="960"><tr><td class="left">
<div class="position">您的位置：<a href="/">首页</a> &gt;&gt; <a href="/xw">忻州要闻</a></div>
<div class="biaoti">定襄法兰产业产值突破170亿元</div>
<div class="laiyuan">2025年06月03日 08:32　来源：山西日报　记者：王波　浏览次数：1532　字号：<a>大</a> <a>中</a> <a>小</a></div>
<div class="zhengwen">
　　本报讯 2024年，定襄县法兰产业实现产值170亿元，同比增长12%，产品远销40多个国家和地区。<br/>
　　据介绍，定襄县现有法兰锻造企业260余家，其中规模以上企业68家，形成了从原材料到精加工的完整产业链。<br/>
　　今年以来，该县加快推进法兰产业数字化改造，新建智能生产线23条，带动企业平均生产效率提升30%以上。<br/>
</div>
<div class="fenxiang">分享到：<a>微信</a> <a>微博</a> <a>QQ</a></div>
<div class="xgxw"><b>相关新闻</b><ul><li><a href="/1">忻州：孕育“镇”兴力量 赋能高质量发展</a> 2025-05-20</li>
<li><a href="/2">定襄法兰亮相国际展会</a> 2025-04-11</li></ul></div>
</td><td class="right"><div class="hot"><b>热点排行</b><ol><li><a>五台山景区门票新政</a></li>
<li><a>忻州高铁站改造完工</a></li></ol></div></td></tr></table>
<div id="footer">主办：忻州日报社 版权所有 晋ICP备05001234号 联系电话：0350-1234567</div>
</body></html>
"""

META_ONLY_PAGE = """<html><head><meta charset="utf-8">
<title>长治高新区获批全省首批绿电产业园试点园区 - 长治日报</title>
<meta property="og:title" content="长治高新区获批全省首批绿电产业园试点园区">
<meta property="article:published_time" content="2025-05-18T09:00:00+08:00">
<meta name="author" content="李茹">
</head><body>
<header class="site-header"><a href="/">长治日报</a><nav><a>要闻</a><a>县区</a><a>专题</a></nav></header>
<main><article>
<h1>长治高新区获批全省首批绿电产业园试点园区</h1>
<div class="article-body">
<p>日前，长治高新区正式获批成为山西省首批绿电产业园试点园区，将重点发展光伏、储能、氢能等产业。根据试点方案，园区将建设分布式光伏项目和集中式储能电站。</p>
<p>试点分三期进行，到2027年园区绿电使用比例将达到60%以上，年减少二氧化碳排放约50万吨。高新区管委会相关负责人表示，将以试点为契机，吸引更多绿色低碳企业入驻。</p>
</div>
<div class="share-bar"><button>分享到微信</button><button>分享到微博</button><span>点赞 128</span></div>
</article>
<section class="comments"><h3>评论（2）</h3>
<div class="comment"><span class="user">长治老乡</span><p>这是好事，希望园区越办越好，我们长治人为家乡的发展感到骄傲和自豪，期待更多好消息！</p></div>
<div class="comment"><span class="user">路人甲</span><p>绿电园区什么时候开始招工？有没有具体的岗位信息可以看看？</p></div>
</section>
<aside class="related"><h3>相关推荐</h3><a>长治高新区一季度经济运行平稳向好</a><a>山西绿电产业发展综述</a></aside>
</main>
<footer>© 2025 长治日报社 版权所有 未经授权禁止转载</footer>
</body></html>
"""

INFO_IN_BODY_PAGE = """<html><head><meta charset="gb2312"><title>阳曲工业园区招商大会成功举办</title></head><body>
<div class="nav"><a>首页</a> <a>园区动态</a> <a>招商引资</a> <a>联系我们</a></div>
<div class="wrap"><div class="article">
<h2>阳曲工业园区招商大会成功举办</h2>
<div class="article-content">
<p>2025-06-03 来源：山西日报 作者：张三 李四</p>
<p>6月2日，山西转型综改示范区阳曲工业园区招商大会在太原举办，现场签约项目15个，总投资62亿元。</p>
<p>签约项目涵盖新能源装备、现代物流、食品加工等领域，预计全部达产后年产值可达90亿元。</p>
<p>园区负责人表示，将为落地企业提供全流程代办服务，确保项目早落地、早投产。</p>
</div></div>
<div class="pager"><a>上一篇：园区召开安全生产会议</a> <a>下一篇：园区举办人才招聘会</a></div>
</div>
<div class="foot">阳曲工业园区管委会 版权所有</div>
</body></html>
"""

UNDATED_PAGE = """<html><head><meta charset="utf-8"><title>示范区新签项目</title></head><body>
<article><h1>示范区新签项目</h1>
<p>示范区今年新签约项目12个，总投资85亿元，预计2026年全部投产，2025年底前完成主体工程建设。</p>
<p>项目涵盖新材料、高端装备制造和现代服务业等领域，将带动就业岗位3000余个。</p>
</article></body></html>
"""


def _one(tmp_path, html: str, name: str = "page.html", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(html.encode(encoding))
    [article] = parse_file(path).articles
    return article


def test_modern_page_body_title_date_author_without_page_furniture(tmp_path):
    article = _one(tmp_path, MODERN_PAGE)
    assert article.title == "晋中高新区：上半年新签约项目26个"
    assert article.date == "2025-07-02"  # the info line as printed, not the UTC-ish meta time
    assert article.byline == "刘洋"
    assert article.lead == "本报讯"
    assert [p.text[:8] for p in article.paragraphs] == ["本报讯 今年上半", "园区负责人介绍，", "下一步，高新区将"]
    assert "总投资138.6亿元" in article.text
    for noise in (
        "首页",
        "登录",
        "分享到",
        "微信",
        "相关阅读",
        "太原高新区",
        "网友",
        "发表评论",
        "版权所有",
        "责任编辑",
        "来源",
    ):
        assert noise not in article.text, noise


def test_table_portal_with_br_paragraphs_and_site_suffix_in_title(tmp_path):
    article = _one(tmp_path, PORTAL_PAGE, "portal.htm")
    assert article.title == "定襄法兰产业产值突破170亿元"
    assert article.date == "2025-06-03"
    assert article.byline == "记者 王波"
    assert len(article.paragraphs) == 3  # the <br> runs stay separate paragraphs
    assert article.paragraphs[0].text.startswith("本报讯")
    assert article.paragraphs[2].text.endswith("提升30%以上。")
    for noise in ("您的位置", "浏览次数", "分享到", "相关新闻", "亮相国际展会", "热点排行", "五台山", "ICP"):
        assert noise not in article.text, noise


def test_meta_date_and_author_when_no_info_line(tmp_path):
    article = _one(tmp_path, META_ONLY_PAGE)
    assert article.title == "长治高新区获批全省首批绿电产业园试点园区"
    assert article.date == "2025-05-18"
    assert article.byline == "李茹"  # trafilatura drops one-word authors; read from <meta name="author">
    assert len(article.paragraphs) == 2
    for noise in ("评论", "长治老乡", "招工", "点赞", "相关推荐", "版权所有"):
        assert noise not in article.text, noise


def test_info_line_inside_the_body_gives_date_and_authors_and_is_not_text(tmp_path):
    article = _one(tmp_path, INFO_IN_BODY_PAGE, encoding="gb18030")  # a GB2312 page
    assert article.title == "阳曲工业园区招商大会成功举办"
    assert article.date == "2025-06-03"
    assert article.byline == "张三 李四"
    assert article.paragraphs[0].text.startswith("6月2日，山西转型综改示范区")
    assert "来源" not in article.text and "作者" not in article.text
    assert "上一篇" not in article.text and "版权所有" not in article.text


def test_info_line_above_the_headline(tmp_path):
    html = (
        "<html><body><div class='related'><a>旧闻标题一</a><span>2024-01-05</span></div>"
        "<div class='meta'>发布时间：2025-03-08 09:30 | 来源：太原日报 | 编辑：赵六</div>"
        "<h1>太原高新区一季度经济运行平稳</h1><div class='text'>"
        f"<p>{'一季度，太原高新区规模以上工业增加值同比增长8.2%，固定资产投资同比增长15%。' * 2}</p>"
        f"<p>{'区内重点项目建设有序推进，新开工项目14个，总投资46亿元。' * 2}</p></div></body></html>"
    )
    article = _one(tmp_path, html)
    assert article.title == "太原高新区一季度经济运行平稳"
    assert article.date == "2025-03-08"
    assert article.byline == ""  # an editor is not the author
    assert "编辑" not in article.text and "旧闻" not in article.text


def test_years_in_the_body_are_not_taken_for_the_date(tmp_path):
    article = _one(tmp_path, UNDATED_PAGE)
    assert article.date == ""
    assert article.title == "示范区新签项目"
    assert "预计2026年全部投产" in article.text


def test_tiny_page_falls_back_to_the_tag_reader(tmp_path):
    html = "<html><body><nav>首页</nav><h1>短讯标题</h1><p>园区签约。</p></body></html>"
    article = _one(tmp_path, html)
    assert article.title == "短讯标题"
    assert article.text == "园区签约。"


def test_page_without_text_is_empty(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title></title></head><body><script>var a = 1;</script></body></html>")
    with pytest.raises(IngestError) as info:
        parse_file(path)
    assert info.value.reason == "empty"
