package org.pgrepl.bench;

/** The systems a workload runs against, side by side in one run. */
public enum SystemId {
    /** Plain pgjdbc, the application picking the primary or the replica connection (or pool) by hand. */
    A("pgjdbc, routed by hand"),
    /** pgrepl: one {@code jdbc:pgrepl:} URL, routing on {@code Connection.setReadOnly}. */
    B("pgrepl"),
    /** AWS Advanced JDBC Wrapper with {@code readWriteSplitting} and {@code singleWriterConnectionString=true}. */
    C("AWS JDBC wrapper, readWriteSplitting"),
    /** Spring's {@code LazyConnectionDataSourceProxy} with a {@code readOnlyDataSource}, over two HikariCP pools. */
    D("Spring LazyConnectionDataSourceProxy, 2 pools"),
    /** B with pgrepl-micrometer's binder on a Prometheus registry scraped every second: what metrics cost. */
    E("pgrepl + Micrometer binder, scraped 1/s"),
    /**
     * AWS Advanced JDBC Wrapper with its {@code srw} (simple read/write splitting) plugin: two fixed
     * endpoints, {@code srwWriteEndpoint} the primary and {@code srwReadEndpoint} the first replica.
     */
    F("AWS JDBC wrapper, srw (fixed endpoints)");

    private final String label;

    SystemId(String label) {
        this.label = label;
    }

    /** A short human-readable description for the report. */
    public String label() {
        return label;
    }
}
