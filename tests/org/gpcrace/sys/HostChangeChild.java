package org.gpcrace.sys;

import java.nio.file.Path;

/**
 * A process that makes host changes through {@link HostChanges} and then waits to be killed:
 * args are pairs KIND PATH [VALUE] (write PATH VALUE | mkdir PATH | created PATH | swap PATH BYTES).
 * Prints "ready" once every change is made.
 */
public final class HostChangeChild {
    private HostChangeChild() {}

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; ) {
            String kind = args[i++];
            Path p = Path.of(args[i++]);
            switch (kind) {
                case "write" -> HostChanges.writeFile(p, args[i++], "test");
                case "mkdir" -> HostChanges.mkdir(p, "test");
                case "created" -> {
                    java.nio.file.Files.writeString(p, "scratch");
                    HostChanges.deleteOnClose(p, "test");
                }
                case "swap" -> HostChanges.swapFile(p, Long.parseLong(args[i++]), "test");
                default -> throw new IllegalArgumentException(kind);
            }
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
