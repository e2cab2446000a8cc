"""A streaming XLSX (Office Open XML spreadsheet) writer for the whole-dataset workbook.

Why not xlsxwriter: its constant-memory mode, the only one that does not hold every cell, writes
each string inline (`<is><t>...</t></is>`), so the doc_ids, codes and labels repeated on every row
are stored millions of times, and every cell is a few Python calls deep (30 CPU s and 28 MB for
1,000 documents). This writer streams each sheet into the ZIP as rows arrive and keeps a table of
shared strings (each distinct text once, cells refer to it by number) up to MAX_SHARED entries;
later new strings are written inline, so memory stays bounded however many documents there are.

It also splits a table longer than Excel's 1,048,576 rows over several sheets ("checks", "checks (2)").

Cells: None is left empty; bool is a boolean; int a number; everything else is text (amounts stay
exact decimal text: Excel would round a number to 15 digits). A cell carries its reference (A1)
only after an empty cell: the rest follow their left neighbour, which is a third of the file.
Text that XML 1.0 cannot hold
(control characters) is escaped as Excel does (_xHHHH_). Same rows give the same bytes.
"""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

MAX_ROWS = 1_048_576  # rows per worksheet, header included (Excel's limit)
MAX_TEXT = 32_767  # characters per cell (Excel's limit)
MAX_SHARED = 500_000  # distinct strings kept in the shared-string table; later ones are inline
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# XML 1.0 cannot carry these (and turns a CR into a LF); Excel writes them as _xHHHH_, and a literal
# _xHHHH_ as _x005F_xHHHH_
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _control(m: re.Match[str]) -> str:
    c = m.group(0)
    return "_x005F_" if c == "_" else f"_x{ord(c):04X}_"


def _text(v: str) -> str:
    if len(v) > MAX_TEXT:
        v = v[:MAX_TEXT]
    v = escape(v)
    return _CONTROL.sub(_control, v) if _CONTROL.search(v) else v


class Workbook:
    """Sheets are written one after another (add_sheet, then rows); close() writes the rest."""

    def __init__(self, path: Path, title: str = "") -> None:
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self._title = title
        self._sheets: list[str] = []
        self._shared: dict[str, int] = {}
        self._out: IO[bytes] | None = None
        self._header: list[Any] = []
        self._row = 0

    def _open(self, name: str) -> None:
        self._end_sheet()
        self._sheets.append(name)
        info = zipfile.ZipInfo(f"xl/worksheets/sheet{len(self._sheets)}.xml", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        self._out = self._zip.open(info, "w", force_zip64=True)
        pane = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
                ' state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>') if self._header else ""
        self._out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
                        f"{pane}<sheetData>".encode())
        self._row = 0

    def _end_sheet(self) -> None:
        if self._out is not None:
            self._out.write(b"</sheetData></worksheet>")
            self._out.close()
            self._out = None

    def add_sheet(self, name: str, header: list[Any] | None = None) -> None:
        """A new sheet; with a header, the header row is frozen and repeated on continuation sheets."""
        self._header = list(header or [])
        self._base = name
        self._part = 1
        self._open(name[:31])
        if self._header:
            self._write(self._header, bold=True)

    def write_row(self, values: list[Any]) -> None:
        if self._row >= MAX_ROWS:  # Excel's last row: the table goes on in a new sheet
            self._part += 1
            self._open(f"{self._base[:25]} ({self._part})")
            if self._header:
                self._write(self._header, bold=True)
        self._write(values)

    def _string(self, v: str) -> str:
        """The end of a text cell (after `<c r=".."`): a shared-string number, or the text inline."""
        i = self._shared.get(v)
        if i is None and len(self._shared) < MAX_SHARED:
            i = self._shared[v] = len(self._shared)
        if i is not None:
            return f' t="s"><v>{i}</v></c>'
        space = ' xml:space="preserve"' if v[:1].isspace() or v[-1:].isspace() else ""
        return f' t="inlineStr"><is><t{space}>{_text(v)}</t></is></c>'

    def _write(self, values: list[Any], bold: bool = False) -> None:
        self._row += 1
        row = self._row
        style = ' s="1"' if bold else ""
        cells = []
        after = -1  # the column of the cell written last: a cell right after it needs no reference
        for j, v in enumerate(values):
            if v is None or v == "":
                continue
            # `r` is optional (ECMA-376 18.3.1.4): a cell without one is the column after the last
            ref = f"<c{style}" if j == after + 1 else f'<c r="{_column(j)}{row}"{style}'
            after = j
            if v is True or v is False:
                cells.append(f'{ref} t="b"><v>{int(v)}</v></c>')
            elif type(v) is int:
                cells.append(f"{ref}><v>{v}</v></c>")
            else:
                cells.append(ref + self._string(v if type(v) is str else str(v)))
        assert self._out is not None
        self._out.write(f'<row r="{row}">{"".join(cells)}</row>'.encode())

    def _put(self, name: str, xml: str) -> None:
        info = zipfile.ZipInfo(name, FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        self._zip.writestr(info, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)

    def close(self) -> None:
        self._end_sheet()
        n = len(self._sheets)
        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                         f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
        self._put("[Content_Types].xml",
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/xl/workbook.xml" ContentType="application/'
                  'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                  f"{sheets}"
                  '<Override PartName="/xl/styles.xml" ContentType="application/'
                  'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                  '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                  'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                  '<Override PartName="/docProps/core.xml" ContentType="application/'
                  'vnd.openxmlformats-package.core-properties+xml"/>'
                  "</Types>")
        self._put("_rels/.rels",
                  f'<Relationships xmlns="{PKG_REL}">'
                  f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
                  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                  'metadata/core-properties" Target="docProps/core.xml"/></Relationships>')
        self._put("docProps/core.xml",
                  '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
                  ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
                  f"<dc:title>{_text(self._title)}</dc:title></cp:coreProperties>")
        self._put("xl/workbook.xml",
                  f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                  + "".join(f'<sheet name="{_text(s)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(self._sheets, 1))
                  + "</sheets></workbook>")
        self._put("xl/_rels/workbook.xml.rels",
                  f'<Relationships xmlns="{PKG_REL}">'
                  + "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                            for i in range(1, n + 1))
                  + f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>'
                  + f'<Relationship Id="rId{n + 2}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                  + "</Relationships>")
        self._put("xl/styles.xml",
                  f'<styleSheet xmlns="{MAIN}">'
                  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
                  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
                  '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                  '<fill><patternFill patternType="gray125"/></fill></fills>'
                  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
                  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                  "</styleSheet>")
        info = zipfile.ZipInfo("xl/sharedStrings.xml", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with self._zip.open(info, "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" '
                    f'uniqueCount="{len(self._shared)}">'.encode())
            batch: list[str] = []
            for s in self._shared:
                space = ' xml:space="preserve"' if s[:1].isspace() or s[-1:].isspace() else ""
                batch.append(f"<si><t{space}>{_text(s)}</t></si>")
                if len(batch) >= 10_000:
                    f.write("".join(batch).encode())
                    batch = []
            f.write(("".join(batch) + "</sst>").encode())
        self._shared = {}
        self._zip.close()


@lru_cache(maxsize=1024)
def _column(j: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s
