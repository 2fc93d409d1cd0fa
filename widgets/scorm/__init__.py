"""SCORM 1.2 packages of the chapters, for a training body's LMS (Moodle…): ``make scorm``.

Each numbered chapter becomes ``_build/scorm/NN-nom.zip``: one page with the chapter, its « En bref
(facile à lire) » summary, its self-check and its sources, working offline inside the package, and
reporting completion and the self-check's score to the LMS through the SCORM 1.2 API.

* :mod:`widgets.scorm.myst` — the chapter's MyST text → HTML (myst-parser on docutils; roles and
  directives rendered in one place each);
* :mod:`widgets.scorm.sources` — the numbered sources, in the book's style;
* :mod:`widgets.scorm.selfcheck` — the self-check, judged beforehand by the course's quiz model;
* :mod:`widgets.scorm.manifest` — ``imsmanifest.xml``;
* :mod:`widgets.scorm.package` — the page around the chapter and the zip;
* ``static/scorm.js`` — the self-check in the browser and the SCORM API calls.

How to upload a package and what it reports: ``docs/moodle.md``.
"""
