#!/usr/bin/env python3
"""The reference for ingest speed: Python's csv module and sqlite3.executemany in one transaction, into a table
with the same key and types as the sqlite3 shell's import. Usage: python_ingest.py FILE.csv DATABASE"""
import csv
import sqlite3
import sys

path, database = sys.argv[1], sys.argv[2]
db = sqlite3.connect(database)
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE obs (indicator TEXT, region TEXT, period TEXT, value REAL, source TEXT, "
           "PRIMARY KEY (indicator, region, period)) WITHOUT ROWID")
with open(path, newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    next(reader)
    with db:
        db.executemany("INSERT INTO obs VALUES (?, ?, ?, ?, ?)",
                       ((r[0], r[1], r[2], float(r[3]), r[4]) for r in reader))
print(db.execute("SELECT count(*) FROM obs").fetchone()[0])
