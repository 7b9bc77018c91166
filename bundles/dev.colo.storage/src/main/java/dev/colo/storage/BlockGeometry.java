package dev.colo.storage;

/**
 * A disk of {@code sizeBytes} cut into blocks of {@code blockBytes} (a power of two, at least 512); the
 * last block is short when the size is not a multiple.
 */
record BlockGeometry(long sizeBytes, int blockBytes) {
    static final int MIN_BLOCK_BYTES = 512;

    BlockGeometry {
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("size must be positive: " + sizeBytes);
        }
        if (blockBytes < MIN_BLOCK_BYTES || Integer.bitCount(blockBytes) != 1) {
            throw new IllegalArgumentException("block size must be a power of two of at least "
                    + MIN_BLOCK_BYTES + " bytes: " + blockBytes);
        }
    }

    long blockCount() {
        return (sizeBytes + blockBytes - 1) / blockBytes;
    }

    long blockOf(long offset) {
        return offset / blockBytes;
    }

    long blockOffset(long block) {
        checkBlock(block);
        return block * blockBytes;
    }

    int blockLength(long block) {
        return (int) Math.min(blockBytes, sizeBytes - blockOffset(block));
    }

    /** The bytes that {@code blocks} blocks cover, when {@code lastIncluded} tells whether the short one is among them. */
    long bytesOf(long blocks, boolean lastIncluded) {
        if (blocks == 0) {
            return 0;
        }
        long shortfall = lastIncluded ? (long) blockBytes - blockLength(blockCount() - 1) : 0;
        return blocks * blockBytes - shortfall;
    }

    void checkBlock(long block) {
        if (block < 0 || block >= blockCount()) {
            throw new IndexOutOfBoundsException("block " + block + " outside 0.." + (blockCount() - 1));
        }
    }

    void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || length > sizeBytes || offset > sizeBytes - length) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside " + sizeBytes
                    + " bytes");
        }
    }
}
