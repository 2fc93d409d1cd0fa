"""The trainer's screen of the group mode, one panel per job.

:mod:`widgets.salle.view` assembles the votes' panels into one Voilà page (``SalleView``), and
:mod:`widgets.salle.eval_view` the evaluations' (``EvaluationView``); both place them and poll the
store with :mod:`.stage`:

- :mod:`.base` — what the panels share (:class:`~.base.Screen`: the store, the session, the last
  snapshot, the message line, the French refusal of a failed action);
- :mod:`.stage` — where the panels stand (one column, or projected side by side), answers hidden
  when projected, the half-second poll;
- :mod:`.session` — open, resume and close a session; its code, QR code and address
  (:mod:`.reach`: can the phones connect; :mod:`.projector`: is the page projected);
- :mod:`.questions` — what each votes' page puts to the group (a statement, continuum situations, a météo);
- :mod:`.results` — the round in progress: its state, « Montrer les résultats », the chart, the grid;
- :mod:`.paper` — paper votes typed in by the trainer;
- :mod:`.eval_questions`, :mod:`.eval_results`, :mod:`.eval_paper` — the same jobs for the quiz du
  groupe and the questionnaire (a quiz question, the avant / après table, a paper questionnaire);
- :mod:`.export` — the CSV files, then the session's PNG image or an evaluation's one-page PDF.

Why panels: each one builds its own widgets and redraws itself from a snapshot, so a change to the
export does not touch the chart, and a new activity adds a panel rather than growing one class.
"""
