package io.e2e3d.engine.boofcv;

import io.e2e3d.engine.StageContext;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs independent tasks of a stage (views, pairs) on a few worker threads while the stage's own thread takes
 * their results in order, reports progress and checks for cancellation: the {@link StageContext} is only ever
 * called from the stage's thread. At most two tasks per thread are in flight, so finished results waiting to be
 * taken stay few. On cancellation or a failure the tasks not started are dropped, the running ones see
 * {@code stopped} turn true (long loops check it), and the workers have ended before the exception propagates.
 */
final class ParallelTasks {
    /** How often the stage's thread checks for cancellation while it waits for a task. */
    private static final long POLL_MS = 200;
    /** How long a canceled stage waits for its running tasks to notice. */
    private static final long STOP_WAIT_SECONDS = 60;

    /** One task; long loops should return early once {@code stopped} is true. */
    interface Work<T> {
        T compute(int index, BooleanSupplier stopped) throws Exception;
    }

    /** Receives each result on the stage's thread, in index order. */
    interface Results<T> {
        void accept(int index, T result) throws Exception;
    }

    private ParallelTasks() {
    }

    /** The engine's thread count for a setting: 0 or less means one per available core. */
    static int threads(int setting) {
        return setting > 0 ? setting : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    static <T> void run(StageContext ctx, int threads, int count, String name, Work<T> work, Results<T> results)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        BooleanSupplier stopped = stop::get;
        if (threads <= 1 || count <= 1) {
            for (int i = 0; i < count; i++) {
                ctx.checkCanceled();
                results.accept(i, work.compute(i, stopped));
            }
            return;
        }
        AtomicInteger workerNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "boofcv-" + name + "-" + workerNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ArrayDeque<Future<T>> inFlight = new ArrayDeque<>();
        int next = 0;
        try {
            for (int i = 0; i < count; i++) {
                while (next < count && next - i < 2 * threads) {
                    int index = next++;
                    inFlight.add(pool.submit(() -> work.compute(index, stopped)));
                }
                Future<T> f = inFlight.poll();
                T result;
                while (true) {
                    ctx.checkCanceled();
                    try {
                        result = f.get(POLL_MS, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException e) {
                        // still running: check for cancellation again
                    }
                }
                results.accept(i, result);
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) throw ex;
            if (cause instanceof Error err) throw err;
            throw e;
        } finally {
            stop.set(true);
            pool.shutdownNow();
            boolean interrupted = false;
            try {
                if (!pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    ctx.log("workers of " + name + " still running " + STOP_WAIT_SECONDS + " s after the stop");
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
