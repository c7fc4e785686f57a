package org.pgrepl.spring.boot.it;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads in read-only transactions (pgrepl sends them to a replica), writes in read-write ones (the
 * primary). Each answer carries {@code inet_server_port()} of the server that ran it, read in the
 * same transaction, so a test can tell which server served a request.
 */
@Service
public class NotesService {
    /** A value and the port of the server that produced it. */
    public record Served<T>(T value, int serverPort) {
    }

    private final JdbcTemplate jdbc;

    public NotesService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Served<Void> whoServesReads() {
        return new Served<>(null, serverPort());
    }

    @Transactional
    public Served<Long> add(String body) {
        Long id = jdbc.queryForObject("INSERT INTO note (body) VALUES (?) RETURNING id", Long.class, body);
        return new Served<>(id, serverPort());
    }

    @Transactional(readOnly = true)
    public Served<String> find(long id) {
        List<String> bodies = jdbc.queryForList("SELECT body FROM note WHERE id = ?", String.class, id);
        return new Served<>(bodies.isEmpty() ? null : bodies.get(0), serverPort());
    }

    private int serverPort() {
        Integer port = jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
        return port == null ? -1 : port;
    }
}
