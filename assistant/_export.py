"""A conversation as a document a report can quote from: Markdown and Word (.docx).

Every answer is followed by its references — title, outlet, date (or 未注明日期), author,
paragraph — and the verbatim quote, so a figure copied out of the export can still be
traced to its sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ._types import Answer

Exchange = tuple[str, Answer]
"""One question and the answer it got."""


def _notes(res: Answer) -> list[str]:
    """What the app prints under an answer: its dates, a notice, the suggested questions."""
    notes = [f"（{res.scope}）" if res.scope else "", f"提示：{res.notice}" if res.notice else ""]
    notes.append("可以这样问：" + "、".join(f"“{q}”" for q in res.suggestions) if res.suggestions else "")
    return [note for note in notes if note]


def export_markdown(conversation: Sequence[Exchange], *, title: str = "新闻助手对话记录") -> str:
    """The conversation as Markdown: ``## 问`` per question, the answer, its sources."""
    lines = [f"# {title}", "", f"导出时间：{datetime.now():%Y-%m-%d %H:%M}", ""]
    for i, (question, res) in enumerate(conversation, 1):
        lines += [f"## {i}. 问：{question}", "", f"答：{res.text}"]
        lines += _notes(res)
        if res.citations:
            lines += ["", "出处：" if res.found else "文章报道的是（不是所问的）："]
            lines += [f"{n}. [{c.number}] {c.reference()}：“{c.quote}”" for n, c in enumerate(res.citations, 1)]
        elif res.related:
            lines += ["", "相关文章：", *(f"- 《{r.title}》{('，' + r.date) if r.date else ''}" for r in res.related)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def export_docx(conversation: Sequence[Exchange], path: str | Path, *, title: str = "新闻助手对话记录") -> Path:
    """The conversation as a Word document at ``path``; the same content as the Markdown."""
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=0)
    doc.add_paragraph(f"导出时间：{datetime.now():%Y-%m-%d %H:%M}")
    for i, (question, res) in enumerate(conversation, 1):
        doc.add_heading(f"{i}. 问：{question}", level=2)
        doc.add_paragraph(f"答：{res.text}")
        for line in _notes(res):
            doc.add_paragraph(line)
        if res.citations:
            doc.add_paragraph("出处：" if res.found else "文章报道的是（不是所问的）：")
            for c in res.citations:
                item = doc.add_paragraph(style="List Number")
                item.add_run(f"[{c.number}] {c.reference()}：")
                item.add_run(f"“{c.quote}”").italic = True
        elif res.related:
            doc.add_paragraph("相关文章：")
            for r in res.related:
                doc.add_paragraph(f"《{r.title}》{('，' + r.date) if r.date else ''}", style="List Bullet")
    path = Path(path)
    doc.save(str(path))
    return path
