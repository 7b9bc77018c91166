package dev.colo.nbd.internal.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.internal.mina.RunningExport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fio's nbd engine: random 4 KiB writes with 64 requests in flight, verified by crc32c. */
class FioInteropTest {

    @TempDir
    Path dir;

    @Test
    void shouldVerifyRandomWritesWith64InFlight() throws Exception {
        Tool.assumeInstalled("fio");
        try (RunningExport export = RunningExport.start(dir, "fio", 64L * 1024 * 1024)) {
            Tool.Result result = Tool.run(120, "fio", "--name=colo-nbd", "--ioengine=nbd", "--uri=" + export.uri(),
                    "--rw=randwrite", "--bs=4k", "--size=64M", "--iodepth=64", "--verify=crc32c", "--verify_state_save=0",
                    "--do_verify=1", "--verify_fatal=1");
            assertTrue(result.ok(), result.output());
            assertTrue(result.output().contains("err= 0"), result.output());
            assertTrue(!result.output().contains("verify: bad"), result.output());
            // the verify phase read everything back: fio reports both directions
            assertTrue(result.output().contains("read: IOPS="), result.output());
            assertTrue(result.output().contains("write: IOPS="), result.output());
        }
    }
}
