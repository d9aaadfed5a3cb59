"""One subset per font face in a PDF merged from parts.

Each part WeasyPrint writes embeds its own subset of every face it uses, so a plan of seven
parts carried each CJK face seven times (4 MB instead of 1 MB). WeasyPrint subsets with the
glyph ids kept (HarfBuzz's RETAIN_GIDS): a glyph id means the same glyph in every part, the
parts' text and widths stay valid as they are, and only the font programs need replacing. Here
the glyphs every part uses are gathered per face, that face is found again on this machine (by
its PostScript name, in the given folders, else through fontconfig) and subset once, with the
same flags WeasyPrint uses, and every part's font descriptor is pointed at that one program.
A face that cannot be found again keeps its per-part subsets: a larger file, never a wrong one.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..base.errors import BuildError
from ..base.files import write_all

_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
# The tables WeasyPrint drops when it subsets (weasyprint/pdf/fonts.py): none is read in a PDF.
_DROP = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH")
_DROP += (b"PCLT", b"SVG ")


@dataclass
class _Face:
    """The fonts of one face across the parts, and every glyph id they use."""

    key: str  # FontFile2 or FontFile3
    fonts: list[Any] = field(default_factory=list)  # the parts' Type0 fonts, by reference
    widths: dict[int, Any] = field(default_factory=dict)  # glyph id → width
    text: dict[int, str] = field(default_factory=dict)  # glyph id → the text it stands for
    program: Any = None  # one of the parts' subsets, to read the face's name from


def share(writer: Any, folders: Iterable[Path] = (), store: Path | None = None) -> int:
    """One font per face: its glyphs subset once, its widths and text map joined, every page
    pointed at it; returns the faces shared. The parts' own fonts are dropped. `store`: a
    folder keeping the subsets made, for the next build with the same glyphs."""
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
        face.widths.update(_widths(cid.get("/W", [])))
        face.text.update(_text_map(obj["/ToUnicode"].get_object().get_data()))
        face.program = face.program or descriptor[key].get_object()
    moved: dict[int, IndirectObject] = {}  # object number of a part's font → the shared one
    for face in faces.values():
        if len(face.fonts) < 2:
            continue
        program = _subset_again(face, sorted(face.widths), tuple(folders), store)
        if program is None:
            continue
        font = face.fonts[0].get_object()
        cid = font["/DescendantFonts"][0].get_object()
        descriptor = cid["/FontDescriptor"].get_object()
        descriptor[NameObject(face.key)] = writer._add_object(_stream(*program, face.program))
        cid[NameObject("/W")] = _w_array(face.widths)
        font[NameObject("/ToUnicode")] = writer._add_object(_to_unicode(face.text))
        moved.update((ref.idnum, face.fonts[0]) for ref in face.fonts[1:])
    if moved:
        for obj in writer._objects:
            _repoint(obj, moved)
        _drop_unreachable(writer)
    return len({id(ref) for ref in moved.values()})


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
        run.append(widths[gid])
    return array


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
    name = _postscript_name(face.program.get_data())
    found = _locate(name, folders) if name else None
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
        compact = _hb_subset(path, index, gids, retain=False)
        cff = _cid_keyed_cff(*compact) if compact else None
        if cff is not None:
            return cff, "/CIDFontType0C"
    kept = _hb_subset(path, index, gids)
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


def _postscript_name(font: bytes) -> str | None:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        names = TTFont(io.BytesIO(font), lazy=True)["name"]
        found = names.getDebugName(6)
    except (TTLibError, KeyError, AssertionError, ValueError, OSError):
        return None
    return found or None


def _locate(name: str, folders: tuple[Path, ...]) -> tuple[Path, int] | None:
    """The file and collection index of the face named `name`: in `folders` (the office's own
    fonts) first, else where fontconfig knows it."""
    for folder in folders:
        found = _in_folder(folder).get(name)
        if found:
            return found
    return _fontconfig(name)


@cache
def _in_folder(folder: Path) -> dict[str, tuple[Path, int]]:
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    faces: dict[str, tuple[Path, int]] = {}
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in _FONT_SUFFIXES)
    for path in files if folder.is_dir() else ():
        try:
            if path.suffix.lower() in (".ttc", ".otc"):
                fonts = list(TTCollection(str(path), lazy=True).fonts)
            else:
                fonts = [TTFont(str(path), lazy=True)]
            for index, font in enumerate(fonts):
                psname = font["name"].getDebugName(6)
                if psname:
                    faces.setdefault(psname, (path, index))
        except (TTLibError, KeyError, AssertionError, ValueError, OSError):
            continue
    return faces


def _fontconfig(name: str) -> tuple[Path, int] | None:
    return _fontconfig_faces().get(name)


@cache
def _fontconfig_faces() -> dict[str, tuple[Path, int]]:
    """Every face fontconfig knows, by PostScript name (one listing for the build)."""
    try:
        listed = subprocess.run(
            ["fc-list", "--format", "%{postscriptname}\t%{file}\t%{index}\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    faces: dict[str, tuple[Path, int]] = {}
    for line in listed.splitlines():
        name, _, rest = line.partition("\t")
        path, _, index = rest.partition("\t")
        if name and path and index.isdigit():
            faces.setdefault(name, (Path(path), int(index)))
    return faces


@cache
def _harfbuzz() -> tuple[Any, Any, Any] | None:
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(
        """
        typedef ... hb_blob_t; typedef ... hb_face_t; typedef ... hb_set_t;
        typedef ... hb_subset_input_t; typedef uint32_t hb_codepoint_t;
        typedef uint32_t hb_tag_t;
        hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
        void hb_blob_destroy (hb_blob_t *blob);
        hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
        void hb_face_destroy (hb_face_t *face);
        unsigned int hb_face_get_glyph_count (const hb_face_t *face);
        hb_blob_t *hb_face_reference_blob (hb_face_t *face);
        const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
        hb_tag_t hb_tag_from_string (const char *str, int len);
        void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
        hb_subset_input_t *hb_subset_input_create_or_fail (void);
        void hb_subset_input_destroy (hb_subset_input_t *input);
        hb_set_t *hb_subset_input_glyph_set (hb_subset_input_t *input);
        hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
        void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
        typedef ... hb_subset_plan_t; typedef ... hb_map_t;
        hb_subset_plan_t *hb_subset_plan_create_or_fail (hb_face_t *face,
                                                         const hb_subset_input_t *input);
        void hb_subset_plan_destroy (hb_subset_plan_t *plan);
        hb_face_t *hb_subset_plan_execute_or_fail (hb_subset_plan_t *plan);
        const hb_map_t *hb_subset_plan_old_to_new_glyph_mapping (const hb_subset_plan_t *plan);
        hb_codepoint_t hb_map_get (const hb_map_t *map, hb_codepoint_t key);
        """
    )
    try:
        return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
    except OSError:
        return None


_RETAIN_GIDS, _DESUBROUTINIZE, _PASSTHROUGH, _NO_HINTING = 0x2, 0x4, 0x20, 0x1
_DROP_TABLE_TAGS = 3  # HB_SUBSET_SETS_DROP_TABLE_TAG


def _hb_subset(
    path: str, index: int, gids: list[int], retain: bool = True
) -> tuple[bytes, dict[int, int]] | None:
    """Subset as WeasyPrint does (no hinting, subroutines expanded; glyph ids kept with
    `retain`, else renumbered), with each wanted glyph's id in the subset; None when HarfBuzz
    is missing or refuses, or the face is too small for the glyph ids (not the one used)."""
    libs = _harfbuzz()
    if libs is None or not gids:
        return None
    ffi, hb, hbs = libs
    blob = hb.hb_blob_create_from_file_or_fail(path.encode())
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, index)
    source = ffi.gc(hbs.hb_subset_input_create_or_fail(), hbs.hb_subset_input_destroy)
    try:
        if hb.hb_face_get_glyph_count(face) <= gids[-1] or source == ffi.NULL:
            return None
        glyphs = hbs.hb_subset_input_glyph_set(source)
        for gid in gids:
            hb.hb_set_add(glyphs, gid)
        drop = hbs.hb_subset_input_set(source, _DROP_TABLE_TAGS)
        for tag in _DROP:
            hb.hb_set_add(drop, hb.hb_tag_from_string(tag, -1))
        flags = _DESUBROUTINIZE | _PASSTHROUGH | _NO_HINTING | (_RETAIN_GIDS if retain else 0)
        hbs.hb_subset_input_set_flags(source, flags)
        plan = hbs.hb_subset_plan_create_or_fail(face, source)
        if plan == ffi.NULL:
            return None
        try:
            mapping = hbs.hb_subset_plan_old_to_new_glyph_mapping(plan)
            new = {gid: hb.hb_map_get(mapping, gid) for gid in gids}
            subset = hbs.hb_subset_plan_execute_or_fail(plan)
        finally:
            hbs.hb_subset_plan_destroy(plan)
        if subset == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(subset)
        length = ffi.new("unsigned int *")
        data = bytes(ffi.buffer(hb.hb_blob_get_data(out, length), length[0]))
        hb.hb_blob_destroy(out)
        hb.hb_face_destroy(subset)
        return (data, new) if data else None
    finally:
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
