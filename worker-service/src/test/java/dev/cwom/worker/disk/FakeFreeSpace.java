package dev.cwom.worker.disk;

import java.nio.file.Path;

/**
 * Free space as a test says: plenty (1 TB free of 2 TB) until {@link #fill} or {@link #set}, the same for every path.
 * So that a test can play a full disk without filling one, and so that tests do not depend on the machine's disk.
 */
public final class FakeFreeSpace implements FreeSpace {

    public static final long TOTAL = 2L << 40;

    private volatile Space space = new Space(TOTAL / 2, TOTAL);

    /** Only {@code usableBytes} are left. */
    public void set(long usableBytes) {
        space = new Space(usableBytes, TOTAL);
    }

    /** A disk as full as the 79 GB {@code yes} left it: 1 MB usable. */
    public void fill() {
        set(1L << 20);
    }

    /** Plenty again. */
    public void free() {
        set(TOTAL / 2);
    }

    @Override
    public Space of(Path path) {
        return space;
    }
}
