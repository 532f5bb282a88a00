-- Every import into this store, newest first.
SELECT * FROM import_history ORDER BY imported_at DESC
