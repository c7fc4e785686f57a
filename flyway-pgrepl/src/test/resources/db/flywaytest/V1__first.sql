CREATE TABLE flyway_check (id int PRIMARY KEY, note text);
