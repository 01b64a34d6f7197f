package io.e2e3d.api;

import io.e2e3d.support.Database;

class ApiOnPostgresTest extends ApiTests {
    @Override
    Database database() {
        return Database.POSTGRESQL;
    }
}
