package org.pgrepl.infra;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests a running {@link EmbeddedCluster} (1 primary + 2 streaming
 * replicas). One cluster is started per test JVM, on first need, and shared by every test class
 * that uses this extension; it is closed when the JVM's test run ends.
 *
 * <pre>{@code
 * @ExtendWith(PgClusterExtension.class)
 * class MyIT {
 *     @Test
 *     void reads(EmbeddedCluster cluster) { ... }
 * }
 * }</pre>
 *
 * <p>Shared means shared: tests may write rows and create tables of their own, but must not
 * stop, kill, pause or promote its servers. Fault tests start a private cluster with
 * {@link EmbeddedCluster#builder()}.
 */
public final class PgClusterExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PgClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return shared(context);
    }

    /** The JVM's shared cluster, started on first call. */
    public static EmbeddedCluster shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("shared", key -> new SharedCluster(EmbeddedCluster.builder().replicas(2).start()),
                        SharedCluster.class)
                .cluster();
    }

    /** Closed by JUnit when the root context (the whole test run of this JVM) closes. */
    @SuppressWarnings("deprecation")
    private record SharedCluster(EmbeddedCluster cluster) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
