import GRDB

/// The database schema, as named migrations. A shipped migration is never edited: changes are new migrations.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-observations") { db in
            try db.execute(sql: """
                CREATE TABLE indicator (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    name_zh TEXT,
                    unit TEXT NOT NULL,
                    direction TEXT NOT NULL CHECK (direction IN ('increase', 'decrease')),
                    frequency TEXT NOT NULL CHECK (frequency IN ('annual', 'quarterly', 'monthly'))
                );
                CREATE TABLE region (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    name_zh TEXT,
                    gb_code TEXT,
                    level TEXT NOT NULL
                );
                CREATE TABLE ingested_file (
                    id INTEGER PRIMARY KEY,
                    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                    name TEXT NOT NULL,
                    size INTEGER NOT NULL CHECK (size >= 0),
                    received_at TEXT NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('ingesting', 'ingested', 'rejected', 'duplicate')),
                    layout TEXT,
                    rows INTEGER NOT NULL DEFAULT 0,
                    inserted INTEGER NOT NULL DEFAULT 0,
                    revised INTEGER NOT NULL DEFAULT 0,
                    unchanged INTEGER NOT NULL DEFAULT 0,
                    missing INTEGER NOT NULL DEFAULT 0,
                    bad_rows INTEGER NOT NULL DEFAULT 0,
                    duplicate_of INTEGER REFERENCES ingested_file(id)
                );
                CREATE UNIQUE INDEX ingested_file_content ON ingested_file(sha256)
                    WHERE outcome IN ('ingesting', 'ingested');
                CREATE TABLE source (
                    id INTEGER PRIMARY KEY,
                    text TEXT NOT NULL UNIQUE
                );
                CREATE TABLE observation (
                    indicator_id INTEGER NOT NULL REFERENCES indicator(id),
                    region_id INTEGER NOT NULL REFERENCES region(id),
                    period INTEGER NOT NULL,
                    value REAL NOT NULL,
                    source_id INTEGER REFERENCES source(id),
                    note TEXT,
                    file_id INTEGER NOT NULL REFERENCES ingested_file(id),
                    row INTEGER NOT NULL,
                    PRIMARY KEY (indicator_id, region_id, period)
                ) WITHOUT ROWID;
                CREATE VIEW observation_view AS
                    SELECT i.code AS indicator, r.code AS region, o.period, o.value, s.text AS source, o.note,
                        f.name AS file, o.row
                    FROM observation o JOIN indicator i ON i.id = o.indicator_id JOIN region r ON r.id = o.region_id
                    LEFT JOIN source s ON s.id = o.source_id JOIN ingested_file f ON f.id = o.file_id;
                CREATE TABLE observation_revision (
                    id INTEGER PRIMARY KEY,
                    indicator_id INTEGER NOT NULL REFERENCES indicator(id),
                    region_id INTEGER NOT NULL REFERENCES region(id),
                    period INTEGER NOT NULL,
                    old_value REAL NOT NULL,
                    new_value REAL,
                    old_source TEXT,
                    new_source TEXT,
                    old_file_id INTEGER NOT NULL REFERENCES ingested_file(id),
                    file_id INTEGER NOT NULL REFERENCES ingested_file(id),
                    row INTEGER NOT NULL,
                    revised_at TEXT NOT NULL
                );
                CREATE INDEX observation_revision_key ON observation_revision(indicator_id, region_id, period);
                CREATE INDEX observation_revision_file ON observation_revision(file_id);
                """)
        }
        migrator.registerMigration("v1-evaluations-alerts") { db in
            try db.execute(sql: """
                CREATE TABLE evaluation (
                    id INTEGER PRIMARY KEY,
                    plan TEXT NOT NULL,
                    target TEXT NOT NULL,
                    as_of TEXT NOT NULL,
                    evaluated_at TEXT NOT NULL,
                    state TEXT NOT NULL,
                    result TEXT NOT NULL
                );
                CREATE INDEX evaluation_target ON evaluation(plan, target, id);
                CREATE TABLE target_state (
                    plan TEXT NOT NULL,
                    target TEXT NOT NULL,
                    state TEXT NOT NULL,
                    since TEXT NOT NULL,
                    evaluation_id INTEGER NOT NULL REFERENCES evaluation(id),
                    announced TEXT,
                    last_alert_at REAL,
                    PRIMARY KEY (plan, target)
                );
                CREATE TABLE alert (
                    id TEXT PRIMARY KEY,
                    time TEXT NOT NULL,
                    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
                    kind TEXT NOT NULL,
                    plan TEXT,
                    target TEXT,
                    indicator TEXT,
                    region TEXT,
                    state TEXT,
                    previous_state TEXT,
                    record TEXT NOT NULL,
                    logged_at TEXT
                );
                CREATE INDEX alert_unlogged ON alert(time) WHERE logged_at IS NULL;
                """)
        }
        // The inbox's steps after a file's transaction are driven by the database: a file row (or a refused
        // entry) is stored with `pending_move = 1` together with its rows, its alerts and, when rejected, its
        // reports; the move is done next and then marked. A crash in between leaves the row pending, and the
        // restart finishes the move instead of ingesting, recording or alerting a second time.
        migrator.registerMigration("v2-inbox-steps") { db in
            try db.execute(sql: """
                ALTER TABLE ingested_file ADD COLUMN pending_move INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE ingested_file ADD COLUMN moved_to TEXT;
                ALTER TABLE ingested_file ADD COLUMN report_json TEXT;
                ALTER TABLE ingested_file ADD COLUMN report_text TEXT;
                CREATE INDEX ingested_file_pending ON ingested_file(name) WHERE pending_move = 1;
                CREATE TABLE refused_entry (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    device INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    refused_at TEXT NOT NULL,
                    pending_move INTEGER NOT NULL DEFAULT 1,
                    moved_to TEXT
                );
                """)
        }
        // Sources and vintages (SPEC §7a): a cell (indicator, region, period) holds one current value per source,
        // each with the vintage it was published in; every other value any file brought (older vintages, values a
        // newer vintage replaced) is in observation_history. Existing values keep their source (values stored
        // without one become 'unattributed') and take their file's arrival as their vintage; the old values of
        // past revisions go to the history with their file's arrival. Vintages are stored once each in `vintage`
        // (a file brings one or a few) and referred to by id: as text in every row they made the database 1.8
        // times as large and ingest a quarter slower (measured on bench/run.py's 1 M rows).
        migrator.registerMigration("v3-sources-vintages") { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO source (text) VALUES ('unattributed');
                ALTER TABLE ingested_file ADD COLUMN source TEXT;
                ALTER TABLE ingested_file ADD COLUMN vintage TEXT;
                CREATE TABLE vintage (
                    id INTEGER PRIMARY KEY,
                    text TEXT NOT NULL UNIQUE
                );
                INSERT OR IGNORE INTO vintage (text) SELECT DISTINCT received_at FROM ingested_file;
                CREATE TABLE observation_current (
                    indicator_id INTEGER NOT NULL REFERENCES indicator(id),
                    region_id INTEGER NOT NULL REFERENCES region(id),
                    period INTEGER NOT NULL,
                    source_id INTEGER NOT NULL REFERENCES source(id),
                    value REAL NOT NULL,
                    vintage_id INTEGER NOT NULL REFERENCES vintage(id),
                    note TEXT,
                    file_id INTEGER NOT NULL REFERENCES ingested_file(id),
                    row INTEGER NOT NULL,
                    PRIMARY KEY (indicator_id, region_id, period, source_id)
                ) WITHOUT ROWID;
                INSERT INTO observation_current
                    SELECT o.indicator_id, o.region_id, o.period,
                        coalesce(o.source_id, (SELECT id FROM source WHERE text = 'unattributed')),
                        o.value, (SELECT id FROM vintage WHERE text = f.received_at), o.note, o.file_id, o.row
                    FROM observation o JOIN ingested_file f ON f.id = o.file_id;
                DROP VIEW observation_view;
                DROP TABLE observation;
                ALTER TABLE observation_current RENAME TO observation;
                CREATE TABLE observation_history (
                    indicator_id INTEGER NOT NULL REFERENCES indicator(id),
                    region_id INTEGER NOT NULL REFERENCES region(id),
                    period INTEGER NOT NULL,
                    source_id INTEGER NOT NULL REFERENCES source(id),
                    vintage_id INTEGER NOT NULL REFERENCES vintage(id),
                    value REAL NOT NULL,
                    note TEXT,
                    file_id INTEGER NOT NULL REFERENCES ingested_file(id),
                    row INTEGER NOT NULL,
                    PRIMARY KEY (indicator_id, region_id, period, source_id, vintage_id)
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO observation_history
                    SELECT r.indicator_id, r.region_id, r.period,
                        coalesce((SELECT id FROM source WHERE text = r.old_source), (SELECT id FROM source WHERE text = 'unattributed')),
                        (SELECT id FROM vintage WHERE text = f.received_at), r.old_value, NULL, r.old_file_id, 0
                    FROM observation_revision r JOIN ingested_file f ON f.id = r.old_file_id;
                CREATE TABLE source_conflict (
                    indicator_id INTEGER NOT NULL,
                    region_id INTEGER NOT NULL,
                    period INTEGER NOT NULL,
                    source_a INTEGER NOT NULL,
                    value_a REAL NOT NULL,
                    source_b INTEGER NOT NULL,
                    value_b REAL NOT NULL,
                    raised_at TEXT NOT NULL,
                    PRIMARY KEY (indicator_id, region_id, period, source_a, value_a, source_b, value_b)
                ) WITHOUT ROWID;
                CREATE VIEW observation_view AS
                    SELECT i.code AS indicator, r.code AS region,
                        CASE
                            WHEN o.period % 1000 = 0 THEN CAST(o.period / 1000 AS TEXT)
                            WHEN o.period % 1000 BETWEEN 101 AND 104 THEN (o.period / 1000) || '-Q' || (o.period % 1000 - 100)
                            ELSE (o.period / 1000) || '-' || printf('%02d', o.period % 1000 - 200)
                        END AS period,
                        o.value, s.text AS source, v.text AS vintage, o.current, o.note, f.name AS file, o.row
                    FROM (SELECT indicator_id, region_id, period, source_id, value, vintage_id, 1 AS current, note, file_id, row FROM observation
                          UNION ALL
                          SELECT indicator_id, region_id, period, source_id, value, vintage_id, 0, note, file_id, row FROM observation_history) o
                    JOIN indicator i ON i.id = o.indicator_id JOIN region r ON r.id = o.region_id
                    JOIN source s ON s.id = o.source_id JOIN vintage v ON v.id = o.vintage_id JOIN ingested_file f ON f.id = o.file_id;
                """)
        }
        // Alertmanager delivery (SPEC §9b): every alert is handed to the outbox once (`outbox_at`), which keeps
        // one row per alert Alertmanager should know: firing (re-sent before its resolve timeout) or resolved
        // (sent once, then removed); `due` is when it is next sent, `attempts` and `last_error` the retries.
        migrator.registerMigration("v4-alertmanager-outbox") { db in
            try db.execute(sql: """
                ALTER TABLE alert ADD COLUMN outbox_at TEXT;
                UPDATE alert SET outbox_at = 'before-v4';
                CREATE TABLE alertmanager_alert (
                    key TEXT PRIMARY KEY,
                    labels TEXT NOT NULL,
                    annotations TEXT NOT NULL,
                    starts_at TEXT NOT NULL,
                    ends_at TEXT,
                    resolved INTEGER NOT NULL DEFAULT 0,
                    one_shot INTEGER NOT NULL DEFAULT 0,
                    due REAL NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    sent_at REAL
                );
                CREATE INDEX alertmanager_alert_due ON alertmanager_alert(due);
                """)
        }
        // `planwatch fetch` (SPEC §9c): per source, the validators of the last answer (ETag, Last-Modified), the
        // digest of the last file dropped (so a changed file arrives once), and the run of failures.
        migrator.registerMigration("v5-fetch-state") { db in
            try db.execute(sql: """
                CREATE TABLE fetch_state (
                    source TEXT PRIMARY KEY,
                    etag TEXT,
                    last_modified TEXT,
                    sha256 TEXT,
                    checked_at REAL,
                    changed_at REAL,
                    failures INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    last_outcome TEXT
                );
                """)
        }
        migrator.registerMigration("v6-fetched-files") { db in
            // Each file `planwatch fetch` drops into the inbox, recorded before it is renamed in: the daemon reads
            // it (and a zip's members) as its source's, with the vintage the source's rule gave it.
            try db.execute(sql: """
                CREATE TABLE fetched_file (
                    name TEXT PRIMARY KEY,
                    source TEXT NOT NULL,
                    url TEXT NOT NULL,
                    fetched_at REAL NOT NULL,
                    sha256 TEXT NOT NULL,
                    vintage TEXT
                );
                """)
        }
        migrator.registerMigration("v7-stale-flag") { db in
            // `stale` became a flag beside the state (it was a state of its own): a target stored as `stale` keeps
            // its flag, so no `stale` alert repeats, and takes its real state at the next evaluation silently.
            try db.execute(sql: """
                ALTER TABLE target_state ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
                UPDATE target_state SET stale = 1 WHERE state = 'stale';
                """)
        }
        return migrator
    }
}
