package io.e2e3d.ingest;

import io.e2e3d.support.Database;

class IngestEventsOnPostgresTest extends IngestEventsTests {
    @Override
    Database database() {
        return Database.POSTGRESQL;
    }
}
