"""The trainer's screen of the group mode, one panel per job.

:mod:`widgets.salle.view` assembles them into one Voilà page (``SalleView``) and polls the store:

- :mod:`.base` — what the panels share (:class:`~.base.Screen`: the store, the session, the last
  snapshot, the message line, the French refusal of a failed action);
- :mod:`.session` — open, resume and close a session; its code, QR code and address;
- :mod:`.questions` — what each page puts to the group (a statement, continuum situations, a météo);
- :mod:`.results` — the round in progress: its state, « Montrer les résultats », the chart, the grid;
- :mod:`.export` — the CSV files and the PNG image of the session.

Why panels: each one builds its own widgets and redraws itself from a snapshot, so a change to the
export does not touch the chart, and a new activity adds a panel rather than growing one class.
"""
