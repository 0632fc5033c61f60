\set n random(0, 255)
SELECT * FROM contacts WHERE uuid > lpad(to_hex(:n), 2, '0') ORDER BY uuid LIMIT 100;
