"""Report downloads that scale: streamed CSV, write-only XLSX, large ones built
by the worker into a private file with a progress bar and a link when ready.

A package by subject: sources (each report's rows read in chunks), writers
(CSV chunks and the write-only workbook), models, services (request, build,
sweep), selectors, tasks and views.
"""
