package dev.colo.replication.internal.config;

import dev.colo.api.Role;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.replication.internal.generation.GenerationStore;
import dev.colo.replication.internal.secondary.CommitJournal;
import dev.colo.replication.internal.secondary.SecondaryLayers;
import dev.colo.storage.DirtyBitmap;
import dev.colo.storage.FileBlockDevice;
import dev.colo.storage.Overlay;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one protected disk, opened and checked against each other: the local disk (created sparse
 * when missing and a size is given), the overlays (which must exist, as the operator's promise that the
 * space is there, and be exactly as large as the local disk), the dirty bitmap. A mismatch is an
 * {@link InvalidConfigurationException} naming the key. Closing closes all of them.
 */
public final class DiskFiles implements Closeable {
    private final List<Closeable> opened = new ArrayList<>();
    private FileBlockDevice local;
    private DirtyBitmap dirty;
    private GenerationStore generations;
    private SecondaryLayers layers;

    private DiskFiles() {
    }

    /** Opens the files for {@code role}: a secondary also opens its overlays (kept for a pending commit). */
    public static DiskFiles open(DiskSettings settings, Role role) throws IOException {
        DiskFiles files = new DiskFiles();
        try {
            files.openAll(settings, role);
            return files;
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    public FileBlockDevice local() {
        return local;
    }

    public DirtyBitmap dirty() {
        return dirty;
    }

    public GenerationStore generations() {
        return generations;
    }

    /** S, H and A on a secondary; null on a primary. */
    public SecondaryLayers layers() {
        return layers;
    }

    private void openAll(DiskSettings settings, Role role) throws IOException {
        if (!Files.exists(settings.localPath()) && settings.sizeBytes() == 0) {
            throw invalid(DiskSettings.LOCAL_PATH, settings.localPath(),
                    "does not exist, and no " + DiskSettings.SIZE_BYTES + " was given to create it");
        }
        local = keep(FileBlockDevice.open(settings.localPath(), settings.sizeBytes(), false));
        long size = local.sizeBytes();
        checkOverlay(DiskSettings.ACTIVE_PATH, settings.activePath(), size);
        checkOverlay(DiskSettings.HIDDEN_PATH, settings.hiddenPath(), size);
        dirty = keep(DirtyBitmap.open(settings.bitmapPath(), size, settings.blockBytes()));
        generations = GenerationStore.open(settings.generationPath(), settings.initialGeneration());
        if (role == Role.SECONDARY) {
            boolean commitPending = CommitJournal.read(settings.journalPath()).isPresent();
            Overlay hidden = keep(overlay(settings.hiddenPath(), size, settings.blockBytes(), commitPending));
            Overlay active = keep(overlay(settings.activePath(), size, settings.blockBytes(), commitPending));
            layers = new SecondaryLayers(local, hidden, active);
        }
    }

    private static void checkOverlay(String key, Path path, long localSize) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw invalid(key, path, "overlay missing: create it as a sparse file as large as the local disk ("
                    + "truncate -s " + localSize + " " + path + ")");
        }
        long size = Files.size(path);
        if (size != localSize) {
            throw invalid(key, path, "sizes differ: the overlay has " + size + " bytes, the local disk "
                    + localSize);
        }
    }

    /** A pending commit needs the overlays' content; otherwise they start empty. */
    private static Overlay overlay(Path path, long size, int blockBytes, boolean keepContent) throws IOException {
        return keepContent ? Overlay.open(path, size, blockBytes) : Overlay.create(path, size, blockBytes);
    }

    private static InvalidConfigurationException invalid(String key, Path value, String reason) {
        return InvalidConfigurationException.invalid(DiskSettings.PID, key, value, reason);
    }

    private <T extends Closeable> T keep(T file) {
        opened.add(file);
        return file;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        opened.clear();
        if (first != null) {
            throw first;
        }
    }
}
