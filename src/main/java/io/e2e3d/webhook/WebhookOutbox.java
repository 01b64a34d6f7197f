package io.e2e3d.webhook;

import io.e2e3d.job.SqlFiles;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The webhook_outbox table (rows are written by JobRepository when a job ends): claiming due deliveries
 * and recording what became of each attempt.
 */
public class WebhookOutbox {

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public WebhookOutbox(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /**
     * Claims up to {@code limit} due deliveries for this instance and leases them for {@code lease}; the lock
     * is held only for this short transaction, never while posting.
     */
    public List<OutboxEntry> claimDue(int limit, Duration lease) {
        OffsetDateTime now = now();
        List<String> ids = tx.execute(s -> {
            List<String> due = jdbc.queryForList(SqlFiles.get("webhook-claim-select"), Map.of("now", now, "limit", limit),
                    String.class);
            if (!due.isEmpty()) {
                jdbc.update(SqlFiles.get("webhook-claim-update"), Map.of("ids", due, "now", now, "leaseUntil", now.plus(lease)));
            }
            return due;
        });
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query(SqlFiles.get("webhook-claimed"), Map.of("ids", ids), (rs, i) -> new OutboxEntry(
                rs.getString("id"), rs.getString("job_id"), rs.getString("url"), rs.getString("job_status"),
                rs.getObject("event_at", OffsetDateTime.class), rs.getInt("attempts")));
    }

    public void delivered(String id, int httpStatus) {
        jdbc.update(SqlFiles.get("webhook-delivered"), Map.of("id", id, "now", now(), "httpStatus", httpStatus));
    }

    public void retryAt(String id, OffsetDateTime next, Integer httpStatus, String error) {
        jdbc.update(SqlFiles.get("webhook-retry"), new MapSqlParameterSource().addValue("id", id)
                .addValue("nextAttemptAt", next).addValue("httpStatus", httpStatus, Types.INTEGER).addValue("error", truncate(error)));
    }

    public void giveUp(String id, Integer httpStatus, String error) {
        jdbc.update(SqlFiles.get("webhook-give-up"), new MapSqlParameterSource().addValue("id", id)
                .addValue("httpStatus", httpStatus, Types.INTEGER).addValue("error", truncate(error)));
    }

    /** Deliveries not yet delivered nor given up, on every instance (the table is shared). */
    public long pending() {
        Long n = jdbc.getJdbcTemplate().queryForObject(SqlFiles.get("webhook-pending-count"), Long.class);
        return n == null ? 0 : n;
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 999) + "…";
    }
}
