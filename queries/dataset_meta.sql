-- What is loaded: contract version, import time, source folder.
SELECT key, value FROM dataset_meta ORDER BY key
