import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Fast start, a build step (make): rewrites the class files under PREFIX in JAR that are older than
 * Java 6 (major version < 50, e.g. picocli, which targets Java 5) as version 52 with stack maps, so
 * that the JDK's AOT cache can hold them loaded and linked: the JVM refuses to archive linked
 * classes of the old format ("Old class has been linked") and loads and verifies them with the
 * old type-inferring verifier at every start. Each rewritten class must pass the JDK's own
 * verifier (ClassFile.verify) or it is kept as it was; the code is not changed, only re-framed.
 *
 *   java native/launcher/ClassFileUpgrade.java target/gpcrace.jar picocli/
 */
public final class ClassFileUpgrade {
    private ClassFileUpgrade() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java ClassFileUpgrade.java JAR PREFIX");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        String prefix = args[1];
        Path tmp = Files.createTempFile(jar.toAbsolutePath().getParent(), ".upgrade-", ".jar");
        int upgraded = 0, kept = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
                URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS, ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            for (var entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry e = entries.nextElement();
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().startsWith(prefix) && e.getName().endsWith(".class")) {
                    ClassModel m = cf.parse(b);
                    if (m.majorVersion() < ClassFile.JAVA_6_VERSION) {
                        byte[] up = cf.transformClass(m, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                .andThen(ClassTransform.endHandler(cb -> cb.withVersion(ClassFile.JAVA_8_VERSION, 0))));
                        if (cf.verify(up).isEmpty()) {
                            b = up;
                            upgraded++;
                        } else {
                            kept++;
                        }
                    }
                }
                ZipEntry o = new ZipEntry(e.getName());
                o.setTime(e.getTime());
                out.putNextEntry(o);
                out.write(b);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException x) {
            Files.deleteIfExists(tmp);
            throw x;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("class files under " + prefix + " in " + jar + ": " + upgraded + " rewritten as Java 8 with stack maps, "
                + kept + " kept (they did not verify rewritten)");
    }
}
