-- geofa-sync: GeoFA's request budget shared by instances. When several instances of the service share
-- a consumer group's partitions (run --share-partitions), each sends to GeoFA as the same user, and
-- GeoFA counts that user's requests together (120 a minute by default). So every request they send
-- is first recorded here, and none is sent while the last minute holds the budget already: the
-- database's clock is the one clock all instances agree on. Rows older than a minute are deleted as
-- requests are recorded. A single instance keeps its budget in memory and writes nothing here.

create table sync.geofa_request (
    budget   varchar     not null,
    sent_at  timestamptz not null default clock_timestamp()
);

create index geofa_request_budget_sent_at on sync.geofa_request (budget, sent_at);

comment on table sync.geofa_request is
    'GeoFA requests of the last minute by instances sharing the partitions (run --share-partitions), to keep their user''s budget together.';
comment on column sync.geofa_request.budget is 'Whose budget: the SHA-256 of GeoFA''s address and user name (no name, password or token in clear).';
comment on column sync.geofa_request.sent_at is 'When the request was let go (the database''s clock).';
