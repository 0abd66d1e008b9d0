"""The static ISO 7816 file model of a virtual card: MF, DFs, EFs and their access rules.

Following pySim's split of ``filesystem.py`` (what the card *is*) from ``runtime.py``
(what the card currently *holds and has granted*), nothing here changes at run time:
record and binary contents, counters and security state live in ``state.py`` and the
card object.  That keeps one file model shared by every card made from a profile and
makes the persistence format a plain dictionary of contents.

Only what the social security card needs is modelled: dedicated files with an
application name, transparent EFs and variable-record EFs whose records are simple
``tag len value`` TLVs with a fixed maximum length (card-spec §1-§2).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

# access rules and record layouts are the profile's description of the files
from station.profiles.files import Access, RecordSpec


@dataclass(frozen=True, eq=False)
class EF:
    """An elementary file.  ``path`` (e.g. ``SSSE/EF05``) names it in the state file."""

    fid: int
    name: str
    sfi: int | None
    read: Access
    write: Access
    path: str = ""


@dataclass(frozen=True, eq=False)
class TransparentEF(EF):
    size: int = 0

    def blank(self) -> bytearray:
        return bytearray(b"\xff" * self.size)


@dataclass(frozen=True, eq=False)
class RecordEF(EF):
    """Variable-length records addressed by number (1-based) or by identifier (tag)."""

    records: tuple[RecordSpec, ...] = ()

    def blank(self) -> list[bytes]:
        return [r.blank() for r in self.records]

    def number_of(self, tag: int) -> int | None:
        for i, r in enumerate(self.records):
            if r.tag == tag:
                return i + 1
        return None


@dataclass(eq=False)
class DF:
    """A dedicated file (or the MF).  ``aid`` is its DF name for SELECT by name;
    ``proprietary`` is the content of the FCI's ``A5`` template (card-spec §1)."""

    fid: int | None
    name: str
    aid: bytes | None = None
    proprietary: bytes = b""
    children: list[DF | EF] = field(default_factory=list)
    parent: DF | None = None
    # an application that APPLICATION BLOCK can block (the SSSE)
    blockable: bool = False

    def add(self, node: DF | EF) -> DF | EF:
        if isinstance(node, DF):
            node.parent = self
        self.children.append(node)
        return node

    def fci(self) -> bytes:
        """``6F len [84 len name] [A5 len proprietary]``: what SELECT returns."""
        body = b""
        if self.aid is not None:
            body += tlv(0x84, self.aid)
        if self.proprietary:
            body += tlv(0xA5, self.proprietary)
        return tlv(0x6F, body)

    @property
    def path(self) -> str:
        return self.name if self.parent is None else f"{self.parent.path}/{self.name}"

    def efs(self) -> Iterator[EF]:
        for c in self.children:
            if isinstance(c, EF):
                yield c

    def dfs(self) -> Iterator[DF]:
        for c in self.children:
            if isinstance(c, DF):
                yield c

    def child_by_fid(self, fid: int) -> DF | EF | None:
        for c in self.children:
            if c.fid == fid:
                return c
        return None

    def ef_by_sfi(self, sfi: int) -> EF | None:
        for ef in self.efs():
            if ef.sfi == sfi:
                return ef
        return None

    def walk(self) -> Iterator[DF | EF]:
        yield self
        for c in self.children:
            if isinstance(c, DF):
                yield from c.walk()
            else:
                yield c


def tlv(tag: int, value: bytes) -> bytes:
    """BER-TLV with a one- or two-byte tag and a short or 81/82 length."""
    t = tag.to_bytes(2, "big") if tag > 0xFF else bytes((tag,))
    n = len(value)
    if n < 0x80:
        ln = bytes((n,))
    elif n <= 0xFF:
        ln = bytes((0x81, n))
    else:
        ln = bytes((0x82,)) + n.to_bytes(2, "big")
    return t + ln + value


class FileSystem:
    """The whole static tree with the lookups SELECT needs, built once per profile."""

    def __init__(self, mf: DF) -> None:
        self.mf = mf
        self.efs: dict[str, EF] = {}
        self.by_aid: dict[bytes, DF] = {}
        for node in mf.walk():
            if isinstance(node, DF):
                if node.aid is not None:
                    self.by_aid[node.aid] = node
            else:
                self.efs[node.path] = node

    def find_fid(self, start: DF, fid: int) -> DF | EF | None:
        """ISO P1=00 search: MF, the current DF, its children, its parent and siblings."""
        if fid == 0x3F00:
            return self.mf
        if start.fid == fid:
            return start
        hit = start.child_by_fid(fid)
        if hit is not None:
            return hit
        parent = start.parent
        if parent is not None:
            if parent.fid == fid:
                return parent
            return parent.child_by_fid(fid)
        return None

    def find_name(self, name: bytes) -> DF | None:
        """Exact DF name, then a unique partial (prefix) match as ISO allows."""
        hit = self.by_aid.get(name)
        if hit is not None or not name:
            return hit
        partial = [df for aid, df in self.by_aid.items() if aid.startswith(name)]
        return partial[0] if len(partial) == 1 else None

    def find_path(self, path: Sequence[int], start: DF) -> DF | EF | None:
        node: DF | EF | None = start
        for fid in path:
            if not isinstance(node, DF):
                return None
            node = node.child_by_fid(fid)
        return node


def with_paths(df: DF) -> DF:
    """Stamp every EF with its path (``SSSE/EF05``) once the tree is assembled."""
    for node in df.walk():
        if isinstance(node, EF) and not node.path:
            owner = _owner(df, node)
            object.__setattr__(node, "path", f"{owner.path}/{node.name}")
    return df


def _owner(root: DF, ef: EF) -> DF:
    for node in root.walk():
        if isinstance(node, DF) and any(c is ef for c in node.children):
            return node
    raise ValueError(f"{ef.name} is not in the tree")  # pragma: no cover - internal
