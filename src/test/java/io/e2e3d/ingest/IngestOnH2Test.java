package io.e2e3d.ingest;

import io.e2e3d.support.Database;

class IngestOnH2Test extends IngestTests {
    @Override
    Database database() {
        return Database.H2;
    }
}
