/**
 * The web console: the page's static files (classpath {@code web/}) served at {@code /} on the service's own
 * HTTP server, and the few settings the page needs (GET /api/console).
 */
package io.e2e3d.console;
