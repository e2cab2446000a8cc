"""Publish: contract tables (Parquet/DuckDB) -> page models -> Markdown and charts -> mkdocs.

Reads only what the data build wrote; knows nothing of the parser or the checks.
"""
