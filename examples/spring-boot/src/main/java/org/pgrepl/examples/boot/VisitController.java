package org.pgrepl.examples.boot;

import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /patients/{id}/visits} (primary), {@code GET /visits/{id}} and
 * {@code GET /patients/{id}/visits} (replica). Header {@value #SERVED_BY} carries the serving
 * server's port.
 */
@RestController
public class VisitController {
    static final String SERVED_BY = "X-Served-By-Port";

    /** Body of a new visit. */
    public record NewVisit(String reason) {
    }

    private final VisitService visits;

    public VisitController(VisitService visits) {
        this.visits = visits;
    }

    @PostMapping("/patients/{patientId}/visits")
    public ResponseEntity<VisitService.Visit> record(@PathVariable("patientId") long patientId, @RequestBody NewVisit visit) {
        return answer(visits.record(patientId, visit.reason()));
    }

    @GetMapping("/visits/{id}")
    public ResponseEntity<VisitService.Visit> find(@PathVariable("id") long id) {
        VisitService.Served<VisitService.Visit> served = visits.find(id);
        if (served.result() == null) {
            return ResponseEntity.notFound().header(SERVED_BY, String.valueOf(served.serverPort())).build();
        }
        return answer(served);
    }

    @GetMapping("/patients/{patientId}/visits")
    public ResponseEntity<List<VisitService.Visit>> ofPatient(@PathVariable("patientId") long patientId) {
        return answer(visits.ofPatient(patientId));
    }

    private static <T> ResponseEntity<T> answer(VisitService.Served<T> served) {
        return ResponseEntity.ok().header(SERVED_BY, String.valueOf(served.serverPort())).body(served.result());
    }
}
