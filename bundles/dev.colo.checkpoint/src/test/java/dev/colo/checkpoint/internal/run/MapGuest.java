package dev.colo.checkpoint.internal.run;

import dev.colo.api.guest.GuestState;
import dev.colo.api.guest.ProtectedGuest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A guest for tests: a map whose incremental state is the keys changed since the last capture. */
public final class MapGuest implements ProtectedGuest {
    public final Map<String, String> data = new TreeMap<>();
    private final Set<String> changed = new HashSet<>();
    private final String name;
    public volatile boolean paused;
    volatile int pauses;
    public volatile boolean failRestore;
    /** The disks it keeps its data on. */
    public volatile List<String> disks = List.of("disk0");

    public MapGuest(String name) {
        this.name = name;
    }

    public synchronized void put(String key, String value) {
        if (paused) {
            throw new IllegalStateException("a paused guest changed its state");
        }
        if (value == null) {
            data.remove(key);
        } else {
            data.put(key, value);
        }
        changed.add(key);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void pause() {
        paused = true;
        pauses++;
    }

    @Override
    public synchronized void resume() {
        paused = false;
    }

    @Override
    public synchronized GuestState capture(boolean full) {
        Set<String> keys = full ? data.keySet() : changed;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(keys.size());
            for (String key : keys) {
                out.writeUTF(key);
                String value = data.get(key);
                out.writeBoolean(value != null);
                if (value != null) {
                    out.writeInt(value.length());
                    out.writeBytes(value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        changed.clear();
        return new GuestState(full, bytes.toByteArray());
    }

    @Override
    public synchronized void restore(GuestState state) {
        if (failRestore) {
            throw new IllegalStateException("restore refused (test)");
        }
        if (state.full()) {
            data.clear();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state.bytes()))) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                if (in.readBoolean()) {
                    data.put(key, new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.ISO_8859_1));
                } else {
                    data.remove(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        changed.clear();
    }

    @Override
    public InetSocketAddress endpoint() {
        return new InetSocketAddress("127.0.0.1", 6379);
    }

    @Override
    public List<String> disks() {
        return disks;
    }
}
