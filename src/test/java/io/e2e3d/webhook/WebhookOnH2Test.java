package io.e2e3d.webhook;

import io.e2e3d.support.Database;

class WebhookOnH2Test extends WebhookTests {
    @Override
    Database database() {
        return Database.H2;
    }
}
