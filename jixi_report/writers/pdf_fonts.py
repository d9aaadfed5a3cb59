"""One subset per font face in a PDF merged from parts.

Each part WeasyPrint writes would embed its own subset of every face it uses: a plan of seven
parts carried each CJK face seven times (4 MB instead of 1 MB). WeasyPrint refers to glyphs by
the face's own glyph ids (it subsets with HarfBuzz's RETAIN_GIDS): a glyph id means the same
glyph in every part, the parts' text and widths stay valid as they are, and only the font
programs need replacing. So a part embeds only a stub of each face (pdf.write); here the glyphs
every part uses are gathered per face, the face is found again on this machine (by its
PostScript name, in the office's font folder, else through fontconfig) and subset once, and
every part's fonts are replaced by one font with that program. A whole subset a part embeds
(another WeasyPrint) is kept if its face is not found again; a stub is then an error.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.errors import BuildError
from ..base.files import write_all
from . import font_files


@dataclass
class _Face:
    """The fonts of one face across the parts, and every glyph id they use."""

    key: str  # FontFile2 or FontFile3
    fonts: list[Any] = field(default_factory=list)  # the parts' Type0 fonts, by reference
    widths: dict[int, Any] = field(default_factory=dict)  # glyph id → width
    text: dict[int, str] = field(default_factory=dict)  # glyph id → the text it stands for
    program: Any = None  # one of the parts' subsets, to read the face's name from


def share(
    writer: Any,
    folders: Iterable[Path] = (),
    store: Path | None = None,
    widths: dict[str, dict[int, float]] | None = None,
) -> int:
    """One font per face: its glyphs subset once from the face's file, its widths and text
    map joined, every page pointed at it; returns the faces embedded. The parts' own font
    programs (stubs, or whole subsets) are dropped; a stub whose face is not found again is
    an error. `store`: a folder keeping the subsets made, for the next build with the same
    glyphs. `widths`: glyph widths by font tag (the six letters before a font name's +), for
    the fonts whose parts carry them beside the PDF rather than in its /W (pdf.write)."""
    widths = widths or {}
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject

    faces: dict[str, _Face] = {}
    for obj in writer._objects:  # every object: fonts sit in pages, forms and patterns alike
        if not isinstance(obj, DictionaryObject) or obj.get("/Subtype") != "/Type0":
            continue
        if obj.get("/Encoding") != "/Identity-H" or "/ToUnicode" not in obj:
            continue  # a font with glyphs mapped away (missing ones): leave it alone
        cid = obj["/DescendantFonts"][0].get_object()
        if cid.get("/CIDToGIDMap", "/Identity") != "/Identity":
            continue  # glyph ids are not the font's own
        descriptor = cid["/FontDescriptor"].get_object()
        key = next((k for k in ("/FontFile2", "/FontFile3") if k in descriptor), None)
        if key is None:
            continue
        name = str(descriptor["/FontName"])
        face = faces.setdefault(f"{name}{key}", _Face(key))
        face.fonts.append(obj.indirect_reference)
        tag = name[1:].partition("+")[0]
        face.widths.update(widths[tag] if tag in widths else _widths(cid.get("/W", [])))
        face.text.update(_text_map(obj["/ToUnicode"].get_object().get_data()))
        face.program = face.program or descriptor[key].get_object()
    moved: dict[int, IndirectObject] = {}  # object number of a part's font → the shared one
    embedded = 0
    for face in faces.values():
        program = _subset_again(face, sorted(face.widths), tuple(folders), store)
        if program is None:
            if _glyph_count(face.program.get_data()) <= max(face.widths, default=0):
                name = str(face.fonts[0].get_object()["/BaseFont"])[8:]
                raise BuildError(f"PDF: the font {name} is not found on this machine again")
            continue  # a part's own whole subset: kept as it is
        font = face.fonts[0].get_object()
        cid = font["/DescendantFonts"][0].get_object()
        descriptor = cid["/FontDescriptor"].get_object()
        descriptor[NameObject(face.key)] = writer._add_object(_stream(*program, face.program))
        cid[NameObject("/W")] = _w_array(face.widths)
        font[NameObject("/ToUnicode")] = writer._add_object(_to_unicode(face.text))
        moved.update((ref.idnum, face.fonts[0]) for ref in face.fonts[1:])
        embedded += 1
    for obj in writer._objects if moved else ():
        _repoint(obj, moved)
    _drop_unreachable(writer)
    return embedded


def _glyph_count(font: bytes) -> int:
    """Glyphs in an embedded font program (a stub a part embeds holds one)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        return int(TTFont(io.BytesIO(font), lazy=True)["maxp"].numGlyphs)
    except (TTLibError, KeyError, AssertionError, ValueError, OSError):
        return 0


def _drop_unreachable(writer: Any) -> None:
    """Objects no longer reachable from the document (the parts' fonts) are not written."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[int] = set()
    info = writer._info
    todo: list[Any] = [writer.root_object.indirect_reference]
    todo += [info.indirect_reference] if info is not None else []
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen or obj.pdf is not writer:
                continue
            seen.add(obj.idnum)
            todo.append(writer._objects[obj.idnum - 1])
        elif isinstance(obj, DictionaryObject):  # a stream is one too
            todo.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            todo.extend(obj)
    for index in range(len(writer._objects)):
        if index + 1 not in seen:
            writer._objects[index] = None


def _repoint(obj: Any, moved: dict[int, Any]) -> None:
    """Font resources that name a part's font name the shared one instead."""
    from pypdf.generic import DictionaryObject, IndirectObject

    if not isinstance(obj, DictionaryObject):
        return
    fonts = obj.get("/Font") if "/Font" in obj else None
    if isinstance(fonts, IndirectObject):
        fonts = fonts.get_object()
    if isinstance(fonts, DictionaryObject) and obj.get("/Type") != "/Font":
        for name, ref in list(fonts.items()):
            if isinstance(ref, IndirectObject) and ref.idnum in moved:
                fonts[name] = moved[ref.idnum]
    resources = obj.get("/Resources")
    if isinstance(resources, DictionaryObject):  # inline resources of a page or form
        _repoint(resources, moved)


def _widths(array: Any) -> dict[int, Any]:
    """Glyph id → width from a /W array: `c [w …]` and `c_first c_last w` runs."""
    items = list(array)
    found: dict[int, Any] = {}
    i = 0
    while i < len(items):
        first = int(items[i])
        nxt = items[i + 1].get_object() if i + 1 < len(items) else None
        if isinstance(nxt, list):
            found.update((first + n, w) for n, w in enumerate(nxt))
            i += 2
        else:
            found.update((g, items[i + 2]) for g in range(first, int(items[i + 1]) + 1))
            i += 3
    return found


def _w_array(widths: dict[int, Any]) -> Any:
    from pypdf.generic import ArrayObject, NumberObject

    array = ArrayObject()
    for gid in sorted(widths):
        if gid - 1 not in widths:
            run = ArrayObject()
            array += [NumberObject(gid), run]
        run.append(_number(widths[gid]))
    return array


def _number(width: Any) -> Any:
    """A width as a PDF number, written as WeasyPrint writes it (a float handed over beside
    the PDF, or a number read from a part's /W)."""
    from pypdf.generic import FloatObject, NumberObject, PdfObject

    if isinstance(width, PdfObject):
        return width
    if float(width).is_integer():
        return NumberObject(int(width))
    return FloatObject(f"{width:f}".rstrip("0"))


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def _text_map(cmap: bytes) -> dict[int, str]:
    """Glyph id → text from a ToUnicode map of `bfchar` entries, as WeasyPrint writes them."""
    found = {}
    for gid, text in _BFCHAR.findall(cmap):
        found[int(gid, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    return found


def _to_unicode(text: dict[int, str]) -> Any:
    from pypdf.generic import StreamObject

    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(text.items())
    for start in range(0, len(items), 100):  # at most 100 entries a block
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for gid, chars in batch:
            lines.append(f"<{gid:04x}> <{chars.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    stream = StreamObject()
    stream.set_data(b"\n".join(lines))
    return stream.flate_encode()


def _stream(data: bytes, subtype: str | None, like: Any) -> Any:
    """A compressed font-file stream with the entries of the one it replaces."""
    from pypdf.generic import NameObject, NumberObject, StreamObject

    stream = StreamObject()
    stream.set_data(data)
    if subtype:
        stream[NameObject("/Subtype")] = NameObject(subtype)
    if "/Length1" in like:
        stream[NameObject("/Length1")] = NumberObject(len(data))
    return stream.flate_encode()


def _subset_again(
    face: _Face, gids: list[int], folders: tuple[Path, ...], store: Path | None = None
) -> tuple[bytes, str | None] | None:
    """The face subset anew to `gids` and its font-file subtype, or None if it cannot be found.

    A CID-keyed CFF face whose CIDs are its glyph ids (Noto CJK: Adobe-Identity-0) is embedded
    compact, as a bare CFF program: a PDF reader finds a glyph by its CID through the CFF's
    charset, so the pages' glyph ids stay valid without the empty slots RETAIN_GIDS keeps
    (a third of the size). Any other face keeps its glyph ids, as WeasyPrint embeds it."""
    name = font_files.postscript_name(face.program.get_data())
    found = font_files.locate(name, folders) if name else None
    if found is None:
        return None
    path, index = str(found[0]), found[1]
    stat = found[0].stat()
    key = hashlib.sha256(
        f"{path}|{stat.st_mtime_ns}|{stat.st_size}|{index}|{face.key}|{gids}".encode()
    ).hexdigest()[:32]
    kept = _stored(store, key)
    if kept is None:
        kept = _made(face, path, index, gids)
        if kept is not None:
            _store(store, key, *kept)
    return kept


def _stored(store: Path | None, key: str) -> tuple[bytes, str | None] | None:
    """A subset made by an earlier build, if it is there whole."""
    if store is None:
        return None
    try:
        record = json.loads((store / f"{key}.json").read_text(encoding="utf-8"))
        data = (store / f"{key}.font").read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("sha256") != hashlib.sha256(data).hexdigest():
        return None
    (store / f"{key}.json").touch()  # used: kept by the pruning below
    return data, record.get("subtype")


_KEEP = 24  # subsets kept in the store: the last few builds' faces


def _store(store: Path | None, key: str, data: bytes, subtype: str | None) -> None:
    """Keep a subset for the next build (a store that cannot be written only costs time)."""
    if store is None:
        return
    record = json.dumps({"sha256": hashlib.sha256(data).hexdigest(), "subtype": subtype})
    try:
        write_all({store / f"{key}.font": data, store / f"{key}.json": record.encode()})
        records = sorted(store.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in records[:-_KEEP]:
            old.unlink(missing_ok=True)
            old.with_suffix(".font").unlink(missing_ok=True)
    except (BuildError, OSError):
        return


def _made(face: _Face, path: str, index: int, gids: list[int]) -> tuple[bytes, str | None] | None:
    """The subset made now: compact if the face allows it, else with the glyph ids kept."""
    if face.key == "/FontFile3":
        compact = font_files.hb_subset(path, index, gids, retain=False)
        cff = _cid_keyed_cff(*compact) if compact else None
        if cff is not None:
            return cff, "/CIDFontType0C"
    kept = font_files.hb_subset(path, index, gids)
    return (kept[0], face.program.get("/Subtype")) if kept else None


def _cid_keyed_cff(font: bytes, new: dict[int, int]) -> bytes | None:
    """The bare CFF program of a compact subset when it is CID-keyed and each glyph the pages
    use (old id → `new` id in the subset) has its old id as CID; else None."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        sfnt = TTFont(io.BytesIO(font), lazy=True)
        raw = sfnt.reader["CFF "]
        top = sfnt["CFF "].cff.topDictIndex[0]
        charset = list(top.charset)
    except (TTLibError, KeyError, AssertionError, ValueError, OSError):
        return None
    if not hasattr(top, "ROS"):
        return None
    for old, gid in new.items():
        if gid >= len(charset) or charset[gid] != (f"cid{old:05d}" if old else ".notdef"):
            return None
    return bytes(raw)
