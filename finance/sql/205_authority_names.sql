-- One name per authority everywhere (issue 22): its place name without the title some returns add ("Wigan MBC",
-- "St Helens MBC", "Kent CC", "Bristol UA" → "Wigan", "St Helens", "Kent", "Bristol"). New imports store the name
-- that way (finance.format.authority_name, the same suffixes in the same order); this brings the names already
-- held into line. Illustrative authorities keep the names the demo gave them.
UPDATE authority
SET name = rtrim(regexp_replace(
        name,
        ' (Metropolitan Borough Council|Metropolitan District Council|Borough Council|District Council|County Council|City Council|Council|MBC|BC|DC|CC|UA)$',
        ''
    ), ' ,')
WHERE NOT is_illustrative
  AND regexp_matches(
        name,
        '. (Metropolitan Borough Council|Metropolitan District Council|Borough Council|District Council|County Council|City Council|Council|MBC|BC|DC|CC|UA)$'
    );
