"""Solver-free schedule data below planner/scenario.py: the stage template, the working calendar, stages.

- `planner.timeline.template`: the stage templates, read from the data file templates/seed-2020.yaml
  (the stages, the seed's phases and deadlines), and the model of a county's template file;
- `planner.timeline.calendar`: the official working calendar (T04, 国务院放假安排);
- `planner.timeline.stages`: pins, rules in force, precedence entries and the T04 election-day test.

planner/scenario.py imports this package; nothing here imports planner.scenario at runtime (type hints
only) nor a solver, so the schedule model (planner.schedule) and the checker (planner.check.schedule)
both build on it.
"""
