"""Bytes of a text file -> str, and str -> numbered lines.

Shared by the text reader (which numbers the lines it parses) and the publisher (which shows
the same lines as the source view), so a cited line number means the same line on both sides.
"""

from __future__ import annotations

import codecs


def _plausibility(text: str) -> float:
    """Share of characters a Chinese disclosure is made of (CJK, ASCII text, punctuation)."""
    if not text:
        return 0.0
    sample = text[:20000]
    good = sum(
        1 for ch in sample
        if ch in "\t\n\r" or " " <= ch <= "~" or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
        or "\u2000" <= ch <= "\u27ff" or "\u00a0" <= ch <= "\u00ff"
    )
    return good / len(sample)


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Bytes -> (text, encoding, notes). UTF-8 (BOM or not), UTF-16 (BOM or not) and
    GB18030/GBK occur; without a BOM the most plausible strict decoding wins."""
    notes: list[str] = []
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc, notes
    try:
        return data.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    encodings = ["gb18030"] + (["utf-16-le", "utf-16-be"] if b"\x00" in data and len(data) % 2 == 0 else [])
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text), enc, text))
    if candidates:
        score, enc, text = max(candidates)
        if score >= 0.9:
            return text, enc, notes
    notes.append("not valid UTF-8, UTF-16 or GB18030; undecodable bytes replaced")
    return data.decode("utf-8", errors="replace"), "utf-8?", notes


def split_lines(text: str) -> list[str]:
    """Text -> its lines as the text reader numbers them (1-based in provenance)."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
