"""The training-record store (SQLite, WAL) and its exports."""

from .export import FORMATS, export_records
from .schema import SCHEMA_VERSION
from .store import RecordStore, RecordStoreError, default_path

__all__ = ["RecordStore", "RecordStoreError", "default_path", "export_records", "FORMATS", "SCHEMA_VERSION"]
