"""两委 Planner: slates and schedules for community 两委 elections.

Data flows one way: scenario file -> validated scenario -> model -> solve -> plan -> check -> report.
"""

__version__ = "0.1.0"
