INSERT INTO flyway_check VALUES (1, 'migrated through jdbc:pgrepl:');
