package dev.colo.itests.support;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples, every {@value #PERIOD_MILLIS} ms on a thread of its own, which nodes say they are the primary (their Node
 * MXBean's Role), and counts the moments in which both do: two samples in a row or more (one alone may have read
 * the two nodes on either side of a hand-off of the role, a few milliseconds apart). While {@link #excuse} is set (a
 * fault whose documented outcome is two primaries: fencing none, or fencing that fences nothing) such moments are
 * counted apart. A node that does not answer (killed, frozen, restarting) is not a primary in that sample.
 */
public final class PrimarySampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 200;

    private final LocalPair pair;
    private final PrintStream out;
    private final Thread thread;
    private final Map<String, NodeMBean> beans = new HashMap<>();
    private volatile boolean running = true;
    private volatile String excuse;
    private long samples;
    private long twoPrimaries;
    private long twoPrimariesExcused;
    private long transients;
    private int inARow;
    private final List<String> moments = new ArrayList<>();

    public PrimarySampler(LocalPair pair, PrintStream out) {
        this.pair = pair;
        this.out = out;
        this.thread = new Thread(this::sample, "nemesis-primary-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Two primaries are the documented outcome of what runs now ({@code why}); null when no longer. */
    public void excuse(String why) {
        excuse = why;
    }

    /** Samples taken so far. */
    public synchronized long samples() {
        return samples;
    }

    /** Single samples in which both nodes said they were the primary (a hand-off read on either side). */
    public synchronized long transients() {
        return transients;
    }

    /** Moments in which both nodes said they were the primary, with no excuse. */
    public synchronized long twoPrimaries() {
        return twoPrimaries;
    }

    public synchronized long twoPrimariesExcused() {
        return twoPrimariesExcused;
    }

    /** When and where two primaries were seen (the first ten). */
    public synchronized List<String> moments() {
        return List.copyOf(moments);
    }

    private void sample() {
        while (running) {
            long started = System.nanoTime();
            int primaries = 0;
            for (LocalPair.Node node : pair.nodes()) {
                if ("primary".equals(role(node.nodeId()))) {
                    primaries++;
                }
            }
            synchronized (this) {
                samples++;
                inARow = primaries > 1 ? inARow + 1 : 0;
                if (inARow == 1) {
                    transients++;
                } else if (inARow == 2) {
                    transients--;
                    String why = excuse;
                    if (why == null) {
                        twoPrimaries++;
                        if (moments.size() < 10) {
                            moments.add(java.time.Instant.now().toString());
                        }
                        out.printf("[nemesis] sampler: both nodes say they are the primary (%s)%n",
                                java.time.Instant.now());
                    } else {
                        twoPrimariesExcused++;
                    }
                }
            }
            long left = PERIOD_MILLIS - (System.nanoTime() - started) / 1_000_000;
            if (left > 0) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The node's Role now, or null when it does not answer (a connection is made again next time). */
    private String role(String nodeId) {
        try {
            NodeMBean bean = beans.get(nodeId);
            if (bean == null) {
                bean = NodeMBean.at(pair.node(nodeId), "dev.colo:type=Node", "Role");
                beans.put(nodeId, bean);
            }
            return String.valueOf(bean.attribute("Role"));
        } catch (IOException | RuntimeException e) {
            NodeMBean gone = beans.remove(nodeId);
            if (gone != null) {
                try {
                    gone.close();
                } catch (IOException | RuntimeException ignored) {
                    // the node is gone: nothing to close cleanly
                }
            }
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        for (NodeMBean bean : beans.values()) {
            try {
                bean.close();
            } catch (IOException | RuntimeException ignored) {
                // closing: a node may be gone
            }
        }
    }
}
