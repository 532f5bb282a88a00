-- The files the loaded dataset was imported from.
SELECT table_name, file_name, format, encoding, size_bytes, sha256, rows
FROM source_files ORDER BY table_name
