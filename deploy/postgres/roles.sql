-- Least-privilege database roles of the assistant (deploy/README.md, « Rôles de la base »).
--
-- Run once per deployment, and again at will: it is idempotent (re-running re-applies the
-- passwords and repairs any drift). Run it as the database superuser, connected to the assistant's
-- database, e.g. as the `db-init` service of deploy/docker-compose.yml does:
--
--   PGOPTIONS="-c mes.tracker_password=… -c mes.directory_writer_password=… -c mes.directory_reader_password=…" \
--     psql --no-psqlrc -v ON_ERROR_STOP=1 -h postgres -U mes -d mes -f deploy/postgres/roles.sql
--
-- Settings (custom options, here through PGOPTIONS; passwords: letters and digits only):
--   mes.tracker_password, mes.directory_writer_password, mes.directory_reader_password  (required)
--   mes.tracker_role, mes.directory_writer_role, mes.directory_reader_role
--       (optional; default mes_tracker, mes_directory_writer, mes_directory_reader)
--
-- What it builds, in the current database:
--   schema `tracker`    owned by the tracker role: Rasa's tracker store creates `events` (its SERIAL
--                       sequence and its index) there at start-up; the purge deletes from it.
--   schema `directory`  owned by the writer role: `python -m tools data load|refresh` creates and fills
--                       `france_services` there; the reader role gets USAGE and SELECT only (also on
--                       tables the writer creates later), and read-only transactions by default.
--   Each role's search_path is its schema, so the code keeps using unqualified table names. No role
--   can reach the other's schema, create schemas or temporary tables, or write to `public`.
--   Tables of the former single-user layout (public.events, public.france_services) are moved
--   into these schemas and handed to their new owners, data included.
-- The superuser is needed only here; no service uses it at run time.

-- One statement, hence one transaction: all of it is applied, or nothing.
DO $roles$
DECLARE
    db CONSTANT text := current_database();
    tracker_schema CONSTANT text := 'tracker';
    directory_schema CONSTANT text := 'directory';
    tracker CONSTANT text := coalesce(nullif(current_setting('mes.tracker_role', true), ''), 'mes_tracker');
    writer CONSTANT text := coalesce(nullif(current_setting('mes.directory_writer_role', true), ''), 'mes_directory_writer');
    reader CONSTANT text := coalesce(nullif(current_setting('mes.directory_reader_role', true), ''), 'mes_directory_reader');
    login record;
    item record;
BEGIN
    -- Two runs at once (two `up` at the same time) wait for each other instead of failing.
    PERFORM pg_advisory_xact_lock(hashtext('mes: deploy/postgres/roles.sql'));

    -- 1. Three login roles with no attribute and no membership: all they may do is granted below.
    FOR login IN
        SELECT * FROM (VALUES
            (tracker, 'mes.tracker_password'),
            (writer, 'mes.directory_writer_password'),
            (reader, 'mes.directory_reader_password')
        ) AS wanted (name, setting)
    LOOP
        IF coalesce(current_setting(login.setting, true), '') = '' THEN
            RAISE EXCEPTION 'setting % is missing (password of role %)', login.setting, login.name;
        END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = login.name) THEN
            EXECUTE format('CREATE ROLE %I', login.name);
        END IF;
        EXECUTE format(
            'ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT '
            'CONNECTION LIMIT -1 PASSWORD %L',
            login.name, current_setting(login.setting)
        );
        FOR item IN
            SELECT g.rolname AS name FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
            WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = login.name)
        LOOP
            EXECUTE format('REVOKE %I FROM %I', item.name, login.name);
        END LOOP;
    END LOOP;

    -- 2. The database: only these roles (and superusers) connect; nobody creates schemas or temp tables.
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC, %I, %I, %I', db, tracker, writer, reader);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I, %I, %I', db, tracker, writer, reader);
    IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'public') THEN
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;  -- already so since PostgreSQL 15
    END IF;

    -- 3. One schema per owner; nobody else may use it, except the reader on the directory.
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', tracker_schema, tracker);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', tracker_schema, tracker);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC, %I, %I', tracker_schema, writer, reader);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', directory_schema, writer);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', directory_schema, writer);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC, %I, %I', directory_schema, tracker, reader);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', directory_schema, reader);

    -- 4. The single-user layout kept everything in `public`: move it, data included.
    IF to_regclass('public.events') IS NOT NULL AND to_regclass(format('%I.events', tracker_schema)) IS NULL THEN
        EXECUTE format('ALTER TABLE public.events SET SCHEMA %I', tracker_schema);  -- index, sequence follow
        RAISE NOTICE 'public.events moved to schema %', tracker_schema;
    END IF;
    IF to_regclass('public.france_services') IS NOT NULL
        AND to_regclass(format('%I.france_services', directory_schema)) IS NULL THEN
        EXECUTE format('ALTER TABLE public.france_services SET SCHEMA %I', directory_schema);
        RAISE NOTICE 'public.france_services moved to schema %', directory_schema;
    END IF;
    IF to_regclass('public.events') IS NOT NULL OR to_regclass('public.france_services') IS NOT NULL THEN
        RAISE WARNING 'public.events or public.france_services is left in schema public: no service reads it';
    END IF;

    -- 5. Everything in a schema belongs to the schema's owner (tables first: their sequences follow).
    FOR item IN
        SELECT c.oid::regclass AS name, c.relkind, s.owner
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN (VALUES (tracker_schema, tracker), (directory_schema, writer)) AS s (schema, owner) ON s.schema = n.nspname
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        ORDER BY c.relkind = 'S'
    LOOP
        IF (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = item.name) <> item.owner THEN
            EXECUTE format('ALTER %s %s OWNER TO %I',
                CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                    WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                item.name, item.owner);
        END IF;
    END LOOP;

    -- 6. Nobody but the owner on the tracker's tables; the reader: SELECT on the directory's tables,
    --    those of today and those the writer creates later.
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM PUBLIC, %I, %I', tracker_schema, writer, reader);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM PUBLIC, %I, %I', tracker_schema, writer, reader);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM PUBLIC, %I, %I', directory_schema, tracker, reader);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM PUBLIC, %I, %I', directory_schema, tracker, reader);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', directory_schema, reader);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT ON TABLES TO %I',
        writer, directory_schema, reader);

    -- 7. Unqualified names land in the role's own schema; the reader's transactions are read-only.
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', tracker, db, tracker_schema);
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', writer, db, directory_schema);
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', reader, db, directory_schema);
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET default_transaction_read_only = on', reader, db);
END
$roles$;
