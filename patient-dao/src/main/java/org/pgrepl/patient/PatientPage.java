package org.pgrepl.patient;

import java.util.List;

/**
 * One page of a keyset listing: pass {@link #nextAfterId()} to {@link PatientDao#list} for the
 * next page. Keyset paging never skips or repeats a row that existed when the listing began,
 * whatever is inserted meanwhile.
 *
 * @param patients    this page, by ascending id
 * @param nextAfterId the cursor for the next page, or null when this is the last one
 */
public record PatientPage(List<Patient> patients, Long nextAfterId) {
}
