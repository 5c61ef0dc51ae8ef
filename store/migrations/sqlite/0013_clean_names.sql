-- Names stored before names refused control characters: their line breaks
-- and tabs become spaces, so that every mail about them can be written.
UPDATE users SET first_name = replace(replace(replace(first_name, char(13), ' '), char(10), ' '), char(9), ' ')
	WHERE first_name LIKE '%' || char(13) || '%' OR first_name LIKE '%' || char(10) || '%' OR first_name LIKE '%' || char(9) || '%';
UPDATE users SET last_name = replace(replace(replace(last_name, char(13), ' '), char(10), ' '), char(9), ' ')
	WHERE last_name LIKE '%' || char(13) || '%' OR last_name LIKE '%' || char(10) || '%' OR last_name LIKE '%' || char(9) || '%';
UPDATE users SET department = replace(replace(replace(department, char(13), ' '), char(10), ' '), char(9), ' ')
	WHERE department LIKE '%' || char(13) || '%' OR department LIKE '%' || char(10) || '%' OR department LIKE '%' || char(9) || '%';
UPDATE users SET manager = replace(replace(replace(manager, char(13), ' '), char(10), ' '), char(9), ' ')
	WHERE manager LIKE '%' || char(13) || '%' OR manager LIKE '%' || char(10) || '%' OR manager LIKE '%' || char(9) || '%';
UPDATE companies SET name = replace(replace(replace(name, char(13), ' '), char(10), ' '), char(9), ' ')
	WHERE name LIKE '%' || char(13) || '%' OR name LIKE '%' || char(10) || '%' OR name LIKE '%' || char(9) || '%';
UPDATE partners SET name = replace(replace(replace(name, char(13), ' '), char(10), ' '), char(9), ' ')
	WHERE name LIKE '%' || char(13) || '%' OR name LIKE '%' || char(10) || '%' OR name LIKE '%' || char(9) || '%';
UPDATE products SET name = replace(replace(replace(name, char(13), ' '), char(10), ' '), char(9), ' ')
	WHERE name LIKE '%' || char(13) || '%' OR name LIKE '%' || char(10) || '%' OR name LIKE '%' || char(9) || '%';
UPDATE api_tokens SET name = replace(replace(replace(name, char(13), ' '), char(10), ' '), char(9), ' ')
	WHERE name LIKE '%' || char(13) || '%' OR name LIKE '%' || char(10) || '%' OR name LIKE '%' || char(9) || '%';
