package dev.colo.nbd.internal.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.internal.mina.RunningExport;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qemu-io (QEMU's NBD client) against our server. */
class QemuIoInteropTest {
    private static final long SIZE = 64L * 1024 * 1024;

    @TempDir
    Path dir;
    private RunningExport export;

    @BeforeEach
    void start() throws Exception {
        Tool.assumeInstalled("qemu-io");
        export = RunningExport.start(dir, "disk0", SIZE);
    }

    @AfterEach
    void stop() throws Exception {
        if (export != null) {
            export.close();
        }
    }

    private Tool.Result qemuIo(String... commands) throws Exception {
        String[] args = new String[4 + 2 * commands.length];
        args[0] = "qemu-io";
        args[1] = "-f";
        args[2] = "raw";
        args[3] = export.uri();
        for (int i = 0; i < commands.length; i++) {
            args[4 + 2 * i] = "-c";
            args[5 + 2 * i] = commands[i];
        }
        return Tool.run(60, args);
    }

    private static void assertClean(Tool.Result result) {
        assertTrue(result.ok(), result.output());
        assertFalse(result.output().contains("Pattern verification failed"), result.output());
        assertFalse(result.output().toLowerCase().contains("error"), result.output());
    }

    @Test
    void shouldWriteThenReadBackAPattern() throws Exception {
        Tool.Result result = qemuIo("write -P 0xab 0 1M", "read -P 0xab 0 1M");
        assertClean(result);
        assertTrue(result.output().contains("wrote 1048576/1048576 bytes at offset 0"), result.output());
        assertTrue(result.output().contains("read 1048576/1048576 bytes at offset 0"), result.output());
        // a second connection sees the data, and a wrong pattern is noticed
        assertClean(qemuIo("read -P 0xab 0 1M"));
        Tool.Result wrong = qemuIo("read -P 0xcd 0 1M");
        assertTrue(wrong.output().contains("Pattern verification failed"), wrong.output());
    }

    @Test
    void shouldHandleUnalignedRequestsAndTheLastByte() throws Exception {
        assertClean(qemuIo("write -P 0x11 1000 3333", "read -P 0x11 1000 3333", "read -P 0 0 1000",
                "write -P 0x22 " + (SIZE - 1) + " 1", "read -P 0x22 " + (SIZE - 1) + " 1",
                "write -z 4096 8192", "read -P 0 4096 8192", "flush", "write -f -P 0x33 77 5", "read -P 0x33 77 5",
                "discard 1M 1M", "aio_write -P 0x44 2M 64k", "aio_flush", "read -P 0x44 2M 64k"));
    }

    @Test
    void shouldRefuseAReadBeyondTheEnd() throws Exception {
        Tool.Result result = qemuIo("read 0 " + (SIZE + 4096));
        boolean failed = !result.ok() || result.output().toLowerCase().contains("error")
                || result.output().contains("Input/output") || result.output().contains("Invalid");
        assertTrue(failed, "reading past the end must fail: " + result.output());
        System.out.println("qemu-io past the end: " + result.output().strip());
    }
}
