"""Sections -> clean grids. (stub, being written)"""
from __future__ import annotations
from .model import Document


def sections_to_grids(doc: Document, secs: list) -> list:
    return []
