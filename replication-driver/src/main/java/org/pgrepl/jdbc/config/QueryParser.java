package org.pgrepl.jdbc.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses a URL's {@code key=value&...} part and percent-decodes (UTF-8) its keys and values. */
final class QueryParser {
    private QueryParser() {
    }

    /** Keys in URL order; a key given twice fails with 22023. */
    static Map<String, String> parse(String query) throws SQLException {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue; // "a=1&&b=2", as pgjdbc allows
            }
            int eq = pair.indexOf('=');
            String rawKey = eq >= 0 ? pair.substring(0, eq) : pair;
            String key = decode(rawKey, "parameter name " + ConfigErrors.shown(rawKey));
            if (key.isEmpty()) {
                throw ConfigErrors.parameter("a parameter has an empty name (\"=value\")");
            }
            if (ConfigErrors.hasControl(key)) {
                throw ConfigErrors.parameter("parameter name " + ConfigErrors.shown(key) + " contains a control character");
            }
            // The value of a password (or any key) is never quoted in a message.
            String value = eq >= 0 ? decode(pair.substring(eq + 1), "the value of parameter '" + key + "'") : "";
            if (params.containsKey(key)) {
                throw ConfigErrors.parameter("parameter '" + key + "' is given twice in the URL");
            }
            params.put(key, value);
        }
        return params;
    }

    /** Percent-decodes UTF-8; a malformed escape or invalid UTF-8 fails with 08001 naming {@code what}. */
    static String decode(String text, String what) throws SQLException {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int hi = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw ConfigErrors.structure("bad percent-encoding in " + what + ": '%' must be followed by two hex digits");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                int end = text.indexOf('%', i);
                end = end < 0 ? text.length() : end;
                byte[] b = text.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i = end - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ConfigErrors.structure("bad percent-encoding in " + what + ": not valid UTF-8");
        }
    }
}
