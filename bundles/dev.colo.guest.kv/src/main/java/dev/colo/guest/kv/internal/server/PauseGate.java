package dev.colo.guest.kv.internal.server;

/**
 * Lets commands run unless the guest is paused; pausing waits for the commands under way to finish (their
 * replies handed to the network), so that a paused guest changes nothing and says nothing.
 */
final class PauseGate {
    private boolean paused;
    private int running;

    synchronized void enter() throws InterruptedException {
        while (paused) {
            wait();
        }
        running++;
    }

    synchronized void exit() {
        running--;
        if (running == 0) {
            notifyAll();
        }
    }

    synchronized void pause() {
        paused = true;
        boolean interrupted = false;
        while (running > 0) {
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

    synchronized boolean isPaused() {
        return paused;
    }
}
