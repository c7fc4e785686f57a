package org.pgrepl.spring.boot.it;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** HTTP face of {@link NotesService}; header {@value #SERVER_PORT} names the serving PostgreSQL port. */
@RestController
public class NotesController {
    static final String SERVER_PORT = "X-Server-Port";

    private final NotesService notes;

    public NotesController(NotesService notes) {
        this.notes = notes;
    }

    @GetMapping("/reads/server")
    public ResponseEntity<String> readServer() {
        NotesService.Served<Void> served = notes.whoServesReads();
        return ResponseEntity.ok().header(SERVER_PORT, String.valueOf(served.serverPort()))
                .body(String.valueOf(served.serverPort()));
    }

    @PostMapping("/notes")
    public ResponseEntity<String> add(@RequestBody String body) {
        NotesService.Served<Long> served = notes.add(body);
        return ResponseEntity.ok().header(SERVER_PORT, String.valueOf(served.serverPort()))
                .body(String.valueOf(served.value()));
    }

    @GetMapping("/notes/{id}")
    public ResponseEntity<String> find(@PathVariable("id") long id) {
        NotesService.Served<String> served = notes.find(id);
        ResponseEntity.BodyBuilder response = served.value() == null ? ResponseEntity.status(404) : ResponseEntity.ok();
        return response.header(SERVER_PORT, String.valueOf(served.serverPort()))
                .body(served.value() == null ? "" : served.value());
    }
}
