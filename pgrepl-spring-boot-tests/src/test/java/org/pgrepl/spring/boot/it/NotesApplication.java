package org.pgrepl.spring.boot.it;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application under test: a small REST service over JdbcTemplate, configured by nothing but
 * {@code spring.datasource.url} and credentials. Its sources compile unchanged on Boot 4.0 and 3.5.
 */
@SpringBootApplication
public class NotesApplication {
}
