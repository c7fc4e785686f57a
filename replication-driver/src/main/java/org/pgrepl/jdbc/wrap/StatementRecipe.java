package org.pgrepl.jdbc.wrap;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How a logical statement was created ({@code createStatement}, {@code prepareStatement(sql, ...)}
 * with its arguments), so the same statement can be made on the other route's connection.
 */
@FunctionalInterface
public interface StatementRecipe<S extends Statement> {
    /** Makes the statement on {@code physical}. */
    S create(Connection physical) throws SQLException;
}
