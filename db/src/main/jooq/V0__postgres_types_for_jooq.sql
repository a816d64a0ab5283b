-- Read only by jOOQ's code generator (DDLDatabase), never by Flyway. DDLDatabase interprets the
-- migrations in an in-memory H2, which lacks PostgreSQL's xid8 and hstore types; these stand-ins
-- let it build the model, and the forced types in db/pom.xml map the columns back to PostgreSQL's.
create domain xid8 as bigint;
create domain hstore as other;
