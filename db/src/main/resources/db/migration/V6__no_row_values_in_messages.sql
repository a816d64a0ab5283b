-- geofa-sync: GeoFA's messages are kept without the refused row's values. PostgreSQL's
-- "DETAIL: Failing row contains (...)" repeats the whole row, personal data such as kontak_ved
-- included; the applier now withholds it before a message is logged, stored or published, and this
-- removes it from what earlier versions stored. The constraint, column and reason stay.
-- [jooq ignore start]
update sync.dead_letter
   set geofa_message = regexp_replace(geofa_message, 'Failing row contains .*$', 'Failing row contains (values withheld by geofa-sync)'),
       updated_at = now(), published_at = null
 where geofa_message like '%Failing row contains %';
update sync.inbox
   set last_error = regexp_replace(last_error, 'Failing row contains .*$', 'Failing row contains (values withheld by geofa-sync)')
 where last_error like '%Failing row contains %';
-- [jooq ignore stop]
