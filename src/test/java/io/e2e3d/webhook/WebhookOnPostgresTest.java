package io.e2e3d.webhook;

import io.e2e3d.support.Database;

class WebhookOnPostgresTest extends WebhookTests {
    @Override
    Database database() {
        return Database.POSTGRESQL;
    }
}
