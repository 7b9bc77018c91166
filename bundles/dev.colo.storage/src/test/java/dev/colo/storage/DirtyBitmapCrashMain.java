package dev.colo.storage;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DirtyBitmapTest}: opens a bitmap, marks ranges, says so on stdout and waits
 * to be killed without closing anything. Arguments: file, size, block size, then offset/length pairs.
 */
public final class DirtyBitmapCrashMain {
    private DirtyBitmapCrashMain() {
    }

    public static void main(String[] args) throws Exception {
        DirtyBitmap bitmap = DirtyBitmap.open(Path.of(args[0]), Long.parseLong(args[1]), Integer.parseInt(args[2]));
        for (int i = 3; i + 1 < args.length; i += 2) {
            bitmap.mark(Long.parseLong(args[i]), Long.parseLong(args[i + 1]));
        }
        System.out.println("MARKED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
