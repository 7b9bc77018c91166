package dev.colo.replication.internal.blocks;

import java.io.IOException;

/** A piece of I/O run by code that holds a lock or decides a route around it. */
@FunctionalInterface
public interface IoAction {
    void run() throws IOException;
}
