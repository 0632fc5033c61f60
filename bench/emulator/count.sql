SELECT count(*) FROM contacts c JOIN companies k ON k.uuid = c.company_id
WHERE c.seniority = 'senior' AND k.employees_count BETWEEN 50 AND 1000
  AND EXISTS (SELECT 1 FROM regexp_split_to_table(lower(c.title), '[^[:alnum:]]+') w
              WHERE levenshtein_less_equal(w, 'enginer', 2) <= 2);
