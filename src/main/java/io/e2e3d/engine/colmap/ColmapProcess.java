package io.e2e3d.engine.colmap;

import io.e2e3d.engine.StageContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one external command: stdout and stderr merged and drained line by line by a reader thread; the lines are
 * handed to the stage thread (context.log and the caller's line handler run there, never on the reader thread).
 * While waiting, the stage thread checks for cancellation every {@link #POLL_MILLIS} ms and enforces a timeout;
 * on cancel or timeout the process and its descendants are terminated (SIGTERM, then forcibly after a grace period).
 */
final class ColmapProcess {

    static final long POLL_MILLIS = 200;
    static final Duration GRACE = Duration.ofSeconds(5);
    /** Lines logged per run in full; beyond this only lines the handler marks as progress are logged. */
    static final int MAX_LOGGED_LINES = 2000;
    private static final String EOF = new String("<eof>");

    private ColmapProcess() {
    }

    /**
     * Runs {@code command} in {@code workDir}; returns normally when it exits with 0.
     *
     * @param onLine sees every output line on the calling thread (progress parsing)
     * @throws ColmapException on a non-zero exit, a timeout, or when the binary cannot be started
     */
    static void run(List<String> command, Path workDir, StageContext ctx, Duration timeout, Consumer<String> onLine)
            throws InterruptedException {
        String what = command.size() > 1 ? command.get(1) : command.get(0);
        ctx.log("running " + String.join(" ", command));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putIfAbsent("QT_QPA_PLATFORM", "offscreen");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new ColmapException("cannot start the colmap binary '" + command.get(0) + "': " + e.getMessage(), e);
        }
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> drain(process, lines), "colmap-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        Deque<String> tail = new ArrayDeque<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        int logged = 0;
        boolean eof = false;
        try {
            while (!eof) {
                String line = lines.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (line == EOF) {
                    eof = true;
                } else if (line != null) {
                    String s = line.strip();
                    if (!s.isEmpty() && !s.chars().allMatch(c -> c == '=' || c == '-')) {
                        if (tail.size() == 20) tail.removeFirst();
                        tail.addLast(s);
                        if (logged < MAX_LOGGED_LINES) {
                            ctx.log("colmap " + what + ": " + s);
                            if (++logged == MAX_LOGGED_LINES) ctx.log("colmap " + what + ": further output not logged");
                        }
                        onLine.accept(s);
                    }
                }
                ctx.checkCanceled();
                if (System.nanoTime() > deadline) {
                    throw new ColmapException("colmap " + what + " timed out after " + human(timeout)
                            + " and was stopped" + lastLines(tail));
                }
            }
            // output closed: the process is exiting
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                ctx.checkCanceled();
                if (System.nanoTime() > deadline) {
                    throw new ColmapException("colmap " + what + " timed out after " + human(timeout) + " and was stopped");
                }
            }
            ctx.checkCanceled();
        } catch (RuntimeException | InterruptedException e) {
            terminate(process);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw e;
        }
        int code = process.exitValue();
        if (code != 0) {
            throw new ColmapException("colmap " + what + " failed with exit code " + code + lastLines(tail));
        }
    }

    private static void drain(Process process, BlockingQueue<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) lines.add(line);
        } catch (IOException e) {
            // the stream closes when the process is destroyed
        } finally {
            lines.add(EOF);
        }
    }

    /** SIGTERM to the process and its descendants, SIGKILL to whatever is still alive after the grace period. */
    static void terminate(Process process) {
        List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long until = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle h : all) {
            long left = until - System.nanoTime();
            try {
                if (left > 0) h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // still alive or interrupted: killed below
            }
        }
        for (ProcessHandle h : all) if (h.isAlive()) h.destroyForcibly();
        try {
            process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String lastLines(Deque<String> tail) {
        return tail.isEmpty() ? " (no output)" : "; last output: " + String.join(" | ", tail);
    }

    private static String human(Duration d) {
        return d.toSeconds() % 60 == 0 && d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
    }
}
