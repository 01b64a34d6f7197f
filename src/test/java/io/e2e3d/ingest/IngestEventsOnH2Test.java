package io.e2e3d.ingest;

import io.e2e3d.support.Database;

class IngestEventsOnH2Test extends IngestEventsTests {
    @Override
    Database database() {
        return Database.H2;
    }
}
