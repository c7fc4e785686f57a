package org.pgrepl.examples.boot;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Visits over JdbcTemplate. {@code @Transactional(readOnly = true)} makes Spring call
 * {@code setReadOnly(true)} on the pooled connection, which pgrepl routes to a replica; the other
 * methods run on the primary. Each answer names the server that ran it ({@code inet_server_port()},
 * read in the same transaction), so the demo shows the routing.
 */
@Service
public class VisitService {
    /** A visit as stored. */
    public record Visit(long id, long patientId, String reason) {
    }

    /** A result and the PostgreSQL port that served it. */
    public record Served<T>(T result, int serverPort) {
    }

    private final JdbcTemplate jdbc;

    public VisitService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public Served<Visit> record(long patientId, String reason) {
        Long id = jdbc.queryForObject("INSERT INTO visit (patient_id, reason) VALUES (?, ?) RETURNING id",
                Long.class, patientId, reason);
        return new Served<>(new Visit(id, patientId, reason), serverPort());
    }

    @Transactional(readOnly = true)
    public Served<Visit> find(long id) {
        List<Visit> found = jdbc.query("SELECT id, patient_id, reason FROM visit WHERE id = ?",
                (rs, row) -> new Visit(rs.getLong(1), rs.getLong(2), rs.getString(3)), id);
        return new Served<>(found.isEmpty() ? null : found.get(0), serverPort());
    }

    @Transactional(readOnly = true)
    public Served<List<Visit>> ofPatient(long patientId) {
        List<Visit> visits = jdbc.query("SELECT id, patient_id, reason FROM visit WHERE patient_id = ? ORDER BY id",
                (rs, row) -> new Visit(rs.getLong(1), rs.getLong(2), rs.getString(3)), patientId);
        return new Served<>(visits, serverPort());
    }

    private int serverPort() {
        Integer port = jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
        return port == null ? -1 : port;
    }
}
