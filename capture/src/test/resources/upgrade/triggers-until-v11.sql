-- vk.facilitet_punkt functions [cap_2_vk_facilitet_punkt_i, cap_2_vk_facilitet_punkt_u, cap_2_vk_facilitet_punkt_d]
create or replace function sync."cap_2_vk_facilitet_punkt_i"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, new_values)
    select 'vk.facilitet_punkt', n.k, 'I', n.h || hstore('objekt_id', n.oid)
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'facil_ty_k', 'navn', 'navn_uk', 'navn_d', 'beskrivels', 'uk_k_beskr', 'd_k_beskr', 'lang_beskr', 'uk_l_beskr', 'd_l_beskr', 'tilgaeng_beskriv', 'handicap_k', 'saeson_k', 'saeson_st', 'saeson_sl', 'saeson_bem', 'doegnaab_k', 'vandhane_k', 'bemand_k', 'betaling_k', 'book_k', 'folder_k', 'antal_pl', 'kvalitet_k', 'ansva_v_k', 'ansvar_org', 'kontak_ved', 'vejkode', 'cvf_vejkode', 'husnr', 'postnr', 'adr_id', 'link', 'foto_link', 'tilgaeng_opl']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."facil_ty_k"::text, r."navn"::text, r."navn_uk"::text, r."navn_d"::text, r."beskrivels"::text, r."uk_k_beskr"::text, r."d_k_beskr"::text, r."lang_beskr"::text, r."uk_l_beskr"::text, r."d_l_beskr"::text, r."tilgaeng_beskriv"::text, r."handicap_k"::text, r."saeson_k"::text, r."saeson_st"::text, r."saeson_sl"::text, r."saeson_bem"::text, r."doegnaab_k"::text, r."vandhane_k"::text, r."bemand_k"::text, r."betaling_k"::text, r."book_k"::text, r."folder_k"::text, r."antal_pl"::text, r."kvalitet_k"::text, r."ansva_v_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."vejkode"::text, r."cvf_vejkode"::text, r."husnr"::text, r."postnr"::text, r."adr_id"::text, r."link"::text, r."foto_link"::text, r."tilgaeng_opl"::text]::text[]) as h from new_rows r) n;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_facilitet_punkt_i"() is 'geofa-sync capture trigger of vk.facilitet_punkt: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace function sync."cap_2_vk_facilitet_punkt_u"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, old_values, new_values)
    select 'vk.facilitet_punkt',
           coalesce(n.k, o.k),
           case when o.k is null then 'I' when n.k is null then 'D' else 'U' end,
           case when n.k is null then o.h || hstore('objekt_id', o.oid) when o.k is not null then o.h - n.h end,
           case when n.k is not null then n.h || hstore('objekt_id', n.oid) end
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'facil_ty_k', 'navn', 'navn_uk', 'navn_d', 'beskrivels', 'uk_k_beskr', 'd_k_beskr', 'lang_beskr', 'uk_l_beskr', 'd_l_beskr', 'tilgaeng_beskriv', 'handicap_k', 'saeson_k', 'saeson_st', 'saeson_sl', 'saeson_bem', 'doegnaab_k', 'vandhane_k', 'bemand_k', 'betaling_k', 'book_k', 'folder_k', 'antal_pl', 'kvalitet_k', 'ansva_v_k', 'ansvar_org', 'kontak_ved', 'vejkode', 'cvf_vejkode', 'husnr', 'postnr', 'adr_id', 'link', 'foto_link', 'tilgaeng_opl']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."facil_ty_k"::text, r."navn"::text, r."navn_uk"::text, r."navn_d"::text, r."beskrivels"::text, r."uk_k_beskr"::text, r."d_k_beskr"::text, r."lang_beskr"::text, r."uk_l_beskr"::text, r."d_l_beskr"::text, r."tilgaeng_beskriv"::text, r."handicap_k"::text, r."saeson_k"::text, r."saeson_st"::text, r."saeson_sl"::text, r."saeson_bem"::text, r."doegnaab_k"::text, r."vandhane_k"::text, r."bemand_k"::text, r."betaling_k"::text, r."book_k"::text, r."folder_k"::text, r."antal_pl"::text, r."kvalitet_k"::text, r."ansva_v_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."vejkode"::text, r."cvf_vejkode"::text, r."husnr"::text, r."postnr"::text, r."adr_id"::text, r."link"::text, r."foto_link"::text, r."tilgaeng_opl"::text]::text[]) as h from new_rows r) n
      full join (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'facil_ty_k', 'navn', 'navn_uk', 'navn_d', 'beskrivels', 'uk_k_beskr', 'd_k_beskr', 'lang_beskr', 'uk_l_beskr', 'd_l_beskr', 'tilgaeng_beskriv', 'handicap_k', 'saeson_k', 'saeson_st', 'saeson_sl', 'saeson_bem', 'doegnaab_k', 'vandhane_k', 'bemand_k', 'betaling_k', 'book_k', 'folder_k', 'antal_pl', 'kvalitet_k', 'ansva_v_k', 'ansvar_org', 'kontak_ved', 'vejkode', 'cvf_vejkode', 'husnr', 'postnr', 'adr_id', 'link', 'foto_link', 'tilgaeng_opl']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."facil_ty_k"::text, r."navn"::text, r."navn_uk"::text, r."navn_d"::text, r."beskrivels"::text, r."uk_k_beskr"::text, r."d_k_beskr"::text, r."lang_beskr"::text, r."uk_l_beskr"::text, r."d_l_beskr"::text, r."tilgaeng_beskriv"::text, r."handicap_k"::text, r."saeson_k"::text, r."saeson_st"::text, r."saeson_sl"::text, r."saeson_bem"::text, r."doegnaab_k"::text, r."vandhane_k"::text, r."bemand_k"::text, r."betaling_k"::text, r."book_k"::text, r."folder_k"::text, r."antal_pl"::text, r."kvalitet_k"::text, r."ansva_v_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."vejkode"::text, r."cvf_vejkode"::text, r."husnr"::text, r."postnr"::text, r."adr_id"::text, r."link"::text, r."foto_link"::text, r."tilgaeng_opl"::text]::text[]) as h from old_rows r) o on o.k = n.k
     where o.k is null or n.k is null or o.h <> n.h;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_facilitet_punkt_u"() is 'geofa-sync capture trigger of vk.facilitet_punkt: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace function sync."cap_2_vk_facilitet_punkt_d"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, old_values)
    select 'vk.facilitet_punkt', o.k, 'D', o.h || hstore('objekt_id', o.oid)
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'facil_ty_k', 'navn', 'navn_uk', 'navn_d', 'beskrivels', 'uk_k_beskr', 'd_k_beskr', 'lang_beskr', 'uk_l_beskr', 'd_l_beskr', 'tilgaeng_beskriv', 'handicap_k', 'saeson_k', 'saeson_st', 'saeson_sl', 'saeson_bem', 'doegnaab_k', 'vandhane_k', 'bemand_k', 'betaling_k', 'book_k', 'folder_k', 'antal_pl', 'kvalitet_k', 'ansva_v_k', 'ansvar_org', 'kontak_ved', 'vejkode', 'cvf_vejkode', 'husnr', 'postnr', 'adr_id', 'link', 'foto_link', 'tilgaeng_opl']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."facil_ty_k"::text, r."navn"::text, r."navn_uk"::text, r."navn_d"::text, r."beskrivels"::text, r."uk_k_beskr"::text, r."d_k_beskr"::text, r."lang_beskr"::text, r."uk_l_beskr"::text, r."d_l_beskr"::text, r."tilgaeng_beskriv"::text, r."handicap_k"::text, r."saeson_k"::text, r."saeson_st"::text, r."saeson_sl"::text, r."saeson_bem"::text, r."doegnaab_k"::text, r."vandhane_k"::text, r."bemand_k"::text, r."betaling_k"::text, r."book_k"::text, r."folder_k"::text, r."antal_pl"::text, r."kvalitet_k"::text, r."ansva_v_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."vejkode"::text, r."cvf_vejkode"::text, r."husnr"::text, r."postnr"::text, r."adr_id"::text, r."link"::text, r."foto_link"::text, r."tilgaeng_opl"::text]::text[]) as h from old_rows r) o;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_facilitet_punkt_d"() is 'geofa-sync capture trigger of vk.facilitet_punkt: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace trigger geofa_sync_capture_insert after insert on "vk"."facilitet_punkt" referencing new table as new_rows
    for each statement execute function sync."cap_2_vk_facilitet_punkt_i"();
