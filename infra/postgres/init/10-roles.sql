-- pgrepl: roles every primary needs. Run by the compose primary at first start
-- (docker-entrypoint-initdb.d) and by the embedded launcher over JDBC.
-- Passwords are not kept here: compose sets them from its env file
-- (30-role-passwords.sh), the launcher from its own configuration.

CREATE ROLE replicator WITH LOGIN REPLICATION;
