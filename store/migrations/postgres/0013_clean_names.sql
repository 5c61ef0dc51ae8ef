-- Names stored before names refused control characters: their line breaks
-- and tabs become spaces, so that every mail about them can be written.
UPDATE users SET first_name = replace(replace(replace(first_name, chr(13), ' '), chr(10), ' '), chr(9), ' ')
	WHERE first_name LIKE '%' || chr(13) || '%' OR first_name LIKE '%' || chr(10) || '%' OR first_name LIKE '%' || chr(9) || '%';
UPDATE users SET last_name = replace(replace(replace(last_name, chr(13), ' '), chr(10), ' '), chr(9), ' ')
	WHERE last_name LIKE '%' || chr(13) || '%' OR last_name LIKE '%' || chr(10) || '%' OR last_name LIKE '%' || chr(9) || '%';
UPDATE users SET department = replace(replace(replace(department, chr(13), ' '), chr(10), ' '), chr(9), ' ')
	WHERE department LIKE '%' || chr(13) || '%' OR department LIKE '%' || chr(10) || '%' OR department LIKE '%' || chr(9) || '%';
UPDATE users SET manager = replace(replace(replace(manager, chr(13), ' '), chr(10), ' '), chr(9), ' ')
	WHERE manager LIKE '%' || chr(13) || '%' OR manager LIKE '%' || chr(10) || '%' OR manager LIKE '%' || chr(9) || '%';
UPDATE companies SET name = replace(replace(replace(name, chr(13), ' '), chr(10), ' '), chr(9), ' ')
	WHERE name LIKE '%' || chr(13) || '%' OR name LIKE '%' || chr(10) || '%' OR name LIKE '%' || chr(9) || '%';
UPDATE partners SET name = replace(replace(replace(name, chr(13), ' '), chr(10), ' '), chr(9), ' ')
	WHERE name LIKE '%' || chr(13) || '%' OR name LIKE '%' || chr(10) || '%' OR name LIKE '%' || chr(9) || '%';
UPDATE products SET name = replace(replace(replace(name, chr(13), ' '), chr(10), ' '), chr(9), ' ')
	WHERE name LIKE '%' || chr(13) || '%' OR name LIKE '%' || chr(10) || '%' OR name LIKE '%' || chr(9) || '%';
UPDATE api_tokens SET name = replace(replace(replace(name, chr(13), ' '), chr(10), ' '), chr(9), ' ')
	WHERE name LIKE '%' || chr(13) || '%' OR name LIKE '%' || chr(10) || '%' OR name LIKE '%' || chr(9) || '%';
