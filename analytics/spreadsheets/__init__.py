"""Spreadsheets in and out: reading untrusted .csv/.xlsx files, importing them whole or not at all, exporting.

Modules, one job each: :mod:`.tables` (the shapes a file travels in, and the bounds), :mod:`.cells` (the
meaning of one cell), :mod:`.headers` (which kind of table, what each column means), :mod:`.csv_reader` and
:mod:`.xlsx_reader` (the readers), :mod:`.reading` (which reader a file calls for), :mod:`.ingest` (the
import), :mod:`.ratings` and :mod:`.sheets` (validating ratings and the other sheets), :mod:`.report` (what
an import did), :mod:`.export` (the workbook, the ratings CSV and the template). Nothing is imported here,
so that reading a file never pulls in DuckDB or pandas.
"""
