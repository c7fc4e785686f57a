package org.pgrepl.jdbc.config;

/** An enum value with its URL spelling. */
public interface Spelled {
    /** How the value is written in a URL or property. */
    String spelling();
}
