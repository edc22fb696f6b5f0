"""Import of organisations and their partnership records from CSV and XLSX files.

Upload (reading), column mapping (mapping), preview (selectors), then a Celery
task (tasks) that applies each row in its own transaction through the same
services as the workspace (rows, services).
"""
