package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/setenv, which every Karaf script sources, gives them the JDK of the java on the PATH as JAVA_HOME when none is
 * set: without it Karaf's bin/inc warns "JAVA_HOME not set; results may vary" (bin/client, bin/start, ...).
 */
class SetenvScriptTest {
    private static final Path SETENV = Path.of("../../distribution/src/main/resources/assembly/bin/setenv");

    /** A JDK at {@code dir}/jdk whose bin/java is reached from {@code dir}/path/java through two links. */
    private static Path linkedJdk(Path dir) throws IOException {
        Path java = Files.createDirectories(dir.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(Files.createDirectories(dir.resolve("alternatives")).resolve("java"),
                Path.of("../jdk/bin/java"));
        Files.createSymbolicLink(Files.createDirectories(dir.resolve("path")).resolve("java"),
                dir.resolve("alternatives/java"));
        return dir.resolve("jdk").toRealPath();
    }

    /** A directory with the tools the script uses, and no java. */
    private static Path tools(Path dir) throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("readlink", "dirname", "grep")) {
            for (String bin : List.of("/usr/bin/", "/bin/")) {
                Path found = Path.of(bin + tool);
                Path wrapper = tools.resolve(tool);
                if (Files.isExecutable(found) && !Files.exists(wrapper)) { // a script, not a link out of the temp dir
                    Files.writeString(wrapper, "#!/bin/sh\nexec " + found + " \"$@\"\n");
                    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        return tools;
    }

    /** JAVA_HOME after sourcing setenv as bin/client does, with only {@code env} in the environment. */
    private static String javaHomeAfterSetenv(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c",
                ". \"$1\" && printf '%s' \"${JAVA_HOME}\"", "sh", SETENV.toAbsolutePath().toString());
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("KARAF_SCRIPT", "client");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output;
    }

    @Test
    void shouldTakeTheJdkOfTheJavaOnThePath(@TempDir Path dir) throws Exception {
        Path jdk = linkedJdk(dir);
        assertEquals(jdk.toString(), javaHomeAfterSetenv(Map.of("PATH", dir.resolve("path") + ":" + tools(dir))));
    }

    @Test
    void shouldKeepAJavaHomeThatIsSet(@TempDir Path dir) throws Exception {
        linkedJdk(dir);
        Map<String, String> env = new HashMap<>(Map.of("PATH", dir.resolve("path") + ":" + tools(dir)));
        env.put("JAVA_HOME", "/opt/jdk-17");
        assertEquals("/opt/jdk-17", javaHomeAfterSetenv(env));
    }

    @Test
    void shouldLeaveItToKarafWithoutJavaOnThePath(@TempDir Path dir) throws Exception {
        assertEquals("", javaHomeAfterSetenv(Map.of("PATH", tools(dir).toString())));
    }
}
