-- Authority names from the ONS name for the code (issue 22): ONS calls E06000015 "Derby" where the returns say
-- "Derby City UA" and the suffix rule of migration 205 left "Derby City". Once the ONS nearest-neighbour workbook
-- (imported for the NN peer group; it names every UK local authority by code) is held, an authority it names is
-- called exactly that: new imports apply it (finance.official.ons_names, the same statement), and this brings
-- databases that already hold the file into line. Illustrative authorities keep the demo's names.
--
-- `ons_authority_name`: each ONS code's name as the held ONS file gives it (in its table of authorities, else as a
-- neighbour), with that file's source_id (its name and sha256 in source_file). `authority_name_source`: the file
-- each authority's name was taken from; an authority not in it is named by its newest return under the suffix rule.
CREATE VIEW ons_authority_name AS
SELECT code, arg_min(name, pref) AS name, arg_min(source_id, pref) AS source_id
FROM (SELECT authority_key AS code, authority_name AS name, source_id, 0 AS pref
      FROM peer_neighbour WHERE model = 'NN'
      UNION ALL
      SELECT neighbour_key, neighbour_name, source_id, 1
      FROM peer_neighbour WHERE model = 'NN' AND neighbour_name IS NOT NULL)
WHERE length(trim(name)) > 0
GROUP BY code;

-- (the same query again, not the view above: a DuckLake store creates views in name order)
CREATE VIEW authority_name_source AS
SELECT a.code, a.name, o.source_id
FROM authority a
JOIN (SELECT code, arg_min(name, pref) AS name, arg_min(source_id, pref) AS source_id
      FROM (SELECT authority_key AS code, authority_name AS name, source_id, 0 AS pref
            FROM peer_neighbour WHERE model = 'NN'
            UNION ALL
            SELECT neighbour_key, neighbour_name, source_id, 1
            FROM peer_neighbour WHERE model = 'NN' AND neighbour_name IS NOT NULL)
      WHERE length(trim(name)) > 0
      GROUP BY code) AS o ON o.code = a.code AND o.name = a.name
WHERE NOT a.is_illustrative;

UPDATE authority SET name = ons.name
FROM ons_authority_name AS ons
WHERE authority.code = ons.code AND NOT authority.is_illustrative AND authority.name <> ons.name;
