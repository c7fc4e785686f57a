package org.pgrepl.jdbc.wrap;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A logical {@link PreparedStatement}: each execution runs on the route current at that moment;
 * on another route it is prepared again there and given the recorded parameters.
 */
public class PreparedStatementWrapper extends DelegatingPreparedStatement {
    /**
     * @param source    the logical connection
     * @param route     the route current when the statement was prepared
     * @param statement pgjdbc's statement on that route
     * @param recipe    prepares the same statement on another route's connection
     */
    public PreparedStatementWrapper(RouteSource source, RouteContext route, PreparedStatement statement,
            StatementRecipe<? extends PreparedStatement> recipe) {
        super(source, route, statement, recipe);
    }

    @Override
    Delegates.ParameterReplay parameterReplay() {
        return this::replayParameters;
    }

    private void replayParameters(Statement s) throws SQLException {
        PreparedStatement ps = (PreparedStatement) s;
        ps.clearParameters();
        apply(ps, parameterCalls, keyedCalls);
    }

    private static void apply(PreparedStatement ps, ParameterCall[] indexed, Map<String, ParameterCall> keyed)
            throws SQLException {
        if (indexed != null) {
            for (ParameterCall c : indexed) {
                if (c != null) {
                    c.apply(ps);
                }
            }
        }
        if (keyed != null) {
            for (ParameterCall c : keyed.values()) {
                c.apply(ps);
            }
        }
    }

    /** The parameters set now, as one batch entry to replay on a statement made again elsewhere. */
    @Override
    protected StatementCall batchEntry() {
        ParameterCall[] indexed = parameterCalls == null ? null : Arrays.copyOf(parameterCalls, parameterCalls.length);
        Map<String, ParameterCall> keyed = keyedCalls == null ? null : new LinkedHashMap<>(keyedCalls);
        return s -> {
            PreparedStatement ps = (PreparedStatement) s;
            ps.clearParameters();
            apply(ps, indexed, keyed);
            ps.addBatch();
        };
    }
}
