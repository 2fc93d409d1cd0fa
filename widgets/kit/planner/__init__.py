"""The session planner's view, in small parts: one line of the plan, the controls that start a plan, the
controls that add a line, and the view that wires them to the pure model (:mod:`widgets.kit.model`)."""