create or replace trigger geofa_sync_capture_update after update on "vk"."facilitet_punkt" referencing old table as old_rows new table as new_rows
    for each statement execute function sync."cap_2_vk_facilitet_punkt_u"();
create or replace trigger geofa_sync_capture_delete after delete on "vk"."facilitet_punkt" referencing old table as old_rows
    for each statement execute function sync."cap_2_vk_facilitet_punkt_d"();
create or replace trigger geofa_sync_refuse_truncate before truncate on "vk"."facilitet_punkt"
    for each statement execute function sync.refuse_truncate();

-- vk.facilitet_flade functions [cap_2_vk_facilitet_flade_i, cap_2_vk_facilitet_flade_u, cap_2_vk_facilitet_flade_d]
create or replace function sync."cap_2_vk_facilitet_flade_i"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, new_values)
    select 'vk.facilitet_flade', n.k, 'I', n.h || hstore('objekt_id', n.oid)
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'facil_ty_k', 'navn', 'navn_uk', 'navn_d', 'beskrivels', 'uk_k_beskr', 'd_k_beskr', 'lang_beskr', 'uk_l_beskr', 'd_l_beskr', 'tilgaeng_beskriv', 'handicap_k', 'saeson_k', 'saeson_st', 'saeson_sl', 'saeson_bem', 'doegnaab_k', 'vandhane_k', 'bemand_k', 'betaling_k', 'book_k', 'folder_k', 'antal_pl', 'kvalitet_k', 'ansva_v_k', 'ansvar_org', 'kontak_ved', 'vejkode', 'cvf_vejkode', 'husnr', 'postnr', 'adr_id', 'link', 'foto_link', 'tilgaeng_opl']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."facil_ty_k"::text, r."navn"::text, r."navn_uk"::text, r."navn_d"::text, r."beskrivels"::text, r."uk_k_beskr"::text, r."d_k_beskr"::text, r."lang_beskr"::text, r."uk_l_beskr"::text, r."d_l_beskr"::text, r."tilgaeng_beskriv"::text, r."handicap_k"::text, r."saeson_k"::text, r."saeson_st"::text, r."saeson_sl"::text, r."saeson_bem"::text, r."doegnaab_k"::text, r."vandhane_k"::text, r."bemand_k"::text, r."betaling_k"::text, r."book_k"::text, r."folder_k"::text, r."antal_pl"::text, r."kvalitet_k"::text, r."ansva_v_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."vejkode"::text, r."cvf_vejkode"::text, r."husnr"::text, r."postnr"::text, r."adr_id"::text, r."link"::text, r."foto_link"::text, r."tilgaeng_opl"::text]::text[]) as h from new_rows r) n;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_facilitet_flade_i"() is 'geofa-sync capture trigger of vk.facilitet_flade: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace function sync."cap_2_vk_facilitet_flade_u"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, old_values, new_values)
    select 'vk.facilitet_flade',
           coalesce(n.k, o.k),
           case when o.k is null then 'I' when n.k is null then 'D' else 'U' end,
           case when n.k is null then o.h || hstore('objekt_id', o.oid) when o.k is not null then o.h - n.h end,
           case when n.k is not null then n.h || hstore('objekt_id', n.oid) end
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'facil_ty_k', 'navn', 'navn_uk', 'navn_d', 'beskrivels', 'uk_k_beskr', 'd_k_beskr', 'lang_beskr', 'uk_l_beskr', 'd_l_beskr', 'tilgaeng_beskriv', 'handicap_k', 'saeson_k', 'saeson_st', 'saeson_sl', 'saeson_bem', 'doegnaab_k', 'vandhane_k', 'bemand_k', 'betaling_k', 'book_k', 'folder_k', 'antal_pl', 'kvalitet_k', 'ansva_v_k', 'ansvar_org', 'kontak_ved', 'vejkode', 'cvf_vejkode', 'husnr', 'postnr', 'adr_id', 'link', 'foto_link', 'tilgaeng_opl']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."facil_ty_k"::text, r."navn"::text, r."navn_uk"::text, r."navn_d"::text, r."beskrivels"::text, r."uk_k_beskr"::text, r."d_k_beskr"::text, r."lang_beskr"::text, r."uk_l_beskr"::text, r."d_l_beskr"::text, r."tilgaeng_beskriv"::text, r."handicap_k"::text, r."saeson_k"::text, r."saeson_st"::text, r."saeson_sl"::text, r."saeson_bem"::text, r."doegnaab_k"::text, r."vandhane_k"::text, r."bemand_k"::text, r."betaling_k"::text, r."book_k"::text, r."folder_k"::text, r."antal_pl"::text, r."kvalitet_k"::text, r."ansva_v_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."vejkode"::text, r."cvf_vejkode"::text, r."husnr"::text, r."postnr"::text, r."adr_id"::text, r."link"::text, r."foto_link"::text, r."tilgaeng_opl"::text]::text[]) as h from new_rows r) n
      full join (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'facil_ty_k', 'navn', 'navn_uk', 'navn_d', 'beskrivels', 'uk_k_beskr', 'd_k_beskr', 'lang_beskr', 'uk_l_beskr', 'd_l_beskr', 'tilgaeng_beskriv', 'handicap_k', 'saeson_k', 'saeson_st', 'saeson_sl', 'saeson_bem', 'doegnaab_k', 'vandhane_k', 'bemand_k', 'betaling_k', 'book_k', 'folder_k', 'antal_pl', 'kvalitet_k', 'ansva_v_k', 'ansvar_org', 'kontak_ved', 'vejkode', 'cvf_vejkode', 'husnr', 'postnr', 'adr_id', 'link', 'foto_link', 'tilgaeng_opl']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."facil_ty_k"::text, r."navn"::text, r."navn_uk"::text, r."navn_d"::text, r."beskrivels"::text, r."uk_k_beskr"::text, r."d_k_beskr"::text, r."lang_beskr"::text, r."uk_l_beskr"::text, r."d_l_beskr"::text, r."tilgaeng_beskriv"::text, r."handicap_k"::text, r."saeson_k"::text, r."saeson_st"::text, r."saeson_sl"::text, r."saeson_bem"::text, r."doegnaab_k"::text, r."vandhane_k"::text, r."bemand_k"::text, r."betaling_k"::text, r."book_k"::text, r."folder_k"::text, r."antal_pl"::text, r."kvalitet_k"::text, r."ansva_v_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."vejkode"::text, r."cvf_vejkode"::text, r."husnr"::text, r."postnr"::text, r."adr_id"::text, r."link"::text, r."foto_link"::text, r."tilgaeng_opl"::text]::text[]) as h from old_rows r) o on o.k = n.k
     where o.k is null or n.k is null or o.h <> n.h;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_facilitet_flade_u"() is 'geofa-sync capture trigger of vk.facilitet_flade: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace function sync."cap_2_vk_facilitet_flade_d"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, old_values)
    select 'vk.facilitet_flade', o.k, 'D', o.h || hstore('objekt_id', o.oid)
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'facil_ty_k', 'navn', 'navn_uk', 'navn_d', 'beskrivels', 'uk_k_beskr', 'd_k_beskr', 'lang_beskr', 'uk_l_beskr', 'd_l_beskr', 'tilgaeng_beskriv', 'handicap_k', 'saeson_k', 'saeson_st', 'saeson_sl', 'saeson_bem', 'doegnaab_k', 'vandhane_k', 'bemand_k', 'betaling_k', 'book_k', 'folder_k', 'antal_pl', 'kvalitet_k', 'ansva_v_k', 'ansvar_org', 'kontak_ved', 'vejkode', 'cvf_vejkode', 'husnr', 'postnr', 'adr_id', 'link', 'foto_link', 'tilgaeng_opl']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."facil_ty_k"::text, r."navn"::text, r."navn_uk"::text, r."navn_d"::text, r."beskrivels"::text, r."uk_k_beskr"::text, r."d_k_beskr"::text, r."lang_beskr"::text, r."uk_l_beskr"::text, r."d_l_beskr"::text, r."tilgaeng_beskriv"::text, r."handicap_k"::text, r."saeson_k"::text, r."saeson_st"::text, r."saeson_sl"::text, r."saeson_bem"::text, r."doegnaab_k"::text, r."vandhane_k"::text, r."bemand_k"::text, r."betaling_k"::text, r."book_k"::text, r."folder_k"::text, r."antal_pl"::text, r."kvalitet_k"::text, r."ansva_v_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."vejkode"::text, r."cvf_vejkode"::text, r."husnr"::text, r."postnr"::text, r."adr_id"::text, r."link"::text, r."foto_link"::text, r."tilgaeng_opl"::text]::text[]) as h from old_rows r) o;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_facilitet_flade_d"() is 'geofa-sync capture trigger of vk.facilitet_flade: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace trigger geofa_sync_capture_insert after insert on "vk"."facilitet_flade" referencing new table as new_rows
    for each statement execute function sync."cap_2_vk_facilitet_flade_i"();
