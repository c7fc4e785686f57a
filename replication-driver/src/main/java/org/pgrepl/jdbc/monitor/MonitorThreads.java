package org.pgrepl.jdbc.monitor;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every cluster monitor of this JVM runs on: its cycle loop and its probes. Pooled,
 * because a monitor starts again whenever a connection is opened after a quiet spell (its
 * predecessor stopped two intervals after the last close), and starting a platform thread is a
 * good part of that connection's own cost on a small machine. An idle thread ends after a
 * minute, so nothing of pgrepl runs for long after the application is done with its clusters.
 * A task never waits for a thread (a stalled host holds one until its deadline, as it would
 * hold a dedicated one); a thread carries its task's name while it runs it, for thread dumps.
 */
final class MonitorThreads {
    private static final String IDLE_NAME = "pgrepl-monitor-idle";
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, IDLE_NAME + "-" + COUNT.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private MonitorThreads() {
    }

    /** Runs {@code task} on a pool thread named {@code name} while it runs. */
    static <T> Future<T> submit(String name, Callable<T> task) {
        return POOL.submit(() -> {
            Thread t = Thread.currentThread();
            String idle = t.getName();
            t.setName(name);
            try {
                return task.call();
            } finally {
                t.setName(idle);
            }
        });
    }
}
