package org.gpcrace.sys;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** Why /dev/kvm cannot be opened, and the fix that fits the reason (not every refusal is a missing module). */
public final class KvmAccess {
    private KvmAccess() {}

    public static final Path DEVICE = Path.of("/dev/kvm");

    /** The fix for an open of /dev/kvm that failed with {@code errnoName}. */
    public static String fix(String errnoName) {
        return switch (errnoName == null ? "" : errnoName) {
            case "EACCES", "EPERM" -> "/dev/kvm is " + describe() + ": run as root, or let this user in (a udev rule KERNEL==\"kvm\","
                    + " GROUP=\"kvm\", MODE=\"0660\", then usermod -aG kvm " + System.getProperty("user.name", "USER") + ")";
            case "ENOENT", "ENODEV", "ENXIO" -> "load kvm_intel or kvm_amd (modprobe), and enable virtualization"
                    + " (in the firmware; nested: expose VMX/SVM to this VM)";
            default -> "load kvm_intel or kvm_amd (modprobe), enable virtualization (nested: expose VMX/SVM to the VM),"
                    + " and run as root or add the user to the device's group";
        };
    }

    /** "crw------- root:root" of the device, or "missing". */
    static String describe() {
        try {
            PosixFileAttributes a = Files.readAttributes(DEVICE, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return PosixFilePermissions.toString(a.permissions()) + " " + a.owner().getName() + ":" + a.group().getName();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return "missing";
        }
    }
}