create or replace trigger geofa_sync_capture_update after update on "vk"."facilitet_flade" referencing old table as old_rows new table as new_rows
    for each statement execute function sync."cap_2_vk_facilitet_flade_u"();
create or replace trigger geofa_sync_capture_delete after delete on "vk"."facilitet_flade" referencing old table as old_rows
    for each statement execute function sync."cap_2_vk_facilitet_flade_d"();
create or replace trigger geofa_sync_refuse_truncate before truncate on "vk"."facilitet_flade"
    for each statement execute function sync.refuse_truncate();

-- vk.rute_linje functions [cap_2_vk_rute_linje_i, cap_2_vk_rute_linje_u, cap_2_vk_rute_linje_d]
create or replace function sync."cap_2_vk_rute_linje_i"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, new_values)
    select 'vk.rute_linje', n.k, 'I', n.h || hstore('objekt_id', n.oid)
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'rute_ty_k', 'rute_uty_k', 'navn', 'navndels', 'straekn_nr', 'afm_rute_k', 'laengde', 'belaegn_k', 'handicap_k', 'svaerhed_k', 'obs', 'kategori_k', 'certifi_k', 'hierarki_k', 'beskrivels', 'lang_beskr', 'kvalitet_k', 'ansvar_org', 'kontak_ved', 'link', 'foto_link', 'gpx_link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."rute_ty_k"::text, r."rute_uty_k"::text, r."navn"::text, r."navndels"::text, r."straekn_nr"::text, r."afm_rute_k"::text, r."laengde"::text, r."belaegn_k"::text, r."handicap_k"::text, r."svaerhed_k"::text, r."obs"::text, r."kategori_k"::text, r."certifi_k"::text, r."hierarki_k"::text, r."beskrivels"::text, r."lang_beskr"::text, r."kvalitet_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."link"::text, r."foto_link"::text, r."gpx_link"::text]::text[]) as h from new_rows r) n;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_rute_linje_i"() is 'geofa-sync capture trigger of vk.rute_linje: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace function sync."cap_2_vk_rute_linje_u"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, old_values, new_values)
    select 'vk.rute_linje',
           coalesce(n.k, o.k),
           case when o.k is null then 'I' when n.k is null then 'D' else 'U' end,
           case when n.k is null then o.h || hstore('objekt_id', o.oid) when o.k is not null then o.h - n.h end,
           case when n.k is not null then n.h || hstore('objekt_id', n.oid) end
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'rute_ty_k', 'rute_uty_k', 'navn', 'navndels', 'straekn_nr', 'afm_rute_k', 'laengde', 'belaegn_k', 'handicap_k', 'svaerhed_k', 'obs', 'kategori_k', 'certifi_k', 'hierarki_k', 'beskrivels', 'lang_beskr', 'kvalitet_k', 'ansvar_org', 'kontak_ved', 'link', 'foto_link', 'gpx_link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."rute_ty_k"::text, r."rute_uty_k"::text, r."navn"::text, r."navndels"::text, r."straekn_nr"::text, r."afm_rute_k"::text, r."laengde"::text, r."belaegn_k"::text, r."handicap_k"::text, r."svaerhed_k"::text, r."obs"::text, r."kategori_k"::text, r."certifi_k"::text, r."hierarki_k"::text, r."beskrivels"::text, r."lang_beskr"::text, r."kvalitet_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."link"::text, r."foto_link"::text, r."gpx_link"::text]::text[]) as h from new_rows r) n
      full join (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'rute_ty_k', 'rute_uty_k', 'navn', 'navndels', 'straekn_nr', 'afm_rute_k', 'laengde', 'belaegn_k', 'handicap_k', 'svaerhed_k', 'obs', 'kategori_k', 'certifi_k', 'hierarki_k', 'beskrivels', 'lang_beskr', 'kvalitet_k', 'ansvar_org', 'kontak_ved', 'link', 'foto_link', 'gpx_link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."rute_ty_k"::text, r."rute_uty_k"::text, r."navn"::text, r."navndels"::text, r."straekn_nr"::text, r."afm_rute_k"::text, r."laengde"::text, r."belaegn_k"::text, r."handicap_k"::text, r."svaerhed_k"::text, r."obs"::text, r."kategori_k"::text, r."certifi_k"::text, r."hierarki_k"::text, r."beskrivels"::text, r."lang_beskr"::text, r."kvalitet_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."link"::text, r."foto_link"::text, r."gpx_link"::text]::text[]) as h from old_rows r) o on o.k = n.k
     where o.k is null or n.k is null or o.h <> n.h;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_rute_linje_u"() is 'geofa-sync capture trigger of vk.rute_linje: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace function sync."cap_2_vk_rute_linje_d"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, old_values)
    select 'vk.rute_linje', o.k, 'D', o.h || hstore('objekt_id', o.oid)
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'note', 'rute_ty_k', 'rute_uty_k', 'navn', 'navndels', 'straekn_nr', 'afm_rute_k', 'laengde', 'belaegn_k', 'handicap_k', 'svaerhed_k', 'obs', 'kategori_k', 'certifi_k', 'hierarki_k', 'beskrivels', 'lang_beskr', 'kvalitet_k', 'ansvar_org', 'kontak_ved', 'link', 'foto_link', 'gpx_link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."note"::text, r."rute_ty_k"::text, r."rute_uty_k"::text, r."navn"::text, r."navndels"::text, r."straekn_nr"::text, r."afm_rute_k"::text, r."laengde"::text, r."belaegn_k"::text, r."handicap_k"::text, r."svaerhed_k"::text, r."obs"::text, r."kategori_k"::text, r."certifi_k"::text, r."hierarki_k"::text, r."beskrivels"::text, r."lang_beskr"::text, r."kvalitet_k"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."link"::text, r."foto_link"::text, r."gpx_link"::text]::text[]) as h from old_rows r) o;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_rute_linje_d"() is 'geofa-sync capture trigger of vk.rute_linje: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace trigger geofa_sync_capture_insert after insert on "vk"."rute_linje" referencing new table as new_rows
    for each statement execute function sync."cap_2_vk_rute_linje_i"();
create or replace trigger geofa_sync_capture_update after update on "vk"."rute_linje" referencing old table as old_rows new table as new_rows
    for each statement execute function sync."cap_2_vk_rute_linje_u"();
create or replace trigger geofa_sync_capture_delete after delete on "vk"."rute_linje" referencing old table as old_rows
    for each statement execute function sync."cap_2_vk_rute_linje_d"();
create or replace trigger geofa_sync_refuse_truncate before truncate on "vk"."rute_linje"
    for each statement execute function sync.refuse_truncate();

-- vk.ladefacilitet functions [cap_2_vk_ladefacilitet_i, cap_2_vk_ladefacilitet_u, cap_2_vk_ladefacilitet_d]
create or replace function sync."cap_2_vk_ladefacilitet_i"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, new_values)
    select 'vk.ladefacilitet', n.k, 'I', n.h || hstore('objekt_id', n.oid)
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'ladefacilitet_type_kode', 'effekt_type_kode', 'tilgaengelighed_type_kode', 'planstatus_kode', 'ejer_ladefacilitet', 'operatoer_ladefacilitet', 'antal_ladepunkter', 'stiktype', 'driftstart_fra', 'ansvar_org', 'kontak_ved', 'link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."ladefacilitet_type_kode"::text, r."effekt_type_kode"::text, r."tilgaengelighed_type_kode"::text, r."planstatus_kode"::text, r."ejer_ladefacilitet"::text, r."operatoer_ladefacilitet"::text, r."antal_ladepunkter"::text, r."stiktype"::text, r."driftstart_fra"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."link"::text]::text[]) as h from new_rows r) n;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_ladefacilitet_i"() is 'geofa-sync capture trigger of vk.ladefacilitet: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace function sync."cap_2_vk_ladefacilitet_u"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, old_values, new_values)
    select 'vk.ladefacilitet',
           coalesce(n.k, o.k),
           case when o.k is null then 'I' when n.k is null then 'D' else 'U' end,
           case when n.k is null then o.h || hstore('objekt_id', o.oid) when o.k is not null then o.h - n.h end,
           case when n.k is not null then n.h || hstore('objekt_id', n.oid) end
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'ladefacilitet_type_kode', 'effekt_type_kode', 'tilgaengelighed_type_kode', 'planstatus_kode', 'ejer_ladefacilitet', 'operatoer_ladefacilitet', 'antal_ladepunkter', 'stiktype', 'driftstart_fra', 'ansvar_org', 'kontak_ved', 'link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."ladefacilitet_type_kode"::text, r."effekt_type_kode"::text, r."tilgaengelighed_type_kode"::text, r."planstatus_kode"::text, r."ejer_ladefacilitet"::text, r."operatoer_ladefacilitet"::text, r."antal_ladepunkter"::text, r."stiktype"::text, r."driftstart_fra"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."link"::text]::text[]) as h from new_rows r) n
      full join (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'ladefacilitet_type_kode', 'effekt_type_kode', 'tilgaengelighed_type_kode', 'planstatus_kode', 'ejer_ladefacilitet', 'operatoer_ladefacilitet', 'antal_ladepunkter', 'stiktype', 'driftstart_fra', 'ansvar_org', 'kontak_ved', 'link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."ladefacilitet_type_kode"::text, r."effekt_type_kode"::text, r."tilgaengelighed_type_kode"::text, r."planstatus_kode"::text, r."ejer_ladefacilitet"::text, r."operatoer_ladefacilitet"::text, r."antal_ladepunkter"::text, r."stiktype"::text, r."driftstart_fra"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."link"::text]::text[]) as h from old_rows r) o on o.k = n.k
     where o.k is null or n.k is null or o.h <> n.h;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_ladefacilitet_u"() is 'geofa-sync capture trigger of vk.ladefacilitet: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace function sync."cap_2_vk_ladefacilitet_d"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, old_values)
    select 'vk.ladefacilitet', o.k, 'D', o.h || hstore('objekt_id', o.oid)
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'ladefacilitet_type_kode', 'effekt_type_kode', 'tilgaengelighed_type_kode', 'planstatus_kode', 'ejer_ladefacilitet', 'operatoer_ladefacilitet', 'antal_ladepunkter', 'stiktype', 'driftstart_fra', 'ansvar_org', 'kontak_ved', 'link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."ladefacilitet_type_kode"::text, r."effekt_type_kode"::text, r."tilgaengelighed_type_kode"::text, r."planstatus_kode"::text, r."ejer_ladefacilitet"::text, r."operatoer_ladefacilitet"::text, r."antal_ladepunkter"::text, r."stiktype"::text, r."driftstart_fra"::text, r."ansvar_org"::text, r."kontak_ved"::text, r."link"::text]::text[]) as h from old_rows r) o;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_ladefacilitet_d"() is 'geofa-sync capture trigger of vk.ladefacilitet: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace trigger geofa_sync_capture_insert after insert on "vk"."ladefacilitet" referencing new table as new_rows
    for each statement execute function sync."cap_2_vk_ladefacilitet_i"();
create or replace trigger geofa_sync_capture_update after update on "vk"."ladefacilitet" referencing old table as old_rows new table as new_rows
    for each statement execute function sync."cap_2_vk_ladefacilitet_u"();
create or replace trigger geofa_sync_capture_delete after delete on "vk"."ladefacilitet" referencing old table as old_rows
    for each statement execute function sync."cap_2_vk_ladefacilitet_d"();
create or replace trigger geofa_sync_refuse_truncate before truncate on "vk"."ladefacilitet"
    for each statement execute function sync.refuse_truncate();

-- vk.skoledistrikt functions [cap_2_vk_skoledistrikt_i, cap_2_vk_skoledistrikt_u, cap_2_vk_skoledistrikt_d]
create or replace function sync."cap_2_vk_skoledistrikt_i"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, new_values)
    select 'vk.skoledistrikt', n.k, 'I', n.h || hstore('objekt_id', n.oid)
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'udd_distrikt_nr', 'udd_distrikt_navn', 'udd_distrikt_type_kode', 'starttrin_kode', 'sluttrin_kode', 'link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."udd_distrikt_nr"::text, r."udd_distrikt_navn"::text, r."udd_distrikt_type_kode"::text, r."starttrin_kode"::text, r."sluttrin_kode"::text, r."link"::text]::text[]) as h from new_rows r) n;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_skoledistrikt_i"() is 'geofa-sync capture trigger of vk.skoledistrikt: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace function sync."cap_2_vk_skoledistrikt_u"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, old_values, new_values)
    select 'vk.skoledistrikt',
           coalesce(n.k, o.k),
           case when o.k is null then 'I' when n.k is null then 'D' else 'U' end,
           case when n.k is null then o.h || hstore('objekt_id', o.oid) when o.k is not null then o.h - n.h end,
           case when n.k is not null then n.h || hstore('objekt_id', n.oid) end
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'udd_distrikt_nr', 'udd_distrikt_navn', 'udd_distrikt_type_kode', 'starttrin_kode', 'sluttrin_kode', 'link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."udd_distrikt_nr"::text, r."udd_distrikt_navn"::text, r."udd_distrikt_type_kode"::text, r."starttrin_kode"::text, r."sluttrin_kode"::text, r."link"::text]::text[]) as h from new_rows r) n
      full join (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'udd_distrikt_nr', 'udd_distrikt_navn', 'udd_distrikt_type_kode', 'starttrin_kode', 'sluttrin_kode', 'link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."udd_distrikt_nr"::text, r."udd_distrikt_navn"::text, r."udd_distrikt_type_kode"::text, r."starttrin_kode"::text, r."sluttrin_kode"::text, r."link"::text]::text[]) as h from old_rows r) o on o.k = n.k
     where o.k is null or n.k is null or o.h <> n.h;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_skoledistrikt_u"() is 'geofa-sync capture trigger of vk.skoledistrikt: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace function sync."cap_2_vk_skoledistrikt_d"() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, "public"
    set datestyle = 'ISO, YMD'
as $capture$

begin
    if current_setting('geofa_sync.origin', true) = 'write-back' then
        return null;
    end if;
    insert into sync.outbox (source_table, row_key, op, old_values)
    select 'vk.skoledistrikt', o.k, 'D', o.h || hstore('objekt_id', o.oid)
      from (select r."id"::text as k, r."objekt_id"::text as oid, hstore(array['geom', 'oprindkode', 'statuskode', 'off_kode', 'udd_distrikt_nr', 'udd_distrikt_navn', 'udd_distrikt_type_kode', 'starttrin_kode', 'sluttrin_kode', 'link']::text[], array[r."geom"::text, r."oprindkode"::text, r."statuskode"::text, r."off_kode"::text, r."udd_distrikt_nr"::text, r."udd_distrikt_navn"::text, r."udd_distrikt_type_kode"::text, r."starttrin_kode"::text, r."sluttrin_kode"::text, r."link"::text]::text[]) as h from old_rows r) o;

    return null;
end
$capture$;
comment on function sync."cap_2_vk_skoledistrikt_d"() is 'geofa-sync capture trigger of vk.skoledistrikt: writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers.';
create or replace trigger geofa_sync_capture_insert after insert on "vk"."skoledistrikt" referencing new table as new_rows
    for each statement execute function sync."cap_2_vk_skoledistrikt_i"();
create or replace trigger geofa_sync_capture_update after update on "vk"."skoledistrikt" referencing old table as old_rows new table as new_rows
    for each statement execute function sync."cap_2_vk_skoledistrikt_u"();
create or replace trigger geofa_sync_capture_delete after delete on "vk"."skoledistrikt" referencing old table as old_rows
    for each statement execute function sync."cap_2_vk_skoledistrikt_d"();
create or replace trigger geofa_sync_refuse_truncate before truncate on "vk"."skoledistrikt"
    for each statement execute function sync.refuse_truncate();

