"""Bytes to text, refusing binary content with a clear error."""
from __future__ import annotations

import charset_normalizer

from storyline.errors import E, StorylineError

# Control characters other than tab/newline/carriage return/form feed: text files have almost none.
_CONTROL = set(range(0, 9)) | {11} | set(range(14, 32))


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample or any(sample.startswith(bom) for bom, _ in _BOMS):
        return False  # wide encodings are full of NULs: they are checked after decoding
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b in _CONTROL)
    return control / len(sample) > 0.05


def decode(data: bytes, path: str, declared: str | None = None) -> str:
    """Decode bytes: the declared charset, then UTF-8, then a detected one."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise StorylineError(E.BAD_ENCODING, path, encoding) from None
            if looks_binary(text.encode("utf-8")):
                raise StorylineError(E.NOT_TEXT, path)
            return text
    if looks_binary(data):
        raise StorylineError(E.NOT_TEXT, path)
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise StorylineError(E.BAD_ENCODING, path)
    return str(best)
