package dev.colo.guest.kv.internal.server;

/**
 * Lets commands run unless the guest is paused; pausing waits for the commands under way to finish (their
 * replies handed to the network), so that a paused guest changes nothing and says nothing. Closing turns away
 * every command, those waiting included: a guest stopped while paused (a primary that handed over) must neither
 * hang its stop nor run what arrived after its last checkpoint.
 */
final class PauseGate {
    private boolean paused;
    private boolean closed;
    private int running;
    private long completed;

    /** Waits while paused; returns false, running nothing, once the gate is closed. */
    synchronized boolean enter() throws InterruptedException {
        while (paused && !closed) {
            wait();
        }
        if (closed) {
            return false;
        }
        running++;
        return true;
    }

    /** Enters unless paused or closed; never waits (for commands run in an order, which wait their turn). */
    synchronized boolean tryEnter() {
        if (paused || closed) {
            return false;
        }
        running++;
        return true;
    }

    synchronized void exit() {
        running--;
        completed++;
        if (running == 0) {
            notifyAll();
        }
    }

    synchronized void pause() {
        paused = true;
        boolean interrupted = false;
        while (running > 0 && !closed) { // a closed gate's commands are never answered: the guest stopped
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // a checkpoint must not see a half-paused guest
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void resume() {
        paused = false;
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean isPaused() {
        return paused;
    }

    /** Commands running now, and commands completed since the gate was made: what the watchdog looks at. */
    synchronized Progress progress() {
        return new Progress(running, completed);
    }

    record Progress(int running, long completed) {
    }
}
