package org.gpcrace.bridge;

/** Linux x86-64 constants used across gpcrace (values from the uapi headers). */
public final class Linux {
    private Linux() {}

    public static final long PAGE_SIZE = 4096;
    public static final long HUGE_PAGE_SIZE = 2L << 20;

    // mmap
    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
    public static final int PROT_RW = PROT_READ | PROT_WRITE;
    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000, MAP_HUGETLB = 0x40000;

    // madvise
    public static final int MADV_NORMAL = 0, MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9;
    public static final int MADV_MERGEABLE = 12, MADV_UNMERGEABLE = 13;
    public static final int MADV_HUGEPAGE = 14, MADV_NOHUGEPAGE = 15, MADV_COLD = 20, MADV_PAGEOUT = 21;
    public static final int MADV_POPULATE_READ = 22, MADV_POPULATE_WRITE = 23, MADV_COLLAPSE = 25;

    // memfd / fallocate / open
    public static final int MFD_CLOEXEC = 1, MFD_HUGETLB = 4;
    public static final int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
    public static final int O_RDONLY = 0, O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;

    // system call numbers (x86-64)
    public static final long SYS_USERFAULTFD = 323, SYS_IO_URING_SETUP = 425;
    public static final long SYS_GETTID = 186, SYS_MOVE_PAGES = 279;

    /** "MADV_DONTNEED" for 4; "advice N" for values gpcrace does not name. */
    public static String adviceName(int advice) {
        return switch (advice) {
            case MADV_NORMAL -> "MADV_NORMAL";
            case MADV_DONTNEED -> "MADV_DONTNEED";
            case MADV_FREE -> "MADV_FREE";
            case MADV_REMOVE -> "MADV_REMOVE";
            case MADV_MERGEABLE -> "MADV_MERGEABLE";
            case MADV_UNMERGEABLE -> "MADV_UNMERGEABLE";
            case MADV_HUGEPAGE -> "MADV_HUGEPAGE";
            case MADV_NOHUGEPAGE -> "MADV_NOHUGEPAGE";
            case MADV_COLD -> "MADV_COLD";
            case MADV_PAGEOUT -> "MADV_PAGEOUT";
            case MADV_POPULATE_READ -> "MADV_POPULATE_READ";
            case MADV_POPULATE_WRITE -> "MADV_POPULATE_WRITE";
            case MADV_COLLAPSE -> "MADV_COLLAPSE";
            default -> "advice " + advice;
        };
    }
}
