package io.e2e3d.api;

import io.e2e3d.support.Database;

class ApiOnH2Test extends ApiTests {
    @Override
    Database database() {
        return Database.H2;
    }
}
