package dev.colo.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a body on several threads at once and waits for all, failing with the first failure. */
final class Concurrently {

    /** One thread's work; {@code thread} is 0 .. threads - 1. */
    @FunctionalInterface
    interface Body {
        void run(int thread) throws Exception;
    }

    private Concurrently() {
    }

    static void run(int threads, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    body.run(thread);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
