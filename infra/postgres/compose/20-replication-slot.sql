-- pgrepl (compose): one physical slot per replica, created before the replica clones, so the
-- primary keeps every WAL segment db-slave has not received, also while it is down.
SELECT pg_create_physical_replication_slot('db_slave_slot', true);
