package io.e2e3d.ingest;

import io.e2e3d.support.Database;

class IngestOnPostgresTest extends IngestTests {
    @Override
    Database database() {
        return Database.POSTGRESQL;
    }
}
