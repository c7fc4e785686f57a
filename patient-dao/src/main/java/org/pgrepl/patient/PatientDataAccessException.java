package org.pgrepl.patient;

/** A database failure, with the operation, SQLState and constraint name; the server's message is not kept. */
public class PatientDataAccessException extends PatientDaoException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;
    private final String constraint;

    /**
     * @param operation  the DAO operation that failed
     * @param sqlState   the SQLState, or null
     * @param constraint the violated constraint, or null
     */
    public PatientDataAccessException(String operation, String sqlState, String constraint) {
        super(operation + " failed: SQLState " + sqlState + (constraint == null ? "" : ", constraint " + constraint));
        this.sqlState = sqlState;
        this.constraint = constraint;
    }

    /** The SQLState, or null. */
    public String sqlState() {
        return sqlState;
    }

    /** The violated constraint, or null. */
    public String constraint() {
        return constraint;
    }
}
