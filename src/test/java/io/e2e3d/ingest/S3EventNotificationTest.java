package io.e2e3d.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class S3EventNotificationTest {

    private static S3EventNotification.Parsed parse(String json) {
        return S3EventNotification.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String record(String name, String key, String objectExtra) {
        return "{\"eventName\": \"" + name + "\", \"s3\": {\"bucket\": {\"name\": \"input\"}, \"object\": {\"key\": \"" + key + "\""
                + objectExtra + "}}}";
    }

    @Test
    void keysAreFormDecodedAndETagsUnquoted() {
        S3EventNotification.Parsed parsed = parse("{\"EventName\": \"s3:ObjectCreated:Put\", \"Key\": \"input/ds/a b+c.jpg\", \"Records\": ["
                + record("s3:ObjectCreated:Put", "ds%2Fa+b%2Bc.jpg", ", \"size\": 12, \"eTag\": \"\\\"abc\\\"\"") + "]}");
        S3Event event = parsed.events().get(0);
        assertEquals(new S3Event("s3:ObjectCreated:Put", "input", "ds/a b+c.jpg", "abc", 12L), event);
        assertTrue(parsed.ignored().isEmpty());
    }

    @Test
    void missingETagAndSizeAreNullAndASizeMayBeAString() {
        S3Event bare = parse("{\"Records\": [" + record("ObjectCreated:Copy", "ds/x.png", "") + "]}").events().get(0);
        assertNull(bare.etag());
        assertNull(bare.size());
        assertEquals(1024L, parse("{\"Records\": [" + record("ObjectCreated:Put", "ds/x.png", ", \"size\": \"1024\"") + "]}")
                .events().get(0).size());
    }

    @Test
    void snsWrappedNotificationsAreUnwrapped() {
        String inner = "{\"Records\": [" + record("ObjectCreated:Put", "ds/x.png", ", \"size\": 1, \"eTag\": \"e\"") + "]}";
        String sns = "{\"Type\": \"Notification\", \"Message\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(inner) + "}";
        assertEquals("ds/x.png", parse(sns).events().get(0).key());
    }

    @Test
    void theS3TestEventIsIgnoredWithAReason() {
        S3EventNotification.Parsed parsed = parse("{\"Service\": \"Amazon S3\", \"Event\": \"s3:TestEvent\", \"Bucket\": \"input\"}");
        assertTrue(parsed.events().isEmpty());
        assertEquals("s3:TestEvent", parsed.ignored().get(0).event());
    }

    @Test
    void bodiesThatAreNoNotificationAreRefused() {
        for (String body : new String[] {"", "  ", "nope", "[]", "{}", "{\"Records\": null}", "{\"Records\": \"x\"}", "{\"Records\": []} x"}) {
            assertThrows(IllegalArgumentException.class, () -> parse(body), body);
        }
        StringBuilder many = new StringBuilder("{\"Records\": [");
        for (int i = 0; i <= S3EventNotification.MAX_RECORDS; i++) {
            many.append(i == 0 ? "" : ",").append("{}");
        }
        assertThrows(IllegalArgumentException.class, () -> parse(many.append("]}").toString()));
    }

    @Test
    void unusableRecordsAreIgnoredNotFatal() {
        S3EventNotification.Parsed parsed = parse("{\"Records\": [1, {}, " + record("ObjectCreated:Put", "bad%zz", "") + ", "
                + record("ObjectCreated:Put", "ds/ok.png", "") + "]}");
        assertEquals(1, parsed.events().size());
        assertEquals(3, parsed.ignored().size());
    }

    @Test
    void everyObjectCreatedEventCountsAsCreatedAndNothingElse() {
        for (String name : new String[] {"s3:ObjectCreated:Put", "ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload",
                "ObjectCreated:Copy", "s3:ObjectCreated:Post"}) {
            assertTrue(new S3Event(name, "b", "k", "e", 1L).created(), name);
        }
        for (String name : new String[] {"s3:ObjectRemoved:Delete", "ObjectRestore:Completed", "s3:ObjectAccessed:Get", ""}) {
            assertFalse(new S3Event(name, "b", "k", "e", 1L).created(), name);
        }
    }

    @Test
    void keysThatCouldEscapeAFolderAreUnsafe() {
        for (String key : new String[] {"", "/abs.png", "ds/../x.png", "../x.png", "ds/./x.png", "ds//x.png", "ds/x\\y.png",
                "ds/x\u0000.png", "a".repeat(1025)}) {
            assertTrue(EventIngest.unsafeKey(key) != null, key);
        }
        for (String key : new String[] {"ds/x.png", "ds/sub/x.png", "ds/", "x.png", "ds/a b+c..png"}) {
            assertNull(EventIngest.unsafeKey(key), key);
        }
    }
}
