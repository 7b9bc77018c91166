package dev.colo.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BlockGeometryTest {
    @Test
    void shouldCutADiskIntoBlocksWithAShortLastOne() {
        BlockGeometry geometry = new BlockGeometry(10_000, 4096);
        assertEquals(3, geometry.blockCount());
        assertEquals(2, geometry.blockOf(9_999));
        assertEquals(8192, geometry.blockOffset(2));
        assertEquals(4096, geometry.blockLength(1));
        assertEquals(10_000 - 8192, geometry.blockLength(2));
        assertEquals(4096 + 10_000 - 8192, geometry.bytesOf(2, true));
        assertEquals(2 * 4096, geometry.bytesOf(2, false));
        assertEquals(0, geometry.bytesOf(0, false));
        assertThrows(IndexOutOfBoundsException.class, () -> geometry.blockOffset(3));
    }

    @Test
    void shouldRefuseBadBlockSizesAndSizes() {
        assertThrows(IllegalArgumentException.class, () -> new BlockGeometry(4096, 256));
        assertThrows(IllegalArgumentException.class, () -> new BlockGeometry(4096, 3000));
        assertThrows(IllegalArgumentException.class, () -> new BlockGeometry(0, 512));
        new BlockGeometry(1, 512);
    }
}
