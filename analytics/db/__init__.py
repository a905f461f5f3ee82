"""The DuckDB store in parts: connection, schema, reads, writes, staging, backup (composed by analytics.store)."""
