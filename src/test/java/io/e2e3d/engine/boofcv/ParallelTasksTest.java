package io.e2e3d.engine.boofcv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.e2e3d.engine.JobCanceledException;
import io.e2e3d.engine.TestStageContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTasksTest {

    private static TestStageContext context() {
        TestStageContext ctx = new TestStageContext("parallel", Path.of("."), Path.of("."), List.of());
        ctx.verbose = false;
        return ctx;
    }

    @Test
    void resultsArriveInOrderOnTheCallingThread() throws Exception {
        for (int threads : new int[] {1, 2, 3}) {
            List<Integer> seen = new ArrayList<>();
            Set<String> workers = ConcurrentHashMap.newKeySet();
            Thread caller = Thread.currentThread();
            ParallelTasks.run(context(), threads, 50, "test", (i, stopped) -> {
                workers.add(Thread.currentThread().getName());
                Thread.sleep((i * 7) % 5); // finish out of order
                return i * i;
            }, (i, r) -> {
                assertEquals(caller, Thread.currentThread());
                assertEquals(i * i, r);
                seen.add(i);
            });
            assertEquals(50, seen.size());
            for (int i = 0; i < 50; i++) assertEquals(i, seen.get(i));
            assertTrue(workers.size() <= threads, "workers " + workers);
        }
    }

    @Test
    void cancelledWhileWaitingTheWorkersHaveEndedWhenTheExceptionArrives() {
        TestStageContext ctx = context();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        Thread canceller = new Thread(() -> {
            while (started.get() < 2) Thread.onSpinWait();
            ctx.cancel = true;
        });
        canceller.start();
        assertThrows(JobCanceledException.class, () -> ParallelTasks.run(ctx, 2, 1000, "test", (i, stopped) -> {
            started.incrementAndGet();
            running.incrementAndGet();
            try {
                long until = System.nanoTime() + 30_000_000_000L;
                while (!stopped.getAsBoolean() && System.nanoTime() < until) Thread.onSpinWait();
                return i;
            } finally {
                running.decrementAndGet();
            }
        }, (i, r) -> {
        }));
        assertEquals(0, running.get(), "tasks still running after the stage ended");
        assertTrue(started.get() < 1000, "tasks not started were dropped");
    }

    @Test
    void aFailingTaskFailsTheRunWithItsException() {
        IOException e = assertThrows(IOException.class, () -> ParallelTasks.run(context(), 2, 20, "test", (i, stopped) -> {
            if (i == 5) throw new IOException("broken " + i);
            return i;
        }, (i, r) -> {
        }));
        assertEquals("broken 5", e.getMessage());
    }
}
