def explain_infeasible(session): return None
def no_candidates(c): return None
def why_not(session, result, pid): return {}
