"""Build ``ingest/data/places.tsv``, the compact place gazetteer used by entity extraction.

Source: the Chinese administrative-division dictionary ``china_location.txt`` shipped (zipped)
inside the ``jionlp`` package (https://github.com/dongrixinyu/JioNLP, Apache License 2.0, which
allows redistributing derived data with attribution; the attribution is written into the
output's header). jionlp is only a build-time source: this script reads its data file and never
imports the package (importing it prints a banner and is slow), and nothing at run time needs
it. Rebuild with::

    .venv/bin/pip install --no-deps jionlp==1.5.31
    .venv/bin/python -m bench.build_gazetteer            # or: --source path/to/china_location.zip

Output, one line per unit in tree order (a unit's parent is the nearest line above it of the
level above)::

    P<TAB>省级全称<TAB>简称
    C<TAB>地级全称<TAB>简称
    D<TAB>县级全称<TAB>简称<TAB>镇 乡 街道 (space separated)
    Z<TAB>zone name<TAB>short<TAB>towns      (a county-level zone, not a place: 苏州工业园区 …)

A city line with no name (``C<TAB><TAB>``) is a container such as 省直辖行政区划.

Villages and communities are dropped, and so are the sub-units of 台湾、香港、澳门 (their
district names collide with common words and mainland names).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import re
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "ingest" / "data" / "places.tsv"
_TOWN_SUFFIXES = ("镇", "乡", "街道")
_GENERIC_TOWNS = frozenset({"中心镇", "新镇", "城镇", "乡镇", "集镇", "小镇", "古镇", "重镇", "名镇", "强镇"})
_TOP_ONLY = frozenset({"台湾省", "香港特别行政区", "澳门特别行政区"})
_REAL_NEW_DISTRICTS = frozenset({"浦东新区", "滨海新区", "沈北新区", "清新区"})
_NOT_A_PLACE = re.compile(
    r"开发区|(?:工业|产业|创意|化工)园区?$|示范区|实验区|试验区|保税区|新区$|管理区|管委会|委员会|新城$|群岛|行政区划"
)
"""County-level units in the source that are zones or containers, not places people name as
such (written as ``Z`` lines: their towns keep the city as region, the name is not a place)."""
HEADER = (
    "# Chinese administrative divisions down to 镇/乡/街道, derived from jionlp {version}'s\n"
    "# dictionary/china_location.txt (https://github.com/dongrixinyu/JioNLP, Apache License 2.0,\n"
    "# Copyright dongrixinyu). Built by bench/build_gazetteer.py; do not edit by hand.\n"
    "# P/C/D = province/city/county: full name, short name[, towns].\n"
)


def _default_source() -> Path:
    """The installed jionlp's zipped dictionary, found without importing the package."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("jionlp is not installed: pip install --no-deps jionlp, or pass --source")
    return Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "china_location.zip"


def _read_source(path: Path) -> str:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return archive.read("china_location.txt").decode("utf-8")
    return path.read_text(encoding="utf-8")


def build(text: str, version: str) -> str:
    """The gazetteer file's text from ``china_location.txt``'s text (tab-indented tree)."""
    out = io.StringIO()
    out.write(HEADER.format(version=version))
    skip_below: int | None = None
    county: list[str] | None = None
    towns: list[str] = []

    def flush() -> None:
        nonlocal county, towns
        if county is not None:
            out.write("\t".join([*county, " ".join(towns)]) + "\n")
        county, towns = None, []

    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip("\t").split("\t")
        if skip_below is not None and depth > skip_below:
            continue
        skip_below = None
        name = fields[0].strip()
        short = fields[2].strip() if len(fields) > 2 else ""
        if depth <= 2:
            flush()
        if depth == 0:
            out.write(f"P\t{name}\t{short}\n")
            if name in _TOP_ONLY:
                skip_below = 0
        elif depth == 1:
            out.write(f"C\t{name}\t{short}\n" if "行政区划" not in name else "C\t\t\n")
        elif depth == 2:
            real = name in _REAL_NEW_DISTRICTS or not _NOT_A_PLACE.search(name)
            county = ["D" if real else "Z", name, short]
        elif (
            depth == 3
            and county is not None
            and name.endswith(_TOWN_SUFFIXES)
            and len(name) >= 3
            and name not in _GENERIC_TOWNS
            and name not in towns
        ):
            towns.append(name)
    flush()
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="china_location.zip or .txt (default: the installed jionlp's)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    source = args.source or _default_source()
    version = "1.5.31"
    try:
        from importlib.metadata import version as dist_version

        version = dist_version("jionlp")
    except Exception:  # noqa: BLE001 - the version only labels the header
        pass
    data = build(_read_source(source), version)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(data, encoding="utf-8")
    lines = data.count("\n")
    print(f"wrote {args.output} ({len(data.encode('utf-8')) / 1024:.0f} KiB, {lines} lines) from {source}")


if __name__ == "__main__":
    main()
