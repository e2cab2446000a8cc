"""Grids and prose -> contract rows. (stub, being written)"""
from __future__ import annotations
from .model import Document, Issue


def extract(doc: Document, secs: list, grids: list) -> tuple[dict, list[Issue]]:
    row = {"doc_id": doc.doc_id, "source_file": doc.source_file, "source_sha256": doc.source_sha256,
           "source_format": doc.source_format, "encoding": doc.encoding, "source_size": doc.source_size}
    return {"documents": [row]}, []
