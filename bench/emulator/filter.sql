-- The typical filter written by hand: the same fuzzy word test (any title word within 2 edits of "enginer"),
-- seniority and the company's employee count, first 25 rows by uuid.
SELECT c.* FROM contacts c JOIN companies k ON k.uuid = c.company_id
WHERE c.seniority = 'senior' AND k.employees_count BETWEEN 50 AND 1000
  AND EXISTS (SELECT 1 FROM regexp_split_to_table(lower(c.title), '[^[:alnum:]]+') w
              WHERE levenshtein_less_equal(w, 'enginer', 2) <= 2)
ORDER BY c.uuid LIMIT 25;
