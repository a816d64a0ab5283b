-- geofa-sync: every retry is bounded. An event whose GeoFA statement keeps failing with an error
-- GeoFA does not explain as a refusal (an HTTP 500 that is not a constraint, rule or input message)
-- is counted here; after a few such rounds it is sent on its own, and if GeoFA fails on it again it
-- goes to dead letters with GeoFA's message, so one such object never holds its partition for ever.
-- Throttling (429), GeoFA out of service (503) and lost answers are not counted: they are not the
-- object's fault, and the events wait on Kafka until GeoFA answers.
alter table sync.inbox add column geofa_errors integer not null default 0;

comment on column sync.inbox.geofa_errors is
    'Rounds in which GeoFA failed on this event''s statement with an error it did not explain; from a few on, the event is sent alone and dead-lettered if it fails again.';
