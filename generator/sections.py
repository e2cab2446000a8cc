"""Blocks -> titled sections. (stub, being written)"""
from __future__ import annotations
from dataclasses import dataclass
from .model import Block, Document


@dataclass(frozen=True)
class Section:
    kind: str
    title: str
    where: str
    blocks: tuple[Block, ...]


def document_to_sections(doc: Document) -> list[Section]:
    return [Section("body", "", "1", doc.blocks)]
