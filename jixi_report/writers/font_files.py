"""A font face found again on this machine and subset with HarfBuzz, as WeasyPrint subsets.

A PDF part names its faces only by the PostScript name inside each embedded subset; the face's
file is looked for under that name in the office's font folders first, then through
fontconfig. HarfBuzz's subsetter is reached through cffi, as WeasyPrint reaches it.
"""

from __future__ import annotations

import io
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
# The tables WeasyPrint drops when it subsets (weasyprint/pdf/fonts.py): none is read in a PDF.
_DROP = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH")
_DROP += (b"PCLT", b"SVG ")


def postscript_name(font: bytes) -> str | None:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        names = TTFont(io.BytesIO(font), lazy=True)["name"]
        found = names.getDebugName(6)
    except (TTLibError, KeyError, AssertionError, ValueError, OSError):
        return None
    return found or None


def locate(name: str, folders: tuple[Path, ...]) -> tuple[Path, int] | None:
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
    if not folder.is_dir():
        return faces
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in _FONT_SUFFIXES):
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
def installed() -> str:
    """The fonts on this machine and in the office's folders as they are now, hashed: a cached
    part keeps glyph ids of the faces it was laid out with, so a font replaced by another
    version (a package upgrade) must not reuse it."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted({p for p, _index in _fontconfig_faces().values()}):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


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


def hb_subset(
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
