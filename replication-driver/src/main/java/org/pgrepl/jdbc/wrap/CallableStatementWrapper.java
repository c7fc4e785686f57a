package org.pgrepl.jdbc.wrap;

import java.sql.CallableStatement;

/**
 * A logical {@link CallableStatement}: each execution runs on the route current at that moment;
 * on another route it is prepared again there with the recorded parameters and out-parameter
 * registrations. Calls are never retried: out parameters and side effects make a second run
 * unsafe to assume.
 */
public class CallableStatementWrapper extends DelegatingCallableStatement {
    /**
     * @param source    the logical connection
     * @param route     the route current when the call was prepared
     * @param statement pgjdbc's statement on that route
     * @param recipe    prepares the same call on another route's connection
     */
    public CallableStatementWrapper(RouteSource source, RouteContext route, CallableStatement statement,
            StatementRecipe<? extends CallableStatement> recipe) {
        super(source, route, statement, recipe);
    }

    @Override
    protected boolean retryOnAnotherHost(java.sql.SQLException e) {
        return false;
    }
}
