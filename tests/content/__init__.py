"""Content rules: sources, dates, inclusive writing, easy-read boxes, timings, bibliography, links."""
