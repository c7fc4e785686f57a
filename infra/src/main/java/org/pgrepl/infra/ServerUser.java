package org.pgrepl.infra;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The operating-system user the servers run as. PostgreSQL refuses to run as root, so when the
 * JVM is root every server command runs as an unprivileged user (by default {@code postgres})
 * through {@code runuser}, or {@code setpriv} where runuser is missing, and every file the
 * servers use is handed to that user.
 */
final class ServerUser {
    /** Environment variable naming the unprivileged user to use when the JVM runs as root. */
    static final String ENV = "PGREPL_OS_USER";
    static final String DEFAULT_USER = "postgres";

    private final String name;          // null: run as the JVM's own user
    private final UserPrincipal principal;
    private final List<String> prefix;

    private ServerUser(String name, UserPrincipal principal, List<String> prefix) {
        this.name = name;
        this.principal = principal;
        this.prefix = prefix;
    }

    /**
     * Picks the user: the JVM's own when it is not root; otherwise {@code requested}, else
     * {@value #ENV}, else {@value #DEFAULT_USER}.
     */
    static ServerUser resolve(String requested) {
        if (!jvmIsRoot()) {
            return new ServerUser(null, null, List.of());
        }
        String name = requested != null ? requested : System.getenv(ENV) != null ? System.getenv(ENV) : DEFAULT_USER;
        UserPrincipal principal;
        try {
            principal = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new ClusterStartException("PostgreSQL refuses to run as root, and this JVM runs as root, but the"
                    + " unprivileged user '" + name + "' to run the servers as does not exist. Create it"
                    + " (for example: useradd --system --create-home " + name + "), name another existing user"
                    + " with " + ENV + " or EmbeddedCluster.builder().osUser(..), or run the JVM as a normal user.");
        } catch (IOException e) {
            throw new ClusterStartException("cannot look up user '" + name + "': " + e.getMessage(), e);
        }
        return new ServerUser(name, principal, switchCommand(name));
    }

    private static List<String> switchCommand(String name) {
        Path runuser = onPath("runuser");
        if (runuser != null) {
            return List.of(runuser.toString(), "-u", name, "--");
        }
        Path setpriv = onPath("setpriv");
        if (setpriv != null) {
            return List.of(setpriv.toString(), "--reuid=" + name, "--regid=" + name, "--init-groups");
        }
        throw new ClusterStartException("PostgreSQL refuses to run as root, and neither runuser nor setpriv"
                + " (util-linux) is installed to run the servers as '" + name + "'. Install util-linux or run the"
                + " JVM as a normal user.");
    }

    static boolean jvmIsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static Path onPath(String tool) {
        List<String> dirs = new ArrayList<>(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
        }
        return dirs.stream().map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** True when server commands run as another user than the JVM's. */
    boolean switching() {
        return name != null;
    }

    /** The user's name, or null when the servers run as the JVM's user. */
    String name() {
        return name;
    }

    /** The command prefixed so it runs as this user. */
    List<String> command(List<String> command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    /** Hands a file or directory tree to this user (no-op when not switching). */
    void own(Path path) {
        if (!switching()) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : (Iterable<Path>) tree::iterator) {
                Files.setOwner(p, principal);
            }
        } catch (IOException e) {
            throw new ClusterStartException("cannot hand " + path + " to user " + name + ": " + e.getMessage(), e);
        }
    }
}
