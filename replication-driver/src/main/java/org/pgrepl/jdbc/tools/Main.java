package org.pgrepl.jdbc.tools;

/**
 * Entry point of the self-contained jar: {@code java -jar replication-driver-<version>-all.jar
 * status '<pgrepl URL>'}.
 */
public final class Main {
    private Main() {
    }

    /** @param args {@code status <url>} */
    public static void main(String[] args) {
        if (args.length == 2 && "status".equals(args[0])) {
            System.exit(StatusCommand.run(args[1], System.out, System.err));
        }
        System.err.println("usage: java -jar replication-driver-<version>-all.jar status '<jdbc:pgrepl: URL>'");
        System.err.println("  prints each host's role, state and replication lag;"
                + " credentials from the URL (user=, password=) or PGUSER/PGPASSWORD");
        System.exit(2);
    }
}
