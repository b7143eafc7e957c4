/* The SQLite insert ceiling for planwatch's observation table: 1,008,000 rows (18 indicators x 2,800 regions x 20
   years, in key order, as the benchmark file), bound and stepped from C with one prepared statement in one
   transaction, WAL, synchronous=NORMAL, no parsing at all. Usage: sqlite_ceiling DATABASE [plain|slim] */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    sqlite3 *db;
    int slim = argc > 2 && strcmp(argv[2], "slim") == 0;
    sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;", 0, 0, 0);
    sqlite3_exec(db, slim
        ? "CREATE TABLE observation (indicator_id INTEGER NOT NULL, region_id INTEGER NOT NULL, period INTEGER NOT NULL,"
          " value REAL NOT NULL, source_id INTEGER, note TEXT, file_id INTEGER NOT NULL, row INTEGER NOT NULL,"
          " PRIMARY KEY (indicator_id, region_id, period)) WITHOUT ROWID"
        : "CREATE TABLE observation (indicator_id INTEGER NOT NULL, region_id INTEGER NOT NULL, period INTEGER NOT NULL,"
          " value REAL NOT NULL, source TEXT, note TEXT, file_id INTEGER NOT NULL, row INTEGER NOT NULL,"
          " PRIMARY KEY (indicator_id, region_id, period)) WITHOUT ROWID", 0, 0, 0);
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, "INSERT INTO observation VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", -1, &insert, NULL);
    double start = now();
    sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0);
    long row = 0;
    char source[64];
    for (int indicator = 1; indicator <= 18; indicator++)
        for (int region = 1; region <= 2800; region++)
            for (int year = 2005; year < 2025; year++) {
                sqlite3_reset(insert);
                sqlite3_bind_int64(insert, 1, indicator);
                sqlite3_bind_int64(insert, 2, region);
                sqlite3_bind_int64(insert, 3, year * 1000);
                sqlite3_bind_double(insert, 4, 500 + year + region / 100.0);
                if (slim) {
                    sqlite3_bind_int64(insert, 5, region * 2 + (row % 5 == 0));
                } else {
                    int n = snprintf(source, sizeof source, row % 5 == 0 ? "Statistics Bureau, County %04d" : "County %04d yearbook", region);
                    sqlite3_bind_text(insert, 5, source, n, SQLITE_TRANSIENT);
                }
                sqlite3_bind_null(insert, 6);
                sqlite3_bind_int64(insert, 7, 1);
                sqlite3_bind_int64(insert, 8, ++row + 1);
                if (sqlite3_step(insert) != SQLITE_DONE) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); return 1; }
            }
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    printf("%s: %ld rows in %.2f s (%.0f rows/s)\n", slim ? "slim (source id)" : "text source", row, now() - start, row / (now() - start));
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return 0;
}
